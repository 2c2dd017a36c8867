// The worker pool that runs chunk jobs (decode, encode, decimate, and kinds of one's own) off the
// main thread. Jobs wait in the pool's own queue and reach a thread only when one can take them,
// so cancelling a job that has not started simply drops it; a job already running finishes (a
// chunk takes milliseconds) and its result is discarded. Terminating the thread instead would lose
// a warm worker. The threads are Piscina's in Node and Web Workers in a browser (threads.ts). One
// pool serves by default (`chunkPool()`, sized by RXVDS_WORKERS in Node); a ChunkPool of one's own
// can be passed wherever a pool is taken.
import { throwIfAborted } from '../async/abort.js';
import { CanceledError, InvalidArgumentError } from '../model/errors.js';
import { type ChunkJob, chunkJobModule } from './chunkJobs.js';
import type { DecimateJob, DecimateReply } from './decimateJob.js';
import type { DecodeJob, DecodeReply } from './decodeJob.js';
import type { EncodeJob, EncodeReply } from './encodeJob.js';
import type { BatchJob, BatchReply, WarmJob, WorkerTask } from './jobRunner.js';
import { fromErrorRecord } from './errorTransport.js';
import { ownedBytes } from './chunkBuffers.js';
import type { Decimate } from '../engine/lodPyramid.js';
import type { PoolThreads } from './poolThreads.js';
import { createThreads, defaultWorkerCount } from './threads.js';

export interface ChunkPoolOptions {
  /** Worker threads: RXVDS_WORKERS if set (Node), else one per core. */
  workers?: number;
}

export interface ChunkPoolStats {
  workers: number;
  /** Worker threads running now (they start with the first jobs, or `warm`, and exit when idle). */
  started: number;
  /** Jobs waiting in the pool's queue. */
  queued: number;
  /** Jobs handed to workers and not finished (a cancelled one stays until its worker is done with it). */
  running: number;
}

export interface ChunkJobRunOptions {
  /**
   * Queue the job ahead of the others waiting (after earlier such jobs): for short jobs that other
   * work waits on, such as a decimation that a chunk's encode and its parent's write wait for.
   */
  ahead?: boolean;
}

interface QueuedJob {
  task: WorkerTask;
  transfer: ArrayBufferLike[];
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/**
 * Most jobs one task carries. A chunk takes about a millisecond, so a worker's last batch ends soon
 * after the others. 8 rather than 4, with enough chunks in flight to fill such batches (32 by
 * default, engineOptions.ts), made whole-volume uncompressed reads 8–10 % faster on 2 cores (half
 * the messages) and changed no other read by more than noise.
 */
const MAX_BATCH = 8;

/** Worker threads of the process-wide pool: RXVDS_WORKERS (Node), or one per core. */
export function workerCount(): number {
  return defaultWorkerCount();
}

export class ChunkPool {
  readonly workers: number;
  private threads: PoolThreads | undefined;
  private readonly queue: QueuedJob[] = [];
  /** Jobs run with `ahead`: they start before anything in `queue`. */
  private readonly aheadQueue: QueuedJob[] = [];
  /** Jobs handed to workers and not finished. */
  private running = 0;
  /** Tasks (single jobs or batches) handed to workers and not finished. */
  private tasks = 0;

  /** `makeThreads`: where the jobs run, by default the platform's threads (tests give their own). */
  constructor(options: ChunkPoolOptions = {}, private readonly makeThreads: (workers: number) => PoolThreads = createThreads) {
    const workers = options.workers ?? workerCount();
    if (!Number.isInteger(workers) || workers < 1) throw new InvalidArgumentError(`A chunk pool needs a positive integer number of workers, got ${workers}`);
    this.workers = workers;
  }

  /**
   * Runs a job in a worker; `transfer` buffers are moved, not copied. Aborting drops a job that has
   * not started, and rejects with CanceledError at once either way.
   */
  run(job: DecodeJob, transfer?: ArrayBufferLike[], signal?: AbortSignal, options?: ChunkJobRunOptions): Promise<DecodeReply>;
  run(job: EncodeJob, transfer?: ArrayBufferLike[], signal?: AbortSignal, options?: ChunkJobRunOptions): Promise<EncodeReply>;
  run(job: DecimateJob, transfer?: ArrayBufferLike[], signal?: AbortSignal, options?: ChunkJobRunOptions): Promise<DecimateReply>;
  /** A job of a kind of one's own resolves to what its handler returned. */
  run<J extends ChunkJob>(job: J, transfer?: ArrayBufferLike[], signal?: AbortSignal, options?: ChunkJobRunOptions): Promise<unknown>;
  async run(job: ChunkJob, transfer: ArrayBufferLike[] = [], signal?: AbortSignal, options: ChunkJobRunOptions = {}): Promise<unknown> {
    throwIfAborted(signal);
    const task: WorkerTask = { module: chunkJobModule(job.kind), job };
    const queue = options.ahead ? this.aheadQueue : this.queue;
    return new Promise<unknown>((resolve, reject) => {
      const onAbort = () => {
        const at = queue.indexOf(queued);
        if (at >= 0) queue.splice(at, 1);
        reject(new CanceledError());
      };
      const settle = <T>(done: (value: T) => void) => (value: T) => {
        signal?.removeEventListener('abort', onAbort);
        done(value);
      };
      const queued: QueuedJob = { task, transfer, resolve: settle(resolve), reject: settle(reject) };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(queued);
      this.startQueued();
    });
  }

  /**
   * Starts every worker and loads the job of `kind` in it (the decode job by default), unless they
   * run already: what a cold process would otherwise wait for (thread start-up, module loading)
   * on its first chunks. Not counted in `stats`; resolves once every worker is ready.
   */
  async warm(kind = 'decode'): Promise<void> {
    const threads = (this.threads ??= this.makeThreads(this.workers));
    if (threads.started() >= this.workers) return;
    const warmJob: WarmJob = { kind: 'warm', warms: kind };
    const task: WorkerTask = { module: chunkJobModule(kind), job: warmJob };
    // As many at once as there are workers: both kinds of threads start one for each job no idle one can take.
    await Promise.all(Array.from({ length: this.workers }, () => threads.run(task, []).catch(() => undefined)));
  }

  stats(): ChunkPoolStats {
    return { workers: this.workers, started: this.threads?.started() ?? 0, queued: this.aheadQueue.length + this.queue.length, running: this.running };
  }

  /** Stops the workers (tests and the CLI use it to exit promptly); a later job starts fresh ones. */
  async destroy(): Promise<void> {
    const closing = this.threads;
    this.threads = undefined;
    await closing?.destroy();
  }

  /**
   * Two tasks per worker are handed over at once, so a worker never waits for the main thread.
   * When more jobs wait than that, a task carries several (up to MAX_BATCH): every message wakes
   * a thread, and on a machine with as many workers as cores each wake-up costs a context switch.
   */
  private startQueued(): void {
    for (let waiting = this.aheadQueue.length + this.queue.length; this.tasks < this.workers * 2 && waiting > 0;) {
      const size = Math.min(MAX_BATCH, Math.ceil(waiting / (this.workers * 2 - this.tasks)));
      const jobs = Array.from({ length: size }, () => this.aheadQueue.shift() ?? this.queue.shift()!);
      waiting -= size;
      this.tasks++;
      this.running += size;
      const threads = (this.threads ??= this.makeThreads(this.workers));
      const settled = size === 1 ? this.runOne(threads, jobs[0]!) : this.runBatch(threads, jobs);
      void settled.finally(() => {
        this.tasks--;
        this.running -= size;
        this.startQueued();
      });
    }
  }

  private runOne(threads: PoolThreads, job: QueuedJob): Promise<void> {
    return threads.run(job.task, job.transfer as ArrayBuffer[]).then(job.resolve, (error: unknown) => job.reject(fromErrorRecord(error)));
  }

  private runBatch(threads: PoolThreads, jobs: QueuedJob[]): Promise<void> {
    const batch: BatchJob = { kind: 'batch', tasks: jobs.map((job) => job.task) };
    return threads.run({ module: '', job: batch }, jobs.flatMap((job) => job.transfer) as ArrayBuffer[]).then(
      (replies) => (replies as BatchReply).forEach((reply, i) => {
        if ('error' in reply) jobs[i]!.reject(fromErrorRecord(reply.error));
        else jobs[i]!.resolve(reply.result);
      }),
      (error: unknown) => jobs.forEach((job) => job.reject(fromErrorRecord(error))),
    );
  }
}

let shared: ChunkPool | undefined;

/** The process-wide pool every dataset uses unless given another. */
export function chunkPool(): ChunkPool {
  return shared ??= new ChunkPool();
}

/** Stops the process-wide pool's workers (tests and the CLI use it to exit promptly). */
export async function destroyChunkPool(): Promise<void> {
  await shared?.destroy();
}

/**
 * The pyramid's decimations as jobs on `pool`. They take no signal: a job dropped after its blocks
 * were moved would lose the parent under construction, and a decimation takes a millisecond.
 */
export function decimateOn(pool: ChunkPool): Decimate {
  return (decimation) => {
    const parent = ownedBytes(decimation.parent.bytes), child = ownedBytes(decimation.child.bytes);
    const job: DecimateJob = { ...decimation, kind: 'decimate', parent: { ...decimation.parent, bytes: parent }, child: { ...decimation.child, bytes: child } };
    // Ahead of queued encodes: the child's own encode and its parent's completion wait for it.
    return pool.run(job, [parent.buffer, child.buffer], undefined, { ahead: true });
  };
}
