import { expect } from 'chai';
import * as vds from '../src/index.js';
import type { ByteRange, ReadOptions, Store } from '../sources/stores/store.js';
import { VdsFileStore } from '../sources/vdsFile/vdsFileStore.js';
import { openvdsVector } from './support/testdata.js';

/** Counts the chunk bytes a store hands out. */
function countingStore(inner: Store): Store & { chunkBytes: number } {
  const counted = Object.create(inner) as Store & { chunkBytes: number };
  counted.chunkBytes = 0;
  const isChunk = (key: string) => /LOD\d+\/\d+$/.test(key);
  counted.get = async (key: string, options?: ReadOptions) => {
    const bytes = await inner.get(key, options);
    if (bytes && isChunk(key)) counted.chunkBytes += bytes.byteLength;
    return bytes;
  };
  counted.getRange = async (key: string, range: ByteRange, options?: ReadOptions) => {
    const bytes = await inner.getRange!(key, range, options);
    if (bytes && isChunk(key)) counted.chunkBytes += bytes.byteLength;
    return bytes;
  };
  return counted;
}

describe('wavelet adaptive levels (subset.vds)', function () {
  this.timeout(60_000);

  async function readAmplitude(open: (store: Store) => Promise<vds.VDS>): Promise<{ data: Float32Array; bytes: number }> {
    const store = countingStore(new VdsFileStore(openvdsVector('subset.vds'), 'read'));
    const dataset = await open(store);
    dataset.chunkCache.setMaxBytes(0);
    const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], [100, 100, 100]);
    expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
    const data = request.data as Float32Array;
    await vds.close(dataset);
    return { data, bytes: store.chunkBytes };
  }

  it('coarser tolerances read shorter prefixes of each chunk, and the error grows with them', async () => {
    const best = await readAmplitude((s) => vds.open(s));
    expect(best.bytes).to.equal(1_360_968);
    let previous = { error: 0, bytes: best.bytes };
    for (const tolerance of [0.05, 0.2, 1, 5]) {
      const coarse = await readAmplitude((s) => vds.openWithAdaptiveCompressionTolerance(s, '', tolerance));
      let error = 0;
      for (let i = 0; i < best.data.length; i++) error = Math.max(error, Math.abs(coarse.data[i]! - best.data[i]!));
      expect(coarse.bytes, `tolerance ${tolerance}`).to.be.lessThan(previous.bytes);
      expect(error, `tolerance ${tolerance}`).to.be.at.least(previous.error);
      expect(error).to.be.lessThan(tolerance * 0.01);
      previous = { error, bytes: coarse.bytes };
    }
    const viaConnection = await readAmplitude((s) => vds.open(s, 'WaveletAdaptiveTolerance=5'));
    expect(viaConnection.bytes).to.equal(previous.bytes);
    const byRatio = await readAmplitude((s) => vds.openWithAdaptiveCompressionRatio(s, '', 20));
    expect(byRatio.bytes).to.be.lessThan(best.bytes);
  });
});
