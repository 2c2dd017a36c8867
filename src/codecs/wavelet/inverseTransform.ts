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
 * The hot loops compute the SSE form. The scalar form can only differ in the sign of a zero
 * result, and only when the value it adds to is -0; those cells are recomputed with the form
 * OpenVDS used at that lane.
 */
function exactZeroUpdate(sse: boolean, integer: boolean, l: number, a: number, x0: number, x1: number, x2: number, x3: number): number {
  if (integer) return sse ? updateSseInt(l, a, x0, x1, x2, x3) : updateScalarInt(l, a, x0, x1, x2, x3);
  return sse ? updateSse(l, a, x0, x1, x2, x3) : updateScalar(l, a, x0, x1, x2, x3);
}
function exactZeroPredict(sse: boolean, integer: boolean, h: number, x0: number, x1: number, x2: number, x3: number): number {
  if (integer) return sse ? predictSseInt(h, x0, x1, x2, x3) : predictScalarInt(h, x0, x1, x2, x3);
  return sse ? predictSse(h, x0, x1, x2, x3) : predictScalar(h, x0, x1, x2, x3);
}

interface LineMaps {
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

function lineMaps(n: number): LineMaps {
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

/**
 * Inverse step along an axis with rows of `width` contiguous samples (z or y): `n` rows at
 * `base + r * stride`, low half first. The first `width & ~3` columns are OpenVDS's SSE lanes.
 */
function inverseSlice(buf: Float32Array, base: number, stride: number, n: number, width: number, temp: Float32Array, a: number, integer: boolean): void {
  const { low, high, update, predict } = lineMaps(n);
  const sse = width & ~3;
  for (let r = 0; r < low; r++) {
    const lo = base + r * stride;
    const h0 = base + (low + update[4 * r]!) * stride, h1 = base + (low + update[4 * r + 1]!) * stride;
    const h2 = base + (low + update[4 * r + 2]!) * stride, h3 = base + (low + update[4 * r + 3]!) * stride;
    const out = 2 * r * width;
    for (let i = 0; i < width; i++) {
      const l = buf[lo + i]!, x0 = buf[h0 + i]!, x1 = buf[h1 + i]!, x2 = buf[h2 + i]!, x3 = buf[h3 + i]!;
      const t = f32(sseTerm(x0, x1, x2, x3) * 0.03125);
      const scaled = f32(l * a);
      let o = integer ? f32(rint(t) + awayFromZero(scaled)) : f32(t + scaled);
      if (o === 0 && Object.is(scaled, -0)) o = exactZeroUpdate(i < sse, integer, l, a, x0, x1, x2, x3);
      temp[out + i] = o;
    }
  }
  for (let r = 0; r < high; r++) {
    const hi = base + (low + r) * stride;
    const l0 = 2 * predict[4 * r]! * width, l1 = 2 * predict[4 * r + 1]! * width;
    const l2 = 2 * predict[4 * r + 2]! * width, l3 = 2 * predict[4 * r + 3]! * width;
    const out = (2 * r + 1) * width;
    for (let i = 0; i < width; i++) {
      const h = buf[hi + i]!, x0 = temp[l0 + i]!, x1 = temp[l1 + i]!, x2 = temp[l2 + i]!, x3 = temp[l3 + i]!;
      const t = f32(sseTerm(x0, x1, x2, x3) * -0.0625);
      let o = integer ? f32(rint(t) + h) : f32(t + h);
      if (o === 0 && Object.is(h, -0)) o = exactZeroPredict(i < sse, integer, h, x0, x1, x2, x3);
      temp[out + i] = o;
    }
  }
  for (let r = 0; r < n; r++) {
    const to = base + r * stride, from = r * width;
    for (let i = 0; i < width; i++) buf[to + i] = temp[from + i]!;
  }
}

/** Inverse step along x of one contiguous line, interleaving low and high results in place. */
function inverseLine(buf: Float32Array, base: number, n: number, lowOut: Float32Array, highOut: Float32Array, a: number, integer: boolean): void {
  const { low, high, update, predict, lineSseUpdate, lineSsePredict } = lineMaps(n);
  const hb = base + low;
  for (let r = 0; r < low; r++) {
    const m = 4 * r;
    const l = buf[base + r]!, x0 = buf[hb + update[m]!]!, x1 = buf[hb + update[m + 1]!]!, x2 = buf[hb + update[m + 2]!]!, x3 = buf[hb + update[m + 3]!]!;
    const t = f32(sseTerm(x0, x1, x2, x3) * 0.03125);
    const scaled = f32(l * a);
    let o = integer ? f32(rint(t) + awayFromZero(scaled)) : f32(t + scaled);
    if (o === 0 && Object.is(scaled, -0)) o = exactZeroUpdate(r < lineSseUpdate, integer, l, a, x0, x1, x2, x3);
    lowOut[r] = o;
  }
  for (let r = 0; r < high; r++) {
    const m = 4 * r;
    const h = buf[hb + r]!, x0 = lowOut[predict[m]!]!, x1 = lowOut[predict[m + 1]!]!, x2 = lowOut[predict[m + 2]!]!, x3 = lowOut[predict[m + 3]!]!;
    const t = f32(sseTerm(x0, x1, x2, x3) * -0.0625);
    let o = integer ? f32(rint(t) + h) : f32(t + h);
    if (o === 0 && Object.is(h, -0)) o = exactZeroPredict(r < lineSsePredict, integer, h, x0, x1, x2, x3);
    highOut[r] = o;
  }
  for (let r = 0; r < high; r++) {
    buf[base + 2 * r] = lowOut[r]!;
    buf[base + 2 * r + 1] = highOut[r]!;
  }
  if (low > high) buf[base + 2 * high] = lowOut[high]!;
}

export function inverseTransform(picture: Float32Array, bands: BandStructure, integerInfo: number): void {
  const integer = (integerInfo & IntegerInfo.IsInteger) !== 0;
  const a = integerInfo & IntegerInfo.LosslessOptimized ? 1 : INV_SQRT2;
  const { pitchY, pitchZ } = bands;
  const [sx, sy, sz] = bands.bands[0]!;
  const temp = new Float32Array(sx * Math.max(sy, sz));
  const lowOut = new Float32Array((sx + 1) >> 1), highOut = new Float32Array(sx >> 1);
  for (let i = bands.iterations - 1; i >= 0; i--) {
    const mask = bands.masks[i]!;
    const [bx, by, bz] = bands.bands[i]!;
    if (mask & 4) for (let y = 0; y < by; y++) inverseSlice(picture, y * pitchY, pitchZ, bz, bx, temp, a, integer);
    if (mask & 2) for (let z = 0; z < bz; z++) inverseSlice(picture, z * pitchZ, pitchY, by, bx, temp, a, integer);
    if (mask & 1) {
      for (let z = 0; z < bz; z++) for (let y = 0; y < by; y++) inverseLine(picture, y * pitchY + z * pitchZ, bx, lowOut, highOut, a, integer);
    }
  }
}
