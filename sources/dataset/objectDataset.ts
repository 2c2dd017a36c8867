// A dataset kept as objects in a key/value store (format sheet 1): the one place that knows the
// object keys (`VolumeDataLayout`, `LayerStatus`, `<layer>/<chunk>`, `<layer>/ChunkMetadata/<page>`),
// the `vdschunkmetadata` record each chunk object carries, and the MIME types objects are written
// with. Layers with chunk-metadata pages read them lazily; layers without (format sheet 1.4) look
// each chunk up in its object.
import { isWaveletCompression, VDSProduceStatus } from '../../src/model/enums.js';
import { adaptivePrefixSize, BEST_QUALITY } from '../../src/model/adaptiveLevels.js';
import { InvalidOperationError, NotFoundError, ReadError } from '../../src/model/errors.js';
import { type VolumeDataLayer, VolumeDataLayers } from '../../src/model/geometry/layers.js';
import { compareInLayerStatusOrder, type LayerStatusEntry, producedLayerStatus, validateLayerStatus } from '../../src/model/layout/layerStatus.js';
import { parseLayerStatusJson, parseVolumeDataLayoutJson, serializeLayerStatusJson, serializeVolumeDataLayoutJson } from '../../src/model/layout/layoutJson.js';
import { layersOf, VolumeDataLayout } from '../../src/model/layout/volumeDataLayout.js';
import { isDefinedHash, UNKNOWN_HASH } from '../../src/codecs/volumeDataHash.js';
import type {
  ChunkMetadata, CreateOptions, DatasetStore, FileExtent, LayerProduction, ReadChunkOptions, SignalOptions, WriteChunkOptions,
} from '../../src/engine/datasetStore.js';
import { throwIfAborted } from '../../src/async/abort.js';
import { CHUNK_METADATA_KEY } from '../stores/metadataHeaders.js';
import { objectInfo, type Store } from '../stores/store.js';
import { ChunkMetadataPages, UNRECORDED_CHUNK_HASH } from './chunkMetadataPages.js';
import { decodeChunkRecord, encodeChunkRecord, HASH_RECORD_BYTES, WAVELET_RECORD_BYTES } from './chunkRecord.js';
import { decodeBase64, encodeBase64 } from '../../src/model/base64.js';

const LAYOUT_KEY = 'VolumeDataLayout';
const LAYER_STATUS_KEY = 'LayerStatus';
const JSON_TYPE = 'application/json';
const BINARY_TYPE = 'application/octet-stream';

interface LayerState {
  entry: LayerStatusEntry;
  /** Created on first use (they need the layer); absent for layers without pages. */
  pages?: ChunkMetadataPages;
}

export class ObjectDataset implements DatasetStore {
  readonly description: string;
  private layers?: VolumeDataLayers;
  private readonly states = new Map<string, LayerState>();
  private layerStatusDirty = false;
  /** A deferred create's layout, written by the next flush after the layer status. */
  private unwrittenLayout?: VolumeDataLayout;

  constructor(readonly store: Store) {
    this.description = store.description;
  }

  async open({ signal }: SignalOptions = {}): Promise<VolumeDataLayout> {
    throwIfAborted(signal);
    const [layoutBytes, statusBytes] = await Promise.all([this.store.get(LAYOUT_KEY, { signal }), this.store.get(LAYER_STATUS_KEY, { signal })]);
    // A store may finish a read it was asked to abort; the caller has given up all the same.
    throwIfAborted(signal);
    // One without the other is a create (or copy) that stopped between its two writes.
    if (!layoutBytes?.length && !statusBytes?.length) throw new NotFoundError(`it has no ${LAYOUT_KEY} object (is it a VDS dataset?)`);
    if (!layoutBytes?.length) {
      throw new NotFoundError(`it was not completely created (its create or copy was interrupted): it has no ${LAYOUT_KEY}, ` +
        `only a ${LAYER_STATUS_KEY}; create or copy it again`);
    }
    if (!statusBytes?.length) {
      throw new NotFoundError(`it was not completely created (its create was interrupted): it has a ${LAYOUT_KEY} but no ` +
        `${LAYER_STATUS_KEY}; create it again`);
    }
    const parsed = parseVolumeDataLayoutJson(decodeText(layoutBytes, LAYOUT_KEY));
    const entries = parseLayerStatusJson(decodeText(statusBytes, LAYER_STATUS_KEY));
    const layout = new VolumeDataLayout(parsed.layoutDescriptor, parsed.axisDescriptors, parsed.channelDescriptors, parsed.metadata);
    this.layers = layersOf(layout);
    validateLayerStatus(entries, this.layers);
    for (const entry of entries) this.states.set(entry.layerName, { entry });
    return layout;
  }

  async create(layout: VolumeDataLayout, { signal, deferred = false }: CreateOptions = {}): Promise<void> {
    this.layers = layersOf(layout);
    this.states.clear();
    if (deferred) {
      this.unwrittenLayout = layout;
      this.layerStatusDirty = true;
      return;
    }
    // An empty LayerStatus first (OpenVDS writes it second), then the layout: stopped between the
    // two, a dataset that was there opens with its own layout and no layers (never its old chunks
    // under the new layout), and a new one is reported as not completely created.
    await this.store.set(LAYER_STATUS_KEY, utf8('[]'), { contentType: JSON_TYPE, signal });
    await this.writeLayout(layout, { signal });
  }

  layerStatus(layerName: string): LayerStatusEntry | undefined {
    return this.states.get(layerName)?.entry;
  }

  layerStatuses(): readonly LayerStatusEntry[] {
    return [...this.states.values()].map((s) => s.entry);
  }

  async chunkMetadata(layer: VolumeDataLayer, chunkIndex: number, { signal }: SignalOptions = {}): Promise<ChunkMetadata> {
    const state = this.states.get(layer.name);
    const pages = state && this.pagesOf(state, layer);
    if (pages) return pages.read(chunkIndex, signal);
    const metadata = await this.chunkObjectMetadata(layer, chunkIndex, state?.entry, signal);
    // A layer LayerStatus does not list (an LOD or channel nobody wrote, though its group reports
    // Normal) has no never-written chunks: a missing object is OpenVDS's 404, never zeros.
    if (!state && !isDefinedHash(metadata.hash)) {
      throw new NotFoundError(`Object: ${chunkKey(layer, chunkIndex)} not found. (LayerStatus does not list ${layer.name})`);
    }
    return metadata;
  }

  async readChunk(layer: VolumeDataLayer, chunkIndex: number, { metadata, adaptiveLevel = BEST_QUALITY, signal, into }: ReadChunkOptions): Promise<Uint8Array> {
    const key = chunkKey(layer, chunkIndex);
    const prefix = this.store.getRange ? prefixSize(metadata, adaptiveLevel) : undefined;
    const bytes = prefix !== undefined
      ? await this.store.getRange!(key, { offset: 0, length: prefix }, { signal })
      : await this.store.get(key, { signal, into });
    if (!bytes) throw new NotFoundError(`Chunk ${key} is missing from ${this.description}`);
    return bytes;
  }

  get localFiles(): boolean {
    return this.store.localFile !== undefined;
  }

  async chunkFile(layer: VolumeDataLayer, chunkIndex: number, { metadata, adaptiveLevel = BEST_QUALITY }: Omit<ReadChunkOptions, 'into'>): Promise<FileExtent | undefined> {
    const file = this.store.localFile?.(chunkKey(layer, chunkIndex));
    const prefix = prefixSize(metadata, adaptiveLevel);
    return file && (prefix === undefined ? file : { ...file, length: prefix });
  }

  produceLayer(layer: VolumeDataLayer, production: LayerProduction): LayerStatusEntry {
    const old = this.states.get(layer.name);
    // Rewriting a layer that has chunk objects but no pages: keep them, and the compression they have.
    const adopt = production.keepChunks === true && !old?.entry.chunkMetadata;
    const { compressionMethod, compressionTolerance } = adopt && old ? old.entry : production;
    const wavelet = isWaveletCompression(compressionMethod);
    const pageSize = production.chunkMetadataPageSize;
    const pages = adopt
      ? ChunkMetadataPages.adopting(this.store, layer, wavelet, pageSize, (chunkIndex, signal) =>
        this.chunkObjectMetadata(layer, chunkIndex, old?.entry, signal))
      : ChunkMetadataPages.empty(this.store, layer, wavelet, pageSize);
    const entry = producedLayerStatus(layer, compressionMethod, compressionTolerance, pages.status);
    this.states.set(layer.name, { entry, pages });
    this.layerStatusDirty = true;
    return entry;
  }

  async writeChunk(layer: VolumeDataLayer, chunkIndex: number, serialized: Uint8Array, metadata: ChunkMetadata,
    uncompressedSize: number, { signal, ifChanged = false }: WriteChunkOptions = {}): Promise<boolean> {
    const pages = this.producedPages(layer, chunkIndex, 'write');
    const key = chunkKey(layer, chunkIndex);
    const header = encodeBase64(encodeChunkRecord(metadata, pages.isWavelet));
    const stored = ifChanged && await this.holds(key, serialized, header, signal);
    if (!stored) await this.store.set(key, serialized, { contentType: BINARY_TYPE, metadata: { [CHUNK_METADATA_KEY]: header }, signal });
    await pages.write(chunkIndex, metadata, serialized.byteLength, uncompressedSize);
    return !stored;
  }

  /**
   * Records a chunk another handle stored (a distributed import's workers write chunk objects,
   * one process writes the pages): the next flush publishes it as if written here.
   */
  async recordChunk(layer: VolumeDataLayer, chunkIndex: number, metadata: ChunkMetadata, serializedSize: number, uncompressedSize: number): Promise<void> {
    await this.producedPages(layer, chunkIndex, 'record').write(chunkIndex, metadata, serializedSize, uncompressedSize);
  }

  private producedPages(layer: VolumeDataLayer, chunkIndex: number, verb: string): ChunkMetadataPages {
    const state = this.states.get(layer.name);
    const pages = state && this.pagesOf(state, layer);
    if (!pages) throw new InvalidOperationError(`Cannot ${verb} chunk ${chunkIndex} of ${layer.name}: the layer is not being produced`);
    return pages;
  }

  /** Whether the object at `key` is already `serialized` with record `header` (by its bytes where the store keeps no record). */
  private async holds(key: string, serialized: Uint8Array, header: string, signal?: AbortSignal): Promise<boolean> {
    const info = await this.store.head?.(key, { signal });
    if (!info || info.size !== serialized.byteLength) return false;
    const theirs = info.metadata?.[CHUNK_METADATA_KEY];
    if (theirs !== undefined) return theirs === header;
    const current = await this.store.get(key, { signal });
    return current !== undefined && current.length === serialized.length && current.every((byte, i) => byte === serialized[i]);
  }

  async writeLayout(layout: VolumeDataLayout, { signal }: SignalOptions = {}): Promise<void> {
    await this.store.set(LAYOUT_KEY, utf8(serializeVolumeDataLayoutJson(layout)), { contentType: JSON_TYPE, signal });
  }

  async flush({ signal }: SignalOptions = {}): Promise<void> {
    // Pages before LayerStatus: a reader never sees a page directory naming a missing page.
    for (const state of this.states.values()) {
      if (await state.pages?.flush(signal)) this.layerStatusDirty = true;
    }
    if (this.layerStatusDirty) {
      await this.store.set(LAYER_STATUS_KEY, utf8(serializeLayerStatusJson(this.orderedEntries())), { contentType: JSON_TYPE, signal });
      this.layerStatusDirty = false;
    }
    // A deferred create's layout goes last: it is what makes the objects a dataset.
    if (this.unwrittenLayout) {
      await this.writeLayout(this.unwrittenLayout, { signal });
      this.unwrittenLayout = undefined;
    }
  }

  async close(): Promise<void> {
    await this.store.close?.();
  }

  private pagesOf(state: LayerState, layer: VolumeDataLayer): ChunkMetadataPages | undefined {
    if (!state.pages && state.entry.chunkMetadata) state.pages = new ChunkMetadataPages(this.store, layer, state.entry.chunkMetadata);
    return state.pages;
  }

  /**
   * A chunk's metadata from its object (layers without pages, format sheet 1.4): none means never
   * written (hash 0), else the object's `vdschunkmetadata` record. The record's size says whether
   * it is a wavelet one; a listed layer's compression must agree.
   */
  private async chunkObjectMetadata(layer: VolumeDataLayer, chunkIndex: number, entry: LayerStatusEntry | undefined,
    signal?: AbortSignal): Promise<ChunkMetadata> {
    if (!Number.isInteger(chunkIndex) || chunkIndex < 0 || chunkIndex >= layer.chunkCount) {
      throw new ReadError(`Chunk index ${chunkIndex} is outside layer ${layer.name} (0…${layer.chunkCount - 1})`);
    }
    const key = chunkKey(layer, chunkIndex);
    const info = await objectInfo(this.store, key, { signal });
    if (!info) return { hash: UNKNOWN_HASH };
    const header = info.metadata?.[CHUNK_METADATA_KEY];
    if (header === undefined) {
      // A constant chunk is an empty object whose value only the record holds (OpenVDS: "Missing metadata").
      if (info.size === 0) throw new ReadError(`Missing metadata for chunk ${key}: the object is empty and has no ${CHUNK_METADATA_KEY} record`);
      return { hash: UNRECORDED_CHUNK_HASH, serializedSize: info.size };
    }
    const record = decodeBase64(header);
    const wavelet = entry ? isWaveletCompression(entry.compressionMethod) : record?.length === WAVELET_RECORD_BYTES;
    const expected = wavelet ? WAVELET_RECORD_BYTES : HASH_RECORD_BYTES;
    if (record?.length !== expected) {
      throw new ReadError(`The ${CHUNK_METADATA_KEY} record of chunk ${key} has ${record ? `${record.length} bytes` : 'no base64 text'}, ` +
        `a ${wavelet ? 'wavelet' : 'non-wavelet'} layer has ${expected}`);
    }
    return decodeChunkRecord(record, info.size);
  }

  /** LayerStatus order: dimension group (2D then 3D), then channel, then LOD. */
  private orderedEntries(): LayerStatusEntry[] {
    const layers = this.layers!;
    return [...this.states.values()]
      .map(({ entry }) => ({ entry, layer: layers.byLayerName(entry.layerName)! }))
      .filter(({ entry }) => entry.produceStatus === VDSProduceStatus.Normal)
      .sort((a, b) => compareInLayerStatusOrder(a.layer, b.layer))
      .map(({ entry }) => entry);
  }
}

function chunkKey(layer: VolumeDataLayer, chunkIndex: number): string {
  return `${layer.name}/${chunkIndex}`;
}


function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function decodeText(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ReadError(`${what} is not UTF-8 text`);
  }
}

/** Bytes of a wavelet chunk to fetch for a coarser adaptive level: undefined for the whole object. */
function prefixSize({ serializedSize: size, adaptiveLevels }: ChunkMetadata, adaptiveLevel: number): number | undefined {
  if (adaptiveLevel === BEST_QUALITY || !adaptiveLevels || !size) return undefined;
  const prefix = adaptivePrefixSize(size, adaptiveLevel, adaptiveLevels);
  return prefix < size ? prefix : undefined;
}
