// CompressionMethod → codec: the one place that says which methods exist, which are wavelet or
// lossless, and which can be written. Adding a codec is one file implementing ChunkCodec plus one
// registerCodec call. A registration holds in the thread that makes it: a codec the pool workers
// use must be registered by a module they load too.
import { CompressionMethod, compressionMethodTraits } from '../model/enums.js';
import { ChunkFormatError, InvalidArgumentError, InvalidOperationError } from '../model/errors.js';
import { WAVELET_ADAPTIVE_LEVELS } from '../model/adaptiveLevels.js';
import type { ChunkCodec, EncodedChunk, EncodeOptions } from './codec.js';
import { noneCodec } from './none.js';
import { rleCodec } from './rle.js';
import { zipCodec } from './zip.js';
import { waveletCodecs } from './waveletCodecs.js';

const codecs = new Map<CompressionMethod, ChunkCodec>();

function methodName(method: CompressionMethod): string {
  return CompressionMethod[method] ?? `compression method ${method}`;
}

/**
 * Makes `codec` the codec of its method, replacing any earlier one; returns a function that puts
 * the earlier one back. A codec for one of OpenVDS's methods must have that method's traits
 * (model/enums.ts), because the model reads them there.
 */
export function registerCodec(codec: ChunkCodec): () => void {
  if (!Number.isInteger(codec.method) || codec.method < 0) throw new InvalidArgumentError(`A codec's method must be a non-negative integer, got ${codec.method}`);
  const format = compressionMethodTraits(codec.method);
  if (format && (format.isWavelet !== codec.isWavelet || format.isLossless !== codec.isLossless)) {
    throw new InvalidArgumentError(`A ${methodName(codec.method)} codec must have isWavelet ${format.isWavelet} and isLossless ${format.isLossless}, ` +
      `this one has ${codec.isWavelet} and ${codec.isLossless}`);
  }
  const previous = codecs.get(codec.method);
  codecs.set(codec.method, codec);
  return () => {
    if (codecs.get(codec.method) !== codec) return;
    if (previous) codecs.set(codec.method, previous);
    else codecs.delete(codec.method);
  };
}

[noneCodec, rleCodec, zipCodec, ...waveletCodecs]
  .forEach(registerCodec);

/** The codec of `method`; a ChunkFormatError when none is registered (a chunk that cannot be decoded). */
export function chunkCodec(method: CompressionMethod): ChunkCodec {
  const codec = codecs.get(method);
  if (!codec) throw new ChunkFormatError(`No decoder for ${methodName(method)}`);
  return codec;
}

/** Whether chunks of `method` can be written: its codec has an encoder. */
export function canEncode(method: CompressionMethod): boolean {
  return codecs.get(method)?.encode !== undefined;
}

/**
 * Serializes a non-constant payload with `method`'s codec, and checks the result keeps the
 * codec contract: a wavelet chunk comes with its 16 adaptive-level bytes, any other without.
 */
export function encodeChunk(method: CompressionMethod, payload: Uint8Array, options: EncodeOptions): EncodedChunk {
  const codec = codecs.get(method);
  if (!codec?.encode) throw new InvalidOperationError(`Chunks of ${methodName(method)} cannot be written: ${codec ? 'its codec only decodes' : 'no codec is registered for it'}`);
  const encoded = codec.encode(payload, options);
  const levels = encoded.adaptiveLevels?.byteLength;
  if (codec.isWavelet ? levels !== WAVELET_ADAPTIVE_LEVELS : levels !== undefined) {
    throw new InvalidOperationError(`The ${methodName(method)} codec returned ${levels ?? 'no'} adaptive-level bytes, ` +
      `a ${codec.isWavelet ? 'wavelet' : 'non-wavelet'} chunk has ${codec.isWavelet ? WAVELET_ADAPTIVE_LEVELS : 'none'}`);
  }
  return encoded;
}
