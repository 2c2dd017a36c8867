// The coordinator of a distributed SEG-Y import: scans the file, decides the layout and the parts
// (src/segy/importParts.ts), and enqueues one BullMQ flow: a child job per part under a parent
// that publishes the dataset once every child has finished. Then it watches the flow and reports
// progress. The job id comes from the input, the output and the options, so a coordinator started
// again with the same command resumes the import it finds in Redis instead of starting another.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { Observable, ReplaySubject } from 'rxjs';
import { InvalidArgumentError, SegyFormatError, WriteError } from '../model/errors.js';
import type { ImportSegyOptions } from '../segy/importSegy.js';
import { planSegyImport } from '../segy/importParts.js';
import { vdsFileDatasetFor } from '../../sources/dataset/vdsFileDataset.js';
import { openStore } from '../../sources/stores/openStore.js';
import { redactUrl } from '../../sources/stores/redact.js';
import { isDeletable } from '../../sources/stores/store.js';
import { loadBullMQ, QUEUE_NAME, redisConnections } from './engine.js';
import {
  FORMAT_ERROR_PREFIX, IMPORT_JOB, type ImportJobData, type ImportJobResult, PART_JOB, partJobId, type PartJobData,
} from './segyJobs.js';

export interface DistributedImportOptions extends ImportSegyOptions {
  /** The Redis server of the job queue: `redis://HOST:PORT[/DB]`. */
  redis: string;
  /** Tries of a part before the import fails (default 3); a worker that dies does not use one up. */
  attempts?: number;
  /** Milliseconds between looks at the flow (default 250). */
  pollInterval?: number;
}

/** How far the whole import is: parts (and their LOD 0 chunks) finished, the rate so far, the time to go. */
export interface DistributedProgress {
  readonly partsDone: number;
  readonly parts: number;
  readonly chunksDone: number;
  readonly chunks: number;
  /** Seconds since this coordinator started watching. */
  readonly elapsed: number;
  /** Chunks per second, or undefined before the first part finished. */
  readonly rate: number | undefined;
  /** Seconds to go at that rate, or undefined. */
  readonly eta: number | undefined;
}

export interface DistributedImportResult extends ImportJobResult {
  /** The job id in Redis (the same for the same command run again). */
  readonly id: string;
  readonly parts: number;
}

export interface DistributedImport {
  readonly id: Promise<string>;
  /** Replays the latest reading to late subscribers; completes when the import does, errors when it fails. */
  readonly progress: Observable<DistributedProgress>;
  readonly result: Promise<DistributedImportResult>;
}

/** Imports `input` into `url` on the workers of the queue at `options.redis`; see startImportSegyDistributed. */
export async function importSegyDistributed(input: string, url: string, options: DistributedImportOptions): Promise<DistributedImportResult> {
  const run = startImportSegyDistributed(input, url, options);
  run.progress.subscribe({ next: (p) => options.onProgress?.(p.chunksDone / p.chunks), error: () => undefined });
  return run.result;
}

/**
 * Starts (or resumes) a distributed import. Input and output must be readable and writable by
 * every worker (object-store URLs, or paths on a shared file system; relative paths are made
 * absolute here). A `.vds` file cannot be written by many processes and is refused.
 */
export function startImportSegyDistributed(input: string, url: string, options: DistributedImportOptions): DistributedImport {
  const progress = new ReplaySubject<DistributedProgress>(1);
  let reportId: (id: string) => void = () => undefined;
  const id = new Promise<string>((ok) => { reportId = ok; });
  const result = coordinate(absolute(input), absolute(url), options, (p) => progress.next(p), reportId);
  result.then(() => progress.complete(), (error: unknown) => progress.error(error));
  return { id, progress: progress.asObservable(), result };
}

/** Local paths as absolute paths: the workers may run elsewhere in the file system. */
function absolute(location: string): string {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(location) ? location : resolve(location);
}

/** Deterministic: the same import gets the same id, whoever enqueues it. */
export function importJobId(input: string, url: string, options: DistributedImportOptions): string {
  const { redis: _redis, onProgress: _p, signal: _s, scan: _scan, pollInterval: _poll, connectionString: _c, inputConnectionString: _i, ...rest } = options;
  const digest = createHash('sha256').update(JSON.stringify({ input, url, rest })).digest('hex').slice(0, 16);
  return `${IMPORT_JOB}-${digest}`;
}

async function coordinate(input: string, url: string, options: DistributedImportOptions, report: (p: DistributedProgress) => void,
  reportId: (id: string) => void): Promise<DistributedImportResult> {
  if (vdsFileDatasetFor(url, 'create')) {
    throw new InvalidArgumentError(`${redactUrl(url)} is a .vds file, which many workers cannot write at once: import into a folder or an object-store URL`);
  }
  const { Queue, FlowProducer } = await loadBullMQ();
  const redis = await redisConnections(options.redis);
  const queue = new Queue<ImportJobData>(QUEUE_NAME, { connection: redis.connection() });
  try {
    const id = importJobId(input, url, options);
    reportId(id);
    let job = await queue.getJob(id);
    // A failed import is started afresh (the input may have been repaired since).
    if (job && await job.getState() === 'failed') {
      await job.remove({ removeChildren: true });
      job = undefined;
    }
    if (!job) {
      const plan = await planSegyImport(input, options);
      await unpublish(url, options.connectionString ?? '');
      const flows = new FlowProducer({ connection: redis.connection() });
      try {
        const attempts = options.attempts ?? 3;
        await flows.add({
          name: IMPORT_JOB, queueName: QUEUE_NAME, data: { url, plan }, opts: { jobId: id, attempts },
          children: plan.partChunks.map((_, part) => ({
            name: PART_JOB, queueName: QUEUE_NAME, data: { part },
            opts: { jobId: partJobId(id, part), attempts, backoff: { type: 'exponential', delay: 1000 }, failParentOnFailure: true },
          })),
        });
      } finally {
        await flows.close();
      }
    }
    return await watch(queue, id, options.pollInterval ?? 250, report);
  } finally {
    await queue.close();
    await redis.close();
  }
}

/** An import replaces what was at its output: the old dataset stops opening at once (its chunks are overwritten as the parts run). */
async function unpublish(url: string, connectionString: string): Promise<void> {
  const { store } = openStore(url, connectionString, 'create');
  try {
    if (isDeletable(store)) await Promise.all(['VolumeDataLayout', 'LayerStatus'].map((key) => store.delete(key).catch(() => undefined)));
  } finally {
    await store.close?.();
  }
}

type ImportQueue = import('bullmq').Queue<ImportJobData>;

async function watch(queue: ImportQueue, id: string, pollInterval: number, report: (p: DistributedProgress) => void): Promise<DistributedImportResult> {
  const start = performance.now();
  let chunksDone = 0;
  for (;;) {
    const job = await queue.getJob(id);
    if (!job) throw new WriteError(`Import ${id} is gone from the queue (removed by someone else?)`);
    const data = job.data as ImportJobData;
    const parts = data.plan.partChunks.length;
    const chunks = data.plan.partChunks.reduce((a, b) => a + b, 0);
    const state = await job.getState();
    const { processed = 0 } = await job.getDependenciesCount({ processed: true });
    const partsDone = state === 'completed' ? parts : Math.min(parts, processed);
    const elapsed = (performance.now() - start) / 1000;
    // Finished parts count at the average part's size (their results are too big to fetch here), running ones by their progress.
    const running = state === 'completed' ? 0 : (await queue.getJobs(['active']))
      .filter((j) => j.parent?.id === id && typeof j.progress === 'number')
      .reduce((sum, j) => sum + (j.progress as number) / 100 * (data.plan.partChunks[(j.data as unknown as PartJobData).part] ?? 0), 0);
    // A part taken over after its worker died starts again: the reading never goes back.
    chunksDone = Math.max(chunksDone, Math.min(chunks, Math.round(chunks * partsDone / parts + running)));
    const rate = chunksDone > 0 && elapsed > 0 ? chunksDone / elapsed : undefined;
    report({ partsDone, parts, chunksDone, chunks, elapsed, rate, eta: rate ? (chunks - chunksDone) / rate : undefined });
    if (state === 'completed') {
      const result = job.returnvalue as ImportJobResult;
      // Done and published: the flow leaves Redis, so the same command later imports again.
      await job.remove({ removeChildren: true }).catch(() => undefined);
      return { ...result, id, parts };
    }
    if (state === 'failed') throw await failure(queue, id, parts, job.failedReason);
    await new Promise((ok) => setTimeout(ok, pollInterval));
  }
}

/** The reason of the part that failed the import (a format error when its input was corrupt). */
async function failure(queue: ImportQueue, id: string, parts: number, reason: string): Promise<Error> {
  for (let part = 0; part < parts; part++) {
    const child = await queue.getJob(partJobId(id, part));
    if (!child?.failedReason || await child.getState() !== 'failed') continue;
    const message = `Distributed import ${id} failed in part ${part + 1} of ${parts}; nothing was published, the dataset does not open: `;
    return child.failedReason.startsWith(FORMAT_ERROR_PREFIX)
      ? new SegyFormatError(message + child.failedReason.slice(FORMAT_ERROR_PREFIX.length))
      : new WriteError(message + child.failedReason);
  }
  return new WriteError(`Distributed import ${id} failed; nothing was published, the dataset does not open: ${reason}`);
}
