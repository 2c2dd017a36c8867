// A dataset in a single `.vds` file (HueBulkDataStore, format sheet 6, 7.3): OpenVDS's
// VolumeDataStoreVDSFile. The layout is the 'JSON' file (or the legacy 'OBJ ' VDSObject); each
// produced layer is a 'VDS ' file whose index entries are the chunk metadata and whose file
// metadata is the layer status. Nothing is synthesized: the layer files are read and written as
// they are.
//
// Writes stay invisible to other processes until a commit: `writeLayout` commits the layout file,
// `flush` every changed layer file. A commit is copy-on-write (bulkDataStore.ts), so a writer
// interrupted at any point leaves the last commit readable. One process writes a file at a time:
// the writer holds `<file>.lock` (fileLock.ts), taken at the first write when opened for reading.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { throwIfAborted } from '../../src/async/abort.js';
import type {
  ChunkMetadata, CreateOptions, DatasetStore, FileExtent, LayerProduction, ReadChunkOptions, SignalOptions, WriteChunkOptions,
} from '../../src/engine/datasetStore.js';
import { adaptivePrefixSize, WAVELET_ADAPTIVE_LEVELS } from '../../src/model/adaptiveLevels.js';
import { isWaveletCompression } from '../../src/model/enums.js';
import { InvalidArgumentError, InvalidOperationError, NotFoundError } from '../../src/model/errors.js';
import { type VolumeDataLayer, VolumeDataLayers } from '../../src/model/geometry/layers.js';
import { compareInLayerStatusOrder, type LayerStatusEntry, producedLayerStatus, validateLayerStatus } from '../../src/model/layout/layerStatus.js';
import { parseVolumeDataLayoutJson, serializeVolumeDataLayoutJson } from '../../src/model/layout/layoutJson.js';
import { layersOf, VolumeDataLayout } from '../../src/model/layout/volumeDataLayout.js';
import { BulkDataStore, type ContainerFile } from '../vdsFile/bulkDataStore.js';
import { WriterLock } from '../vdsFile/fileLock.js';
import { FileType } from '../vdsFile/fileTable.js';
import type { IndexEntry } from '../vdsFile/indexPage.js';
import { chunkMetadataOf, isWaveletLayerFile, type LayerFileState, layerFileMetadata, newLayerFile, readLayerFile } from '../vdsFile/layerFile.js';
import { readLayoutJson, writeLayoutJson } from '../vdsFile/layoutFile.js';
import { encodeChunkRecord } from './chunkRecord.js';
import type { StoreIntent } from '../stores/openStore.js';
import { recordChunkWrite } from './metadataStatus.js';

/**
 * `read`: the first write makes this handle the file's writer (taking the lock), as OpenVDS's
 * EnableWriting does. `write`: locked from `open` on, for a handle that is going to write.
 */
export type VdsFileMode = 'read' | 'write';

/** A produced layer: its file and the status its file metadata holds. */
interface Layer extends LayerFileState {
  file: ContainerFile;
  wavelet: boolean;
  entry: LayerStatusEntry;
  /** The file this layer replaced, whose chunk extents a copy may find again (`ifChanged`). */
  previous?: ContainerFile;
}

export class VdsFileDataset implements DatasetStore {
  readonly description: string;
  private container?: BulkDataStore;
  private lock?: WriterLock;
  private upgrading?: Promise<BulkDataStore>;
  private layers?: VolumeDataLayers;
  private readonly produced = new Map<string, Layer>();
  private readonly inflight = new Set<Promise<unknown>>();
  /** Commits run one at a time: each writes a file table from the previous one. */
  private commits: Promise<unknown> = Promise.resolve();
  /** A deferred create's layout, written by the next flush after the layer files. */
  private unwrittenLayout?: VolumeDataLayout;
  private closed = false;

  constructor(readonly path: string, readonly mode: VdsFileMode = 'read') {
    if (mode !== 'read' && mode !== 'write') throw new InvalidArgumentError(`Invalid .vds open mode "${String(mode)}"`);
    this.description = path;
  }

  /**
   * Reads the file. Opening again, also after `close`, reads it afresh (what was not flushed is
   * dropped): a handle may be opened by several VDS objects in turn, as a store may.
   */
  async open(options?: SignalOptions): Promise<VolumeDataLayout> {
    throwIfAborted(options?.signal);
    await Promise.allSettled([...this.inflight, this.commits]);
    this.closed = false;
    await this.container?.close();
    this.container = undefined;
    this.produced.clear();
    this.unwrittenLayout = undefined;
    if (this.mode === 'write') this.lock ??= await WriterLock.acquire(this.path);
    try {
      this.container = await BulkDataStore.open(this.path, this.lock !== undefined);
      const json = await readLayoutJson(this.container);
      if (json === undefined) {
        // Nothing but layer files: a create or copy that stopped before its layout (written last by a copy).
        const interrupted = this.container.list().every((file) => file.header.fileType === FileType.VDSLayer);
        throw new NotFoundError(interrupted
          ? `${this.path} was not completely created (its create or copy was interrupted): it has no VolumeDataLayout file; create or copy it again`
          : `${this.path} holds no VDS dataset: it has no VolumeDataLayout (or VDSObject) file`);
      }
      const parsed = parseVolumeDataLayoutJson(json);
      const layout = new VolumeDataLayout(parsed.layoutDescriptor, parsed.axisDescriptors, parsed.channelDescriptors, parsed.metadata);
      this.layers = layersOf(layout);
      for (const file of this.container.list()) {
        const layer = file.header.fileType === FileType.VDSLayer ? this.layers.byLayerName(file.name) : undefined;
        // Like OpenVDS, files that name no layer of the layout are never read.
        if (layer && !layer.isVirtual) this.produced.set(layer.name, this.layerOf(layer, file, readLayerFile(file, this.path)));
      }
      validateLayerStatus(this.layerStatuses(), this.layers);
      return layout;
    } catch (error) {
      await this.release();
      throw error;
    }
  }

  /**
   * A new file (OpenVDS's Create mode), with the layout file at once. `deferred` (a copy) keeps the
   * file's layer files until layers replace them, so chunks it holds already are found again, and
   * writes the layout only at the first flush, after the layers: the dataset opens once complete.
   */
  async create(layout: VolumeDataLayout, { signal, deferred = false }: CreateOptions = {}): Promise<void> {
    throwIfAborted(signal);
    this.assertOpen();
    try {
      if (deferred && this.container) {
        await this.writable();
      } else {
        this.lock ??= await WriterLock.acquire(this.path);
        await this.container?.close();
        this.container = undefined;
        this.container = deferred ? await existingContainer(this.path) ?? await BulkDataStore.create(this.path) : await BulkDataStore.create(this.path);
      }
      this.produced.clear();
      this.layers = layersOf(layout);
      if (deferred) this.unwrittenLayout = layout;
      else await this.serialize(() => writeLayoutJson(this.container!, serializeVolumeDataLayoutJson(layout)));
    } catch (error) {
      await this.release();
      throw error;
    }
  }

  layerStatus(layerName: string): LayerStatusEntry | undefined {
    return this.produced.get(layerName)?.entry;
  }

  /** OpenVDS's order: dimension group (2D before 3D), then channel, then LOD. */
  layerStatuses(): readonly LayerStatusEntry[] {
    return [...this.produced.keys()].map((name) => this.layers!.byLayerName(name)!).sort(compareInLayerStatusOrder)
      .map((layer) => this.produced.get(layer.name)!.entry);
  }

  async chunkMetadata(layer: VolumeDataLayer, chunkIndex: number, options?: SignalOptions): Promise<ChunkMetadata> {
    throwIfAborted(options?.signal);
    const container = this.openedContainer();
    const { file } = this.producedLayer(layer, chunkIndex);
    return chunkMetadataOf(await container.readIndexEntry(file, chunkIndex));
  }

  async readChunk(layer: VolumeDataLayer, chunkIndex: number, options: ReadChunkOptions): Promise<Uint8Array> {
    throwIfAborted(options.signal);
    const container = this.openedContainer();
    const { file, wavelet } = this.producedLayer(layer, chunkIndex);
    // The index entry, not `options.metadata`: it is where the extent is, and what OpenVDS reads too.
    const entry = await container.readIndexEntry(file, chunkIndex);
    const { hash, adaptiveLevels } = chunkMetadataOf(entry);
    if (hash === 0n && entry.length === 0) throw new NotFoundError(`Chunk ${layer.name}/${chunkIndex} of ${this.path} was never written`);
    const level = options.adaptiveLevel ?? -1;
    const size = wavelet && adaptiveLevels ? adaptivePrefixSize(entry.length, level, adaptiveLevels) : entry.length;
    const bytes = await container.readData(entry, `chunk ${chunkIndex} of "${layer.name}"`, size, options.into);
    throwIfAborted(options.signal);
    return bytes;
  }

  readonly localFiles = true;

  async chunkFile(layer: VolumeDataLayer, chunkIndex: number, options: Omit<ReadChunkOptions, 'into'>): Promise<FileExtent | undefined> {
    throwIfAborted(options.signal);
    const { file, wavelet } = this.producedLayer(layer, chunkIndex);
    const entry = await this.openedContainer().readIndexEntry(file, chunkIndex);
    // A chunk never written is readChunk's NotFoundError.
    if (entry.length === 0) return undefined;
    const { adaptiveLevels } = chunkMetadataOf(entry);
    const length = wavelet && adaptiveLevels ? adaptivePrefixSize(entry.length, options.adaptiveLevel ?? -1, adaptiveLevels) : entry.length;
    return { path: this.path, offset: entry.offset, length };
  }

  produceLayer(layer: VolumeDataLayer, production: LayerProduction): LayerStatusEntry {
    this.assertOpen();
    const container = this.openedContainer();
    const existing = this.produced.get(layer.name);
    // Rewriting in place keeps a layer the file has (OpenVDS's AddLayer without overwriteExisting).
    if (existing && production.keepChunks) return existing.entry;
    const { compressionMethod, chunkMetadataPageSize } = production;
    if (layer.isVirtual) throw new InvalidArgumentError(`Layer ${layer.name} is virtual: it is never stored`);
    if (!Number.isInteger(chunkMetadataPageSize) || chunkMetadataPageSize <= 0) {
      throw new InvalidArgumentError(`chunkMetadataPageSize of layer ${layer.name} must be a positive integer, got ${chunkMetadataPageSize}`);
    }
    if (layer.chunkCount > 0x7FFFFFFF) throw new InvalidArgumentError(`Layer ${layer.name} has ${layer.chunkCount} chunks, more than a .vds layer file holds`);
    const wavelet = isWaveletCompression(compressionMethod);
    const previous = container.file(layer.name);
    // Only the working state: the file is written with the layer's first commit.
    const file = container.addFile(newLayerFile(layer.name, layer.chunkCount, chunkMetadataPageSize, wavelet));
    // A new file's zeroed metadata reads as an empty layer: no valid chunks, all counters 0.
    const state = readLayerFile(file, this.path);
    const produced = this.layerOf(layer, file, { ...state, compressionMethod, compressionTolerance: Math.fround(production.compressionTolerance) });
    if (previous?.header.fileType === FileType.VDSLayer && previous.header.chunkMetadataLength === file.header.chunkMetadataLength) produced.previous = previous;
    this.produced.set(layer.name, produced);
    return produced.entry;
  }

  writeChunk(layer: VolumeDataLayer, chunkIndex: number, serialized: Uint8Array, metadata: ChunkMetadata,
    uncompressedSize: number, options?: WriteChunkOptions): Promise<boolean> {
    const write = this.storeChunk(layer, chunkIndex, serialized, metadata, uncompressedSize, options);
    this.inflight.add(write);
    const settle = () => this.inflight.delete(write);
    write.then(settle, settle);
    return write;
  }

  async writeLayout(layout: VolumeDataLayout, options?: SignalOptions): Promise<void> {
    throwIfAborted(options?.signal);
    const container = await this.writable();
    await this.serialize(() => writeLayoutJson(container, serializeVolumeDataLayoutJson(layout)));
  }

  /** OpenVDS's Flush: every changed layer file gets its file metadata (the counters) and is committed. */
  async flush(options?: SignalOptions): Promise<void> {
    throwIfAborted(options?.signal);
    this.assertOpen();
    const changed = [...this.produced.values()].filter(({ file }) => file.dirty);
    const layout = this.unwrittenLayout;
    if (changed.length === 0 && !layout) return;
    const container = await this.writable();
    await this.serialize(async () => {
      for (const layer of changed) container.setFileMetadata(layer.file, layerFileMetadata(layer, layer.wavelet));
      if (changed.length > 0) await container.commit(changed.map(({ file }) => file));
      // A deferred create's layout goes last: it is what makes the file a dataset.
      if (layout) await writeLayoutJson(container, serializeVolumeDataLayoutJson(layout));
      this.unwrittenLayout = undefined;
    });
  }

  /** Waits for writes in flight and releases the file and the lock; what was not flushed is dropped. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inflight, this.commits, this.upgrading]);
    await this.release();
  }

  private async storeChunk(layer: VolumeDataLayer, chunkIndex: number, serialized: Uint8Array, metadata: ChunkMetadata,
    uncompressedSize: number, { signal, ifChanged = false }: WriteChunkOptions = {}): Promise<boolean> {
    throwIfAborted(signal);
    this.assertOpen();
    const produced = this.produced.get(layer.name);
    if (!produced) throw new InvalidOperationError(`Cannot write chunk ${layer.name}/${chunkIndex} to ${this.path}: layer ${layer.name} was not produced`);
    checkChunkIndex(layer, chunkIndex);
    if (serialized.length > 0x7FFFFFFF) throw new InvalidArgumentError(`Chunk ${layer.name}/${chunkIndex} has ${serialized.length} bytes, more than a .vds extent holds`);
    if (produced.wavelet && metadata.adaptiveLevels && metadata.adaptiveLevels.length !== WAVELET_ADAPTIVE_LEVELS) {
      throw new InvalidArgumentError(`Chunk ${layer.name}/${chunkIndex} has ${metadata.adaptiveLevels.length} adaptive levels, expected ${WAVELET_ADAPTIVE_LEVELS}`);
    }
    const record = encodeChunkRecord(metadata, produced.wavelet);
    const container = await this.writable();
    const held = ifChanged ? await this.heldExtent(produced, chunkIndex, record, serialized.length) : undefined;
    if (held === 'recorded') return false;
    // Data first, then the index entry: the entry never points at bytes not written yet.
    const offset = held ?? (serialized.length > 0 ? await container.appendData(serialized, `chunk ${chunkIndex} of "${layer.name}"`) : 0);
    const old = await container.writeIndexEntry(produced.file, chunkIndex, { offset, length: serialized.length, metadata: record });
    recordChunkWrite(produced.status, produced.wavelet, chunkMetadataOf(old), metadata, serialized.length, uncompressedSize);
    return held === undefined;
  }

  /**
   * Where the file holds this very chunk already (the same record, whose hash is unique per write):
   * 'recorded' when the layer's entry has it, else the offset of its extent in the file the layer
   * replaced. Extents are never overwritten, so a new entry may point at an old one.
   */
  private async heldExtent(produced: Layer, chunkIndex: number, record: Uint8Array, length: number): Promise<number | 'recorded' | undefined> {
    const same = (entry: IndexEntry) => entry.length === length && chunkMetadataOf(entry).hash !== 0n && Buffer.compare(entry.metadata, record) === 0;
    const container = this.openedContainer();
    if (same(await container.readIndexEntry(produced.file, chunkIndex))) return 'recorded';
    if (!produced.previous || chunkIndex >= produced.previous.chunkCount) return undefined;
    const before = await container.readIndexEntry(produced.previous, chunkIndex);
    return same(before) ? before.offset : undefined;
  }

  private layerOf(layer: VolumeDataLayer, file: ContainerFile, state: LayerFileState): Layer {
    const entry = producedLayerStatus(layer, state.compressionMethod, state.compressionTolerance, state.status);
    return { ...state, file, wavelet: isWaveletLayerFile(file), entry };
  }

  /** The layer's file; a layer the file does not have is OpenVDS's 404, never zeros. */
  private producedLayer(layer: VolumeDataLayer, chunkIndex: number): Layer {
    const produced = this.produced.get(layer.name);
    if (!produced) throw new NotFoundError(`Object: ${layer.name}/${chunkIndex} not found. (${this.path} has no layer ${layer.name})`);
    checkChunkIndex(layer, chunkIndex);
    return produced;
  }

  /** The container, made writable: the first write takes the writer lock. */
  private async writable(): Promise<BulkDataStore> {
    this.assertOpen();
    const container = this.openedContainer();
    if (container.isWritable) return container;
    this.upgrading ??= (async () => {
      const lock = await WriterLock.acquire(this.path);
      try {
        await container.enableWriting();
      } catch (error) {
        await lock.release();
        throw error;
      }
      this.lock = lock;
      return container;
    })().finally(() => { this.upgrading = undefined; });
    return this.upgrading;
  }

  private serialize(work: () => Promise<void>): Promise<void> {
    const run = this.commits.then(work, work);
    this.commits = run.catch(() => undefined);
    return run;
  }

  private async release(): Promise<void> {
    const { container, lock } = this;
    this.produced.clear();
    this.container = undefined;
    this.lock = undefined;
    try {
      await container?.close();
    } finally {
      await lock?.release();
    }
  }

  private openedContainer(): BulkDataStore {
    this.assertOpen();
    if (!this.container) throw new InvalidOperationError(`${this.path} is not open: call open or create first`);
    return this.container;
  }

  private assertOpen(): void {
    if (this.closed) throw new InvalidOperationError(`${this.path} is closed`);
  }
}

/** The container at `path` for update, or undefined when there is no file. */
async function existingContainer(path: string): Promise<BulkDataStore | undefined> {
  try {
    return await BulkDataStore.open(path, true);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}


function checkChunkIndex(layer: VolumeDataLayer, chunkIndex: number): void {
  if (!Number.isInteger(chunkIndex) || chunkIndex < 0 || chunkIndex >= layer.chunkCount) {
    throw new InvalidArgumentError(`Chunk index ${chunkIndex} is outside layer ${layer.name} (0…${layer.chunkCount - 1})`);
  }
}

/**
 * The `.vds` dataset a URL names (a path or a `file://` URL ending in `.vds`), or undefined for any
 * other URL: those name key/value stores (openStore). `open` reads (the first write takes the
 * lock); `create` and `update` are for writers.
 */
export function vdsFileDatasetFor(url: string, intent: StoreIntent = 'open'): VdsFileDataset | undefined {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'file') return undefined;
  const path = scheme === 'file' ? fileURLToPath(url) : url;
  return path.toLowerCase().endsWith('.vds') ? vdsFileDatasetAt(path, intent) : undefined;
}

/** The `.vds` dataset at a path (VDSFileOpenOptions's fileName), whatever its name ends in. */
export function vdsFileDatasetAt(path: string, intent: StoreIntent = 'open'): VdsFileDataset {
  if (path === '') throw new InvalidArgumentError('VDSFileOpenOptions needs a fileName');
  return new VdsFileDataset(resolve(path), intent === 'open' ? 'read' : 'write');
}
