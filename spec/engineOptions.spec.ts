// The engine's tuning: defaults from the worker pool's size, set per dataset with connection-string
// keys, refused when out of range, and honoured by requests (chunks in flight) and the cache.
import { expect } from 'chai';
import * as vds from '../src/index.js';
import { defaultEngineOptions } from '../src/engine/engineOptions.js';
import { MemoryStore } from '../sources/stores/memoryStore.js';
import { rejection } from './support/rejection.js';
import { InstrumentedStore } from './support/slowStore.js';
import { writeTestVolume } from './support/volumes.js';

describe('engine options', function () {
  this.timeout(60_000);

  it('default to the pool size: 4 chunks in flight per worker (at least 32), 2 writes per worker (at least 2), a 256 MiB cache', () => {
    expect(defaultEngineOptions(1)).to.deep.equal({ chunksInFlight: 32, chunkCacheBytes: 268_435_456, writesInFlight: 2 });
    expect(defaultEngineOptions(12)).to.deep.equal({ chunksInFlight: 48, chunkCacheBytes: 268_435_456, writesInFlight: 24 });
  });

  it('are set by connection-string keys, and a request keeps no more chunks in flight than ChunksInFlight', async () => {
    const volume = await writeTestVolume({ size: [64, 64, 64], format: vds.VolumeDataFormat.Format_U8, value: (x, y, z) => (x + y + z) % 250 });
    const store = new InstrumentedStore(new MemoryStore(volume.url.slice('inmemory://'.length)));
    store.delayMs = 5;
    let mostReads = 0;
    const get = store.get.bind(store);
    store.get = async (key, options) => {
      const read = get(key, options);
      mostReads = Math.max(mostReads, store.activeReads);
      return read;
    };
    const dataset = await vds.open(store, 'ChunksInFlight=2;ChunkCacheBytes=0;WritesInFlight=1');
    expect(dataset.engine).to.deep.equal({ chunksInFlight: 2, chunkCacheBytes: 0, writesInFlight: 1 });
    expect(dataset.chunkCache.keepsChunks).to.equal(false);
    const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], [64, 64, 64], { format: vds.VolumeDataFormat.Format_U8 });
    expect(await request.waitForCompletion()).to.equal(true);
    expect((request.data as Uint8Array)[1 + 64 * (2 + 64 * 3)]).to.equal(6);
    expect(mostReads).to.equal(2);
    await vds.close(dataset);
  });

  it('refuse values out of range with the key named, and unknown keys stay refused', async () => {
    const volume = await writeTestVolume({ size: [16, 16, 16], format: vds.VolumeDataFormat.Format_U8, value: () => 1 });
    const error = await rejection(vds.open(volume.url, 'ChunksInFlight=0'));
    expect(error).to.be.instanceOf(vds.InvalidArgumentError);
    expect((error as Error).message).to.equal('ChunksInFlight must be a whole number ≥ 1, got "0"');
    const cache = await rejection(vds.open(volume.url, 'ChunkCacheBytes=1e3x'));
    expect((cache as Error).message).to.equal('ChunkCacheBytes must be a whole number ≥ 0, got "1e3x"');
    const unknown = await rejection(vds.open(volume.url, 'ChunksInFlite=4'));
    expect((unknown as Error).message).to.match(/ChunksInFlite|chunksinflite/);
  });
});
