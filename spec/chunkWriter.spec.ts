// The ChunkWriter on its own, with tasks the spec settles by hand: per-chunk order, the in-flight
// bound, the backlog, the first failure reported once, and cancellation by signal.
import { expect } from 'chai';
import * as vds from '../src/index.js';
import { chunkWriterLimits } from '../src/engine/chunkWriter.js';
import type { VolumeDataLayer } from '../src/model/geometry/layers.js';
import { rejection } from './support/rejection.js';

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
    await writer.settled();
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
