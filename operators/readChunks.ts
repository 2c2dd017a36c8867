// Chunk indices in, decoded chunks out: the source and transform stages together, shared through
// a ChunkCache so that concurrent requests for one chunk fetch and decode it once. Cache keys carry
// the chunk's hash, so a rewritten chunk is never served from a stale entry.
import { map, mergeMap, of, type OperatorFunction } from 'rxjs';
import type { ChunkCache } from '../src/engine/chunkCache.js';
import type { LayerReader } from '../src/engine/layerReader.js';
import { fetchChunks } from '../sources/chunkSource.js';
import { type DecodedChunk, decodeChunks, type DecodeTarget } from './decodeChunks.js';
import { fromAbortable } from './fromAbortable.js';

export function readChunks(reader: LayerReader, target: DecodeTarget, cache?: ChunkCache): OperatorFunction<number, DecodedChunk> {
  const decode = (chunkIndex: number) => of(chunkIndex).pipe(fetchChunks(reader), decodeChunks(reader, target));
  if (!cache) return mergeMap(decode);
  const variant = `${target.format}/${target.replacementNoValue ?? ''}/${reader.adaptiveLevel}`;
  return mergeMap((chunkIndex) => fromAbortable((signal) => reader.chunkMetadata(chunkIndex, signal)).pipe(
    mergeMap(({ hash }) => cache.get(`${reader.layer.name}/${chunkIndex}/${hash}/${variant}`, () => decode(chunkIndex))),
    // `deliveredTo` may name another request's buffer (a shared decode): sinks copy unless it is theirs.
    map(({ bytes, deliveredTo }): DecodedChunk => ({ chunkIndex, bytes, deliveredTo })),
  ));
}
