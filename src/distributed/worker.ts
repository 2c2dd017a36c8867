// `rxvds worker`: takes jobs off the queue, any number of them on any number of machines. A part
// writes its chunks (through the dataset layer) and returns their records; the final job of an
// import publishes the dataset from those records once every part has finished. A worker that
// dies (kill -9, a lost machine) stops renewing its job's lock; after `lockDuration` BullMQ's
// stalled-job check hands the job to another worker, which writes the part again from the start.
import { SegyFormatError } from '../model/errors.js';
import { importSegyPart, type PartResult, planLayout } from '../segy/importParts.js';
import { openStore } from '../../sources/stores/openStore.js';
import { loadBullMQ, QUEUE_NAME, redisConnections } from './engine.js';
import { type PartChunks, PartDataset, publishParts } from './partDataset.js';
import {
  FORMAT_ERROR_PREFIX, IMPORT_JOB, type ImportJobData, type ImportJobResult, PART_JOB, type PartJobData,
} from './segyJobs.js';
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
}

export interface DistributedWorker {
  /** Stops taking jobs; with `force`, abandons the running one (another worker takes it over once its lock expires). */
  close(force?: boolean): Promise<void>;
}

type PartOutput = PartResult & PartChunks;

const DEFAULT_LOCK_MS = 30_000;

export async function startWorker(redisUrl: string, options: WorkerOptions = {}): Promise<DistributedWorker> {
  const { Worker, Queue, Job, UnrecoverableError } = await loadBullMQ();
  const redis = await redisConnections(redisUrl);
  const queue = new Queue(QUEUE_NAME, { connection: redis.connection() });
  const lockDuration = options.lockDuration ?? DEFAULT_LOCK_MS;

  /** The import a part belongs to: its parent's data (the plan), read once per import. */
  const imports = new Map<string, Promise<ImportJobData>>();
  const importOf = (job: Job): Promise<ImportJobData> => {
    const parentId = job.parent?.id;
    if (!parentId) throw new UnrecoverableError(`Job ${job.id} (${job.name}) belongs to no import`);
    let data = imports.get(parentId);
    if (!data) {
      data = Job.fromId<ImportJobData>(queue, parentId).then((parent) => {
        if (!parent) throw new UnrecoverableError(`Job ${job.id}: its import ${parentId} is gone from the queue`);
        return parent.data;
      });
      // A worker lives long: keep the plans of the last few imports only.
      if (imports.size >= 4) imports.delete(imports.keys().next().value!);
      imports.set(parentId, data);
    }
    return data;
  };

  const runPart = async (job: Job<PartJobData>): Promise<PartOutput> => {
    const { url, plan } = await importOf(job);
    const dataset = new PartDataset(openStore(url, options.connectionString ?? '', 'create').store);
    let reported = 0;
    try {
      const result = await importSegyPart(plan, dataset, job.data.part, {
        inputConnectionString: options.inputConnectionString,
        onProgress: (fraction) => {
          const percent = Math.floor(fraction * 100);
          if (percent > reported) void job.updateProgress(reported = percent).catch(() => undefined);
        },
      });
      return { ...result, ...dataset.records() };
    } catch (error) {
      // Corrupt input fails the same way on every try: fail the import now, naming the traces.
      if (error instanceof SegyFormatError) throw new UnrecoverableError(`${FORMAT_ERROR_PREFIX}${error.message}`);
      throw error;
    }
  };

  const publish = async (job: Job<ImportJobData>): Promise<ImportJobResult> => {
    const start = performance.now();
    const parts = Object.values(await job.getChildrenValues<PartOutput>());
    const expected = job.data.plan.partChunks.length;
    if (parts.length !== expected) throw new UnrecoverableError(`Import ${job.id}: ${parts.length} of its ${expected} parts returned chunks`);
    await publishParts(openStore(job.data.url, options.connectionString ?? '', 'create').store, planLayout(job.data.plan), parts);
    const sum = (key: keyof PartResult) => parts.reduce((total, part) => total + part[key], 0);
    return {
      tracesWritten: sum('tracesWritten'), tracesIgnored: sum('tracesIgnored'), chunksWritten: sum('chunksWritten'),
      publishSeconds: (performance.now() - start) / 1000,
    };
  };

  const worker = new Worker(QUEUE_NAME, async (job: Job) => {
    switch (job.name) {
      case PART_JOB: return runPart(job as Job<PartJobData>);
      case IMPORT_JOB: return publish(job as Job<ImportJobData>);
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
  await worker.waitUntilReady();
  return {
    async close(force = false) {
      await worker.close(force);
      await queue.close();
      await redis.close();
    },
  };
}
