// A single-file `.vds` dataset (HueBulkDataStore, format sheet 6, 7.3) behind the Store interface:
// the engine's object keys are mapped onto the container's files, so reading and writing work
// unchanged.
//   VolumeDataLayout          the 'JSON' file's chunk 0, or the legacy 'OBJ ' VDSObject translated
//   LayerStatus               synthesized from the 'VDS ' layer files (there is none in the file)
//   <layer>/ChunkMetadata/<p> synthesized from index page p
//   <layer>/<chunk>           the chunk's data extent; its index entry holds the chunk metadata
// Writes stay invisible to other processes until a commit: setting `VolumeDataLayout` commits that
// file, setting `LayerStatus` (the engine's flush) commits every layer. Chunk writes of layers not
// in the file yet are held until the LayerStatus that describes the layer arrives.
import { VDSProduceStatus } from '../../src/model/enums.js';
import { errorMessage, InvalidArgumentError, InvalidOperationError, type StoreError } from '../../src/model/errors.js';
import type { ChunkMetadataStatus, LayerStatusEntry } from '../../src/model/layout/layerStatus.js';
import { parseLayerStatusJson, serializeLayerStatusJson } from '../../src/model/layout/layoutJson.js';
import { throwIfAborted } from '../../src/async/abort.js';
import { BulkDataStore, type ContainerFile } from './bulkDataStore.js';
import { VdsFileError } from './errors.js';
import { WriterLock } from './fileLock.js';
import { FileType } from './fileTable.js';
import { type IndexEntry, readIndexEntry } from './indexPage.js';
import {
  CHUNK_METADATA_BYTES, decodeLayerMetadata, encodeLayerMetadata, isKnownCompressionMethod, LAYER_METADATA_BYTES, type VDSLayerMetadata,
  WAVELET_CHUNK_METADATA_BYTES, WAVELET_LAYER_METADATA_BYTES,
} from './layerMetadata.js';
import { vdsObjectToLayoutJson } from './vdsObjectLayout.js';
import type { ByteRange, ObjectInfo, ReadOptions, Store, WriteOptions } from '../stores/store.js';

/**
 * `read`: an existing file; the first write turns the store into the file's writer (taking the
 * lock), as OpenVDS does. `write`: an existing file, or a new one, locked at once. `create`: a new
 * empty file replacing any existing one, locked at once.
 */
export type VdsFileMode = 'read' | 'write' | 'create';

const LAYOUT_FILE = 'VolumeDataLayout';
const LEGACY_LAYOUT_FILE = 'VDSObject';
const METADATA_HEADER = 'vdschunkmetadata';
const HASH_PAGE_ENTRY_BYTES = 8;
const WAVELET_PAGE_ENTRY_BYTES = 4 + WAVELET_CHUNK_METADATA_BYTES;
const LAYER_NAME = /^(.*)Dimensions_(\d{2,3})LOD(\d+)$/;

type ParsedKey =
  | { kind: 'layout' }
  | { kind: 'layerStatus' }
  | { kind: 'page'; layer: string; page: number }
  | { kind: 'chunk'; layer: string; chunk: number }
  | { kind: 'other' };

/** A chunk written to a layer that has no file yet. */
interface PendingChunk {
  offset: number;
  length: number;
  record: Uint8Array;
}

export class VdsFileStore implements Store {
  readonly description: string;
  private readonly ready: Promise<BulkDataStore>;
  private lock?: WriterLock;
  private upgrading?: Promise<void>;
  private readonly pendingChunks = new Map<string, Map<number, PendingChunk>>();
  private readonly pendingPages = new Map<string, Map<number, Uint8Array>>();
  private readonly inflight = new Set<Promise<unknown>>();
  private commits: Promise<unknown> = Promise.resolve();
  private layoutText?: Promise<string | undefined>;
  private closed = false;

  /** Opens lazily: errors surface on first use. `VdsFileStore.open` opens at once. */
  constructor(readonly path: string, readonly mode: VdsFileMode = 'read') {
    if (mode !== 'read' && mode !== 'write' && mode !== 'create') throw new InvalidArgumentError(`Invalid .vds open mode "${String(mode)}"`);
    this.description = path;
    this.ready = this.openContainer();
    this.ready.catch(() => undefined);
  }

  static async open(path: string, mode: VdsFileMode = 'read'): Promise<VdsFileStore> {
    const store = new VdsFileStore(path, mode);
    await store.ready;
    return store;
  }

  async get(key: string, options?: ReadOptions): Promise<Uint8Array | undefined> {
    throwIfAborted(options?.signal);
    const container = await this.ready;
    const parsed = parseKey(key);
    switch (parsed.kind) {
      case 'layout': {
        const text = await this.layout(container);
        return text === undefined ? undefined : new TextEncoder().encode(text);
      }
      case 'layerStatus': return new TextEncoder().encode(await this.layerStatusJson(container));
      case 'page': return this.chunkMetadataPage(container, parsed.layer, parsed.page);
      case 'chunk': return this.chunkData(container, parsed.layer, parsed.chunk, undefined, options);
      case 'other': return undefined;
    }
  }

  async getRange(key: string, range: ByteRange, options?: ReadOptions): Promise<Uint8Array | undefined> {
    throwIfAborted(options?.signal);
    const container = await this.ready;
    const parsed = parseKey(key);
    if (parsed.kind === 'chunk') {
      return this.chunkData(container, parsed.layer, parsed.chunk, { offset: range.offset, length: range.length ?? Infinity }, options);
    }
    const bytes = await this.get(key, options);
    return bytes?.slice(range.offset, range.length === undefined ? undefined : range.offset + range.length);
  }

  async head(key: string, options?: ReadOptions): Promise<ObjectInfo | undefined> {
    throwIfAborted(options?.signal);
    const container = await this.ready;
    const parsed = parseKey(key);
    if (parsed.kind !== 'chunk') {
      const bytes = await this.get(key, options);
      return bytes && { size: bytes.length };
    }
    const located = await this.locateChunk(container, parsed.layer, parsed.chunk);
    if (!located) return undefined;
    return { size: located.length, metadata: { [METADATA_HEADER]: Buffer.from(located.record).toString('base64') } };
  }

  async set(key: string, data: Uint8Array, options?: WriteOptions): Promise<void> {
    throwIfAborted(options?.signal);
    const parsed = parseKey(key);
    if (parsed.kind === 'other') throw new InvalidArgumentError(`A .vds file has no place for object "${key}" (${this.path})`);
    const container = await this.writableContainer();
    switch (parsed.kind) {
      case 'layout':
        return this.serialize(() => this.writeLayout(container, data));
      case 'layerStatus': {
        const entries = parseLayerStatusJson(new TextDecoder().decode(data));
        return this.serialize(() => this.applyLayerStatus(container, entries));
      }
      case 'page': {
        let pages = this.pendingPages.get(parsed.layer);
        if (!pages) this.pendingPages.set(parsed.layer, pages = new Map());
        pages.set(parsed.page, data.slice());
        return;
      }
      case 'chunk':
        return this.track(this.writeChunk(container, parsed.layer, parsed.chunk, data, options?.metadata?.[METADATA_HEADER], key));
    }
  }

  async delete(key: string, options?: ReadOptions): Promise<void> {
    throwIfAborted(options?.signal);
    const parsed = parseKey(key);
    if (parsed.kind === 'layout' || parsed.kind === 'layerStatus') {
      throw new InvalidOperationError(`Cannot delete ${key} from ${this.path}: a .vds dataset always has it`);
    }
    if (parsed.kind === 'other') return;
    const container = await this.writableContainer();
    if (parsed.kind === 'page') {
      this.pendingPages.get(parsed.layer)?.delete(parsed.page);
      return;
    }
    if (this.pendingChunks.get(parsed.layer)?.delete(parsed.chunk)) return;
    const file = layerFile(container, parsed.layer);
    if (file && parsed.chunk < file.chunkCount) {
      await container.writeIndexEntry(file, parsed.chunk, { offset: 0, length: 0, metadata: new Uint8Array(file.header.chunkMetadataLength) });
    }
  }

  async *list(prefix = '', options?: ReadOptions): AsyncIterable<string> {
    const container = await this.ready;
    const keys: string[] = [];
    if (await this.layout(container) !== undefined) keys.push(LAYOUT_FILE);
    keys.push('LayerStatus');
    for (const key of keys) if (key.startsWith(prefix)) yield key;
    for (const file of container.list()) {
      if (file.header.fileType !== FileType.VDSLayer || !`${file.name}/`.startsWith(prefix.slice(0, file.name.length + 1))) continue;
      for (let page = 0; page < file.pageCount; page++) {
        throwIfAborted(options?.signal);
        const bytes = await container.readIndexPage(file, page);
        if (!bytes) continue;
        const pageKey = `${file.name}/ChunkMetadata/${page}`;
        if (pageKey.startsWith(prefix)) yield pageKey;
        const perPage = file.header.indexPageEntryCount;
        for (let entry = 0; entry < perPage && page * perPage + entry < file.chunkCount; entry++) {
          const key = `${file.name}/${page * perPage + entry}`;
          if (key.startsWith(prefix) && isWritten(readIndexEntry(bytes, entry, file.header.chunkMetadataLength))) yield key;
        }
      }
    }
    for (const [layer, chunks] of this.pendingChunks) {
      for (const chunk of chunks.keys()) if (`${layer}/${chunk}`.startsWith(prefix)) yield `${layer}/${chunk}`;
    }
  }

  /** Waits for writes in flight and releases the file. Uncommitted changes are dropped. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inflight, this.commits]);
    try {
      const container = await this.ready.catch(() => undefined);
      await container?.close();
    } finally {
      await this.lock?.release();
    }
  }

  // ---- opening and writer state

  private async openContainer(): Promise<BulkDataStore> {
    if (this.mode === 'read') return BulkDataStore.open(this.path, false);
    this.lock = await WriterLock.acquire(this.path);
    try {
      if (this.mode === 'create') return await BulkDataStore.create(this.path);
      try {
        return await BulkDataStore.open(this.path, true);
      } catch (error) {
        if ((error as StoreError).code !== 404) throw error;
        return await BulkDataStore.create(this.path);
      }
    } catch (error) {
      await this.lock.release();
      this.lock = undefined;
      throw error;
    }
  }

  private async writableContainer(): Promise<BulkDataStore> {
    if (this.closed) throw new InvalidOperationError(`${this.path} is closed`);
    const container = await this.ready;
    if (container.isWritable) return container;
    this.upgrading ??= (async () => {
      const lock = await WriterLock.acquire(this.path);
      try {
        await container.enableWriting();
        this.lock = lock;
      } catch (error) {
        await lock.release();
        throw error;
      }
    })().finally(() => { this.upgrading = undefined; });
    await this.upgrading;
    return container;
  }

  private serialize(work: () => Promise<void>): Promise<void> {
    const run = this.commits.then(work, work);
    this.commits = run.catch(() => undefined);
    return run;
  }

  private track(write: Promise<void>): Promise<void> {
    this.inflight.add(write);
    const forget = () => this.inflight.delete(write);
    write.then(forget, forget);
    return write;
  }

  // ---- VolumeDataLayout

  private layout(container: BulkDataStore): Promise<string | undefined> {
    this.layoutText ??= this.readLayout(container);
    this.layoutText.catch(() => { this.layoutText = undefined; });
    return this.layoutText;
  }

  private async readLayout(container: BulkDataStore): Promise<string | undefined> {
    const json = container.file(LAYOUT_FILE);
    if (json && json.header.fileType === FileType.JSONObject) return this.readTextFile(container, json);
    const legacy = container.file(LEGACY_LAYOUT_FILE);
    if (!legacy || legacy.header.fileType !== FileType.HueObject) return undefined;
    const text = await this.readTextFile(container, legacy);
    try {
      return vdsObjectToLayoutJson(text);
    } catch (error) {
      throw new VdsFileError(this.path, `its ${LEGACY_LAYOUT_FILE} cannot be read: ${errorMessage(error)}`);
    }
  }

  private async readTextFile(container: BulkDataStore, file: ContainerFile): Promise<string> {
    if (file.chunkCount < 1) throw new VdsFileError(this.path, `file "${file.name}" has no chunk`);
    const entry = await container.readIndexEntry(file, 0);
    return new TextDecoder().decode(await container.readData(entry, `file "${file.name}"`));
  }

  private async writeLayout(container: BulkDataStore, data: Uint8Array): Promise<void> {
    let file = container.file(LAYOUT_FILE);
    if (!file || file.header.fileType !== FileType.JSONObject || file.chunkCount !== 1) {
      file = container.addFile({
        name: LAYOUT_FILE, fileType: FileType.JSONObject, chunkCount: 1, indexPageEntryCount: 1, chunkMetadataLength: 0, fileMetadataLength: 0,
      });
    }
    const offset = data.length > 0 ? await container.appendData(data, LAYOUT_FILE) : 0;
    await container.writeIndexEntry(file, 0, { offset, length: data.length, metadata: new Uint8Array(0) });
    this.layoutText = undefined;
    await container.commit([file]);
  }

  // ---- LayerStatus

  private async layerStatusJson(container: BulkDataStore): Promise<string> {
    const channels = channelNames(await this.layout(container).catch(() => undefined));
    const entries: { entry: LayerStatusEntry; group: string; channel: number }[] = [];
    for (const file of container.list()) {
      if (file.header.fileType !== FileType.VDSLayer) continue;
      const match = LAYER_NAME.exec(file.name);
      if (!match || !isDimensionGroup(match[2]!)) continue;
      const [, channelPrefix, digits, lod] = match;
      const metadata = this.layerMetadata(file);
      const channelName = channelPrefix === '' ? channels[0] ?? '' : channelPrefix!;
      const channel = channelPrefix === '' ? 0 : channels.indexOf(channelPrefix!);
      const status: ChunkMetadataStatus = {
        chunkCount: file.chunkCount,
        chunkMetadataPageSize: file.header.indexPageEntryCount,
        chunkMetadataByteSize: isWaveletLayerFile(file) ? WAVELET_PAGE_ENTRY_BYTES : HASH_PAGE_ENTRY_BYTES,
        validChunkCount: metadata.validChunkCount,
        uncompressedSize: metadata.uncompressedSize,
        pageDirectory: Array.from({ length: file.pageCount }, (_, page) => (file.hasPage(page) ? page : -1)),
        adaptiveLevelSizes: metadata.adaptiveLevelSizes,
      };
      entries.push({
        entry: {
          layerName: file.name, channelName, dimensionGroup: `Dimensions_${digits}`, lod: Number(lod),
          produceStatus: VDSProduceStatus.Normal, compressionMethod: metadata.compressionMethod,
          compressionTolerance: metadata.compressionTolerance, chunkMetadata: status,
        },
        group: digits!,
        channel: channel === -1 ? Number.MAX_SAFE_INTEGER : channel,
      });
    }
    // OpenVDS's order: 2D groups before 3D ones, then channel, then LOD.
    entries.sort((a, b) => a.group.length - b.group.length || a.group.localeCompare(b.group) ||
      a.channel - b.channel || a.entry.lod - b.entry.lod);
    return serializeLayerStatusJson(entries.map((e) => e.entry));
  }

  private layerMetadata(file: ContainerFile): VDSLayerMetadata {
    const { chunkMetadataLength: cml, fileMetadataLength: fml } = file.header;
    const valid = (cml === CHUNK_METADATA_BYTES && fml === LAYER_METADATA_BYTES) ||
      (cml === WAVELET_CHUNK_METADATA_BYTES && fml === WAVELET_LAYER_METADATA_BYTES);
    if (!valid) {
      throw new VdsFileError(this.path, `layer file "${file.name}" has ${cml}-byte chunk metadata and ${fml}-byte file metadata ` +
        `(expected ${CHUNK_METADATA_BYTES}/${LAYER_METADATA_BYTES}, or ${WAVELET_CHUNK_METADATA_BYTES}/${WAVELET_LAYER_METADATA_BYTES} for wavelet layers)`);
    }
    const metadata = decodeLayerMetadata(file.fileMetadata);
    if (!isKnownCompressionMethod(metadata.compressionMethod)) {
      throw new VdsFileError(this.path, `layer file "${file.name}" has unknown compression method ${metadata.compressionMethod}`);
    }
    return metadata;
  }

  /** The engine's flush: folds held chunks and pages into the layer files, then commits. */
  private async applyLayerStatus(container: BulkDataStore, entries: readonly LayerStatusEntry[]): Promise<void> {
    await Promise.allSettled([...this.inflight]);
    for (const entry of entries) {
      if (entry.chunkMetadata) await this.applyLayer(container, entry, entry.chunkMetadata);
    }
    await container.commit(container.list().filter((f) => f.dirty));
  }

  private async applyLayer(container: BulkDataStore, entry: LayerStatusEntry, status: ChunkMetadataStatus): Promise<void> {
    const name = entry.layerName;
    const wavelet = status.chunkMetadataByteSize === WAVELET_PAGE_ENTRY_BYTES;
    if (!wavelet && status.chunkMetadataByteSize !== HASH_PAGE_ENTRY_BYTES) {
      throw new InvalidArgumentError(`LayerStatus of ${name} has chunk metadata size ${status.chunkMetadataByteSize}, expected 8 or 28`);
    }
    if (!LAYER_NAME.test(name) || name.includes('/')) throw new InvalidArgumentError(`LayerStatus names an invalid layer "${name}"`);
    const chunkMetadataLength = wavelet ? WAVELET_CHUNK_METADATA_BYTES : CHUNK_METADATA_BYTES;
    let file = layerFile(container, name);
    if (!file || file.chunkCount !== status.chunkCount || file.header.indexPageEntryCount !== status.chunkMetadataPageSize ||
      file.header.chunkMetadataLength !== chunkMetadataLength) {
      if (status.chunkCount < 0 || status.chunkCount > 0x7FFFFFFF || status.chunkMetadataPageSize <= 0) {
        throw new InvalidArgumentError(`LayerStatus of ${name} has ${status.chunkCount} chunks in pages of ${status.chunkMetadataPageSize}`);
      }
      file = container.addFile({
        name, fileType: FileType.VDSLayer, chunkCount: status.chunkCount, indexPageEntryCount: status.chunkMetadataPageSize,
        chunkMetadataLength, fileMetadataLength: wavelet ? WAVELET_LAYER_METADATA_BYTES : LAYER_METADATA_BYTES,
      });
    }
    for (const [chunk, pending] of this.pendingChunks.get(name) ?? []) {
      if (pending.record.length !== chunkMetadataLength) {
        throw new InvalidArgumentError(`Chunk ${name}/${chunk} carries a ${pending.record.length}-byte ${METADATA_HEADER} record; ` +
          `LayerStatus says the layer's records are ${chunkMetadataLength} bytes`);
      }
      await container.writeIndexEntry(file, chunk, { offset: pending.offset, length: pending.length, metadata: pending.record });
    }
    this.pendingChunks.delete(name);
    const pages = this.pendingPages.get(name);
    this.pendingPages.delete(name);
    for (let page = 0; page < file.pageCount; page++) {
      const pageName = status.pageDirectory ? status.pageDirectory[page] ?? -1 : page;
      if (pageName === -1) container.dropIndexPage(file, page);
      else if (pages?.has(pageName)) await this.absorbPage(container, file, page, pages.get(pageName)!, status);
    }
    const metadata = encodeLayerMetadata({
      compressionMethod: entry.compressionMethod,
      compressionTolerance: entry.compressionTolerance,
      validChunkCount: status.validChunkCount ?? await countWrittenChunks(container, file),
      uncompressedSize: status.uncompressedSize,
      adaptiveLevelSizes: status.adaptiveLevelSizes,
    }, wavelet);
    if (file.dirty || Buffer.compare(metadata, file.fileMetadata) !== 0) container.setFileMetadata(file, metadata);
  }

  /**
   * A chunk-metadata page says what the layer holds: its zero entries clear chunks, the others
   * must agree with the index (which already has every record).
   */
  private async absorbPage(container: BulkDataStore, file: ContainerFile, page: number, bytes: Uint8Array, status: ChunkMetadataStatus): Promise<void> {
    const entryBytes = status.chunkMetadataByteSize;
    const perPage = status.chunkMetadataPageSize;
    const where = `chunk metadata page ${page} of ${file.name}`;
    if (bytes.length !== perPage * entryBytes) {
      throw new InvalidArgumentError(`The ${where} has ${bytes.length} bytes, expected ${perPage * entryBytes}`);
    }
    const wavelet = entryBytes === WAVELET_PAGE_ENTRY_BYTES;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const index = await container.readIndexPage(file, page);
    const cml = file.header.chunkMetadataLength;
    for (let slot = 0; slot < perPage && page * perPage + slot < file.chunkCount; slot++) {
      const chunk = page * perPage + slot;
      const at = slot * entryBytes;
      const record = bytes.subarray(at + (wavelet ? 4 : 0), at + entryBytes);
      const hash = view.getBigUint64(at + (wavelet ? 4 : 0), true);
      const stored: IndexEntry = index ? readIndexEntry(index, slot, cml) : { offset: 0, length: 0, metadata: new Uint8Array(cml) };
      if (hash === 0n) {
        if (isWritten(stored)) await container.writeIndexEntry(file, chunk, { offset: 0, length: 0, metadata: new Uint8Array(cml) });
        continue;
      }
      if (!isWritten(stored)) throw new InvalidArgumentError(`The ${where} names chunk ${chunk}, which was never stored in ${this.path}`);
      const sizeAgrees = !wavelet || view.getUint32(at, true) === stored.length;
      if (Buffer.compare(record, stored.metadata) !== 0 || !sizeAgrees) {
        throw new InvalidArgumentError(`The ${where} disagrees with chunk ${chunk} as stored in ${this.path} ` +
          `(hash 0x${hash.toString(16)} vs 0x${hashOf(stored.metadata).toString(16)})`);
      }
    }
  }

  // ---- chunks and pages

  private async writeChunk(container: BulkDataStore, layer: string, chunk: number, data: Uint8Array, header: string | undefined, key: string): Promise<void> {
    if (header === undefined) throw new InvalidArgumentError(`Chunk ${key} needs its ${METADATA_HEADER} record to be stored in a .vds file`);
    const record = new Uint8Array(Buffer.from(header, 'base64'));
    if (record.length !== CHUNK_METADATA_BYTES && record.length !== WAVELET_CHUNK_METADATA_BYTES) {
      throw new InvalidArgumentError(`Chunk ${key} has a ${record.length}-byte ${METADATA_HEADER} record, expected 8 or 24`);
    }
    if (data.length > 0x7FFFFFFF) throw new InvalidArgumentError(`Chunk ${key} has ${data.length} bytes, more than a .vds extent holds`);
    const file = layerFile(container, layer);
    if (file && record.length !== file.header.chunkMetadataLength) {
      throw new InvalidArgumentError(`Chunk ${key} has a ${record.length}-byte ${METADATA_HEADER} record; layer file ${layer} keeps ${file.header.chunkMetadataLength} bytes`);
    }
    if (file && chunk >= file.chunkCount) throw new InvalidArgumentError(`Chunk ${key} is outside layer ${layer} (${file.chunkCount} chunks)`);
    const offset = data.length > 0 ? await container.appendData(data, `chunk ${key}`) : 0;
    if (file) {
      await container.writeIndexEntry(file, chunk, { offset, length: data.length, metadata: record });
      return;
    }
    let pending = this.pendingChunks.get(layer);
    if (!pending) this.pendingChunks.set(layer, pending = new Map());
    pending.set(chunk, { offset, length: data.length, record });
  }

  private async locateChunk(container: BulkDataStore, layer: string, chunk: number): Promise<PendingChunk | undefined> {
    const pending = this.pendingChunks.get(layer)?.get(chunk);
    if (pending) return pending;
    const file = layerFile(container, layer);
    if (!file || chunk >= file.chunkCount) return undefined;
    const entry = await container.readIndexEntry(file, chunk);
    return isWritten(entry) ? { offset: entry.offset, length: entry.length, record: entry.metadata } : undefined;
  }

  private async chunkData(container: BulkDataStore, layer: string, chunk: number, range: { offset: number; length: number } | undefined,
    options?: ReadOptions): Promise<Uint8Array | undefined> {
    const located = await this.locateChunk(container, layer, chunk);
    throwIfAborted(options?.signal);
    if (!located) return undefined;
    const bytes = await container.readData(located, `chunk ${layer}/${chunk}`, range && range.offset + range.length);
    return range ? bytes.slice(range.offset) : bytes;
  }

  private async chunkMetadataPage(container: BulkDataStore, layer: string, page: number): Promise<Uint8Array | undefined> {
    const held = this.pendingPages.get(layer)?.get(page);
    if (held) return held.slice();
    const file = layerFile(container, layer);
    if (!file || page >= file.pageCount) return undefined;
    const index = await container.readIndexPage(file, page);
    if (!index) return undefined;
    this.layerMetadata(file);
    const wavelet = isWaveletLayerFile(file);
    const perPage = file.header.indexPageEntryCount;
    const entryBytes = wavelet ? WAVELET_PAGE_ENTRY_BYTES : HASH_PAGE_ENTRY_BYTES;
    const bytes = new Uint8Array(perPage * entryBytes);
    const view = new DataView(bytes.buffer);
    for (let slot = 0; slot < perPage; slot++) {
      const entry = readIndexEntry(index, slot, file.header.chunkMetadataLength);
      if (wavelet) view.setUint32(slot * entryBytes, entry.length, true);
      bytes.set(entry.metadata, slot * entryBytes + (wavelet ? 4 : 0));
    }
    return bytes;
  }
}

function parseKey(key: string): ParsedKey {
  if (key === LAYOUT_FILE) return { kind: 'layout' };
  if (key === 'LayerStatus') return { kind: 'layerStatus' };
  const page = /^([^/]+)\/ChunkMetadata\/(0|[1-9]\d{0,9})$/.exec(key);
  if (page) return { kind: 'page', layer: page[1]!, page: Number(page[2]) };
  const chunk = /^([^/]+)\/(0|[1-9]\d{0,9})$/.exec(key);
  if (chunk && Number(chunk[2]) <= 0x7FFFFFFF) return { kind: 'chunk', layer: chunk[1]!, chunk: Number(chunk[2]) };
  return { kind: 'other' };
}

function layerFile(container: BulkDataStore, layer: string): ContainerFile | undefined {
  const file = container.file(layer);
  return file?.header.fileType === FileType.VDSLayer ? file : undefined;
}

function isWaveletLayerFile(file: ContainerFile): boolean {
  return file.header.chunkMetadataLength === WAVELET_CHUNK_METADATA_BYTES && file.header.fileMetadataLength === WAVELET_LAYER_METADATA_BYTES;
}

/** Digits of a dimension group: 2 or 3 increasing dimensions below 6. */
function isDimensionGroup(digits: string): boolean {
  return [...digits].every((d, i) => Number(d) < 6 && (i === 0 || d > digits[i - 1]!));
}

function hashOf(metadata: Uint8Array): bigint {
  return metadata.length >= 8 ? new DataView(metadata.buffer, metadata.byteOffset, 8).getBigUint64(0, true) : 0n;
}

/** Data, or a hash saying what the chunk holds (constant chunks have no data). */
function isWritten(entry: IndexEntry): boolean {
  return entry.length > 0 || hashOf(entry.metadata) !== 0n;
}

async function countWrittenChunks(container: BulkDataStore, file: ContainerFile): Promise<number> {
  let count = 0;
  for (let page = 0; page < file.pageCount; page++) {
    const bytes = await container.readIndexPage(file, page);
    const perPage = file.header.indexPageEntryCount;
    for (let slot = 0; bytes && slot < perPage && page * perPage + slot < file.chunkCount; slot++) {
      if (isWritten(readIndexEntry(bytes, slot, file.header.chunkMetadataLength))) count++;
    }
  }
  return count;
}

/** Channel names of a layout JSON text, primary first; empty when it cannot be read. */
function channelNames(layoutJson: string | undefined): string[] {
  try {
    const channels = (JSON.parse(layoutJson ?? '{}') as { channelDescriptors?: { name?: unknown }[] }).channelDescriptors;
    return Array.isArray(channels) ? channels.map((c) => (typeof c?.name === 'string' ? c.name : '')) : [];
  } catch {
    return [];
  }
}
