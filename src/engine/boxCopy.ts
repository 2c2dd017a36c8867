// Copies an N-dimensional box between two dense arrays (dimension 0 fastest). Used to assemble
// request buffers from chunks and to copy margins between pages.
import { InvalidArgumentError } from '../model/errors.js';

export interface DenseArray {
  bytes: Uint8Array;
  /** Elements along each dimension. */
  size: readonly number[];
}

/**
 * How each contiguous row is copied: `native` with `TypedArray.set` (a memmove, but a call and a
 * subarray per row), `words` in an unrolled loop over the widest aligned word (nothing allocated):
 * 8 bytes where Float64Array elements copy bit for bit (DOUBLE_WORDS), else at most 4.
 */
export type RowCopy = 'native' | 'words';

/**
 * Shortest row, in bytes, that `TypedArray.set` copies faster than the word loop, by word size.
 * Measured on the 2-core bench machine with `npm run bench -- copy`: the unrolled 4-byte loop
 * runs at about 4 GB/s at any length, `set` pays ~60 ns per row and overtakes it near 320 bytes;
 * the 8-byte loop runs about 1.8 times as fast, so a 64-sample R32 brick row (256 bytes) stays in
 * a loop either way; byte and 2-byte loops are slower.
 */
const NATIVE_ROW_BYTES: Record<Word, number> = { 1: 64, 2: 128, 4: 320, 8: 1024 };

type Word = 1 | 2 | 4 | 8;

/**
 * Copies `count` elements per dimension from `src` at `srcStart` to `dst` at `dstStart`.
 * `elementBytes` is the byte size of one element (format size × components). `rowCopy` forces a
 * row strategy (for the bench that measures the crossover); by default the row length picks it.
 */
export function copyBox(
  src: DenseArray, srcStart: readonly number[], dst: DenseArray, dstStart: readonly number[],
  count: readonly number[], elementBytes: number, rowCopy?: RowCopy,
): void {
  const dims = Math.max(src.size.length, dst.size.length, count.length);
  // Fold dimensions that are copied whole into the next one: a box spanning whole rows of both
  // arrays copies as one run per plane, whole planes as one run per volume.
  const sSize: number[] = [], dSize: number[] = [], sStart: number[] = [], dStart: number[] = [], n: number[] = [];
  for (let d = 0; d < dims; d++) {
    const ss = src.size[d] ?? 1, ds = dst.size[d] ?? 1, c = count[d] ?? 1;
    if (c <= 0) return;
    const s0 = srcStart[d] ?? 0, d0 = dstStart[d] ?? 0;
    if (s0 < 0 || d0 < 0 || s0 + c > ss || d0 + c > ds) {
      throw new InvalidArgumentError(`Box copy out of bounds in dimension ${d}`);
    }
    const last = sSize.length - 1;
    if (last >= 0 && n[last] === sSize[last] && n[last] === dSize[last]) {
      sSize[last] *= ss; dSize[last] *= ds; n[last] *= c;
      sStart[last] += s0 * (sSize[last]! / ss); dStart[last] += d0 * (dSize[last]! / ds);
      continue;
    }
    sSize.push(ss); dSize.push(ds); sStart.push(s0); dStart.push(d0); n.push(c);
  }
  copyFolded(src.bytes, sSize, sStart, dst.bytes, dSize, dStart, n, elementBytes, rowCopy);
}

/** Copies rows of `n[0]` elements (contiguous in both arrays) over the remaining dimensions. */
function copyFolded(
  src: Uint8Array, sSize: number[], sStart: number[], dst: Uint8Array, dSize: number[], dStart: number[],
  n: number[], eb: number, rowCopy: RowCopy | undefined,
): void {
  const dims = n.length;
  const sPitch: number[] = [], dPitch: number[] = [];
  let sp = eb, dp = eb;
  for (let d = 0; d < dims; d++) {
    sPitch.push(sp); dPitch.push(dp);
    sp *= sSize[d]!; dp *= dSize[d]!;
  }
  // Byte positions from the start of each ArrayBuffer: word views span whole buffers, so a run
  // may be word aligned even where the Uint8Array's own start is not.
  let s = src.byteOffset, t = dst.byteOffset;
  for (let d = 0; d < dims; d++) {
    s += sStart[d]! * sPitch[d]!;
    t += dStart[d]! * dPitch[d]!;
  }
  const rowBytes = n[0]! * eb;
  const word = wordSize(rowBytes, sPitch, dPitch, s, t);
  const native = (rowCopy ?? (rowBytes >= NATIVE_ROW_BYTES[word] ? 'native' : 'words')) === 'native';
  const unit = native ? 1 : word;
  const sw = view(src.buffer, unit), dw = view(dst.buffer, unit);
  // Dimension 1 runs inside one call, so choosing the strategy costs once per plane, not per row.
  const rows = n[1] ?? 1, sRow = sPitch[1] ?? 0, dRow = dPitch[1] ?? 0;
  const planes = n.slice(2).reduce((a, b) => a * b, 1);
  const index = new Array<number>(dims).fill(0);
  for (let p = 0; p < planes; p++) {
    if (native) copyRowsNative(sw as Uint8Array, s, sRow, dw as Uint8Array, t, dRow, rowBytes, rows);
    else if (word === 8) copyRowsDoubles(sw as Float64Array, s / 8, sRow / 8, dw as Float64Array, t / 8, dRow / 8, rowBytes / 8, rows);
    else if (word === 4) copyRowsWords(sw as Uint32Array, s / 4, sRow / 4, dw as Uint32Array, t / 4, dRow / 4, rowBytes / 4, rows);
    else copyRowsNarrow(sw as Uint8Array | Uint16Array, s / word, sRow / word, dw as Uint8Array | Uint16Array, t / word, dRow / word, rowBytes / word, rows);
    for (let d = 2; d < dims; d++) {
      if (++index[d]! < n[d]!) { s += sPitch[d]!; t += dPitch[d]!; break; }
      index[d] = 0;
      s -= (n[d]! - 1) * sPitch[d]!;
      t -= (n[d]! - 1) * dPitch[d]!;
    }
  }
}

function copyRowsNative(src: Uint8Array, s: number, sRow: number, dst: Uint8Array, t: number, dRow: number, rowBytes: number, rows: number): void {
  for (let r = 0; r < rows; r++, s += sRow, t += dRow) dst.set(src.subarray(s, s + rowBytes), t);
}

/** Rows of 4-byte words, 8 words per step: the common case (R32, U32, R64), kept monomorphic. */
function copyRowsWords(src: Uint32Array, s: number, sRow: number, dst: Uint32Array, t: number, dRow: number, words: number, rows: number): void {
  const unrolled = words & ~7;
  for (let r = 0; r < rows; r++, s += sRow, t += dRow) {
    let a = s, b = t;
    for (const end = s + unrolled; a < end; a += 8, b += 8) {
      dst[b] = src[a]!; dst[b + 1] = src[a + 1]!; dst[b + 2] = src[a + 2]!; dst[b + 3] = src[a + 3]!;
      dst[b + 4] = src[a + 4]!; dst[b + 5] = src[a + 5]!; dst[b + 6] = src[a + 6]!; dst[b + 7] = src[a + 7]!;
    }
    for (const end = s + words; a < end; a++, b++) dst[b] = src[a]!;
  }
}

/**
 * Rows of 8-byte words as doubles, 4 per step: the bits move unchanged where DOUBLE_WORDS holds
 * (V8 loads and stores a Float64Array element without touching it; engines that box values by NaN
 * tagging canonicalise NaNs on the way).
 */
function copyRowsDoubles(src: Float64Array, s: number, sRow: number, dst: Float64Array, t: number, dRow: number, words: number, rows: number): void {
  const unrolled = words & ~3;
  for (let r = 0; r < rows; r++, s += sRow, t += dRow) {
    let a = s, b = t;
    for (const end = s + unrolled; a < end; a += 4, b += 4) {
      dst[b] = src[a]!; dst[b + 1] = src[a + 1]!; dst[b + 2] = src[a + 2]!; dst[b + 3] = src[a + 3]!;
    }
    for (const end = s + words; a < end; a++, b++) dst[b] = src[a]!;
  }
}

/**
 * Whether copyRowsDoubles keeps every bit on this engine: tried once on NaNs with payloads (a
 * signalling one, V8's hole pattern, a negative quiet one), the words a canonicalising engine changes.
 */
const DOUBLE_WORDS = ((): boolean => {
  const words = new Uint32Array([0x00000001, 0x7ff00000, 0xfff7ffff, 0xfff7ffff, 0x00000001, 0xfff80000]);
  const copied = new Uint32Array(words.length);
  copyRowsDoubles(new Float64Array(words.buffer), 0, 0, new Float64Array(copied.buffer), 0, 0, words.length / 2, 1);
  return copied.every((word, i) => word === words[i]);
})();

/** Rows of bytes or 2-byte words (U8, U16, unaligned data): short rows, a plain loop. */
function copyRowsNarrow(src: Uint8Array | Uint16Array, s: number, sRow: number, dst: Uint8Array | Uint16Array,
  t: number, dRow: number, words: number, rows: number): void {
  for (let r = 0; r < rows; r++, s += sRow, t += dRow) {
    for (let k = 0; k < words; k++) dst[t + k] = src[s + k]!;
  }
}

/** The widest word that divides the rows and every start and pitch in bytes (rows are runs of bytes). */
function wordSize(rowBytes: number, sPitch: number[], dPitch: number[], s: number, t: number): Word {
  for (const w of DOUBLE_WORDS ? [8, 4, 2] as const : [4, 2] as const) {
    if (rowBytes % w === 0 && s % w === 0 && t % w === 0 &&
      sPitch.every((p, d) => d === 0 || p % w === 0) && dPitch.every((p, d) => d === 0 || p % w === 0)) return w;
  }
  return 1;
}

/** A view of a whole buffer (bounds were checked against the caller's arrays). */
function view(buffer: ArrayBufferLike, word: Word): Uint8Array | Uint16Array | Uint32Array | Float64Array {
  const length = Math.floor(buffer.byteLength / word);
  return word === 1 ? new Uint8Array(buffer, 0, length) : word === 2 ? new Uint16Array(buffer, 0, length)
    : word === 4 ? new Uint32Array(buffer, 0, length) : new Float64Array(buffer, 0, length);
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
      throw new InvalidArgumentError(`Bit box copy out of bounds in dimension ${d}`);
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
