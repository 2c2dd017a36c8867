// Errors of the wavelet decoder. OpenVDS reports 100 for a header it cannot accept and -1 for
// everything else that is wrong with a stream.
import { ChunkFormatError } from '../../model/errors.js';

const INVALID_WAVELET_HEADER = 100;

export function waveletError(message: string): ChunkFormatError {
  return new ChunkFormatError(`Wavelet chunk: ${message}`, -1);
}

export function invalidWaveletHeader(message: string): ChunkFormatError {
  return new ChunkFormatError(`Invalid wavelet header: ${message}`, INVALID_WAVELET_HEADER);
}

/** Throws unless `[offset, offset + length)` lies inside a buffer of `available` bytes. */
export function requireBytes(offset: number, length: number, available: number, what: string): void {
  if (!(length >= 0) || offset + length > available) {
    throw waveletError(`${what} needs bytes ${offset}..${offset + length} but the stream has ${available}`);
  }
}
