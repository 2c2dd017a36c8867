// Wavelet adaptive levels (format sheet 3.6.11): reading a wavelet chunk at a coarser level needs
// only a prefix of its object. The level comes from a wanted tolerance or compression ratio and the
// layer's LayerStatus; -1 means best quality (the whole object, lossless block included).
import type { LayerStatusEntry } from '../layout/layerStatus.js';

export const BEST_QUALITY = -1;
const LEVELS = 16;

export type WaveletAdaptiveMode = { mode: 'tolerance'; tolerance: number } | { mode: 'ratio'; ratio: number };

export function effectiveAdaptiveLevel(adaptive: WaveletAdaptiveMode | undefined, entry: LayerStatusEntry | undefined): number {
  const status = entry?.chunkMetadata;
  if (!adaptive || !status || status.chunkMetadataByteSize !== 28) return BEST_QUALITY;
  if (adaptive.mode === 'tolerance') {
    return Math.max(0, Math.trunc(Math.log2(Math.fround(adaptive.tolerance / entry.compressionTolerance))));
  }
  let level = 0;
  const sizes = status.adaptiveLevelSizes;
  while (level + 1 < LEVELS && sizes[level + 1] !== 0 && Math.fround(status.uncompressedSize / sizes[level + 1]!) <= adaptive.ratio) level++;
  return level;
}

/** Bytes of a chunk object needed to decode it at `level` (the whole object for BEST_QUALITY). */
export function adaptivePrefixSize(serializedSize: number, level: number, levels: Uint8Array): number {
  let size = serializedSize;
  for (let k = 0; k <= level && k < LEVELS; k++) {
    if (levels[k] === 0) break;
    size = Math.floor((size * levels[k]!) / 255);
  }
  return size;
}
