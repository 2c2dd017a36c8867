// Traces along a dimension outside the layer's chunk group (OpenVDS TraceVolume: each chunk along
// the trace holds one slice of it, sampled in the chunk's own dimensions; the trace buffer has
// GetLODSize(0, N, LOD) samples, taking the slices 0, 2^LOD, 2·2^LOD… as a subset read does).
import { expect } from 'chai';
import * as vds from '../src/index.js';
import { readNDSubset, type NDVolumeSpec, writeNDVolume } from './support/lodVolumes.js';

const F = vds.VolumeDataFormat;
const I = vds.InterpolationMethod;

describe('requestVolumeTraces along a dimension outside the chunk group', function () {
  this.timeout(60_000);
  // Odd sizes, margins 2, 2 chunks in dimensions 0 and 1; dimension 3 is not chunked in Dimensions_012.
  const size = [37, 35, 9, 7];
  const spec: NDVolumeSpec = { size, format: F.Format_R32, method: vds.CompressionMethod.Zip, brickSize: vds.BrickSize.BrickSize_32,
    margin: 2, lodLevels: vds.LODLevels.LODLevels_1, maxPages: 8 };
  const value = (p: readonly number[]) => 1 + p[0]! + 37 * p[1]! + 1295 * p[2]! + 11655 * p[3]!;
  let url: string;
  let handle: vds.VDS;
  let manager: vds.VolumeDataAccessManager;

  before(async () => {
    url = await writeNDVolume(spec, () => true, value);
    handle = await vds.open(url);
    manager = vds.getAccessManager(handle);
  });
  after(() => vds.close(handle));

  async function traces(positions: number[][], dimension: number, lod: number, method = I.Nearest): Promise<Float32Array> {
    const request = manager.requestVolumeTraces(positions, dimension, { lod, interpolationMethod: method });
    expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
    return request.data;
  }

  it('LOD 0: each sample is the voxel of its slice, as a subset read along the same line gives (also across a chunk edge, Linear at voxel centres)', async () => {
    // (30.5, 33.5, 8.5) lies in the second chunk of dimensions 0 and 1, the last voxel of dimension 2.
    const positions = [[0.5, 0.5, 0.5, 0], [30.5, 33.5, 8.5, 0], [17.5, 4.5, 3.5, 6]];
    expect(manager.getVolumeTracesBufferSize(3, 3)).to.equal(3 * 7 * 4);
    for (const method of [I.Nearest, I.Linear, I.Cubic]) {
      const data = await traces(positions, 3, 0, method);
      expect(data.length).to.equal(21);
      for (const [t, p] of positions.entries()) {
        const [x, y, z] = p.map(Math.floor) as [number, number, number];
        const line = await readNDSubset(url, spec, 0, [x, y, z, 0], [x + 1, y + 1, z + 1, 7]);
        expect(line).to.deep.equal([0, 1, 2, 3, 4, 5, 6].map((w) => value([x, y, z, w])));
        expect([...data.subarray(t * 7, t * 7 + 7)], `${I[method]} trace ${t}`).to.deep.equal(line);
      }
    }
  });

  it('LOD 0 Linear between voxel centres interpolates within each slice (exact on this ramp)', async () => {
    const data = await traces([[10, 20.25, 4.5, 0]], 3, 0, I.Linear);
    // Linear at x = 10 (between voxel centres 9.5 and 10.5), y = 20.25 (between 19.5 and 20.5).
    expect([...data]).to.deep.equal([0, 1, 2, 3, 4, 5, 6].map((w) => Math.fround(1 + 9.5 + 37 * 19.75 + 1295 * 4 + 11655 * w)));
  });

  it('LOD 1: ⌈7/2⌉ = 4 samples, the slices w = 0, 2, 4, 6 of the LOD 1 layer, as the LOD 1 subset', async () => {
    expect(manager.getVolumeTracesBufferSize(1, 3, 1, 0)).to.equal(16);
    const data = await traces([[21.5, 9.5, 5.5, 3]], 3, 1);
    const line = await readNDSubset(url, spec, 1, [20, 8, 4, 0], [21, 9, 5, 7]);
    expect(line).to.deep.equal([0, 2, 4, 6].map((w) => value([20, 8, 4, w])));
    expect([...data]).to.deep.equal(line);
  });

  it('still refuses a dimension the layout does not have', () => {
    expect(() => manager.requestVolumeTraces([[1, 1, 1, 1]], 4)).to.throw(vds.InvalidArgumentError, 'traceDimension 4 is not a dimension of the 4D layout');
    expect(() => manager.getVolumeTracesBufferSize(1, -1)).to.throw(vds.InvalidArgumentError, 'traceDimension -1 is not a dimension of the 4D layout');
  });
});
