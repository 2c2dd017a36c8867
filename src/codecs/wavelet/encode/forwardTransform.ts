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
 * One step along a strided axis (y or z): `n` rows of `width` contiguous samples at
 * `base + r * stride`, transformed row-wise so that memory is read in order. `rows` is scratch.
 */
function forwardSlice(picture: Float64Array, base: number, stride: number, n: number, width: number, rows: Float64Array, integer: boolean): void {
  const { low, high, update, predict } = lineMaps(n);
  for (let r = 0; r < n; r++) rows.set(picture.subarray(base + r * stride, base + r * stride + width), r * width);
  // High rows: h = h' + P(l'), the l' being the even input rows.
  for (let k = 0; k < high; k++) {
    const m = 4 * k;
    const l0 = 2 * predict[m]! * width, l1 = 2 * predict[m + 1]! * width, l2 = 2 * predict[m + 2]! * width, l3 = 2 * predict[m + 3]! * width;
    const own = (2 * k + 1) * width, at = base + (low + k) * stride;
    for (let i = 0; i < width; i++) {
      const p = term(-0.0625, rows[l0 + i]!, rows[l1 + i]!, rows[l2 + i]!, rows[l3 + i]!);
      picture[at + i] = rows[own + i]! + (integer ? rint(p) : p);
    }
  }
  // Low rows: l = (l' − U(h)) / a, with the h just written.
  const h = base + low * stride;
  for (let k = 0; k < low; k++) {
    const m = 4 * k;
    const h0 = h + update[m]! * stride, h1 = h + update[m + 1]! * stride, h2 = h + update[m + 2]! * stride, h3 = h + update[m + 3]! * stride;
    const own = 2 * k * width, at = base + k * stride;
    for (let i = 0; i < width; i++) {
      const u = term(-0.03125, picture[h0 + i]!, picture[h1 + i]!, picture[h2 + i]!, picture[h3 + i]!);
      picture[at + i] = integer ? rows[own + i]! - rint(u) : (rows[own + i]! - u) / INV_SQRT2;
    }
  }
}

/**
 * Transforms `picture` (padded like the decoder's working buffer, float64 for headroom) in place.
 * `integer` selects the lossless-optimized integer lifting (integerInfo flags 1|2); the samples
 * must then be integers.
 */
export function forwardTransform(picture: Float64Array, bands: BandStructure, integer: boolean): void {
  const { pitchY, pitchZ } = bands;
  const [sx, sy, sz] = bands.bands[0]!;
  const line = new Float64Array(sx);
  const out = new Float64Array(sx);
  const rows = new Float64Array(sx * Math.max(sy, sz));
  for (let i = 0; i < bands.iterations; i++) {
    const mask = bands.masks[i]!;
    const [bx, by, bz] = bands.bands[i]!;
    if (mask & 1) {
      for (let z = 0; z < bz; z++) {
        for (let y = 0; y < by; y++) {
          const base = y * pitchY + z * pitchZ;
          line.set(picture.subarray(base, base + bx));
          forwardLine(line, out, bx, integer);
          picture.set(out.subarray(0, bx), base);
        }
      }
    }
    if (mask & 2) for (let z = 0; z < bz; z++) forwardSlice(picture, z * pitchZ, pitchY, by, bx, rows, integer);
    if (mask & 4) for (let y = 0; y < by; y++) forwardSlice(picture, y * pitchY, pitchZ, bz, bx, rows, integer);
  }
}
