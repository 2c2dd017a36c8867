// Piscina worker entry: runs one chunk job and moves the resulting buffer back without copying.
import { move } from 'piscina';
import { type ChunkJob, executeChunkJob } from './chunkJobs.js';

export default function runJob(job: ChunkJob): unknown {
  const result = executeChunkJob(job);
  if (!(result instanceof Uint8Array)) return result;
  // Small Node buffers share a pool that must never be moved; those few bytes are copied.
  const input = job.kind === 'decode' ? job.chunk : job.payload;
  const movable = result.buffer === input.buffer || result.buffer.byteLength > Buffer.poolSize;
  return move(movable ? result : result.slice());
}
