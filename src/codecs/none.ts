// CompressionMethod None: descriptor + raw payload (format sheet 3.2).
import { CompressionMethod, VolumeDataFormat } from '../model/enums.js';
import { formatByteSize } from '../model/formats.js';
import { denseBoxExtent } from '../model/geometry/denseBox.js';
import { type ChunkCodec, formatTraits, type ObjectPart } from './codec.js';
import {
  DATA_BLOCK_DESCRIPTOR_BYTES, payloadByteSize, payloadSizeError, readDataBlockDescriptor, writeDataBlockDescriptor,
} from './dataBlock.js';

/**
 * The payload is dense, dimension 0 fastest, in the decoded chunk's dimensions (those outside its
 * chunk-dimension group have size 1): a box lies between the bytes of its first and its last sample.
 */
const part: ObjectPart = {
  headBytes: DATA_BLOCK_DESCRIPTOR_BYTES,
  spanOf(head, { shape }, box) {
    let stored;
    try {
      stored = readDataBlockDescriptor(head, shape);
    } catch {
      return undefined;
    }
    if (stored.format === VolumeDataFormat.Format_1Bit) return undefined;
    const element = formatByteSize(stored.format) * stored.components;
    const { first, last } = denseBoxExtent(box);
    return { start: DATA_BLOCK_DESCRIPTOR_BYTES + first * element, end: DATA_BLOCK_DESCRIPTOR_BYTES + (last + 1) * element };
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
