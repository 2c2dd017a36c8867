// Chunk-metadata pages of one layer of an object-store dataset (format sheet 1.4): read lazily,
// updated by writes, uploaded on flush. An all-zero entry means the chunk was never written.
import { payloadByteSize } from '../../src/codecs/dataBlock.js';
import { hashDefinesData, isDefinedHash, uniqueChunkHash } from '../../src/codecs/volumeDataHash.js';
import { WAVELET_ADAPTIVE_LEVELS } from '../../src/model/adaptiveLevels.js';
import { InvalidArgumentError, NotFoundError, ReadError } from '../../src/model/errors.js';
import type { VolumeDataLayer } from '../../src/model/geometry/layers.js';
import { type ChunkMetadataStatus, HASH_ENTRY_BYTES, WAVELET_ENTRY_BYTES } from '../../src/model/layout/layerStatus.js';
import { SharedLoad } from '../../src/async/sharedLoad.js';
import type { ChunkMetadata } from '../../src/engine/datasetStore.js';
import type { Store } from '../stores/store.js';
import { recordChunkWrite } from './metadataStatus.js';

/** Looks a chunk up in its object, for layers whose pages do not know it (see `adopting`). */
export type ChunkLookup = (chunkIndex: number, signal?: AbortSignal) => Promise<ChunkMetadata>;

export class ChunkMetadataPages {
  private readonly pages = new Map<number, SharedLoad<Uint8Array>>();
  private readonly dirty = new Set<number>();
  /**
   * Set while a page-less layer is rewritten in place: chunks these pages do not know yet are
   * looked up in their objects, and recorded in the pages on flush (see `adopting`).
   */
  private pageless?: ChunkLookup;

  constructor(
    private readonly store: Store,
    readonly layer: VolumeDataLayer,
    /** The layer's LayerStatus counters (checked by `validateLayerStatus`); writes update them in place. */
    readonly status: ChunkMetadataStatus,
  ) {}

  /** A fresh, empty layer: every page unwritten. */
  static empty(store: Store, layer: VolumeDataLayer, isWavelet: boolean, pageSize: number): ChunkMetadataPages {
    const pageCount = Math.ceil(layer.chunkCount / pageSize);
    return new ChunkMetadataPages(store, layer, {
      chunkCount: layer.chunkCount,
      chunkMetadataPageSize: pageSize,
      chunkMetadataByteSize: isWavelet ? WAVELET_ENTRY_BYTES : HASH_ENTRY_BYTES,
      validChunkCount: 0,
      serializedSize: 0,
      uncompressedSize: 0,
      pageDirectory: new Array<number>(pageCount).fill(-1),
      adaptiveLevelSizes: new Array<number>(WAVELET_ADAPTIVE_LEVELS).fill(0),
    });
  }

  /**
   * Pages for a layer that had none (format sheet 1.4) and is now rewritten in place: its existing
   * chunk objects stay readable, and the first flush records them so no chunk is lost.
   */
  static adopting(store: Store, layer: VolumeDataLayer, isWavelet: boolean, pageSize: number, lookup: ChunkLookup): ChunkMetadataPages {
    const pages = ChunkMetadataPages.empty(store, layer, isWavelet, pageSize);
    pages.pageless = lookup;
    return pages;
  }

  get isWavelet(): boolean { return this.status.chunkMetadataByteSize === WAVELET_ENTRY_BYTES; }

  /** The chunk's entry; `signal` stops this caller waiting (and the page load, if nobody else waits). */
  async read(chunkIndex: number, signal?: AbortSignal): Promise<ChunkMetadata> {
    this.checkIndex(chunkIndex);
    const { page, offset } = this.locate(chunkIndex);
    const entry = this.decodeEntry(await this.loadPage(page, signal), offset);
    // Without its size a wavelet chunk cannot be fetched by adaptive level: the page is corrupt.
    if (this.isWavelet && entry.serializedSize === 0 && !hashDefinesData(entry.hash)) {
      throw new ReadError(`Chunk metadata page ${this.pageKey(this.pageName(page))} gives written chunk ${chunkIndex} a serialized size of 0`);
    }
    return !isDefinedHash(entry.hash) && this.pageless ? this.pageless(chunkIndex, signal) : entry;
  }

  /** Records a written chunk and updates the layer's counters as OpenVDS does. */
  async write(chunkIndex: number, entry: ChunkMetadata, serializedSize: number, uncompressedSize: number): Promise<void> {
    this.checkIndex(chunkIndex);
    const { page, offset } = this.locate(chunkIndex);
    const bytes = await this.loadPage(page);
    const old = this.decodeEntry(bytes, offset);
    this.encodeEntry(bytes, offset, entry, serializedSize);
    this.dirty.add(page);
    recordChunkWrite(this.status, this.isWavelet, old, entry, serializedSize, uncompressedSize);
  }

  get hasDirtyPages(): boolean { return this.dirty.size > 0; }

  /** Uploads every modified page and points the page directory at it; true when something was uploaded. */
  async flush(signal?: AbortSignal): Promise<boolean> {
    if (this.pageless) await this.recordPagelessChunks();
    if (this.dirty.size === 0) return false;
    const pages = [...this.dirty].sort((a, b) => a - b);
    await Promise.all(pages.map(async (page) => {
      const bytes = await this.loadPage(page);
      await this.store.set(this.pageKey(page), bytes, { contentType: 'application/octet-stream', signal });
    }));
    for (const page of pages) {
      this.dirty.delete(page);
      // Without a directory (older writers) pages are named by their index already.
      if (this.status.pageDirectory) this.status.pageDirectory[page] = page;
    }
    return true;
  }

  /** Enters every chunk that only its object knows into the pages, with the counters OpenVDS keeps. */
  private async recordPagelessChunks(): Promise<void> {
    const lookup = this.pageless!;
    const record = async (chunkIndex: number) => {
      const { page, offset } = this.locate(chunkIndex);
      if (isDefinedHash(this.decodeEntry(await this.loadPage(page), offset).hash)) return;
      const found = await lookup(chunkIndex);
      if (!isDefinedHash(found.hash)) return;
      // An object without a record gets an identity of its own, as a fresh write would.
      const hash = found.hash === UNRECORDED_CHUNK_HASH ? uniqueChunkHash() : found.hash;
      await this.write(chunkIndex, { hash }, found.serializedSize ?? 0, payloadByteSize(this.layer.blockShape(chunkIndex)));
    };
    const LOOKUPS_AT_ONCE = 16;
    for (let first = 0; first < this.layer.chunkCount; first += LOOKUPS_AT_ONCE) {
      const batch = Array.from({ length: Math.min(LOOKUPS_AT_ONCE, this.layer.chunkCount - first) }, (_, k) => first + k);
      await Promise.all(batch.map(record));
    }
    this.pageless = undefined;
  }

  private locate(chunkIndex: number): { page: number; offset: number } {
    const size = this.status.chunkMetadataPageSize;
    return { page: Math.floor(chunkIndex / size), offset: (chunkIndex % size) * this.status.chunkMetadataByteSize };
  }

  private checkIndex(chunkIndex: number): void {
    checkChunkIndex(this.layer, chunkIndex);
  }

  /** The page's object name: from the page directory (-1 = never written), else its index. */
  private pageName(page: number): number {
    return this.status.pageDirectory ? this.status.pageDirectory[page]! : page;
  }

  private pageKey(name: number): string {
    return `${this.layer.name}/ChunkMetadata/${name}`;
  }

  private loadPage(page: number, signal?: AbortSignal): Promise<Uint8Array> {
    let loading = this.pages.get(page);
    if (!loading || loading.isAbandoned) {
      const load: SharedLoad<Uint8Array> = new SharedLoad((abort) => this.fetchPage(page, abort), () => {
        if (this.pages.get(page) === load) this.pages.delete(page);
      });
      loading = load;
      this.pages.set(page, load);
    }
    return loading.wait(signal);
  }

  private async fetchPage(page: number, signal: AbortSignal): Promise<Uint8Array> {
    const byteSize = this.status.chunkMetadataPageSize * this.status.chunkMetadataByteSize;
    const name = this.pageName(page);
    if (name === -1) return new Uint8Array(byteSize);
    const key = this.pageKey(name);
    const bytes = await this.store.get(key, { signal });
    if (!bytes) throw new NotFoundError(`Chunk metadata page ${key} is missing`);
    if (bytes.length !== byteSize) {
      throw new ReadError(`Chunk metadata page ${key} has ${bytes.length} bytes, expected ${byteSize}`);
    }
    return bytes;
  }

  private decodeEntry(page: Uint8Array, offset: number): ChunkMetadata {
    const view = new DataView(page.buffer, page.byteOffset + offset, this.status.chunkMetadataByteSize);
    if (!this.isWavelet) return { hash: view.getBigUint64(0, true) };
    return {
      serializedSize: view.getUint32(0, true),
      hash: view.getBigUint64(4, true),
      adaptiveLevels: page.slice(offset + 12, offset + 12 + WAVELET_ADAPTIVE_LEVELS),
    };
  }

  private encodeEntry(page: Uint8Array, offset: number, entry: ChunkMetadata, serializedSize: number): void {
    const view = new DataView(page.buffer, page.byteOffset + offset, this.status.chunkMetadataByteSize);
    if (!this.isWavelet) {
      view.setBigUint64(0, entry.hash, true);
      return;
    }
    view.setUint32(0, serializedSize, true);
    view.setBigUint64(4, entry.hash, true);
    page.set(entry.adaptiveLevels ?? new Uint8Array(WAVELET_ADAPTIVE_LEVELS), offset + 12);
  }
}

function checkChunkIndex(layer: VolumeDataLayer, chunkIndex: number): void {
  if (!Number.isInteger(chunkIndex) || chunkIndex < 0 || chunkIndex >= layer.chunkCount) {
    throw new InvalidArgumentError(`Chunk index ${chunkIndex} is outside layer ${layer.name} (0…${layer.chunkCount - 1})`);
  }
}

/**
 * Stands for the hash of a chunk object that exists but carries no `vdschunkmetadata` record (a
 * folder cannot store one): some non-constant version of the chunk. Not a special hash (3.7).
 */
export const UNRECORDED_CHUNK_HASH = 0x7263686e6b000001n;
