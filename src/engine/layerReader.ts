// What the read pipeline needs to know about one layer of an open dataset.
import type { ChannelValues } from '../model/block.js';
import type { CompressionMethod } from '../model/enums.js';
import type { VolumeDataLayer } from '../model/geometry/layers.js';
import type { ChunkMetadata, DatasetStore } from './datasetStore.js';

export interface LayerReader {
  readonly dataset: DatasetStore;
  readonly layer: VolumeDataLayer;
  readonly compressionMethod: CompressionMethod;
  readonly channelValues: ChannelValues;
  /** Wavelet adaptive level to read at; BEST_QUALITY (-1) reads whole objects. */
  readonly adaptiveLevel: number;
  /** The chunk's metadata (`dataset.chunkMetadata` of this layer): hash 0 when never written. */
  chunkMetadata(chunkIndex: number, signal?: AbortSignal): Promise<ChunkMetadata>;
}

export function channelValuesOf(layer: VolumeDataLayer): ChannelValues {
  const c = layer.channelDescriptor;
  return {
    valueRangeMin: c.valueRangeMin,
    valueRangeMax: c.valueRangeMax,
    integerScale: c.integerScale,
    integerOffset: c.integerOffset,
    useNoValue: c.useNoValue,
    noValue: c.noValue,
  };
}
