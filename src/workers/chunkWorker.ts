// Piscina worker entry: runs one chunk job and moves the resulting buffer back without copying;
// a failure goes back as an error record so the main thread can rebuild its class and code.
import { move } from 'piscina';
import { type ChunkJob, type ChunkJobResult, executeChunkJob } from './chunkJobs.js';
import { toErrorRecord } from './errorTransport.js';

export default function runJob(job: ChunkJob): unknown {
  let result: ChunkJobResult;
  try {
    result = executeChunkJob(job);
  } catch (error) {
    throw toErrorRecord(error);
  }
  if (!(result instanceof Uint8Array)) return result;
  // Small Node buffers share a pool that must never be moved; those few bytes are copied.
  const input = job.kind === 'decode' ? job.chunk : job.payload;
  const movable = result.buffer === input.buffer || result.buffer.byteLength > Buffer.poolSize;
  return move(movable ? result : result.slice());
}
