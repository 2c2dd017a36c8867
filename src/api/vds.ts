// An open dataset: its dataset layer, layout and layers, and what reads and writes of it share
// (the chunk cache, uploads in flight, whether the layout must be written again).
import { CompressionMethod, type DimensionsND, VDSProduceStatus } from '../model/enums.js';
import { InvalidOperationError } from '../model/errors.js';
import { dimensionGroupName } from '../model/geometry/dimensionGroup.js';
import { effectiveCompression, type VolumeDataLayer, type VolumeDataLayers } from '../model/geometry/layers.js';
import type { LayerStatusEntry } from '../model/layout/layerStatus.js';
import { layersOf, type VolumeDataLayout } from '../model/layout/volumeDataLayout.js';
import { effectiveAdaptiveLevel, type WaveletAdaptiveMode } from '../model/adaptiveLevels.js';
import { ChunkCache } from '../engine/chunkCache.js';
import { formatByteSize } from '../model/formats.js';
import { ChunkWriter, chunkWriterLimits } from '../engine/chunkWriter.js';
import type { DatasetStore } from '../engine/datasetStore.js';
import type { EngineOptions } from '../engine/engineOptions.js';
import { channelValuesOf, type LayerReader } from '../engine/layerReader.js';

export class VDS {
  readonly layers: VolumeDataLayers;
  /** Decoded chunks shared by this dataset's requests (resize with `setMaxBytes`). */
  readonly chunkCache: ChunkCache;
  /** The chunk writes of every page accessor: ordered per chunk, bounded, awaited by `flush`. */
  readonly chunkWriter: ChunkWriter;
  private closed = false;
  /** Set when the metadata container was changed and VolumeDataLayout must be uploaded again. */
  layoutDirty = false;

  constructor(
    readonly url: string,
    readonly dataset: DatasetStore,
    readonly layout: VolumeDataLayout,
    /** The dataset's compression, used for layers produced by this handle. */
    readonly compressionMethod: CompressionMethod,
    readonly compressionTolerance: number,
    /** The engine's tuning for this dataset. */
    readonly engine: EngineOptions,
    /** Read wavelet layers at a coarser adaptive level (openWithAdaptiveCompression…). */
    readonly adaptive?: WaveletAdaptiveMode,
  ) {
    this.chunkCache = new ChunkCache(engine.chunkCacheBytes);
    this.chunkWriter = new ChunkWriter(chunkWriterLimits(engine.writesInFlight));
    this.layers = layersOf(layout);
  }

  /** Normal if the group's LOD 0 was produced (by any channel), else Unavailable. */
  produceStatus(dimensionsND: DimensionsND): VDSProduceStatus {
    for (const entry of this.dataset.layerStatuses()) {
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
    return this.dataset.layerStatus(layer.name);
  }

  /**
   * The chunk cache for one read of `chunkCount` chunks of `layer`, unless their decoded bytes
   * would not fit in it: such a read evicts its own chunks before anything could reuse them, and
   * everything else with them, so it reads past the cache.
   */
  cacheFor(layer: VolumeDataLayer, chunkCount: number): ChunkCache | undefined {
    const channel = layer.channelDescriptor;
    const chunkBytes = layer.chunkVoxelCount(0) * formatByteSize(channel.format) * channel.components;
    return this.chunkCache.holds(chunkCount * chunkBytes) ? this.chunkCache : undefined;
  }

  reader(layer: VolumeDataLayer): LayerReader {
    const entry = this.dataset.layerStatus(layer.name);
    const dataset = this.dataset;
    return {
      dataset,
      layer,
      // A layer missing from LayerStatus has the compression this dataset's writer gives it.
      compressionMethod: entry?.compressionMethod ?? this.layerCompression(layer).compressionMethod,
      channelValues: channelValuesOf(layer),
      adaptiveLevel: effectiveAdaptiveLevel(this.adaptive, entry),
      chunkMetadata: (chunkIndex, signal) => dataset.chunkMetadata(layer, chunkIndex, { signal }),
    };
  }

  /**
   * Starts (or restarts, for `AccessMode_Create`) a produced layer with empty metadata pages. With
   * `keepChunks` (rewriting in place) a layer without pages keeps its chunk objects and compression.
   */
  produceLayer(layer: VolumeDataLayer, chunkMetadataPageSize: number, keepChunks = false): LayerStatusEntry {
    return this.dataset.produceLayer(layer, { ...this.layerCompression(layer), chunkMetadataPageSize, keepChunks });
  }

  /** The compression this handle writes a layer with: the dataset's, as OpenVDS adapts it per channel and LOD. */
  layerCompression(layer: VolumeDataLayer): { compressionMethod: CompressionMethod; compressionTolerance: number } {
    const { method, tolerance } = effectiveCompression(this.compressionMethod, this.compressionTolerance, layer.channelDescriptor, layer.lod);
    return { compressionMethod: method, compressionTolerance: tolerance };
  }

  /**
   * Waits for chunk writes (rejecting with the first failure no commit reported), then makes them
   * durable (metadata, layer status), then writes the layout if it changed.
   */
  async flush(): Promise<void> {
    this.assertOpen();
    await this.chunkWriter.drain();
    await this.dataset.flush();
    if (this.layoutDirty) {
      await this.dataset.writeLayout(this.layout);
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
      // Without a flush (or after a failed one) writes may still be pending: none may outlive the dataset.
      this.chunkWriter.cancel();
      await this.chunkWriter.drain().catch(() => undefined);
      await this.dataset.close();
    }
  }
}
