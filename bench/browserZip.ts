// Zip chunk inflation in Chromium: DecompressionStream('deflate'), fflate and pako on the same zlib
// streams (the Zip test chunk, seismic R32 100³, and its U8 quantisation), next to Node's
// zlib.inflateSync in the same run. The browser build's Zip codec decodes on the fastest, the
// DecompressionStream read into one buffer (zlib.browser.ts).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync, inflateSync } from 'node:zlib';
import { bundleBrowser } from '../spec/support/browserBundle.js';
import { chromiumInstalled, launchChromium } from '../spec/support/chromium.js';
import { readVector } from '../spec/support/testdata.js';
import { type BenchRow, medianMs } from './bench.js';

const MB = 1024 * 1024;
const REPEAT = Number(process.env.RXVDS_BENCH_REPEAT ?? 15);

function chunks(): Uint8Array[] {
  const r32 = inflateSync(readVector('chunk.CompressionMethod_Zip').subarray(24));
  const values = new Float32Array(r32.buffer, r32.byteOffset, r32.byteLength / 4);
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const u8 = Uint8Array.from(values, (v) => Math.round((v / max) * 127.5 + 127.5));
  return [new Uint8Array(r32), u8];
}

export default async function browserZipBench(): Promise<BenchRow[]> {
  if (!chromiumInstalled()) return [];
  const payloads = chunks();
  const streams = payloads.map((p) => new Uint8Array(deflateSync(p, { level: 6 })));
  const sizes = payloads.map((p) => p.byteLength);
  const megabytes = sizes.reduce((a, b) => a + b, 0) / MB;
  const { code } = await bundleBrowser({ entry: 'bench/browserZipPage.ts', minify: true });
  const server = createServer((req, res) => {
    const at = /^\/stream\/(\d+)$/.exec(req.url ?? '');
    if (at) return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(streams[Number(at[1])]);
    if (req.url === '/bench.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>zip</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const run = (repeat: number) => page.evaluate(async ({ sizes, repeat }) => {
      const { measure } = await import('/bench.js' as string) as typeof import('./browserZipPage.js');
      const streams = await Promise.all(sizes.map(async (_, i) => new Uint8Array(await (await fetch(`/stream/${i}`)).arrayBuffer())));
      return measure(streams, sizes, repeat);
    }, { sizes, repeat });
    await run(3);
    // Node's zlib is timed between two browser runs, so load on the machine hits both alike.
    const first = await run(REPEAT);
    const nodeMs = await medianMs(REPEAT, () => streams.forEach((s, i) => inflateSync(s, { chunkSize: sizes[i] })));
    const second = await run(REPEAT);
    const zlib = { name: 'Node zlib.inflateSync', value: megabytes / (nodeMs / 1000) };
    return Object.keys(first).map((name) => {
      const ms = Math.min(first[name]!, second[name]!);
      return { name: `Chromium ${name}`, value: megabytes / (ms / 1000), unit: 'MB/s', baseline: zlib, notes: `${ms.toFixed(1)} ms for ${megabytes.toFixed(1)} MB of R32 and U8 chunks` };
    });
  } finally {
    await browser.close();
    server.close();
  }
}
