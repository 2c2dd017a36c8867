// Forward lifting transform: the inverse of the decoder's (format sheet 3.6.7), level by level from
// the full block down to the low-pass block, along x, then y, then z (the decoder undoes z, y, x).
// Float streams need not be exact (the encoder verifies the decoded block); integer streams use
// the lossless-optimized lifting (scale 1, rounded corrections), which this undoes exactly because
// it computes the same f32 correction terms as the decoder's scalar formula.
import type { BandStructure } from '../bandStructure.js';
import { lineMaps, rint } from '../inverseTransform.js';

const f32 = Math.fround;
const INV_SQRT2 = f32(Math.SQRT1_2);

/** The decoder's correction term `c · (9·(x1 + x2) − (x0 + x3))` in its f32 order. */
const term = (c: number, x0: number, x1: number, x2: number, x3: number) => f32(c * f32(f32(9 * f32(x1 + x2)) - f32(x0 + x3)));

/**
 * One line of `n` samples in `line` (interleaved) → `out` (low half first). The predict step
 * is undone first (the decoder ran it last), then the update step.
 */
function forwardLine(line: Float64Array, out: Float64Array, n: number, integer: boolean): void {
  const { low, high, update, predict } = lineMaps(n);
  // out[0, low) holds l' (the decoder's updated lows), out[low, n) receives h.
  for (let k = 0; k < low; k++) out[k] = line[2 * k]!;
  for (let k = 0; k < high; k++) {
    const m = 4 * k;
    const p = term(-0.0625, out[predict[m]!]!, out[predict[m + 1]!]!, out[predict[m + 2]!]!, out[predict[m + 3]!]!);
    out[low + k] = line[2 * k + 1]! + (integer ? rint(p) : p);
  }
  const h = low;
  for (let k = 0; k < low; k++) {
    const m = 4 * k;
    const u = term(-0.03125, out[h + update[m]!]!, out[h + update[m + 1]!]!, out[h + update[m + 2]!]!, out[h + update[m + 3]!]!);
    out[k] = integer ? out[k]! - rint(u) : (out[k]! - u) / INV_SQRT2;
  }
}

/**
 * Transforms `picture` (padded like the decoder's working buffer, float64 for headroom) in place.
 * `integer` selects the lossless-optimized integer lifting (integerInfo flags 1|2); the samples
 * must then be integers.
 */
export function forwardTransform(picture: Float64Array, bands: BandStructure, integer: boolean): void {
  const { pitchY, pitchZ } = bands;
  const longest = Math.max(...bands.bands[0]!);
  const line = new Float64Array(longest);
  const out = new Float64Array(longest);
  const run = (base: number, stride: number, n: number) => {
    for (let i = 0; i < n; i++) line[i] = picture[base + i * stride]!;
    forwardLine(line, out, n, integer);
    for (let i = 0; i < n; i++) picture[base + i * stride] = out[i]!;
  };
  for (let i = 0; i < bands.iterations; i++) {
    const mask = bands.masks[i]!;
    const [bx, by, bz] = bands.bands[i]!;
    if (mask & 1) for (let z = 0; z < bz; z++) for (let y = 0; y < by; y++) run(y * pitchY + z * pitchZ, 1, bx);
    if (mask & 2) for (let z = 0; z < bz; z++) for (let x = 0; x < bx; x++) run(x + z * pitchZ, pitchY, by);
    if (mask & 4) for (let y = 0; y < by; y++) for (let x = 0; x < bx; x++) run(x + y * pitchY, pitchZ, bz);
  }
}
