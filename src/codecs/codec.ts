// The interface every chunk codec implements. A codec is one file plus one registerCodec call
// (registry.ts); it carries its method's traits, so nothing outside the codec re-derives them.
// Codecs are pure and synchronous (with an optional asynchronous decode): they run inside pool workers.
import { CompressionMethod, compressionMethodTraits, type CompressionMethodTraits } from '../model/enums.js';
import { InvalidArgumentError } from '../model/errors.js';
import type { BlockShape, ChannelValues, DecodedBlock, DecodeOptions } from '../model/block.js';
import type { DenseBox } from '../model/geometry/denseBox.js';

/** What encoding one non-constant chunk needs to know. */
export interface EncodeOptions {
  /** The DataBlock descriptor the chunk carries; the payload is dense in `shape.format`. */
  shape: BlockShape;
  /** The channel's value range and no-value (a wavelet encoder quantises against them). */
  channel: ChannelValues;
  /** The layer's effective compression tolerance (geometry/layers.ts effectiveCompression); None, RLE and Zip ignore it. */
  tolerance: number;
}

/** A serialized chunk and what its chunk-metadata entry records besides the hash. */
export interface EncodedChunk {
  /** The chunk object's bytes. */
  bytes: Uint8Array;
  /** Wavelet methods only: the 16 adaptive-level bytes of the chunk's metadata entry (format sheet 3.6). */
  adaptiveLevels?: Uint8Array;
}

/** Bytes `[start, end)` of a chunk object. */
export interface ObjectSpan {
  start: number;
  end: number;
}

/** How to find the part of a chunk object that one box of the decoded chunk comes from. */
export interface ObjectPart {
  /** Bytes at the start of every object that `spanOf` needs to see. */
  readonly headBytes: number;
  /**
   * The span of the object holding `box` of the decoded chunk (margins included), given the
   * object's head; undefined when the whole object is needed (a malformed head among them, so
   * that decode names the problem).
   */
  spanOf(head: Uint8Array, options: DecodeOptions, box: DenseBox): ObjectSpan | undefined;
}

/** The part of an object to read: its head, then the span the head leads to (all of it when none). */
export interface PartToRead {
  headBytes: number;
  spanOf(head: Uint8Array): ObjectSpan | undefined;
}

/** What to read of an object for `box` of its decoded chunk. */
export function partOfBox(part: ObjectPart, options: DecodeOptions, box: DenseBox): PartToRead {
  return { headBytes: part.headBytes, spanOf: (head) => part.spanOf(head, options, box) };
}

export interface ChunkCodec extends CompressionMethodTraits {
  readonly method: CompressionMethod;
  /** Decodes one serialized chunk object; throws ChunkFormatError on anything malformed. */
  decode(chunk: Uint8Array, options: DecodeOptions): DecodedBlock;
  /**
   * The same decode where the platform does it faster asynchronously (Zip in browsers, on their
   * native DecompressionStream); pool workers use it when present.
   */
  decodeAsync?(chunk: Uint8Array, options: DecodeOptions): Promise<DecodedBlock>;
  /**
   * For a method whose objects hold the samples in place (None): a worker that only delivers a box
   * of the chunk reads just that part of a local file. `decode` then sees an object of full length
   * whose bytes outside the part are stale: of what it makes of them, only the box is delivered.
   */
  readonly part?: ObjectPart;
  /** Serializes a non-constant payload; absent for decode-only codecs (the method cannot be written). */
  encode?(payload: Uint8Array, options: EncodeOptions): EncodedChunk;
}

/**
 * A codec registered by the module that makes it, loaded on first use: what keeps the wavelet
 * decoder and encoder (two thirds of the decode job's load time) out of a worker that never meets
 * a wavelet chunk.
 */
export interface LazyCodec extends CompressionMethodTraits {
  readonly method: CompressionMethod;
  /** Whether the codec it loads has an encoder. */
  readonly encodes: boolean;
  load(): Promise<ChunkCodec>;
}

/** The traits the format gives one of OpenVDS's methods, for a codec of that method to carry. */
export function formatTraits(method: CompressionMethod): CompressionMethodTraits {
  const traits = compressionMethodTraits(method);
  if (!traits) throw new InvalidArgumentError(`${method} is not one of OpenVDS's compression methods`);
  return traits;
}
