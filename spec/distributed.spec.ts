// Distributed SEG-Y import on a BullMQ queue: a throwaway redis-server, worker processes of the
// compiled CLI, and the coordinator as the CLI or the API. Every import is compared chunk for chunk
// with the single-process import of the same file and options.
import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { hashDefinesData } from '../src/codecs/volumeDataHash.js';
import { type DistributedImportOptions, type DistributedProgress, importSegyDistributed, startImportSegyDistributed } from '../src/distributed/importSegyDistributed.js';
import { copyDistributed } from '../src/distributed/copyDistributed.js';
import { redisConnections, QUEUE_NAME, loadBullMQ } from '../src/distributed/engine.js';
import { BrickSize, CompressionMethod, LODLevels } from '../src/model/enums.js';
import { InvalidArgumentError, NotFoundError, ReadError, SegyFormatError } from '../src/model/errors.js';
import { parseLayerStatusJson } from '../src/model/layout/layoutJson.js';
import { layersOf } from '../src/model/layout/volumeDataLayout.js';
import * as vds from '../src/index.js';
import { importSegy, type ImportSegyOptions } from '../src/segy/importSegy.js';
import { scanSegy } from '../src/segy/scan.js';
import { SEGYFile } from '../src/segy/segyFile.js';
import { ObjectDataset } from '../sources/dataset/objectDataset.js';
import { openStore } from '../sources/stores/openStore.js';
import { buildCli, rxvds, startCli } from './support/cli.js';
import { type GeneratedSurvey, traceByteSize, writeGeneratedSegy } from './support/generatedSegy.js';
import { type RedisServer, redisInstalled, startRedis } from './support/redis.js';
import { useTempFolder } from './support/tempFolder.js';
import { segyFile } from './support/testdata.js';

/** Locks short enough that a killed worker's job moves on within the spec's time. */
const LOCK_MS = 1500;
const SURVEY: GeneratedSurvey = { inlines: 200, crosslines: 130, samples: 100 };
const OPTIONS: ImportSegyOptions = { brickSize: BrickSize.BrickSize_32, lodLevels: LODLevels.LODLevels_1, compressionMethod: CompressionMethod.Zip };
const CLI_OPTIONS = ['--brick-size', '32', '--lod-levels', '1', '--compression-method', 'Zip'];

/**
 * The two datasets hold the same chunks: the same LayerStatus, and per chunk of every layer the
 * same constant hash or the same stored bytes (a written chunk's hash is a random identity, as in
 * OpenVDS, so two imports never share it). Returns how many chunks were compared.
 */
async function expectSameChunks(actual: string, expected: string): Promise<number> {
  const [a, b] = [actual, expected].map((path) => new ObjectDataset(openStore(path, '', 'update').store));
  try {
    const layout = await a!.open();
    await b!.open();
    const statusOf = async (path: string) => parseLayerStatusJson(await readFile(`${path}/LayerStatus`, 'utf8'));
    expect(await statusOf(actual)).to.deep.equal(await statusOf(expected));
    const layers = layersOf(layout);
    let compared = 0;
    for (const entry of b!.layerStatuses()) {
      const layer = layers.byLayerName(entry.layerName)!;
      for (let chunk = 0; chunk < layer.chunkCount; chunk++) {
        const [ma, mb] = await Promise.all([a!.chunkMetadata(layer, chunk), b!.chunkMetadata(layer, chunk)]);
        const where = `${layer.name} chunk ${chunk}`;
        if (hashDefinesData(mb.hash)) {
          expect(ma.hash, where).to.equal(mb.hash);
        } else {
          expect(hashDefinesData(ma.hash), where).to.equal(false);
          expect(ma.hash, where).to.not.equal(0n);
          const [ba, bb] = await Promise.all([a!.readChunk(layer, chunk, { metadata: ma }), b!.readChunk(layer, chunk, { metadata: mb })]);
          expect(Buffer.from(ba).equals(Buffer.from(bb)), `${where}: bytes`).to.equal(true);
        }
        compared++;
      }
    }
    return compared;
  } finally {
    await Promise.all([a!.close(), b!.close()]);
  }
}

function startWorkerProcess(redis: RedisServer, cwd: string): ReturnType<typeof startCli> & { ready: Promise<void> } {
  const child = startCli(['worker', redis.url, '--lock-duration', String(LOCK_MS)], cwd);
  const ready = new Promise<void>((resolve, reject) => {
    let text = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('taking jobs')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready: ${text}`)));
  });
  return Object.assign(child, { ready });
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(workers.filter((w) => w.exitCode === null && w.signalCode === null).map(async (w) => {
    const exited = once(w, 'exit');
    w.kill('SIGTERM');
    await exited;
  }));
}

async function withQueue<T>(redis: RedisServer, use: (queue: import('bullmq').Queue) => Promise<T>): Promise<T> {
  const { Queue } = await loadBullMQ();
  const connections = await redisConnections(redis.url);
  const queue = new Queue(QUEUE_NAME, { connection: connections.connection() });
  try {
    return await use(queue);
  } finally {
    await queue.close();
    await connections.close();
  }
}

describe('distributed SEG-Y import (BullMQ on redis-server, worker processes)', function () {
  this.timeout(60_000);
  const path = useTempFolder('distributed');
  let redis: RedisServer;
  let generated: string;
  const single = new Map<string, Promise<string>>();
  /** The single-process import of `input` with `options`, made once. */
  const singleImport = (input: string, options: ImportSegyOptions, name: string) => {
    if (!single.has(name)) single.set(name, importSegy(input, path(name), options).then(() => path(name)));
    return single.get(name)!;
  };

  before(async function () {
    if (!redisInstalled()) this.skip();
    [redis] = await Promise.all([startRedis(), buildCli()]);
    generated = path('generated.sgy');
    await writeGeneratedSegy(generated, SURVEY);
  });
  after(async () => {
    await redis?.stop();
  });

  describe('with three workers', () => {
    let workers: (ChildProcess & { ready: Promise<void> })[] = [];
    before(async () => {
      workers = [0, 1, 2].map(() => startWorkerProcess(redis, path()));
      await Promise.all(workers.map((w) => w.ready));
    });
    after(() => stopWorkers(workers));

    it('imports f3.sgy from the command line, chunk for chunk as the single-process import', async () => {
      const out = path('f3-distributed');
      const result = await rxvds(['import-segy', segyFile('f3.sgy'), out, '--distributed', redis.url, ...CLI_OPTIONS], path());
      expect(result.stderr).to.equal('');
      expect(result.code).to.equal(0);
      expect(result.stdout).to.match(/^imported .*f3\.sgy → .*f3-distributed on the workers of redis:\/\/127\.0\.0\.1:\d+: 1 parts, 414 traces, 3 chunks\n$/);
      // 75 samples × 18 crosslines × 23 inlines in bricks of 32: Amplitude LOD 0 has 3 × 1 × 1 chunks, LOD 1 2 × 1 × 1; the
      // trace-mapped Trace (LOD 0 and 1) and SEGYTraceHeader channels one each.
      expect(await expectSameChunks(out, await singleImport(segyFile('f3.sgy'), OPTIONS, 'f3-single'))).to.equal(3 + 2 + 1 + 1 + 1);
    });

    it('refuses to replace a dataset without --overwrite, and a worker without a Redis URL', async () => {
      const refused = await rxvds(['import-segy', segyFile('f3.sgy'), path('f3-distributed'), '--distributed', redis.url], path());
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.match(/^rxvds: .*f3-distributed exists: pass --overwrite to replace it\n$/);
      const usage = await rxvds(['worker'], path());
      expect(usage.code).to.equal(2);
      expect(usage.stderr).to.include('rxvds: expected one Redis URL');
    });

    it('imports a generated 200 × 130 × 100 survey in 12 parts, the same as the single-process import', async () => {
      const out = path('generated-distributed');
      const result = await rxvds(['import-segy', generated, out, '--distributed', redis.url, ...CLI_OPTIONS], path());
      expect(result.stderr).to.equal('');
      // Parts hold 2 × 2 columns of 32 × 32 traces (brick rows aligned to 2^1 LODs): 3 × 4 parts; LOD 0 has 4 × 5 × 7 chunks.
      expect(result.stdout).to.include(': 12 parts, 26000 traces, 140 chunks');
      // Amplitude LOD 0 and 1 (2 × 3 × 4), Trace LOD 0 (5 × 7) and 1 (3 × 4), SEGYTraceHeader (5 × 7).
      expect(await expectSameChunks(out, await singleImport(generated, OPTIONS, 'generated-single'))).to.equal(140 + 24 + 35 + 12 + 35);
      const reopened = await vds.open(out, '');
      expect(reopened.layout.getDimensionNumSamples(1)).to.equal(130);
      await vds.close(reopened);
    });

    it('copies a dataset with --distributed, re-encoding it, the same as a copy on one machine', async () => {
      const source = path('generated-distributed');
      const out = path('copy-distributed');
      const result = await rxvds(['copy', source, out, '--distributed', redis.url, '--chunks-per-part', '64', '--compression-method', 'None'], path());
      expect(result.stderr).to.equal('');
      expect(result.code).to.equal(0);
      expect(result.stdout).to.match(/^copied .*generated-distributed → .*copy-distributed on the workers of redis:\/\/127\.0\.0\.1:\d+: \d+ parts, 246 chunks \(0 already there\), [\d.]+ MB in [\d.]+ s\n$/);
      const expected = path('copy-single');
      await vds.copyDataset(openStore(source, '', 'open').store, openStore(expected, '', 'create').store, { compressionMethod: CompressionMethod.None });
      expect(await expectSameChunks(out, expected)).to.equal(246);
      const copied = await vds.open(out, '');
      expect(copied.layerStatusEntry(copied.layers.byLayerName('Dimensions_012LOD0')!)?.compressionMethod).to.equal(CompressionMethod.None);
      await vds.close(copied);
    });

    it('copies with a chunk transform on the workers (its module URL travels with the job), the same as one machine', async () => {
      vds.registerChunkJob('scale', new URL('./support/scaleJob.mjs', import.meta.url));
      const source = path('generated-distributed');
      const out = path('scaled-distributed');
      const transform = { kind: 'scale', options: { factor: -2 } };
      const result = await copyDistributed(source, out, { redis: redis.url, chunksPerPart: 64, compressionMethod: CompressionMethod.None, transform });
      expect(result.chunksCopied, JSON.stringify(result)).to.equal(246);
      const expected = path('scaled-single');
      await vds.copyDataset(openStore(source, '', 'open').store, openStore(expected, '', 'create').store,
        { compressionMethod: CompressionMethod.None, transform });
      expect(await expectSameChunks(out, expected)).to.equal(246);
      // The transform ran: a sample of the copy is −2 times the source's.
      const [from, to] = await Promise.all([source, out].map((url) => vds.open(url, '')));
      const sample = async (handle: typeof from) => {
        const dataOut = new Float32Array(1);
        await vds.getAccessManager(handle!).requestVolumeSubset([40, 20, 30], [41, 21, 31], { dataOut }).waitForCompletion();
        return dataOut[0]!;
      };
      const value = await sample(from);
      expect(value).to.not.equal(0);
      expect(await sample(to)).to.equal(-2 * value);
      await Promise.all([vds.close(from), vds.close(to)]);
    });

    it('takes the transform from the command line (--transform KIND=MODULE --transform-options JSON)', async () => {
      const out = path('scaled-cli');
      const result = await rxvds(['copy', path('generated-distributed'), out, '--distributed', redis.url, '--chunks-per-part', '64',
        '--compression-method', 'None', '--transform', `scale=${new URL('./support/scaleJob.mjs', import.meta.url).pathname}`,
        '--transform-options', '{"factor":-2}'], path());
      expect(result.stderr).to.equal('');
      expect(result.code).to.equal(0);
      expect(await expectSameChunks(out, path('scaled-single'))).to.equal(246);
      const usage = await rxvds(['copy', path('generated-distributed'), path('x'), '--transform', 'scale'], path());
      expect(usage.code).to.equal(2);
      expect(usage.stderr).to.include('rxvds: --transform takes KIND=MODULE, got "scale"');
    });

    it('fails a transformed copy whose job module the workers cannot load, naming it, and publishes nothing', async () => {
      const missing = new URL('./support/noSuchTransform.mjs', import.meta.url);
      vds.registerChunkJob('no-such-transform', missing);
      const out = path('unloadable-transform');
      const error = await copyDistributed(path('generated-distributed'), out, { redis: redis.url, transform: { kind: 'no-such-transform' } })
        .then(() => expect.fail('the copy ran'), (e: unknown) => e as Error);
      expect(error).to.be.instanceOf(InvalidArgumentError);
      expect(error.message).to.match(/^Distributed run copy-\w+ failed in part \d+ of \d+; nothing was published, the dataset does not open: /);
      expect(error.message).to.include(`The chunk transform "no-such-transform" cannot run on this worker: its module ${missing.href} does not load: Cannot find module`);
      const opening = await vds.open(out, '').then(() => expect.fail('it opened'), (e: unknown) => e as ReadError);
      expect(opening).to.be.instanceOf(ReadError);
      expect(opening.cause).to.be.instanceOf(NotFoundError);
    });

    it('resumes an import after its coordinator is killed: the flow it enqueued is followed, not enqueued again', async () => {
      const out = path('resumed-distributed');
      const command = ['import-segy', generated, out, '--distributed', redis.url, ...CLI_OPTIONS, '--progress', 'json'];
      // The first coordinator enqueues, reports, and is killed; the workers go on.
      const first = startCli(command, path());
      await new Promise<void>((resolve) => {
        let text = '';
        first.stderr!.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('"task":"import-segy"')) resolve();
        });
      });
      first.kill('SIGKILL');
      await first.result;
      const planned = await withQueue(redis, async (queue) => {
        const jobs = await queue.getJobs(['waiting-children', 'waiting', 'active', 'completed']);
        const job = jobs.find((j) => j.name === 'import-segy' && (j.data as { url: string }).url === out)!;
        return JSON.parse((job.data as { plan: { layoutJson: string } }).plan.layoutJson) as unknown;
      });
      const second = await rxvds(command, path());
      expect(second.code).to.equal(0);
      expect(second.stdout).to.include(': 12 parts, 26000 traces, 140 chunks');
      // The layout (its import time stamp included) is the one the first coordinator planned.
      expect(JSON.parse(await readFile(`${out}/VolumeDataLayout`, 'utf8'))).to.deep.equal(planned);
      await expectSameChunks(out, await singleImport(generated, OPTIONS, 'generated-single'));
    });

    it('fails an import whose input is corrupt, naming the traces, and publishes nothing', async () => {
      // The scan is of the intact file; then ten traces of inline 1038 lose their inline number.
      const corrupt = path('corrupt.sgy');
      const bytes = Buffer.from(await readFile(generated));
      const file = await SEGYFile.open(generated);
      const scan = await scanSegy(file);
      await file.close();
      const segment = scan.segments.find((s) => s.primaryKey === 1038)!;
      const first = segment.traceStart + 10;
      for (let t = first; t < first + 10; t++) bytes.writeInt32BE(9999, 3600 + t * traceByteSize(SURVEY) + 188);
      await writeFile(corrupt, bytes);
      const out = path('corrupt-distributed');
      const options: DistributedImportOptions = { ...OPTIONS, scan, redis: redis.url };
      const error = await importSegyDistributed(corrupt, out, options).then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(SegyFormatError);
      expect((error as Error).message).to.match(/^Distributed run import-segy-[0-9a-f]{16} failed in part \d+ of 12; nothing was published, the dataset does not open: corrupt\.sgy: /);
      expect((error as Error).message).to.include(`10 traces from ${first} to ${first + 9} of the inlinenumber 1038 segment (traces ${segment.traceStart}–${segment.traceStop}) have another inlinenumber`);
      const opening = await vds.open(out, '').then(() => undefined, (e: unknown) => e);
      expect(opening).to.be.instanceOf(ReadError);
      expect((opening as ReadError).cause).to.be.instanceOf(NotFoundError);
    });
  });

  it('tells what to install when the optional bullmq package is missing', async () => {
    const result = await rxvds(['worker', redis.url], path(), { nodeArgs: ['--import', new URL('./support/hideBullmq.mjs', import.meta.url).href] });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal('rxvds: Distributed jobs need the optional packages bullmq and ioredis; bullmq is not installed: run "npm install bullmq ioredis" next to rxvds\n');
  });

  it('refuses a .vds file output (many writers) and a URL that is not Redis, before enqueuing anything', async () => {
    const vdsFile = await importSegyDistributed(segyFile('f3.sgy'), path('f3.vds'), { redis: redis.url }).then(() => undefined, (e: unknown) => e);
    expect(vdsFile).to.be.instanceOf(InvalidArgumentError);
    expect((vdsFile as Error).message).to.match(/f3\.vds is a \.vds file, which many workers cannot write at once: import into a folder or an object-store URL$/);
    const notRedis = await importSegyDistributed(segyFile('f3.sgy'), path('x'), { redis: 'http://127.0.0.1:1' }).then(() => undefined, (e: unknown) => e);
    expect(notRedis).to.be.instanceOf(InvalidArgumentError);
    expect((notRedis as Error).message).to.equal('"http://" is not a Redis URL scheme: expected redis://HOST:PORT[/DB]');
  });

  it('retries the part of a worker killed with kill -9 on another worker: the same chunks as the single-process import', async () => {
    // Parts of 4 × 4 columns (2 LODs), so the first worker is mid-part when it dies.
    const options: ImportSegyOptions = { ...OPTIONS, lodLevels: LODLevels.LODLevels_2 };
    const victim = startWorkerProcess(redis, path());
    await victim.ready;
    const { QueueEvents } = await loadBullMQ();
    const connections = await redisConnections(redis.url);
    const events = new QueueEvents(QUEUE_NAME, { connection: connections.connection() });
    const stalled: string[] = [];
    events.on('stalled', ({ jobId }) => stalled.push(jobId));
    await events.waitUntilReady();
    const others: ReturnType<typeof startWorkerProcess>[] = [];
    try {
      const out = path('killed-distributed');
      const run = startImportSegyDistributed(generated, out, { ...options, redis: redis.url, pollInterval: 50 });
      const readings: DistributedProgress[] = [];
      run.progress.subscribe((p) => readings.push(p));
      // Kill the worker once it has written part of a part.
      const killed = await withQueue(redis, async (queue) => {
        for (;;) {
          const [active] = await queue.getActive();
          if (active && typeof active.progress === 'number' && active.progress > 0) return active.id;
          await new Promise((ok) => setTimeout(ok, 20));
        }
      });
      victim.kill('SIGKILL');
      others.push(startWorkerProcess(redis, path()), startWorkerProcess(redis, path()));
      const result = await run.result;
      expect(result.parts).to.equal(4);
      expect(stalled).to.include(killed);
      expect(killed).to.match(new RegExp(`^${result.id}-part-[0-3]$`));
      // Progress never goes back, though the killed part starts again, and ends at every chunk.
      expect(readings.map((p) => p.chunksDone)).to.deep.equal(readings.map((p) => p.chunksDone).sort((x, y) => x - y));
      expect(readings.at(-1)).to.include({ partsDone: 4, parts: 4, chunksDone: 140, chunks: 140, eta: 0 });
      expect(await expectSameChunks(out, await singleImport(generated, options, 'generated-single-lod2'))).to.be.greaterThan(140);
      // The workers say what they did: one of the survivors finished the killed part.
      await stopWorkers(others);
      const logs = (await Promise.all(others.map((w) => w.result))).map((r) => r.stderr).join('');
      expect(logs).to.match(new RegExp(`^rxvds worker: ${killed} completed in \\d+\\.\\d s$`, 'm'));
      expect(logs).to.match(new RegExp(`^rxvds worker: ${result.id} completed in \\d+\\.\\d s$`, 'm'));
    } finally {
      await events.close();
      await connections.close();
      await stopWorkers([victim, ...others]);
    }
  });

});
