// Adaptive levels of a wavelet chunk (format sheet 3.6.11): the 16 metadata bytes give nested
// prefix sizes, so a reader can fetch only what a coarser decode level needs.
export const WAVELET_ADAPTIVE_LEVELS = 16;

/** Bytes of the chunk to fetch for `level` (-1 = all of it, the lossless decode). */
export function adaptiveLevelPrefixSize(totalSize: number, level: number, levels: ArrayLike<number>): number {
  let size = totalSize;
  for (let k = 0; k <= level && k < WAVELET_ADAPTIVE_LEVELS; k++) {
    const fraction = levels[k] ?? 0;
    if (fraction === 0) break;
    size = Math.floor((size * fraction) / 255);
  }
  return size;
}

/** Adds (or subtracts) one chunk's prefix sizes to a layer's `adaptiveLevelSizes` (LayerStatus). */
export function accumulateAdaptiveLevelSizes(totalSize: number, sizes: number[], levels: ArrayLike<number>, subtract = false): void {
  let size = totalSize;
  for (let k = 0; k < WAVELET_ADAPTIVE_LEVELS; k++) {
    const fraction = levels[k] ?? 0;
    if (fraction === 0) break;
    size = Math.floor((size * fraction) / 255);
    sizes[k] = (sizes[k] ?? 0) + (subtract ? -size : size);
  }
}
