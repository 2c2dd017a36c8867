import { expect } from 'chai';
import * as vds from '../src/index.js';
import { MemoryStore } from '../sources/stores/memoryStore.js';
import { chunkJobsInFlight, InstrumentedStore } from './support/slowStore.js';
import { uniqueMemoryUrl, writeTestVolume } from './support/volumes.js';

const F = vds.VolumeDataFormat;
const value = (x: number, y: number, z: number) => Math.fround(Math.sin(x * 0.1) + y * 0.01 - z * 0.001);

async function waitUntil(condition: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('VolumeDataRequest', function () {
  this.timeout(60_000);
  let url: string;
  let instrumented: InstrumentedStore;
  before(async () => {
    url = uniqueMemoryUrl('requests');
    await writeTestVolume({ url, size: [100, 90, 80], format: F.Format_R32, method: vds.CompressionMethod.Zip, value });
    instrumented = new InstrumentedStore(new MemoryStore(url.slice('inmemory://'.length)));
  });

  it('reports progress, then data, then completes; IDs increase', async () => {
    const dataset = await vds.open(url);
    const manager = vds.getAccessManager(dataset);
    const a = manager.requestVolumeSubset([0, 0, 0], [100, 90, 80]);
    const b = manager.requestVolumeSubset([0, 0, 0], [10, 10, 10]);
    expect(b.requestID()).to.be.greaterThan(a.requestID());
    const kinds: string[] = [];
    const factors: number[] = [];
    await new Promise<void>((resolve, reject) => a.subscribe({
      next: (e) => { kinds.push(e.kind); if (e.kind === 'progress') factors.push(e.completionFactor); },
      error: reject, complete: resolve,
    }));
    expect(kinds.at(-1)).to.equal('data');
    expect(factors.at(-1)).to.equal(1);
    expect(factors).to.deep.equal([...factors].sort((x, y) => x - y));
    expect(a.isCompleted()).to.equal(true);
    expect(a.errorCode).to.equal(0);
    expect(await b.waitForCompletion()).to.equal(true);
    expect((b.data as Float32Array)[0]).to.equal(value(0, 0, 0));
    await vds.close(dataset);
  });

  it('throws synchronously on bad arguments with clear messages', async () => {
    const dataset = await vds.open(url);
    const manager = vds.getAccessManager(dataset);
    expect(() => manager.requestVolumeSubset([0, 0, 0], [101, 90, 80])).to.throw(vds.InvalidArgumentError, /dimension 0: \[0, 101\)/);
    expect(() => manager.requestVolumeSubset([5, 0, 0], [5, 90, 80])).to.throw(vds.InvalidArgumentError, /not be empty/);
    expect(() => manager.requestVolumeSubset([0, 0], [1, 1])).to.throw(vds.InvalidArgumentError, 'min must be an array of 3 to 6 integers, got [0, 0]');
    expect(() => manager.requestVolumeSubset([0, 0, 0], [1, 1, 1], { lod: 3 })).to.throw(vds.InvalidArgumentError, /LOD doesn't exist/);
    expect(() => manager.requestVolumeSubset([0, 0, 0], [1, 1, 1], { channel: 1 })).to.throw(vds.InvalidArgumentError, /Channel 1/);
    const empty = await vds.create(uniqueMemoryUrl('empty'), '', vds.getLayout(dataset).getLayoutDescriptor(),
      vds.getLayout(dataset).axisDescriptors, vds.getLayout(dataset).channelDescriptors);
    expect(() => vds.getAccessManager(empty).requestVolumeSubset([0, 0, 0], [1, 1, 1])).to.throw(vds.InvalidOperationError, /unavailable/);
    await vds.close(empty);
    expect(() => manager.requestVolumeSubset([0, 0, 0], [2, 2, 2], { dataOut: new Float32Array(7) })).to.throw(vds.InvalidArgumentError, /dataOut must be a Float32Array of at least 8 elements/);
    await vds.close(dataset);
  });

  it('writes into a caller-supplied SharedArrayBuffer', async () => {
    const dataset = await vds.open(url);
    const manager = vds.getAccessManager(dataset);
    const size = manager.getVolumeSubsetBufferSize([0, 0, 0], [100, 90, 80]);
    expect(size).to.equal(100 * 90 * 80 * 4);
    const out = new Float32Array(new SharedArrayBuffer(size));
    const request = manager.requestVolumeSubset([0, 0, 0], [100, 90, 80], { dataOut: out });
    expect(await request.waitForCompletion()).to.equal(true);
    expect(request.data).to.equal(out);
    expect(out[5 + 100 * (6 + 90 * 7)]).to.equal(value(5, 6, 7));
    await vds.close(dataset);
  });

  it('times out in waitForCompletion without canceling', async () => {
    instrumented.delayMs = 50;
    const dataset = await vds.open(instrumented);
    const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], [100, 90, 80]);
    expect(await request.waitForCompletion(5)).to.equal(false);
    expect(request.isCanceled()).to.equal(false);
    expect(await request.waitForCompletion()).to.equal(true);
    instrumented.delayMs = 0;
  });

  it('cancel stops fetches and queued decode jobs and leaves the buffer alone', async () => {
    instrumented.delayMs = 20;
    const dataset = await vds.open(instrumented);
    const manager = vds.getAccessManager(dataset);
    const out = new Float32Array(100 * 90 * 80).fill(-1);
    const request = manager.requestVolumeSubset([0, 0, 0], [100, 90, 80], { dataOut: out });
    await waitUntil(() => instrumented.activeReads > 0);
    await request.cancelAndWaitForCompletion();
    expect(request.isCanceled()).to.equal(true);
    expect(request.errorCode).to.equal(-2);
    expect(() => request.data).to.throw(/canceled/);
    expect(instrumented.activeReads).to.equal(0);
    const snapshot = out.slice();
    const readsAtCancel = instrumented.reads;
    await new Promise((r) => setTimeout(r, 100));
    expect(instrumented.reads).to.equal(readsAtCancel);
    expect(Buffer.from(out.buffer).equals(Buffer.from(snapshot.buffer))).to.equal(true);
    await waitUntil(() => chunkJobsInFlight() === 0);
    instrumented.delayMs = 0;
  });

  it('unsubscribing from the Observable cancels the work', async () => {
    instrumented.delayMs = 20;
    const dataset = await vds.open(instrumented);
    const subscription = vds.getAccessManager(dataset).volumeSubset$([0, 0, 0], [100, 90, 80]).subscribe();
    await waitUntil(() => instrumented.activeReads > 0);
    subscription.unsubscribe();
    // Aborted reads settle within one turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    expect(instrumented.activeReads).to.equal(0);
    await waitUntil(() => chunkJobsInFlight() === 0);
    instrumented.delayMs = 0;
  });

  it('ends canceled with code and message when a chunk is corrupt or missing', async () => {
    instrumented.corrupt = (key, bytes) => (key.endsWith('/3') ? bytes.subarray(0, 40) : bytes);
    let dataset = await vds.open(instrumented);
    let request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], [100, 90, 80]);
    expect(await request.waitForCompletion()).to.equal(false);
    expect(request.isCanceled()).to.equal(true);
    expect(request.errorCode).to.equal(-1);
    expect(request.errorMessage).to.match(/./);
    instrumented.corrupt = (key, bytes) => (key.endsWith('/3') ? undefined : bytes);
    dataset = await vds.open(instrumented);
    request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], [100, 90, 80]);
    expect(await request.waitForCompletion()).to.equal(false);
    expect(request.errorCode).to.equal(404);
    expect(request.errorMessage).to.match(/Dimensions_012LOD0\/3 is missing/);
    instrumented.corrupt = undefined;
  });

  it('opening a missing or broken dataset names the URL and the cause', async () => {
    const missing = uniqueMemoryUrl('missing');
    let error: Error | undefined;
    try { await vds.open(missing); } catch (e) { error = e as Error; }
    expect(error?.message).to.match(new RegExp(`Cannot open ${missing}: it has no VolumeDataLayout`));
    const store = new MemoryStore(missing.slice('inmemory://'.length));
    await store.set('VolumeDataLayout', new TextEncoder().encode('{"layoutDescriptor": '));
    await store.set('LayerStatus', new TextEncoder().encode('[]'));
    error = undefined;
    try { await vds.open(missing); } catch (e) { error = e as Error; }
    expect(error?.message).to.match(new RegExp(`Cannot open ${missing}: .*VolumeDataLayout`));
  });
});
