// CompressionMethod None: descriptor + raw payload (format sheet 3.2).
import { CompressionMethod } from '../model/enums.js';
import { type ChunkCodec, formatTraits } from './codec.js';
import {
  DATA_BLOCK_DESCRIPTOR_BYTES, payloadByteSize, payloadSizeError, readDataBlockDescriptor, writeDataBlockDescriptor,
} from './dataBlock.js';

export const noneCodec: ChunkCodec = {
  method: CompressionMethod.None,
  ...formatTraits(CompressionMethod.None),
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
