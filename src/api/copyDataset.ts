// Copies a dataset object by object between any two stores: chunk objects (with their
// `vdschunkmetadata`) first, then metadata pages, then LayerStatus and VolumeDataLayout, so the
// destination only becomes openable once everything it names is there. An object already at the
// destination is skipped only when its content is the source's (same chunk-metadata record, whose
// hash OpenVDS makes unique per write, or the same bytes), which makes an interrupted copy
// resumable without ever keeping a stale object. A destination that holds a different dataset is
// refused unless `overwrite`.
import { from, lastValueFrom, mergeMap, Observable, scan, tap } from 'rxjs';
import { throwIfAborted } from '../async/abort.js';
import { CHUNK_METADATA_KEY } from '../../sources/stores/metadataHeaders.js';
import { isDeletable, objectInfo, type ObjectInfo, type ReadableStore, type Store } from '../../sources/stores/store.js';
import { withSignal } from '../../sources/stores/withSignal.js';
import { codecFor } from '../codecs/registry.js';
import { isWaveletCompression, VDSProduceStatus } from '../model/enums.js';
import { errorMessage, InvalidOperationError, StoreError } from '../model/errors.js';
import { chunkMetadataRecord, UNRECORDED_CHUNK_HASH } from '../../sources/dataset/chunkMetadataPages.js';
import { parseVolumeDataLayoutJson, serializeVolumeDataLayoutJson } from '../model/layout/layoutJson.js';
import { VolumeDataLayout } from '../model/layout/volumeDataLayout.js';
import { open } from './entryPoints.js';
import type { VDS } from './vds.js';
import { fromAbortable } from '../async/fromAbortable.js';
import { chunkDecodeError, decodeOptions } from '../../operators/decodeChunks.js';

export interface CopyProgress {
  objectsDone: number;
  objectCount: number;
  bytesCopied: number;
  skipped: number;
}

export interface CopyOptions {
  /** Aborting stops IO at once and rejects with CanceledError; what was copied stays, so the copy resumes. */
  signal?: AbortSignal;
  /**
   * Replace a different dataset at the destination (default false: InvalidOperationError). Its
   * VolumeDataLayout is removed first, so until the copy completes the destination is a partial
   * copy (resumable), never a mix of the two datasets.
   */
  overwrite?: boolean;
  /** Objects copied at once (default 8). */
  concurrency?: number;
  /** Decode every chunk before writing it (default true): a corrupt source chunk fails the copy. */
  verify?: boolean;
  onProgress?: (progress: CopyProgress) => void;
}

interface CopyItem {
  key: string;
  /** LayerStatus and VolumeDataLayout: always written, last, as they make the copy a dataset. */
  final?: boolean;
  /** Chunk objects: the metadata record their header carries (if known), and how to verify them. */
  chunk?: { record?: Uint8Array; verify?: (bytes: Uint8Array) => void };
}

export async function copyDataset(source: ReadableStore, destination: Store, options: CopyOptions = {}): Promise<CopyProgress> {
  const { signal } = options;
  throwIfAborted(signal);
  // Bound to the signal, the source's reads while listing chunks stop too.
  const dataset = await open(signal ? withSignal(source, signal) : source);
  try {
    const conflict = await copyConflict(source, destination, signal);
    if (conflict !== undefined) {
      if (!options.overwrite) throw new InvalidOperationError(`${destination.description} holds a different dataset (${conflict}): set overwrite to replace it`);
      if (!isDeletable(destination)) throw new InvalidOperationError(`Cannot overwrite ${destination.description}: the store cannot delete objects`);
      await destination.delete('VolumeDataLayout', { signal });
    }
    const chunks = await chunkItems(dataset, options.verify ?? true, signal);
    const pages = pageKeys(dataset);
    let progress: CopyProgress = { objectsDone: 0, objectCount: chunks.length + pages.length + 2, bytesCopied: 0, skipped: 0 };
    const run = (items: CopyItem[]) => lastValueFrom(from(items).pipe(
      mergeMap((item) => fromAbortable((itemSignal) => copyObject(source, destination, item, anySignal(itemSignal, signal))), options.concurrency ?? 8),
      scan((p, copied) => ({ ...p, objectsDone: p.objectsDone + 1, bytesCopied: p.bytesCopied + (copied ?? 0), skipped: p.skipped + (copied === undefined ? 1 : 0) }), progress),
      tap((p) => { progress = p; options.onProgress?.(p); }),
    ), { defaultValue: progress });
    await run(chunks);
    await run(pages);
    // LayerStatus before VolumeDataLayout: the layout is what makes a folder look like a dataset.
    await run([{ key: 'LayerStatus', final: true }]);
    await run([{ key: 'VolumeDataLayout', final: true }]);
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
 * VolumeDataLayout differs from the source's (after normalising the JSON). Undefined when it holds
 * none (new, or a partial copy) or the same one (a finished copy, checked again object by object).
 */
export async function copyConflict(source: ReadableStore, destination: Store, signal?: AbortSignal): Promise<string | undefined> {
  const [theirs, ours] = await Promise.all([destination.get('VolumeDataLayout', { signal }), source.get('VolumeDataLayout', { signal })]);
  if (!theirs?.length || !ours || Buffer.compare(theirs, ours) === 0) return undefined;
  const ourLayout = layoutOf(ours);
  let theirLayout: VolumeDataLayout;
  try {
    theirLayout = layoutOf(theirs);
  } catch (error) {
    return `its VolumeDataLayout does not parse: ${errorMessage(error)}`;
  }
  if (serializeVolumeDataLayoutJson(theirLayout) === serializeVolumeDataLayoutJson(ourLayout)) return undefined;
  const [a, b] = [theirLayout.getContentsHash(), ourLayout.getContentsHash()];
  return a === b ? `layout hash ${a} as the source's, but other metadata` : `layout hash ${a}, the source's is ${b}`;
}

function layoutOf(bytes: Uint8Array): VolumeDataLayout {
  const parsed = parseVolumeDataLayoutJson(new TextDecoder().decode(bytes));
  return new VolumeDataLayout(parsed.layoutDescriptor, parsed.axisDescriptors, parsed.channelDescriptors, parsed.metadata);
}

function anySignal(a: AbortSignal, b: AbortSignal | undefined): AbortSignal {
  return b ? AbortSignal.any([a, b]) : a;
}

/** Bytes written, or undefined when the destination already had the object. */
async function copyObject(source: ReadableStore, destination: Store, item: CopyItem, signal: AbortSignal): Promise<number | undefined> {
  const bytes = await source.get(item.key, { signal });
  if (!bytes) throw new StoreError(`${item.key} is missing from ${source.description}`, 404);
  const existing = item.final ? undefined : await objectInfo(destination, item.key, { signal });
  if (existing && await sameContent(destination, item, bytes, existing, signal)) return undefined;
  if (item.chunk?.verify && bytes.byteLength > 0) item.chunk.verify(bytes);
  const metadata = item.chunk?.record && { vdschunkmetadata: Buffer.from(item.chunk.record).toString('base64') };
  const contentType = item.chunk || item.key.includes('/ChunkMetadata/') ? 'application/octet-stream' : 'application/json';
  await destination.set(item.key, bytes, { signal, contentType, metadata });
  return bytes.byteLength;
}

/**
 * Whether the destination's object is the source's: the same size and either the same
 * chunk-metadata record (its hash is unique per write) or, where either side has none, the same bytes.
 */
async function sameContent(destination: Store, item: CopyItem, bytes: Uint8Array, existing: ObjectInfo, signal: AbortSignal): Promise<boolean> {
  if (existing.size !== bytes.byteLength) return false;
  const theirs = existing.metadata?.[CHUNK_METADATA_KEY];
  if (item.chunk?.record && theirs !== undefined) return theirs === Buffer.from(item.chunk.record).toString('base64');
  const current = await destination.get(item.key, { signal });
  return current !== undefined && Buffer.compare(current, bytes) === 0;
}

/**
 * Every written chunk of every produced layer, with the metadata record its object carries. Layers
 * without metadata pages (format sheet 1.4) are looked up chunk by chunk in the source.
 */
async function chunkItems(dataset: VDS, verify: boolean, signal: AbortSignal | undefined): Promise<CopyItem[]> {
  const items: CopyItem[] = [];
  for (const layer of dataset.layers.all) {
    const produced = dataset.layerStatusEntry(layer) !== undefined || dataset.produceStatus(layer.dimensionsND) === VDSProduceStatus.Normal;
    if (layer.isVirtual || !produced) continue;
    const reader = dataset.reader(layer);
    const wavelet = isWaveletCompression(reader.compressionMethod);
    for (let chunkIndex = 0; chunkIndex < layer.chunkCount; chunkIndex++) {
      throwIfAborted(signal);
      const metadata = await reader.chunkMetadata(chunkIndex);
      if (metadata.hash === 0n) continue;
      const check = verify && !wavelet ? (bytes: Uint8Array) => {
        try {
          codecFor(reader.compressionMethod).decode(bytes, decodeOptions(reader, chunkIndex, { format: layer.channelDescriptor.format }));
        } catch (error) {
          throw chunkDecodeError(error, reader, chunkIndex);
        }
      } : undefined;
      const record = metadata.hash === UNRECORDED_CHUNK_HASH ? undefined : chunkMetadataRecord(metadata, wavelet);
      items.push({ key: `${layer.name}/${chunkIndex}`, chunk: { record, verify: check } });
    }
  }
  return items;
}

function pageKeys(dataset: VDS): CopyItem[] {
  const items: CopyItem[] = [];
  for (const layer of dataset.layers.all) {
    const status = dataset.layerStatusEntry(layer)?.chunkMetadata;
    if (!status) continue;
    const pageCount = Math.ceil(status.chunkCount / status.chunkMetadataPageSize);
    for (let page = 0; page < pageCount; page++) {
      const name = status.pageDirectory ? status.pageDirectory[page]! : page;
      if (name !== -1) items.push({ key: `${layer.name}/ChunkMetadata/${name}` });
    }
  }
  return items;
}

/** The same copy as an Observable of progress, for pipelines and UIs; unsubscribing aborts it. */
export function copyDataset$(source: ReadableStore, destination: Store, options: Omit<CopyOptions, 'signal' | 'onProgress'> = {}): Observable<CopyProgress> {
  return new Observable<CopyProgress>((subscriber) => {
    const controller = new AbortController();
    copyDataset(source, destination, { ...options, signal: controller.signal, onProgress: (p) => subscriber.next(p) })
      .then(() => subscriber.complete(), (error: unknown) => { if (!controller.signal.aborted) subscriber.error(error); });
    return () => controller.abort();
  });
}
