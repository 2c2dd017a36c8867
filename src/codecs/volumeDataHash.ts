// VolumeDataHash (format sheet 3.7): the 64-bit chunk identity kept in chunk metadata. Special
// values say the chunk was never written, is all no-value, or is one constant (f32 bits below a
// 0x01010101 high word); any other value names one version of a non-constant chunk.
export const UNKNOWN_HASH = 0n;
export const NOVALUE_HASH = 0xFFFFFFFFFFFFFFFFn;
const CONSTANT_TAG = 0x01010101n;

/** False for UNKNOWN_HASH: the chunk was never written (OpenVDS's VolumeDataHash::IsDefined). */
export function isDefinedHash(hash: bigint): boolean {
  return hash !== UNKNOWN_HASH;
}

/** A constant other than no-value: the hash holds the f32 value (see constantHashValue). */
export function isConstantHash(hash: bigint): boolean {
  return hash >> 32n === CONSTANT_TAG;
}

export function isNoValueHash(hash: bigint): boolean {
  return hash === NOVALUE_HASH;
}

/** One value everywhere, no-value included, so no object is stored (OpenVDS's VolumeDataHash::IsConstant). */
export function isConstantOrNoValueHash(hash: bigint): boolean {
  return isNoValueHash(hash) || isConstantHash(hash);
}

/** The hash alone defines the chunk's data (never written, no-value or constant): there is no object to read. */
export function hashDefinesData(hash: bigint): boolean {
  return !isDefinedHash(hash) || isConstantOrNoValueHash(hash);
}

/** The hash of a chunk whose every voxel has the physical value `value` (rounded to f32). */
export function constantValueHash(value: number): bigint {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value, true);
  return (CONSTANT_TAG << 32n) | BigInt(view.getUint32(0, true));
}

/** The f32 constant of a constant hash. */
export function constantHashValue(hash: bigint): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, Number(hash & 0xFFFFFFFFn), true);
  return view.getFloat32(0, true);
}

/** A fresh random identity for a newly written non-constant chunk, never one of the special values. */
export function uniqueChunkHash(): bigint {
  const words = new BigUint64Array(1);
  for (;;) {
    // Web Crypto, not node:crypto: the same call works in Node 20 and in browsers.
    globalThis.crypto.getRandomValues(words);
    const hash = words[0]!;
    if (!hashDefinesData(hash)) return hash;
  }
}
