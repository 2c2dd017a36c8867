// What a chunk's data block is (format sheet 3): the shape and format the layer gives it, the value
// semantics of its channel, and what decoding one makes of it. Codecs, conversions and the
// geometry all speak these types.
import type { VolumeDataComponents, VolumeDataFormat } from './enums.js';

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
  /**
   * A buffer of `size` bytes a codec may decode into (a worker's scratch, reused for its next
   * chunk, so the block must not outlive that); without it, a block gets a buffer of its own.
   */
  into?: (size: number) => Uint8Array;
}

export interface DecodedBlock {
  /** Format of `bytes`. */
  format: VolumeDataFormat;
  /** Dense payload, dimension 0 fastest, little-endian, 1Bit rows packed and byte aligned. */
  bytes: Uint8Array;
  /** True when the codec already converted to `targetFormat` and replaced no-values. */
  converted: boolean;
}
