// The jobs the worker pool runs, as plain functions (so tests can run them in-process too).
import type { BlockShape, ChannelValues, DecodeOptions } from '../model/block.js';
import type { ChunkCopy } from '../engine/subsetPlan.js';
import { isConstantPayload, constantPayloadHash } from '../codecs/constant.js';
import { codecFor } from '../codecs/registry.js';
import { convertBlock } from '../model/convert.js';
import { CompressionMethod, VolumeDataFormat } from '../model/enums.js';
import { InvalidArgumentError } from '../model/errors.js';
import { copyBitBox, copyBox } from '../engine/boxCopy.js';
import { throughGate } from '../engine/deliveryGate.js';
import { formatByteSize } from '../model/formats.js';
import { deliverSamples, type SampleDelivery } from './sampleDelivery.js';

export interface DecodeJob {
  kind: 'decode';
  method: CompressionMethod;
  chunk: Uint8Array;
  options: DecodeOptions;
  /** Also copy the decoded chunk's share of a subset, or its interpolated samples, straight into a shared destination. */
  deliver?: Delivery | SampleDelivery;
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

/** Where a decoded chunk lands in a request buffer that workers can write (a SharedArrayBuffer). */
export interface Delivery {
  buffer: SharedArrayBuffer;
  byteOffset: number;
  byteLength: number;
  copy: ChunkCopy;
  outSize: readonly number[];
  /** Closed by the request when it ends: no copy may start after that. */
  gate: Int32Array;
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
      throughGate(deliver.gate, () => ('sampling' in deliver ? deliverSamples(bytes, deliver)
        : deliverChunk(bytes, deliver, job.options.targetFormat, job.options.shape.components)));
    }
    return bytes;
  }
  const constantHash = isConstantPayload(job.payload, job.shape) ? constantPayloadHash(job.payload, job.shape, job.channel) : undefined;
  if (constantHash !== undefined) return { constantHash };
  const encode = codecFor(job.method).encode;
  if (!encode) throw new InvalidArgumentError(`Compression method ${CompressionMethod[job.method] ?? job.method} cannot be written`);
  return encode(job.payload, job.shape);
}

/** Copies a decoded chunk's share of a subset into the destination (format sheet 5.2). */
export function deliverChunk(bytes: Uint8Array, delivery: Delivery, format: VolumeDataFormat, components: number): void {
  const { copy, outSize } = delivery;
  const out = new Uint8Array(delivery.buffer, delivery.byteOffset, delivery.byteLength);
  if (format === VolumeDataFormat.Format_1Bit) {
    copyBitBox({ bytes, size: copy.chunkSize, rowBits: Math.ceil(copy.chunkSize[0] / 8) * 8 }, copy.chunkStart,
      { bytes: out, size: outSize, rowBits: outSize[0]! }, copy.outStart, copy.count);
  } else {
    copyBox({ bytes, size: copy.chunkSize }, copy.chunkStart, { bytes: out, size: outSize }, copy.outStart, copy.count,
      formatByteSize(format) * components);
  }
}
