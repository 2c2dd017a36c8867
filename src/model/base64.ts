// Base64 (RFC 4648, padded) with the web platform's atob/btoa rather than Node's Buffer, so the
// model runs in browsers too. Metadata blobs in the layout JSON and `vdschunkmetadata` headers use it.

const PADDED_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Bytes per String.fromCharCode call: far below any engine's argument-count limit. */
const CHARS_PER_CALL = 0x8000;

export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let at = 0; at < bytes.length; at += CHARS_PER_CALL) {
    binary += String.fromCharCode(...bytes.subarray(at, at + CHARS_PER_CALL));
  }
  return btoa(binary);
}

/** The bytes `text` encodes, or undefined when it is not padded Base64 (no whitespace, no URL alphabet). */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!PADDED_BASE64.test(text) || text.length % 4 !== 0) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
