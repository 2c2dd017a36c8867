// Finite-state entropy decoding (Collet's FSE, the zstd table format) as used by the zero-run
// counts and the lossless residual planes (format sheet 3.6.9). Decodes a known number of bytes.
import { waveletError } from './streamError.js';

const MAX_TABLE_LOG = 12;
const MIN_TABLE_LOG = 5;
const ABSOLUTE_MAX_TABLE_LOG = 15;
const MAX_SYMBOL = 255;

interface DecodingTable {
  tableLog: number;
  symbol: Uint8Array;
  nbBits: Uint8Array;
  newState: Uint16Array;
}

interface NormalizedCounts {
  counts: Int16Array;
  maxSymbol: number;
  tableLog: number;
  headerBytes: number;
}

/** Little-endian bit reader over the table header, LSB first; bits past the end read as zero. */
function readNormalizedCounts(src: Uint8Array): NormalizedCounts {
  if (src.length < 4) throw waveletError(`FSE block of ${src.length} bytes is too short for its table header`);
  let bitPos = 0;
  const peek = (): number => {
    const byte = bitPos >> 3;
    const word = (src[byte] ?? 0) | ((src[byte + 1] ?? 0) << 8) | ((src[byte + 2] ?? 0) << 16) | ((src[byte + 3] ?? 0) << 24);
    return word >>> (bitPos & 7);
  };
  const tableLog = (peek() & 0xf) + MIN_TABLE_LOG;
  if (tableLog > ABSOLUTE_MAX_TABLE_LOG) throw waveletError(`FSE table log ${tableLog} too large`);
  bitPos = 4;
  const counts = new Int16Array(MAX_SYMBOL + 1);
  let remaining = (1 << tableLog) + 1;
  let threshold = 1 << tableLog;
  let nbBits = tableLog + 1;
  let symbol = 0;
  let previousZero = false;
  while (remaining > 1 && symbol <= MAX_SYMBOL) {
    if (previousZero) {
      let end = symbol;
      for (let repeat = peek() & 3; ; repeat = peek() & 3) {
        bitPos += 2;
        end += repeat;
        if (end > MAX_SYMBOL) throw waveletError('FSE table header repeats zero counts past symbol 255');
        if (repeat !== 3) break;
      }
      symbol = end;
    }
    const max = 2 * threshold - 1 - remaining;
    const bits = peek();
    let count: number;
    if ((bits & (threshold - 1)) < max) {
      count = bits & (threshold - 1);
      bitPos += nbBits - 1;
    } else {
      count = bits & (2 * threshold - 1);
      if (count >= threshold) count -= max;
      bitPos += nbBits;
    }
    count--;
    remaining -= Math.abs(count);
    if (remaining < 1) throw waveletError('FSE table header counts exceed the table size');
    counts[symbol++] = count;
    previousZero = count === 0;
    while (remaining < threshold) {
      nbBits--;
      threshold >>= 1;
    }
  }
  if (remaining !== 1) throw waveletError('FSE table header counts do not fill the table');
  const headerBytes = (bitPos + 7) >> 3;
  if (headerBytes > src.length) throw waveletError('FSE table header runs past its block');
  return { counts, maxSymbol: symbol - 1, tableLog, headerBytes };
}

function buildDecodingTable({ counts, maxSymbol, tableLog }: NormalizedCounts): DecodingTable {
  if (tableLog > MAX_TABLE_LOG) throw waveletError(`FSE table log ${tableLog} exceeds ${MAX_TABLE_LOG}`);
  const size = 1 << tableLog;
  const mask = size - 1;
  const symbolOf = new Uint8Array(size);
  const next = new Uint16Array(MAX_SYMBOL + 1);
  let high = size - 1;
  for (let s = 0; s <= maxSymbol; s++) {
    if (counts[s] === -1) {
      symbolOf[high--] = s;
      next[s] = 1;
    } else {
      next[s] = counts[s]!;
    }
  }
  // Spread the regular symbols; the step is odd, so every cell below `high` is visited once.
  const step = (size >> 1) + (size >> 3) + 3;
  let position = 0;
  for (let s = 0; s <= maxSymbol; s++) {
    for (let i = 0; i < counts[s]!; i++) {
      symbolOf[position] = s;
      do position = (position + step) & mask; while (position > high);
    }
  }
  if (position !== 0) throw waveletError('FSE normalized counts do not spread over the table');
  const nbBits = new Uint8Array(size);
  const newState = new Uint16Array(size);
  for (let u = 0; u < size; u++) {
    const state = next[symbolOf[u]!]!++;
    const bits = tableLog - (31 - Math.clz32(state));
    nbBits[u] = bits;
    newState[u] = (state << bits) - size;
  }
  return { tableLog, symbol: symbolOf, nbBits, newState };
}

/**
 * Decodes `src` (table header + backward bit stream) into exactly `out.length` bytes. The bit
 * stream must be consumed exactly when the last two symbols are due: their state updates are
 * the only reads allowed to run past its start.
 */
export function fseDecode(src: Uint8Array, out: Uint8Array): void {
  const symbolCount = out.length;
  if (symbolCount < 2) throw waveletError(`FSE stream for ${symbolCount} symbols`);
  const header = readNormalizedCounts(src);
  if (header.headerBytes >= src.length) throw waveletError('FSE block has no bit stream after its table header');
  const table = buildDecodingTable(header);
  const streamLength = src.length - header.headerBytes;
  const last = src[src.length - 1]!;
  if (last === 0) throw waveletError('FSE bit stream has no end mark');
  // Two bytes of zero padding let every read fetch three bytes without bounds checks.
  const bytes = new Uint8Array(streamLength + 2);
  bytes.set(src.subarray(header.headerBytes));
  let bitPos = (streamLength - 1) * 8 + (31 - Math.clz32(last));
  const read = (n: number): number => {
    const low = bitPos - n;
    bitPos = low;
    if (low >= 0) {
      const byte = low >> 3;
      return ((bytes[byte]! | (bytes[byte + 1]! << 8) | (bytes[byte + 2]! << 16)) >>> (low & 7)) & ((1 << n) - 1);
    }
    const have = n + low;
    return have <= 0 ? 0 : ((bytes[0]! & ((1 << have) - 1)) << -low);
  };
  const { tableLog, symbol, nbBits, newState } = table;
  if (bitPos < 2 * tableLog) throw waveletError('FSE bit stream is shorter than its initial states');
  let state1 = read(tableLog);
  let state2 = read(tableLog);
  const checkAt = symbolCount - 2;
  // Fast loop, two symbols (one per state) per round, while every read stays inside the stream;
  // the tail goes through `read`.
  let i = 0;
  for (; i + 1 < checkAt; i += 2) {
    const n1 = nbBits[state1]!, n2 = nbBits[state2]!;
    const low2 = bitPos - n1 - n2;
    if (low2 < 0) break;
    const low1 = bitPos - n1;
    const byte1 = low1 >> 3, byte2 = low2 >> 3;
    out[i] = symbol[state1]!;
    out[i + 1] = symbol[state2]!;
    state1 = newState[state1]! + (((bytes[byte1]! | (bytes[byte1 + 1]! << 8) | (bytes[byte1 + 2]! << 16)) >>> (low1 & 7)) & ((1 << n1) - 1));
    state2 = newState[state2]! + (((bytes[byte2]! | (bytes[byte2 + 1]! << 8) | (bytes[byte2 + 2]! << 16)) >>> (low2 & 7)) & ((1 << n2) - 1));
    bitPos = low2;
  }
  for (; i < symbolCount; i++) {
    if (i === checkAt && bitPos !== 0) throw waveletError(`FSE bit stream does not decode to ${symbolCount} symbols`);
    if (i & 1) {
      out[i] = symbol[state2]!;
      state2 = newState[state2]! + read(nbBits[state2]!);
    } else {
      out[i] = symbol[state1]!;
      state1 = newState[state1]! + read(nbBits[state1]!);
    }
  }
}
