// A VolumeDataRequest observed by several subscribers is one piece of work: it runs while any of
// them stays, is canceled when the last one leaves, and cancel() ends it for all of them.
import { expect } from 'chai';
import { lastValueFrom } from 'rxjs';
import * as vds from '../src/index.js';
import { MemoryStore } from '../sources/stores/memoryStore.js';
import { chunkJobsInFlight } from './support/slowStore.js';
import { rejection } from './support/rejection.js';
import { delay, InstrumentedStore } from './support/slowStore.js';
import { uniqueMemoryUrl, writeTestVolume } from './support/volumes.js';

const value = (x: number, y: number, z: number) => x + 100 * y + 10_000 * z;

async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(2);
  }
}

describe('VolumeDataRequest subscribers share the request', function () {
  this.timeout(60_000);
  let store: InstrumentedStore;
  let dataset: vds.VDS;
  let manager: vds.VolumeDataAccessManager;

  before(async () => {
    const url = uniqueMemoryUrl('subscribers');
    await writeTestVolume({ url, size: [64, 64, 64], format: vds.VolumeDataFormat.Format_R32, method: vds.CompressionMethod.Zip, value,
      valueRange: [0, 700_000] });
    store = new InstrumentedStore(new MemoryStore(url.slice('inmemory://'.length)));
    dataset = await vds.open(store);
    dataset.chunkCache.setMaxBytes(0);
    manager = vds.getAccessManager(dataset);
  });
  after(async () => { await vds.close(dataset, false); });
  afterEach(async () => {
    store.delayMs = 0;
    await waitUntil(() => chunkJobsInFlight() === 0 && store.activeReads === 0, 'the work to drain');
  });

  it('keeps running when the first of two subscribers leaves, and completes with the data', async () => {
    store.delayMs = 10;
    const request = manager.requestVolumeSubset([0, 0, 0], [64, 64, 64]);
    const first = request.subscribe(() => undefined);
    const second = lastValueFrom(request.asObservable());
    await waitUntil(() => store.activeReads > 0, 'a read');
    first.unsubscribe();
    expect(request.isCanceled()).to.equal(false);
    const last = await second;
    expect(last.kind).to.equal('data');
    expect(request.isCompleted()).to.equal(true);
    const data = request.data as Float32Array;
    // Voxel (x, y, z) at x + 64·(y + 64·z): one from each of the 8 chunks' corners.
    for (const [x, y, z] of [[0, 0, 0], [63, 0, 0], [0, 63, 0], [0, 0, 63], [33, 31, 62], [63, 63, 63]] as const) {
      expect(data[x + 64 * (y + 64 * z)]).to.equal(value(x, y, z));
    }
  });

  it('is canceled (code −2) when the last subscriber leaves, and its store reads stop', async () => {
    store.delayMs = 30;
    const request = manager.requestVolumeSubset([0, 0, 0], [64, 64, 64]);
    const errors: unknown[] = [];
    const subscriptions = [0, 1].map(() => request.subscribe({ error: (e: unknown) => errors.push(e) }));
    await waitUntil(() => store.activeReads > 0, 'a read');
    subscriptions[0]!.unsubscribe();
    expect(request.isCanceled(), 'after the first left').to.equal(false);
    subscriptions[1]!.unsubscribe();
    expect(await request.waitForCompletion()).to.equal(false);
    expect(request.isCanceled()).to.equal(true);
    expect(request.errorCode).to.equal(-2);
    // Both had left: nobody is told.
    expect(errors).to.deep.equal([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.activeReads, 'reads still pending').to.equal(0);
    const readsAtCancel = store.reads;
    await delay(100);
    expect(store.reads, 'reads after the last subscriber left').to.equal(readsAtCancel);
  });

  it('cancel() ends it for every subscriber with CanceledError', async () => {
    store.delayMs = 30;
    const request = manager.requestVolumeSamples([[10, 10, 10], [50, 50, 50]], { interpolationMethod: vds.InterpolationMethod.Nearest });
    const failures = [0, 1].map(() => rejection(lastValueFrom(request.asObservable())));
    await waitUntil(() => store.activeReads > 0, 'a read');
    request.cancel();
    for (const failure of failures) expect(await failure).to.be.instanceOf(vds.CanceledError);
    expect(request.isCanceled()).to.equal(true);
  });

  it('replays its data to a subscriber that comes after it completed, and that subscriber leaving cancels nothing', async () => {
    const request = manager.requestVolumeSamples([[10.5, 20.5, 30.5]], { interpolationMethod: vds.InterpolationMethod.Nearest });
    expect(await request.waitForCompletion()).to.equal(true);
    const events: vds.RequestEvent<Float32Array>[] = [];
    request.subscribe((event) => events.push(event)).unsubscribe();
    expect(events).to.have.length(1);
    expect(events[0]!.kind).to.equal('data');
    expect(Array.from(request.data)).to.deep.equal([value(10, 20, 30)]);
    expect(request.isCompleted()).to.equal(true);
  });
});
