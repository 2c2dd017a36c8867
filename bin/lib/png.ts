// The demo's bare slice pictures (one pixel per sample), drawn with the library's seismic colour map
// and PNG encoder; annotated pictures are the library's `slicePNG`.
import { colorAt, displayRange, encodePNG } from '../../src/index.js';

/** `values[i + j·width]` drawn at column i, row j, coloured over [lo, hi]; non-finite values black. */
export function sliceToPNG(values: ArrayLike<number>, width: number, height: number, lo: number, hi: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  const scale = hi > lo ? 1 / (hi - lo) : 0;
  for (let i = 0; i < width * height; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) rgb.set(colorAt('seismic', (v - lo) * scale), i * 3);
  }
  return encodePNG({ width, height, rgb });
}

/** Symmetric clip at the given fraction's percentile of |value|, the usual display range for amplitudes. */
export function percentileClip(values: ArrayLike<number>, percentile = 0.99): number {
  return Math.abs(displayRange(values, { percentile: percentile * 100 })[1]);
}
