// zlib streams (RFC 1950) for the Zip codec, on Node's zlib. A browser bundle gets zlib.browser.ts
// instead (package.json "browser" maps this file to it), so the codec itself is the same everywhere.
import { constants, deflateSync, Inflate, inflateSync } from 'node:zlib';

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
 * Inflates a zlib stream into `out` (a buffer of the caller's, reused from chunk to chunk) and
 * returns the bytes written, or undefined where this runtime offers no way to do it (then call
 * inflateZlib). Throws on a corrupt or truncated stream, or on more output than `out` holds.
 *
 * Why: inflateSync allocates a fresh buffer for every chunk, and in a worker decoding chunk after
 * chunk those allocations (page faults, garbage) cost 15–25 % of the inflate itself. Node offers
 * no public inflate into a given buffer, so this drives the native handle its zlib streams use
 * (`_handle.writeSync`, `_writeState`), as lib/zlib.js does. That is internal API: it is checked
 * once against inflateSync on a stream of known content, and left unused if it is missing,
 * throws or differs.
 */
export function inflateZlibInto(stream: Uint8Array, out: Uint8Array): number | undefined {
  return handleInflate?.(stream, out);
}

/** The parts of Node's zlib stream object that inflateZlibInto drives. */
interface ZlibInternals {
  _handle: { writeSync(flush: number, input: Uint8Array, inOffset: number, inLength: number, out: Uint8Array, outOffset: number, outLength: number): void };
  _writeState: Uint32Array;
  /** Set by the handle's error callback during writeSync (a corrupt or truncated stream). */
  errored: Error | null;
  on(event: 'error', listener: () => void): void;
  close(): void;
}

const handleInflate = ((): ((stream: Uint8Array, out: Uint8Array) => number) | undefined => {
  const inflateInto = (stream: Uint8Array, out: Uint8Array): number => {
    const inflater = new Inflate() as unknown as ZlibInternals;
    // The stream also emits the error later: heard here, so it is not an unhandled 'error' event.
    inflater.on('error', () => undefined);
    try {
      inflater._handle.writeSync(constants.Z_FINISH, stream, 0, stream.byteLength, out, 0, out.byteLength);
      if (inflater.errored) throw inflater.errored;
      const [outLeft, inLeft] = inflater._writeState as unknown as [number, number];
      // Input left over means the output was full before the stream ended (or it was not one stream).
      if (inLeft !== 0) throw new Error(`the stream inflates to more than ${out.byteLength} bytes`);
      return out.byteLength - outLeft;
    } finally {
      inflater.close();
    }
  };
  try {
    const probe = Uint8Array.from({ length: 4099 }, (_, i) => (i * 7919) % 251);
    const out = new Uint8Array(probe.byteLength);
    const written = inflateInto(deflateSync(probe), out);
    return written === probe.byteLength && out.every((byte, i) => byte === probe[i]) ? inflateInto : undefined;
  } catch {
    return undefined;
  }
})();

/**
 * An asynchronous inflate, where the platform has one faster than `inflateZlib` (browsers: their
 * native DecompressionStream); none here, as nothing beats inflateSync in a worker thread.
 */
export const inflateZlibAsync: ((stream: Uint8Array, expected: number) => Promise<Uint8Array>) | undefined = undefined;

/** A zlib stream of `bytes` at compression level 6 (OpenVDS's). */
export function deflateZlib(bytes: Uint8Array): Uint8Array {
  return deflateSync(bytes, { level: 6 });
}
