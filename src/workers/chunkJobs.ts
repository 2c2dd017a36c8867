// The jobs the worker pool runs, as plain functions (so tests can run them in-process too).
import type { BlockShape, ChannelValues, DecodeOptions } from '../model/block.js';
import { isConstantPayload, constantPayloadHash } from '../codecs/constant.js';
import { codecFor } from '../codecs/registry.js';
import { convertBlock } from '../model/convert.js';
import { CompressionMethod } from '../model/enums.js';
import { InvalidArgumentError } from '../model/errors.js';
import { throughGate } from '../engine/deliveryGate.js';
import { copyShare, type SubsetDelivery } from '../engine/subsetDestination.js';
import { type SampleDelivery, sampleShare } from '../engine/sampleDestination.js';

/** Where a worker delivers a decoded chunk itself: a subset's share of it, or the samples it serves. */
export type Delivery = SubsetDelivery | SampleDelivery;

export interface DecodeJob {
  kind: 'decode';
  method: CompressionMethod;
  chunk: Uint8Array;
  options: DecodeOptions;
  /** Also deliver the decoded chunk straight into its request's shared destination (behind the destination's gate). */
  deliver?: Delivery;
  /** False when the caller needs only the delivery: the decoded block then stays in the worker. */
  returnBytes?: boolean;
}

/** A decode job's reply. */
export interface DecodeReply {
  /** The block in the target format, unless the job said not to return it. */
  bytes?: Uint8Array;
  /** The chunk object's buffer, back for reuse when the reply's block does not live in it. */
  spent?: ArrayBuffer;
}

export interface EncodeJob {
  kind: 'encode';
  method: CompressionMethod;
  payload: Uint8Array;
  shape: BlockShape;
  channel: ChannelValues;
}

export type ChunkJob = DecodeJob | EncodeJob;

/** A constant chunk is stored as its hash alone (format sheet 3.5). */
export interface ConstantChunk {
  constantHash: bigint;
}

/** Decode: the block in the target format. Encode: the serialized chunk, or its constant hash. */
export type ChunkJobResult = Uint8Array | ConstantChunk;

/** What a job run on the pool resolves to (the worker wraps a decoded block in a DecodeReply). */
export type ChunkReply<J extends ChunkJob> = J extends DecodeJob ? DecodeReply : ChunkJobResult;

export function executeChunkJob(job: ChunkJob): ChunkJobResult {
  if (job.kind === 'decode') {
    const decoded = codecFor(job.method).decode(job.chunk, job.options);
    const bytes = decoded.converted ? decoded.bytes : convertBlock(decoded, job.options);
    const deliver = job.deliver;
    if (deliver) {
      throughGate(deliver.gate, () => (deliver.kind === 'samples' ? sampleShare(bytes, deliver) : copyShare(bytes, deliver)));
    }
    return bytes;
  }
  const constantHash = isConstantPayload(job.payload, job.shape) ? constantPayloadHash(job.payload, job.shape, job.channel) : undefined;
  if (constantHash !== undefined) return { constantHash };
  const encode = codecFor(job.method).encode;
  if (!encode) throw new InvalidArgumentError(`Compression method ${CompressionMethod[job.method] ?? job.method} cannot be written`);
  return encode(job.payload, job.shape);
}
