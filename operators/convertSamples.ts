// Transform operator: the convert stage of projected subsets (format sheet 5.3). The interpolated
// values (doubles) of each chunk's samples become output elements as OpenVDS's ProjectValuesKernel
// writes them, as soon as the chunk's samples are in; voxels no chunk serves stay untouched.
import { type MonoTypeOperatorFunction, tap } from 'rxjs';
import type { VolumeDataChannelDescriptor } from '../src/model/layout/descriptors.js';
import { VolumeDataFormat } from '../src/model/enums.js';
import { bucketCount, isQuantizedFormat, noValueCode, quantizeWithReciprocalScale, U64_MAX, u64Element } from '../src/model/convert.js';
import type { VolumeDataTypedArray } from '../src/model/formats.js';
import type { SamplePlan } from '../src/engine/samplePlan.js';
import { PROJECTED_NO_VALUE } from '../src/engine/sampleRules.js';

const F = VolumeDataFormat;
const f32 = Math.fround;

/** An interpolated value to an output element (a 0/1 bit for 1Bit, an integer code for U8/U16…). */
export type ValueConverter = (value: number) => number;

/**
 * Converts the samples of each chunk that comes through (by index, once its samples are in
 * `values`) into `data`, in `format`.
 */
export function convertSamples(plan: SamplePlan, values: ArrayLike<number>, data: VolumeDataTypedArray, format: VolumeDataFormat,
  convert: ValueConverter): MonoTypeOperatorFunction<number> {
  const target = data as unknown as { [i: number]: number | bigint };
  return tap((chunkIndex) => {
    for (const i of plan.byChunk.get(chunkIndex) ?? []) {
      const element = convert(values[i]!);
      if (format === F.Format_1Bit) {
        const bits = data as Uint8Array;
        bits[i >> 3] = element ? bits[i >> 3]! | (1 << (i & 7)) : bits[i >> 3]! & ~(1 << (i & 7));
      } else {
        target[i] = format === F.Format_U64 ? u64Element(element) : element;
      }
    }
  });
}

/**
 * OpenVDS's projected-subset output stage (ProjectValuesKernel's QuantizingValueConverterWithNoValue):
 * U8/U16 via integer scale and offset with 256/65536 buckets, one fewer when a replacement is given;
 * with a replacement, an interpolated value of exactly 1.0 is written as 1.0 converted to the
 * output format (255/65535 for U8/U16, 0 for 1Bit). `f32Values`: the sampler's values are f32 (else double).
 */
export function projectedValueConverter(format: VolumeDataFormat, channel: VolumeDataChannelDescriptor,
  withReplacement: boolean, f32Values: boolean): ValueConverter {
  let convert: ValueConverter;
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
