// The entries of the `LayerStatus` JSON array (format sheet 1.6) and the checks that tie them to a layout.
import { CompressionMethod, isWaveletCompression, VDSProduceStatus } from '../enums.js';
import { ReadError } from '../errors.js';
import { dimensionGroupName, dimensionGroupsInStatusOrder } from '../geometry/dimensionGroup.js';
import type { VolumeDataLayer, VolumeDataLayers } from '../geometry/layers.js';
import { describeValue } from './describeValue.js';

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

/** `chunkMetadataByteSize` of None/RLE/Zip layers: the 8-byte hash. */
export const HASH_ENTRY_BYTES = 8;
/** `chunkMetadataByteSize` of wavelet layers: u32 object size, hash, 16 adaptive-level bytes. */
export const WAVELET_ENTRY_BYTES = 28;
/**
 * The largest `chunkMetadataPageSize` accepted, 64 × OpenVDS's 1024: a page object is always the
 * full page size × entry bytes (1.8 MB here), allocated and kept for every page read, even unwritten.
 */
export const MAX_CHUNK_METADATA_PAGE_SIZE = 1 << 16;

/**
 * Checks that LayerStatus entries (each already well-typed, see `parseLayerStatusJson`) describe
 * the layers of this layout: a known, stored layer named once, with that layer's channel, group, LOD
 * and chunk count, and page figures that fit together. Throws a ReadError naming the member.
 */
export function validateLayerStatus(entries: readonly LayerStatusEntry[], layers: VolumeDataLayers): void {
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const fail = (field: string, problem: string): never => { throw new ReadError(`LayerStatus[${i}].${field} ${problem}`); };
    const layer = layers.byLayerName(entry.layerName);
    if (!layer || layer.isVirtual) fail('layerName', `is ${describeValue(entry.layerName)}, not a stored layer of the layout`);
    if (seen.has(entry.layerName)) fail('layerName', `is ${describeValue(entry.layerName)}, named by an earlier entry too`);
    seen.add(entry.layerName);
    const expected = { channelName: layer!.channelDescriptor.name, dimensionGroup: dimensionGroupName(layer!.dimensionsND), lod: layer!.lod };
    for (const field of ['channelName', 'dimensionGroup', 'lod'] as const) {
      if (entry[field] !== expected[field]) fail(field, `is ${describeValue(entry[field])}, layer ${entry.layerName} has ${describeValue(expected[field])}`);
    }
    const status = entry.chunkMetadata;
    if (!status) return;
    if (status.chunkCount !== layer!.chunkCount) fail('chunkCount', `is ${status.chunkCount}, the layout gives layer ${entry.layerName} ${layer!.chunkCount}`);
    if (status.chunkMetadataPageSize > MAX_CHUNK_METADATA_PAGE_SIZE) {
      fail('chunkMetadataPageSize', `is ${status.chunkMetadataPageSize}, more than ${MAX_CHUNK_METADATA_PAGE_SIZE}`);
    }
    const entryBytes = isWaveletCompression(entry.compressionMethod) ? WAVELET_ENTRY_BYTES : HASH_ENTRY_BYTES;
    if (status.chunkMetadataByteSize !== entryBytes) {
      fail('chunkMetadataByteSize', `is ${status.chunkMetadataByteSize}, a ${CompressionMethod[entry.compressionMethod]} layer has ${entryBytes}`);
    }
    const pageCount = Math.ceil(status.chunkCount / status.chunkMetadataPageSize);
    if (status.pageDirectory && status.pageDirectory.length !== pageCount) {
      fail('pageDirectory', `has ${status.pageDirectory.length} entries, ${status.chunkCount} chunks in pages of ${status.chunkMetadataPageSize} need ${pageCount}`);
    }
  });
}

const statusGroupOrder = new Map(dimensionGroupsInStatusOrder.map((group, i) => [group, i]));

/** OpenVDS's LayerStatus order, for sorting: dimension group (2D groups, then 3D), then channel, then LOD. */
export function compareInLayerStatusOrder(a: VolumeDataLayer, b: VolumeDataLayer): number {
  return statusGroupOrder.get(a.dimensionsND)! - statusGroupOrder.get(b.dimensionsND)! || a.channel - b.channel || a.lod - b.lod;
}

/** The status of a layer a dataset produces (Normal), with its compression and chunk counters. */
export function producedLayerStatus(layer: VolumeDataLayer, compressionMethod: CompressionMethod, compressionTolerance: number,
  chunkMetadata: ChunkMetadataStatus): LayerStatusEntry {
  return {
    layerName: layer.name,
    channelName: layer.channelDescriptor.name,
    dimensionGroup: dimensionGroupName(layer.dimensionsND),
    lod: layer.lod,
    produceStatus: VDSProduceStatus.Normal,
    compressionMethod,
    compressionTolerance,
    chunkMetadata,
  };
}
