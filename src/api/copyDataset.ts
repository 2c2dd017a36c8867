// Copies a dataset chunk by chunk through the dataset layer, between any two stores or `.vds`
// files: every written chunk of every produced layer first (checked by decoding it on the worker
// pool), then the destination's metadata — chunk-metadata pages, layer status and, last, the
// layout — so the destination only becomes openable once everything it names is there. A chunk
// the destination already holds exactly so (the same metadata record, whose hash OpenVDS makes
// unique per write, or where it keeps none the same bytes) is only recorded, which makes an
// interrupted copy resumable without ever keeping a stale chunk. A destination that holds a
// different dataset is refused unless `overwrite`.
import { from, lastValueFrom, mergeMap, Observable, scan, tap } from 'rxjs';
import { throwIfAborted } from '../async/abort.js';
import { fromAbortable } from '../async/fromAbortable.js';
import { isDefinedHash, UNKNOWN_HASH, uniqueChunkHash } from '../codecs/volumeDataHash.js';
import { payloadByteSize } from '../codecs/dataBlock.js';
import type { DatasetStore } from '../engine/datasetStore.js';
import { CompressionMethod, type DimensionsND, isWaveletCompression, VDSProduceStatus } from '../model/enums.js';
import { effectiveCompression } from '../model/geometry/layers.js';
import { chunkPool } from '../workers/pool.js';
import { ownedBytes } from '../workers/chunkBuffers.js';
import { writeChunk } from '../../sinks/writeChunks.js';
import { errorMessage, InvalidOperationError, NotFoundError } from '../model/errors.js';
import type { VolumeDataLayer } from '../model/geometry/layers.js';
import { serializeVolumeDataLayoutJson } from '../model/layout/layoutJson.js';
import { layersOf, type VolumeDataLayout } from '../model/layout/volumeDataLayout.js';
import { UNRECORDED_CHUNK_HASH } from '../../sources/dataset/chunkMetadataPages.js';
import { datasetFor } from '../../sources/dataset/datasetFor.js';
import { fetchChunk } from '../../sources/fetchChunks.js';
import type { ReadableStore } from '../../sources/stores/store.js';
import type { BlockShape } from '../model/block.js';
import { type ChunkJob, chunkJobModule } from '../workers/chunkJobs.js';
import { withSignal } from '../../sources/stores/withSignal.js';
import { decodeChunk } from '../../operators/decodeChunks.js';
import { open } from './entryPoints.js';
import { checkWritableCompression } from './requestArguments.js';
import type { VDS } from './vds.js';

export interface CopyProgress {
  /** Chunks copied or found already there, plus 1 once the destination's metadata is written. */
  objectsDone: number;
  /** The source's written chunks, plus 1 for the metadata. */
  objectCount: number;
  /** Chunk bytes written to the destination. */
  bytesCopied: number;
  /** Chunks the destination already held. */
  skipped: number;
}

export interface CopyOptions {
  /** Aborting stops IO at once and rejects with CanceledError; what was copied stays, so the copy resumes. */
  signal?: AbortSignal;
  /**
   * Replace a different dataset at the destination (default false: InvalidOperationError). It is
   * replaced by an empty dataset with the source's layout first, so until the copy completes the
   * destination is never a mix of the two.
   */
  overwrite?: boolean;
  /** Chunks copied at once (default 8). */
  concurrency?: number;
  /** Decode every chunk before writing it (default true): a corrupt source chunk fails the copy. */
  verify?: boolean;
  /**
   * Re-encode every chunk with this method (and `compressionTolerance`, for the wavelet methods) on
   * the worker pool, as `create` with them would write it; each layer gets the compression OpenVDS
   * gives it (format sheet 2.5). By default chunks are copied as they are stored. A re-encoding copy
   * writes every chunk again when resumed.
   */
  compressionMethod?: CompressionMethod;
  compressionTolerance?: number;
  onProgress?: (progress: CopyProgress) => void;
  /**
   * Copies only the chunks at positions [first, end) of the source's chunk sequence (every
   * non-virtual layer's chunks, layer after layer): one part of a distributed copy, whose
   * destination publishes what its parts wrote (src/distributed). Every layer is produced all the same.
   */
  range?: ChunkRange;
  /**
   * Writes every chunk through a chunk job of one's own (`registerChunkJob`): each chunk of every
   * produced layer (LODs and channels included, each as it is stored) is decoded on the pool, handed
   * to the job as a ChunkTransformJob, and what it returns is encoded as the layer's compression (or
   * `compressionMethod`) and written. The destination keeps the source's layout and value ranges.
   * A LOD's chunks are thus the transform of the source's LOD, not a decimation of the transformed
   * LOD 0: the same for a linear function such as a scale, an approximation for others.
   */
  transform?: ChunkTransform;
}

/** A per-chunk function applied while copying: a registered chunk job kind and what it is given. */
export interface ChunkTransform<O = unknown> {
  kind: string;
  /** Passed to every job as it is (structured-cloned: plain data). */
  options?: O;
}

/**
 * The job a transform's handler gets, in a pool worker. It returns the chunk's new samples: a
 * Uint8Array (or any typed array) of the same byte length, in the same format and layout.
 */
export interface ChunkTransformJob<O = unknown> extends ChunkJob {
  /** The decoded chunk, margins included: dimension 0 fastest, little-endian, in `shape.format`. */
  bytes: Uint8Array;
  /** Size along the chunk's dimensions, format and components. */
  shape: BlockShape;
  /** The chunk's voxel extent with margins (min inclusive, max exclusive, 6 dimensions; `getChunkMinMax`'s). */
  min: number[];
  max: number[];
  /** The chunk's layer: its channel, LOD and dimension group, and its index there. */
  channel: number;
  lod: number;
  dimensionsND: DimensionsND;
  chunkIndex: number;
  options: O | undefined;
}

/** Positions in the sequence of every non-virtual layer's chunks, layer after layer (see `copyPositions`). */
export interface ChunkRange {
  first: number;
  end: number;
}

/** How many positions the chunk sequence of `layout` has: what a distributed copy cuts into ranges. */
export function copyPositions(layout: VolumeDataLayout): number {
  return layersOf(layout).all.filter((layer) => !layer.isVirtual).reduce((sum, layer) => sum + layer.chunkCount, 0);
}

/** What a copy reads from or writes to (a writable one): a key/value store, or a dataset layer of its own (a `.vds` file). */
export type CopyEnd = ReadableStore | DatasetStore;

export async function copyDataset(source: CopyEnd, destination: CopyEnd, options: CopyOptions = {}): Promise<CopyProgress> {
  const { signal } = options;
  throwIfAborted(signal);
  // Bound to the signal, the source's reads while listing chunks stop too.
  const dataset = await open(signal && !('chunkMetadata' in source) ? withSignal(source, signal) : source);
  const target = datasetFor(destination);
  try {
    const conflict = await layoutConflict(dataset.layout, target, signal);
    if (conflict !== undefined && !options.overwrite) {
      throw new InvalidOperationError(`${target.description} holds a different dataset (${conflict}): set overwrite to replace it`);
    }
    await target.create(dataset.layout, { signal, deferred: conflict === undefined });
    const recompress = recompression(options);
    // An unregistered kind fails now, not at the first chunk.
    if (options.transform) chunkJobModule(options.transform.kind);
    const chunks = await writtenChunks(dataset, target, recompress, options.transform !== undefined, signal, options.range);
    let progress: CopyProgress = { objectsDone: 0, objectCount: chunks.length + 1, bytesCopied: 0, skipped: 0 };
    const report = (p: CopyProgress) => { progress = p; options.onProgress?.(p); };
    await lastValueFrom(from(chunks).pipe(
      mergeMap((chunk) => fromAbortable((chunkSignal) => copyChunk(dataset, target, chunk, options.verify ?? true, anySignal(chunkSignal, signal), options.transform)),
        options.concurrency ?? 8),
      scan((p, copied) => ({ ...p, objectsDone: p.objectsDone + 1, bytesCopied: p.bytesCopied + (copied ?? 0), skipped: p.skipped + (copied === undefined ? 1 : 0) }), progress),
      tap(report),
    ), { defaultValue: progress });
    await target.flush({ signal });
    report({ ...progress, objectsDone: progress.objectsDone + 1 });
    return progress;
  } catch (error) {
    // Whatever a store made of the abort (an AbortError, a failed write), the caller learns it was canceled.
    throwIfAborted(signal);
    throw error;
  } finally {
    await dataset.close(false).catch(() => undefined);
  }
}

/**
 * Why `destination` cannot take a copy of `source` without overwriting: it holds a dataset whose
 * layout differs from the source's. Undefined when it holds none (new, or a partial copy) or the
 * same one (a finished copy, checked again chunk by chunk).
 */
export async function copyConflict(source: CopyEnd, destination: CopyEnd, signal?: AbortSignal): Promise<string | undefined> {
  const dataset = await open(source);
  try {
    return await layoutConflict(dataset.layout, datasetFor(destination), signal);
  } finally {
    await dataset.close(false).catch(() => undefined);
  }
}

async function layoutConflict(ours: VolumeDataLayout, destination: DatasetStore, signal: AbortSignal | undefined): Promise<string | undefined> {
  let theirs: VolumeDataLayout;
  try {
    theirs = await destination.open({ signal });
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throwIfAborted(signal);
    return `its dataset does not open: ${errorMessage(error)}`;
  }
  if (serializeVolumeDataLayoutJson(theirs) === serializeVolumeDataLayoutJson(ours)) return undefined;
  const [a, b] = [theirs.getContentsHash(), ours.getContentsHash()];
  return a === b ? `layout hash ${a} as the source's, but other metadata` : `layout hash ${a}, the source's is ${b}`;
}

function anySignal(a: AbortSignal, b: AbortSignal | undefined): AbortSignal {
  return b ? AbortSignal.any([a, b]) : a;
}

interface ChunkToCopy {
  layer: VolumeDataLayer;
  chunkIndex: number;
  /** Set when the chunk is decoded and encoded again (re-encoding, a transform): the compression it is written with. */
  reencode?: Recompression;
}

/**
 * Every written chunk of every produced layer, each such layer produced in the destination with
 * the source's compression and page size (1024 where the source has no pages). Produced layers are
 * those the layer status lists, and those of a Normal group it does not list (format sheet 1.4),
 * whose chunks only their objects know.
 */
async function writtenChunks(dataset: VDS, target: DatasetStore, recompress: Recompression | undefined, transform: boolean,
  signal: AbortSignal | undefined, range: ChunkRange = { first: 0, end: Infinity }): Promise<ChunkToCopy[]> {
  const chunks: ChunkToCopy[] = [];
  let position = 0;
  for (const layer of dataset.layers.all) {
    if (layer.isVirtual) continue;
    const layerStart = position;
    position += layer.chunkCount;
    const entry = dataset.layerStatusEntry(layer);
    if (!entry && dataset.produceStatus(layer.dimensionsND) !== VDSProduceStatus.Normal) continue;
    const compression = recompress ? layerCompression(recompress, layer) : entry ?? dataset.layerCompression(layer);
    const reencode = recompress || transform
      ? { compressionMethod: compression.compressionMethod, compressionTolerance: compression.compressionTolerance } : undefined;
    target.produceLayer(layer, {
      compressionMethod: compression.compressionMethod,
      compressionTolerance: compression.compressionTolerance,
      chunkMetadataPageSize: entry?.chunkMetadata?.chunkMetadataPageSize ?? 1024,
    });
    const reader = dataset.reader(layer);
    const last = Math.min(layer.chunkCount, range.end - layerStart);
    for (let chunkIndex = Math.max(0, range.first - layerStart); chunkIndex < last; chunkIndex++) {
      throwIfAborted(signal);
      const hash = await reader.chunkMetadata(chunkIndex, signal).then((m) => m.hash, (error: unknown) => {
        // An unlisted layer's missing object is a chunk nobody wrote.
        if (!entry && error instanceof NotFoundError) return UNKNOWN_HASH;
        throw error;
      });
      if (isDefinedHash(hash)) chunks.push({ layer, chunkIndex, reencode });
    }
  }
  return chunks;
}

interface Recompression {
  compressionMethod: CompressionMethod;
  compressionTolerance: number;
}

function recompression({ compressionMethod, compressionTolerance = 0 }: CopyOptions): Recompression | undefined {
  if (compressionMethod === undefined) return undefined;
  checkWritableCompression(compressionMethod, compressionTolerance);
  return { compressionMethod, compressionTolerance };
}

/** The compression a layer is written with: the method OpenVDS's `create` would give it (format sheet 2.5). */
function layerCompression({ compressionMethod, compressionTolerance }: Recompression, layer: VolumeDataLayer): Recompression {
  const { method, tolerance } = effectiveCompression(compressionMethod, compressionTolerance, layer.channelDescriptor, layer.lod);
  return { compressionMethod: method, compressionTolerance: tolerance };
}

/** Bytes written, or undefined when the destination already held the chunk. */
async function copyChunk(dataset: VDS, target: DatasetStore, { layer, chunkIndex, reencode }: ChunkToCopy, verify: boolean,
  signal: AbortSignal, transform: ChunkTransform | undefined): Promise<number | undefined> {
  const reader = dataset.reader(layer);
  const fetched = await fetchChunk(reader, chunkIndex, signal);
  if (reencode) {
    // Decoded to the channel's own format on the pool, transformed there, then encoded there as a page write would be.
    let { bytes: payload } = await decodeChunk(reader, fetched, { format: layer.channelDescriptor.format }, signal);
    if (transform) payload = await transformChunk(transform, layer, chunkIndex, payload, signal);
    const { compressionMethod, compressionTolerance } = reencode;
    return writeChunk({ target: { dataset: target, layer, compressionMethod, compressionTolerance, pool: chunkPool() }, chunkIndex, payload }, { signal });
  }
  const bytes = fetched.bytes ?? new Uint8Array(0);
  // The decode takes its bytes to a worker: it checks a copy (`new Uint8Array`: a Buffer's slice
  // would be a view). Wavelet chunks are not checked (decoding them is the slow part).
  if (verify && fetched.bytes && !isWaveletCompression(reader.compressionMethod)) {
    await decodeChunk(reader, { ...fetched, bytes: new Uint8Array(bytes) }, { format: layer.channelDescriptor.format }, signal);
  }
  // A chunk whose object carried no record gets an identity of its own, as a fresh write would.
  const metadata = fetched.metadata.hash === UNRECORDED_CHUNK_HASH ? { ...fetched.metadata, hash: uniqueChunkHash() } : fetched.metadata;
  const written = await target.writeChunk(layer, chunkIndex, bytes, metadata, payloadByteSize(layer.blockShape(chunkIndex)),
    { signal, ifChanged: true });
  return written ? bytes.byteLength : undefined;
}

/** Runs `transform`'s job on one decoded chunk; its reply must be the chunk's size. */
async function transformChunk({ kind, options }: ChunkTransform, layer: VolumeDataLayer, chunkIndex: number, payload: Uint8Array,
  signal: AbortSignal): Promise<Uint8Array> {
  const size = payload.byteLength;
  const bytes = ownedBytes(payload);
  const { min, max } = layer.partition.chunkMinMax(chunkIndex, true);
  const job: ChunkTransformJob = {
    kind, bytes, shape: layer.blockShape(chunkIndex), min: [...min], max: [...max],
    channel: layer.channel, lod: layer.lod, dimensionsND: layer.dimensionsND, chunkIndex, options,
  };
  const reply = await chunkPool().run(job, [bytes.buffer], signal);
  if (!ArrayBuffer.isView(reply) || reply.byteLength !== size) {
    const got = ArrayBuffer.isView(reply) ? `${reply.byteLength} bytes` : typeof reply;
    throw new InvalidOperationError(`Chunk transform "${kind}" returned ${got} for chunk ${layer.name}/${chunkIndex}, not its ${size} bytes`);
  }
  return new Uint8Array(reply.buffer, reply.byteOffset, reply.byteLength);
}

/** The same copy as an Observable of progress, for pipelines and UIs; unsubscribing aborts it. */
export function copyDataset$(source: CopyEnd, destination: CopyEnd, options: Omit<CopyOptions, 'signal' | 'onProgress'> = {}): Observable<CopyProgress> {
  return new Observable<CopyProgress>((subscriber) => {
    const controller = new AbortController();
    copyDataset(source, destination, { ...options, signal: controller.signal, onProgress: (p) => subscriber.next(p) })
      .then(() => subscriber.complete(), (error: unknown) => { if (!controller.signal.aborted) subscriber.error(error); });
    return () => controller.abort();
  });
}
