// CompressionMethod → codec: the one place that says which methods exist, which are wavelet or
// lossless, and which can be written. Adding a codec is one file implementing ChunkCodec plus one
// registerCodec call (of the codec, or of a LazyCodec that imports it on first use, as the
// wavelet codecs are). A registration holds in the thread that makes it: a codec the pool workers
// use must be registered by a module they load too.
import { CompressionMethod, compressionMethodTraits } from '../model/enums.js';
import { ChunkFormatError, InvalidArgumentError, InvalidOperationError } from '../model/errors.js';
import { WAVELET_ADAPTIVE_LEVELS } from '../model/adaptiveLevels.js';
import { type ChunkCodec, type EncodedChunk, type EncodeOptions, formatTraits, type LazyCodec } from './codec.js';
import { noneCodec } from './none.js';
import { rleCodec } from './rle.js';
import { zipCodec } from './zip.js';

const codecs = new Map<CompressionMethod, ChunkCodec | LazyCodec>();
/** The lazy entry each loaded codec took the place of: unregistering that entry removes it too. */
const loadedFrom = new WeakMap<ChunkCodec | LazyCodec, LazyCodec>();

function methodName(method: CompressionMethod): string {
  return CompressionMethod[method] ?? `compression method ${method}`;
}

/**
 * Makes `codec` the codec of its method, replacing any earlier one; returns a function that puts
 * the earlier one back. A codec for one of OpenVDS's methods must have that method's traits
 * (model/enums.ts), because the model reads them there.
 */
export function registerCodec(codec: ChunkCodec | LazyCodec): () => void {
  if (!Number.isInteger(codec.method) || codec.method < 0) throw new InvalidArgumentError(`A codec's method must be a non-negative integer, got ${codec.method}`);
  const format = compressionMethodTraits(codec.method);
  if (format && (format.isWavelet !== codec.isWavelet || format.isLossless !== codec.isLossless)) {
    throw new InvalidArgumentError(`A ${methodName(codec.method)} codec must have isWavelet ${format.isWavelet} and isLossless ${format.isLossless}, ` +
      `this one has ${codec.isWavelet} and ${codec.isLossless}`);
  }
  const previous = codecs.get(codec.method);
  codecs.set(codec.method, codec);
  return () => {
    const current = codecs.get(codec.method);
    if (!current || (current !== codec && loadedFrom.get(current) !== codec)) return;
    if (previous) codecs.set(codec.method, previous);
    else codecs.delete(codec.method);
  };
}

const WAVELET_METHODS = [CompressionMethod.Wavelet, CompressionMethod.WaveletLossless,
  CompressionMethod.WaveletNormalizeBlock, CompressionMethod.WaveletNormalizeBlockLossless] as const;

[noneCodec, rleCodec, zipCodec].forEach(registerCodec);
WAVELET_METHODS.forEach((method) => registerCodec({
  method, ...formatTraits(method), encodes: true,
  load: async () => (await import('./waveletCodecs.js')).waveletCodec(method),
}));

function replaceLoaded(lazy: LazyCodec, loaded: ChunkCodec): void {
  codecs.set(lazy.method, loaded);
  loadedFrom.set(loaded, lazy);
}

function isLazy(codec: ChunkCodec | LazyCodec): codec is LazyCodec {
  return 'load' in codec;
}

/**
 * Codecs a module made, in place of their methods' lazy entries (never of a codec registered
 * since): a module that registers lazily calls it when it loads, however it was loaded.
 */
export function provideLoadedCodecs(loaded: readonly ChunkCodec[]): void {
  for (const codec of loaded) {
    const entry = codecs.get(codec.method);
    if (entry && isLazy(entry)) replaceLoaded(entry, codec);
  }
}

/**
 * The codec of `method` if it is at hand, without loading a lazy one (undefined then, and for an
 * unregistered method): for questions about a codec that should not cost its load.
 */
export function loadedCodec(method: CompressionMethod): ChunkCodec | undefined {
  const codec = codecs.get(method);
  return codec && !isLazy(codec) ? codec : undefined;
}

/**
 * The codec of `method`, a promise of it while its module loads the first time; a ChunkFormatError
 * when none is registered (a chunk that cannot be decoded).
 */
export function chunkCodec(method: CompressionMethod): ChunkCodec | Promise<ChunkCodec> {
  const codec = codecs.get(method);
  if (!codec) throw new ChunkFormatError(`No decoder for ${methodName(method)}`);
  if (!isLazy(codec)) return codec;
  return codec.load().then((loaded) => {
    // In place of the lazy entry, unless another registration replaced it meanwhile.
    if (codecs.get(method) === codec) replaceLoaded(codec, loaded);
    return loaded;
  });
}

/** Whether chunks of `method` can be written: its codec has an encoder. */
export function canEncode(method: CompressionMethod): boolean {
  const codec = codecs.get(method);
  return codec !== undefined && (isLazy(codec) ? codec.encodes : codec.encode !== undefined);
}

/**
 * Serializes a non-constant payload with `method`'s codec, and checks the result keeps the
 * codec contract: a wavelet chunk comes with its 16 adaptive-level bytes, any other without.
 */
export async function encodeChunk(method: CompressionMethod, payload: Uint8Array, options: EncodeOptions): Promise<EncodedChunk> {
  const codec = codecs.has(method) ? await chunkCodec(method) : undefined;
  if (!codec?.encode) throw new InvalidOperationError(`Chunks of ${methodName(method)} cannot be written: ${codec ? 'its codec only decodes' : 'no codec is registered for it'}`);
  const encoded = codec.encode(payload, options);
  const levels = encoded.adaptiveLevels?.byteLength;
  if (codec.isWavelet ? levels !== WAVELET_ADAPTIVE_LEVELS : levels !== undefined) {
    throw new InvalidOperationError(`The ${methodName(method)} codec returned ${levels ?? 'no'} adaptive-level bytes, ` +
      `a ${codec.isWavelet ? 'wavelet' : 'non-wavelet'} chunk has ${codec.isWavelet ? WAVELET_ADAPTIVE_LEVELS : 'none'}`);
  }
  return encoded;
}
