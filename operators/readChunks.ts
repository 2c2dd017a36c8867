// Chunk indices in, decoded chunks out: the source and transform stages together, shared through
// a ChunkCache so that concurrent requests for one chunk fetch and decode it once. Cache keys carry
// the chunk's hash, so a rewritten chunk is never served from a stale entry.
import { mergeMap, of, type OperatorFunction } from 'rxjs';
import type { ChunkCache } from '../src/engine/chunkCache.js';
import type { LayerReader } from '../src/engine/layerReader.js';
import { fetchChunks } from '../sources/fetchChunks.js';
import { type BytesTarget, type DecodedChunk, decodeChunks, type DecodeTarget, type DeliveredChunk, type DeliveringTarget } from './decodeChunks.js';
import { fromAbortable } from '../src/async/fromAbortable.js';

export function readChunks(reader: LayerReader, target: BytesTarget, cache?: ChunkCache): OperatorFunction<number, DecodedChunk>;
export function readChunks(reader: LayerReader, target: DeliveringTarget, cache?: ChunkCache): OperatorFunction<number, DecodedChunk | DeliveredChunk>;
export function readChunks(reader: LayerReader, target: DecodeTarget, cache?: ChunkCache): OperatorFunction<number, DecodedChunk | DeliveredChunk> {
  // A delivering target leaves delivered bytes in the worker only when no cache keeps them.
  const skip = target.skipDeliveredBytes === true && !cache?.keepsChunks;
  const decode = (chunkIndex: number, skipDeliveredBytes: boolean) =>
    of(chunkIndex).pipe(fetchChunks(reader), decodeChunks(reader, { ...target, skipDeliveredBytes } as DeliveringTarget));
  if (!cache) return mergeMap((chunkIndex) => decode(chunkIndex, skip));
  const variant = `${target.format}/${target.replacementNoValue ?? ''}/${reader.adaptiveLevel}`;
  return mergeMap((chunkIndex) => fromAbortable((signal) => reader.chunkMetadata(chunkIndex, signal)).pipe(
    mergeMap(({ hash }) => cache.get(`${reader.layer.name}/${chunkIndex}/${hash}/${variant}`, () => decode(chunkIndex, skip))),
    // `deliveredTo` may name another request's buffer (a shared decode): sinks copy unless it is
    // theirs, and a chunk that came without its bytes is decoded again for this request.
    mergeMap(({ bytes, deliveredTo }) => {
      if (bytes) return of<DecodedChunk>({ chunkIndex, bytes, deliveredTo });
      if (deliveredTo && deliveredTo === target.deliver?.(chunkIndex)?.buffer) return of<DeliveredChunk>({ chunkIndex, deliveredTo });
      return decode(chunkIndex, false);
    }),
  ));
}
