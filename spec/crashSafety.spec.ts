import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import * as vds from '../src/index.js';
import { useTempFolder } from './support/tempFolder.js';
import { writeTestVolume } from './support/volumes.js';

const size: [number, number, number] = [64, 64, 96];

/**
 * Runs the rewriting child and kills it `delayMs` after it is ready (without a delay it finishes);
 * says whether it finished, and how long it ran after it was ready.
 */
function rewriteAndKill(url: string, value: number, delayMs?: number): Promise<{ finished: boolean; ranMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import=tsx', join('spec', 'support', 'rewriteVolume.ts'), url, String(value)],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_V8_COVERAGE: '' } });
    let finished = false;
    let ready = 0;
    child.stdout.on('data', (data: Buffer) => {
      const text = data.toString();
      if (text.includes('ready')) {
        ready = performance.now();
        if (delayMs !== undefined) setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
      if (text.includes('done')) finished = true;
    });
    child.on('error', reject);
    child.on('exit', () => resolve({ finished, ranMs: performance.now() - ready }));
  });
}

/**
 * Rewrites `url` `runs` times, killing the writer at a random point of the first `maxDelayMs`
 * after it is ready ('measured': run 1 finishes, and kills fall within 1.5 times its length);
 * checks every chunk after each run. Returns the runs that finished.
 */
async function killedWriterRuns(url: string, runs: number, maxDelayMs: number | 'measured',
  check: (run: number, values: number[], previous: number[]) => void): Promise<number> {
  await writeTestVolume({ url, size, format: vds.VolumeDataFormat.Format_R32, method: vds.CompressionMethod.Zip,
    brickSize: vds.BrickSize.BrickSize_32, value: () => -1 });
  let random = 12345;
  const next = () => ((random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  let completed = 0;
  let previous: number[] = [];
  let range = maxDelayMs === 'measured' ? undefined : maxDelayMs;
  for (let run = 1; run <= runs; run++) {
    const { finished, ranMs } = await rewriteAndKill(url, run * 1000, range === undefined ? undefined : Math.floor(next() * range));
    range ??= 1.5 * ranMs;
    completed += finished ? 1 : 0;
    const dataset = await vds.open(url);
    const manager = vds.getAccessManager(dataset);
    const accessor = manager.createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 4, vds.AccessMode.AccessMode_ReadOnly);
    const values: number[] = [];
    for (let chunk = 0; chunk < accessor.getChunkCount(); chunk++) {
      const page = await accessor.readPage(chunk);
      const distinct = new Set(page.getBuffer() as Float32Array);
      await page.release();
      expect(distinct.size, `chunk ${chunk} after run ${run} mixes values`).to.equal(1);
      values.push([...distinct][0]!);
    }
    await vds.close(dataset, false);
    check(run, values, previous.length ? previous : values.map(() => -1));
    previous = values;
  }
  return completed;
}

describe('crash safety', function () {
  this.timeout(300_000);
  const inFolder = useTempFolder('crash');

  it('a writer killed at random points (20 runs) leaves every chunk old or new, and the dataset readable', async () => {
    const completed = await killedWriterRuns(inFolder('survey'), 20, 400, (run, values, previous) => {
      values.forEach((v, chunk) => expect([run * 1000 + chunk, previous[chunk]], `chunk ${chunk} after run ${run} holds ${v}`).to.include(v));
    });
    expect(completed).to.be.lessThan(20);
  });

  it('a .vds writer killed at random points (10 runs) leaves the last commit: all chunks old, or all new', async () => {
    // Each run's writer takes over the lock the killed one left; its one commit is at close.
    const completed = await killedWriterRuns(inFolder('survey.vds'), 10, 'measured', (run, values, previous) => {
      const fresh = values.map((_, chunk) => run * 1000 + chunk);
      expect([fresh, previous], `after run ${run}`).to.deep.include(values);
    });
    expect(completed).to.be.within(1, 9);
  });
});
