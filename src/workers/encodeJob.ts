// The encode job: one chunk payload (channel format, margins included) serialized in a worker: a
// constant payload becomes its hash alone (format sheet 3.5), anything else goes through the
// codec of the layer's compression method (wavelet codecs also give the chunk's adaptive levels).
import type { BlockShape, ChannelValues } from '../model/block.js';
import { constantPayloadHash, isConstantPayload } from '../codecs/constant.js';
import type { EncodedChunk } from '../codecs/codec.js';
import { encodeChunk } from '../codecs/registry.js';
// Up front: a worker under tsx cannot import them lazily, and a writer of wavelet chunks needs them.
import '../codecs/waveletCodecs.js';
import type { CompressionMethod } from '../model/enums.js';
import { type ChunkJobHandler, movable } from './chunkJobs.js';

export interface EncodeJob {
  kind: 'encode';
  method: CompressionMethod;
  payload: Uint8Array;
  shape: BlockShape;
  channel: ChannelValues;
  /** The layer's effective compression tolerance (wavelet methods). */
  tolerance: number;
}

/** A constant chunk is stored as its hash alone (format sheet 3.5). */
export interface ConstantChunk {
  constantHash: bigint;
}

/** The serialized chunk (with its adaptive levels, for wavelet methods), or the constant hash that stands for it. */
export type EncodeReply = EncodedChunk | ConstantChunk;

const encode: ChunkJobHandler<EncodeJob, EncodeReply> = async (job, transfer) => {
  const constantHash = isConstantPayload(job.payload, job.shape) ? constantPayloadHash(job.payload, job.shape, job.channel) : undefined;
  if (constantHash !== undefined) return { constantHash };
  const { bytes, adaptiveLevels } = await encodeChunk(job.method, job.payload, { shape: job.shape, channel: job.channel, tolerance: job.tolerance });
  const serialized = movable(bytes, job.payload);
  transfer(serialized.buffer as ArrayBuffer);
  return adaptiveLevels ? { bytes: serialized, adaptiveLevels } : { bytes: serialized };
};
export default encode;
