// Index pages (format sheet 6.1): per chunk an IndexEntry (int64 offset, int32 length, int32
// reserved) followed by the file's chunk metadata.
import { VdsFileError } from './errors.js';

const ENTRY_HEADER_BYTES = 16;

export interface IndexEntry {
  offset: number;
  /** 0 = no data (never written, or constant: the metadata says which). */
  length: number;
  metadata: Uint8Array;
}

export function indexEntryBytes(chunkMetadataLength: number): number {
  return ENTRY_HEADER_BYTES + chunkMetadataLength;
}

export function readIndexEntry(page: Uint8Array, entry: number, chunkMetadataLength: number): IndexEntry {
  const at = entry * indexEntryBytes(chunkMetadataLength);
  const view = new DataView(page.buffer, page.byteOffset + at, ENTRY_HEADER_BYTES);
  const offset = view.getBigInt64(0, true);
  return {
    offset: offset < 0n || offset > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(offset),
    length: view.getInt32(8, true),
    metadata: page.slice(at + ENTRY_HEADER_BYTES, at + ENTRY_HEADER_BYTES + chunkMetadataLength),
  };
}

export function writeIndexEntry(page: Uint8Array, entry: number, value: IndexEntry): void {
  const metadataLength = value.metadata.length;
  const at = entry * indexEntryBytes(metadataLength);
  const view = new DataView(page.buffer, page.byteOffset + at, ENTRY_HEADER_BYTES);
  view.setBigInt64(0, BigInt(value.offset), true);
  view.setInt32(8, value.length, true);
  view.setInt32(12, 0, true);
  page.set(value.metadata, at + ENTRY_HEADER_BYTES);
}

/** Rejects entries whose data would lie outside the file. */
export function checkIndexEntry(entry: IndexEntry, fileSize: number, what: string, path: string): void {
  if (entry.length < 0) throw new VdsFileError(path, `${what} has length ${entry.length}`);
  if (entry.length > 0 && (entry.offset < 32 || entry.offset + entry.length > fileSize)) {
    throw new VdsFileError(path, `${what} (${entry.length} bytes at offset ${entry.offset}) lies outside the ${fileSize}-byte file`);
  }
}
