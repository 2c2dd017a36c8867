// Chunk job kinds registered like codecs, and the pool as an object: a job module of one's own
// (spec/support/rmsJob.ts) runs on the pool through the public registration, built-in kinds run
// the same way, and a ChunkPool of one's own queues, drops and reports its jobs.
import { expect } from 'chai';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, map, range, tap, toArray } from 'rxjs';
import * as vds from '../src/index.js';
import { type Decimation, downsampleRegion } from '../src/engine/lodDownsample.js';
import type { RmsJob, RmsReply } from './support/rmsJob.js';
import type { MoveProbeReply } from './support/moveProbeJob.js';
import { rejection } from './support/rejection.js';
import { type BatchJob, runJob } from '../src/workers/jobRunner.js';
import type { PoolThreads } from '../src/workers/poolThreads.js';
import { seededRandom } from './support/random.js';
import { writeTestVolume } from './support/volumes.js';

const rmsModule = new URL('./support/rmsJob.ts', import.meta.url);

/** The RMS as the job computes it, on this thread. */
function rmsHere(samples: Float32Array, noValue?: number): number {
  let sum = 0, count = 0;
  for (const v of samples) {
    if (v === noValue) continue;
    sum += v * v;
    count++;
  }
  return Math.sqrt(sum / count);
}

describe('chunk jobs registered like codecs', function () {
  this.timeout(60_000);

  before(() => vds.registerChunkJob('rms', rmsModule));

  it('runs a job module of one\'s own on the pool, moving its buffers both ways', async () => {
    const samples = new Float32Array([1, 2, 3, 4, -999]);
    const reply = await vds.chunkPool().run({ kind: 'rms', samples, noValue: -999 } satisfies RmsJob, [samples.buffer]) as RmsReply;
    expect(reply.rms).to.equal(Math.sqrt(7.5));
    expect(reply.count).to.equal(4);
    expect(samples.byteLength, 'moved to the worker, not copied').to.equal(0);
    expect([...reply.samples]).to.deep.equal([1, 2, 3, 4, -999]);
  });

  it('workers mark replies to move with the symbols Piscina\'s worker script loaded, not by importing Piscina', async () => {
    vds.registerChunkJob('moveProbe', new URL('./support/moveProbeJob.ts', import.meta.url));
    const reply = await vds.chunkPool().run({ kind: 'moveProbe' }) as MoveProbeReply;
    expect(reply.marksThroughLoadedSymbols).to.equal(true);
    expect(reply.bytes.byteLength).to.equal(1000);
    expect(reply.bytes.every((b) => b === 7)).to.equal(true);
  });

  it('computes a per-chunk attribute of a dataset on the pool with onPool (RMS of each chunk)', async () => {
    const volume = await writeTestVolume({ size: [64, 40, 33], format: vds.VolumeDataFormat.Format_R32, method: vds.CompressionMethod.Zip,
      value: (x, y, z) => Math.sin(x / 7) * (y - z) });
    const dataset = await vds.open(volume.url);
    try {
      const layer = dataset.layers.get(vds.DimensionsND.Dimensions_012, 0, 0)!;
      const reader = dataset.reader(layer);
      const expected = new Map<number, { rms: number; count: number }>();
      const results = await lastValueFrom(range(0, layer.chunkCount).pipe(
        vds.fetchChunks(reader),
        vds.decodeChunks(reader, { format: vds.VolumeDataFormat.Format_R32 }),
        map(({ chunkIndex, bytes }) => ({ chunkIndex, samples: new Float32Array(bytes.slice().buffer) })),
        // The expected value, on this thread, before the samples move to a worker.
        tap((chunk) => expected.set(chunk.chunkIndex, { rms: rmsHere(chunk.samples), count: layer.chunkVoxelCount(chunk.chunkIndex) })),
        vds.onPool<{ samples: Float32Array }, RmsReply>(({ samples }) => ({ job: { kind: 'rms', samples } satisfies RmsJob, transfer: [samples.buffer] })),
        toArray(),
      ));
      expect(results).to.have.length(8);
      expect(expected.size).to.equal(8);
      // Replies come in completion order: match them to chunks by their samples' count and value.
      const byValue = [...expected.values()].map(({ rms, count }) => `${rms}/${count}`).sort();
      expect(results.map(({ rms, count }) => `${rms}/${count}`).sort()).to.deep.equal(byValue);
      for (const { rms } of results) expect(rms).to.be.greaterThan(0);
    } finally {
      await vds.close(dataset, false);
    }
  });

  it('runs the built-in decimate kind byte for byte like LOD generation on this thread', async () => {
    const random = seededRandom(13);
    const noValue = -7.5;
    const child = new Float32Array(16 * 16 * 16).map(() => (random() < 0.2 ? noValue : Math.fround(random() * 100)));
    const parent = new Float32Array(16 * 16 * 16).fill(noValue);
    const decimation = (parentBytes: Uint8Array, childBytes: Uint8Array): Decimation => ({
      parent: { bytes: parentBytes, size: [16, 16, 16] }, child: { bytes: childBytes, size: [16, 16, 16] },
      region: { targetOffset: [8, 0, 8], targetSize: [8, 8, 8], sourceOffset: [0, 0, 0], fullResolutionDimension: -1, dimensionality: 3 },
      format: vds.VolumeDataFormat.Format_R32, components: 1, noValue,
    });
    const here = new Uint8Array(parent.slice().buffer);
    downsampleRegion(decimation(here, new Uint8Array(child.slice().buffer)));
    const onPool = vds.chunkPool().run({ kind: 'decimate', ...decimation(new Uint8Array(parent.slice().buffer), new Uint8Array(child.slice().buffer)) });
    const reply = await onPool;
    expect(Buffer.from(reply.parent).equals(Buffer.from(here))).to.equal(true);
    expect(Buffer.from(reply.child).equals(Buffer.from(child.buffer))).to.equal(true);
    // Something was decimated: the region is no longer all no-value.
    expect(new Float32Array(reply.parent.buffer).filter((v) => v !== noValue).length).to.be.greaterThan(400);
  });

  it('a ChunkPool of one\'s own: two jobs per worker run, the rest queue, and an aborted queued job never leaves', async () => {
    const pool = new vds.ChunkPool({ workers: 1 });
    try {
      expect(pool.stats()).to.include({ workers: 1, started: 0, queued: 0, running: 0 });
      const arrays = Array.from({ length: 4 }, (_, i) => new Float32Array(1 << 20).fill(i + 1));
      const controller = new AbortController();
      const jobs = arrays.map((samples, i) =>
        pool.run({ kind: 'rms', samples } satisfies RmsJob, [samples.buffer], i === 3 ? controller.signal : undefined));
      expect(pool.stats()).to.include({ workers: 1, queued: 2, running: 2 });
      controller.abort();
      expect(await rejection(jobs[3]!)).to.be.instanceOf(vds.CanceledError);
      expect(pool.stats()).to.include({ workers: 1, queued: 1, running: 2 });
      expect(arrays[3]!.byteLength, 'the dropped job kept its buffer').to.equal(4 << 20);
      const replies = await Promise.all(jobs.slice(0, 3)) as RmsReply[];
      expect(replies.map((r) => r.rms)).to.deep.equal([1, 2, 3]);
      expect(pool.stats()).to.include({ workers: 1, queued: 0, running: 0 });
      expect(await rejection(pool.run({ kind: 'rms', samples: new Float32Array(1) }, [], AbortSignal.abort()))).to.be.instanceOf(vds.CanceledError);
    } finally {
      await pool.destroy();
    }
    expect(() => new vds.ChunkPool({ workers: 0 })).to.throw(vds.InvalidArgumentError, 'A chunk pool needs a positive integer number of workers, got 0');
  });

  it('an `ahead` job starts before the jobs already queued, after earlier `ahead` ones (how decimations pass queued encodes)', async () => {
    const pool = new vds.ChunkPool({ workers: 1 });
    try {
      const done: string[] = [];
      const job = (name: string, ahead: boolean) => {
        const samples = new Float32Array(1 << 18).fill(1);
        return pool.run({ kind: 'rms', samples } satisfies RmsJob, [samples.buffer], undefined, { ahead }).then(() => { done.push(name); });
      };
      // Two run at once (two per worker); the rest wait in the pool's queue.
      const jobs = [job('first', false), job('second', false), job('queued 1', false), job('queued 2', false), job('ahead 1', true), job('ahead 2', true)];
      expect(pool.stats()).to.include({ queued: 4, running: 2 });
      await Promise.all(jobs);
      expect(done).to.deep.equal(['first', 'second', 'ahead 1', 'ahead 2', 'queued 1', 'queued 2']);
    } finally {
      await pool.destroy();
    }
  });

  it('jobs that wait while every worker is busy go over in batches of up to eight, and each settles on its own', async () => {
    vds.registerChunkJob('throwing', new URL('./support/throwingJob.ts', import.meta.url));
    const messages: number[] = [];
    // Threads on this thread that record each message: how many jobs it carries.
    const threads = (): PoolThreads => ({
      run: async (task) => {
        messages.push(task.job.kind === 'batch' ? (task.job as BatchJob).tasks.length : 1);
        await new Promise((resolve) => setTimeout(resolve, 5));
        // Required, as mocha loads the sources: an import() would compile them a second way (checkCoverageData.mjs).
        return (await runJob(task, async (module) => createRequire(import.meta.url)(fileURLToPath(module)) as { default?: unknown })).result;
      },
      started: () => 1,
      destroy: async () => undefined,
    });
    const pool = new vds.ChunkPool({ workers: 1 }, threads);
    const jobs = Array.from({ length: 20 }, (_, i) => {
      if (i === 6) return pool.run({ kind: 'throwing', what: 'job 6' } as vds.ChunkJob);
      const samples = new Float32Array(16).fill(i);
      return pool.run({ kind: 'rms', samples } satisfies RmsJob, [samples.buffer]);
    });
    const settled = await Promise.allSettled(jobs);
    expect(messages, 'two single jobs while the rest queue, then batches').to.deep.equal([1, 1, 8, 8, 2]);
    settled.forEach((outcome, i) => {
      if (i === 6) expect(outcome.status === 'rejected' && outcome.reason, 'job 6').to.be.instanceOf(vds.InvalidArgumentError).with.property('message', 'throwingJob refuses job 6');
      else expect(outcome.status === 'fulfilled' && (outcome.value as RmsReply).rms, `job ${i}`).to.equal(i);
    });
    expect(pool.stats()).to.include({ queued: 0, running: 0 });
  });

  it('warm starts every worker with the decode job loaded, counts as no job, and does nothing once they run', async () => {
    const pool = new vds.ChunkPool({ workers: 2 });
    try {
      await pool.warm();
      expect(pool.stats()).to.deep.equal({ workers: 2, started: 2, queued: 0, running: 0 });
      await pool.warm();
      expect(pool.stats().started).to.equal(2);
    } finally {
      await pool.destroy();
    }
    expect(pool.stats().started).to.equal(0);
  });

  it('errors: unknown kinds, bad registrations, a job that throws, a module without a handler', async () => {
    const unknown = await rejection(vds.chunkPool().run({ kind: 'nope' }));
    expect(unknown).to.be.instanceOf(vds.InvalidArgumentError);
    expect(unknown.message).to.match(/^No chunk job kind "nope" is registered \(have: decode, decodeWavelet, encode, decimate, .*rms.*; see registerChunkJob\)$/);
    expect(() => vds.registerChunkJob('rms', rmsModule)).not.to.throw();
    expect(() => vds.registerChunkJob('rms', new URL('./support/brokenJob.ts', import.meta.url)))
      .to.throw(vds.InvalidOperationError, `Chunk job kind "rms" is already registered with ${rmsModule.href}`);
    expect(() => vds.registerChunkJob('decode', rmsModule)).to.throw(vds.InvalidOperationError, /^Chunk job kind "decode" is already registered with file:.*decodeJob\.ts$/);
    expect(() => vds.registerChunkJob('relative', './rmsJob.js'))
      .to.throw(vds.InvalidArgumentError, 'The module of chunk job kind "relative" must be an absolute URL (e.g. new URL(\'./job.js\', import.meta.url)), got ./rmsJob.js');
    expect(() => vds.registerChunkJob('', rmsModule)).to.throw(vds.InvalidArgumentError, 'A chunk job kind must be a non-empty string, got ');

    vds.registerChunkJob('throwing', new URL('./support/throwingJob.ts', import.meta.url));
    const thrown = await rejection(vds.chunkPool().run({ kind: 'throwing', what: 'everything' } as vds.ChunkJob));
    expect(thrown).to.be.instanceOf(vds.InvalidArgumentError);
    expect(thrown.message).to.equal('throwingJob refuses everything');

    const broken = new URL('./support/brokenJob.ts', import.meta.url);
    vds.registerChunkJob('broken', broken);
    const noHandler = await rejection(vds.chunkPool().run({ kind: 'broken' }));
    expect(noHandler).to.be.instanceOf(vds.InvalidArgumentError);
    expect(noHandler.message).to.equal(`Chunk job module ${broken.href} (kind "broken") has no default export function`);
  });
});
