// Inverse lifting transform (format sheet 3.6.7), bit-exact with the SSE build of OpenVDS: every
// f32 operation is rounded with Math.fround in OpenVDS's order. Lanes OpenVDS computes with SSE
// use its SSE operand order (it differs from the scalar tail only in the sign of exact zeros,
// which the lossless XOR would expose).
import type { BandStructure } from './bandStructure.js';
import { IntegerInfo } from './header.js';

const f32 = Math.fround;
const INV_SQRT2 = f32(Math.SQRT1_2);

const ROUNDING_BIAS = 1.5 * 2 ** 52;
/** Round half to even, as rintf in the default rounding mode (the double bias trick; keeps -0). */
export function rint(x: number): number {
  if (!(Math.abs(x) < 2 ** 51)) return x;
  const r = x + ROUNDING_BIAS - ROUNDING_BIAS;
  return r === 0 ? x * 0 : r;
}
/** Away from zero; -0 counts as non-negative (ceil keeps it -0). */
const awayFromZero = (x: number) => (x < 0 ? Math.floor(x) : Math.ceil(x));

// x0..x3 are the four neighbours in stream order: for the update h[k-2], h[k-1], h[k], h[k+1];
// for the predict l'[k-1], l'[k], l'[k+1], l'[k+2].
const sseTerm = (x0: number, x1: number, x2: number, x3: number) => f32(f32(x0 + x3) + f32(f32(x1 + x2) * -9));
const scalarTerm = (x0: number, x1: number, x2: number, x3: number) => f32(f32(9 * f32(x1 + x2)) - f32(x0 + x3));

const updateSse = (l: number, a: number, x0: number, x1: number, x2: number, x3: number) => f32(f32(sseTerm(x0, x1, x2, x3) * 0.03125) + f32(l * a));
const updateScalar = (l: number, a: number, x0: number, x1: number, x2: number, x3: number) => f32(f32(a * l) + f32(-0.03125 * scalarTerm(x0, x1, x2, x3)));
const updateSseInt = (l: number, a: number, x0: number, x1: number, x2: number, x3: number) =>
  f32(rint(f32(sseTerm(x0, x1, x2, x3) * 0.03125)) + awayFromZero(f32(l * a)));
const updateScalarInt = (l: number, a: number, x0: number, x1: number, x2: number, x3: number) =>
  f32(awayFromZero(f32(l * a)) + rint(f32(-0.03125 * scalarTerm(x0, x1, x2, x3))));
const predictSse = (h: number, x0: number, x1: number, x2: number, x3: number) => f32(f32(sseTerm(x0, x1, x2, x3) * -0.0625) + h);
const predictScalar = (h: number, x0: number, x1: number, x2: number, x3: number) => f32(h - f32(-0.0625 * scalarTerm(x0, x1, x2, x3)));
const predictSseInt = (h: number, x0: number, x1: number, x2: number, x3: number) => f32(rint(f32(sseTerm(x0, x1, x2, x3) * -0.0625)) + h);
const predictScalarInt = (h: number, x0: number, x1: number, x2: number, x3: number) => f32(h - rint(f32(-0.0625 * scalarTerm(x0, x1, x2, x3))));

/**
 * The scalar form, used where OpenVDS has no SSE lane. It differs from the SSE form only in the
 * sign of a zero result, which the lossless XOR would expose.
 */
function scalarUpdate(integer: boolean, l: number, a: number, x0: number, x1: number, x2: number, x3: number): number {
  return integer ? updateScalarInt(l, a, x0, x1, x2, x3) : updateScalar(l, a, x0, x1, x2, x3);
}
function scalarPredict(integer: boolean, h: number, x0: number, x1: number, x2: number, x3: number): number {
  return integer ? predictScalarInt(h, x0, x1, x2, x3) : predictScalar(h, x0, x1, x2, x3);
}

export interface LineMaps {
  low: number;
  high: number;
  /** 4 high-band indices per low value, 4 low-band indices per high value. */
  update: Int32Array;
  predict: Int32Array;
  /** Values OpenVDS's x-line routine computes with SSE. */
  lineSseUpdate: number;
  lineSsePredict: number;
}

const mapCache = new Map<number, LineMaps>();

/** Neighbour index maps of an axis of `n` samples (cached per n; shared with the WebAssembly transform). */
export function lineMaps(n: number): LineMaps {
  let maps = mapCache.get(n);
  if (maps) return maps;
  const low = (n + 1) >> 1, high = n >> 1, odd = (n & 1) === 1;
  const h = (j: number) => (j < 0 ? (j === -1 ? 0 : 1) : j < high ? j : odd && j === high ? high - 1 : high - 2);
  const l = (j: number) => (j < 0 ? 0 : j < low ? j : !odd && j === low ? low - 1 : low - 2);
  const update = new Int32Array(4 * low);
  for (let k = 0; k < low; k++) update.set([h(k - 2), h(k - 1), h(k), h(k + 1)], 4 * k);
  const predict = new Int32Array(4 * high);
  for (let k = 0; k < high; k++) predict.set([l(k - 1), l(k), l(k + 1), l(k + 2)], 4 * k);
  const middleUpdate = low - (odd ? 2 : 1), middlePredict = high - (odd ? 1 : 2);
  maps = {
    low, high, update, predict,
    lineSseUpdate: middleUpdate >= 7 ? 4 * ((middleUpdate - 3) >> 2) : 0,
    lineSsePredict: middlePredict >= 7 ? 4 * ((middlePredict - 2) >> 2) : 0,
  };
  mapCache.set(n, maps);
  return maps;
}

// Row kernels over `count` contiguous lanes. Kept apart from the loops that pick the rows so that
// each stays within V8's inlining budget.
function updateRow(buf: Float32Array, lo: number, h0: number, h1: number, h2: number, h3: number, out: Float32Array, at: number, count: number, a: number, integer: boolean): void {
  if (integer) {
    for (let i = 0; i < count; i++) {
      const t = f32(sseTerm(buf[h0 + i]!, buf[h1 + i]!, buf[h2 + i]!, buf[h3 + i]!) * 0.03125);
      out[at + i] = f32(rint(t) + awayFromZero(f32(buf[lo + i]! * a)));
    }
  } else {
    for (let i = 0; i < count; i++) {
      const t = f32(sseTerm(buf[h0 + i]!, buf[h1 + i]!, buf[h2 + i]!, buf[h3 + i]!) * 0.03125);
      out[at + i] = f32(t + f32(buf[lo + i]! * a));
    }
  }
}
function updateRowScalar(buf: Float32Array, lo: number, h0: number, h1: number, h2: number, h3: number, out: Float32Array, at: number, from: number, to: number, a: number, integer: boolean): void {
  for (let i = from; i < to; i++) out[at + i] = scalarUpdate(integer, buf[lo + i]!, a, buf[h0 + i]!, buf[h1 + i]!, buf[h2 + i]!, buf[h3 + i]!);
}
/** Predicts row `hi` from four rows of `lows` and writes it to `odd`, and the low row `own` to `even`. */
function predictRow(buf: Float32Array, hi: number, lows: Float32Array, l0: number, l1: number, l2: number, l3: number, own: number, even: number, odd: number, count: number, integer: boolean): void {
  if (integer) {
    for (let i = 0; i < count; i++) {
      const h = buf[hi + i]!, t = f32(sseTerm(lows[l0 + i]!, lows[l1 + i]!, lows[l2 + i]!, lows[l3 + i]!) * -0.0625);
      buf[even + i] = lows[own + i]!;
      buf[odd + i] = f32(rint(t) + h);
    }
  } else {
    for (let i = 0; i < count; i++) {
      const h = buf[hi + i]!, t = f32(sseTerm(lows[l0 + i]!, lows[l1 + i]!, lows[l2 + i]!, lows[l3 + i]!) * -0.0625);
      buf[even + i] = lows[own + i]!;
      buf[odd + i] = f32(t + h);
    }
  }
}
function predictRowScalar(buf: Float32Array, hi: number, lows: Float32Array, l0: number, l1: number, l2: number, l3: number, own: number, even: number, odd: number, from: number, to: number, integer: boolean): void {
  for (let i = from; i < to; i++) {
    const o = scalarPredict(integer, buf[hi + i]!, lows[l0 + i]!, lows[l1 + i]!, lows[l2 + i]!, lows[l3 + i]!);
    buf[even + i] = lows[own + i]!;
    buf[odd + i] = o;
  }
}

/**
 * Inverse step along an axis with rows of `width` contiguous samples (z or y): `n` rows at
 * `base + r * stride`, low half first. The first `width & ~3` columns are OpenVDS's SSE lanes.
 * Low results go to `lows`; the predict pass then writes output rows 2r and 2r+1 in place, which
 * only ever overwrites high rows it has already consumed.
 */
function inverseSlice(buf: Float32Array, base: number, stride: number, n: number, width: number, lows: Float32Array, a: number, integer: boolean): void {
  const maps = lineMaps(n);
  const { low, high } = maps;
  const um = maps.update, pm = maps.predict;
  const sse = width & ~3;
  for (let r = 0; r < low; r++) {
    const lo = base + r * stride, m = 4 * r;
    const h0 = base + (low + um[m]!) * stride, h1 = base + (low + um[m + 1]!) * stride;
    const h2 = base + (low + um[m + 2]!) * stride, h3 = base + (low + um[m + 3]!) * stride;
    updateRow(buf, lo, h0, h1, h2, h3, lows, r * width, sse, a, integer);
    if (sse < width) updateRowScalar(buf, lo, h0, h1, h2, h3, lows, r * width, sse, width, a, integer);
  }
  for (let r = 0; r < high; r++) {
    const hi = base + (low + r) * stride, m = 4 * r;
    const l0 = pm[m]! * width, l1 = pm[m + 1]! * width, l2 = pm[m + 2]! * width, l3 = pm[m + 3]! * width;
    const even = base + 2 * r * stride, odd = even + stride, own = r * width;
    predictRow(buf, hi, lows, l0, l1, l2, l3, own, even, odd, sse, integer);
    if (sse < width) predictRowScalar(buf, hi, lows, l0, l1, l2, l3, own, even, odd, sse, width, integer);
  }
  if (low > high) {
    const to = base + 2 * high * stride, from = high * width;
    for (let i = 0; i < width; i++) buf[to + i] = lows[from + i]!;
  }
}

/** Update value `k` of an x line through the index maps (its ends). */
function mappedUpdate(buf: Float32Array, base: number, hb: number, k: number, maps: LineMaps, a: number, integer: boolean): number {
  const um = maps.update, m = 4 * k, l = buf[base + k]!;
  const x0 = buf[hb + um[m]!]!, x1 = buf[hb + um[m + 1]!]!, x2 = buf[hb + um[m + 2]!]!, x3 = buf[hb + um[m + 3]!]!;
  if (k >= maps.lineSseUpdate) return scalarUpdate(integer, l, a, x0, x1, x2, x3);
  return integer ? updateSseInt(l, a, x0, x1, x2, x3) : updateSse(l, a, x0, x1, x2, x3);
}
function mappedPredict(buf: Float32Array, lows: Float32Array, hb: number, r: number, maps: LineMaps, integer: boolean): number {
  const pm = maps.predict, m = 4 * r, h = buf[hb + r]!;
  const x0 = lows[pm[m]!]!, x1 = lows[pm[m + 1]!]!, x2 = lows[pm[m + 2]!]!, x3 = lows[pm[m + 3]!]!;
  if (r >= maps.lineSsePredict) return scalarPredict(integer, h, x0, x1, x2, x3);
  return integer ? predictSseInt(h, x0, x1, x2, x3) : predictSse(h, x0, x1, x2, x3);
}

/** The SSE lanes [from, to) of an x line's update, with the plain neighbours k-2..k+1. */
function updateLineLanes(buf: Float32Array, base: number, hb: number, lows: Float32Array, from: number, to: number, a: number, integer: boolean): void {
  if (integer) {
    for (let k = from; k < to; k++) {
      const t = f32(sseTerm(buf[hb + k - 2]!, buf[hb + k - 1]!, buf[hb + k]!, buf[hb + k + 1]!) * 0.03125);
      lows[k] = f32(rint(t) + awayFromZero(f32(buf[base + k]! * a)));
    }
  } else {
    for (let k = from; k < to; k++) {
      const t = f32(sseTerm(buf[hb + k - 2]!, buf[hb + k - 1]!, buf[hb + k]!, buf[hb + k + 1]!) * 0.03125);
      lows[k] = f32(t + f32(buf[base + k]! * a));
    }
  }
}
/** The SSE lanes [from, to) of an x line's predict, with the plain neighbours r-1..r+2, interleaved in place. */
function predictLineLanes(buf: Float32Array, base: number, hb: number, lows: Float32Array, from: number, to: number, integer: boolean): void {
  if (integer) {
    for (let r = from; r < to; r++) {
      const h = buf[hb + r]!, t = f32(sseTerm(lows[r - 1]!, lows[r]!, lows[r + 1]!, lows[r + 2]!) * -0.0625);
      buf[base + 2 * r] = lows[r]!;
      buf[base + 2 * r + 1] = f32(rint(t) + h);
    }
  } else {
    for (let r = from; r < to; r++) {
      const h = buf[hb + r]!, t = f32(sseTerm(lows[r - 1]!, lows[r]!, lows[r + 1]!, lows[r + 2]!) * -0.0625);
      buf[base + 2 * r] = lows[r]!;
      buf[base + 2 * r + 1] = f32(t + h);
    }
  }
}

/**
 * Inverse step along x of one contiguous line, in place like the slices. The SSE lanes
 * [2, lineSseUpdate) and [1, lineSsePredict) have the plain neighbours k-2..k+1 and k-1..k+2.
 */
function inverseLine(buf: Float32Array, base: number, n: number, lows: Float32Array, a: number, integer: boolean): void {
  const maps = lineMaps(n);
  const { low, high, lineSseUpdate, lineSsePredict } = maps;
  const hb = base + low;
  let k = 0;
  for (; k < low && k < 2; k++) lows[k] = mappedUpdate(buf, base, hb, k, maps, a, integer);
  if (k < lineSseUpdate) updateLineLanes(buf, base, hb, lows, k, lineSseUpdate, a, integer);
  k = Math.max(k, lineSseUpdate);
  for (; k < low; k++) lows[k] = mappedUpdate(buf, base, hb, k, maps, a, integer);
  let r = 0;
  for (; r < high && r < 1; r++) {
    const o = mappedPredict(buf, lows, hb, r, maps, integer);
    buf[base + 2 * r] = lows[r]!;
    buf[base + 2 * r + 1] = o;
  }
  if (r < lineSsePredict) predictLineLanes(buf, base, hb, lows, r, lineSsePredict, integer);
  r = Math.max(r, lineSsePredict);
  for (; r < high; r++) {
    const o = mappedPredict(buf, lows, hb, r, maps, integer);
    buf[base + 2 * r] = lows[r]!;
    buf[base + 2 * r + 1] = o;
  }
  if (low > high) buf[base + 2 * high] = lows[high]!;
}

/** Factor of the low values in the update step. */
export const liftingScale = (integerInfo: number): number => (integerInfo & IntegerInfo.LosslessOptimized ? 1 : INV_SQRT2);

export function inverseTransform(picture: Float32Array, bands: BandStructure, integerInfo: number): void {
  const integer = (integerInfo & IntegerInfo.IsInteger) !== 0;
  const a = liftingScale(integerInfo);
  const { pitchY, pitchZ } = bands;
  const [sx, sy, sz] = bands.bands[0]!;
  const lows = new Float32Array(sx * ((Math.max(sx, sy, sz) + 1) >> 1));
  for (let i = bands.iterations - 1; i >= 0; i--) {
    const mask = bands.masks[i]!;
    const [bx, by, bz] = bands.bands[i]!;
    if (mask & 4) for (let y = 0; y < by; y++) inverseSlice(picture, y * pitchY, pitchZ, bz, bx, lows, a, integer);
    if (mask & 2) for (let z = 0; z < bz; z++) inverseSlice(picture, z * pitchZ, pitchY, by, bx, lows, a, integer);
    if (mask & 1) {
      for (let z = 0; z < bz; z++) for (let y = 0; y < by; y++) inverseLine(picture, y * pitchY + z * pitchZ, bx, lows, a, integer);
    }
  }
}
