// SEG-Y import throughput: a generated post-stack file (≥ 1 GiB by default) imported into a local
// folder dataset, in MB/s of SEG-Y read and with the peak resident memory, next to a plain
// sequential read of the same file in the same run.
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as vds from '../src/index.js';
import type { BenchRow } from './bench.js';
import { traceByteSize, writeGeneratedSegy } from '../spec/support/generatedSegy.js';

const MB = 1024 * 1024;
const samples = 1000;
const crosslines = Number(process.env.RXVDS_BENCH_SEGY_CROSSLINES ?? 500);
const inlines = Number(process.env.RXVDS_BENCH_SEGY_INLINES ?? 540);

/** The generated survey (spec/support/generatedSegy.ts), written once and kept while its size matches. */
export async function generate(path: string): Promise<void> {
  const survey = { inlines, crosslines, samples };
  const expected = 3600 + inlines * crosslines * traceByteSize(survey);
  if ((await stat(path).catch(() => undefined))?.size === expected) return;
  await mkdir(dirname(path), { recursive: true });
  await writeGeneratedSegy(path, survey);
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
