// The 24-byte DataBlock descriptor that starts every None, RLE and Zip chunk (format sheet 3.1),
// and the payload geometry it implies.
import { VolumeDataComponents, VolumeDataFormat } from '../model/enums.js';
import { ChunkFormatError } from '../model/errors.js';
import { formatByteSize } from '../model/formats.js';
import type { BlockShape } from '../model/block.js';

export const DATA_BLOCK_DESCRIPTOR_BYTES = 24;

/** Bytes of the dense payload of a block: 1Bit rows of sizeX·components bits, byte aligned. */
export function payloadByteSize(shape: BlockShape): number {
  const [x, y, z] = shape.size;
  if (shape.format === VolumeDataFormat.Format_1Bit) return Math.ceil((x * shape.components) / 8) * y * z;
  return x * y * z * formatByteSize(shape.format) * shape.components;
}

/**
 * The error for a payload of `bytes` where `shape` needs `payloadByteSize(shape)`. A multi-component
 * 1Bit chunk of ⌈sizeX/8⌉·sizeY·sizeZ bytes is one OpenVDS 3.4 wrote: it sizes 1Bit payloads without
 * the components and keeps only that first part of the rows, so the rest of the data is gone.
 */
export function payloadSizeError(message: string, shape: BlockShape, bytes: number): ChunkFormatError {
  const [x, y, z] = shape.size;
  if (shape.format !== VolumeDataFormat.Format_1Bit || shape.components === 1 || bytes !== Math.ceil(x / 8) * y * z) return new ChunkFormatError(message);
  return new ChunkFormatError(`${message}: a ${shape.components}-component 1-bit chunk as OpenVDS 3.4 writes it, which keeps only ` +
    `the first ${bytes} of its ${payloadByteSize(shape)} bytes; it cannot be read`);
}

export function writeDataBlockDescriptor(target: Uint8Array, shape: BlockShape): void {
  const view = new DataView(target.buffer, target.byteOffset, DATA_BLOCK_DESCRIPTOR_BYTES);
  [shape.dimensionality, shape.size[0], shape.size[1], shape.size[2], shape.format, shape.components]
    .forEach((v, i) => view.setInt32(i * 4, v, true));
}

/**
 * Reads the descriptor and checks it against what the layer expects; returns the shape it
 * describes (whose format may differ from the channel's, as OpenVDS allows).
 */
export function readDataBlockDescriptor(chunk: Uint8Array, expected: BlockShape): BlockShape {
  if (chunk.byteLength < DATA_BLOCK_DESCRIPTOR_BYTES) {
    throw new ChunkFormatError(`Invalid header: chunk has ${chunk.byteLength} bytes, less than the 24-byte DataBlock descriptor`);
  }
  const view = new DataView(chunk.buffer, chunk.byteOffset, DATA_BLOCK_DESCRIPTOR_BYTES);
  const [dimensionality, sx, sy, sz, format, components] = [0, 1, 2, 3, 4, 5].map((i) => view.getInt32(i * 4, true)) as
    [number, number, number, number, number, number];
  const size: [number, number, number] = [sx, dimensionality >= 2 ? sy : 1, dimensionality >= 3 ? sz : 1];
  const problems: string[] = [];
  if (dimensionality !== expected.dimensionality) problems.push(`dimensionality ${dimensionality}, expected ${expected.dimensionality}`);
  else if (size.some((s, i) => s !== expected.size[i])) problems.push(`size ${size.join('×')}, expected ${expected.size.join('×')}`);
  if (format < VolumeDataFormat.Format_1Bit || format > VolumeDataFormat.Format_U64) problems.push(`format ${format}`);
  if (components !== expected.components || VolumeDataComponents[components] === undefined) {
    problems.push(`components ${components}, expected ${expected.components}`);
  }
  if (problems.length) throw new ChunkFormatError(`Invalid header: DataBlock descriptor has ${problems.join(', ')}`);
  return { dimensionality: expected.dimensionality, size: expected.size, format: format as VolumeDataFormat, components: expected.components };
}
