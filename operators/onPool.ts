// Transform operator: each item becomes a chunk job run on the worker pool (a kind registered with
// registerChunkJob, the library's own or one's own), and comes out as the job's reply. The job's
// buffers are moved to the worker, never copied; unsubscribing drops jobs that have not started.
// Put it inside `inFlight(n, …)` to bound the items in flight.
import { mergeMap, type OperatorFunction } from 'rxjs';
import { fromAbortable } from '../src/async/fromAbortable.js';
import type { ChunkJob } from '../src/workers/chunkJobs.js';
import { chunkPool, type ChunkPool } from '../src/workers/pool.js';

/** A job for the pool, with the buffers to move there. */
export interface PoolJob {
  job: ChunkJob;
  transfer?: ArrayBufferLike[];
}

export function onPool<T, R>(toJob: (item: T) => PoolJob, pool: ChunkPool = chunkPool()): OperatorFunction<T, R> {
  return mergeMap((item: T) => fromAbortable((signal) => {
    const { job, transfer } = toJob(item);
    return pool.run(job, transfer, signal) as Promise<R>;
  }));
}
