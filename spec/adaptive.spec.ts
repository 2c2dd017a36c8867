import { expect } from 'chai';
import * as vds from '../src/index.js';
import { VdsFileDataset } from '../sources/dataset/vdsFileDataset.js';
import type { FileExtent, ReadChunkOptions } from '../src/engine/datasetStore.js';
import type { VolumeDataLayer } from '../src/model/geometry/layers.js';
import { openvdsVector } from './support/testdata.js';

/** subset.vds, counting the chunk bytes it hands out. */
class CountingVdsFile extends VdsFileDataset {
  chunkBytes = 0;
  override async readChunk(layer: VolumeDataLayer, chunkIndex: number, options: ReadChunkOptions): Promise<Uint8Array> {
    const bytes = await super.readChunk(layer, chunkIndex, options);
    this.chunkBytes += bytes.byteLength;
    return bytes;
  }

  /** What a pool worker reads from the file instead (a local file is read there, not through readChunk). */
  override async chunkFile(layer: VolumeDataLayer, chunkIndex: number, options: Omit<ReadChunkOptions, 'into'>): Promise<FileExtent | undefined> {
    const file = await super.chunkFile(layer, chunkIndex, options);
    this.chunkBytes += file?.length ?? 0;
    return file;
  }
}

describe('wavelet adaptive levels (subset.vds)', function () {
  this.timeout(60_000);

  async function readAmplitude(open: (store: vds.IOManager) => Promise<vds.VDS>): Promise<{ data: Float32Array; bytes: number }> {
    const store = new CountingVdsFile(openvdsVector('subset.vds'));
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
