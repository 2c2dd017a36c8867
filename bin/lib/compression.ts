// The compression options of the commands that write datasets (`import-segy`, `copy`), with
// SEGYImport's names: `--compression-method` (or `--compression`) and `--tolerance`.
import { CompressionMethod, isWaveletCompression } from '../../src/index.js';
import { type OptionValues, stringOption, UsageError } from './command.js';

const METHOD_NAMES = 'None, RLE, Zip, Wavelet, WaveletLossless, WaveletNormalizeBlock or WaveletNormalizeBlockLossless';

export function compressionMethod(values: OptionValues): CompressionMethod {
  const name = stringOption(values, 'compression-method', 'compression') ?? 'None';
  const flag = values.compression === undefined ? '--compression-method' : '--compression';
  const method = Object.entries(CompressionMethod).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  if (typeof method !== 'number') throw new UsageError(`${flag} must be ${METHOD_NAMES}, got "${name}"`);
  return method;
}

/** SEGYImport's --tolerance: the wavelet compression tolerance; nothing else uses it. */
export function compressionTolerance(values: OptionValues, method: CompressionMethod): number {
  if (values.tolerance === undefined) return 0;
  if (!isWaveletCompression(method)) throw new UsageError('--tolerance applies to the Wavelet compression methods only');
  const tolerance = Number(values.tolerance);
  if (!(tolerance >= 0 && tolerance <= 255)) throw new UsageError(`--tolerance must be a number from 0 to 255 (8-bit steps of the value range), got "${String(values.tolerance)}"`);
  return tolerance;
}
