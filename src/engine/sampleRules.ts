// What each interpolating request kind hands OpenVDS 3.4's VolumeSampler (format sheet 5.3–5.5):
// the method, how chunks are decoded, which element is the no-value, and (projected subsets) how
// the interpolated value becomes an output element. The kinds differ, and rxvds follows each:
//
// * samples and traces force Nearest on discrete channels, decode chunks with the request's
//   replacement no-value (4.4) and, when the channel uses no-value, skip the elements equal to the
//   replacement (or the channel's no-value) converted to the channel's format — so with a
//   replacement, data equal to it is skipped too;
// * projected subsets interpolate discrete channels with the requested method, ignore the
//   channel's useNoValue, and only with a replacement skip elements equal to 1.0 converted to the
//   channel's format (OpenVDS passes its "use no-value" flag where the no-value belongs: 255/65535
//   codes for U8/U16, 0 bits for 1Bit, 1.0 otherwise), writing 1.0-converted for them; the
//   channel's real no-values were replaced while decoding and are interpolated as data.
//
// Chunks are sampled in the channel's own format, so no-values are compared as OpenVDS compares
// them (R64 in double, U8/U16 by code); 1Bit is decoded as 0/1 R32 and U64 as doubles.
import type { VolumeDataChannelDescriptor } from '../model/layout/descriptors.js';
import { InterpolationMethod, VolumeDataFormat } from '../model/enums.js';
import { bucketCount, convertNoValue, isQuantizedFormat, noValueCode, quantizeWithReciprocalScale, U64_MAX } from '../model/convert.js';
import { createVolumeSampler, type SamplerBlock, type SamplerData, type SamplerOptions } from './volumeSampler.js';
import { typedView } from '../model/formats.js';

const F = VolumeDataFormat;
const f32 = Math.fround;

export type SampleRequestKind = 'samples' | 'traces' | 'projected';

export interface SamplingRules {
  method: InterpolationMethod;
  /** Chunks are decoded into this format (the channel's own; 1Bit as R32 0/1). */
  decodeFormat: VolumeDataFormat;
  /** Replacement applied while decoding (4.4); undefined keeps the channel's no-values. */
  decodeReplacement: number | undefined;
  /** The sampler's no-value element and the value it returns for no-value results. */
  noValue: SamplerOptions['noValue'];
  /** Whether the sampler accumulates in f32 (else double: R64, U32, U64 channels). */
  f32: boolean;
}

/** The value OpenVDS's projected-subset kernel uses as no-value, wherever it uses one. */
const PROJECTED_NO_VALUE = 1;

export function samplingRules(kind: SampleRequestKind, channel: VolumeDataChannelDescriptor, method: InterpolationMethod,
  requestedReplacement: number | undefined): SamplingRules {
  const format = channel.format;
  // OpenVDS takes the replacement as a float: R64 pages hold f32(replacement), U32 ones its f32 rounding.
  const replacementNoValue = requestedReplacement === undefined ? undefined : f32(requestedReplacement);
  const rules = {
    decodeFormat: format === F.Format_1Bit ? F.Format_R32 : format,
    decodeReplacement: replacementNoValue,
    f32: format !== F.Format_R64 && format !== F.Format_U32 && format !== F.Format_U64,
  };
  if (kind === 'projected') {
    const noValue = replacementNoValue === undefined ? undefined
      : { noValue: convertNoValue(format, PROJECTED_NO_VALUE), replacementNoValue: PROJECTED_NO_VALUE };
    return { ...rules, method, noValue };
  }
  const lookFor = replacementNoValue ?? channel.noValue;
  return {
    ...rules,
    method: channel.isDiscrete() ? InterpolationMethod.Nearest : method,
    noValue: channel.useNoValue ? { noValue: convertNoValue(format, lookFor), replacementNoValue: lookFor } : undefined,
  };
}

/**
 * What sampling one decoded chunk needs beyond its bytes, resolved once per request: plain data,
 * so it can travel to a worker with each chunk's job.
 */
export interface ChunkSampling {
  /** The format the chunk was decoded into (SamplingRules.decodeFormat). */
  decodeFormat: VolumeDataFormat;
  /** U8/U16 codes' scale and offset, for their physical values. */
  codes: SamplerBlock['codes'];
  sampler: SamplerOptions;
}

export function chunkSampling(rules: SamplingRules, channel: VolumeDataChannelDescriptor): ChunkSampling {
  return {
    decodeFormat: rules.decodeFormat,
    codes: isQuantizedFormat(rules.decodeFormat) ? { integerScale: channel.integerScale, integerOffset: channel.integerOffset } : undefined,
    sampler: { method: rules.method, noValue: rules.noValue, valueRangeMin: channel.valueRangeMin, valueRangeMax: channel.valueRangeMax },
  };
}

/** A decoded chunk (bytes in `sampling.decodeFormat`, margins included) as the sampler's block. */
function samplerBlock(bytes: Uint8Array, size: [number, number, number], sampling: ChunkSampling): SamplerBlock {
  const { buffer, byteOffset, byteLength } = alignedTo8(bytes);
  // decodeFormat is never 1Bit (sampled as R32). U64 is exact below 2^53; larger values are rounded
  // to the nearest double before comparing.
  const elements = typedView(sampling.decodeFormat, buffer, byteOffset, byteLength);
  const data: SamplerData = elements instanceof BigUint64Array ? Float64Array.from(elements, Number) : elements;
  return { data, size, codes: sampling.codes };
}

/**
 * Interpolates samples `indices` of one decoded chunk into `out[i]`, at the chunk-local
 * coordinates `local[3i … 3i + 2]`. The same code on the main thread and on the workers, so
 * where a chunk is sampled never changes a bit.
 */
export function sampleChunk(bytes: Uint8Array, size: [number, number, number], sampling: ChunkSampling,
  indices: ArrayLike<number>, local: Float32Array, out: Float32Array | Float64Array): void {
  const sample = createVolumeSampler(samplerBlock(bytes, size, sampling), sampling.sampler);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    out[i] = sample(local[i * 3]!, local[i * 3 + 1]!, local[i * 3 + 2]!);
  }
}

function alignedTo8(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
}

/**
 * OpenVDS's projected-subset output stage (ProjectValuesKernel's QuantizingValueConverterWithNoValue):
 * U8/U16 via integer scale and offset with 256/65536 buckets, one fewer when a replacement is given;
 * with a replacement, an interpolated value of exactly 1.0 is written as 1.0 converted to the
 * output format (255/65535 for U8/U16, 0 for 1Bit). `f32Values`: the sampler's values are f32 (else double).
 */
export function projectedValueConverter(format: VolumeDataFormat, channel: VolumeDataChannelDescriptor,
  withReplacement: boolean, f32Values: boolean): (value: number) => number {
  let convert: (value: number) => number;
  if (isQuantizedFormat(format)) {
    const reciprocal = f32(1 / f32(channel.integerScale));
    const buckets = bucketCount(format, withReplacement);
    convert = (v) => quantizeWithReciprocalScale(f32(v), channel.integerOffset, reciprocal, buckets);
  } else if (format === F.Format_U32 || format === F.Format_U64) {
    const max = format === F.Format_U32 ? 0xffffffff : U64_MAX;
    // ConvertValue<uint, TREAL>: (uint)(value + 0.5f), the sum in the sampler's precision.
    convert = (v) => (!(v >= 0) ? 0 : v > max ? max : Math.trunc(f32Values ? f32(v + 0.5) : v + 0.5));
  } else if (format === F.Format_1Bit) {
    convert = (v) => (v !== 0 ? 1 : 0);
  } else {
    convert = format === F.Format_R32 ? f32 : (v) => v;
  }
  if (!withReplacement) return convert;
  const noValueOut = isQuantizedFormat(format) ? noValueCode(format) : format === F.Format_1Bit ? 0 : PROJECTED_NO_VALUE;
  return (v) => (v === PROJECTED_NO_VALUE ? noValueOut : convert(v));
}
