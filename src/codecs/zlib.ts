// zlib streams (RFC 1950) for the Zip codec, on Node's zlib. A browser bundle gets zlib.browser.ts
// instead (package.json "browser" maps this file to it), so the codec itself is the same everywhere.
import { deflateSync, inflateSync } from 'node:zlib';

/**
 * Inflates a zlib stream that must hold exactly `expected` bytes; throws on a corrupt stream or
 * on more output (so a corrupt stream cannot allocate more). The result may hold fewer bytes.
 */
export function inflateZlib(stream: Uint8Array, expected: number): Uint8Array {
  // One output chunk of the known size: no concatenation, and the result owns its buffer.
  const inflated = inflateSync(stream, { chunkSize: Math.max(64, expected), maxOutputLength: Math.max(1, expected) });
  return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
}

/**
 * An asynchronous inflate, where the platform has one faster than `inflateZlib` (browsers: their
 * native DecompressionStream); none here, as nothing beats inflateSync in a worker thread.
 */
export const inflateZlibAsync: ((stream: Uint8Array, expected: number) => Promise<Uint8Array>) | undefined = undefined;

/** A zlib stream of `bytes` at compression level 6 (OpenVDS's). */
export function deflateZlib(bytes: Uint8Array): Uint8Array {
  return deflateSync(bytes, { level: 6 });
}
