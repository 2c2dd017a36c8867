// Transform operator: chunk objects in, blocks in the requested format out. Decoding and value
// conversion run on the worker pool; the chunk bytes are moved there, never copied.
import { mergeMap, type OperatorFunction } from 'rxjs';
import type { DecodeOptions } from '../src/model/block.js';
import { CompressionMethod, isWaveletCompression, type VolumeDataFormat } from '../src/model/enums.js';
import { constantBlock } from '../src/codecs/constantBlock.js';
import type { LayerReader } from '../src/engine/layerReader.js';
import { BEST_QUALITY } from '../src/model/adaptiveLevels.js';
import { CanceledError, ChunkFormatError, errorMessage, ReadError, StoreError } from '../src/model/errors.js';
import type { DecodedChunk, DeliveredChunk } from '../src/engine/chunkDestination.js';
import type { DecodeJob, DecodeReply, Delivery } from '../src/workers/decodeJob.js';
import { chunkBuffers, ownedBytes } from '../src/workers/chunkBuffers.js';
import { chunkPool } from '../src/workers/pool.js';
import { fetchChunk, type FetchedChunk } from '../sources/fetchChunks.js';
import { fromAbortable } from '../src/async/fromAbortable.js';
import { deliverHere } from './deliverHere.js';

export type { DecodedChunk, DeliveredChunk };

export interface DecodeTarget {
  format: VolumeDataFormat;
  replacementNoValue?: number;
  /**
   * Where the worker that decodes a chunk delivers it itself (a destination's `deliveryFor`): opaque
   * here, it travels with the chunk's job.
   */
  deliver?: (chunkIndex: number) => Delivery | undefined;
  /**
   * Nothing but the destination needs a delivered chunk: its decoded bytes stay in the worker
   * (no 1 MB buffer per chunk for the main thread to collect) and it comes out as a DeliveredChunk.
   */
  skipDeliveredBytes?: boolean;
  /** The request's uncompressed local chunks are read and copied on the calling thread (servesHere). */
  here?: boolean;
}

/** A target whose delivered chunks come back without their bytes. */
export type DeliveringTarget = DecodeTarget & { skipDeliveredBytes: true };
/** A target whose chunks all come back with their bytes. */
export type BytesTarget = DecodeTarget & { skipDeliveredBytes?: false };

export function decodeChunks(reader: LayerReader, target: BytesTarget): OperatorFunction<FetchedChunk, DecodedChunk>;
export function decodeChunks(reader: LayerReader, target: DeliveringTarget): OperatorFunction<FetchedChunk, DecodedChunk | DeliveredChunk>;
export function decodeChunks(reader: LayerReader, target: DecodeTarget): OperatorFunction<FetchedChunk, DecodedChunk | DeliveredChunk> {
  return mergeMap((fetched) => fromAbortable((signal) => decodeChunk(reader, fetched, target as DeliveringTarget, signal)));
}

/**
 * Decodes one fetched chunk: on the worker pool, or from its hash alone. Every path that reads a
 * chunk decodes it here, so a failing chunk gives the same error class, code and message on each.
 */
export async function decodeChunk(reader: LayerReader, fetched: FetchedChunk, target: BytesTarget, signal?: AbortSignal): Promise<DecodedChunk>;
export async function decodeChunk(reader: LayerReader, fetched: FetchedChunk, target: DeliveringTarget, signal?: AbortSignal): Promise<DecodedChunk | DeliveredChunk>;
export async function decodeChunk(reader: LayerReader, fetched: FetchedChunk, target: DecodeTarget, signal?: AbortSignal): Promise<DecodedChunk | DeliveredChunk> {
  const { chunkIndex, file } = fetched;
  const options = decodeOptions(reader, chunkIndex, target);
  if (!fetched.bytes && !file) return { chunkIndex, bytes: constantBlock(fetched.metadata.hash, options, reader.layer.chunkVoxelCount(chunkIndex)) };
  // A pooled read buffer moves to the worker whole; it comes back as `spent` unless the block lives in it.
  const chunk = !fetched.bytes || chunkBuffers.issuedBuffer(fetched.bytes.buffer) ? fetched.bytes : ownedBytes(fetched.bytes);
  const deliver = target.deliver?.(chunkIndex);
  const returnBytes = !(deliver && target.skipDeliveredBytes);
  if (file && target.here && !returnBytes && deliver.kind === 'subset') {
    try {
      if (deliverHere(reader, file, options, deliver)) return { chunkIndex, deliveredTo: deliver.buffer };
    } catch (error) {
      throw chunkDecodeError(error, reader, chunkIndex);
    }
  }
  let reply: DecodeReply;
  try {
    reply = await chunkPool().run({ kind: decodeJobKind(reader.compressionMethod), method: reader.compressionMethod, chunk, file, options, deliver, returnBytes },
      chunk ? [chunk.buffer] : [], signal);
  } catch (error) {
    throw chunkDecodeError(error, reader, chunkIndex);
  }
  const { bytes, spent, unread } = reply;
  // The worker found the file missing or short: fetch it here, which says what is wrong.
  if (unread) return decodeChunk(reader, await fetchChunk(reader, chunkIndex, signal, fetched.metadata), target as DeliveringTarget, signal);
  if (spent) chunkBuffers.give(spent);
  // The worker leaves out the bytes only of a delivered chunk, and only when asked to.
  return bytes ? { chunkIndex, bytes, deliveredTo: deliver?.buffer } : { chunkIndex, deliveredTo: deliver!.buffer };
}

/** The decode job of a method's chunks: the wavelet codecs load only in workers that meet them. */
export function decodeJobKind(method: CompressionMethod): DecodeJob['kind'] {
  return isWaveletCompression(method) ? 'decodeWavelet' : 'decode';
}

/**
 * A decode failure named after its chunk object. A ReadError keeps its class and code (100 for an
 * invalid wavelet header); anything else a decoder throws on bad bytes is a ChunkFormatError.
 */
function chunkDecodeError(error: unknown, reader: LayerReader, chunkIndex: number): Error {
  if (error instanceof CanceledError) return error;
  const message = `Cannot decode chunk ${reader.layer.name}/${chunkIndex} of ${reader.dataset.description}: ${errorMessage(error)}`;
  const ErrorClass = error instanceof StoreError ? StoreError
    : error instanceof ReadError && !(error instanceof ChunkFormatError) ? ReadError : ChunkFormatError;
  return new ErrorClass(message, error instanceof ReadError ? error.code : -1, { cause: error });
}

function decodeOptions(reader: LayerReader, chunkIndex: number, target: DecodeTarget): DecodeOptions {
  return {
    shape: reader.layer.blockShape(chunkIndex),
    channel: reader.channelValues,
    targetFormat: target.format,
    replacementNoValue: target.replacementNoValue,
    // A coarser adaptive level reads a prefix of the chunk, which never holds the lossless block.
    lossless: reader.adaptiveLevel === BEST_QUALITY && (reader.compressionMethod === CompressionMethod.WaveletLossless ||
      reader.compressionMethod === CompressionMethod.WaveletNormalizeBlockLossless),
    adaptiveLevel: Math.max(0, reader.adaptiveLevel),
  };
}
