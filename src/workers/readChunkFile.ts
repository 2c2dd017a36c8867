// A chunk object read by the pool worker that decodes it, from the local file a dataset named
// (DatasetStore.chunkFile): the bytes go from the file system's cache to the worker with no
// main-thread read, buffer or transfer. Synchronous, as the worker has nothing else to do
// meanwhile; the calling thread reads small uncompressed subsets the same way (deliverHere). A
// browser bundle gets readChunkFile.browser.ts, as no dataset names files there.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { FileExtent } from '../engine/datasetStore.js';
import type { PartToRead } from '../codecs/codec.js';

/** This thread's read buffer, kept while no reply takes it away. */
let spare: ArrayBuffer | undefined;

/**
 * The object's bytes in a buffer of this thread's, or undefined when the file cannot give all of
 * them (missing, shorter than the extent, unreadable): the caller then reads it the usual way, which
 * names the problem as every path does. With `part`, the buffer has the object's full length but
 * holds only the head and the span read; the other bytes are stale.
 */
export function readChunkFile({ path, offset, length }: FileExtent, part?: PartToRead): Uint8Array | undefined {
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
    const read = (start: number, end: number) => {
      for (let done = start; done < end;) {
        const count = readSync(fd, bytes, done, end - done, offset + done);
        if (count === 0) return false;
        done += count;
      }
      return true;
    };
    if (!part || size <= part.headBytes) return read(0, size) ? bytes : undefined;
    if (!read(0, part.headBytes)) return undefined;
    const span = part.spanOf(bytes.subarray(0, part.headBytes));
    const ok = span && span.start >= part.headBytes && span.end <= size ? read(span.start, span.end) : read(part.headBytes, size);
    return ok ? bytes : undefined;
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
