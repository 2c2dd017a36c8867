// rxvds in a real browser: headless Chromium reads Zip, RLE and wavelet folder datasets over HTTP
// and gets the Node reads' bytes; canceling a request aborts its fetches at the server; the demo
// page draws a slice (checked on a screenshot) and a new selection cancels the previous read. One
// browser for the whole file; every page is checked for console errors and page errors.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import * as vds from '../src/index.js';
import { bundleDemo } from '../examples/browser/bundle.js';
import { type BrowserDatasetName, writeBrowserDatasets, ZIP_CHUNKS, ZIP_SIZE } from './support/browserDatasets.js';
import { type BrowserServer, startBrowserServer } from './support/browserServer.js';
import { chromiumInstalled, chromiumPath, launchChromium } from './support/chromium.js';
import { harnessFiles, type HarnessGlobal } from './support/harnessPage.js';
import { decodePNG } from './support/pngDecode.js';
import { type ReadProbe, readProbes } from './support/readProbes.js';
import { useTempFolder } from './support/tempFolder.js';

const DATASETS: BrowserDatasetName[] = ['zip', 'rle', 'wavelet'];
const CHUNKS = '/datasets/zip/Dimensions_012LOD0/';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('rxvds in Chromium', function () {
  const folder = useTempFolder('browser');
  let browser: Browser | undefined;
  let server: BrowserServer;
  const nodeReads = new Map<BrowserDatasetName, ReadProbe[]>();
  /** Console errors and uncaught page errors of every page opened, checked after each test. */
  let problems: string[] = [];
  let page: Page | undefined;

  before(async function () {
    if (!chromiumInstalled()) {
      console.warn(`    (skipped: no Chromium at ${chromiumPath}; apt-get install chromium, or set CHROMIUM)`);
      this.skip();
    }
    await writeBrowserDatasets((name) => folder(name));
    const [demo, harness] = await Promise.all([bundleDemo(), harnessFiles()]);
    server = await startBrowserServer({ datasets: Object.fromEntries(DATASETS.map((name) => [name, folder(name)])), files: { ...demo, ...harness } });
    browser = await launchChromium();
    for (const name of DATASETS) nodeReads.set(name, await readProbes(vds, folder(name)));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async () => {
    await page?.close();
    page = undefined;
    server.objectDelayMs = 0;
    const seen = problems;
    problems = [];
    expect(seen, 'console and page errors').to.deep.equal([]);
  });

  async function open(path: string): Promise<Page> {
    page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`); });
    page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
    await page.goto(`${server.url}${path}`);
    return page;
  }

  const harnessPage = async (isolated: boolean) => {
    const harness = await open(`${isolated ? '/isolated' : ''}/harness.html`);
    await harness.waitForFunction(() => 'harness' in globalThis);
    expect(await harness.evaluate(() => (globalThis as unknown as { crossOriginIsolated: boolean }).crossOriginIsolated)).to.equal(isolated);
    return harness;
  };

  for (const isolated of [false, true]) {
    it(`reads every codec's dataset bit for bit as Node does (${isolated ? 'cross-origin isolated: SharedArrayBuffer' : 'not isolated: transfer'})`, async () => {
      const harness = await harnessPage(isolated);
      const buffer = await harness.evaluate((at) => (globalThis as HarnessGlobal).harness.bufferKind(at), `${server.url}/datasets/zip`);
      expect(buffer).to.equal(isolated ? 'SharedArrayBuffer' : 'ArrayBuffer');
      for (const name of DATASETS) {
        const url = `${server.url}/datasets/${name}`;
        const reads = await harness.evaluate((at) => (globalThis as HarnessGlobal).harness.readProbes(at), url);
        expect(reads, name).to.deep.equal(nodeReads.get(name));
      }
      // The wavelet dataset is OpenVDS's subset.vds: its amplitude LODs decode to the payloads an
      // independent decoder gives (testdata README).
      expect(nodeReads.get('wavelet')!.slice(0, 3).map((p) => p.sha256)).to.deep.equal([
        'b2ed81aa3872e93787bab2e3c3351f079c4d7963027fcff268c814deb5bf346f',
        '4bc80642ac4469713c6c6c133a360ede1dc56c6939e218e76b92e0f51503ac54',
        'b623f016a7a7b0d9018a33fbe935ee7510722beae75f01fab7f27e1d75c687c0',
      ]);
    });
  }

  for (const how of ['cancel()', 'unsubscribing'] as const) {
    it(`${how} aborts the request's fetches: the server sees them end and no more come`, async () => {
      const harness = await harnessPage(false);
      server.resetCounts();
      await harness.evaluate((at) => (globalThis as HarnessGlobal).harness.open(at), `${server.url}/datasets/zip`);
      // Held at the server, the first chunk requests are in flight when the request stops.
      server.objectDelayMs = 400;
      await harness.evaluate((stop) => (globalThis as HarnessGlobal).harness.startWholeRead(stop), how);
      await until(() => server.requestCount(CHUNKS) > 0, 'the first chunk request');
      const outcome = await harness.evaluate(() => (globalThis as HarnessGlobal).harness.stopRead());
      expect(outcome).to.deep.equal({ completed: false, canceled: true, errorCode: -2 });
      const requested = server.requestCount(CHUNKS);
      await until(() => server.abortedCount(CHUNKS) > 0, 'the server to see an aborted fetch', 2000);
      await sleep(3 * server.objectDelayMs);
      expect(server.requestCount(CHUNKS), 'chunk requests after the cancellation').to.equal(requested);
      expect(requested, 'chunk requests made').to.be.below(ZIP_CHUNKS);
    });
  }

  it('the demo page says why a dataset does not open, and logs the error', async () => {
    const demo = await open('/?url=/datasets/missing');
    const status = demo.locator('#status');
    const expected = `Cannot open ${server.url}/datasets/missing: it has no VolumeDataLayout object (is it a VDS dataset?)`;
    await demo.waitForFunction((text) => (globalThis as unknown as { document: { getElementById(id: string): { textContent: string } } })
      .document.getElementById('status').textContent === text, expected, { timeout: 10_000 }).catch(() => undefined);
    expect(await status.textContent()).to.equal(expected);
    // The browser reports the 404s of the objects rxvds looked for; the page logs the ReadError.
    expect(problems.filter((p) => !p.includes('status of 404 (Not Found)'))).to.satisfy((rest: string[]) =>
      rest.length === 1 && rest[0]!.startsWith(`console: ReadError: ${expected}`));
    problems = [];
  });

  it('the demo page draws the selected slice, and a new selection cancels the read under way', async () => {
    const demo = await open('/?url=/datasets/zip');
    const drawn = (key: string) => demo.waitForSelector(`canvas[data-drawn="${key}"]`, { timeout: 15_000 });
    // The middle inline first.
    await drawn(`2:${ZIP_SIZE[2] >> 1}`);
    const canvas = demo.locator('#slice');
    const plot = JSON.parse((await canvas.getAttribute('data-plot'))!) as { x: number; y: number; width: number; height: number };
    // The page's picture; the canvas is painted snapped to whole pixels where its box may not start.
    const shot = decodePNG(await demo.screenshot({ fullPage: true }));
    const box = (await canvas.boundingBox())!;
    const [left, top] = [Math.round(box.x), Math.round(box.y)];
    const pixel = (x: number, y: number, c: number) => shot.rgba[4 * (left + x + (top + y) * shot.width) + c]!;
    const colours = new Set<number>();
    let white = 0;
    for (let y = plot.y; y < plot.y + plot.height; y++) {
      for (let x = plot.x; x < plot.x + plot.width; x++) {
        const rgb = (pixel(x, y, 0) << 16) | (pixel(x, y, 1) << 8) | pixel(x, y, 2);
        colours.add(rgb);
        if (rgb === 0xFFFFFF) white++;
      }
    }
    // Seismic amplitudes in the blue–white–red map: many colours, hardly any pure white.
    expect(colours.size, 'colours in the plot').to.be.above(200);
    expect(white / (plot.width * plot.height), 'white share of the plot').to.be.below(0.05);
    // Pixel for pixel the picture Node draws of its own read of that inline.
    const dataset = await vds.open(folder('zip'));
    const inline = ZIP_SIZE[2] >> 1;
    const slice = vds.requestShapedSubset(dataset, { min: [0, 0, inline], max: [ZIP_SIZE[0], ZIP_SIZE[1], inline + 1] });
    expect(await slice.waitForCompletion()).to.equal(true);
    const picture = vds.renderSlice(slice.data, { colorMap: 'seismic', title: `Inline ${2000 + inline}`, width: 800 });
    await vds.close(dataset, false);
    expect([box.width, box.height]).to.deep.equal([picture.width, picture.height]);
    let differing = 0;
    for (let y = 0; y < picture.height; y++) {
      for (let x = 0; x < picture.width; x++) {
        if ([0, 1, 2].some((c) => pixel(x, y, c) !== picture.rgb[3 * (x + y * picture.width) + c])) differing++;
      }
    }
    expect(differing, 'pixels unlike Node\'s picture').to.equal(0);

    // A read held at the server, then another selection: the first read's fetches are aborted.
    server.resetCounts();
    server.objectDelayMs = 400;
    const select = (index: number) => demo.locator('#index').evaluate((element, value) => {
      const input = element as HTMLInputElement;
      input.value = String(value);
      input.dispatchEvent(new Event('input'));
    }, index);
    await select(10);
    await until(() => server.requestCount(CHUNKS) > 0, 'the chunk requests of inline 10');
    await select(100);
    await drawn('2:100');
    expect(server.abortedCount(CHUNKS), 'aborted chunk fetches').to.be.above(0);
    expect(await demo.locator('#status').textContent()).to.match(/^Inline 2100: 192 × 128 samples in \d+ ms$/);
    expect(await demo.locator('#progress').evaluate((bar) => (bar as HTMLProgressElement).value), 'the progress bar').to.equal(1);
  });
});

describe('decodePNG (the browser spec reads screenshots with it)', () => {
  it('reads back the pixels of a picture encodePNG wrote, whatever the filter of each row', () => {
    const [width, height] = [37, 23];
    // Noise rows (filter None wins), ramps (Sub), repeated rows (Up) and gradients (Average, Paeth).
    const rgb = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let i = 0; i < width * 3; i++) {
        rgb[y * width * 3 + i] = y % 4 === 0 ? (Math.imul(i + 1, 2654435761) >>> (y % 24)) & 0xFF : y % 4 === 1 ? i * 5 : y % 4 === 2 ? rgb[(y - 1) * width * 3 + i]! : (i * 3 + y * 7) & 0xFF;
      }
    }
    const picture = decodePNG(vds.encodePNG({ width, height, rgb }));
    expect([picture.width, picture.height]).to.deep.equal([width, height]);
    const expected = new Uint8Array(width * height * 4);
    for (let p = 0; p < width * height; p++) expected.set([rgb[3 * p]!, rgb[3 * p + 1]!, rgb[3 * p + 2]!, 255], 4 * p);
    expect(Buffer.from(picture.rgba).equals(Buffer.from(expected))).to.equal(true);
  });
});
