// Copies a dataset object by object between any two stores: chunk objects (with their
// `vdschunkmetadata`) first, then metadata pages, then LayerStatus and VolumeDataLayout, so the
// destination only becomes openable once everything it names is there. Objects already present
// with the right size are skipped, which makes an interrupted copy resumable.
import { from, lastValueFrom, mergeMap, Observable, scan, tap } from 'rxjs';
import type { Store } from '../sources/store.js';
import { codecFor } from './codecs/registry.js';
import { isWaveletCompression, VDSProduceStatus } from './enums.js';
import { StoreError } from './errors.js';
import { chunkMetadataRecord, UNRECORDED_CHUNK_HASH } from './engine/chunkMetadataPages.js';
import { open } from './api.js';
import type { VDS } from './vds.js';
import { fromAbortable } from '../operators/fromAbortable.js';
import { chunkDecodeError, decodeOptions } from '../operators/decodeChunks.js';

export interface CopyProgress {
  objectsDone: number;
  objectCount: number;
  bytesCopied: number;
  skipped: number;
}

export interface CopyOptions {
  signal?: AbortSignal;
  /** Objects copied at once (default 8). */
  concurrency?: number;
  /** Decode every chunk before writing it (default true): a corrupt source chunk fails the copy. */
  verify?: boolean;
  onProgress?: (progress: CopyProgress) => void;
}

interface CopyItem {
  key: string;
  /** Chunk objects: the metadata record their header carries (if known), and how to verify them. */
  chunk?: { record?: Uint8Array; verify?: (bytes: Uint8Array) => void };
}

export async function copyDataset(source: Store, destination: Store, options: CopyOptions = {}): Promise<CopyProgress> {
  const dataset = await open(source);
  try {
    const chunks = await chunkItems(dataset, options.verify ?? true);
    const pages = pageKeys(dataset);
    let progress: CopyProgress = { objectsDone: 0, objectCount: chunks.length + pages.length + 2, bytesCopied: 0, skipped: 0 };
    const run = (items: CopyItem[]) => lastValueFrom(from(items).pipe(
      mergeMap((item) => fromAbortable((signal) => copyObject(source, destination, item, anySignal(signal, options.signal))), options.concurrency ?? 8),
      scan((p, copied) => ({ ...p, objectsDone: p.objectsDone + 1, bytesCopied: p.bytesCopied + (copied ?? 0), skipped: p.skipped + (copied === undefined ? 1 : 0) }), progress),
      tap((p) => { progress = p; options.onProgress?.(p); }),
    ), { defaultValue: progress });
    await run(chunks);
    await run(pages);
    // LayerStatus before VolumeDataLayout: the layout is what makes a folder look like a dataset.
    await run([{ key: 'LayerStatus' }]);
    await run([{ key: 'VolumeDataLayout' }]);
    return progress;
  } finally {
    await dataset.close(false);
  }
}

function anySignal(a: AbortSignal, b: AbortSignal | undefined): AbortSignal {
  return b ? AbortSignal.any([a, b]) : a;
}

/** Bytes written, or undefined when the destination already had the object. */
async function copyObject(source: Store, destination: Store, item: CopyItem, signal: AbortSignal): Promise<number | undefined> {
  const bytes = await source.get(item.key, { signal });
  if (!bytes) throw new StoreError(`${item.key} is missing from ${source.description}`, 404);
  const existing = item.key === 'LayerStatus' || item.key === 'VolumeDataLayout' ? undefined : await destination.head(item.key, { signal });
  if (existing && existing.size === bytes.byteLength) return undefined;
  if (item.chunk?.verify && bytes.byteLength > 0) item.chunk.verify(bytes);
  const metadata = item.chunk?.record && { vdschunkmetadata: Buffer.from(item.chunk.record).toString('base64') };
  const contentType = item.chunk || item.key.includes('/ChunkMetadata/') ? 'application/octet-stream' : 'application/json';
  await destination.set(item.key, bytes, { signal, contentType, metadata });
  return bytes.byteLength;
}

/**
 * Every written chunk of every produced layer, with the metadata record its object carries. Layers
 * without metadata pages (format sheet 1.4) are looked up chunk by chunk in the source.
 */
async function chunkItems(dataset: VDS, verify: boolean): Promise<CopyItem[]> {
  const items: CopyItem[] = [];
  for (const layer of dataset.layers.all) {
    const produced = dataset.layerStatusEntry(layer) !== undefined || dataset.produceStatus(layer.dimensionsND) === VDSProduceStatus.Normal;
    if (layer.isVirtual || !produced) continue;
    const reader = dataset.reader(layer);
    const wavelet = isWaveletCompression(reader.compressionMethod);
    for (let chunkIndex = 0; chunkIndex < layer.chunkCount; chunkIndex++) {
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
export function copyDataset$(source: Store, destination: Store, options: Omit<CopyOptions, 'signal' | 'onProgress'> = {}): Observable<CopyProgress> {
  return new Observable<CopyProgress>((subscriber) => {
    const controller = new AbortController();
    copyDataset(source, destination, { ...options, signal: controller.signal, onProgress: (p) => subscriber.next(p) })
      .then(() => subscriber.complete(), (error: unknown) => { if (!controller.signal.aborted) subscriber.error(error); });
    return () => controller.abort();
  });
}
