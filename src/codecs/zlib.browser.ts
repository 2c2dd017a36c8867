// zlib streams for the Zip codec in browsers (package.json "browser" maps zlib.ts here): fflate,
// the fastest of DecompressionStream, fflate and pako on Zip chunks in Chromium (bench/browserZip.ts),
// and synchronous, as codecs are. It checks what Node's zlib checks: the stream's Adler-32, and no
// output beyond the expected size.
import { unzlibSync, zlibSync } from 'fflate';
import type * as node from './zlib.js';

export function inflateZlib(stream: Uint8Array, expected: number): Uint8Array {
  // One byte of room beyond `expected`: fflate truncates to its output buffer silently.
  const inflated = unzlibSync(stream, { out: new Uint8Array(expected + 1) });
  if (inflated.byteLength > expected) throw new Error(`the stream inflates to more than ${expected} bytes`);
  const trailer = stream.byteLength - 4;
  const stored = trailer >= 2 ? ((stream[trailer]! << 24) | (stream[trailer + 1]! << 16) | (stream[trailer + 2]! << 8) | stream[trailer + 3]!) >>> 0 : -1;
  if (adler32(inflated) !== stored) throw new Error('incorrect data check');
  return inflated;
}

export function deflateZlib(bytes: Uint8Array): Uint8Array {
  return zlibSync(bytes, { level: 6 });
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

({ inflateZlib, deflateZlib }) satisfies typeof node;
