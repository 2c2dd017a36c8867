// Wavelet adaptive levels (format sheet 3.6.11), in one place. A wavelet chunk's metadata holds
// 16 bytes of nested prefix fractions (n/255), so a reader fetches only the prefix a coarser decode
// level needs; a layer's LayerStatus sums each level's prefix size over its chunks. The level to
// read comes from a wanted tolerance or compression ratio; -1 (BEST_QUALITY) reads the whole object,
// lossless block included.
import { type LayerStatusEntry, WAVELET_ENTRY_BYTES } from './layout/layerStatus.js';

export const WAVELET_ADAPTIVE_LEVELS = 16;
export const BEST_QUALITY = -1;

export type WaveletAdaptiveMode = { mode: 'tolerance'; tolerance: number } | { mode: 'ratio'; ratio: number };

/** The level a dataset opened with `adaptive` reads a layer at: BEST_QUALITY unless the layer is wavelet. */
export function effectiveAdaptiveLevel(adaptive: WaveletAdaptiveMode | undefined, entry: LayerStatusEntry | undefined): number {
  const status = entry?.chunkMetadata;
  if (!adaptive || !status || status.chunkMetadataByteSize !== WAVELET_ENTRY_BYTES) return BEST_QUALITY;
  if (adaptive.mode === 'tolerance') {
    return Math.max(0, Math.trunc(Math.log2(Math.fround(adaptive.tolerance / entry.compressionTolerance))));
  }
  let level = 0;
  const sizes = status.adaptiveLevelSizes;
  while (level + 1 < WAVELET_ADAPTIVE_LEVELS && sizes[level + 1] !== 0 && Math.fround(status.uncompressedSize / sizes[level + 1]!) <= adaptive.ratio) level++;
  return level;
}

/** Bytes of a chunk object needed to decode it at `level` (the whole object for BEST_QUALITY). */
export function adaptivePrefixSize(serializedSize: number, level: number, levels: ArrayLike<number>): number {
  let size = serializedSize;
  for (let k = 0; k <= level && k < WAVELET_ADAPTIVE_LEVELS; k++) {
    const fraction = levels[k] ?? 0;
    if (fraction === 0) break;
    size = Math.floor((size * fraction) / 255);
  }
  return size;
}
