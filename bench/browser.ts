// Chromium against Node, reading the same 256³ R32 Zip dataset (64³ bricks, 64 chunks) from the
// same loopback HTTP server with the same code (spec/support/readProbes.ts timeReads): the whole
// volume and a random inline, chunk cache off. Chromium runs the browser build in a page that is
// not cross-origin isolated (workers transfer their buffers) and in one that is
// (SharedArrayBuffer). Baseline: Node reading over HTTP, runs alternated with the browser's. The
// server runs in a process of its own, so that it takes no time from the Node reader.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as vds from '../src/index.js';
import { chromiumInstalled, chromiumPath, launchChromium } from '../spec/support/chromium.js';
import type { HarnessGlobal } from '../spec/support/harnessPage.js';
import { type ReadTimes, timeReads } from '../spec/support/readProbes.js';
import { type BenchRow, median } from './bench.js';
import { ensureDataset } from './read.js';

const MB = 1024 * 1024;
const EDGE = 256;
const REPEAT = 5;

/** spec/support/browserServerProcess.ts serving `folder` as `zip`: its URL, and how to stop it. */
async function startServerProcess(folder: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const script = fileURLToPath(new URL('../spec/support/browserServerProcess.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import=tsx', script, `zip=${folder}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  return {
    url: (JSON.parse(line) as { url: string }).url,
    stop: async () => { child.kill('SIGTERM'); if (child.exitCode === null) await once(child, 'exit'); },
  };
}

export default async function browserBench(): Promise<BenchRow[]> {
  if (!chromiumInstalled()) {
    console.warn(`browser bench skipped: no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM)`);
    return [];
  }
  const folder = await ensureDataset(vds.CompressionMethod.Zip, EDGE);
  const server = await startServerProcess(folder);
  const browser = await launchChromium();
  try {
    const url = `${server.url}/datasets/zip`;
    const pages = await Promise.all(['/harness.html', '/isolated/harness.html'].map(async (path) => {
      const page = await browser.newPage();
      await page.goto(`${server.url}${path}`);
      await page.waitForFunction(() => 'harness' in globalThis);
      return page;
    }));
    const runs: Record<'node' | 'transfer' | 'isolated', ReadTimes[]> = { node: [], transfer: [], isolated: [] };
    // One read of each kind per round, in turn, so that all three see the same machine load.
    for (let round = 0; round < REPEAT; round++) {
      runs.node.push(await timeReads(vds, url, 1, round + 1));
      for (const [kind, page] of [['transfer', pages[0]!], ['isolated', pages[1]!]] as const) {
        runs[kind].push(await page.evaluate(([at, seed]) => (globalThis as HarnessGlobal).harness.timeReads(at, 1, seed), [url, round + 1] as const));
      }
    }
    const wholeMBs = (times: ReadTimes[]) => times[0]!.bytes.whole / MB / (median(times.flatMap((t) => t.wholeMs)) / 1000);
    const inlineMs = (times: ReadTimes[]) => median(times.flatMap((t) => t.inlineMs));
    const node = { whole: wholeMBs(runs.node), inline: inlineMs(runs.node) };
    const rows: BenchRow[] = [];
    for (const [kind, label] of [['transfer', 'not isolated, transfer'], ['isolated', 'isolated, SharedArrayBuffer']] as const) {
      rows.push({
        name: `whole volume ${EDGE}³ Zip over HTTP, Chromium (${label})`, value: wholeMBs(runs[kind]), unit: 'MB/s',
        baseline: { name: 'Node, same server', value: node.whole }, notes: `median of ${REPEAT}, 64 chunk fetches each`,
      });
      rows.push({
        name: `random inline latency ${EDGE}² Zip over HTTP, Chromium (${label})`, value: inlineMs(runs[kind]), unit: 'ms',
        baseline: { name: 'Node, same server', value: node.inline }, notes: `median of ${REPEAT}, 16 chunk fetches each, lower is better`,
      });
    }
    return rows;
  } finally {
    await browser.close();
    await server.stop();
  }
}
