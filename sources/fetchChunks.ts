// Source operator: chunk indices in, chunk objects out, through the dataset layer. Constant,
// no-value and never-written chunks are answered from their metadata without touching the object.
// `locateChunk` is the lighter form for a decoder that can read a local file itself.
import { mergeMap, type OperatorFunction } from 'rxjs';
import { hashDefinesData } from '../src/codecs/volumeDataHash.js';
import type { ChunkMetadata, FileExtent } from '../src/engine/datasetStore.js';
import type { LayerReader } from '../src/engine/layerReader.js';
import { chunkBuffers } from '../src/workers/chunkBuffers.js';
import { fromAbortable } from '../src/async/fromAbortable.js';
import { throwIfAborted } from '../src/async/abort.js';

export interface FetchedChunk {
  chunkIndex: number;
  metadata: ChunkMetadata;
  /** The serialized chunk; absent when the hash alone defines the data, or when located in `file`. */
  bytes?: Uint8Array;
  /** Where the serialized chunk lies, for the worker that decodes it to read (`locateChunk`); never set with `bytes`. */
  file?: FileExtent;
}

export function fetchChunks(reader: LayerReader): OperatorFunction<number, FetchedChunk> {
  return mergeMap((chunkIndex) => fromAbortable((signal) => fetchChunk(reader, chunkIndex, signal)));
}

/**
 * `fetchChunk`, except that a chunk the dataset keeps in a local file comes as that file, unread.
 * Whoever reads it there and finds it missing or short fetches it after all (fetchChunk), which
 * names the problem as every path does.
 */
export async function locateChunk(reader: LayerReader, chunkIndex: number, signal?: AbortSignal, known?: ChunkMetadata): Promise<FetchedChunk> {
  const metadata = known ?? await reader.chunkMetadata(chunkIndex, signal);
  throwIfAborted(signal);
  if (hashDefinesData(metadata.hash)) return { chunkIndex, metadata };
  const file = await reader.dataset.chunkFile?.(reader.layer, chunkIndex, { metadata, adaptiveLevel: reader.adaptiveLevel, signal });
  return file ? { chunkIndex, metadata, file } : fetchChunk(reader, chunkIndex, signal, metadata);
}

/** The chunk's metadata (read unless given) and, unless the hash says it all, its object at the reader's adaptive level. */
export async function fetchChunk(reader: LayerReader, chunkIndex: number, signal?: AbortSignal, known?: ChunkMetadata): Promise<FetchedChunk> {
  const metadata = known ?? await reader.chunkMetadata(chunkIndex, signal);
  throwIfAborted(signal);
  if (hashDefinesData(metadata.hash)) return { chunkIndex, metadata };
  const bytes = await reader.dataset.readChunk(reader.layer, chunkIndex, {
    metadata, adaptiveLevel: reader.adaptiveLevel, signal, into: (size) => chunkBuffers.take(size),
  });
  return { chunkIndex, metadata, bytes };
}
