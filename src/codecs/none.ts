// CompressionMethod None: descriptor + raw payload (format sheet 3.2).
import { CompressionMethod, VolumeDataFormat } from '../model/enums.js';
import { formatByteSize } from '../model/formats.js';
import { type ChunkCodec, formatTraits, type ObjectPart } from './codec.js';
import {
  DATA_BLOCK_DESCRIPTOR_BYTES, payloadByteSize, payloadSizeError, readDataBlockDescriptor, writeDataBlockDescriptor,
} from './dataBlock.js';

/** The payload is dense, dimension 0 fastest: a box lies between the bytes of its first and its last sample. */
const part: ObjectPart = {
  headBytes: DATA_BLOCK_DESCRIPTOR_BYTES,
  spanOf(head, { shape }, start, count) {
    let stored;
    try {
      stored = readDataBlockDescriptor(head, shape);
    } catch {
      return undefined;
    }
    if (stored.format === VolumeDataFormat.Format_1Bit) return undefined;
    const element = formatByteSize(stored.format) * stored.components;
    const [sizeX, sizeY] = stored.size;
    const offset = (x: number, y: number, z: number) => DATA_BLOCK_DESCRIPTOR_BYTES + element * (x + sizeX * (y + sizeY * z));
    return {
      start: offset(start[0], start[1], start[2]),
      end: offset(start[0] + count[0] - 1, start[1] + count[1] - 1, start[2] + count[2] - 1) + element,
    };
  },
};

export const noneCodec: ChunkCodec = {
  method: CompressionMethod.None,
  ...formatTraits(CompressionMethod.None),
  part,
  decode(chunk, { shape }) {
    const stored = readDataBlockDescriptor(chunk, shape);
    const size = payloadByteSize(stored);
    if (chunk.byteLength !== DATA_BLOCK_DESCRIPTOR_BYTES + size) {
      const payload = chunk.byteLength - DATA_BLOCK_DESCRIPTOR_BYTES;
      throw payloadSizeError(`Required size of uncompressed chunk is not present: ${payload} payload bytes, expected ${size}`, stored, payload);
    }
    return { format: stored.format, bytes: chunk.subarray(DATA_BLOCK_DESCRIPTOR_BYTES), converted: false };
  },
  encode(payload, { shape }) {
    const out = new Uint8Array(DATA_BLOCK_DESCRIPTOR_BYTES + payload.byteLength);
    writeDataBlockDescriptor(out, shape);
    out.set(payload, DATA_BLOCK_DESCRIPTOR_BYTES);
    return { bytes: out };
  },
};
