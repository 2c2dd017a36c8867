// The file metadata of a 'VDS ' layer file (format sheet 6.2): compression and counters, plus the
// adaptive-level statistics for wavelet layers.
import { CompressionMethod } from '../../src/model/enums.js';
import { WAVELET_ADAPTIVE_LEVELS } from '../../src/model/adaptiveLevels.js';

export const LAYER_METADATA_BYTES = 12;
export const WAVELET_LAYER_METADATA_BYTES = 24 + 8 * WAVELET_ADAPTIVE_LEVELS;

export interface VDSLayerMetadata {
  compressionMethod: CompressionMethod;
  /** f32 */
  compressionTolerance: number;
  validChunkCount: number;
  /** Wavelet layers only, like `adaptiveLevelSizes`. */
  uncompressedSize: number;
  adaptiveLevelSizes: number[];
}

export function decodeLayerMetadata(bytes: Uint8Array): VDSLayerMetadata {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const wavelet = bytes.length >= WAVELET_LAYER_METADATA_BYTES;
  return {
    compressionMethod: view.getInt32(0, true),
    compressionTolerance: view.getFloat32(4, true),
    validChunkCount: view.getInt32(8, true),
    uncompressedSize: wavelet ? Number(view.getBigInt64(16, true)) : 0,
    adaptiveLevelSizes: Array.from({ length: WAVELET_ADAPTIVE_LEVELS }, (_, level) => (wavelet ? Number(view.getBigInt64(24 + 8 * level, true)) : 0)),
  };
}

/** 12 bytes, or 152 when `wavelet` (the layer's chunk metadata then carries adaptive levels). */
export function encodeLayerMetadata(metadata: VDSLayerMetadata, wavelet: boolean): Uint8Array {
  const bytes = new Uint8Array(wavelet ? WAVELET_LAYER_METADATA_BYTES : LAYER_METADATA_BYTES);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, metadata.compressionMethod, true);
  view.setFloat32(4, metadata.compressionTolerance, true);
  view.setInt32(8, metadata.validChunkCount, true);
  if (wavelet) {
    view.setBigInt64(16, BigInt(metadata.uncompressedSize), true);
    metadata.adaptiveLevelSizes.slice(0, WAVELET_ADAPTIVE_LEVELS).forEach((size, level) => view.setBigInt64(24 + 8 * level, BigInt(size), true));
  }
  return bytes;
}

export function isKnownCompressionMethod(method: number): method is CompressionMethod {
  return CompressionMethod[method] !== undefined;
}
