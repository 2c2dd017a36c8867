// The browser forms of the platform modules, run in Node: the Zip codec's zlib (DecompressionStream,
// fflate), S3 request signing on Web Crypto, and the
// chunk pool on Web Workers (WebWorkerThreads over Node worker threads shaped as Web Workers,
// running webChunkWorker.ts). Chromium runs the same code in the browser specs.
import { expect } from 'chai';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync, inflateSync } from 'node:zlib';
import * as vds from '../src/index.js';
import { deflateZlib, inflateZlib, inflateZlibAsync } from '../src/codecs/zlib.browser.js';
import { MAX_RUNTIME_BUFFER_BYTES } from '../src/api/runtimeLimits.browser.js';
import { vdsFileDatasetAt, vdsFileDatasetFor } from '../sources/dataset/vdsFileDataset.browser.js';
import { ChunkPool } from '../src/workers/pool.js';
import type { DecodeJob } from '../src/workers/decodeJob.js';
import { WebWorkerThreads, type WorkerLike } from '../src/workers/webWorkerThreads.js';
import { zipCodec } from '../src/codecs/zip.js';
import type { DecodeOptions } from '../src/model/block.js';
import { HttpStore } from '../sources/stores/httpStore.js';
import { signS3Request } from '../sources/stores/s3Signature.js';
import { nodeWebWorker } from './support/nodeWebWorker.js';
import { readVector, sha256 } from './support/testdata.js';

const ZIP_CHUNK = readVector('chunk.CompressionMethod_Zip');
const STREAM = ZIP_CHUNK.subarray(24);
const RANGE = Math.fround(0.07883811742067337);
const R32: DecodeOptions = {
  shape: { dimensionality: 3, size: [100, 100, 100], format: vds.VolumeDataFormat.Format_R32, components: 1 },
  channel: { valueRangeMin: -RANGE, valueRangeMax: RANGE, integerScale: 1, integerOffset: 0, useNoValue: false, noValue: 0 },
  targetFormat: vds.VolumeDataFormat.Format_R32, lossless: false, adaptiveLevel: 0,
};

function decodeJob(chunk = ZIP_CHUNK.slice()): DecodeJob {
  return { kind: 'decode', method: vds.CompressionMethod.Zip, chunk, options: R32, returnBytes: true };
}

describe('browser platform modules, in Node', () => {
  describe('zlib.browser.ts (DecompressionStream, fflate)', () => {
    const expected = new Uint8Array(inflateSync(STREAM));

    it('inflates the Zip test chunk to the bytes Node\'s zlib gives', () => {
      const inflated = inflateZlib(STREAM, 4_000_000);
      expect(inflated.byteLength).to.equal(4_000_000);
      expect(sha256(inflated)).to.equal(sha256(expected));
    });

    it('refuses what Node\'s zlib refuses: a wrong Adler-32, more output than expected, a cut stream, no zlib header', () => {
      const badCheck = STREAM.slice();
      badCheck[badCheck.length - 1]! ^= 1;
      expect(() => inflateZlib(badCheck, 4_000_000)).to.throw('incorrect data check');
      expect(() => inflateZlib(STREAM, 3_999_999)).to.throw('the stream inflates to more than 3999999 bytes');
      expect(() => inflateZlib(STREAM.subarray(0, 1000), 4_000_000)).to.throw(Error);
      expect(() => inflateZlib(new Uint8Array([1, 2, 3, 4, 5, 6]), 10)).to.throw(Error);
      // A stream that holds fewer bytes inflates to them; the codec then names both sizes.
      expect(inflateZlib(new Uint8Array(deflateSync(new Uint8Array([9, 8, 7]))), 10)).to.deep.equal(new Uint8Array([9, 8, 7]));
    });

    it('inflates asynchronously on DecompressionStream to the same bytes, refusing the same streams', async () => {
      const inflated = await inflateZlibAsync(STREAM, 4_000_000);
      expect(inflated.byteLength).to.equal(4_000_000);
      expect(sha256(inflated)).to.equal(sha256(expected));
      const badCheck = STREAM.slice();
      badCheck[badCheck.length - 1]! ^= 1;
      const refused = await Promise.all([
        inflateZlibAsync(badCheck, 4_000_000), inflateZlibAsync(STREAM, 3_999_999), inflateZlibAsync(STREAM.subarray(0, 1000), 4_000_000),
        inflateZlibAsync(new Uint8Array([1, 2, 3, 4, 5, 6]), 10),
      ].map((inflating) => inflating.then(() => 'inflated', (error: Error) => error.message)));
      expect(refused[1]).to.equal('the stream inflates to more than 3999999 bytes');
      expect(refused.every((outcome) => outcome !== 'inflated'), refused.join('; ')).to.equal(true);
      expect(await inflateZlibAsync(new Uint8Array(deflateSync(new Uint8Array([9, 8, 7]))), 10)).to.deep.equal(new Uint8Array([9, 8, 7]));
    });

    it('deflates to a zlib stream Node inflates back, at level 6', () => {
      const payload = expected.subarray(0, 65536);
      expect(sha256(inflateSync(deflateZlib(payload)))).to.equal(sha256(payload));
      expect(deflateZlib(payload).byteLength).to.be.below(payload.byteLength);
      expect([...deflateZlib(payload).subarray(0, 2)]).to.deep.equal([0x78, 0x9c]);
    });
  });

  it('runtimeLimits.browser.ts and vdsFileDataset.browser.ts: 4 GiB buffers; .vds files refused, any other URL a store', () => {
    expect(MAX_RUNTIME_BUFFER_BYTES).to.equal(2 ** 32);
    expect(vdsFileDatasetFor('https://host/survey.vds')).to.equal(undefined);
    expect(vdsFileDatasetFor('s3://bucket/survey')).to.equal(undefined);
    expect(() => vdsFileDatasetFor('/data/survey.VDS')).to.throw(vds.InvalidOperationError,
      '/data/survey.VDS is a .vds file, which cannot be read in a browser: copy it to a folder dataset on a web server (rxvds copy) and open that by URL');
    expect(() => vdsFileDatasetFor('file:///data/survey.vds')).to.throw(vds.InvalidOperationError, 'file:///data/survey.vds is a .vds file');
    expect(() => vdsFileDatasetAt('survey')).to.throw(vds.InvalidOperationError, 'survey is a .vds file');
  });

  it('s3Signature.ts signs as AWS\'s own example (S3 docs, Signature Version 4, GET Object with a Range)', async () => {
    const headers = await signS3Request('GET', new URL('https://examplebucket.s3.amazonaws.com/test.txt'), { range: 'bytes=0-9' }, 'us-east-1',
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }, new Date('2013-05-24T00:00:00Z'));
    expect(headers).to.deep.equal({
      'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'x-amz-date': '20130524T000000Z',
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    });
    const withToken = await signS3Request('HEAD', new URL('https://b.s3.amazonaws.com/k'), {}, 'eu-west-1',
      { accessKeyId: 'A', secretAccessKey: 'S', sessionToken: 'T' }, new Date('2013-05-24T00:00:00Z'));
    expect(withToken['x-amz-security-token']).to.equal('T');
    expect(withToken.authorization).to.match(/^AWS4-HMAC-SHA256 Credential=A\/20130524\/eu-west-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/);
  });

  it('HttpStore on fetch sends a URL\'s user info as Basic credentials, and keeps them out of its description and errors', async () => {
    const authorizations: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      authorizations.push(req.headers.authorization);
      res.writeHead(req.url === '/ds/a' ? 200 : 500, { 'content-length': 2 }).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const store = new HttpStore(`http://reader:p%40ss@127.0.0.1:${(server.address() as AddressInfo).port}/ds`);
      expect(store.description).to.equal(`http://127.0.0.1:${(server.address() as AddressInfo).port}/ds`);
      expect(new TextDecoder().decode(await store.get('a'))).to.equal('ok');
      const failure = await store.get('b').catch((error: unknown) => error);
      expect(failure).to.be.instanceOf(vds.StoreError);
      expect((failure as Error).message).to.equal(`Cannot read b in ${store.description}: HTTP 500 Internal Server Error`);
      expect(authorizations).to.deep.equal(Array(2).fill(`Basic ${btoa('reader:p@ss')}`));
    } finally {
      server.close();
    }
  });

  describe('the chunk pool on Web Workers (WebWorkerThreads)', () => {
    const pools: ChunkPool[] = [];
    /** A pool whose workers are counted, and whose posted tasks are recorded by kind. */
    function webPool(workers: number, spawn: () => WorkerLike = () => nodeWebWorker()) {
      const posted: string[] = [];
      let spawned = 0;
      const pool = new ChunkPool({ workers }, (size) => new WebWorkerThreads(size, () => {
        spawned++;
        const worker = spawn();
        return { ...worker, postMessage: (message, transfer) => {
          posted.push((message as { task: { job: { kind: string } } }).task.job.kind);
          worker.postMessage(message, transfer);
        } };
      }));
      pools.push(pool);
      return { pool, posted, spawned: () => spawned };
    }
    afterEach(async () => { await Promise.all(pools.splice(0).map((pool) => pool.destroy())); });

    it('decodes a Zip chunk in a worker to the bytes of a main-thread decode, moving the chunk there and the block back', async () => {
      const { pool } = webPool(2);
      const job = decodeJob();
      const chunk = job.chunk!;
      const reply = await pool.run(job, [chunk.buffer]);
      expect(chunk.byteLength).to.equal(0);
      expect(reply.bytes!.byteLength).to.equal(4_000_000);
      expect(sha256(reply.bytes!)).to.equal(sha256(zipCodec.decode(ZIP_CHUNK.slice(), R32).bytes));
      // The chunk's own buffer comes back for reuse: the block lives in a buffer of its own.
      expect(reply.spent!.byteLength).to.equal(ZIP_CHUNK.byteLength);
    });

    it('starts workers as jobs need them, up to its size, and spreads jobs over them', async () => {
      const { pool, spawned } = webPool(2);
      const replies = await Promise.all([1, 2, 3, 4, 5].map(() => pool.run(decodeJob())));
      expect(replies.map((r) => sha256(r.bytes!))).to.deep.equal(Array(5).fill(sha256(replies[0]!.bytes!)));
      expect(spawned()).to.equal(2);
      expect(pool.stats()).to.deep.equal({ workers: 2, started: 2, queued: 0, running: 0 });
    });

    it('keeps a failed job\'s error class and code, and runs a kind of one\'s own from its module URL', async () => {
      const { pool } = webPool(1);
      const corrupt = ZIP_CHUNK.slice();
      corrupt.fill(0, 30, 60);
      const failure = await pool.run(decodeJob(corrupt)).catch((error: unknown) => error);
      expect(failure).to.be.instanceOf(vds.ChunkFormatError);
      expect((failure as vds.ChunkFormatError).message).to.match(/^Zip chunk does not inflate: /);
      vds.registerChunkJob('throwing', new URL('./support/throwingJob.ts', import.meta.url));
      const thrown = await pool.run({ kind: 'throwing', what: 'this' } as vds.ChunkJob).catch((error: unknown) => error);
      expect(thrown).to.be.instanceOf(vds.InvalidArgumentError);
      expect((thrown as Error).message).to.equal('throwingJob refuses this');
      vds.registerChunkJob('rms', new URL('./support/rmsJob.ts', import.meta.url));
      const samples = new Float32Array([3, -999, 4, 0, 0]);
      expect(await pool.run({ kind: 'rms', samples, noValue: -999 } as vds.ChunkJob, [samples.buffer])).to.deep.include({ rms: 2.5, count: 4 });
    });

    it('cancelling drops queued jobs before any worker sees them; running ones finish in the worker', async () => {
      const { pool, posted } = webPool(1);
      const controller = new AbortController();
      // One worker takes two jobs at once; the other four wait in the pool's queue.
      const jobs = [0, 1, 2, 3, 4, 5].map(() => pool.run(decodeJob(), [], controller.signal).then(() => 'done', (error: unknown) => error));
      expect(pool.stats()).to.deep.equal({ workers: 1, started: 1, queued: 4, running: 2 });
      controller.abort();
      const outcomes = await Promise.all(jobs);
      expect(outcomes.every((outcome) => outcome instanceof vds.CanceledError)).to.equal(true);
      expect(pool.stats().queued).to.equal(0);
      await until(() => pool.stats().running === 0);
      expect(posted).to.deep.equal(['decode', 'decode']);
    });

    it('a worker that cannot run its script fails its jobs with a message; the next job gets a fresh worker', async () => {
      let first = true;
      const { pool, spawned } = webPool(1, () => {
        const script = first ? new URL('./support/missingWorkerScript.ts', import.meta.url) : undefined;
        first = false;
        return nodeWebWorker(script);
      });
      const failed = await pool.run(decodeJob()).catch((error: unknown) => error);
      expect(failed).to.be.instanceOf(Error);
      expect((failed as Error).message).to.match(/^A chunk worker failed: .*missingWorkerScript/);
      expect((await pool.run(decodeJob())).bytes!.byteLength).to.equal(4_000_000);
      expect(spawned()).to.equal(2);
    });

    it('destroy rejects the jobs on its workers and stops them; a later job starts afresh', async () => {
      const { pool, spawned } = webPool(1);
      const running = pool.run(decodeJob()).catch((error: unknown) => error);
      await pool.destroy();
      expect(((await running) as Error).message).to.equal('The chunk pool was destroyed');
      expect((await pool.run(decodeJob())).bytes!.byteLength).to.equal(4_000_000);
      expect(spawned()).to.equal(2);
    });
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
