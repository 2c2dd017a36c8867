// zlib streams for the Zip codec in browsers (package.json "browser" maps zlib.ts here). Chunks
// inflate on the browser's native DecompressionStream('deflate'), which verifies the Adler-32 as
// Node's zlib does: twice as fast as fflate or pako in Chromium (bench/browserZip.ts), but
// asynchronous, so pool workers decode Zip through the codec's decodeAsync. The synchronous
// `inflateZlib` (a codec called directly) and deflate (writes) use fflate.
import { unzlibSync, zlibSync } from 'fflate';
import type * as node from './zlib.js';

export function inflateZlib(stream: Uint8Array, expected: number): Uint8Array {
  // One byte of room beyond `expected`: fflate truncates to its output buffer silently.
  const inflated = unzlibSync(stream, { out: new Uint8Array(expected + 1) });
  if (inflated.byteLength > expected) throw new Error(`the stream inflates to more than ${expected} bytes`);
  // fflate skips the stream's checksum: check it as zlib does.
  const trailer = stream.byteLength - 4;
  const stored = trailer >= 2 ? ((stream[trailer]! << 24) | (stream[trailer + 1]! << 16) | (stream[trailer + 2]! << 8) | stream[trailer + 3]!) >>> 0 : -1;
  if (adler32(inflated) !== stored) throw new Error('incorrect data check');
  return inflated;
}

/** Inflates into one buffer of the expected size as the pieces arrive; more output is an error, as in Node. */
export async function inflateZlibAsync(stream: Uint8Array, expected: number): Promise<Uint8Array> {
  const inflater = new DecompressionStream('deflate');
  const writer = inflater.writable.getWriter();
  // The writer's own promises reject with the reader's error, which is the one thrown below.
  writer.write(stream as Uint8Array<ArrayBuffer>).then(() => writer.close()).catch(() => undefined);
  const reader = inflater.readable.getReader();
  const out = new Uint8Array(expected);
  let at = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out.subarray(0, at);
    if (at + value.byteLength > expected) {
      void reader.cancel().catch(() => undefined);
      throw new Error(`the stream inflates to more than ${expected} bytes`);
    }
    out.set(value, at);
    at += value.byteLength;
  }
}

export function deflateZlib(bytes: Uint8Array): Uint8Array {
  return zlibSync(bytes, { level: 6 });
}

/** No inflate into a given buffer here (DecompressionStream makes its own): the caller uses inflateZlib. */
export function inflateZlibInto(_stream: Uint8Array, _out: Uint8Array): number | undefined {
  return undefined;
}

/** RFC 1950's checksum; sums are folded every 5552 bytes, the most that cannot overflow 32 bits. */
function adler32(bytes: Uint8Array): number {
  let a = 1, b = 0;
  for (let at = 0; at < bytes.length;) {
    const end = Math.min(at + 5552, bytes.length);
    for (; at < end; at++) { a += bytes[at]!; b += a; }
    a %= 65521; b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

({ inflateZlib, inflateZlibInto, inflateZlibAsync, deflateZlib }) satisfies typeof node;
