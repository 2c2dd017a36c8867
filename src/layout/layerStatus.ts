// One entry of the `LayerStatus` JSON array (format sheet 1.6).
import type { CompressionMethod, VDSProduceStatus } from '../enums.js';

export interface LayerStatusEntry {
  layerName: string;
  channelName: string;
  /** Dimension-group name of the primary channel, e.g. `Dimensions_012`. */
  dimensionGroup: string;
  lod: number;
  produceStatus: VDSProduceStatus;
  compressionMethod: CompressionMethod;
  /** f32 */
  compressionTolerance: number;
  /** Present only when the layer has chunk-metadata pages. */
  chunkMetadata?: ChunkMetadataStatus;
}

export interface ChunkMetadataStatus {
  chunkCount: number;
  chunkMetadataPageSize: number;
  /** 8 for None/RLE/Zip layers, 28 for wavelet layers. */
  chunkMetadataByteSize: number;
  validChunkCount?: number;
  serializedSize?: number;
  uncompressedSize: number;
  /** Page object name per page, -1 = never written. */
  pageDirectory?: number[];
  /** 16 entries. */
  adaptiveLevelSizes: number[];
}
