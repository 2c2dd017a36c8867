// The four wavelet methods as registered codecs: the bit-exact decoder of wavelet.ts together
// with the encoder of wavelet/encoder.ts (stream version 1.6; the tolerance is guaranteed by
// decoding each chunk before it is returned).
import { CompressionMethod } from '../model/enums.js';
import type { ChunkCodec } from './codec.js';
import { waveletCodecFor } from './wavelet.js';
import { encodeWaveletChunk, type WaveletMethod } from './wavelet/encoder.js';

const WAVELET_METHODS: WaveletMethod[] = [
  CompressionMethod.Wavelet, CompressionMethod.WaveletLossless,
  CompressionMethod.WaveletNormalizeBlock, CompressionMethod.WaveletNormalizeBlockLossless,
];

export const waveletCodecs: ChunkCodec[] = WAVELET_METHODS.map((method) => ({
  ...waveletCodecFor(method),
  encode: (payload, { shape, channel, tolerance }) => encodeWaveletChunk(payload, { shape, channel, tolerance, method }),
}));
