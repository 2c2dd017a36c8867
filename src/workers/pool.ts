// The Piscina pool that runs chunk decode and encode jobs off the main thread. Jobs wait in our own
// queue and reach Piscina only when a worker can take them, so cancelling a job that has not
// started simply drops it; a job already running finishes (a chunk takes milliseconds) and its
// result is discarded. Piscina's own abort would terminate the worker thread instead.
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { CanceledError } from '../model/errors.js';
import type { ChunkJob, ChunkReply } from './chunkJobs.js';
import { fromErrorRecord } from './errorTransport.js';

// Same extension as this module: `.ts` when run through tsx, `.js` from the built package.
const workerFile = new URL(`./chunkWorker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

interface QueuedJob {
  job: ChunkJob;
  transfer: ArrayBufferLike[];
  signal?: AbortSignal;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

let shared: Piscina | undefined;
const queue: QueuedJob[] = [];
let running = 0;
let jobsInFlight = 0;

export function workerCount(): number {
  const fromEnv = Number(process.env.RXVDS_WORKERS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.max(1, availableParallelism());
}

/** Jobs handed to Piscina at once: two per worker, so a worker never waits for the main thread. */
function runningLimit(): number {
  return workerCount() * 2;
}

function pool(): Piscina {
  if (!shared) {
    const created = new Piscina({ filename: workerFile.href, minThreads: 0, maxThreads: workerCount(), idleTimeout: 2000 });
    // A worker that fails to load would otherwise crash the process; its jobs reject, the next ones get a fresh pool.
    created.on('error', () => {
      if (shared === created) shared = undefined;
      void created.destroy();
    });
    shared = created;
  }
  return shared;
}

/** Runs a job on the pool; `transfer` buffers are moved, not copied. Aborting drops a job that has not started. */
export function runChunkJob<J extends ChunkJob>(job: J, transfer: ArrayBufferLike[], signal?: AbortSignal): Promise<ChunkReply<J>> {
  if (signal?.aborted) return Promise.reject(new CanceledError());
  jobsInFlight++;
  return new Promise<ChunkReply<J>>((resolve, reject) => {
    const queued: QueuedJob = { job, transfer, signal, resolve: resolve as (result: unknown) => void, reject };
    signal?.addEventListener('abort', () => {
      const at = queue.indexOf(queued);
      if (at >= 0) {
        queue.splice(at, 1);
        jobsInFlight--;
      }
      reject(new CanceledError());
    }, { once: true });
    queue.push(queued);
    startQueued();
  });
}

function startQueued(): void {
  while (running < runningLimit() && queue.length > 0) {
    const next = queue.shift()!;
    running++;
    pool().run(next.job, { transferList: next.transfer as ArrayBuffer[] }).then(next.resolve, (error: unknown) => next.reject(fromErrorRecord(error))).finally(() => {
      running--;
      jobsInFlight--;
      startQueued();
    });
  }
}

/** Jobs submitted and not yet settled (queued or running): 0 once canceled work has drained. */
export function chunkJobsInFlight(): number {
  return jobsInFlight;
}

/** Stops the workers (tests and CLI use it to exit promptly). */
export async function destroyChunkPool(): Promise<void> {
  const closing = shared;
  shared = undefined;
  await closing?.destroy();
}
