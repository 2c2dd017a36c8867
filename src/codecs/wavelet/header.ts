// The wavelet stream header and the byte layout of its sections (format sheet 3.6.2).
import { requireBytes, invalidWaveletHeader, waveletError } from './streamError.js';

const WAVELET_VERSION_1_4 = 671;
export const WAVELET_VERSION_1_6 = 673;
/** The six header words; a stream of exactly this size holds no data (all zero). */
export const WAVELET_HEADER_BYTES = 24;
export const WAVELET_MAX_SIZE = 512;
export const NORMALIZE_BLOCK_SIZE = 8;

/** Bits of the integerInfo byte. */
export const IntegerInfo = {
  IsInteger: 1,
  LosslessOptimized: 2,
  CompressedWithDiffPass: 4,
  Is16Bit: 8,
} as const;

export type Vec3 = [number, number, number];

export interface WaveletHeader {
  version: number;
  /** Byte size of the complete stream; the object may be a prefix of it. */
  compressedSize: number;
  dimensionality: 1 | 2 | 3;
  /** Block size, 1 on the axes beyond the dimensionality. */
  size: Vec3;
  integerInfo: number;
}

export interface NoValueSection {
  /** Offset and length of the run-length coded bit mask. */
  offset: number;
  byteLength: number;
}

export interface WaveletSections {
  /** Section A, or null when the block says "no zero runs". */
  zeroRuns: { offset: number; byteSize: number } | null;
  noValues: NoValueSection | null;
  /** Offset of the f32 normalization factors (NormalizeBlock methods only). */
  normalizeField: number | null;
  threshold: number;
  startThreshold: number;
  adaptiveOffset: number;
  adaptiveSize: number;
  /** Where section E starts if the stream has one. */
  losslessOffset: number;
}

const pad4 = (n: number) => (n + 3) & ~3;

export function readWaveletHeader(view: DataView): WaveletHeader {
  if (view.byteLength < WAVELET_HEADER_BYTES) throw invalidWaveletHeader(`${view.byteLength} bytes, need at least ${WAVELET_HEADER_BYTES}`);
  const version = view.getInt32(0, true);
  const compressedSize = view.getInt32(4, true);
  const raw: Vec3 = [view.getInt32(8, true), view.getInt32(12, true), view.getInt32(16, true)];
  const word5 = view.getInt32(20, true);
  const dimensionality = word5 & 0xff;
  if (version < WAVELET_VERSION_1_4 || version > WAVELET_VERSION_1_6) throw invalidWaveletHeader(`unknown version ${version}`);
  if (dimensionality < 1 || dimensionality > 3) throw invalidWaveletHeader(`dimensionality ${dimensionality}`);
  for (const n of raw) if (n < 0 || n > WAVELET_MAX_SIZE) throw invalidWaveletHeader(`size ${raw.join(' x ')} outside 0..${WAVELET_MAX_SIZE}`);
  const size: Vec3 = [raw[0], dimensionality >= 2 ? raw[1] : 1, dimensionality >= 3 ? raw[2] : 1];
  return { version, compressedSize, dimensionality: dimensionality as 1 | 2 | 3, size, integerInfo: (word5 >> 8) & 0xff };
}

export function normalizeFieldCount(size: Vec3): number {
  return size.reduce((count, n) => count * Math.ceil(n / NORMALIZE_BLOCK_SIZE), 1);
}

/** Locates sections A–D (and where E would start) in a stream whose header was accepted. */
export function readWaveletSections(view: DataView, header: WaveletHeader, isNormalize: boolean): WaveletSections {
  const available = view.byteLength;
  const int32 = (offset: number, what: string) => { requireBytes(offset, 4, available, what); return view.getInt32(offset, true); };
  const float32 = (offset: number, what: string) => { requireBytes(offset, 4, available, what); return view.getFloat32(offset, true); };

  let pos = WAVELET_HEADER_BYTES;
  const zeroSize = int32(pos, 'zero-run block size');
  if (zeroSize < 4) throw waveletError(`zero-run block size ${zeroSize} is below 4`);
  requireBytes(pos, zeroSize, available, 'zero-run block');
  const zeroRuns = zeroSize > 4 ? { offset: pos, byteSize: zeroSize } : null;
  pos += pad4(zeroSize);

  const noValueSize = int32(pos, 'no-value block size');
  let noValues: NoValueSection | null = null;
  if (noValueSize === -1) {
    pos += 4;
  } else {
    if (noValueSize < 0) throw waveletError(`no-value block size ${noValueSize}`);
    requireBytes(pos + 8, noValueSize, available, 'no-value bit stream');
    noValues = { offset: pos + 8, byteLength: noValueSize };
    pos += 8 + pad4(noValueSize);
  }

  let normalizeField: number | null = null;
  if (isNormalize) {
    const bytes = 4 * normalizeFieldCount(header.size);
    requireBytes(pos, bytes, available, 'normalization field');
    normalizeField = pos;
    pos += bytes;
  }

  const threshold = float32(pos, 'threshold');
  const startThreshold = float32(pos + 4, 'start threshold');
  const adaptiveSize = int32(pos + 8, 'adaptive stream size');
  if (adaptiveSize < 0) throw waveletError(`adaptive stream size ${adaptiveSize}`);
  const adaptiveOffset = pos + 12;
  return { zeroRuns, noValues, normalizeField, threshold, startThreshold, adaptiveOffset, adaptiveSize, losslessOffset: adaptiveOffset + pad4(adaptiveSize) };
}
