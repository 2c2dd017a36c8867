// The encode job: one chunk payload (channel format, margins included) serialized in a worker: a
// constant payload becomes its hash alone (format sheet 3.5), anything else goes through the
// codec of the layer's compression method.
import type { BlockShape, ChannelValues } from '../model/block.js';
import { constantPayloadHash, isConstantPayload } from '../codecs/constant.js';
import { codecFor } from '../codecs/registry.js';
import { CompressionMethod } from '../model/enums.js';
import { InvalidArgumentError } from '../model/errors.js';
import { type ChunkJobHandler, movable } from './chunkJobs.js';

export interface EncodeJob {
  kind: 'encode';
  method: CompressionMethod;
  payload: Uint8Array;
  shape: BlockShape;
  channel: ChannelValues;
}

/** A constant chunk is stored as its hash alone (format sheet 3.5). */
export interface ConstantChunk {
  constantHash: bigint;
}

/** The serialized chunk, or the constant hash that stands for it. */
export type EncodeReply = Uint8Array | ConstantChunk;

const encode: ChunkJobHandler<EncodeJob, EncodeReply> = (job, transfer) => {
  const constantHash = isConstantPayload(job.payload, job.shape) ? constantPayloadHash(job.payload, job.shape, job.channel) : undefined;
  if (constantHash !== undefined) return { constantHash };
  const serialize = codecFor(job.method).encode;
  if (!serialize) throw new InvalidArgumentError(`Compression method ${CompressionMethod[job.method] ?? job.method} cannot be written`);
  const serialized = movable(serialize(job.payload, job.shape), job.payload);
  transfer(serialized.buffer as ArrayBuffer);
  return serialized;
};
export default encode;
