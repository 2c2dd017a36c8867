// Enumerations with the member names and numeric values of OpenVDS 3.4.

export enum VolumeDataFormat {
  Format_Any = -1,
  Format_1Bit = 0,
  Format_U8 = 1,
  Format_U16 = 2,
  Format_R32 = 3,
  Format_U32 = 4,
  Format_R64 = 5,
  Format_U64 = 6,
}

export enum VolumeDataComponents {
  Components_1 = 1,
  Components_2 = 2,
  Components_4 = 4,
}

export enum InterpolationMethod {
  Nearest = 0,
  Linear = 1,
  Cubic = 2,
  Angular = 3,
  Triangular = 4,
}

/** Dimension groups; 3D groups come first, as in OpenVDS. */
export enum DimensionsND {
  Dimensions_012 = 0, Dimensions_013, Dimensions_014, Dimensions_015, Dimensions_023,
  Dimensions_024, Dimensions_025, Dimensions_034, Dimensions_035, Dimensions_045,
  Dimensions_123, Dimensions_124, Dimensions_125, Dimensions_134, Dimensions_135,
  Dimensions_145, Dimensions_234, Dimensions_235, Dimensions_245, Dimensions_345,
  Dimensions_01, Dimensions_02, Dimensions_03, Dimensions_04, Dimensions_05,
  Dimensions_12, Dimensions_13, Dimensions_14, Dimensions_15, Dimensions_23,
  Dimensions_24, Dimensions_25, Dimensions_34, Dimensions_35, Dimensions_45,
}

export enum VolumeDataMapping {
  Direct = 0,
  PerTrace = 1,
}

export enum CompressionMethod {
  None = 0,
  Wavelet = 1,
  RLE = 2,
  Zip = 3,
  WaveletNormalizeBlock = 4,
  WaveletLossless = 5,
  WaveletNormalizeBlockLossless = 6,
}

/**
 * What the format says about a compression method. Wavelet methods keep 16 adaptive-level bytes
 * in each chunk's metadata and can be read at a coarser level (OpenVDS's CompressionMethod_IsWavelet);
 * lossless ones give back exactly the values written (the lossless wavelet methods at LOD 0 only,
 * format sheet 2.5). The model needs these facts without the codecs, so this is their one table:
 * the built-in codecs take their traits from it and the codec registry checks any other codec
 * registered for one of these methods against it.
 */
export interface CompressionMethodTraits {
  readonly isWavelet: boolean;
  readonly isLossless: boolean;
}

const COMPRESSION_METHOD_TRAITS: Readonly<Record<CompressionMethod, CompressionMethodTraits>> = {
  [CompressionMethod.None]: { isWavelet: false, isLossless: true },
  [CompressionMethod.Wavelet]: { isWavelet: true, isLossless: false },
  [CompressionMethod.RLE]: { isWavelet: false, isLossless: true },
  [CompressionMethod.Zip]: { isWavelet: false, isLossless: true },
  [CompressionMethod.WaveletNormalizeBlock]: { isWavelet: true, isLossless: false },
  [CompressionMethod.WaveletLossless]: { isWavelet: true, isLossless: true },
  [CompressionMethod.WaveletNormalizeBlockLossless]: { isWavelet: true, isLossless: true },
};

/** The traits of one of OpenVDS's compression methods; undefined for any other number. */
export function compressionMethodTraits(method: CompressionMethod): CompressionMethodTraits | undefined {
  return Object.hasOwn(COMPRESSION_METHOD_TRAITS, method) ? COMPRESSION_METHOD_TRAITS[method] : undefined;
}

export function isWaveletCompression(method: CompressionMethod): boolean {
  return compressionMethodTraits(method)?.isWavelet === true;
}

export enum VDSProduceStatus {
  Normal = 0,
  Remapped = 1,
  Unavailable = 2,
}

export enum AccessMode {
  AccessMode_ReadOnly = 0,
  AccessMode_ReadWrite = 1,
  AccessMode_Create = 2,
  AccessMode_CreateWithoutLODGeneration = 3,
  AccessMode_ReadWriteWithoutLODGeneration = 4,
}

export enum BrickSize {
  BrickSize_32 = 5,
  BrickSize_64 = 6,
  BrickSize_128 = 7,
  BrickSize_256 = 8,
  BrickSize_512 = 9,
  BrickSize_1024 = 10,
  BrickSize_2048 = 11,
  BrickSize_4096 = 12,
}

export enum LODLevels {
  LODLevels_None = 0, LODLevels_1, LODLevels_2, LODLevels_3, LODLevels_4, LODLevels_5, LODLevels_6,
  LODLevels_7, LODLevels_8, LODLevels_9, LODLevels_10, LODLevels_11, LODLevels_12,
}

/** Bit flags of `VolumeDataLayoutDescriptor`. */
export enum LayoutOptions {
  Options_None = 0,
  Options_Create2DLODs = 1 << 0,
  Options_ForceFullResolutionDimension = 1 << 1,
}

/** Bit flags of `VolumeDataChannelDescriptor`. */
export enum ChannelFlags {
  Default = 0,
  DiscreteData = 1 << 0,
  NoLossyCompression = 1 << 1,
  NotRenderable = 1 << 2,
  NoLossyCompressionUseZip = (1 << 1) | (1 << 3),
}

/** OpenVDS's log levels (Log.h). rxvds writes no log: errors are thrown, so only None is accepted. */
export enum LogLevel {
  None = 0,
  Error = 1,
  Warning = 2,
  Info = 3,
  Trace = 4,
}

export const Dimensionality_Max = 6;
