// SEG-Y data sample formats: sizes, and decoding/encoding trace samples in either byte order.
import { InvalidArgumentError, SegyFormatError } from '../model/errors.js';
import { Endianness } from './headerField.js';

export enum DataSampleFormatCode {
  Unknown = 0,
  IBMFloat = 1,
  Int32 = 2,
  Int16 = 3,
  FixedPoint = 4,
  IEEEFloat = 5,
  IEEEDouble = 6,
  Int24 = 7,
  Int8 = 8,
  Int64 = 9,
  UInt32 = 10,
  UInt16 = 11,
  UInt64 = 12,
  UInt24 = 15,
  UInt8 = 16,
}

const sizes: Readonly<Partial<Record<DataSampleFormatCode, number>>> = {
  [DataSampleFormatCode.IBMFloat]: 4, [DataSampleFormatCode.Int32]: 4, [DataSampleFormatCode.Int16]: 2,
  [DataSampleFormatCode.FixedPoint]: 4, [DataSampleFormatCode.IEEEFloat]: 4, [DataSampleFormatCode.IEEEDouble]: 8,
  [DataSampleFormatCode.Int24]: 3, [DataSampleFormatCode.Int8]: 1, [DataSampleFormatCode.Int64]: 8,
  [DataSampleFormatCode.UInt32]: 4, [DataSampleFormatCode.UInt16]: 2, [DataSampleFormatCode.UInt64]: 8,
  [DataSampleFormatCode.UInt24]: 3, [DataSampleFormatCode.UInt8]: 1,
};

/** Bytes per sample; 0 for a code that is not a SEG-Y format. */
export function formatSize(code: number): number {
  return sizes[code as DataSampleFormatCode] ?? 0;
}

/** Whether samples of `code` can be decoded (every standard format but the obsolete fixed point with gain). */
export function isDecodableFormat(code: number): code is DataSampleFormatCode {
  return formatSize(code) > 0 && code !== DataSampleFormatCode.FixedPoint;
}

export function formatName(code: number): string {
  return DataSampleFormatCode[code] ?? `code ${code}`;
}

/**
 * IBM System/360 single precision (big-endian bit pattern) to the IEEE single precision bit
 * pattern. Exact in the range both formats share; overflow gives ±Infinity, underflow
 * denormals truncated toward zero (as OpenVDS does).
 */
export function ibmToIeeeBits(ibm: number): number {
  const sign = ibm & 0x80000000;
  let fraction = ibm & 0x00ffffff;
  if (fraction === 0) return sign >>> 0;
  // value = fraction·2^-24 · 16^(e-64); IEEE wants 1.f·2^(E-127) with an implicit leading 1.
  let exponent = ((ibm >>> 24) & 0x7f) * 4 - 130;
  while (fraction < 0x00800000) {
    fraction <<= 1;
    exponent--;
  }
  if (exponent >= 255) return (sign | 0x7f800000) >>> 0;
  if (exponent <= 0) {
    if (exponent < -23) return sign >>> 0;
    return (sign | (fraction >>> (1 - exponent))) >>> 0;
  }
  return (sign | (exponent << 23) | (fraction & 0x007fffff)) >>> 0;
}

/** IEEE single precision bit pattern to IBM single precision (truncating; NaN/Infinity become the largest IBM value). */
export function ieeeToIbmBits(ieee: number): number {
  const sign = ieee >>> 31;
  const biased = (ieee >>> 23) & 0xff;
  let fraction = ieee & 0x007fffff;
  if (biased === 255) return ((sign << 31) | 0x7fffffff) >>> 0;
  if (biased === 0 && fraction === 0) return (sign << 31) >>> 0;
  let exponent2: number;
  if (biased === 0) {
    exponent2 = -126;                       // denormal: no implicit bit
  } else {
    fraction |= 0x00800000;
    exponent2 = biased - 127;
  }
  // value = fraction·2^(exponent2-23); find e with value = f·16^(e-64), f = fraction'·2^-24.
  let shift = exponent2 + 1;                // value = (fraction·2^-24)·2^shift
  let exponent16 = Math.ceil(shift / 4);
  let mantissa = fraction;
  const rest = exponent16 * 4 - shift;      // 0..3 bits to shift right
  mantissa >>>= rest;
  while (mantissa !== 0 && mantissa < 0x00100000) {
    mantissa <<= 4;
    exponent16--;
  }
  shift = exponent16 + 64;
  if (shift > 127) return ((sign << 31) | 0x7fffffff) >>> 0;
  if (shift < 0) return (sign << 31) >>> 0;
  return ((sign << 31) | (shift << 24) | mantissa) >>> 0;
}

const scratch = new DataView(new ArrayBuffer(4));

export function ibmToFloat(ibm: number): number {
  scratch.setUint32(0, ibmToIeeeBits(ibm));
  return scratch.getFloat32(0);
}

export function floatToIbm(value: number): number {
  scratch.setFloat32(0, value);
  return ieeeToIbmBits(scratch.getUint32(0));
}

function checkDecodable(code: number): DataSampleFormatCode {
  if (!isDecodableFormat(code)) throw new SegyFormatError(`SEG-Y data sample format ${formatName(code)} is not supported`);
  return code;
}

/**
 * Decodes `count` samples of `code` from `source` (starting at its first byte) into `target`
 * (a Float32Array rounds them to single precision, as OpenVDS does for R32 channels).
 */
export function decodeSamples(source: Uint8Array, code: number, endianness: Endianness, target: Float32Array | Float64Array,
  count = target.length, targetOffset = 0): void {
  const format = checkDecodable(code);
  const size = formatSize(format);
  if (source.length < count * size) throw new InvalidArgumentError(`${count} ${formatName(format)} samples need ${count * size} bytes, got ${source.length}`);
  if (targetOffset + count > target.length) throw new InvalidArgumentError(`target holds ${target.length} samples, cannot write ${count} at ${targetOffset}`);
  const view = new DataView(source.buffer, source.byteOffset, count * size);
  const little = endianness === Endianness.LittleEndian;
  const out = targetOffset;
  switch (format) {
    case DataSampleFormatCode.IBMFloat:
      for (let i = 0; i < count; i++) {
        scratch.setUint32(0, ibmToIeeeBits(view.getUint32(i * 4, little)));
        target[out + i] = scratch.getFloat32(0);
      }
      return;
    case DataSampleFormatCode.IEEEFloat: for (let i = 0; i < count; i++) target[out + i] = view.getFloat32(i * 4, little); return;
    case DataSampleFormatCode.IEEEDouble: for (let i = 0; i < count; i++) target[out + i] = view.getFloat64(i * 8, little); return;
    case DataSampleFormatCode.Int32: for (let i = 0; i < count; i++) target[out + i] = view.getInt32(i * 4, little); return;
    case DataSampleFormatCode.UInt32: for (let i = 0; i < count; i++) target[out + i] = view.getUint32(i * 4, little); return;
    case DataSampleFormatCode.Int16: for (let i = 0; i < count; i++) target[out + i] = view.getInt16(i * 2, little); return;
    case DataSampleFormatCode.UInt16: for (let i = 0; i < count; i++) target[out + i] = view.getUint16(i * 2, little); return;
    case DataSampleFormatCode.Int8: for (let i = 0; i < count; i++) target[out + i] = view.getInt8(i); return;
    case DataSampleFormatCode.UInt8: for (let i = 0; i < count; i++) target[out + i] = view.getUint8(i); return;
    case DataSampleFormatCode.Int64: for (let i = 0; i < count; i++) target[out + i] = Number(view.getBigInt64(i * 8, little)); return;
    case DataSampleFormatCode.UInt64: for (let i = 0; i < count; i++) target[out + i] = Number(view.getBigUint64(i * 8, little)); return;
    case DataSampleFormatCode.Int24:
    case DataSampleFormatCode.UInt24:
      for (let i = 0; i < count; i++) {
        const b0 = view.getUint8(i * 3), b1 = view.getUint8(i * 3 + 1), b2 = view.getUint8(i * 3 + 2);
        const unsigned = little ? b0 | (b1 << 8) | (b2 << 16) : (b0 << 16) | (b1 << 8) | b2;
        target[out + i] = format === DataSampleFormatCode.Int24 && unsigned & 0x800000 ? unsigned - 0x1000000 : unsigned;
      }
      return;
    default:
      throw new SegyFormatError(`SEG-Y data sample format ${formatName(format)} is not supported`);
  }
}

/** Integer formats clamp and round to nearest (out-of-range values saturate rather than wrap). */
function toInteger(value: number, min: number, max: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.min(max, Math.max(min, Math.round(value)));
}

/** Encodes `count` values into `target` as samples of `code` (the inverse of decodeSamples). */
export function encodeSamples(values: ArrayLike<number>, code: number, endianness: Endianness, target: Uint8Array, count = values.length): void {
  const format = checkDecodable(code);
  const size = formatSize(format);
  if (target.length < count * size) throw new InvalidArgumentError(`${count} ${formatName(format)} samples need ${count * size} bytes, got ${target.length}`);
  const view = new DataView(target.buffer, target.byteOffset, count * size);
  const little = endianness === Endianness.LittleEndian;
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    switch (format) {
      case DataSampleFormatCode.IBMFloat: view.setUint32(i * 4, floatToIbm(v), little); break;
      case DataSampleFormatCode.IEEEFloat: view.setFloat32(i * 4, v, little); break;
      case DataSampleFormatCode.IEEEDouble: view.setFloat64(i * 8, v, little); break;
      case DataSampleFormatCode.Int32: view.setInt32(i * 4, toInteger(v, -0x80000000, 0x7fffffff), little); break;
      case DataSampleFormatCode.UInt32: view.setUint32(i * 4, toInteger(v, 0, 0xffffffff), little); break;
      case DataSampleFormatCode.Int16: view.setInt16(i * 2, toInteger(v, -0x8000, 0x7fff), little); break;
      case DataSampleFormatCode.UInt16: view.setUint16(i * 2, toInteger(v, 0, 0xffff), little); break;
      case DataSampleFormatCode.Int8: view.setInt8(i, toInteger(v, -0x80, 0x7f)); break;
      case DataSampleFormatCode.UInt8: view.setUint8(i, toInteger(v, 0, 0xff)); break;
      case DataSampleFormatCode.Int64: view.setBigInt64(i * 8, BigInt(toInteger(v, -(2 ** 63), 2 ** 63 - 1024)), little); break;
      case DataSampleFormatCode.UInt64: view.setBigUint64(i * 8, BigInt(toInteger(v, 0, 2 ** 64 - 2048)), little); break;
      case DataSampleFormatCode.Int24:
      case DataSampleFormatCode.UInt24: {
        const n = format === DataSampleFormatCode.Int24 ? toInteger(v, -0x800000, 0x7fffff) & 0xffffff : toInteger(v, 0, 0xffffff);
        const [first, last] = little ? [n & 0xff, (n >>> 16) & 0xff] : [(n >>> 16) & 0xff, n & 0xff];
        view.setUint8(i * 3, first);
        view.setUint8(i * 3 + 1, (n >>> 8) & 0xff);
        view.setUint8(i * 3 + 2, last);
        break;
      }
      default:
        throw new SegyFormatError(`SEG-Y data sample format ${formatName(format)} is not supported`);
    }
  }
}
