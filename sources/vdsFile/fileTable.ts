// The file table (format sheet 6.1): one FileHeader plus a fixed-width name per file in the container.
import { VdsFileError } from './errors.js';
import { fileTableEntryBytes, readOffset } from './header.js';

/** Four ASCII characters read as a little-endian int32. */
function fourCC(text: string): number {
  return Buffer.from(text, 'latin1').readInt32LE(0);
}

export const FileType = {
  VDSLayer: fourCC('VDS '),
  JSONObject: fourCC('JSON'),
  HueObject: fourCC('OBJ '),
  Shape: fourCC('SHPE'),
  Property: fourCC('PROP'),
} as const;

export interface FileHeader {
  name: string;
  headPageDirectoryOffset: number;
  headChunkCount: number;
  headRevisionNumber: number;
  /** Chunks per index page. */
  indexPageEntryCount: number;
  fileType: number;
  chunkMetadataLength: number;
  fileMetadataLength: number;
}

/** OpenVDS refuses longer per-chunk or per-file metadata. */
export const MAX_METADATA_LENGTH = 1000;

export function decodeFileTable(bytes: Uint8Array, count: number, fileNameLength: number, path: string): FileHeader[] {
  const entryBytes = fileTableEntryBytes(fileNameLength);
  const files: FileHeader[] = [];
  for (let i = 0; i < count; i++) {
    const view = new DataView(bytes.buffer, bytes.byteOffset + i * entryBytes, entryBytes);
    const rawName = bytes.subarray(i * entryBytes + 32, (i + 1) * entryBytes);
    const end = rawName.indexOf(0);
    const name = Buffer.from(end === -1 ? rawName : rawName.subarray(0, end)).toString('utf8');
    const what = `file table entry ${i} ("${name}")`;
    const file: FileHeader = {
      name,
      headPageDirectoryOffset: readOffset(view, 0, `${what} page directory offset`, path),
      headChunkCount: view.getInt32(8, true),
      headRevisionNumber: view.getInt32(12, true),
      indexPageEntryCount: view.getInt32(16, true),
      fileType: view.getInt32(20, true),
      chunkMetadataLength: view.getInt32(24, true),
      fileMetadataLength: view.getInt32(28, true),
    };
    if (file.headChunkCount < 0) throw new VdsFileError(path, `${what} has chunk count ${file.headChunkCount}`);
    if (file.headRevisionNumber < 0) throw new VdsFileError(path, `${what} has revision number ${file.headRevisionNumber}`);
    if (file.indexPageEntryCount <= 0) throw new VdsFileError(path, `${what} has ${file.indexPageEntryCount} entries per index page`);
    for (const [field, value] of [['chunk metadata length', file.chunkMetadataLength], ['file metadata length', file.fileMetadataLength]] as const) {
      if (value < 0 || value > MAX_METADATA_LENGTH) throw new VdsFileError(path, `${what} has ${field} ${value}`);
    }
    files.push(file);
  }
  return files;
}

/** The table for `files`, with names padded to `fileNameLength` bytes. */
export function encodeFileTable(files: readonly FileHeader[], fileNameLength: number): Uint8Array {
  const entryBytes = fileTableEntryBytes(fileNameLength);
  const bytes = new Uint8Array(entryBytes * files.length);
  files.forEach((file, i) => {
    const view = new DataView(bytes.buffer, i * entryBytes, entryBytes);
    view.setBigInt64(0, BigInt(file.headPageDirectoryOffset), true);
    view.setInt32(8, file.headChunkCount, true);
    view.setInt32(12, file.headRevisionNumber, true);
    view.setInt32(16, file.indexPageEntryCount, true);
    view.setInt32(20, file.fileType, true);
    view.setInt32(24, file.chunkMetadataLength, true);
    view.setInt32(28, file.fileMetadataLength, true);
    bytes.set(Buffer.from(file.name, 'utf8'), i * entryBytes + 32);
  });
  return bytes;
}

/** Name bytes to reserve: the longest name, rounded up to a multiple of 8. */
export function fileNameLengthFor(files: readonly FileHeader[], current: number): number {
  const longest = files.reduce((n, f) => Math.max(n, Buffer.byteLength(f.name, 'utf8')), current);
  return (longest + 7) & ~7;
}
