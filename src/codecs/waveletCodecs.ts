// The four wavelet methods as codecs: the bit-exact decoder of wavelet.ts together with the encoder
// of wavelet/encoder.ts (stream version 1.6; the tolerance is guaranteed by decoding each chunk
// before it is returned). The registry imports this module when it first meets a wavelet method;
// the jobs that handle wavelet chunks in pool workers import it up front instead (a worker under
// tsx cannot import a .ts module lazily), and loading it fills the registry either way.
import { CompressionMethod } from '../model/enums.js';
import type { ChunkCodec } from './codec.js';
import { provideLoadedCodecs } from './registry.js';
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

/** The codec of one wavelet method (what the registry loads on first use). */
export function waveletCodec(method: WaveletMethod): ChunkCodec {
  return waveletCodecs.find((codec) => codec.method === method)!;
}

provideLoadedCodecs(waveletCodecs);
