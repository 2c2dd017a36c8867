// A file's page directory (format sheet 6.1): the link to older revisions (unused here), the file
// metadata, then one int64 offset per index page (0 = page absent, all its chunks empty).
import { VdsFileError } from './errors.js';
import { readOffset } from './header.js';

const PREVIOUS_BYTES = 16;

export interface PageDirectory {
  fileMetadata: Uint8Array;
  indexPageOffsets: number[];
}

export function indexPageCount(chunkCount: number, indexPageEntryCount: number): number {
  return Math.ceil(chunkCount / indexPageEntryCount);
}

export function pageDirectoryBytes(fileMetadataLength: number, pageCount: number): number {
  return PREVIOUS_BYTES + fileMetadataLength + 8 * pageCount;
}

export function decodePageDirectory(bytes: Uint8Array, fileMetadataLength: number, pageCount: number, what: string, path: string): PageDirectory {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const indexPageOffsets: number[] = [];
  for (let page = 0; page < pageCount; page++) {
    indexPageOffsets.push(readOffset(view, PREVIOUS_BYTES + fileMetadataLength + 8 * page, `${what} index page ${page} offset`, path));
  }
  return { fileMetadata: bytes.slice(PREVIOUS_BYTES, PREVIOUS_BYTES + fileMetadataLength), indexPageOffsets };
}

/** A head revision with no history: the previous-revision link is all zeros, as OpenVDS writes it. */
export function encodePageDirectory(directory: PageDirectory): Uint8Array {
  const { fileMetadata, indexPageOffsets } = directory;
  const bytes = new Uint8Array(pageDirectoryBytes(fileMetadata.length, indexPageOffsets.length));
  bytes.set(fileMetadata, PREVIOUS_BYTES);
  const view = new DataView(bytes.buffer);
  indexPageOffsets.forEach((offset, page) => view.setBigInt64(PREVIOUS_BYTES + fileMetadata.length + 8 * page, BigInt(offset), true));
  return bytes;
}

export function checkExtent(offset: number, length: number, fileSize: number, what: string, path: string): void {
  if (offset < 32 || offset + length > fileSize) {
    throw new VdsFileError(path, `${what} (${length} bytes at offset ${offset}) lies outside the ${fileSize}-byte file`);
  }
}
