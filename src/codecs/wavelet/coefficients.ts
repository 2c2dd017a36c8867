// Builds the coefficient picture (format sheet 3.6.5 "DecodeAllBits" and 3.6.6): start values,
// then every multiple and single value reconstructed from its magnitude and sign bits.
import { AXIS_MASK, type BandStructure, lowPassBox, Y_SHIFT, Z_SHIFT } from './bandStructure.js';
import type { TreePassResult } from './adaptiveStream.js';

const f32 = Math.fround;
// Local copies: imported bindings are slower to read in hot loops.
const XMASK = AXIS_MASK, YSHIFT = Y_SHIFT, ZSHIFT = Z_SHIFT;

/** Writes the raw f32 start values: the low-pass block, then the coarsest detail nodes. */
export function writeStartValues(picture: Float32Array, view: DataView, offset: number, bands: BandStructure, coarsest: Int32Array): void {
  const { pitchY, pitchZ } = bands;
  const [bx, by, bz] = lowPassBox(bands);
  let read = offset;
  for (let z = 0; z < bz; z++) {
    for (let y = 0; y < by; y++) {
      for (let x = 0; x < bx; x++, read += 4) picture[x + y * pitchY + z * pitchZ] = view.getFloat32(read, true);
    }
  }
  for (let i = 0; i < coarsest.length; i++, read += 4) {
    const p = coarsest[i]!;
    picture[(p & XMASK) + ((p >> YSHIFT) & XMASK) * pitchY + ((p >> ZSHIFT) & XMASK) * pitchZ] = view.getFloat32(read, true);
  }
}

export interface ValueDecoding {
  chunk: Uint8Array;
  threshold: number;
  decodeBits: number;
  level: number;
  isInteger: boolean;
  /** Stream shape of 1.4/1.5 that needs "write only into empty cells". */
  preventOverwrite: boolean;
}

/**
 * Reconstructs all values of one kind, bit-plane by bit-plane from the decode level up (the order
 * OpenVDS adds the f32 thresholds in). A value's sign bit sits in the plane that created it.
 */
function decodeValues(d: ValueDecoding, offset: Int32Array, values: Int32Array, count: number): Float32Array {
  const { chunk, level, decodeBits } = d;
  const r = new Float32Array(count).fill(d.isInteger ? 0 : f32(d.threshold * 0.5));
  let threshold = f32(d.threshold * f32(2 ** level));
  for (let b = level; b <= decodeBits; b++) {
    const n = values[b]!, at = offset[b]!;
    const magnitudeBytes = (n + 7) >> 3;
    for (let i = 0; i < magnitudeBytes; i++) {
      for (let bits = chunk[at + i]!; bits; bits &= bits - 1) {
        const v = (i << 3) | (31 - Math.clz32(bits & -bits));
        if (v < n) r[v] = r[v]! + threshold;
      }
    }
    const older = values[b + 1]!, signAt = at + magnitudeBytes;
    const signBytes = (n - older + 7) >> 3;
    for (let i = 0; i < signBytes; i++) {
      for (let bits = chunk[signAt + i]!; bits; bits &= bits - 1) {
        const v = older + ((i << 3) | (31 - Math.clz32(bits & -bits)));
        if (v < n) r[v] = -r[v]!;
      }
    }
    threshold = f32(threshold * 2);
  }
  return r;
}

export function writeValues(picture: Float32Array, bands: BandStructure, tree: TreePassResult, d: ValueDecoding, allNormal: boolean): void {
  const { pitchY, pitchZ } = bands;
  const prevent = d.preventOverwrite;
  if (tree.multipleCount) {
    const M = tree.multiple;
    const value = decodeValues(d, tree.multiplePlanes.offset, tree.multiplePlanes.values, tree.multipleCount * M);
    const mask = allNormal ? (bands.iterations > 1 ? bands.masks[1]! : 0) : 7;
    const doubling = (mask & 1 ? XMASK : 0) | (mask & 2 ? XMASK << YSHIFT : 0) | (mask & 4 ? XMASK << ZSHIFT : 0);
    const displacement = new Int32Array(8);
    for (let c = 0, n = 0; c < 8; c++) if ((c & mask) === c) displacement[n++] = (c & 1) + ((c >> 1) & 1) * pitchY + ((c >> 2) & 1) * pitchZ;
    const positions = tree.multiplePositions;
    for (let g = 0; g < tree.multipleCount; g++) {
      let p = positions[g]!;
      if (allNormal) p += p & doubling;
      const base = (p & XMASK) + ((p >> YSHIFT) & XMASK) * pitchY + ((p >> ZSHIFT) & XMASK) * pitchZ;
      for (let c = 0, v = g * M; c < M; c++, v++) {
        const at = base + displacement[c]!;
        if (!prevent || picture[at] === 0) picture[at] = value[v]!;
      }
    }
  }
  if (tree.singleCount) {
    const value = decodeValues(d, tree.singlePlanes.offset, tree.singlePlanes.values, tree.singleCount);
    const positions = tree.singlePositions;
    for (let i = 0; i < tree.singleCount; i++) {
      const at = positions[i]!;
      if (!prevent || picture[at] === 0) picture[at] = value[i]!;
    }
  }
}
