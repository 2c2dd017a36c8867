// Wavelet chunk decoder (format sheet 3.6), bit-exact with OpenVDS 3.4; the encoder is
// wavelet/encoder.ts, and waveletCodecs.ts pairs the two. One codec per method, because the
// NormalizeBlock methods carry a section the stream itself does not announce.
import { CompressionMethod, isWaveletCompression, VolumeDataFormat } from '../model/enums.js';
import { ChunkFormatError, InvalidArgumentError } from '../model/errors.js';
import { type ChunkCodec, formatTraits } from './codec.js';
import type { DecodedBlock, DecodeOptions } from '../model/block.js';
import { countDecodeBits, decodeTreeStructure } from './wavelet/adaptiveStream.js';
import { coarsestDetail, createBandStructure, lowPassBox, volume, type BandStructure } from './wavelet/bandStructure.js';
import { writeStartValues, writeValues } from './wavelet/coefficients.js';
import { IntegerInfo, readWaveletHeader, readWaveletSections, WAVELET_HEADER_BYTES, WAVELET_VERSION_1_6, type WaveletHeader } from './wavelet/header.js';
import { applyLosslessResidual, applyNoValues, applyNormalization, applyZeroRuns, decodeNoValueMask } from './wavelet/postprocess.js';
import { cropPicture, type Quantization } from './wavelet/deliver.js';
import { waveletError } from './wavelet/streamError.js';
import { defaultWaveletBackend, type WaveletBackend } from './wavelet/backend.js';
import { compileTransformData, createTransformData, hasStreamEncodingBug } from './wavelet/transformData.js';
import { WAVELET_ADAPTIVE_LEVELS } from '../model/adaptiveLevels.js';
import { bucketCount } from '../model/convert.js';

const F = VolumeDataFormat;
const f32 = Math.fround;

/** What decoding needs to know about a wavelet method beyond the stream. */
interface MethodTraits {
  /** The stream carries the per-block normalization section it does not announce itself. */
  isNormalize: boolean;
  /** R32 streams of this method carry the lossless residual (section E). */
  hasLosslessBlock: boolean;
}

function checkShape(header: WaveletHeader, options: DecodeOptions): void {
  const { shape } = options;
  if (shape.components !== 1) throw new ChunkFormatError(`Invalid header: wavelet chunks have 1 component, the layer has ${shape.components}`);
  const same = header.dimensionality === shape.dimensionality && header.size.every((n, i) => n === shape.size[i]);
  if (!same) {
    throw new ChunkFormatError(`Invalid header: wavelet chunk is ${header.dimensionality}D ${header.size.join(' x ')}, the layer expects ${shape.dimensionality}D ${shape.size.join(' x ')}`);
  }
}

/** Decode level and whether the residual applies; level -1 means "best quality" like OpenVDS. */
function decodeLevel(options: DecodeOptions): { level: number; wantsLossless: boolean } {
  const requested = options.adaptiveLevel ?? 0;
  if (!Number.isInteger(requested) || requested < -1 || requested >= WAVELET_ADAPTIVE_LEVELS) {
    throw new InvalidArgumentError(`adaptiveLevel ${requested} is outside -1..${WAVELET_ADAPTIVE_LEVELS - 1}`);
  }
  return { level: Math.max(0, requested), wantsLossless: requested <= 0 && (options.lossless === true || requested === -1) };
}

/** Runs the decoder into the padded f32 working buffer. */
function decodePicture(chunk: Uint8Array, view: DataView, header: WaveletHeader, bands: BandStructure, method: MethodTraits, options: DecodeOptions, backend: WaveletBackend): Float32Array {
  const picture = backend.workingBuffer(bands);
  if (header.compressedSize < WAVELET_HEADER_BYTES) throw waveletError(`compressed size ${header.compressedSize} is below the header size`);
  if (header.compressedSize === WAVELET_HEADER_BYTES) return picture;

  const { level, wantsLossless } = decodeLevel(options);
  const isInteger = (header.integerInfo & IntegerInfo.IsInteger) !== 0;
  const lossless = wantsLossless && (isInteger ? (header.integerInfo & IntegerInfo.CompressedWithDiffPass) !== 0 : method.hasLosslessBlock);
  const sections = readWaveletSections(view, header, method.isNormalize);
  const levels = createTransformData(bands);
  const compiled = compileTransformData(bands, levels, header.version >= WAVELET_VERSION_1_6);
  const preventOverwrite = header.version < WAVELET_VERSION_1_6 && !lossless && hasStreamEncodingBug(bands, levels);
  const decodeBits = countDecodeBits(sections.threshold, sections.startThreshold);
  const coarsest = coarsestDetail(bands);
  const tree = decodeTreeStructure({
    chunk, view, offset: sections.adaptiveOffset, declaredSize: sections.adaptiveSize, bands, compiled,
    initialNodes: coarsest.positions, initialSectors: coarsest.sectors,
    startValueCount: volume(lowPassBox(bands)) + coarsest.positions.length, decodeBits, level,
  });
  writeStartValues(picture, view, sections.adaptiveOffset + (compiled.allNormal ? 1 : 2) * WAVELET_ADAPTIVE_LEVELS * 4, bands, coarsest.positions);
  writeValues(picture, bands, tree, { chunk, threshold: sections.threshold, decodeBits, level, isInteger, preventOverwrite }, compiled.allNormal);
  if (lossless && tree.streamEnd !== sections.adaptiveSize) {
    throw waveletError(`adaptive stream decodes to ${tree.streamEnd} bytes but declares ${sections.adaptiveSize}`);
  }

  backend.inverseTransform(picture, bands, header.integerInfo);
  if (sections.noValues) {
    const replacement = f32(options.replacementNoValue ?? options.channel.noValue);
    applyNoValues(picture, decodeNoValueMask(chunk, sections.noValues, bands), bands, replacement);
  }
  if (sections.normalizeField !== null) applyNormalization(picture, view, sections.normalizeField, bands);
  if (sections.zeroRuns) applyZeroRuns(picture, chunk, view, sections.zeroRuns, bands);
  if (lossless) applyLosslessResidual(picture, chunk, view, sections.losslessOffset, bands);
  return picture;
}

/** The format the decoder delivers: its own, or U8/U16 directly when that was asked for (sheet 3.6.10). */
type DeliveredFormat = VolumeDataFormat.Format_R32 | Quantization['format'];

function outputFormat(header: WaveletHeader, target: VolumeDataFormat): DeliveredFormat {
  const own: DeliveredFormat = header.integerInfo & IntegerInfo.IsInteger ? (header.integerInfo & IntegerInfo.Is16Bit ? F.Format_U16 : F.Format_U8) : F.Format_R32;
  if (target === F.Format_U8 && own !== F.Format_U8) return F.Format_U8;
  if (target === F.Format_U16 && own === F.Format_R32) return F.Format_U16;
  return own;
}

function quantizationRange(header: WaveletHeader, format: VolumeDataFormat, options: DecodeOptions): [number, number] {
  const { valueRangeMin, valueRangeMax, integerScale, integerOffset, useNoValue } = options.channel;
  if (!(header.integerInfo & IntegerInfo.IsInteger)) return [valueRangeMin, valueRangeMax];
  if (!(header.integerInfo & IntegerInfo.Is16Bit)) return [0, useNoValue ? 254 : 255];
  if (format !== F.Format_U8) return [0, useNoValue ? 65534 : 65535];
  const min = f32(f32(valueRangeMin - integerOffset) / integerScale);
  return [min, f32(min + f32(f32(valueRangeMax - valueRangeMin) / integerScale))];
}

function quantization(header: WaveletHeader, format: Quantization['format'], options: DecodeOptions): Quantization {
  const { useNoValue } = options.channel;
  const buckets = bucketCount(format, useNoValue);
  const [vmin, vmax] = quantizationRange(header, format, options);
  return {
    format, offset: vmin, reciprocal: f32((buckets - 1) / f32(vmax - vmin)), buckets,
    noValue: useNoValue ? f32(options.replacementNoValue ?? options.channel.noValue) : undefined,
  };
}

/** Crops the padded buffer to the block: R32 bit for bit, or quantised to U8/U16 codes. */
function deliver(picture: Float32Array, bands: BandStructure, header: WaveletHeader, format: DeliveredFormat, options: DecodeOptions, backend: WaveletBackend): Uint8Array {
  if (format === F.Format_R32) return cropPicture(picture, bands);
  return backend.quantize(picture, bands, quantization(header, format, options));
}

/** `backend` defaults to the fastest one this runtime has (see wavelet/backend.ts). */
export function waveletCodecFor(method: CompressionMethod, backend?: WaveletBackend): ChunkCodec {
  if (!isWaveletCompression(method)) throw new InvalidArgumentError(`${CompressionMethod[method] ?? method} is not a wavelet compression method`);
  const traits = formatTraits(method);
  const methodTraits: MethodTraits = {
    isNormalize: method === CompressionMethod.WaveletNormalizeBlock || method === CompressionMethod.WaveletNormalizeBlockLossless,
    hasLosslessBlock: traits.isLossless,
  };
  return {
    method,
    ...traits,
    decode(chunk: Uint8Array, options: DecodeOptions): DecodedBlock {
      const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const header = readWaveletHeader(view);
      checkShape(header, options);
      const bands = createBandStructure(header.dimensionality, header.size);
      const kernels = backend ?? defaultWaveletBackend();
      const picture = decodePicture(chunk, view, header, bands, methodTraits, options, kernels);
      const format = outputFormat(header, options.targetFormat);
      return { format, bytes: deliver(picture, bands, header, format, options, kernels), converted: format === options.targetFormat };
    },
  };
}

export const waveletCodec = waveletCodecFor(CompressionMethod.Wavelet);
export const waveletLosslessCodec = waveletCodecFor(CompressionMethod.WaveletLossless);
export const waveletNormalizeBlockCodec = waveletCodecFor(CompressionMethod.WaveletNormalizeBlock);
export const waveletNormalizeBlockLosslessCodec = waveletCodecFor(CompressionMethod.WaveletNormalizeBlockLossless);
