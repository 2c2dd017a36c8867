// SEG-Y import throughput: a generated post-stack file (≥ 1 GiB by default) imported into a local
// folder dataset, in MB/s of SEG-Y read and with the peak resident memory, next to a plain
// sequential read of the same file in the same run.
import { createReadStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as vds from '../src/index.js';
import type { BenchRow } from './bench.js';

const MB = 1024 * 1024;
const samples = 1000;
const crosslines = Number(process.env.RXVDS_BENCH_SEGY_CROSSLINES ?? 500);
const inlines = Number(process.env.RXVDS_BENCH_SEGY_INLINES ?? 540);

/** Writes a big-endian IEEE-float (format 5) SEG-Y file, inline sorted, trace by trace in batches. */
export async function generate(path: string): Promise<void> {
  const traceBytes = 240 + samples * 4;
  const expected = 3600 + inlines * crosslines * traceBytes;
  if ((await stat(path).catch(() => undefined))?.size === expected) return;
  await mkdir(dirname(path), { recursive: true });
  const file = await open(path, 'w');
  try {
    const head = Buffer.alloc(3600, 0x40);  // EBCDIC spaces
    head.fill(0, 3200);
    head.writeInt16BE(4000, 3216);          // sample interval, µs
    head.writeInt16BE(samples, 3220);
    head.writeInt16BE(5, 3224);             // IEEE float
    await file.write(head, 0, head.length, 0);
    let position = 3600;
    for (let il = 0; il < inlines; il++) {
      const batch = Buffer.alloc(crosslines * traceBytes);
      for (let xl = 0; xl < crosslines; xl++) {
        const at = xl * traceBytes;
        batch.writeInt32BE(il * crosslines + xl + 1, at);
        batch.writeInt16BE(-100, at + 70);
        batch.writeInt32BE(100 * (1000 + 25 * xl), at + 180);
        batch.writeInt32BE(100 * (5000 + 25 * il), at + 184);
        batch.writeInt32BE(1000 + il, at + 188);
        batch.writeInt32BE(2000 + xl, at + 192);
        batch.writeInt16BE(samples, at + 114);
        batch.writeInt16BE(4000, at + 116);
        for (let s = 0; s < samples; s++) batch.writeFloatBE(Math.sin(s * 0.05 + il * 0.01) * Math.cos(xl * 0.02), at + 240 + s * 4);
      }
      await file.write(batch, 0, batch.length, position);
      position += batch.length;
    }
  } finally {
    await file.close();
  }
}

async function sequentialReadMs(path: string): Promise<number> {
  const start = performance.now();
  await new Promise<void>((ok, fail) => {
    const stream = createReadStream(path, { highWaterMark: 8 * MB });
    stream.on('data', () => undefined).on('end', ok).on('error', fail);
  });
  return performance.now() - start;
}

/** The generated file, shared with the distributed import's bench. */
export const GENERATED_SEGY = resolve('bench-out', 'generated.sgy');

export default async function segyBench(): Promise<BenchRow[]> {
  const input = GENERATED_SEGY;
  const output = resolve('bench-out', 'generated-import');
  await generate(input);
  const bytes = (await stat(input)).size;
  const readMs = await sequentialReadMs(input);
  await rm(output, { recursive: true, force: true });
  let peak = 0;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const start = performance.now();
  await vds.segy.importSegy(input, output, { compressionMethod: vds.CompressionMethod.Zip });
  const importMs = performance.now() - start;
  clearInterval(sampler);
  await rm(output, { recursive: true, force: true });
  return [{
    name: `import-segy ${(bytes / MB / 1024).toFixed(2)} GiB (${inlines}×${crosslines}×${samples}) → Zip folder`,
    value: bytes / MB / (importMs / 1000), unit: 'MB/s',
    baseline: { name: 'sequential read of the file', value: bytes / MB / (readMs / 1000) },
    notes: `peak RSS ${(peak / MB).toFixed(0)} MB, LODs as SEGYImport (4)`,
  }];
}
