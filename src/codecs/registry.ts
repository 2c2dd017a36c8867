// CompressionMethod → codec. Adding a codec is one file implementing ChunkCodec plus one entry here.
import { CompressionMethod } from '../model/enums.js';
import { ChunkFormatError } from '../model/errors.js';
import type { ChunkCodec } from './codec.js';
import { noneCodec } from './none.js';
import { rleCodec } from './rle.js';
import { zipCodec } from './zip.js';
import { waveletCodec, waveletLosslessCodec, waveletNormalizeBlockCodec, waveletNormalizeBlockLosslessCodec } from './wavelet.js';

const codecs = new Map<CompressionMethod, ChunkCodec>([
  [CompressionMethod.None, noneCodec],
  [CompressionMethod.RLE, rleCodec],
  [CompressionMethod.Zip, zipCodec],
  [CompressionMethod.Wavelet, waveletCodec],
  [CompressionMethod.WaveletLossless, waveletLosslessCodec],
  [CompressionMethod.WaveletNormalizeBlock, waveletNormalizeBlockCodec],
  [CompressionMethod.WaveletNormalizeBlockLossless, waveletNormalizeBlockLosslessCodec],
]);

export function codecFor(method: CompressionMethod): ChunkCodec {
  const codec = codecs.get(method);
  if (!codec) throw new ChunkFormatError(`No decoder for compression method ${CompressionMethod[method] ?? method}`);
  return codec;
}
