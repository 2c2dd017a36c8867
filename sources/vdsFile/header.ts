// The 32-byte data-store header at offset 0 of a `.vds` file (format sheet 6.1). It is the only
// structure ever rewritten in place: writing it is what makes a commit visible.
import { VdsFileError } from './errors.js';

export const HEADER_BYTES = 32;
const MAGIC = 'HueDataStore';
/** Major 1, minor 0: what OpenVDS writes. */
export const DATASTORE_VERSION = 0x00010000;

export interface DataStoreHeader {
  version: number;
  fileTableOffset: number;
  fileTableCount: number;
  /** Bytes reserved per file name in the file table. */
  fileNameLength: number;
}

export function decodeHeader(bytes: Uint8Array, fileSize: number, path: string): DataStoreHeader {
  if (bytes.length < HEADER_BYTES) {
    throw new VdsFileError(path, `it is ${fileSize} bytes long, shorter than the ${HEADER_BYTES}-byte header`);
  }
  if (Buffer.from(bytes.subarray(0, MAGIC.length)).toString('latin1') !== MAGIC) {
    throw new VdsFileError(path, `it does not start with "${MAGIC}" (not a .vds file)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const header: DataStoreHeader = {
    version: view.getInt32(12, true),
    fileTableOffset: readOffset(view, 16, 'header fileTableOffset', path),
    fileTableCount: view.getInt32(24, true),
    fileNameLength: view.getInt32(28, true),
  };
  if (header.version >>> 16 !== DATASTORE_VERSION >>> 16) {
    throw new VdsFileError(path, `unsupported data-store version 0x${(header.version >>> 0).toString(16)} (expected major version 1)`);
  }
  if (header.fileNameLength < 0 || header.fileNameLength > 4096) {
    throw new VdsFileError(path, `header fileNameLength ${header.fileNameLength} is out of range`);
  }
  if (header.fileTableCount < 0) throw new VdsFileError(path, `header fileTableCount ${header.fileTableCount} is negative`);
  if (header.fileTableCount > 0) {
    const end = header.fileTableOffset + header.fileTableCount * fileTableEntryBytes(header.fileNameLength);
    if (header.fileTableOffset < HEADER_BYTES || end > fileSize) {
      throw new VdsFileError(path, `the file table (${header.fileTableCount} entries at offset ${header.fileTableOffset}) lies outside the ${fileSize}-byte file`);
    }
  }
  return header;
}

export function encodeHeader(header: DataStoreHeader): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES);
  bytes.set(Buffer.from(MAGIC, 'latin1'));
  const view = new DataView(bytes.buffer);
  view.setInt32(12, header.version, true);
  view.setBigInt64(16, BigInt(header.fileTableOffset), true);
  view.setInt32(24, header.fileTableCount, true);
  view.setInt32(28, header.fileNameLength, true);
  return bytes;
}

export function fileTableEntryBytes(fileNameLength: number): number {
  return 32 + fileNameLength;
}

/** An int64 file offset as a number; offsets beyond 2^53 cannot be addressed and are rejected. */
export function readOffset(view: DataView, at: number, what: string, path: string): number {
  const value = view.getBigInt64(at, true);
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new VdsFileError(path, `${what} ${value} is out of range`);
  return Number(value);
}
