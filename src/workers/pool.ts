// The Piscina pool that runs chunk decode and encode jobs off the main thread.
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { ChunkJob, ChunkJobResult } from './chunkJobs.js';

// Same extension as this module: `.ts` when run through tsx, `.js` from the built package.
const workerFile = new URL(`./chunkWorker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

let shared: Piscina | undefined;
let poolError: Error | undefined;
let jobsInFlight = 0;

export function workerCount(): number {
  const fromEnv = Number(process.env.RXVDS_WORKERS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.max(1, availableParallelism());
}

function pool(): Piscina {
  if (!shared) {
    shared = new Piscina({
      filename: workerFile.href,
      minThreads: 0,
      maxThreads: workerCount(),
      idleTimeout: 2000,
      // The queue is bounded by the requests' own in-flight limits.
      maxQueue: 'auto',
    });
    // A worker that fails to load would otherwise crash the process.
    shared.on('error', (error: Error) => { poolError = error; });
  }
  return shared;
}

/** Runs a job on the pool; `transfer` buffers are moved, not copied. Aborting drops a queued job. */
export async function runChunkJob(job: ChunkJob, transfer: ArrayBufferLike[], signal?: AbortSignal): Promise<ChunkJobResult> {
  if (poolError) throw poolError;
  jobsInFlight++;
  try {
    return await pool().run(job, { transferList: transfer as ArrayBuffer[], signal });
  } finally {
    jobsInFlight--;
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
