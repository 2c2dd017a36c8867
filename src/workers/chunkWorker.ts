// Piscina worker entry: runs one chunk job and moves the resulting buffer back without copying;
// a failure goes back as an error record so the main thread can rebuild its class and code.
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { type ChunkJob, type ChunkJobResult, type DecodeJob, type DecodeReply, executeChunkJob } from './chunkJobs.js';
import { toErrorRecord } from './errorTransport.js';

export default function runJob(job: ChunkJob): unknown {
  let result: ChunkJobResult;
  try {
    result = executeChunkJob(job);
  } catch (error) {
    throw toErrorRecord(error);
  }
  if (!(result instanceof Uint8Array)) return result;
  if (job.kind === 'decode') return decodeReply(job, result);
  return move(movable(result, job.payload));
}

/** The block (if wanted) and the chunk's own buffer when the block does not live in it, both moved. */
function decodeReply(job: DecodeJob, block: Uint8Array): unknown {
  const input = job.chunk.buffer as ArrayBuffer;
  const bytes = job.returnBytes === false && job.deliver ? undefined : movable(block, job.chunk);
  const reply: DecodeReply = { bytes, spent: bytes?.buffer === input ? undefined : input };
  const transfer = [bytes?.buffer, reply.spent].filter((buffer) => buffer !== undefined);
  return move({ [transferableSymbol]: transfer, [valueSymbol]: reply });
}

/** Small Node buffers share a pool that must never be moved; those few bytes are copied. */
function movable(result: Uint8Array, input: Uint8Array): Uint8Array {
  return result.buffer === input.buffer || result.buffer.byteLength > Buffer.poolSize ? result : result.slice();
}
