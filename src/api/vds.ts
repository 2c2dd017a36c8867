// An open dataset: its store, layout, layers and the per-layer status that reads and writes share.
import type { ConnectionOptions } from '../../sources/stores/connectionString.js';
import { CompressionMethod, type DimensionsND, isWaveletCompression, VDSProduceStatus } from '../model/enums.js';
import { InvalidOperationError, ReadError } from '../model/errors.js';
import { dimensionGroupName, dimensionGroupsInStatusOrder } from '../model/geometry/dimensionGroup.js';
import { effectiveCompression, type VolumeDataLayer, VolumeDataLayers } from '../model/geometry/layers.js';
import { type LayerStatusEntry, validateLayerStatus } from '../model/layout/layerStatus.js';
import { serializeLayerStatusJson, serializeVolumeDataLayoutJson } from '../model/layout/layoutJson.js';
import type { VolumeDataLayout } from '../model/layout/volumeDataLayout.js';
import { ChunkCache } from '../engine/chunkCache.js';
import { ChunkWriter, defaultChunkWriterLimits } from '../engine/chunkWriter.js';
import { workerCount } from '../workers/pool.js';
import { ChunkMetadataPages, pagelessChunkMetadata } from '../../sources/dataset/chunkMetadataPages.js';
import { channelValuesOf, type LayerReader } from '../engine/layerReader.js';
import { effectiveAdaptiveLevel, type WaveletAdaptiveMode } from '../model/adaptiveLevels.js';
import type { Store } from '../../sources/stores/store.js';

interface LayerState {
  entry: LayerStatusEntry;
  pages?: ChunkMetadataPages;
}

/** Decoded chunks kept per dataset unless changed with `vds.chunkCache.setMaxBytes`. */
const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024;

export class VDS {
  readonly layers: VolumeDataLayers;
  readonly chunkCache = new ChunkCache(DEFAULT_CACHE_BYTES);
  private readonly states = new Map<string, LayerState>();
  /** The chunk writes of every page accessor: ordered per chunk, bounded, awaited by `flush`. */
  readonly chunkWriter = new ChunkWriter(defaultChunkWriterLimits(workerCount()));
  private layerStatusDirty = false;
  private closed = false;
  /** Set when the metadata container was changed and VolumeDataLayout must be uploaded again. */
  layoutDirty = false;

  constructor(
    readonly url: string,
    readonly store: Store,
    readonly layout: VolumeDataLayout,
    layerStatus: readonly LayerStatusEntry[],
    readonly options: ConnectionOptions,
    /** The dataset's compression, used for layers produced by this handle. */
    readonly compressionMethod: CompressionMethod,
    readonly compressionTolerance: number,
    /** Read wavelet layers at a coarser adaptive level (openWithAdaptiveCompression…). */
    readonly adaptive?: WaveletAdaptiveMode,
  ) {
    this.layers = new VolumeDataLayers({
      layoutDescriptor: layout.getLayoutDescriptor(),
      axisDescriptors: layout.axisDescriptors,
      channelDescriptors: layout.channelDescriptors,
    });
    validateLayerStatus(layerStatus, this.layers);
    for (const entry of layerStatus) {
      const layer = this.layers.byLayerName(entry.layerName)!;
      const pages = entry.chunkMetadata && new ChunkMetadataPages(store, layer, entry.chunkMetadata);
      this.states.set(layer.name, { entry, pages });
    }
  }


  /** Normal if the group's LOD 0 was produced (by any channel), else Unavailable. */
  produceStatus(dimensionsND: DimensionsND): VDSProduceStatus {
    for (const { entry } of this.states.values()) {
      if (entry.lod === 0 && entry.dimensionGroup === dimensionGroupName(dimensionsND)) return entry.produceStatus;
    }
    return VDSProduceStatus.Unavailable;
  }

  /** A layer's status as OpenVDS reports it: its group's, or Remapped when another group can serve it. */
  layerProduceStatus(layer: VolumeDataLayer): VDSProduceStatus {
    if (layer.isVirtual) return VDSProduceStatus.Unavailable;
    const status = this.produceStatus(layer.dimensionsND);
    if (status !== VDSProduceStatus.Unavailable) return status;
    return this.remapSource(layer) ? VDSProduceStatus.Remapped : VDSProduceStatus.Unavailable;
  }

  /**
   * A produced layer that can serve box reads of an unproduced one: at LOD 0 any produced group of
   * the same channel (a voxel box reads the same from every chunking).
   */
  remapSource(layer: VolumeDataLayer): VolumeDataLayer | undefined {
    if (layer.lod !== 0) return undefined;
    return this.layers.all.find((l) => l.lod === 0 && l.channel === layer.channel && !l.isVirtual &&
      this.produceStatus(l.dimensionsND) === VDSProduceStatus.Normal);
  }

  layerStatusEntry(layer: VolumeDataLayer): LayerStatusEntry | undefined {
    return this.states.get(layer.name)?.entry;
  }

  reader(layer: VolumeDataLayer): LayerReader {
    const state = this.states.get(layer.name);
    const pages = state?.pages;
    // A layer missing from LayerStatus has the compression this dataset's writer gives it.
    const compressionMethod = state?.entry.compressionMethod ??
      effectiveCompression(this.compressionMethod, this.compressionTolerance, layer.channelDescriptor, layer.lod).method;
    return {
      store: this.store,
      layer,
      compressionMethod,
      channelValues: channelValuesOf(layer),
      adaptiveLevel: effectiveAdaptiveLevel(this.adaptive, state?.entry),
      chunkMetadata: pages
        ? (chunkIndex, signal) => pages.read(chunkIndex, signal)
        : (chunkIndex, signal) => pagelessChunkMetadata(this.store, layer, isWaveletCompression(compressionMethod), chunkIndex, signal)
          .then((metadata) => {
            // A layer LayerStatus does not list (an LOD or channel nobody wrote, though its group reports
            // Normal) has no never-written chunks: a missing object is OpenVDS's 404, never zeros.
            if (!state && metadata.hash === 0n) {
              throw new ReadError(`Object: ${layer.name}/${chunkIndex} not found. (LayerStatus does not list ${layer.name})`, 404);
            }
            return metadata;
          }),
    };
  }

  /**
   * Starts (or restarts, for `AccessMode_Create`) a produced layer with empty metadata pages. With
   * `keepChunks` (rewriting in place) a layer without pages keeps its chunk objects and compression.
   */
  produceLayer(layer: VolumeDataLayer, pageSize: number, keepChunks = false): ChunkMetadataPages {
    const old = this.states.get(layer.name);
    const adopt = keepChunks && !old?.pages;
    const effective = effectiveCompression(this.compressionMethod, this.compressionTolerance, layer.channelDescriptor, layer.lod);
    const { method, tolerance } = adopt && old
      ? { method: old.entry.compressionMethod, tolerance: old.entry.compressionTolerance } : effective;
    // Entry size follows the method, as validateLayerStatus requires (rxvds itself writes no wavelet chunks).
    const wavelet = isWaveletCompression(method);
    const pages = adopt ? ChunkMetadataPages.adopting(this.store, layer, wavelet, pageSize) : ChunkMetadataPages.empty(this.store, layer, wavelet, pageSize);
    this.states.set(layer.name, {
      entry: {
        layerName: layer.name,
        channelName: layer.channelDescriptor.name,
        dimensionGroup: dimensionGroupName(layer.dimensionsND),
        lod: layer.lod,
        produceStatus: VDSProduceStatus.Normal,
        compressionMethod: method,
        compressionTolerance: tolerance,
        chunkMetadata: pages.status,
      },
      pages,
    });
    this.layerStatusDirty = true;
    return pages;
  }

  /** Metadata pages of a produced layer, for writers. */
  metadataPages(layer: VolumeDataLayer): ChunkMetadataPages | undefined {
    return this.states.get(layer.name)?.pages;
  }

  /**
   * Waits for chunk writes (rejecting with the first failure no commit reported), then uploads
   * metadata pages, LayerStatus and (if changed) the layout.
   */
  async flush(): Promise<void> {
    this.assertOpen();
    await this.chunkWriter.drain();
    // Pages before LayerStatus: a reader never sees a page directory naming a missing page.
    for (const state of this.states.values()) {
      if (await state.pages?.flush()) this.layerStatusDirty = true;
    }
    if (this.layerStatusDirty) {
      await this.store.set('LayerStatus', utf8(serializeLayerStatusJson(this.orderedEntries())), { contentType: 'application/json' });
      this.layerStatusDirty = false;
    }
    if (this.layoutDirty) {
      await this.store.set('VolumeDataLayout', utf8(serializeVolumeDataLayoutJson(this.layout)), { contentType: 'application/json' });
      this.layoutDirty = false;
    }
  }

  /** Refuses work on a closed dataset: its store may be released, and silent no-ops would hide lost writes. */
  assertOpen(): void {
    if (this.closed) throw new InvalidOperationError(`${this.url} is closed`);
  }

  async close(flush: boolean): Promise<void> {
    if (this.closed) return;
    try {
      if (flush) await this.flush();
    } finally {
      this.closed = true;
      await this.store.close?.();
    }
  }

  /** LayerStatus order: dimension group (2D then 3D), then channel, then LOD. */
  private orderedEntries(): LayerStatusEntry[] {
    const groupOrder = new Map(dimensionGroupsInStatusOrder.map((g, i) => [g, i]));
    return [...this.states.values()]
      .map(({ entry }) => ({ entry, layer: this.layers.byLayerName(entry.layerName)! }))
      .filter(({ entry }) => entry.produceStatus === VDSProduceStatus.Normal)
      .sort((a, b) => groupOrder.get(a.layer.dimensionsND)! - groupOrder.get(b.layer.dimensionsND)! ||
        a.layer.channel - b.layer.channel || a.layer.lod - b.layer.lod)
      .map(({ entry }) => entry);
  }
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
