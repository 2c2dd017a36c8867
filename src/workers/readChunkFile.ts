// A chunk object read by the pool worker that decodes it, from the local file a dataset named
// (DatasetStore.chunkFile): the bytes go from the file system's cache to the worker with no
// main-thread read, buffer or transfer. Synchronous, as the worker has nothing else to do
// meanwhile. A browser bundle gets readChunkFile.browser.ts, as no dataset names files there.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { FileExtent } from '../engine/datasetStore.js';

/** This worker's read buffer, kept while no reply takes it away. */
let spare: ArrayBuffer | undefined;

/**
 * The object's bytes in a buffer of this worker's, or undefined when the file cannot give all of
 * them (missing, shorter than the extent, unreadable): the caller then reads it the usual way, which
 * names the problem as every path does.
 */
export function readChunkFile({ path, offset, length }: FileExtent): Uint8Array | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = length ?? fstatSync(fd).size - offset;
    if (size < 0) return undefined;
    if (!spare || spare.byteLength < size) spare = new ArrayBuffer(size);
    const bytes = new Uint8Array(spare, 0, size);
    for (let done = 0; done < size;) {
      const read = readSync(fd, bytes, done, size - done, offset + done);
      if (read === 0) return undefined;
      done += read;
    }
    return bytes;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Hands the read buffer over (a reply moves it to the main thread): the next read takes a new one. */
export function releaseChunkFileBuffer(buffer: ArrayBufferLike): void {
  if (buffer === spare) spare = undefined;
}
