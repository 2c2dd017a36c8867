// The browser build's stores in headless Chromium: the same URLs and connection strings as in Node
// reach datasets over fetch (Range requests, SAS queries, bearer tokens, public-bucket S3 URLs),
// with Node's retries and cancellation, and read the values Node reads; what a page cannot do is
// refused with what to use instead. Same-origin server on 127.0.0.1 (no CORS in the way).
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import * as vds from '../src/index.js';
import { openStore } from '../sources/stores/openStore.js';
import { signS3Request } from '../sources/stores/s3Signature.js';
import type { ReadableStore } from '../sources/stores/store.js';
import { bundleBrowser } from './support/browserBundle.js';
import { chromiumInstalled, launchChromium } from './support/chromium.js';
import { writeTestVolume } from './support/volumes.js';

const SIZE: [number, number, number] = [64, 48, 40];
const SAS = 'sv=2021-08-06&sig=s3cr3t';
const TOKEN = 'bearer-t0ken';
const KEYS = { accessKeyId: 'AKIASPEC', secretAccessKey: 'spec/secret+key' };

interface Seen { path: string; range?: string; authorization?: string; version?: string; signatureValid?: boolean }

describe('the browser build\'s stores, in Chromium', function () {
  let browser: Browser, page: Page, server: Server, origin: string, store: ReadableStore, expectedSha: string;
  const seen: Seen[] = [];
  /** Keys answered 503 once, then served. */
  const flaky = new Set<string>();
  let stalled: Promise<void> | undefined;

  before(async function () {
    if (!chromiumInstalled()) this.skip();
    const volume = await writeTestVolume({ size: SIZE, format: vds.VolumeDataFormat.Format_R32, value: (x, y, z) => x + 100 * y + 10_000 * z, method: vds.CompressionMethod.Zip });
    store = openStore(volume.url).store;
    const handle = await vds.open(volume.url);
    const request = vds.getAccessManager(handle).requestVolumeSubset([0, 0, 0, 0, 0, 0], [...SIZE, 1, 1, 1], { format: vds.VolumeDataFormat.Format_R32 });
    await request.waitForCompletion();
    expectedSha = sha(request.data);
    await vds.close(handle);
    const [app, worker] = await Promise.all([bundleBrowser(), bundleBrowser({ entry: 'src/workers/webChunkWorker.ts' })]);
    server = createServer((req, res) => { void serve(req, res); });
    const serve = async (req: IncomingMessage, res: import('node:http').ServerResponse) => {
      const url = new URL(req.url!, 'http://localhost');
      if (url.pathname === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>rxvds</title>');
      if (url.pathname === '/rxvds.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(app.code);
      if (url.pathname === '/webChunkWorker.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(worker.code);
      const match = /^\/(http|s3|signed|sas|bearer|flaky|stall)\/(?:[^/]+\/)?survey\/(.+)$/.exec(url.pathname);
      if (!match) return void res.writeHead(404).end();
      const [, route, key] = match as unknown as [string, string, string];
      const entry: Seen = { path: `${url.pathname}${url.search}`, range: req.headers.range, authorization: req.headers.authorization, version: req.headers['x-ms-version'] as string | undefined };
      seen.push(entry);
      if (route === 'signed') {
        // The signature Node computes for the request as it arrived: the page signed what it sent.
        const date = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(String(req.headers['x-amz-date']));
        const at = date ? new Date(`${date[1]}-${date[2]}-${date[3]}T${date[4]}:${date[5]}:${date[6]}Z`) : new Date(0);
        const expected = await signS3Request(req.method as 'GET', new URL(`http://${req.headers.host}${req.url}`),
          req.headers.range ? { range: req.headers.range } : {}, 'eu-west-1', KEYS, at);
        entry.signatureValid = expected.authorization === req.headers.authorization;
        if (!entry.signatureValid) return void res.writeHead(403).end();
      }
      if (route === 'sas' && url.search !== `?${SAS}`) return void res.writeHead(403).end();
      if (route === 'bearer' && (req.headers.authorization !== `Bearer ${TOKEN}` || !req.headers['x-ms-version'])) return void res.writeHead(401).end();
      if (route === 'flaky' && !flaky.has(key)) { flaky.add(key); return void res.writeHead(503).end(); }
      if (route === 'stall') {
        stalled = new Promise((resolve) => req.socket.once('close', resolve));
        return;
      }
      const bytes = await store.get(decodeURIComponent(key));
      if (!bytes) return void res.writeHead(404).end();
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      if (!range) return void res.writeHead(200, { 'content-length': bytes.byteLength }).end(bytes);
      const start = Number(range[1]), end = range[2] === '' ? bytes.byteLength : Math.min(bytes.byteLength, Number(range[2]) + 1);
      res.writeHead(206, { 'content-range': `bytes ${start}-${end - 1}/${bytes.byteLength}`, 'content-length': end - start }).end(bytes.subarray(start, end));
    };
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${origin}/`);
    await page.evaluate(async () => { (globalThis as Record<string, unknown>).vds = await import('/rxvds.js' as string); });
  });

  after(async () => {
    await browser?.close();
    server?.close();
    await store?.close?.();
  });

  beforeEach(() => { seen.length = 0; });

  /** The whole volume read in the page from `url`: the SHA-256 of its values, or the error's class and message. */
  function readInPage(url: string, connection = ''): Promise<{ sha?: string; error?: string }> {
    return page.evaluate(async ({ url, connection, size }) => {
      const vds = (globalThis as unknown as { vds: typeof import('../src/browser.js') }).vds;
      try {
        const handle = await vds.open(url, connection);
        const request = vds.getAccessManager(handle).requestVolumeSubset([0, 0, 0, 0, 0, 0], [...size, 1, 1, 1], { format: vds.VolumeDataFormat.Format_R32 });
        await request.waitForCompletion();
        const data = request.data as Float32Array;
        await vds.close(handle);
        const digest = await crypto.subtle.digest('SHA-256', new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice());
        return { sha: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('') };
      } catch (error) {
        return { error: `${(error as Error).name}: ${(error as Error).message}` };
      }
    }, { url, connection, size: SIZE });
  }

  it('reads an http:// folder dataset with Range requests to the values Node reads', async () => {
    expect(await readInPage(`${origin}/http/survey`)).to.deep.equal({ sha: expectedSha });
    expect(seen.map((s) => s.path)).to.include.members(['/http/survey/VolumeDataLayout', '/http/survey/Dimensions_012LOD0/0']);
    // A byte range is one Range request.
    const range = await page.evaluate(async (url) => {
      const vds = (globalThis as unknown as { vds: typeof import('../src/browser.js') }).vds;
      return [...(await vds.openStore(url).store.getRange!('Dimensions_012LOD0/0', { offset: 10, length: 100 }))!];
    }, `${origin}/http/survey`);
    expect(range).to.deep.equal([...(await store.get('Dimensions_012LOD0/0'))!.subarray(10, 110)]);
    expect(seen.at(-1)).to.deep.include({ path: '/http/survey/Dimensions_012LOD0/0', range: 'bytes=10-109' });
  });

  it('reads s3:// of a public bucket and signed with keys, azure:// with a SasToken and with a BearerToken', async () => {
    expect(await readInPage('s3://bucket/survey', `EndpointOverride=${origin}/s3;Region=eu-west-1`)).to.deep.equal({ sha: expectedSha });
    expect(seen.every((s) => s.path.startsWith('/s3/bucket/survey/') && s.authorization === undefined)).to.equal(true);
    seen.length = 0;
    expect(await readInPage('s3://bucket/survey', `EndpointOverride=${origin}/signed;Region=eu-west-1;AccessKeyId=${KEYS.accessKeyId};SecretKey=${KEYS.secretAccessKey}`))
      .to.deep.equal({ sha: expectedSha });
    expect(seen.length).to.be.above(2);
    expect(seen.filter((s) => !s.signatureValid || !s.authorization!.startsWith('AWS4-HMAC-SHA256 Credential=AKIASPEC/'))).to.deep.equal([]);
    seen.length = 0;
    expect(await readInPage('azure://container/survey', `BlobEndpoint=${origin}/sas;SasToken=?${SAS}`)).to.deep.equal({ sha: expectedSha });
    expect(seen.every((s) => s.path.startsWith('/sas/container/survey/') && s.path.endsWith(`?${SAS}`))).to.equal(true);
    seen.length = 0;
    expect(await readInPage('az://container/survey', `BlobEndpoint=${origin}/bearer;BearerToken=${TOKEN}`)).to.deep.equal({ sha: expectedSha });
    expect(seen.every((s) => s.authorization === `Bearer ${TOKEN}` && s.version === '2021-08-06')).to.equal(true);
  });

  it('retries a 503 as Node does, and an error keeps the status without the SAS', async () => {
    expect(await readInPage(`${origin}/flaky/survey`)).to.deep.equal({ sha: expectedSha });
    expect(seen.filter((s) => s.path === '/flaky/survey/VolumeDataLayout').length).to.equal(2);
    const refused = await readInPage('azure://container/survey', `BlobEndpoint=${origin}/bearer;SasToken=${SAS}`);
    expect(refused.error).to.match(/^ReadError: .*HTTP 401/);
    expect(refused.error).not.to.include('s3cr3t');
  });

  it('cancelling a read aborts its fetch: the server sees the connection close', async () => {
    const outcome = page.evaluate(async (url) => {
      const vds = (globalThis as unknown as { vds: typeof import('../src/browser.js') }).vds;
      const { store } = vds.openStore(url);
      const controller = new AbortController();
      const reading = store.get('VolumeDataLayout', { signal: controller.signal }).then(() => 'read', (error: Error) => error.name);
      await new Promise((resolve) => setTimeout(resolve, 300));
      controller.abort();
      return reading;
    }, `${origin}/stall/survey`);
    expect(await outcome).to.equal('CanceledError');
    await stalled;
    expect(seen.map((s) => s.path)).to.deep.equal(['/stall/survey/VolumeDataLayout']);
  });

  it('refuses what needs Node, saying what to use instead', async () => {
    // Inline callbacks only: the page cannot see the helpers tsx adds for named functions.
    const refusals = await page.evaluate((attempts) => attempts.map(([url, connection]) => {
      const vds = (globalThis as unknown as { vds: typeof import('../src/browser.js') }).vds;
      try { vds.openStore(url!, connection); return 'opened'; } catch (error) { return `${(error as Error).name}: ${(error as Error).message}`; }
    }), [
      ['s3://bucket/survey', 'AccessKeyId=AKIA'],
      ['azure://container/survey', 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=a2V5'],
      ['gs://bucket/survey', 'CredentialsFile=/key.json'],
      ['file:///data/survey', ''],
      ['data/survey', ''],
      ['sd://tenant/survey', ''],
      ['s3://bucket/survey', 'Region=eu-west-1'],
      ['gs://bucket/survey', 'Token=t'],
    ]);
    expect(refusals).to.deep.equal([
      'InvalidArgumentError: An S3 connection string needs both AccessKeyId and SecretKey, or neither (for a public bucket)',
      'InvalidOperationError: An Azure dataset with an account key cannot be read in a browser: use a SAS (azuresas://, or SasToken) or a BearerToken',
      'InvalidOperationError: A gs:// dataset with a service account, HMAC key or signed URL cannot be read in a browser: use a Token, or a public bucket',
      'InvalidOperationError: file:///data/survey cannot be read in a browser: open the dataset by an http(s):// URL',
      'InvalidOperationError: The local path data/survey cannot be read in a browser: open the dataset by an http(s):// URL',
      'InvalidOperationError: OSDU Seismic DMS (sd://, DMSOpenOptions) datasets are not supported yet',
      'opened',
      'opened',
    ]);
    const descriptions = await page.evaluate(() => {
      const vds = (globalThis as unknown as { vds: typeof import('../src/browser.js') }).vds;
      return [vds.openStore('s3://bucket/survey', 'Region=eu-west-1'), vds.openStore('s3://my.bucket/a/b'), vds.openStore('gs://bucket/survey', 'Token=t')]
        .map(({ store }) => store.description);
    });
    expect(descriptions).to.deep.equal([
      'https://bucket.s3.eu-west-1.amazonaws.com/survey', 'https://s3.us-east-1.amazonaws.com/my.bucket/a/b', 'https://storage.googleapis.com/bucket/survey',
    ]);
  });
});

function sha(view: ArrayBufferView): string {
  return createHash('sha256').update(new Uint8Array(view.buffer, view.byteOffset, view.byteLength)).digest('hex');
}
