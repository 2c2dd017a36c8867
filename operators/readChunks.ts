// Chunk indices in, decoded chunks out: the one way anything reads a chunk (requests, page reads,
// Remapped boxes, prefetch). Per chunk: its metadata once (the cache key needs its hash, and the
// fetch its size and adaptive levels), then a ChunkCache shared by concurrent readers so one chunk
// is fetched and decoded once, else the fetch and the decode on the worker pool (a chunk in a
// local file is read by its worker: locateChunk); unsubscribing cancels both. Cache keys carry the
// chunk's hash, so a rewritten chunk is never served stale.
import { map, mergeMap, type Observable, type OperatorFunction } from 'rxjs';
import type { ChunkCache } from '../src/engine/chunkCache.js';
import type { LayerReader } from '../src/engine/layerReader.js';
import { locateChunk } from '../sources/fetchChunks.js';
import { type BytesTarget, type DecodedChunk, decodeChunk, type DecodeTarget, type DeliveredChunk, type DeliveringTarget } from './decodeChunks.js';
import { fromAbortable } from '../src/async/fromAbortable.js';
import { CompressionMethod } from '../src/model/enums.js';

export function readChunks(reader: LayerReader, target: BytesTarget, cache?: ChunkCache): OperatorFunction<number, DecodedChunk>;
export function readChunks(reader: LayerReader, target: DeliveringTarget, cache?: ChunkCache): OperatorFunction<number, DecodedChunk | DeliveredChunk>;
export function readChunks(reader: LayerReader, target: DecodeTarget, cache?: ChunkCache): OperatorFunction<number, DecodedChunk | DeliveredChunk> {
  return mergeMap((chunkIndex) => readChunk(reader, chunkIndex, target as DeliveringTarget, cache));
}

/** One chunk, decoded for `target` (see readChunks). Cold: nothing is read until subscribed. */
export function readChunk(reader: LayerReader, chunkIndex: number, target: BytesTarget, cache?: ChunkCache): Observable<DecodedChunk>;
export function readChunk(reader: LayerReader, chunkIndex: number, target: DeliveringTarget, cache?: ChunkCache): Observable<DecodedChunk | DeliveredChunk>;
export function readChunk(reader: LayerReader, chunkIndex: number, target: DecodeTarget, cache?: ChunkCache): Observable<DecodedChunk | DeliveredChunk> {
  return fromAbortable((signal) => reader.chunkMetadata(chunkIndex, signal)).pipe(mergeMap((metadata) => {
    const decode = (skipDeliveredBytes: boolean) => fromAbortable(async (signal) =>
      decodeChunk(reader, await locateChunk(reader, chunkIndex, signal, metadata), { ...target, skipDeliveredBytes } as DeliveringTarget, signal));
    // A delivering target leaves delivered bytes in the worker unless the cache keeps them.
    if (!cache) return decode(target.skipDeliveredBytes === true);
    const variant = `${target.format}/${target.replacementNoValue ?? ''}/${reader.adaptiveLevel}`;
    return cache.get(`${reader.layer.name}/${chunkIndex}/${metadata.hash}/${variant}`, (keep) => decode(target.skipDeliveredBytes === true && !keep),
      worthKeeping(reader)).pipe(
      // A kept or shared chunk comes with its bytes (`deliveredTo` may name another request's
      // buffer: destinations copy unless it is theirs); one decoded for this request alone was delivered.
      map(({ bytes, deliveredTo }) => (bytes ? { chunkIndex, bytes, deliveredTo } : { chunkIndex, deliveredTo: deliveredTo! })),
    );
  }));
}

/**
 * Whether keeping a layer's decoded chunks saves anything: not for uncompressed chunks in local
 * files, which a worker reads again from the file system's cache faster than a kept copy comes
 * back from the main thread (it would move there, and the worker allocate a new read buffer).
 * Concurrent reads of such a chunk still share one decode.
 */
function worthKeeping(reader: LayerReader): boolean {
  return !(reader.compressionMethod === CompressionMethod.None && reader.dataset.localFiles === true);
}
