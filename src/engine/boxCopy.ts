// Copies an N-dimensional box between two dense arrays (dimension 0 fastest). Used to assemble
// request buffers from chunks and to copy margins between pages.

export interface DenseArray {
  bytes: Uint8Array;
  /** Elements along each dimension. */
  size: readonly number[];
}

/**
 * Copies `count` elements per dimension from `src` at `srcStart` to `dst` at `dstStart`.
 * `elementBytes` is the byte size of one element (format size × components).
 */
export function copyBox(
  src: DenseArray, srcStart: readonly number[], dst: DenseArray, dstStart: readonly number[],
  count: readonly number[], elementBytes: number,
): void {
  const dims = Math.max(src.size.length, dst.size.length, count.length);
  // Fold dimensions that are copied whole into the next one: longer contiguous runs.
  const sSize: number[] = [], dSize: number[] = [], sStart: number[] = [], dStart: number[] = [], n: number[] = [];
  for (let d = 0; d < dims; d++) {
    const ss = src.size[d] ?? 1, ds = dst.size[d] ?? 1, c = count[d] ?? 1;
    if (c <= 0) return;
    const s0 = srcStart[d] ?? 0, d0 = dstStart[d] ?? 0;
    if (s0 < 0 || d0 < 0 || s0 + c > ss || d0 + c > ds) {
      throw new RangeError(`Box copy out of bounds in dimension ${d}`);
    }
    const last = sSize.length - 1;
    if (last >= 0 && n[last] === sSize[last] && n[last] === dSize[last]) {
      sSize[last] *= ss; dSize[last] *= ds; n[last] *= c;
      sStart[last] += s0 * (sSize[last]! / ss); dStart[last] += d0 * (dSize[last]! / ds);
      continue;
    }
    sSize.push(ss); dSize.push(ds); sStart.push(s0); dStart.push(d0); n.push(c);
  }
  copyFolded(src.bytes, sSize, sStart, dst.bytes, dSize, dStart, n, elementBytes);
}

function copyFolded(
  src: Uint8Array, sSize: number[], sStart: number[], dst: Uint8Array, dSize: number[], dStart: number[],
  n: number[], eb: number,
): void {
  const dims = n.length;
  const sPitch: number[] = [], dPitch: number[] = [];
  let sp = eb, dp = eb;
  for (let d = 0; d < dims; d++) {
    sPitch.push(sp); dPitch.push(dp);
    sp *= sSize[d]!; dp *= dSize[d]!;
  }
  let sBase = 0, dBase = 0;
  for (let d = 0; d < dims; d++) {
    sBase += sStart[d]! * sPitch[d]!;
    dBase += dStart[d]! * dPitch[d]!;
  }
  const rowBytes = n[0]! * eb;
  const rows = n.slice(1).reduce((a, b) => a * b, 1);
  const word = wordSize(src, dst, eb, sPitch, dPitch, sBase, dBase);
  const sw = view(src, word), dw = view(dst, word);
  // Contiguous rows of many words copy fastest natively; shorter ones (a 64-sample brick row, a
  // time slice's single element) in a word loop, which allocates nothing.
  const contiguous = sPitch[0] === eb && dPitch[0] === eb;
  const native = contiguous && rowBytes >= 4096;
  const wordsPerElement = eb / word, stepS = sPitch[0]! / word, stepD = dPitch[0]! / word;
  const index = new Array<number>(dims).fill(0);
  let s = sBase, t = dBase;
  for (let r = 0; r < rows; r++) {
    if (native) {
      dst.set(src.subarray(s, s + rowBytes), t);
    } else if (contiguous) {
      const a = s / word, b = t / word, words = rowBytes / word;
      for (let k = 0; k < words; k++) dw[b + k] = sw[a + k]!;
    } else {
      let a = s / word, b = t / word;
      for (let e = 0; e < n[0]!; e++) {
        for (let k = 0; k < wordsPerElement; k++) dw[b + k] = sw[a + k]!;
        a += stepS; b += stepD;
      }
    }
    for (let d = 1; d < dims; d++) {
      if (++index[d]! < n[d]!) { s += sPitch[d]!; t += dPitch[d]!; break; }
      index[d] = 0;
      s -= (n[d]! - 1) * sPitch[d]!;
      t -= (n[d]! - 1) * dPitch[d]!;
    }
  }
}

function wordSize(src: Uint8Array, dst: Uint8Array, eb: number, sPitch: number[], dPitch: number[], sBase: number, dBase: number): 1 | 2 | 4 {
  for (const w of [4, 2] as const) {
    if (eb % w === 0 && (src.byteOffset + sBase) % w === 0 && (dst.byteOffset + dBase) % w === 0 &&
      sPitch.every((p) => p % w === 0) && dPitch.every((p) => p % w === 0)) return w;
  }
  return 1;
}

function view(bytes: Uint8Array, word: 1 | 2 | 4): Uint8Array | Uint16Array | Uint32Array {
  if (word === 1) return bytes;
  const length = Math.floor(bytes.byteLength / word);
  return word === 2 ? new Uint16Array(bytes.buffer, bytes.byteOffset, length) : new Uint32Array(bytes.buffer, bytes.byteOffset, length);
}

/** A dense bit array: `rowBits` bits per dimension-0 row (rows of chunks are byte aligned). */
export interface DenseBits {
  bytes: Uint8Array;
  size: readonly number[];
  rowBits: number;
}

/** `copyBox` for 1Bit data (LSB first): bit by bit, as 1Bit volumes are small and rare. */
export function copyBitBox(
  src: DenseBits, srcStart: readonly number[], dst: DenseBits, dstStart: readonly number[], count: readonly number[],
): void {
  const dims = Math.max(src.size.length, dst.size.length, count.length);
  const n = Array.from({ length: dims }, (_, d) => count[d] ?? 1);
  for (let d = 0; d < dims; d++) {
    if ((srcStart[d] ?? 0) + n[d]! > (src.size[d] ?? 1) || (dstStart[d] ?? 0) + n[d]! > (dst.size[d] ?? 1)) {
      throw new RangeError(`Bit box copy out of bounds in dimension ${d}`);
    }
  }
  const rowIndex = (size: readonly number[], start: readonly number[], index: number[]) => {
    let row = 0, pitch = 1;
    for (let d = 1; d < dims; d++) {
      row += ((start[d] ?? 0) + index[d]!) * pitch;
      pitch *= size[d] ?? 1;
    }
    return row;
  };
  const index = new Array<number>(dims).fill(0);
  const rows = n.slice(1).reduce((a, b) => a * b, 1);
  for (let r = 0; r < rows; r++) {
    const s = rowIndex(src.size, srcStart, index) * src.rowBits + (srcStart[0] ?? 0);
    const t = rowIndex(dst.size, dstStart, index) * dst.rowBits + (dstStart[0] ?? 0);
    for (let i = 0; i < n[0]!; i++) {
      const bit = (src.bytes[(s + i) >> 3]! >> ((s + i) & 7)) & 1;
      const at = (t + i) >> 3, mask = 1 << ((t + i) & 7);
      dst.bytes[at] = bit ? dst.bytes[at]! | mask : dst.bytes[at]! & ~mask;
    }
    for (let d = 1; d < dims; d++) {
      if (++index[d]! < n[d]!) break;
      index[d] = 0;
    }
  }
}
