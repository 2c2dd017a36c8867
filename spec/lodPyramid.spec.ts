// The LOD pyramid with its decimations run asynchronously (as on the pool), driven directly: a
// parent is written once all its children were decimated into it, a parent built again is written
// after the first, and a decimation that fails loses its parent but not its siblings' writes.
import { expect } from 'chai';
import * as vds from '../src/index.js';
import { downsampleRegion } from '../src/engine/lodDownsample.js';
import { type Decimate, LODPyramid } from '../src/engine/lodPyramid.js';
import type { VolumeDataLayer } from '../src/model/geometry/layers.js';
import { rejection } from './support/rejection.js';

/** LOD 0 and 1 of a 64³ R32 volume in 32³ bricks: 8 LOD 0 chunks, one LOD 1 parent. */
async function layers(): Promise<VolumeDataLayer[]> {
  const dataset = await vds.create(new vds.InMemoryOpenOptions(`lod-pyramid-${process.pid}-${Math.random()}`),
    new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_32, 0, 0, 1, vds.LODLevels.LODLevels_1),
    [0, 1, 2].map((d) => new vds.VolumeDataAxisDescriptor(64, `a${d}`, '', 0, 63)),
    [new vds.VolumeDataChannelDescriptor(vds.VolumeDataFormat.Format_R32, vds.VolumeDataComponents.Components_1, 'V', '', 0, 10)],
    new vds.MetadataContainer());
  await vds.close(dataset, false);
  return dataset.layers.lodLayers(vds.DimensionsND.Dimensions_012, 0);
}

const chunkOf = (value: number) => new Uint8Array(new Float32Array(32 ** 3).fill(value).buffer);
const valuesOf = (bytes: Uint8Array) => [...new Set(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4))].sort((a, b) => a - b);
const later = () => new Promise((resolve) => setTimeout(resolve, 1));

/** Decimates on this thread, after a tick (so decimations overlap as on the pool), failing for chunks whose value is in `failFor`. */
function decimateLater(failFor: number[] = []): Decimate {
  return async (decimation) => {
    await later();
    const value = new Float32Array(decimation.child.bytes.buffer)[0]!;
    if (failFor.includes(value)) throw new vds.ChunkFormatError(`decimating chunk of ${value} failed`);
    downsampleRegion(decimation);
    return { parent: decimation.parent.bytes, child: decimation.child.bytes };
  };
}

describe('LOD pyramid with asynchronous decimation', () => {
  it('writes the parent once its eight children arrived, and a parent built again after the first', async () => {
    const [lod0, lod1] = await layers();
    const written: { lod: number; chunk: number; values: number[] }[] = [];
    const writes: Promise<void>[] = [];
    const pyramid = new LODPyramid([lod0!, lod1!], (layer, chunk, payload) => {
      writes.push(payload.then((bytes) => { written.push({ lod: layer.lod, chunk, values: valuesOf(bytes) }); }));
    }, () => chunkOf(0), decimateLater());
    const children = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((chunk) => pyramid.addLOD0Chunk(chunk, chunkOf(chunk + 1))));
    // Each child comes back unchanged, for its own write.
    expect(children.map(valuesOf)).to.deep.equal([[1], [2], [3], [4], [5], [6], [7], [8]]);
    // Chunk 0 again, at once: its parent is built anew (from the never-written fill) and written after the first.
    await pyramid.addLOD0Chunk(0, chunkOf(9));
    await pyramid.finish(async () => chunkOf(10), false);
    await Promise.all(writes);
    expect(written).to.deep.equal([
      { lod: 1, chunk: 0, values: [1, 2, 3, 4, 5, 6, 7, 8] },
      // Re-read children (10, standing in for what is stored) fill the rest of the rebuilt parent.
      { lod: 1, chunk: 0, values: [9, 10] },
    ]);
  });

  it('a failed decimation loses its parent, not its siblings\' payloads', async () => {
    const [lod0, lod1] = await layers();
    const written: number[] = [];
    const pyramid = new LODPyramid([lod0!, lod1!], (_, chunk) => { written.push(chunk); }, () => chunkOf(0), decimateLater([3]));
    const children = [0, 1, 2, 3, 4, 5, 6, 7].map((chunk) => pyramid.addLOD0Chunk(chunk, chunkOf(chunk + 1)));
    const failed = await rejection(children[2]!);
    expect(failed).to.be.instanceOf(vds.ChunkFormatError);
    expect(failed.message).to.equal('decimating chunk of 3 failed');
    const others = await Promise.all(children.filter((_, i) => i !== 2));
    expect(others.map(valuesOf)).to.deep.equal([[1], [2], [4], [5], [6], [7], [8]]);
    await pyramid.finish(async () => chunkOf(10), false);
    expect(written, 'the lost parent is not written').to.deep.equal([]);
  });
});
