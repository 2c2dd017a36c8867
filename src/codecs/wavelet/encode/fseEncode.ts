// Finite-state entropy encoding (Collet's FSE, the zstd table format; format sheet 3.6.9) for the
// lossless residual planes: the exact counterpart of fse.ts. A block is the normalized-count table
// header, then a bit stream written forwards that the decoder reads backwards from its end mark,
// two interleaved states (the first state codes the even-indexed bytes).

const MIN_TABLE_LOG = 5;
const MAX_TABLE_LOG = 11;

const highBit = (v: number) => 31 - Math.clz32(v);

/** Little-endian bit writer, LSB first. */
class BitWriter {
  private bytes: Uint8Array;
  private length = 0;
  private acc = 0;
  private bits = 0;
  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(16, capacity));
  }
  add(value: number, n: number): void {
    this.acc |= (value & ((1 << n) - 1)) << this.bits;
    this.bits += n;
    while (this.bits >= 8) {
      if (this.length === this.bytes.length) this.grow();
      this.bytes[this.length++] = this.acc & 0xff;
      this.acc >>>= 8;
      this.bits -= 8;
    }
  }
  /** Flushes the partial byte (zero-padded). */
  finish(): Uint8Array {
    if (this.bits > 0) this.add(0, 8 - this.bits);
    return this.bytes.slice(0, this.length);
  }
  private grow(): void {
    const next = new Uint8Array(this.bytes.length * 2);
    next.set(this.bytes);
    this.bytes = next;
  }
}

/** Counts scaled to sum to 2^tableLog, every present symbol at least 1 (no "less than one" counts). */
function normalize(histogram: Uint32Array, total: number, tableLog: number): Int16Array {
  const size = 1 << tableLog;
  const norm = new Int16Array(256);
  let sum = 0, largest = 0;
  for (let s = 0; s < 256; s++) {
    const c = histogram[s]!;
    if (!c) continue;
    norm[s] = Math.max(1, Math.round((c * size) / total));
    sum += norm[s]!;
    if (norm[s]! > norm[largest]!) largest = s;
  }
  norm[largest]! += size - sum;
  // Rounding up many rare symbols can overdraw the largest one: take the excess from the biggest.
  while (norm[largest]! < 1) {
    let biggest = 0;
    for (let s = 0; s < 256; s++) if (s !== largest && norm[s]! > norm[biggest]!) biggest = s;
    norm[biggest]!--;
    norm[largest]!++;
  }
  return norm;
}

/** The table header as fse.ts's readNormalizedCounts reads it (FSE_writeNCount). */
function writeCounts(out: BitWriter, norm: Int16Array, tableLog: number): void {
  const size = 1 << tableLog;
  out.add(tableLog - MIN_TABLE_LOG, 4);
  let remaining = size + 1, threshold = size, nbBits = tableLog + 1;
  let symbol = 0, previousZero = false;
  while (remaining > 1) {
    if (previousZero) {
      let start = symbol;
      while (!norm[symbol]) symbol++;
      while (symbol >= start + 3) { out.add(3, 2); start += 3; }
      out.add(symbol - start, 2);
    }
    let count = norm[symbol++]!;
    const max = 2 * threshold - 1 - remaining;
    remaining -= Math.abs(count);
    count++;
    if (count >= threshold) count += max;
    out.add(count, count < max ? nbBits - 1 : nbBits);
    previousZero = count === 1;
    while (remaining < threshold) { nbBits--; threshold >>= 1; }
  }
}

interface EncodingTable {
  tableLog: number;
  /** Next state (size + cell) by cumulative slot. */
  stateTable: Uint16Array;
  deltaNbBits: Int32Array;
  deltaFindState: Int32Array;
}

function buildEncodingTable(norm: Int16Array, tableLog: number): EncodingTable {
  const size = 1 << tableLog, mask = size - 1;
  const step = (size >> 1) + (size >> 3) + 3;
  const symbolOf = new Uint8Array(size);
  let position = 0;
  for (let s = 0; s < 256; s++) {
    for (let i = 0; i < norm[s]!; i++) {
      symbolOf[position] = s;
      position = (position + step) & mask;
    }
  }
  const cumul = new Int32Array(257);
  for (let s = 0; s < 256; s++) cumul[s + 1] = cumul[s]! + norm[s]!;
  const next = cumul.slice(0, 256);
  const stateTable = new Uint16Array(size);
  for (let u = 0; u < size; u++) stateTable[next[symbolOf[u]!]!++] = size + u;
  const deltaNbBits = new Int32Array(256), deltaFindState = new Int32Array(256);
  for (let s = 0; s < 256; s++) {
    const count = norm[s]!;
    if (!count) continue;
    if (count === 1) {
      deltaNbBits[s] = (tableLog << 16) - size;
      deltaFindState[s] = cumul[s]! - 1;
    } else {
      const maxBitsOut = tableLog - highBit(count - 1);
      deltaNbBits[s] = (maxBitsOut << 16) - (count << maxBitsOut);
      deltaFindState[s] = cumul[s]! - count;
    }
  }
  return { tableLog, stateTable, deltaNbBits, deltaFindState };
}

/**
 * FSE block for `src` (at least 2 bytes, at least 2 distinct values), or null when it would not
 * be smaller than the raw bytes.
 */
export function fseEncode(src: Uint8Array): Uint8Array | null {
  const n = src.length;
  if (n < 2) return null;
  const histogram = new Uint32Array(256);
  for (let i = 0; i < n; i++) histogram[src[i]!]!++;
  let distinct = 0;
  for (let s = 0; s < 256; s++) if (histogram[s]) distinct++;
  if (distinct < 2) return null;
  const tableLog = Math.min(MAX_TABLE_LOG, Math.max(MIN_TABLE_LOG, highBit(n - 1) - 2, highBit(distinct - 1) + 2));
  const norm = normalize(histogram, n, tableLog);
  const table = buildEncodingTable(norm, tableLog);
  const { stateTable, deltaNbBits, deltaFindState } = table;

  const header = new BitWriter(512);
  writeCounts(header, norm, tableLog);
  const head = header.finish();

  const out = new BitWriter(n + 16);
  const initial = (symbol: number) => {
    const bits = (deltaNbBits[symbol]! + (1 << 15)) >> 16;
    const value = (bits << 16) - deltaNbBits[symbol]!;
    return stateTable[(value >> bits) + deltaFindState[symbol]!]!;
  };
  const encode = (state: number, symbol: number) => {
    const bits = (state + deltaNbBits[symbol]!) >> 16;
    out.add(state, bits);
    return stateTable[(state >> bits) + deltaFindState[symbol]!]!;
  };
  let i = n;
  let state1: number, state2: number;
  if (n & 1) {
    state1 = initial(src[--i]!);
    state2 = initial(src[--i]!);
    state1 = encode(state1, src[--i]!);
  } else {
    state2 = initial(src[--i]!);
    state1 = initial(src[--i]!);
  }
  while (i > 0) {
    state2 = encode(state2, src[--i]!);
    state1 = encode(state1, src[--i]!);
  }
  out.add(state2, tableLog);
  out.add(state1, tableLog);
  out.add(1, 1); // end mark
  const body = out.finish();
  // The decoder wants at least 4 bytes; the plane sizes 0, 1 and -1 mean something else anyway.
  if (head.length + body.length >= n || head.length + body.length < 4) return null;
  const block = new Uint8Array(head.length + body.length);
  block.set(head);
  block.set(body, head.length);
  return block;
}
