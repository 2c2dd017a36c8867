// Chunk-metadata pages of one layer (format sheet 1.4): read lazily, updated by writes,
// uploaded on flush. An all-zero entry means the chunk was never written. Layers without pages
// take each chunk's metadata from its object (`pagelessChunkMetadata`).
import { payloadByteSize } from '../../src/codecs/dataBlock.js';
import { isConstantHash, isNoValueHash, uniqueChunkHash } from '../../src/codecs/volumeDataHash.js';
import { ReadError } from '../../src/model/errors.js';
import type { VolumeDataLayer } from '../../src/model/geometry/layers.js';
import { type ChunkMetadataStatus, HASH_ENTRY_BYTES, WAVELET_ENTRY_BYTES } from '../../src/model/layout/layerStatus.js';
import { CHUNK_METADATA_KEY } from '../stores/metadataHeaders.js';
import { SharedLoad } from '../../src/async/sharedLoad.js';
import { objectInfo, type Store } from '../stores/store.js';
import { WAVELET_ADAPTIVE_LEVELS } from '../../src/model/adaptiveLevels.js';

const HASH_BYTES = 8;

export interface ChunkMetadata {
  /** VolumeDataHash: 0 = never written, all ones = no-value, `0x01010101` high word = constant. */
  hash: bigint;
  /** Full byte size of the chunk object: in wavelet pages, and for chunks of page-less layers. */
  serializedSize?: number;
  /** Wavelet layers only: prefix sizes per adaptive level. */
  adaptiveLevels?: Uint8Array;
}

export class ChunkMetadataPages {
  private readonly pages = new Map<number, SharedLoad<Uint8Array>>();
  private readonly dirty = new Set<number>();
  /**
   * Set while a page-less layer is rewritten in place: chunks these pages do not know yet are
   * looked up in their objects, and recorded in the pages on flush (see `adopting`).
   */
  private pageless?: (chunkIndex: number, signal?: AbortSignal) => Promise<ChunkMetadata>;

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
  static adopting(store: Store, layer: VolumeDataLayer, isWavelet: boolean, pageSize: number): ChunkMetadataPages {
    const pages = ChunkMetadataPages.empty(store, layer, isWavelet, pageSize);
    pages.pageless = (chunkIndex, signal) => pagelessChunkMetadata(store, layer, isWavelet, chunkIndex, signal);
    return pages;
  }

  get isWavelet(): boolean { return this.status.chunkMetadataByteSize === WAVELET_ENTRY_BYTES; }

  /** The chunk's entry; `signal` stops this caller waiting (and the page load, if nobody else waits). */
  async read(chunkIndex: number, signal?: AbortSignal): Promise<ChunkMetadata> {
    this.checkIndex(chunkIndex);
    const { page, offset } = this.locate(chunkIndex);
    const entry = this.decodeEntry(await this.loadPage(page, signal), offset);
    // Without its size a wavelet chunk cannot be fetched by adaptive level: the page is corrupt.
    if (this.isWavelet && entry.serializedSize === 0 && entry.hash !== 0n && !isConstantHash(entry.hash) && !isNoValueHash(entry.hash)) {
      throw new ReadError(`Chunk metadata page ${this.pageKey(this.pageName(page))} gives written chunk ${chunkIndex} a serialized size of 0`);
    }
    return entry.hash === 0n && this.pageless ? this.pageless(chunkIndex, signal) : entry;
  }

  /** Records a written chunk and updates the layer's counters as OpenVDS does. */
  async write(chunkIndex: number, entry: ChunkMetadata, serializedSize: number, uncompressedSize: number): Promise<void> {
    this.checkIndex(chunkIndex);
    const { page, offset } = this.locate(chunkIndex);
    const bytes = await this.loadPage(page);
    const old = this.decodeEntry(bytes, offset);
    this.encodeEntry(bytes, offset, entry, serializedSize);
    this.dirty.add(page);
    const constant = (hash: bigint) => hash === 0xFFFFFFFFFFFFFFFFn || hash >> 32n === 0x01010101n;
    if (this.isWavelet) {
      if (entry.hash !== 0n) this.count(+1, constant(entry.hash) ? 0 : uncompressedSize, constant(entry.hash) ? 0 : serializedSize);
      if (old.hash !== 0n) this.count(-1, constant(old.hash) ? 0 : uncompressedSize, constant(old.hash) ? 0 : old.serializedSize ?? 0);
    } else if (entry.hash !== 0n && old.hash === 0n) {
      this.count(+1, constant(entry.hash) ? 0 : uncompressedSize, constant(entry.hash) ? 0 : serializedSize);
    }
  }

  get hasDirtyPages(): boolean { return this.dirty.size > 0; }

  /** Uploads every modified page and points the page directory at it. */
  async flush(): Promise<boolean> {
    if (this.pageless) await this.recordPagelessChunks();
    if (this.dirty.size === 0) return false;
    const pages = [...this.dirty].sort((a, b) => a - b);
    await Promise.all(pages.map(async (page) => {
      const bytes = await this.loadPage(page);
      await this.store.set(this.pageKey(page), bytes, { contentType: 'application/octet-stream' });
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
      if (this.decodeEntry(await this.loadPage(page), offset).hash !== 0n) return;
      const found = await lookup(chunkIndex);
      if (found.hash === 0n) return;
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

  private count(sign: 1 | -1, uncompressed: number, serialized: number): void {
    const s = this.status;
    if (s.validChunkCount !== undefined) s.validChunkCount += sign;
    if (s.serializedSize !== undefined) s.serializedSize += sign * serialized;
    s.uncompressedSize += sign * uncompressed;
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
    if (!bytes) throw new ReadError(`Chunk metadata page ${key} is missing`, 404);
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
    throw new RangeError(`Chunk index ${chunkIndex} is outside layer ${layer.name} (0…${layer.chunkCount - 1})`);
  }
}

/** The 8- or 24-byte record carried in the `vdschunkmetadata` header of a chunk object. */
export function chunkMetadataRecord(entry: ChunkMetadata, isWavelet: boolean): Uint8Array {
  const record = new Uint8Array(isWavelet ? HASH_BYTES + WAVELET_ADAPTIVE_LEVELS : HASH_BYTES);
  new DataView(record.buffer).setBigUint64(0, entry.hash, true);
  if (isWavelet) record.set(entry.adaptiveLevels ?? new Uint8Array(WAVELET_ADAPTIVE_LEVELS), HASH_BYTES);
  return record;
}

/**
 * Stands for the hash of a chunk object that exists but carries no `vdschunkmetadata` record (a
 * folder cannot store one): some non-constant version of the chunk. Not a special hash (3.7).
 */
export const UNRECORDED_CHUNK_HASH = 0x7263686e6b000001n;

/**
 * The metadata of a chunk of a layer without pages (missing from LayerStatus, or listed without
 * `hasChunkMetadataPages`; format sheet 1.4), from its object: none means never written (hash 0,
 * read as no-value or zero like any sparse chunk), else the object's `vdschunkmetadata` record.
 */
export async function pagelessChunkMetadata(
  store: Store, layer: VolumeDataLayer, isWavelet: boolean, chunkIndex: number, signal?: AbortSignal,
): Promise<ChunkMetadata> {
  checkChunkIndex(layer, chunkIndex);
  const key = `${layer.name}/${chunkIndex}`;
  const info = await objectInfo(store, key, { signal });
  if (!info) return { hash: 0n };
  const header = info.metadata?.[CHUNK_METADATA_KEY];
  if (header === undefined) {
    // A constant chunk is an empty object whose value only the record holds (OpenVDS: "Missing metadata").
    if (info.size === 0) throw new ReadError(`Missing metadata for chunk ${key}: the object is empty and has no ${CHUNK_METADATA_KEY} record`);
    return { hash: UNRECORDED_CHUNK_HASH, serializedSize: info.size };
  }
  const record = Buffer.from(header, 'base64');
  const expected = isWavelet ? HASH_BYTES + WAVELET_ADAPTIVE_LEVELS : HASH_BYTES;
  if (record.length !== expected) {
    throw new ReadError(`The ${CHUNK_METADATA_KEY} record of chunk ${key} has ${record.length} bytes, a ${isWavelet ? 'wavelet' : 'non-wavelet'} layer has ${expected}`);
  }
  const hash = record.readBigUInt64LE(0);
  return isWavelet ? { hash, serializedSize: info.size, adaptiveLevels: new Uint8Array(record.subarray(HASH_BYTES)) } : { hash, serializedSize: info.size };
}
