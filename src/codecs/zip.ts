// CompressionMethod Zip (format sheet 3.4): descriptor + one zlib stream of the payload. Inflation is
// bounded by the size the layer says the payload has, so a corrupt stream cannot allocate more.
import type { BlockShape, DecodedBlock, DecodeOptions } from '../model/block.js';
import { CompressionMethod, type VolumeDataFormat } from '../model/enums.js';
import { ChunkFormatError, errorMessage } from '../model/errors.js';
import { type ChunkCodec, formatTraits } from './codec.js';
import {
  DATA_BLOCK_DESCRIPTOR_BYTES, payloadByteSize, payloadSizeError, readDataBlockDescriptor, writeDataBlockDescriptor,
} from './dataBlock.js';
import { deflateZlib, inflateZlib, inflateZlibAsync, inflateZlibInto } from './zlib.js';

export const zipCodec: ChunkCodec = {
  method: CompressionMethod.Zip,
  ...formatTraits(CompressionMethod.Zip),
  decode(chunk, { shape, into }) {
    const { stored, stream, expected } = zipParts(chunk, shape);
    let inflated: Uint8Array;
    try {
      const out = into?.(expected);
      const written = out && inflateZlibInto(stream, out);
      inflated = written !== undefined ? out!.subarray(0, written) : inflateZlib(stream, expected);
    } catch (error) {
      throw inflateError(error);
    }
    return zipBlock(stored, inflated, expected);
  },
  ...(inflateZlibAsync && {
    async decodeAsync(chunk: Uint8Array, { shape }: DecodeOptions): Promise<DecodedBlock> {
      const { stored, stream, expected } = zipParts(chunk, shape);
      let inflated: Uint8Array;
      try {
        inflated = await inflateZlibAsync!(stream, expected);
      } catch (error) {
        throw inflateError(error);
      }
      return zipBlock(stored, inflated, expected);
    },
  }),
  encode(payload, { shape }) {
    const deflated = deflateZlib(payload);
    const out = new Uint8Array(DATA_BLOCK_DESCRIPTOR_BYTES + deflated.byteLength);
    writeDataBlockDescriptor(out, shape);
    out.set(deflated, DATA_BLOCK_DESCRIPTOR_BYTES);
    return { bytes: out };
  },
};

/** The chunk's stored shape and format, its zlib stream, and the payload size its descriptor gives. */
function zipParts(chunk: Uint8Array, shape: BlockShape): { stored: BlockShape & { format: VolumeDataFormat }; stream: Uint8Array; expected: number } {
  const stored = readDataBlockDescriptor(chunk, shape);
  return { stored, stream: chunk.subarray(DATA_BLOCK_DESCRIPTOR_BYTES), expected: payloadByteSize(stored) };
}

function inflateError(error: unknown): ChunkFormatError {
  return new ChunkFormatError(`Zip chunk does not inflate: ${errorMessage(error)}`);
}

function zipBlock(stored: BlockShape & { format: VolumeDataFormat }, inflated: Uint8Array, expected: number): DecodedBlock {
  if (inflated.byteLength !== expected) throw payloadSizeError(`Zip chunk inflates to ${inflated.byteLength} bytes, expected ${expected}`, stored, inflated.byteLength);
  return { format: stored.format, bytes: inflated, converted: false };
}
