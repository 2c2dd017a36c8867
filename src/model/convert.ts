// Value conversion between voxel formats (format sheet 4): quantisation to U8/U16 with the channel's
// value range, integer scale/offset for U8/U16 channels, and no-value replacement. f32 arithmetic
// in the order OpenVDS uses, so results are bit-identical.
import type { ChannelValues, DecodedBlock, DecodeOptions } from './block.js';
import { VolumeDataFormat } from './enums.js';
import { formatByteSize, typedView } from './formats.js';

const F = VolumeDataFormat;
const f32 = Math.fround;
/** U64 values are numbers here; 2^64 stands for UINT64_MAX (2^64 − 1 is not a double), see u64Element. */
export const U64_MAX = 2 ** 64;

/** The BigUint64Array element of a U64 value (2^64, the clamp value, becomes UINT64_MAX rather than wrapping to 0). */
export function u64Element(value: number): bigint {
  return value >= U64_MAX ? 0xffffffffffffffffn : BigInt(value);
}

/** OpenVDS's quantisation of a physical value into `buckets` integer codes. */
export function quantizeWithReciprocalScale(x: number, offset: number, reciprocalScale: number, buckets: number): number {
  const q = f32(f32(x - offset) * reciprocalScale);
  if (!(q > 0)) return 0;
  if (q >= buckets - 1) return buckets - 1;
  return Math.trunc(f32(q + 0.5));
}

export function isQuantizedFormat(format: VolumeDataFormat): boolean {
  return format === F.Format_U8 || format === F.Format_U16;
}

/** The code that marks no-value in a U8/U16 buffer. */
export function noValueCode(format: VolumeDataFormat): number {
  return format === F.Format_U8 ? 0xff : 0xffff;
}

/** Buckets available to real values in a U8/U16 target. */
export function bucketCount(format: VolumeDataFormat, useNoValue: boolean): number {
  return (format === F.Format_U8 ? 256 : 65536) - (useNoValue ? 1 : 0);
}

/** The value range a U8/U16 target is quantised over (format sheet 4.3). */
export function quantizationRange(channelFormat: VolumeDataFormat, target: VolumeDataFormat, channel: ChannelValues): [number, number] {
  if (isQuantizedFormat(channelFormat) && (target === F.Format_U16 || channelFormat === F.Format_U8)) {
    const top = bucketCount(target, channel.useNoValue) - 1;
    return [channel.integerOffset, f32(channel.integerOffset + f32(channel.integerScale * top))];
  }
  return [channel.valueRangeMin, channel.valueRangeMax];
}

/** Converts a physical value to the element stored in `target` (U8/U16: quantised). */
export function targetValueConverter(channelFormat: VolumeDataFormat, target: VolumeDataFormat, channel: ChannelValues): (x: number) => number {
  if (isQuantizedFormat(target)) {
    const [vmin, vmax] = quantizationRange(channelFormat, target, channel);
    const buckets = bucketCount(target, channel.useNoValue);
    const reciprocal = f32((buckets - 1) / f32(vmax - vmin));
    return (x) => quantizeWithReciprocalScale(x, vmin, reciprocal, buckets);
  }
  switch (target) {
    case F.Format_R32: return f32;
    case F.Format_R64: return (x) => x;
    case F.Format_U32: return (x) => (x <= 0 ? 0 : x >= 0xffffffff ? 0xffffffff : Math.trunc(x + 0.5));
    case F.Format_U64: return (x) => (x <= 0 ? 0 : x >= U64_MAX ? U64_MAX : Math.trunc(x + 0.5));
    default: return (x) => (x !== 0 ? 1 : 0);
  }
}

/**
 * OpenVDS's ConvertNoValue<T>(float): the element of `format` a no-value becomes. OpenVDS holds
 * no-values as float, so R32/R64 get f32(noValue) and U32/U64 add 0.5 in f32 before truncating
 * (an odd no-value above 2^23 becomes the next even number); U8/U16 the top code, 1Bit a 0 bit.
 */
export function convertNoValue(format: VolumeDataFormat, noValue: number): number {
  const value = f32(noValue);
  switch (format) {
    case F.Format_1Bit: return 0;
    case F.Format_U8: case F.Format_U16: return noValueCode(format);
    case F.Format_U32: case F.Format_U64: {
      const max = format === F.Format_U32 ? 0xffffffff : U64_MAX;
      if (!(value >= 0)) return 0;
      return value > max ? max : Math.min(Math.trunc(f32(value + 0.5)), max);
    }
    default: return value;
  }
}

/** The element written for a no-value sample in `target`. */
export function targetNoValue(target: VolumeDataFormat, channel: ChannelValues, replacementNoValue: number | undefined): number {
  return convertNoValue(target, replacementNoValue ?? channel.noValue);
}

interface ElementAccess {
  count: number;
  get(i: number): number;
  set(i: number, v: number): void;
}

/** Element access over a dense block; 1Bit blocks are rows of `rowBits` bits, byte aligned. */
function elements(format: VolumeDataFormat, bytes: Uint8Array, count: number, rowBits: number): ElementAccess {
  const buffer = bytes.buffer, offset = bytes.byteOffset;
  switch (format) {
    case F.Format_1Bit: {
      const rowBytes = Math.ceil(rowBits / 8);
      const at = (i: number) => Math.floor(i / rowBits) * rowBytes * 8 + (i % rowBits);
      return {
        count,
        get: (i) => (bytes[at(i) >> 3]! >> (at(i) & 7)) & 1,
        set: (i, v) => { const b = at(i); if (v) bytes[b >> 3] = bytes[b >> 3]! | (1 << (b & 7)); else bytes[b >> 3] = bytes[b >> 3]! & ~(1 << (b & 7)); },
      };
    }
    default: {
      const a = typedView(format, buffer, offset, count * formatByteSize(format));
      if (a instanceof BigUint64Array) return { count, get: (i) => Number(a[i]!), set: (i, v) => { a[i] = u64Element(v); } };
      return { count, get: (i) => a[i]!, set: (i, v) => { a[i] = v; } };
    }
  }
}

function aligned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
}

/** The decoded block in `options.targetFormat`, no-values replaced (format sheet 4.3, 4.4). */
export function convertBlock(decoded: DecodedBlock, options: DecodeOptions): Uint8Array {
  const source = decoded.format, target = options.targetFormat, channel = options.channel;
  const replacement = options.replacementNoValue;
  const fixedNoValue = source === F.Format_1Bit || isQuantizedFormat(source);
  const replaces = channel.useNoValue && replacement !== undefined && !Object.is(f32(replacement), channel.noValue);
  if (source === target && (fixedNoValue || !replaces)) return decoded.bytes;

  const [sx, sy, sz] = options.shape.size;
  const count = sx * sy * sz * options.shape.components;
  const rowBits = sx * options.shape.components;
  const input = elements(source, aligned(decoded.bytes), count, rowBits);
  const out = new Uint8Array(target === F.Format_1Bit ? Math.ceil(rowBits / 8) * sy * sz : count * formatByteSize(target));
  const output = elements(target, out, count, rowBits);

  const toPhysical = isQuantizedFormat(source)
    ? (code: number) => f32(channel.integerOffset + f32(channel.integerScale * code)) : (v: number) => v;
  const convert = source === F.Format_1Bit ? (bit: number) => bit : targetValueConverter(options.shape.format, target, channel);
  const sourceNoValue = convertNoValue(source, channel.noValue);
  const noValueOut = targetNoValue(target, channel, replacement);
  const checkNoValue = channel.useNoValue && source !== F.Format_1Bit;
  const nanNoValue = Number.isNaN(sourceNoValue);
  for (let i = 0; i < count; i++) {
    const v = input.get(i);
    if (checkNoValue && (v === sourceNoValue || (nanNoValue && Number.isNaN(v)))) output.set(i, noValueOut);
    else output.set(i, source === F.Format_1Bit ? v : convert(toPhysical(v)));
  }
  return out;
}
