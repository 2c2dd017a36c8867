// VolumeDataHash (format sheet 3.7): the 64-bit chunk identity kept in chunk metadata. Special
// values say the chunk was never written, is all no-value, or is one constant (f32 bits below a
// 0x01010101 high word); any other value names one version of a non-constant chunk.
import { randomFillSync } from 'node:crypto';

export const UNKNOWN_HASH = 0n;
export const NOVALUE_HASH = 0xFFFFFFFFFFFFFFFFn;
const CONSTANT_TAG = 0x01010101n;

export function isConstantHash(hash: bigint): boolean {
  return hash >> 32n === CONSTANT_TAG;
}

export function isNoValueHash(hash: bigint): boolean {
  return hash === NOVALUE_HASH;
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
    randomFillSync(words);
    const hash = words[0]!;
    if (hash !== UNKNOWN_HASH && hash !== NOVALUE_HASH && !isConstantHash(hash)) return hash;
  }
}
