// A per-chunk function of one's own applied while copying (CopyOptions.transform): every chunk of
// every layer, margins and LODs included, comes out as the job made it from the decoded source chunk.
import { expect } from 'chai';
import * as vds from '../src/index.js';
import { decodeChunk } from '../operators/decodeChunks.js';
import { openStore } from '../sources/stores/openStore.js';
import { rejection } from './support/rejection.js';
import { uniqueMemoryUrl, writeTestVolume } from './support/volumes.js';

const scaleModule = new URL('./support/scaleJob.mjs', import.meta.url);

/** Every chunk of every stored layer of `url`, decoded to its channel's format, by layer name and chunk. */
async function decodedChunks(url: string): Promise<Map<string, Uint8Array>> {
  const dataset = await vds.open(url);
  try {
    const chunks = new Map<string, Uint8Array>();
    for (const layer of dataset.layers.all.filter((l) => !l.isVirtual && dataset.layerStatusEntry(l))) {
      const reader = dataset.reader(layer);
      for (let chunk = 0; chunk < layer.chunkCount; chunk++) {
        const fetched = await vds.fetchChunk(reader, chunk);
        const { bytes } = await decodeChunk(reader, fetched, { format: layer.channelDescriptor.format });
        chunks.set(`${layer.name}/${chunk}`, bytes.slice());
      }
    }
    return chunks;
  } finally {
    await vds.close(dataset, false);
  }
}

describe('copyDataset with a chunk transform', function () {
  this.timeout(60_000);

  before(() => vds.registerChunkJob('scale', scaleModule));

  it('writes every chunk (margins, odd edges and LOD 1 included) as the job scaled the source chunk', async () => {
    const source = await writeTestVolume({ size: [45, 40, 33], format: vds.VolumeDataFormat.Format_R32, method: vds.CompressionMethod.Zip,
      margin: 4, lodLevels: vds.LODLevels.LODLevels_1, value: (x, y, z) => Math.sin(x / 7) * (y - z) + 0.25 });
    const destination = uniqueMemoryUrl('transformed');
    const progress = await vds.copyDataset(openStore(source.url, '').store, openStore(destination, '', 'create').store,
      { transform: { kind: 'scale', options: { factor: -2 } } });
    const [before, after] = await Promise.all([decodedChunks(source.url), decodedChunks(destination)]);
    // 45 × 40 × 33 in bricks of 32: 2 × 2 × 2 chunks at LOD 0, 1 at LOD 1.
    expect([...after.keys()]).to.deep.equal([...before.keys()]).and.to.have.length(9);
    expect(progress.objectCount).to.equal(9 + 1);
    let nonZero = 0;
    for (const [key, bytes] of before) {
      const [from, to] = [new Float32Array(bytes.buffer), new Float32Array(after.get(key)!.buffer)];
      expect(to.length, key).to.equal(from.length);
      // × −2 is exact in float32: voxel for voxel, margins included.
      for (let i = 0; i < from.length; i++) if (to[i] !== -2 * from[i]!) expect.fail(`${key} voxel ${i}: ${to[i]}, expected ${-2 * from[i]!}`);
      nonZero += from.filter((v) => v !== 0).length;
    }
    expect(nonZero).to.be.greaterThan(45 * 40 * 33);
  });

  it('refuses a kind nobody registered, and names a job module that does not load', async () => {
    const source = await writeTestVolume({ size: [20, 20, 20], format: vds.VolumeDataFormat.Format_R32, value: (x) => x });
    const copy = (kind: string) => vds.copyDataset(openStore(source.url, '').store, openStore(uniqueMemoryUrl('bad'), '', 'create').store,
      { transform: { kind } });
    const unknown = await rejection(copy('nobody-registered-this'));
    expect(unknown).to.be.instanceOf(vds.InvalidArgumentError);
    expect(unknown.message).to.include('No chunk job kind "nobody-registered-this" is registered');
    const missing = new URL('./support/noSuchJob.mjs', import.meta.url);
    vds.registerChunkJob('missing', missing);
    const unloadable = await rejection(copy('missing'));
    expect(unloadable).to.be.instanceOf(vds.InvalidArgumentError);
    expect(unloadable.message).to.include(`Chunk job module ${missing.href} (kind "missing") does not load`);
  });
});
