// Source operator: chunk indices in, chunk objects out. Constant, no-value and never-written
// chunks are answered from the metadata pages without touching the chunk object.
import { mergeMap, type OperatorFunction } from 'rxjs';
import { isConstantHash, isNoValueHash } from '../src/codecs/volumeDataHash.js';
import type { ChunkMetadata } from './dataset/chunkMetadataPages.js';
import type { LayerReader } from '../src/engine/layerReader.js';
import { adaptivePrefixSize, BEST_QUALITY } from '../src/model/adaptiveLevels.js';
import { StoreError } from '../src/model/errors.js';
import { chunkBuffers } from '../src/workers/chunkBuffers.js';
import { fromAbortable } from '../src/async/fromAbortable.js';
import { throwIfAborted } from '../src/async/abort.js';

export interface FetchedChunk {
  chunkIndex: number;
  metadata: ChunkMetadata;
  /** The serialized chunk; absent when the hash alone defines the data. */
  bytes?: Uint8Array;
}

export function hashDefinesData(hash: bigint): boolean {
  return hash === 0n || isConstantHash(hash) || isNoValueHash(hash);
}

export function fetchChunks(reader: LayerReader): OperatorFunction<number, FetchedChunk> {
  return mergeMap((chunkIndex) => fromAbortable(async (signal) => fetchChunk(reader, chunkIndex, await reader.chunkMetadata(chunkIndex, signal), signal)));
}

/** The chunk object `metadata` (the chunk's, already read: the read path reads it once) describes. */
export async function fetchChunk(reader: LayerReader, chunkIndex: number, metadata: ChunkMetadata, signal?: AbortSignal): Promise<FetchedChunk> {
  throwIfAborted(signal);
  if (hashDefinesData(metadata.hash)) return { chunkIndex, metadata };
  const key = `${reader.layer.name}/${chunkIndex}`;
  const prefix = reader.adaptiveLevel !== BEST_QUALITY && metadata.adaptiveLevels && metadata.serializedSize && reader.store.getRange
    ? adaptivePrefixSize(metadata.serializedSize, reader.adaptiveLevel, metadata.adaptiveLevels) : undefined;
  const bytes = prefix !== undefined && prefix < metadata.serializedSize!
    ? await reader.store.getRange!(key, { offset: 0, length: prefix }, { signal })
    : await reader.store.get(key, { signal, into: (size) => chunkBuffers.take(size) });
  if (!bytes) throw new StoreError(`Chunk ${key} is missing from ${reader.store.description}`, 404);
  return { chunkIndex, metadata, bytes };
}
