// Box copy (a decoded chunk's share of a request, into a shared request buffer) next to one plain
// `TypedArray.set` of the same bytes, in the same run. The sweep over row lengths, each copied
// with both row strategies, is where `NATIVE_ROW_BYTES` in src/engine/boxCopy.ts comes from.
import { copyBox, type RowCopy } from '../src/engine/boxCopy.js';
import { type BenchRow, median } from './bench.js';

const MB = 1024 * 1024;
const CHUNK_BYTES = MB;
const ROUNDS = Number(process.env.RXVDS_BENCH_REPEAT ?? 15);

interface Case {
  name: string;
  /** Chunk shape in elements (dimension 0 fastest) and element bytes. */
  chunk: number[];
  elementBytes: number;
  /** Output shape; the chunk lands at the origin. */
  out: number[];
  rowCopy?: RowCopy;
}

/** Best-of-5 of a few copies, repeated: the fastest times are the least disturbed by other load. */
function rate(copy: () => void, bytes: number): number {
  for (let i = 0; i < 5; i++) copy();
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let best = Infinity;
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      copy();
      best = Math.min(best, performance.now() - start);
    }
    times.push(best);
  }
  return bytes / MB / (median(times) / 1000);
}

function measure({ name, chunk, elementBytes, out, rowCopy }: Case): BenchRow {
  const src = new Uint8Array(chunk.reduce((a, b) => a * b, elementBytes)).map((_, i) => i * 7);
  const dst = new Uint8Array(new SharedArrayBuffer(out.reduce((a, b) => a * b, elementBytes)));
  const plain = new Uint8Array(new SharedArrayBuffer(src.byteLength));
  const origin = chunk.map(() => 0);
  const value = rate(() => copyBox({ bytes: src, size: chunk }, origin, { bytes: dst, size: out }, origin, chunk, elementBytes, rowCopy), src.byteLength);
  const baseline = rate(() => plain.set(src), src.byteLength);
  return { name, value, unit: 'MB/s', baseline: { name: 'one TypedArray.set of the same bytes', value: baseline },
    notes: `${(src.byteLength / MB).toFixed(2)} MB chunk, rows of ${chunk[0]! * elementBytes} bytes, median of ${ROUNDS} best-of-5` };
}

/** A 1 MB chunk whose rows are `rowBytes` long, into an output 8 rows wider (rows cannot merge). */
function sweepCase(rowBytes: number, elementBytes: number, rowCopy: RowCopy): Case {
  const x = rowBytes / elementBytes, y = 64, z = Math.max(1, Math.floor(CHUNK_BYTES / rowBytes / y));
  return { name: `rows of ${rowBytes} B (${elementBytes}-byte elements), ${rowCopy}`, chunk: [x, y, z], elementBytes, out: [x * 8, y, z], rowCopy };
}

export default async function copyBench(): Promise<BenchRow[]> {
  const cases: Case[] = [
    { name: '64³ R32 brick into a 512-wide request', chunk: [64, 64, 64], elementBytes: 4, out: [512, 64, 64] },
    { name: '64³ U8 brick into a 512-wide request', chunk: [64, 64, 64], elementBytes: 1, out: [512, 64, 64] },
    { name: '64³ R32 brick into a 64-wide request (rows merge)', chunk: [64, 64, 64], elementBytes: 4, out: [64, 512, 64] },
    { name: '64³ R32 brick into a 64×64 request (planes merge)', chunk: [64, 64, 64], elementBytes: 4, out: [64, 64, 512] },
  ];
  // Row lengths around the crossover for each word the loop can use: 4-byte words, and odd rows of
  // 2-byte and 1-byte elements, which only 2-byte words or bytes divide.
  const sweep: [number[], number][] = [[[64, 128, 192, 256, 384, 512], 4], [[62, 126, 190, 254], 2], [[31, 63, 95, 127, 255], 1]];
  for (const [lengths, elementBytes] of sweep) {
    for (const rowBytes of lengths) {
      for (const rowCopy of ['words', 'native'] as const) cases.push(sweepCase(rowBytes, elementBytes, rowCopy));
    }
  }
  return cases.map(measure);
}
