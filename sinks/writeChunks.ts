// Sink: pages in, stored chunks out. Each page is encoded on the worker pool (constant detection,
// compression), then handed to the dataset layer, which stores it and then records it, so a reader
// never sees a record before its object. Ordering, concurrency and backpressure are
// the ChunkWriter's (src/engine/chunkWriter.ts); this file does one chunk.
import { mergeMap, type OperatorFunction } from 'rxjs';
import { fromAbortable } from '../src/async/fromAbortable.js';
import type { ChunkWriter } from '../src/engine/chunkWriter.js';
import type { DatasetStore, SignalOptions } from '../src/engine/datasetStore.js';
import { channelValuesOf } from '../src/engine/layerReader.js';
import { uniqueChunkHash } from '../src/codecs/volumeDataHash.js';
import type { CompressionMethod } from '../src/model/enums.js';
import type { VolumeDataLayer } from '../src/model/geometry/layers.js';
import { ownedBytes } from '../src/workers/chunkBuffers.js';
import type { ChunkPool } from '../src/workers/pool.js';

export interface ChunkWrite {
  /** The layer the chunk belongs to, and where it goes. */
  target: ChunkWriteTarget;
  chunkIndex: number;
  /** Dense chunk payload (margins included) in the channel format; moved to a worker. */
  payload: Uint8Array;
}

export interface ChunkWriteTarget {
  dataset: DatasetStore;
  layer: VolumeDataLayer;
  compressionMethod: CompressionMethod;
  /** The layer's effective compression tolerance (wavelet methods; see effectiveCompression). */
  compressionTolerance: number;
  /** Where the encode jobs run. */
  pool: ChunkPool;
}

export interface ChunkWritten {
  write: ChunkWrite;
  error?: unknown;
}

/**
 * The ChunkWriter as an RxJS stage: each write goes through `writer` (ordered per chunk, bounded),
 * and comes out with its error, if any, rather than ending the stream. Unsubscribing cancels the
 * writes not yet done.
 */
export function writeBackPages(writer: ChunkWriter): OperatorFunction<ChunkWrite, ChunkWritten> {
  return mergeMap((write) => fromAbortable((signal) => writer.write(write.target.layer, write.chunkIndex,
    (taskSignal) => writeChunk(write, { signal: taskSignal }), { signal }).then(
    (): ChunkWritten => ({ write }),
    (error: unknown): ChunkWritten => ({ write, error }),
  )), writer.limits.backlog);
}

/**
 * Encodes and stores one chunk; resolves to the bytes stored. Aborting drops a queued encode and
 * stops the upload; the chunk is then left as it was.
 */
export async function writeChunk({ target, chunkIndex, payload }: ChunkWrite, { signal }: SignalOptions = {}): Promise<number> {
  const { layer } = target;
  const uncompressedSize = payload.byteLength;
  const transfer = ownedBytes(payload);
  const encoded = await target.pool.run({
    kind: 'encode', method: target.compressionMethod, payload: transfer,
    shape: layer.blockShape(chunkIndex), channel: channelValuesOf(layer), tolerance: target.compressionTolerance,
  }, [transfer.buffer], signal);
  if ('constantHash' in encoded) {
    await target.dataset.writeChunk(layer, chunkIndex, new Uint8Array(0), { hash: encoded.constantHash }, uncompressedSize, { signal });
    return 0;
  }
  const { bytes, adaptiveLevels } = encoded;
  await target.dataset.writeChunk(layer, chunkIndex, bytes, { hash: uniqueChunkHash(), adaptiveLevels }, uncompressedSize, { signal });
  return bytes.byteLength;
}
