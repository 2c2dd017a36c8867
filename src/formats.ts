// Voxel formats as typed arrays: the shapes of request buffers and page buffers.
import { VolumeDataFormat } from './enums.js';

export type VolumeDataTypedArray =
  Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array | BigUint64Array;

/** Bytes of one element of `format` (1Bit: 1, the byte holding it; callers pack bits themselves). */
export function formatByteSize(format: VolumeDataFormat): number {
  switch (format) {
    case VolumeDataFormat.Format_1Bit: case VolumeDataFormat.Format_U8: return 1;
    case VolumeDataFormat.Format_U16: return 2;
    case VolumeDataFormat.Format_R32: case VolumeDataFormat.Format_U32: return 4;
    case VolumeDataFormat.Format_R64: case VolumeDataFormat.Format_U64: return 8;
    default: throw new RangeError(`Invalid VolumeDataFormat ${format}`);
  }
}

/** Byte size of `elements` elements (1Bit: packed, 8 per byte). */
export function bufferByteSize(format: VolumeDataFormat, elements: number): number {
  return format === VolumeDataFormat.Format_1Bit ? Math.ceil(elements / 8) : elements * formatByteSize(format);
}

/** A typed-array view of `format` over raw little-endian bytes (which must be aligned). */
export function typedView(format: VolumeDataFormat, buffer: ArrayBufferLike, byteOffset: number, byteLength: number): VolumeDataTypedArray {
  const n = byteLength / formatByteSize(format);
  switch (format) {
    case VolumeDataFormat.Format_1Bit: case VolumeDataFormat.Format_U8: return new Uint8Array(buffer, byteOffset, byteLength);
    case VolumeDataFormat.Format_U16: return new Uint16Array(buffer, byteOffset, n);
    case VolumeDataFormat.Format_R32: return new Float32Array(buffer, byteOffset, n);
    case VolumeDataFormat.Format_U32: return new Uint32Array(buffer, byteOffset, n);
    case VolumeDataFormat.Format_R64: return new Float64Array(buffer, byteOffset, n);
    case VolumeDataFormat.Format_U64: return new BigUint64Array(buffer, byteOffset, n);
    default: throw new RangeError(`Invalid VolumeDataFormat ${format}`);
  }
}

export function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Checks that a caller-supplied buffer fits `format` and `byteSize`; returns its bytes. */
export function checkedOutputBytes(dataOut: ArrayBufferView, format: VolumeDataFormat, byteSize: number): Uint8Array {
  if (dataOut.byteLength < byteSize) {
    throw new RangeError(`dataOut holds ${dataOut.byteLength} bytes, the request needs ${byteSize}`);
  }
  const align = format === VolumeDataFormat.Format_1Bit ? 1 : formatByteSize(format);
  if (dataOut.byteOffset % align !== 0) throw new RangeError(`dataOut is not aligned to ${align} bytes`);
  return bytesOf(dataOut).subarray(0, byteSize);
}
