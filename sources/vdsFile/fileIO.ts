// Positioned reads and writes on a file handle: a `.vds` is never loaded whole.
import type { FileHandle } from 'node:fs/promises';
import { StoreError, WriteError } from '../../src/model/errors.js';
import { VdsFileError } from './errors.js';

/** Fills `into` (or a new buffer of `into` bytes) from `offset`. */
export async function readAt(handle: FileHandle, offset: number, into: number | Uint8Array, what: string, path: string): Promise<Uint8Array> {
  const bytes = typeof into === 'number' ? new Uint8Array(into) : into;
  const length = bytes.length;
  let done = 0;
  while (done < length) {
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(bytes, done, length - done, offset + done));
    } catch (error) {
      throw new StoreError(`Cannot read ${what} from ${path}: ${(error as Error).message}`, -1, { cause: error });
    }
    if (bytesRead === 0) throw new VdsFileError(path, `${what} (${length} bytes at offset ${offset}) is cut off by the end of the file`);
    done += bytesRead;
  }
  return bytes;
}

export async function writeAt(handle: FileHandle, bytes: Uint8Array, offset: number, what: string, path: string): Promise<void> {
  let done = 0;
  try {
    while (done < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, offset + done);
      done += bytesWritten;
    }
  } catch (error) {
    throw new WriteError(`Cannot write ${what} to ${path}: ${(error as Error).message}`, -1, { cause: error });
  }
}
