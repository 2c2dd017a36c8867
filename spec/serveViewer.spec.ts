// The web viewer of `rxvds serve` in headless Chromium, against the service in-process on a small
// Zip dataset with two LODs: a selected slice streams coarse then full, progress reaches 100 %
// (the chunk count of both reads), the canvas shows a drawn slice and its colour bar, a new
// selection aborts the stream before it, and a click shows the trace under the pointer with the
// dataset's exact values. No console message of level error or warning and no page error. And,
// without a browser, the files the viewer is made of and the policy it is served with.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import * as vds from '../src/index.js';
import { MemoryStore } from '../sources/stores/memoryStore.js';
import { createServer, type RxvdsServer } from '../src/serve/index.js';
import { colorAt } from '../src/render/colorMaps.js';
import { chromiumInstalled, chromiumPath, launchChromium } from './support/chromium.js';
import { writeNDVolume } from './support/lodVolumes.js';
import { decodePNG, type DecodedPNG } from './support/png.js';
import { InstrumentedStore } from './support/slowStore.js';
import { uniqueMemoryUrl } from './support/volumes.js';

/** Samples × crosslines × inlines, brick 32: LOD 0 is 3 × 3 × 3 chunks, LOD 2 one chunk. */
const SIZE = [96, 80, 72] as const;
const value = ([s, x, y]: readonly number[]) => Math.sin(s! * 0.3 + x! * 0.11) * Math.cos(y! * 0.13) + 0.002 * y!;

// The plot area of the 900 × 600 slice canvas (plot.ts sliceArea), and the canvas's 1 px CSS border.
const AREA = { left: 76, top: 14, width: 724, height: 536 };
const BORDER = 1;

describe('serve: the web viewer in headless Chromium', function () {
  let store: InstrumentedStore;
  let server: RxvdsServer;
  let url: string;
  let browser: Browser;

  before(async function () {
    if (!chromiumInstalled()) {
      console.log(`    (skipped: Chromium is not installed at ${chromiumPath}; apt-get install chromium, or set CHROMIUM)`);
      this.skip();
    }
    const memoryUrl = uniqueMemoryUrl('viewer');
    await writeNDVolume({ size: SIZE, format: vds.VolumeDataFormat.Format_R32, method: vds.CompressionMethod.Zip,
      brickSize: vds.BrickSize.BrickSize_32, margin: 0, lodLevels: vds.LODLevels.LODLevels_2, maxPages: 32, url: memoryUrl }, () => true, value);
    store = new InstrumentedStore(new MemoryStore(memoryUrl.slice('inmemory://'.length)));
    server = createServer({ datasets: [{ id: 'waves', store }], log: () => undefined });
    ({ url } = await server.listen());
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openViewer(): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1240, height: 760 }, deviceScaleFactor: 1 });
    const problems: string[] = [];
    page.on('console', (message) => { if (['error', 'warning'].includes(message.type())) problems.push(`console ${message.type()}: ${message.text()}`); });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.goto(url);
    return { page, problems };
  }

  /** Waits until the slice of `line` (the value the slider shows) has streamed to its end. */
  async function settled(page: Page, line: string): Promise<void> {
    await page.waitForFunction((line) => document.getElementById('line-value')!.textContent === line &&
      ['done', 'error'].includes(document.getElementById('status')!.dataset.state!), line, { timeout: 15_000 });
    expect(await page.textContent('#status')).to.not.match(/^\d{3} |error/i);
    expect(await page.getAttribute('#status', 'data-state')).to.equal('done');
  }

  it('streams a crossline coarse then full to 100 %, draws it, cancels a replaced selection and shows the clicked trace', async () => {
    const { page, problems } = await openViewer();
    try {
      // The first dataset opens on its middle inline.
      await settled(page, String(SIZE[2] >> 1));
      expect(await page.$$eval('#dataset option', (options) => options.map((o) => o.textContent))).to.deep.equal(['waves']);

      // A selection replaced while it streams is aborted by the page (reads are slowed so it is still streaming).
      const aborted: string[] = [];
      page.on('requestfailed', (request) => aborted.push(`${new URL(request.url()).search} ${request.failure()?.errorText}`));
      await page.selectOption('#direction', 'crossline');
      store.delayMs = 150;
      await page.locator('#line').fill('5');
      await page.waitForFunction(() => document.getElementById('status')!.textContent!.includes('chunks'));
      await page.locator('#line').fill('10');
      await settled(page, '10');
      store.delayMs = 0;
      expect(aborted.filter((a) => a.includes('direction=j') && a.includes('lineno=5'))).to.have.length.above(0);
      expect(aborted.join()).to.include('ERR_ABORTED');

      // Both reads counted: LOD 2 (one chunk) then LOD 0 (3 sample × 3 inline chunks).
      expect(await page.getAttribute('#slice', 'data-lods')).to.equal('2,0');
      expect(await page.$eval('#progress', (p) => (p as HTMLProgressElement).value)).to.equal(1);
      expect(await page.textContent('#status')).to.match(/^Crossline 10: full resolution, 10\/10 chunks, \d+ ms$/);

      const picture = decodePNG(await page.locator('#slice').screenshot());
      expect([picture.width, picture.height]).to.deep.equal([900 + 2 * BORDER, 600 + 2 * BORDER]);
      const at = (x: number, y: number) => picture.pixel(x + BORDER, y + BORDER);
      const colours = new Set<string>();
      let white = 0;
      for (let y = AREA.top; y < AREA.top + AREA.height; y += 3) {
        for (let x = AREA.left; x < AREA.left + AREA.width; x += 3) {
          const rgb = at(x, y);
          colours.add(rgb.join());
          if (rgb.every((c) => c === 255)) white++;
        }
      }
      // A slice of waves through the seismic map: many colours, few of them the white of zero.
      expect(colours.size).to.be.above(200);
      expect(white / ((AREA.width / 3) * (AREA.height / 3))).to.be.below(0.1);
      // The colour bar right of the plot: the map's top colour at the top, its bottom colour at the bottom.
      const bar = AREA.left + AREA.width + 18 + 8;
      expect(at(bar, AREA.top)).to.deep.equal(colorAt('seismic', 1));
      expect(at(bar, AREA.top + AREA.height - 1)).to.deep.equal(colorAt('seismic', 0));
      // The margins hold labels, not data: mostly canvas white.
      expect(axisInk(picture, AREA.left - 70 + BORDER, AREA.left - 10 + BORDER)).to.be.above(0).and.below(0.25);

      // A click on inline 30, sample 40 of crossline 10: the trace (inline 30, crossline 10) with the dataset's values.
      const fence = page.waitForResponse((response) => response.url().endsWith('/datasets/waves/fence'));
      await page.locator('#slice').click({ position: { x: AREA.left + (30.5 / SIZE[2]) * AREA.width, y: AREA.top + (40.5 / SIZE[0]) * AREA.height } });
      const response = await fence;
      expect(JSON.parse((await response.allHeaders())['x-shape']!)).to.deep.equal([1, SIZE[0]]);
      const trace = new Float32Array(new Uint8Array(await response.body()).buffer);
      expect([...trace]).to.deep.equal([...Float32Array.from({ length: SIZE[0] }, (_, s) => value([s, 10, 30]))]);
      await page.waitForSelector('#trace[data-trace="30,10"]');
      const plot = decodePNG(await page.locator('#trace').screenshot());
      let ink = 0;
      for (let y = 30; y < 550; y++) for (let x = 78; x < 226; x++) if (plot.pixel(x, y).join() !== '255,255,255') ink++;
      expect(ink).to.be.above(300);
      expect(problems).to.deep.equal([]);
    } finally {
      await page.close();
    }
  });

  it('asks for the bearer token the service wants, then shows the slice', async () => {
    const guarded = createServer({ datasets: [{ id: 'waves', store }], token: 'viewer-secret-1', log: () => undefined });
    const { url: guardedUrl } = await guarded.listen();
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    try {
      await page.goto(guardedUrl);
      await page.waitForSelector('#status[data-state=error]');
      expect(await page.textContent('#status')).to.match(/^401 Unauthorized: /);
      expect(await page.isVisible('#token')).to.equal(true);
      await page.fill('#token', 'viewer-secret-1');
      await page.press('#token', 'Enter');
      await page.waitForSelector('#status[data-state=done]', { timeout: 15_000 });
      expect(await page.textContent('#status')).to.match(/^Inline 36: full resolution, 10\/10 chunks/);
      expect(problems).to.deep.equal([]);
    } finally {
      await page.close();
      await guarded.close();
    }
  });
});

describe('serve: the viewer\'s files', () => {
  let server: RxvdsServer;

  before(() => {
    // The files need no dataset and no token; the data routes keep theirs.
    server = createServer({ datasets: [{ id: 'none', url: uniqueMemoryUrl('viewer-files') }], token: 'viewer-secret-2', log: () => undefined });
  });
  after(() => server.close());

  const get = (url: string) => server.app.inject({ method: 'GET', url });

  it('serves the page with a policy that allows its own scripts and origin only', async () => {
    const page = await get('/');
    expect(page.statusCode).to.equal(200);
    expect(page.headers['content-type']).to.equal('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).to.equal(
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'");
    expect(page.body).to.include('<script type="module" src="/viewer/main.js"></script>');
    expect((await get('/viewer/viewer.css')).headers['content-type']).to.equal('text/css; charset=utf-8');
    expect((await get('/datasets')).statusCode).to.equal(401);
  });

  it('serves every module main.js imports, as JavaScript, and nothing else from its folder', async () => {
    const served = new Map<string, string>();
    const pending = ['main.js'];
    while (pending.length) {
      const name = pending.pop()!;
      if (served.has(name)) continue;
      const reply = await get(`/viewer/${name}`);
      expect(reply.statusCode, name).to.equal(200);
      expect(reply.headers['content-type']).to.equal('text/javascript; charset=utf-8');
      // Transpiled: no type syntax left.
      expect(reply.body, name).to.not.match(/\binterface \w+|: HTMLElement\b|\bimport type\b/);
      served.set(name, reply.body);
      pending.push(...[...reply.body.matchAll(/from ["']\.\/([\w.]+\.js)["']/g)].map((m) => m[1]!));
    }
    expect([...served.keys()].sort()).to.deep.equal(['api.js', 'eventStream.js', 'main.js', 'plot.js']);
    for (const name of ['registerViewer.js', 'page.js', 'main.ts', 'main.d.ts', '..%2Fpage.js', '%2E%2E%2Fpage.js']) {
      const reply = await get(`/viewer/${name}`);
      expect(reply.statusCode, name).to.equal(404);
      expect(reply.json()).to.have.property('error').that.matches(/the viewer has no file|no route/);
    }
  });

  it('serves the colour maps of src/render as 256-entry lookup tables', async () => {
    const maps = (await get('/viewer/colormaps.json')).json() as Record<string, number[]>;
    expect(Object.keys(maps)).to.deep.equal(['seismic', 'grey', 'viridis']);
    for (const [name, table] of Object.entries(maps)) {
      expect(table).to.have.length(768);
      for (const i of [0, 1, 127, 128, 254, 255]) expect(table.slice(3 * i, 3 * i + 3), `${name} ${i}`).to.deep.equal(colorAt(name as 'seismic', i / 255));
    }
  });
});

/** The fraction of non-white pixels in the columns [from, to) of the picture: the y-axis labels' ink. */
function axisInk(picture: DecodedPNG, from: number, to: number): number {
  let ink = 0;
  for (let y = 0; y < picture.height; y++) for (let x = from; x < to; x++) if (picture.pixel(x, y).join() !== '255,255,255') ink++;
  return ink / ((to - from) * picture.height);
}
