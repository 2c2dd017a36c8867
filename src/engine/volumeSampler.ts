// Interpolation inside one decoded chunk (with margins) for requestVolumeSamples,
// requestVolumeTraces and requestProjectedVolumeSubset: OpenVDS 3.4 VolumeSampler::Sample3D
// (format sheet 5.4), reproduced operation by operation so that Float32 data gives the same
// f32 bits. Coordinates and weights are f32 for every data type (OpenVDS passes a FloatVector3
// and keeps weights in float); the accumulation is f32 for Float32Array data and double for
// Float64Array data (OpenVDS's InterpolatedRealType).
import { InterpolationMethod } from '../enums.js';

export interface SamplerBlock {
  /** One decoded chunk including its margins, physical values, dimension 0 fastest. */
  data: Float32Array | Float64Array;
  /** Voxels per chunk dimension (up to 3; use 1 for absent ones). */
  size: readonly [number, number, number];
}

export interface SamplerOptions {
  method: InterpolationMethod;
  /** When set, voxels equal to noValue are skipped as OpenVDS does; results that are no-value give replacementNoValue. */
  noValue?: { noValue: number; replacementNoValue: number };
  /** The channel value range; Angular wraps with period max − min. */
  valueRangeMin: number;
  valueRangeMax: number;
}

/** Samples at continuous chunk-local coordinates; voxel k spans [k, k+1). */
export type VolumeSample = (u: number, v: number, w: number) => number;

/** Everything a kernel needs, resolved once per block. */
interface Kernel {
  data: Float32Array | Float64Array;
  sizeX: number;
  sizeY: number;
  sizeZ: number;
  /** Rounding of the accumulator type: f32 for Float32Array data, none for Float64Array. */
  real: (x: number) => number;
  useNoValue: boolean;
  /** OpenVDS holds both as float, whatever the data type. */
  noValue: number;
  replacementNoValue: number;
  rangeMin: number;
  rangeSize: number;
}

const fround = Math.fround;
const keepDouble = (x: number): number => x;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** floorf then C's (int) as x86 does it: NaN and out-of-range values become INT32_MIN (then clamp to 0). */
function floorToInt(x: number): number {
  const n = Math.floor(x);
  return n >= INT32_MIN && n <= INT32_MAX ? n : INT32_MIN;
}

function clampIndex(i: number, size: number): number {
  return i < 0 ? 0 : i >= size ? size - 1 : i;
}

/** Fraction of a float coordinate past the centre of voxel n = floor(c − 0.5), in f32 as OpenVDS computes it. */
function fractionPastCentre(c: number, n: number): number {
  return fround(fround(c - fround(n)) - 0.5);
}

function nearestOffset(k: Kernel, u: number, v: number, w: number): number {
  return clampIndex(floorToInt(u), k.sizeX) +
    (clampIndex(floorToInt(v), k.sizeY) + clampIndex(floorToInt(w), k.sizeZ) * k.sizeY) * k.sizeX;
}

export function createVolumeSampler(block: SamplerBlock, options: SamplerOptions): VolumeSample {
  const kernel = resolveKernel(block, options);
  switch (options.method) {
    case InterpolationMethod.Nearest: return nearestSampler(kernel);
    case InterpolationMethod.Linear: return linearSampler(kernel, false);
    case InterpolationMethod.Angular: return linearSampler(kernel, true);
    case InterpolationMethod.Cubic: return cubicSampler(kernel);
    case InterpolationMethod.Triangular: return triangularSampler(kernel);
    default: throw new Error(`Unknown interpolation method ${String(options.method)}`);
  }
}

function resolveKernel(block: SamplerBlock, options: SamplerOptions): Kernel {
  const { data, size } = block;
  if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
    throw new Error('SamplerBlock data must be a Float32Array or a Float64Array');
  }
  if (!Array.isArray(size) || size.length !== 3 || !size.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new Error(`SamplerBlock size must be three positive integers, got [${String(size)}]`);
  }
  const [sizeX, sizeY, sizeZ] = size;
  if (data.length < sizeX * sizeY * sizeZ) {
    throw new Error(`SamplerBlock data has ${data.length} values, size ${sizeX}×${sizeY}×${sizeZ} needs ${sizeX * sizeY * sizeZ}`);
  }
  const { valueRangeMin, valueRangeMax } = options;
  if (!Number.isFinite(valueRangeMin) || !Number.isFinite(valueRangeMax)) {
    throw new Error(`Sampler value range must be finite, got [${valueRangeMin}, ${valueRangeMax}]`);
  }
  const rangeMin = fround(valueRangeMin);
  const rangeSize = fround(fround(valueRangeMax) - rangeMin);
  if (options.method === InterpolationMethod.Angular && !(rangeSize > 0)) {
    throw new Error(`Angular interpolation needs valueRangeMax > valueRangeMin, got [${valueRangeMin}, ${valueRangeMax}]`);
  }
  const noValue = options.noValue;
  return {
    data, sizeX, sizeY, sizeZ,
    real: data instanceof Float32Array ? fround : keepDouble,
    useNoValue: noValue !== undefined,
    noValue: noValue ? fround(noValue.noValue) : NaN,
    // Only reachable without a no-value for NaN coordinates (Triangular), where OpenVDS returns its float replacement.
    replacementNoValue: noValue ? fround(noValue.replacementNoValue) : NaN,
    rangeMin,
    rangeSize,
  };
}

function nearestSampler(k: Kernel): VolumeSample {
  const { data, useNoValue, noValue, replacementNoValue } = k;
  return (u, v, w) => {
    const value = data[nearestOffset(k, fround(u), fround(v), fround(w))]!;
    return useNoValue && value === noValue ? replacementNoValue : value;
  };
}

/** Trilinear (Angular: on angles wrapped towards the nearest voxel, result wrapped into the range). */
function linearSampler(k: Kernel, angular: boolean): VolumeSample {
  const { data, sizeX, sizeY, sizeZ, real, useNoValue, noValue, replacementNoValue, rangeMin, rangeSize } = k;
  const pitchZ = sizeX * sizeY;
  const weightU = new Float64Array(2), weightV = new Float64Array(2), weightW = new Float64Array(2);
  const offsetU = new Int32Array(2), offsetV = new Int32Array(2), offsetW = new Int32Array(2);

  // The float-floor reading of OpenVDS's unqualified floor(); identical to the double one while
  // n·period is exact in f32, which holds for any sane angle range.
  const wrapToClosest = (value: number, fixed: number): number =>
    real(value - real(Math.floor(real(real(real(value - fixed) / rangeSize) + 0.5)) * rangeSize));
  const wrapToRange = (value: number): number =>
    real(value - real(Math.floor(real(real(value - rangeMin) / rangeSize)) * rangeSize));

  return (u, v, w) => {
    u = fround(u); v = fround(v); w = fround(w);
    const nearest = data[nearestOffset(k, u, v, w)]!;
    if (useNoValue && nearest === noValue) return replacementNoValue;

    const nU = floorToInt(fround(u - 0.5)), nV = floorToInt(fround(v - 0.5)), nW = floorToInt(fround(w - 0.5));
    const fU = fractionPastCentre(u, nU), fV = fractionPastCentre(v, nV), fW = fractionPastCentre(w, nW);
    weightU[0] = fround(1 - fU); weightU[1] = fU;
    weightV[0] = fround(1 - fV); weightV[1] = fV;
    weightW[0] = fround(1 - fW); weightW[1] = fW;
    offsetU[0] = clampIndex(nU, sizeX); offsetU[1] = clampIndex(nU + 1, sizeX);
    offsetV[0] = clampIndex(nV, sizeY) * sizeX; offsetV[1] = clampIndex(nV + 1, sizeY) * sizeX;
    offsetW[0] = clampIndex(nW, sizeZ) * pitchZ; offsetW[1] = clampIndex(nW + 1, sizeZ) * pitchZ;

    let sum = 0;
    let weightSum = 0;
    for (let z = 0; z < 2; z++) {
      for (let y = 0; y < 2; y++) {
        const row = offsetW[z]! + offsetV[y]!;
        const weightYZ = weightV[y]!;
        for (let x = 0; x < 2; x++) {
          let value = data[row + offsetU[x]!]!;
          if (useNoValue && value === noValue) continue;
          const weight = fround(fround(weightU[x]! * weightYZ) * weightW[z]!);
          if (angular) value = wrapToClosest(value, nearest);
          sum = real(sum + real(real(value - nearest) * weight));
          weightSum = fround(weightSum + weight);
        }
      }
    }
    if (useNoValue) sum = real(sum / weightSum);
    sum = real(sum + nearest);
    return angular ? wrapToRange(sum) : sum;
  };
}

/** Catmull-Rom weights of taps n−1 … n+2 at fraction t, in f32 with OpenVDS's grouping. */
function cubicWeights(t: number, out: Float64Array): void {
  const t2 = fround(t * t);
  const t3 = fround(t2 * t);
  out[0] = fround(fround(fround(-0.5 * t3) + t2) - fround(0.5 * t));
  out[1] = fround(fround(fround(1.5 * t3) - fround(2.5 * t2)) + 1);
  out[2] = fround(fround(fround(-1.5 * t3) + fround(2 * t2)) + fround(0.5 * t));
  out[3] = fround(0.5 * fround(t3 - t2));
}

/** Central tap (1 or 2) guarding each of the four taps: a tap is dropped when it or its guard is no-value. */
const CUBIC_GUARD = [1, 1, 2, 2] as const;

function cubicSampler(k: Kernel): VolumeSample {
  const { data, sizeX, sizeY, sizeZ, real, useNoValue, noValue, replacementNoValue } = k;
  const pitchZ = sizeX * sizeY;
  const weightU = new Float64Array(4), weightV = new Float64Array(4), weightW = new Float64Array(4);
  const offsetU = new Int32Array(4), offsetV = new Int32Array(4), offsetW = new Int32Array(4);
  const taps = new Float64Array(64); // [z][y][x], only needed for the no-value guards

  return (u, v, w) => {
    u = fround(u); v = fround(v); w = fround(w);
    const nearest = data[nearestOffset(k, u, v, w)]!;
    if (useNoValue && nearest === noValue) return replacementNoValue;

    const nU = floorToInt(fround(u - 0.5)), nV = floorToInt(fround(v - 0.5)), nW = floorToInt(fround(w - 0.5));
    cubicWeights(fractionPastCentre(u, nU), weightU);
    cubicWeights(fractionPastCentre(v, nV), weightV);
    cubicWeights(fractionPastCentre(w, nW), weightW);
    for (let i = 0; i < 4; i++) {
      offsetU[i] = clampIndex(nU + i - 1, sizeX);
      offsetV[i] = clampIndex(nV + i - 1, sizeY) * sizeX;
      offsetW[i] = clampIndex(nW + i - 1, sizeZ) * pitchZ;
    }

    let sum = 0;
    if (!useNoValue) {
      for (let z = 0; z < 4; z++) {
        for (let y = 0; y < 4; y++) {
          const row = offsetW[z]! + offsetV[y]!;
          const weightY = weightV[y]!;
          for (let x = 0; x < 4; x++) {
            const weight = fround(fround(weightU[x]! * weightY) * weightW[z]!);
            sum = real(sum + real(real(data[row + offsetU[x]!]! - nearest) * weight));
          }
        }
      }
      return real(sum + nearest);
    }

    for (let z = 0, t = 0; z < 4; z++) {
      for (let y = 0; y < 4; y++) {
        const row = offsetW[z]! + offsetV[y]!;
        for (let x = 0; x < 4; x++) taps[t++] = data[row + offsetU[x]!]!;
      }
    }
    let weightSum = 0;
    for (let z = 0; z < 4; z++) {
      const guardZ = CUBIC_GUARD[z]! * 16;
      for (let y = 0; y < 4; y++) {
        const guardZY = guardZ + CUBIC_GUARD[y]! * 4;
        const weightY = weightV[y]!;
        for (let x = 0; x < 4; x++) {
          const value = taps[z * 16 + y * 4 + x]!;
          if (value === noValue || taps[guardZY + CUBIC_GUARD[x]!] === noValue) continue;
          const weight = fround(fround(weightU[x]! * weightY) * weightW[z]!);
          sum = real(sum + real(real(value - nearest) * weight));
          weightSum = fround(weightSum + weight);
        }
      }
    }
    return real(real(sum / weightSum) + nearest);
  };
}

/**
 * Height-map interpolation on the 2×2 cell of the first two axes (nearest plane on the third):
 * split along the anti-diagonal; with no-values, the main diagonal, then the two edges leaving
 * the lower corner, as OpenVDS tries them.
 */
function triangularSampler(k: Kernel): VolumeSample {
  const { data, sizeX, sizeY, sizeZ, real, useNoValue, noValue, replacementNoValue } = k;
  const pitchZ = sizeX * sizeY;
  const valid = (value: number): boolean => !useNoValue || value !== noValue;

  return (u, v, w) => {
    u = fround(u); v = fround(v); w = fround(w);
    const plane = clampIndex(floorToInt(w), sizeZ) * pitchZ;
    const nU = floorToInt(fround(u - 0.5)), nV = floorToInt(fround(v - 0.5));
    const fU = fractionPastCentre(u, nU), fV = fractionPastCentre(v, nV);
    const gU = fround(1 - fU), gV = fround(1 - fV);
    const u0 = clampIndex(nU, sizeX), u1 = clampIndex(nU + 1, sizeX);
    const row0 = plane + clampIndex(nV, sizeY) * sizeX, row1 = plane + clampIndex(nV + 1, sizeY) * sizeX;
    // cornerXY: X = step along u, Y = step along v
    const corner00 = data[row0 + u0]!, corner10 = data[row0 + u1]!;
    const corner01 = data[row1 + u0]!, corner11 = data[row1 + u1]!;

    if (valid(corner10) && valid(corner01)) {
      if (fU <= gV && valid(corner00)) {
        return real(real(corner00 + real(fU * real(corner10 - corner00))) + real(fV * real(corner01 - corner00)));
      }
      if (fU >= gV && valid(corner11)) {
        return real(real(corner11 + real(gU * real(corner01 - corner11))) + real(gV * real(corner10 - corner11)));
      }
    } else if (valid(corner00) && valid(corner11)) {
      if (fU >= fV && valid(corner10)) {
        return real(real(corner10 + real(gU * real(corner00 - corner10))) + real(fV * real(corner11 - corner10)));
      }
      if (fU <= fV && valid(corner01)) {
        return real(real(corner01 + real(fU * real(corner11 - corner01))) + real(gV * real(corner00 - corner01)));
      }
    } else if (valid(corner00)) {
      if (fU === 0 && fV === 0) return corner00;
      if (fU === 0 && valid(corner01)) return real(corner00 + real(fV * real(corner01 - corner00)));
      if (fV === 0 && valid(corner10)) return real(corner00 + real(fU * real(corner10 - corner00)));
    }
    return replacementNoValue;
  };
}
