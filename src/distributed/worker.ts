// `rxvds worker`: takes jobs off the queue, any number of them on any number of machines. A part
// writes its chunks (through the dataset layer) and returns their records; the final job of an
// import publishes the dataset from those records once every part has finished. A worker that
// dies (kill -9, a lost machine) stops renewing its job's lock; after `lockDuration` BullMQ's
// stalled-job check hands the job to another worker, which writes the part again from the start.
import { ChunkFormatError, errorMessage, InvalidArgumentError, SegyFormatError } from '../model/errors.js';
import { registerChunkJob } from '../workers/chunkJobs.js';
import { importSegyPart, type PartResult, planLayout } from '../segy/importParts.js';
import { openStore } from '../../sources/stores/openStore.js';
import { loadBullMQ, QUEUE_NAME, redisConnections } from './engine.js';
import { type PartChunks, PartDataset, publishParts } from './partDataset.js';
import {
  COPY_JOB, COPY_PART_JOB, type CopyJobData, type DistributedTransform, type CopyJobResult, IMPORT_JOB, IMPORT_PART_JOB, type ImportJobData, type ImportJobResult,
  type PartJobData, type PublishedResult, unrecoverableReason,
} from './jobs.js';
import { copyDataset } from '../api/copyDataset.js';
import { datasetFor } from '../../sources/dataset/datasetFor.js';
import type { VolumeDataLayout } from '../model/layout/volumeDataLayout.js';
import { copySource } from './copyDistributed.js';
import type { Job } from 'bullmq';

export interface WorkerOptions {
  /** Connection string of the datasets' store; secrets stay with the workers and never travel through the queue. */
  connectionString?: string;
  /** Connection string of the SEG-Y files' store. */
  inputConnectionString?: string;
  /**
   * Milliseconds a job stays locked to this worker without a renewal (BullMQ's lockDuration,
   * default 30000): a worker that dies loses its job to another one after about this long.
   */
  lockDuration?: number;
  /** Jobs run at once (default 1: a part keeps the chunk pool's threads busy by itself). */
  concurrency?: number;
  /** Told of every job this worker finished or failed (a log line, a metric). */
  onJob?: (event: WorkerJobEvent) => void;
}

export interface WorkerJobEvent {
  readonly id: string;
  /** The job's kind: `import-segy-part`, `import-segy` (the publication), `copy-part`, `copy`. */
  readonly name: string;
  readonly outcome: 'completed' | 'failed';
  /** Seconds from the start of the last try to its end. */
  readonly seconds: number;
  readonly reason?: string;
}

export interface DistributedWorker {
  /** Stops taking jobs; with `force`, abandons the running one (another worker takes it over once its lock expires). */
  close(force?: boolean): Promise<void>;
}

type CopyPartResult = Omit<CopyJobResult, 'publishSeconds'>;

const DEFAULT_LOCK_MS = 30_000;

export async function startWorker(redisUrl: string, options: WorkerOptions = {}): Promise<DistributedWorker> {
  const { Worker, Queue, Job, UnrecoverableError } = await loadBullMQ();
  const redis = await redisConnections(redisUrl);
  const queue = new Queue(QUEUE_NAME, { connection: redis.connection() });
  const lockDuration = options.lockDuration ?? DEFAULT_LOCK_MS;

  /** The run a part belongs to: its parent's data (the plan), read once per run. */
  const parents = new Map<string, Promise<unknown>>();
  const parentData = <D>(job: Job): Promise<D> => {
    const parentId = job.parent?.id;
    if (!parentId) throw new UnrecoverableError(`Job ${job.id} (${job.name}) belongs to no distributed run`);
    let data = parents.get(parentId);
    if (!data) {
      data = Job.fromId(queue, parentId).then((parent) => {
        if (!parent) throw new UnrecoverableError(`Job ${job.id}: its run ${parentId} is gone from the queue`);
        return parent.data as unknown;
      });
      // A worker lives long: keep the plans of the last few runs only.
      if (parents.size >= 4) parents.delete(parents.keys().next().value!);
      parents.set(parentId, data);
    }
    return data as Promise<D>;
  };

  const connectionString = options.connectionString ?? '';
  /** Runs a part into a PartDataset on `url`, reporting its progress in whole percents; input errors fail it at once. */
  const runPart = async <R>(job: Job, url: string, write: (dataset: PartDataset, onProgress: (fraction: number) => void) => Promise<R>) => {
    const dataset = new PartDataset(openStore(url, connectionString, 'create').store);
    let reported = 0;
    const onProgress = (fraction: number) => {
      const percent = Math.floor(fraction * 100);
      if (percent > reported) void job.updateProgress(reported = percent).catch(() => undefined);
    };
    try {
      const result = await write(dataset, onProgress);
      return { ...result, ...dataset.records() };
    } catch (error) {
      // Corrupt input fails the same way on every try: fail the run now, naming what is corrupt.
      if (error instanceof SegyFormatError || error instanceof ChunkFormatError) throw new UnrecoverableError(unrecoverableReason(error));
      throw error;
    }
  };

  /** The final job: every part's records into the pages, then LayerStatus, then the layout. */
  const publish = async <P extends PartChunks, R>(job: Job, url: string, layout: VolumeDataLayout, partCount: number,
    summarize: (parts: P[]) => R): Promise<R & PublishedResult> => {
    const start = performance.now();
    const parts = Object.values(await job.getChildrenValues<P>());
    if (parts.length !== partCount) throw new UnrecoverableError(`${job.id}: ${parts.length} of its ${partCount} parts returned chunks`);
    await publishParts(openStore(url, connectionString, 'create').store, layout, parts);
    return { ...summarize(parts), publishSeconds: (performance.now() - start) / 1000 };
  };
  const sum = <P>(parts: P[], value: (part: P) => number) => parts.reduce((total, part) => total + value(part), 0);

  const importPart = async (job: Job<PartJobData>) => {
    const { url, plan } = await parentData<ImportJobData>(job);
    return runPart(job, url, (dataset, onProgress) =>
      importSegyPart(plan, dataset, job.data.part, { inputConnectionString: options.inputConnectionString, onProgress }));
  };

  const publishImport = (job: Job<ImportJobData>): Promise<ImportJobResult> =>
    publish(job, job.data.url, planLayout(job.data.plan), job.data.plan.partChunks.length, (parts: (PartResult & PartChunks)[]) => ({
      tracesWritten: sum(parts, (p) => p.tracesWritten), tracesIgnored: sum(parts, (p) => p.tracesIgnored), chunksWritten: sum(parts, (p) => p.chunksWritten),
    }));

  /** A transform's job module, registered here and loaded once to see that it is one: if not, every try would fail the same way. */
  const useTransform = async ({ kind, module }: DistributedTransform) => {
    try {
      registerChunkJob(kind, module);
      const loaded = await import(module) as { default?: unknown };
      if (typeof loaded.default !== 'function') throw new TypeError('it has no default export function');
    } catch (error) {
      throw new UnrecoverableError(unrecoverableReason(new InvalidArgumentError(
        `The chunk transform "${kind}" cannot run on this worker: its module ${module} does not load: ${errorMessage(error)}`)));
    }
  };

  const copyPart = async (job: Job<PartJobData>) => {
    const { source, destination, options: copyOptions, partChunks } = await parentData<CopyJobData>(job);
    if (copyOptions.transform) await useTransform(copyOptions.transform);
    const first = sum(partChunks.slice(0, job.data.part), (n) => n);
    return runPart(job, destination, async (dataset, onProgress) => {
      // The part's destination publishes nothing, and opens nothing: overwrite spares it the question.
      const progress = await copyDataset(copySource(source, connectionString), dataset, {
        ...copyOptions, overwrite: true, range: { first, end: first + partChunks[job.data.part]! },
        onProgress: (p) => onProgress(p.objectsDone / p.objectCount),
      }).finally(() => dataset.close());
      return { chunksCopied: progress.objectCount - 1, bytesCopied: progress.bytesCopied, skipped: progress.skipped };
    });
  };

  const publishCopy = async (job: Job<CopyJobData>): Promise<CopyJobResult> => {
    const source = datasetFor(copySource(job.data.source, connectionString));
    const layout = await source.open().finally(() => source.close());
    return publish(job, job.data.destination, layout, job.data.partChunks.length, (parts: (CopyPartResult & PartChunks)[]) => ({
      chunksCopied: sum(parts, (p) => p.chunksCopied), bytesCopied: sum(parts, (p) => p.bytesCopied), skipped: sum(parts, (p) => p.skipped),
    }));
  };

  const worker = new Worker(QUEUE_NAME, async (job: Job) => {
    switch (job.name) {
      case IMPORT_PART_JOB: return importPart(job as Job<PartJobData>);
      case IMPORT_JOB: return publishImport(job as Job<ImportJobData>);
      case COPY_PART_JOB: return copyPart(job as Job<PartJobData>);
      case COPY_JOB: return publishCopy(job as Job<CopyJobData>);
      default: throw new UnrecoverableError(`This rxvds worker does not know jobs of kind "${job.name}"`);
    }
  }, {
    connection: redis.connection(),
    concurrency: options.concurrency ?? 1,
    lockDuration,
    // Stalled jobs are looked for as often as a lock lasts; a job may stall (lose its worker) a few times.
    stalledInterval: lockDuration,
    maxStalledCount: 3,
  });
  // Failures are reported through the jobs; the worker itself keeps going.
  worker.on('error', () => undefined);
  const tell = (job: Job | undefined, outcome: WorkerJobEvent['outcome']) => {
    if (!job?.id || !options.onJob) return;
    const seconds = ((job.finishedOn ?? Date.now()) - (job.processedOn ?? Date.now())) / 1000;
    options.onJob({ id: job.id, name: job.name, outcome, seconds, ...(outcome === 'failed' && { reason: job.failedReason }) });
  };
  worker.on('completed', (job) => tell(job, 'completed'));
  worker.on('failed', (job) => tell(job, 'failed'));
  await worker.waitUntilReady();
  return {
    async close(force = false) {
      await worker.close(force);
      await queue.close();
      await redis.close();
    },
  };
}
