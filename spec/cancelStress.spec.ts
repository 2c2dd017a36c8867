import { expect } from 'chai';
import * as vds from '../src/index.js';
import { MemoryStore } from '../sources/stores/memoryStore.js';
import { chunkJobsInFlight, InstrumentedStore, whenQuiet } from './support/slowStore.js';
import { uniqueMemoryUrl, writeTestVolume } from './support/volumes.js';

function random(seed: number): () => number {
  return () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('cancelling 1,000 random requests mid-flight', function () {
  this.timeout(180_000);

  it('leaves no fetch, no worker job, no later write into any buffer and no unhandled rejection', async () => {
    const url = uniqueMemoryUrl('cancel');
    const size = [96, 80, 64];
    await writeTestVolume({ url, size: [96, 80, 64], format: vds.VolumeDataFormat.Format_R32, method: vds.CompressionMethod.Zip,
      value: (x, y, z) => x - y + z * 0.5 });
    const store = new InstrumentedStore(new MemoryStore(url.slice('inmemory://'.length)));
    const dataset = await vds.open(store);
    dataset.chunkCache.setMaxBytes(0);
    const manager = vds.getAccessManager(dataset);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const next = random(99);
    const canceled: { out: Float32Array; snapshot: Float32Array }[] = [];
    try {
      for (let batch = 0; batch < 50; batch++) {
        store.delayMs = Math.floor(next() * 3);
        await Promise.all(Array.from({ length: 20 }, async () => {
          const min = size.map((n) => Math.floor(next() * (n - 16)));
          const max = min.map((m, d) => Math.min(size[d]!, m + 1 + Math.floor(next() * 40)));
          const count = max.reduce((a, b, d) => a * (b - min[d]!), 1);
          const out = new Float32Array(new SharedArrayBuffer(count * 4)).fill(-12345);
          const request = manager.requestVolumeSubset(min, max, { dataOut: out });
          await new Promise((resolve) => setTimeout(resolve, next() * 6));
          request.cancel();
          if (request.isCanceled()) canceled.push({ out, snapshot: out.slice() });
        }));
      }
      await whenQuiet(store);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await vds.close(dataset, false);
    }
    expect(chunkJobsInFlight()).to.equal(0);
    expect(store.activeReads).to.equal(0);
    expect(unhandled).to.deep.equal([]);
    expect(canceled.length).to.be.greaterThan(500);
    const written = canceled.filter(({ out, snapshot }) => !Buffer.from(out.buffer).equals(Buffer.from(snapshot.buffer)));
    expect(written.length, 'buffers written after cancel returned').to.equal(0);
  });
});
