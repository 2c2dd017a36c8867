// Distributed SEG-Y import: the generated ≥ 1 GiB file of the segy bench imported by 1, 2 and 4
// worker processes (`rxvds worker` on a throwaway redis-server), next to the single-process import
// of the same file with the same options in the same run. On a machine of few cores the workers
// share them, so the speed-up is capped; what the rows show is the per-worker overhead (queue,
// records, publication) and the coordinator's cost (the plan: scan and geometry; the publication).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as vds from '../src/index.js';
import { planSegyImport } from '../src/segy/importParts.js';
import { startRedis } from '../spec/support/redis.js';
import type { BenchRow } from './bench.js';
import { generate, GENERATED_SEGY } from './segy.js';

const MB = 1024 * 1024;
const WORKER_COUNTS = (process.env.RXVDS_BENCH_DISTRIBUTED_WORKERS ?? '1,2,4').split(',').map(Number);
/** LOD 1: parts of 128 × 128 traces, enough of them to share among 4 workers. */
const OPTIONS = { compressionMethod: vds.CompressionMethod.Zip, lodLevels: vds.LODLevels.LODLevels_1 };

async function startWorkers(count: number, redis: string): Promise<ChildProcess[]> {
  const workers = Array.from({ length: count }, () => spawn(process.execPath, ['--import', 'tsx', resolve('bin/rxvds.ts'), 'worker', redis],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, RXVDS_PROGRESS: 'none' } }));
  await Promise.all(workers.map((w) => new Promise<void>((ok, fail) => {
    let text = '';
    w.stderr!.on('data', (chunk: Buffer) => { text += chunk.toString(); if (text.includes('taking jobs')) ok(); });
    w.once('exit', (code) => fail(new Error(`worker exited (${code}): ${text}`)));
  })));
  return workers;
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(workers.map(async (w) => { const exited = once(w, 'exit'); w.kill('SIGTERM'); await exited; }));
}

export default async function distributedBench(): Promise<BenchRow[]> {
  const input = GENERATED_SEGY;
  await generate(input);
  const bytes = (await stat(input)).size;
  const output = resolve('bench-out', 'distributed-import');
  const redis = await startRedis();
  try {
    await rm(output, { recursive: true, force: true });
    let start = performance.now();
    await vds.segy.importSegy(input, output, OPTIONS);
    const singleSeconds = (performance.now() - start) / 1000;
    start = performance.now();
    await planSegyImport(input, OPTIONS);
    const planSeconds = (performance.now() - start) / 1000;
    const singleRate = bytes / MB / singleSeconds;
    const rows: BenchRow[] = [];
    for (const count of WORKER_COUNTS) {
      await rm(output, { recursive: true, force: true });
      const workers = await startWorkers(count, redis.url);
      try {
        start = performance.now();
        const result = await vds.segy.importSegyDistributed(input, output, { ...OPTIONS, redis: redis.url });
        const seconds = (performance.now() - start) / 1000;
        rows.push({
          name: `import-segy --distributed, ${count} worker process${count > 1 ? 'es' : ''}, ${(bytes / MB / 1024).toFixed(2)} GiB → Zip folder, LOD 1`,
          value: bytes / MB / seconds, unit: 'MB/s',
          baseline: { name: 'single-process import-segy, same options', value: singleRate },
          notes: `${result.parts} parts; ${seconds.toFixed(1)} s vs ${singleSeconds.toFixed(1)} s; plan (scan, geometry) ${planSeconds.toFixed(2)} s, ` +
            `publish ${result.publishSeconds.toFixed(2)} s; per-worker rate ${(bytes / MB / seconds / count).toFixed(1)} MB/s`,
        });
      } finally {
        await stopWorkers(workers);
      }
    }
    await rm(output, { recursive: true, force: true });
    return rows;
  } finally {
    await redis.stop();
  }
}
