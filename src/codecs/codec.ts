// The interface every chunk codec implements. A codec is one file; the registry maps
// CompressionMethod to codec. Codecs are pure and synchronous: they run inside pool workers.
import type { CompressionMethod, VolumeDataComponents, VolumeDataFormat } from '../enums.js';

/** What the layer says a chunk must be: the DataBlock descriptor it must carry. */
export interface BlockShape {
  /** Number of dimensions of the layer's chunk group: 1, 2 or 3. */
  dimensionality: 1 | 2 | 3;
  /** Chunk size along chunk-dimensions 0, 1, 2 (1 for unused ones). */
  size: [number, number, number];
  format: VolumeDataFormat;
  components: VolumeDataComponents;
}

/** The value semantics of a channel (section 4 of the format sheet). f32 values. */
export interface ChannelValues {
  valueRangeMin: number;
  valueRangeMax: number;
  integerScale: number;
  integerOffset: number;
  useNoValue: boolean;
  noValue: number;
}

export interface DecodeOptions {
  shape: BlockShape;
  channel: ChannelValues;
  /** The format the caller finally wants; a codec may (not must) deliver it directly. */
  targetFormat: VolumeDataFormat;
  /** Value written for no-value samples; defaults to the channel's `noValue`. */
  replacementNoValue?: number;
  /** Wavelet only: use the lossless residual when the stream has one. */
  lossless?: boolean;
  /** Wavelet only: adaptive level, 0 = full quality. */
  adaptiveLevel?: number;
}

export interface DecodedBlock {
  /** Format of `bytes`. */
  format: VolumeDataFormat;
  /** Dense payload, dimension 0 fastest, little-endian, 1Bit rows packed and byte aligned. */
  bytes: Uint8Array;
  /** True when the codec already converted to `targetFormat` and replaced no-values. */
  converted: boolean;
}

export interface ChunkCodec {
  readonly method: CompressionMethod;
  /** Decodes one serialized chunk object; throws ChunkFormatError on anything malformed. */
  decode(chunk: Uint8Array, options: DecodeOptions): DecodedBlock;
  /** Serializes a non-constant payload; absent for decode-only methods (wavelet). */
  encode?(payload: Uint8Array, shape: BlockShape): Uint8Array;
}
