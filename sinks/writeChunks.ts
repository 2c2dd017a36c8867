// Sink operator: pages in, stored chunks out. Each page is encoded on the worker pool (constant
// detection, compression), then handed to the dataset layer, which stores it and then records it,
// so a reader never sees a record before its object.
import { catchError, from, map, mergeMap, of, type OperatorFunction } from 'rxjs';
import type { ChannelValues } from '../src/model/block.js';
import { uniqueChunkHash } from '../src/codecs/volumeDataHash.js';
import type { CompressionMethod } from '../src/model/enums.js';
import type { DatasetStore } from '../src/engine/datasetStore.js';
import type { VolumeDataLayer } from '../src/model/geometry/layers.js';
import { runChunkJob } from '../src/workers/pool.js';

export interface ChunkWrite {
  /** The layer the chunk belongs to. */
  target: ChunkWriteTarget;
  chunkIndex: number;
  /** Dense chunk payload (margins included) in the channel format; moved to a worker. */
  payload: Uint8Array;
}

export interface ChunkWriteTarget {
  dataset: DatasetStore;
  layer: VolumeDataLayer;
  compressionMethod: CompressionMethod;
  channel: ChannelValues;
}

export interface ChunkWritten {
  write: ChunkWrite;
  error?: unknown;
}

/** Writes up to `limit` chunks at a time; failures are reported per chunk, not by ending the stream. */
export function writeBackPages(limit: number): OperatorFunction<ChunkWrite, ChunkWritten> {
  return mergeMap((write) => from(writeChunk(write)).pipe(
    map((): ChunkWritten => ({ write })),
    catchError((error: unknown) => of({ write, error })),
  ), limit);
}

export async function writeChunk({ target, chunkIndex, payload }: ChunkWrite): Promise<void> {
  const uncompressedSize = payload.byteLength;
  const transfer = payload.byteOffset === 0 && payload.byteLength === payload.buffer.byteLength ? payload : payload.slice();
  const encoded = await runChunkJob({
    kind: 'encode', method: target.compressionMethod, payload: transfer,
    shape: target.layer.blockShape(chunkIndex), channel: target.channel,
  }, [transfer.buffer]);
  const constant = !(encoded instanceof Uint8Array);
  const hash = constant ? encoded.constantHash : uniqueChunkHash();
  const serialized = constant ? new Uint8Array(0) : encoded;
  await target.dataset.writeChunk(target.layer, chunkIndex, serialized, { hash }, uncompressedSize);
}
