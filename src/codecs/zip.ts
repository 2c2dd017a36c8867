// CompressionMethod Zip (format sheet 3.4): descriptor + one zlib stream of the payload. Inflation is
// bounded by the size the layer says the payload has, so a corrupt stream cannot allocate more.
import { CompressionMethod } from '../model/enums.js';
import { ChunkFormatError, errorMessage } from '../model/errors.js';
import { type ChunkCodec, formatTraits } from './codec.js';
import { DATA_BLOCK_DESCRIPTOR_BYTES, payloadByteSize, readDataBlockDescriptor, writeDataBlockDescriptor } from './dataBlock.js';
import { deflateZlib, inflateZlib } from './zlib.js';

export const zipCodec: ChunkCodec = {
  method: CompressionMethod.Zip,
  ...formatTraits(CompressionMethod.Zip),
  decode(chunk, { shape }) {
    const stored = readDataBlockDescriptor(chunk, shape);
    const expected = payloadByteSize(stored);
    let inflated: Uint8Array;
    try {
      inflated = inflateZlib(chunk.subarray(DATA_BLOCK_DESCRIPTOR_BYTES), expected);
    } catch (error) {
      throw new ChunkFormatError(`Zip chunk does not inflate: ${errorMessage(error)}`);
    }
    if (inflated.byteLength !== expected) throw new ChunkFormatError(`Zip chunk inflates to ${inflated.byteLength} bytes, expected ${expected}`);
    return { format: stored.format, bytes: inflated, converted: false };
  },
  encode(payload, { shape }) {
    const deflated = deflateZlib(payload);
    const out = new Uint8Array(DATA_BLOCK_DESCRIPTOR_BYTES + deflated.byteLength);
    writeDataBlockDescriptor(out, shape);
    out.set(deflated, DATA_BLOCK_DESCRIPTOR_BYTES);
    return { bytes: out };
  },
};
