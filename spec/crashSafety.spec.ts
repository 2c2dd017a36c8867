import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import * as vds from '../src/index.js';
import { useTempFolder } from './support/tempFolder.js';
import { writeTestVolume } from './support/volumes.js';

const size: [number, number, number] = [64, 64, 96];

/** Runs the rewriting child and kills it `delayMs` after it is ready (or lets it finish). */
function rewriteAndKill(url: string, value: number, delayMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import=tsx', join('spec', 'support', 'rewriteVolume.ts'), url, String(value)],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_V8_COVERAGE: '' } });
    let finished = false;
    child.stdout.on('data', (data: Buffer) => {
      const text = data.toString();
      if (text.includes('ready')) setTimeout(() => child.kill('SIGKILL'), delayMs);
      if (text.includes('done')) finished = true;
    });
    child.on('error', reject);
    child.on('exit', () => resolve(finished));
  });
}

describe('crash safety', function () {
  this.timeout(300_000);
  const inFolder = useTempFolder('crash');

  it('a writer killed at random points (20 runs) leaves every chunk old or new, and the dataset readable', async () => {
    const url = inFolder('survey');
    await writeTestVolume({ url, size, format: vds.VolumeDataFormat.Format_R32, method: vds.CompressionMethod.Zip,
      brickSize: vds.BrickSize.BrickSize_32, value: () => -1 });
    let random = 12345;
    const next = () => ((random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let completed = 0;
    let previous = new Map<number, Set<number>>();
    for (let run = 1; run <= 20; run++) {
      const value = run * 1000;
      completed += (await rewriteAndKill(url, value, Math.floor(next() * 400))) ? 1 : 0;
      const dataset = await vds.open(url);
      const manager = vds.getAccessManager(dataset);
      const accessor = manager.createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 4, vds.AccessMode.AccessMode_ReadOnly);
      const seen = new Map<number, Set<number>>();
      for (let chunk = 0; chunk < accessor.getChunkCount(); chunk++) {
        const page = await accessor.readPage(chunk);
        const values = new Set(page.getBuffer() as Float32Array);
        await page.release();
        expect(values.size, `chunk ${chunk} after run ${run} mixes values`).to.equal(1);
        const v = [...values][0]!;
        const allowed = new Set([value + chunk, ...(previous.get(chunk) ?? [-1])]);
        expect(allowed.has(v), `chunk ${chunk} after run ${run} holds ${v}`).to.equal(true);
        seen.set(chunk, new Set([v]));
      }
      await vds.close(dataset, false);
      previous = seen;
    }
    expect(completed).to.be.lessThan(20);
  });
});
