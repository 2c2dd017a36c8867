// The ChunkWriter on its own, with tasks the spec settles by hand: per-chunk order, the in-flight
// bound, the backlog, the first failure reported once, and cancellation by signal; then the
// writeBackPages stage over a dataset's writer.
import { expect } from 'chai';
import { lastValueFrom, map, range, toArray } from 'rxjs';
import * as vds from '../src/index.js';
import { chunkWriterLimits } from '../src/engine/chunkWriter.js';
import type { VolumeDataLayer } from '../src/model/geometry/layers.js';
import { MemoryStore } from '../sources/stores/memoryStore.js';
import type { Store, WriteOptions } from '../sources/stores/store.js';
import { rejection } from './support/rejection.js';
import { uniqueMemoryUrl } from './support/volumes.js';

const layer = { name: 'Dimensions_012LOD0' } as VolumeDataLayer;
const other = { name: 'Dimensions_012LOD1' } as VolumeDataLayer;

/** A task the spec settles: records when it starts and whether its signal aborted. */
class Task {
  started = false;
  private settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  constructor(readonly name: string, private readonly log: string[]) {}
  readonly run = (signal: AbortSignal): Promise<void> => {
    this.started = true;
    this.log.push(`start ${this.name}`);
    return new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
      signal.addEventListener('abort', () => reject(new vds.CanceledError()), { once: true });
    });
  };
  resolve(): void { this.log.push(`end ${this.name}`); this.settle!.resolve(); }
  reject(error: unknown): void { this.settle!.reject(error); }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ChunkWriter', () => {
  it('waits for room at twice the writes in flight, and refuses limits that cannot work', () => {
    expect(chunkWriterLimits(2)).to.deep.equal({ inFlight: 2, backlog: 4 });
    expect(chunkWriterLimits(8)).to.deep.equal({ inFlight: 8, backlog: 16 });
    expect(() => new vds.ChunkWriter({ inFlight: 0, backlog: 4 }))
      .to.throw(vds.InvalidArgumentError, 'Chunk writer limits need integers 1 ≤ inFlight ≤ backlog, got inFlight 0, backlog 4');
    expect(() => new vds.ChunkWriter({ inFlight: 4, backlog: 2 })).to.throw(vds.InvalidArgumentError, /inFlight 4, backlog 2/);
  });

  it('lands two writes of one chunk in order and runs at most inFlight at once, first come first served', async () => {
    const log: string[] = [];
    const writer = new vds.ChunkWriter({ inFlight: 2, backlog: 8 });
    const [a1, a2, b, c] = ['a1', 'a2', 'b', 'c'].map((name) => new Task(name, log));
    writer.write(layer, 0, a1!.run);
    writer.write(layer, 0, a2!.run);
    writer.write(layer, 1, b!.run);
    // Same chunk index, another layer: another chunk.
    writer.write(other, 0, c!.run);
    await tick();
    expect(log).to.deep.equal(['start a1', 'start b']);
    expect(writer.pending).to.equal(4);
    a1!.resolve();
    await tick();
    // a1's slot goes to c, which was waiting for one; a2 then waits for a slot.
    expect(log).to.deep.equal(['start a1', 'start b', 'end a1', 'start c']);
    b!.resolve();
    await tick();
    expect(log.slice(4)).to.deep.equal(['end b', 'start a2']);
    a2!.resolve();
    c!.resolve();
    await writer.drain();
    expect(writer.pending).to.equal(0);
  });

  it('room() waits while the backlog is full', async () => {
    const log: string[] = [];
    const writer = new vds.ChunkWriter({ inFlight: 1, backlog: 2 });
    const tasks = [0, 1].map((i) => new Task(String(i), log));
    tasks.forEach((task, i) => writer.write(layer, i, task.run));
    let roomy = false;
    const room = writer.room().then(() => { roomy = true; });
    await tick();
    expect(roomy).to.equal(false);
    tasks[0]!.resolve();
    await room;
    expect(writer.pending).to.equal(1);
    // A signal stops the wait.
    writer.write(layer, 2, new Task('2', log).run);
    const controller = new AbortController();
    const waiting = writer.room({ signal: controller.signal });
    controller.abort();
    expect(await rejection(waiting)).to.be.instanceOf(vds.CanceledError);
    writer.cancel();
    await writer.drain();
  });

  it('keeps the first failure until a drain reports it, once; written() settles even after a failure', async () => {
    const log: string[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const writer = new vds.ChunkWriter({ inFlight: 2, backlog: 4 });
      const [first, second, fine] = ['first', 'second', 'fine'].map((name) => new Task(name, log));
      writer.write(layer, 0, first!.run);
      writer.write(layer, 1, second!.run);
      await tick();
      const failure = new vds.StoreError('Cannot write Dimensions_012LOD0/0: disk full', 507);
      first!.reject(failure);
      second!.reject(new vds.StoreError('later'));
      await writer.written(layer, 0);
      writer.write(layer, 0, fine!.run);
      await tick();
      fine!.resolve();
      expect(await rejection(writer.drain())).to.equal(failure);
      await writer.drain();
      await tick();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).to.deep.equal([]);
  });

  it('an aborted drain cancels every pending write (queued ones never start) and rejects once none runs', async () => {
    const log: string[] = [];
    const writer = new vds.ChunkWriter({ inFlight: 1, backlog: 4 });
    const [running, queued] = ['running', 'queued'].map((name) => new Task(name, log));
    const done = [writer.write(layer, 0, running!.run), writer.write(layer, 1, queued!.run)];
    await tick();
    const controller = new AbortController();
    const draining = writer.drain({ signal: controller.signal });
    controller.abort();
    expect(await rejection(draining)).to.be.instanceOf(vds.CanceledError);
    expect(writer.pending).to.equal(0);
    expect(queued!.started).to.equal(false);
    for (const write of done) expect(await rejection(write)).to.be.instanceOf(vds.CanceledError);
    // Cancelled writes are not failures.
    await writer.drain();
    expect(log).to.deep.equal(['start running']);
  });

  it('a caller\'s signal cancels that write only', async () => {
    const log: string[] = [];
    const writer = new vds.ChunkWriter({ inFlight: 1, backlog: 4 });
    const [a, b, c] = ['a', 'b', 'c'].map((name) => new Task(name, log));
    const controller = new AbortController();
    writer.write(layer, 0, a!.run);
    const canceled = writer.write(layer, 1, b!.run, { signal: controller.signal });
    writer.write(layer, 2, c!.run);
    controller.abort();
    expect(await rejection(canceled)).to.be.instanceOf(vds.CanceledError);
    a!.resolve();
    await tick();
    c!.resolve();
    await writer.drain();
    expect(log).to.deep.equal(['start a', 'end a', 'start c', 'end c']);
    const before = writer.write(layer, 3, new Task('d', log).run, { signal: AbortSignal.abort() });
    expect(await rejection(before)).to.be.instanceOf(vds.CanceledError);
    expect(log).to.have.length(4);
  });
});

describe('writeBackPages: the ChunkWriter as an RxJS stage', function () {
  this.timeout(60_000);

  it('writes chunks through a dataset\'s writer, and reports a failed one in the stream without ending it', async () => {
    const name = uniqueMemoryUrl('write-back').slice('inmemory://'.length);
    const memory = new MemoryStore(name);
    const failing: Store = Object.assign(Object.create(memory) as Store, {
      set: (key: string, data: Uint8Array, options?: WriteOptions) => (key === 'Dimensions_012LOD0/2'
        ? Promise.reject(new vds.StoreError(`Cannot write ${key}: read-only`, 403)) : memory.set(key, data, options)),
    });
    const dataset = await vds.create(failing, 'WritesInFlight=2', new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_32, 0, 0, 1, vds.LODLevels.LODLevels_None),
      [new vds.VolumeDataAxisDescriptor(64, 'Sample', 'ms', 0, 63), new vds.VolumeDataAxisDescriptor(64, 'Crossline', '', 0, 63),
        new vds.VolumeDataAxisDescriptor(32, 'Inline', '', 0, 31)],
      [new vds.VolumeDataChannelDescriptor(vds.VolumeDataFormat.Format_R32, vds.VolumeDataComponents.Components_1, 'Value', '', 0, 10)],
      new vds.MetadataContainer(), vds.CompressionMethod.Zip, 0);
    const layer = dataset.layers.get(vds.DimensionsND.Dimensions_012, 0, 0)!;
    dataset.produceLayer(layer, 1024);
    const target: vds.ChunkWriteTarget = { dataset: dataset.dataset, layer, compressionMethod: vds.CompressionMethod.Zip, compressionTolerance: 0, pool: vds.chunkPool() };
    const written = await lastValueFrom(range(0, layer.chunkCount).pipe(
      map((chunkIndex): vds.ChunkWrite => ({ target, chunkIndex, payload: new Uint8Array(new Float32Array(32 ** 3).map((_, i) => chunkIndex + i / 32 ** 3).buffer) })),
      vds.writeBackPages(dataset.chunkWriter),
      toArray(),
    ));
    expect(written.map((w) => w.write.chunkIndex).sort()).to.deep.equal([0, 1, 2, 3]);
    const failed = written.filter((w) => w.error !== undefined);
    expect(failed.map((w) => [w.write.chunkIndex, (w.error as Error).message])).to.deep.equal([[2, 'Cannot write Dimensions_012LOD0/2: read-only']]);
    // The writer kept it too, for whoever drains it first (here, before close).
    expect(await rejection(dataset.chunkWriter.drain())).to.equal(failed[0]!.error);
    await vds.close(dataset);

    const reopened = await vds.open(`inmemory://${name}`);
    try {
      const request = vds.getAccessManager(reopened).requestVolumeSubset([0, 0, 0], [64, 64, 32]);
      expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
      const data = request.data as Float32Array;
      // Chunk 1 is x 32…63 of y 0…31; chunk 2 (y 32…63 of x 0…31) was never written.
      expect(data[40]).to.equal(Math.fround(1 + 8 / 32 ** 3));
      expect(data[5 + 40 * 64]).to.equal(0);
      expect(data[40 + 40 * 64 + 64 * 64]).to.equal(Math.fround(3 + (8 + 8 * 32 + 32 * 32) / 32 ** 3));
    } finally {
      await vds.close(reopened, false);
    }
  });
});
