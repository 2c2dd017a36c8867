// Wavelet chunk encoder: streams of version 1.6 that the decoder of wavelet.ts (and OpenVDS 3.4)
// reads. Layout: header, no zero runs (A), the no-value mask (B) when a sample is no-value, unit
// normalization factors (C, NormalizeBlock methods), the adaptive stream (D) and, for R32
// lossless methods, the residual (E). R32 uses the float lifting; U8/U16 the lossless-optimized
// integer lifting (integerInfo 1|2, |8 for 16 bits), exact at threshold 1.
//
// The tolerance bound is guaranteed by construction-and-check: quantize with a threshold derived
// from the bound, decode the stream with the real decoder, and lower the threshold until every
// sample is within the bound (integer streams end, at worst, at threshold 1 = lossless).
import { CompressionMethod, VolumeDataFormat as F } from '../../model/enums.js';
import { InvalidArgumentError } from '../../model/errors.js';
import type { BlockShape, ChannelValues } from '../../model/block.js';
import { WAVELET_ADAPTIVE_LEVELS } from '../../model/adaptiveLevels.js';
import { noValueCode } from '../../model/convert.js';
import { coarsestDetail, createBandStructure, volume, type BandStructure } from './bandStructure.js';
import { IntegerInfo, normalizeFieldCount, WAVELET_MAX_SIZE, WAVELET_VERSION_1_6, type Vec3 } from './header.js';
import { compileTransformData, createTransformData } from './transformData.js';
import { waveletCodecFor } from '../wavelet.js';
import { buildNodeTree, encodeAdaptiveStream, type AdaptiveStream, type NodeTree } from './encode/adaptiveEncoder.js';
import { ByteWriter } from './encode/byteWriter.js';
import { forwardTransform } from './encode/forwardTransform.js';
import { encodeLosslessBlock, encodeNoValueRuns } from './encode/sections.js';
import { createTreeRules, type TreeRules } from './encode/treeRules.js';

const f32 = Math.fround;

export type WaveletMethod =
  | CompressionMethod.Wavelet
  | CompressionMethod.WaveletLossless
  | CompressionMethod.WaveletNormalizeBlock
  | CompressionMethod.WaveletNormalizeBlockLossless;

export interface WaveletEncodeOptions {
  shape: BlockShape;
  channel: ChannelValues;
  /** Maximum deviation in units of (valueRangeMax − valueRangeMin) / 255; 1 = the loss of 8-bit quantization. */
  tolerance: number;
  method: WaveletMethod;
}

export interface WaveletEncoded {
  bytes: Uint8Array;
  /** The 16 nested prefix fractions (n/255) of the chunk-metadata record (format sheet 3.6.11). */
  adaptiveLevels: Uint8Array;
}

/** Largest magnitude code a coefficient may get (bit-planes are 31 bits at most). */
const MAX_MAGNITUDE = 2 ** 30;
/** The finest bound a float stream is held to, relative to the data's scale (f32 rounding). */
const FLOAT_FLOOR = 2 ** -20;
const F32_MIN_NORMAL = 2 ** -126;
const MAX_ATTEMPTS = 40;
const BEST_EFFORT_ATTEMPTS = 6;

const isLosslessMethod = (m: CompressionMethod) => m === CompressionMethod.WaveletLossless || m === CompressionMethod.WaveletNormalizeBlockLossless;
const isNormalizeMethod = (m: CompressionMethod) => m === CompressionMethod.WaveletNormalizeBlock || m === CompressionMethod.WaveletNormalizeBlockLossless;

/** The chunk's samples, as numbers, and which of them are no-value. */
interface Samples {
  values: Float32Array | Uint8Array | Uint16Array;
  noValue: Uint8Array | null;
  integer: boolean;
}

function checkOptions(payload: Uint8Array, options: WaveletEncodeOptions): Vec3 {
  const { shape, tolerance, method } = options;
  if (!(isLosslessMethod(method) || isNormalizeMethod(method) || method === CompressionMethod.Wavelet)) {
    throw new InvalidArgumentError(`${CompressionMethod[method] ?? method} is not a wavelet compression method`);
  }
  if (shape.components !== 1) throw new InvalidArgumentError(`wavelet chunks have 1 component, got ${shape.components}`);
  if (![F.Format_R32, F.Format_U8, F.Format_U16].includes(shape.format)) {
    throw new InvalidArgumentError(`wavelet compression supports R32, U8 and U16 channels, not ${F[shape.format] ?? shape.format}`);
  }
  if (!(tolerance >= 0 && Number.isFinite(tolerance))) throw new InvalidArgumentError(`wavelet tolerance ${tolerance} is not a number >= 0`);
  const { valueRangeMin, valueRangeMax } = options.channel;
  if (!Number.isFinite(valueRangeMin) || !Number.isFinite(valueRangeMax)) {
    throw new InvalidArgumentError(`wavelet compression needs a finite value range, the channel has ${valueRangeMin}..${valueRangeMax}`);
  }
  const size: Vec3 = [shape.size[0], shape.dimensionality >= 2 ? shape.size[1] : 1, shape.dimensionality >= 3 ? shape.size[2] : 1];
  for (const n of size) {
    if (!Number.isInteger(n) || n < 1 || n > WAVELET_MAX_SIZE) throw new InvalidArgumentError(`wavelet chunk size ${size.join(' x ')} is outside 1..${WAVELET_MAX_SIZE}`);
  }
  const bytesPerSample = shape.format === F.Format_R32 ? 4 : shape.format === F.Format_U16 ? 2 : 1;
  if (payload.length !== volume(size) * bytesPerSample) {
    throw new InvalidArgumentError(`wavelet payload has ${payload.length} bytes, a ${size.join(' x ')} ${F[shape.format]} chunk has ${volume(size) * bytesPerSample}`);
  }
  return size;
}

function readSamples(payload: Uint8Array, format: F, channel: ChannelValues): Samples {
  const copy = payload.slice().buffer;
  const values = format === F.Format_R32 ? new Float32Array(copy) : format === F.Format_U16 ? new Uint16Array(copy) : new Uint8Array(copy);
  const integer = format !== F.Format_R32;
  if (!channel.useNoValue) return { values, noValue: null, integer };
  const marker = integer ? noValueCode(format) : f32(channel.noValue);
  const nanMarker = Number.isNaN(marker);
  const noValue = new Uint8Array(values.length);
  let any = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === marker || (nanMarker && v !== v)) { noValue[i] = 1; any = true; }
  }
  return { values, noValue: any ? noValue : null, integer };
}

/** The padded picture with no-values (and, for float data, non-finite samples) replaced by the mean, so they cost nothing. */
function fillPicture(samples: Samples, bands: BandStructure): Float64Array {
  const { values, noValue, integer } = samples;
  const usable = (i: number) => !(noValue && noValue[i]) && Number.isFinite(values[i]!);
  let sum = 0, count = 0;
  for (let i = 0; i < values.length; i++) if (usable(i)) { sum += values[i]!; count++; }
  const fill = count ? (integer ? Math.round(sum / count) : f32(sum / count)) : 0;
  const picture = new Float64Array(volume(bands.allocated));
  const [sx, sy, sz] = bands.size;
  for (let z = 0, i = 0; z < sz; z++) {
    for (let y = 0; y < sy; y++) {
      const row = y * bands.pitchY + z * bands.pitchZ;
      for (let x = 0; x < sx; x++, i++) picture[row + x] = usable(i) ? values[i]! : fill;
    }
  }
  return picture;
}

/** The everything-but-D part of the stream: header (sizes filled in later), A, B and C. */
function writeLeadingSections(size: Vec3, dimensionality: number, integerInfo: number, samples: Samples, channel: ChannelValues, normalize: boolean): Uint8Array {
  const out = new ByteWriter(256);
  out.int32(WAVELET_VERSION_1_6);
  out.int32(0);
  for (const n of size) out.int32(n);
  out.int32(dimensionality | (integerInfo << 8));
  out.int32(4); // A: no zero runs
  if (samples.noValue) {
    const runs = encodeNoValueRuns(samples.noValue, size);
    out.int32(runs.length);
    out.float32(channel.noValue);
    out.append(runs);
    out.pad4();
  } else {
    out.int32(-1);
  }
  if (normalize) for (let i = 0; i < normalizeFieldCount(size); i++) out.float32(1);
  return out.result();
}

interface Encoder {
  bands: BandStructure;
  rules: TreeRules;
  tree: NodeTree;
  coarsest: Int32Array;
  coefficients: Float64Array;
  leading: Uint8Array;
}

interface Attempt {
  bytes: Uint8Array;
  adaptive: AdaptiveStream;
  /** Offset of the adaptive stream in `bytes`. */
  adaptiveOffset: number;
  /** The decoder's output for `bytes` (level 0, no residual), in the channel's format; set when checked. */
  decoded?: Uint8Array;
}

/** Quantizes with `threshold` and assembles the stream without section E. */
function attempt(enc: Encoder, threshold: number, integer: boolean): Attempt {
  const { coefficients } = enc;
  const magnitude = new Int32Array(coefficients.length);
  // Float streams rebuild (q + ½)·t, integer streams q·t: floor resp. round gives the nearest.
  for (let i = 0; i < coefficients.length; i++) {
    const m = Math.abs(coefficients[i]!) / threshold;
    magnitude[i] = Math.min(MAX_MAGNITUDE - 1, integer ? Math.round(m) : Math.floor(m));
  }
  const adaptive = encodeAdaptiveStream(enc.bands, enc.rules, enc.tree, { coefficients, magnitude }, enc.coarsest);
  const out = new ByteWriter(enc.leading.length + 12 + adaptive.bytes.length + 4);
  out.append(enc.leading);
  out.float32(threshold);
  out.float32(f32(threshold * 2 ** adaptive.decodeBits));
  out.int32(adaptive.bytes.length);
  const adaptiveOffset = out.length;
  out.append(adaptive.bytes);
  out.pad4();
  out.setInt32(4, out.length);
  return { bytes: out.result(), adaptive, adaptiveOffset };
}

/** Largest |decoded − original| over the finite samples that are not no-value (non-finite ones only lossless methods keep, in section E). */
function maxError(decoded: Float32Array | Uint8Array | Uint16Array, samples: Samples): number {
  let worst = 0;
  const { values, noValue } = samples;
  for (let i = 0; i < values.length; i++) {
    if ((noValue && noValue[i]) || !Number.isFinite(values[i]!)) continue;
    const e = Math.abs(decoded[i]! - values[i]!);
    if (!(e <= worst)) worst = e;
  }
  return worst;
}

function decodeAttempt(bytes: Uint8Array, options: WaveletEncodeOptions, lossless: boolean): Uint8Array {
  const { shape, channel, method } = options;
  return waveletCodecFor(method).decode(bytes, { shape, channel, targetFormat: shape.format, adaptiveLevel: 0, lossless }).bytes;
}

function typed(bytes: Uint8Array, format: F): Float32Array | Uint8Array | Uint16Array {
  const buffer = bytes.slice().buffer;
  return format === F.Format_R32 ? new Float32Array(buffer) : format === F.Format_U16 ? new Uint16Array(buffer) : new Uint8Array(buffer);
}

/** The bound in the samples' own units: values for R32, codes for U8/U16. */
function errorBound(options: WaveletEncodeOptions, samples: Samples): number {
  const { channel, tolerance } = options;
  const range = Math.abs(channel.valueRangeMax - channel.valueRangeMin);
  const bound = (tolerance * range) / 255;
  if (samples.integer) {
    const scale = Math.abs(channel.integerScale) || 1;
    return Math.floor(bound / scale + 1e-9);
  }
  let scale = range;
  for (let i = 0; i < samples.values.length; i++) {
    const v = samples.values[i]!;
    if (!(samples.noValue && samples.noValue[i]) && Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  }
  return Math.max(bound, scale * FLOAT_FLOOR);
}

function largestDetail(enc: Encoder): number {
  let max = 0;
  for (let i = 0; i < enc.coefficients.length; i++) max = Math.max(max, Math.abs(enc.coefficients[i]!));
  return max;
}

/**
 * The decoded block's error grows about linearly with the threshold: 0.8–1.4× it for float
 * streams, about 2× for integer ones (their lifting does not scale the low band down). The first guess.
 */
const FIRST_GUESS = 1 / 1.1;
const FIRST_GUESS_INTEGER = 1 / 2.2;
/** Aim this close under the bound when rescaling from an observed error. */
const AIM = 0.97;
/** A passing try this far under the bound is worth one try with a larger threshold. */
const SLACK = 0.85;

/**
 * Finds a threshold whose decoded block meets the bound: a first guess, then rescaling by the
 * observed error (down until it passes; once up when the pass left much slack). Only passing
 * tries are returned, except for lossless methods (`bestEffort`), which take the last try when
 * f32 range limits make the bound unreachable (their residual makes the result exact anyway).
 */
function searchThreshold(enc: Encoder, options: WaveletEncodeOptions, samples: Samples, bestEffort: boolean): Attempt {
  const bound = errorBound(options, samples);
  const integer = samples.integer;
  if (integer && bound < 1) return attempt(enc, 1, true);
  // Thresholds stay positive f32 normals (the decoder rejects 0) and keep codes below 2^30.
  const floor = Math.max(F32_MIN_NORMAL, largestDetail(enc) / MAX_MAGNITUDE);
  const next = (threshold: number, factor: number) => (integer
    ? Math.max(1, factor < 1 ? Math.min(threshold - 1, Math.floor(threshold * factor)) : Math.max(threshold + 1, Math.floor(threshold * factor)))
    : f32(Math.max(floor, threshold * factor)));
  let threshold = next(bound, integer ? FIRST_GUESS_INTEGER : FIRST_GUESS);
  let passed: Attempt | undefined;
  let triedLarger = false;
  for (let i = 0; i < (bestEffort ? BEST_EFFORT_ATTEMPTS : MAX_ATTEMPTS); i++) {
    const result = attempt(enc, threshold, integer);
    result.decoded = decodeAttempt(result.bytes, options, false);
    const error = maxError(typed(result.decoded, options.shape.format), samples);
    if (error <= bound) {
      if (triedLarger || error > SLACK * bound) return result;
      passed = result;
      triedLarger = true;
      threshold = next(threshold, error > 0 ? Math.min(1.5, (AIM * bound) / error) : 1.5);
      continue;
    }
    if (passed) return passed;
    if (integer && threshold === 1) return result; // exact by construction
    if (bestEffort && i + 1 === BEST_EFFORT_ATTEMPTS) return result;
    threshold = next(threshold, Math.min(0.9, Math.max(1 / 16, (AIM * bound) / error)));
  }
  throw new InvalidArgumentError(`wavelet encoder cannot reach the error bound ${bound} for this chunk`);
}

/** Prefix fractions for levels 0..15: level k needs the stream up to the end of bit-plane k. */
function adaptiveLevelFractions(total: number, result: Attempt): Uint8Array {
  const { adaptive, adaptiveOffset } = result;
  const levels = new Uint8Array(WAVELET_ADAPTIVE_LEVELS);
  let size = total;
  for (let k = 0; k < WAVELET_ADAPTIVE_LEVELS; k++) {
    const need = adaptiveOffset + (k <= adaptive.decodeBits ? adaptive.planeEnd[k]! : adaptive.planesStart);
    const fraction = Math.min(255, Math.max(1, Math.ceil((255 * need) / size)));
    levels[k] = fraction;
    size = Math.floor((size * fraction) / 255);
  }
  return levels;
}

/**
 * Encodes one chunk (dense payload in the channel's format, dimension 0 fastest). Pure and
 * synchronous. Lossy methods keep every sample within `tolerance · range / 255` (R32: at least
 * f32 precision, 2^-20 of the data's scale); lossless methods reproduce the payload bit for bit.
 */
export function encodeWaveletChunk(payload: Uint8Array, options: WaveletEncodeOptions): WaveletEncoded {
  const size = checkOptions(payload, options);
  const { shape, channel, method } = options;
  const samples = readSamples(payload, shape.format, channel);
  const lossless = isLosslessMethod(method);
  if (!lossless && !samples.integer) {
    for (let i = 0; i < samples.values.length; i++) {
      if (!(samples.noValue && samples.noValue[i]) && !Number.isFinite(samples.values[i]!)) {
        throw new InvalidArgumentError(`sample ${i} is ${samples.values[i]}: only lossless wavelet methods can store non-finite values`);
      }
    }
  }
  const integerInfo = samples.integer ? IntegerInfo.IsInteger | IntegerInfo.LosslessOptimized | (shape.format === F.Format_U16 ? IntegerInfo.Is16Bit : 0) : 0;
  const bands = createBandStructure(shape.dimensionality, size);
  const compiled = compileTransformData(bands, createTransformData(bands), true);
  const coarsest = coarsestDetail(bands);
  const coefficients = fillPicture(samples, bands);
  forwardTransform(coefficients, bands, samples.integer);
  const rules = createTreeRules(bands, compiled, coarsest);
  const enc: Encoder = {
    bands, rules, tree: buildNodeTree(rules), coarsest: coarsest.positions, coefficients,
    leading: writeLeadingSections(size, shape.dimensionality, integerInfo, samples, channel, isNormalizeMethod(method)),
  };
  // Integer lossless streams are exact at threshold 1 (a bound of 0 codes leads straight there).
  const searchOptions = lossless && samples.integer ? { ...options, tolerance: 0 } : options;
  const result = searchThreshold(enc, searchOptions, samples, lossless);
  let bytes = result.bytes;
  if (lossless && !samples.integer) bytes = appendResidual(result, options, payload);
  return { bytes, adaptiveLevels: adaptiveLevelFractions(bytes.length, result) };
}

/** Section E: XOR of the payload's f32 bits with the lossy decode's. */
function appendResidual(result: Attempt, options: WaveletEncodeOptions, payload: Uint8Array): Uint8Array {
  const decoded = new Uint32Array((result.decoded ?? decodeAttempt(result.bytes, options, false)).slice().buffer);
  const original = new Uint32Array(payload.slice().buffer);
  const residual = new Uint32Array(original.length);
  for (let i = 0; i < residual.length; i++) residual[i] = (decoded[i]! ^ original[i]!) >>> 0;
  const out = new ByteWriter(result.bytes.length + 20 + 4 * residual.length);
  out.append(result.bytes);
  encodeLosslessBlock(residual, out);
  out.pad4();
  out.setInt32(4, out.length);
  return out.result();
}
