// Sink operator: pages in, stored chunks out. Each page is encoded on the worker pool (constant
// detection, compression), uploaded with its `vdschunkmetadata` header, and then recorded in the
// layer's chunk-metadata page, in that order, so a reader never sees an entry before its object.
import { catchError, from, map, mergeMap, of, type OperatorFunction } from 'rxjs';
import type { BlockShape, ChannelValues } from '../src/model/block.js';
import { uniqueChunkHash } from '../src/codecs/volumeDataHash.js';
import type { CompressionMethod } from '../src/model/enums.js';
import { type ChunkMetadataPages, chunkMetadataRecord } from '../sources/dataset/chunkMetadataPages.js';
import { runChunkJob } from '../src/workers/pool.js';
import type { Store } from '../sources/stores/store.js';

export interface ChunkWrite {
  /** The layer the chunk belongs to. */
  target: ChunkWriteTarget;
  chunkIndex: number;
  /** Dense chunk payload (margins included) in the channel format; moved to a worker. */
  payload: Uint8Array;
}

export interface ChunkWriteTarget {
  store: Store;
  layerName: string;
  compressionMethod: CompressionMethod;
  channel: ChannelValues;
  pages: ChunkMetadataPages;
  blockShape(chunkIndex: number): BlockShape;
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
    shape: target.blockShape(chunkIndex), channel: target.channel,
  }, [transfer.buffer]);
  const constant = !(encoded instanceof Uint8Array);
  const hash = constant ? encoded.constantHash : uniqueChunkHash();
  const serialized = constant ? new Uint8Array(0) : encoded;
  const record = chunkMetadataRecord({ hash }, false);
  await target.store.set(`${target.layerName}/${chunkIndex}`, serialized, {
    contentType: 'application/octet-stream',
    metadata: { vdschunkmetadata: Buffer.from(record).toString('base64') },
  });
  await target.pages.write(chunkIndex, { hash }, serialized.byteLength, uncompressedSize);
}
