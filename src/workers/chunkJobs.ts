// The jobs the worker pool runs, as plain functions (so tests can run them in-process too).
import type { BlockShape, ChannelValues, DecodeOptions } from '../codecs/codec.js';
import { isConstantPayload, constantPayloadHash } from '../codecs/constant.js';
import { codecFor } from '../codecs/registry.js';
import { convertBlock } from '../convert.js';
import type { CompressionMethod } from '../enums.js';

export interface DecodeJob {
  kind: 'decode';
  method: CompressionMethod;
  chunk: Uint8Array;
  options: DecodeOptions;
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

export function executeChunkJob(job: ChunkJob): ChunkJobResult {
  if (job.kind === 'decode') {
    const decoded = codecFor(job.method).decode(job.chunk, job.options);
    return decoded.converted ? decoded.bytes : convertBlock(decoded, job.options);
  }
  const constantHash = isConstantPayload(job.payload, job.shape) ? constantPayloadHash(job.payload, job.shape, job.channel) : undefined;
  if (constantHash !== undefined) return { constantHash };
  const encode = codecFor(job.method).encode;
  if (!encode) throw new Error(`Compression method ${job.method} cannot be written`);
  return encode(job.payload, job.shape);
}
