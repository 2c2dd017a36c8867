// The interface every chunk codec implements. A codec is one file; the registry maps
// CompressionMethod to codec. Codecs are pure and synchronous: they run inside pool workers.
import type { CompressionMethod } from '../model/enums.js';
import type { BlockShape, DecodedBlock, DecodeOptions } from '../model/block.js';

export interface ChunkCodec {
  readonly method: CompressionMethod;
  /** Decodes one serialized chunk object; throws ChunkFormatError on anything malformed. */
  decode(chunk: Uint8Array, options: DecodeOptions): DecodedBlock;
  /** Serializes a non-constant payload; absent for decode-only methods (wavelet). */
  encode?(payload: Uint8Array, shape: BlockShape): Uint8Array;
}
