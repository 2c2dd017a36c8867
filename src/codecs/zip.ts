// CompressionMethod Zip (format sheet 3.4): descriptor + one zlib stream of the payload. Inflation is
// bounded by the size the layer says the payload has, so a corrupt stream cannot allocate more.
import { deflateSync, inflateSync } from 'node:zlib';
import { CompressionMethod } from '../model/enums.js';
import { ChunkFormatError, errorMessage } from '../model/errors.js';
import { type ChunkCodec, formatTraits } from './codec.js';
import {
  DATA_BLOCK_DESCRIPTOR_BYTES, payloadByteSize, payloadSizeError, readDataBlockDescriptor, writeDataBlockDescriptor,
} from './dataBlock.js';

export const zipCodec: ChunkCodec = {
  method: CompressionMethod.Zip,
  ...formatTraits(CompressionMethod.Zip),
  decode(chunk, { shape }) {
    const stored = readDataBlockDescriptor(chunk, shape);
    const expected = payloadByteSize(stored);
    let inflated: Buffer;
    try {
      // One output chunk of the known size: no concatenation, and the result owns its buffer.
      inflated = inflateSync(chunk.subarray(DATA_BLOCK_DESCRIPTOR_BYTES), { chunkSize: Math.max(64, expected), maxOutputLength: Math.max(1, expected) });
    } catch (error) {
      throw new ChunkFormatError(`Zip chunk does not inflate: ${errorMessage(error)}`);
    }
    if (inflated.byteLength !== expected) throw payloadSizeError(`Zip chunk inflates to ${inflated.byteLength} bytes, expected ${expected}`, stored, inflated.byteLength);
    return { format: stored.format, bytes: new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength), converted: false };
  },
  encode(payload, { shape }) {
    const deflated = deflateSync(payload, { level: 6 });
    const out = new Uint8Array(DATA_BLOCK_DESCRIPTOR_BYTES + deflated.byteLength);
    writeDataBlockDescriptor(out, shape);
    out.set(deflated, DATA_BLOCK_DESCRIPTOR_BYTES);
    return { bytes: out };
  },
};
