// Voxel formats as typed arrays: the shapes of request buffers and page buffers.
import { VolumeDataFormat } from './enums.js';
import { InvalidArgumentError } from './errors.js';

export type VolumeDataTypedArray =
  Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array | BigUint64Array;

/** Bytes of one element of `format` (1Bit: 1, the byte holding it; callers pack bits themselves). */
export function formatByteSize(format: VolumeDataFormat): number {
  switch (format) {
    case VolumeDataFormat.Format_1Bit: case VolumeDataFormat.Format_U8: return 1;
    case VolumeDataFormat.Format_U16: return 2;
    case VolumeDataFormat.Format_R32: case VolumeDataFormat.Format_U32: return 4;
    case VolumeDataFormat.Format_R64: case VolumeDataFormat.Format_U64: return 8;
    default: throw new InvalidArgumentError(`Invalid VolumeDataFormat ${format}`);
  }
}

/** Byte size of `elements` elements (1Bit: packed, 8 per byte). */
export function bufferByteSize(format: VolumeDataFormat, elements: number): number {
  return format === VolumeDataFormat.Format_1Bit ? Math.ceil(elements / 8) : elements * formatByteSize(format);
}

type TypedArrayClass = Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor | Float32ArrayConstructor |
  Float64ArrayConstructor | BigUint64ArrayConstructor;

/** The typed array that holds `format` (1Bit: Uint8Array of packed bits). */
export function typedArrayOf(format: VolumeDataFormat): TypedArrayClass {
  switch (format) {
    case VolumeDataFormat.Format_1Bit: case VolumeDataFormat.Format_U8: return Uint8Array;
    case VolumeDataFormat.Format_U16: return Uint16Array;
    case VolumeDataFormat.Format_R32: return Float32Array;
    case VolumeDataFormat.Format_U32: return Uint32Array;
    case VolumeDataFormat.Format_R64: return Float64Array;
    case VolumeDataFormat.Format_U64: return BigUint64Array;
    default: throw new InvalidArgumentError(`Invalid VolumeDataFormat ${format}`);
  }
}

/** A typed-array view of `format` over raw little-endian bytes (which must be aligned). */
export function typedView(format: VolumeDataFormat, buffer: ArrayBufferLike, byteOffset: number, byteLength: number): VolumeDataTypedArray {
  // Every class of the union takes (buffer, byteOffset, length); TypeScript cannot call a union of constructors.
  const type = typedArrayOf(format) as unknown as { new(buffer: ArrayBufferLike, byteOffset: number, length: number): VolumeDataTypedArray; BYTES_PER_ELEMENT: number };
  return new type(buffer, byteOffset, byteLength / type.BYTES_PER_ELEMENT);
}

export function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
