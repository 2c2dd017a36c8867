import { expect } from 'chai';
import * as vds from '../src/index.js';
import { writeTestVolume } from './support/volumes.js';

const F = vds.VolumeDataFormat;
const I = vds.InterpolationMethod;
const size: [number, number, number] = [60, 45, 40];
const ramp = (x: number, y: number, z: number) => 1 + 0.5 * x + 2 * y - 0.25 * z;
/** The ramp at a continuous position (voxel k's value sits at k + 0.5). */
const rampAt = (p: number[]) => ramp(p[0]! - 0.5, p[1]! - 0.5, p[2]! - 0.5);

function random(seed: number): () => number {
  return () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('requestVolumeSamples, requestVolumeTraces, requestProjectedVolumeSubset', function () {
  this.timeout(60_000);
  let url: string;
  let dataset: vds.VDS;
  let manager: vds.VolumeDataAccessManager;
  before(async () => {
    ({ url } = await writeTestVolume({ size, format: F.Format_R32, method: vds.CompressionMethod.Zip, value: ramp, margin: 4,
      brickSize: vds.BrickSize.BrickSize_32, valueRange: [-20, 200] }));
    dataset = await vds.open(url);
    manager = vds.getAccessManager(dataset);
  });
  after(() => vds.close(dataset));

  it('Nearest returns the voxel holding each position; Linear reproduces a ramp exactly (margins 4)', async () => {
    const next = random(3);
    const positions = Array.from({ length: 500 }, () => [1 + next() * (size[0] - 2), 1 + next() * (size[1] - 2), 1 + next() * (size[2] - 2)]);
    const nearest = manager.requestVolumeSamples(positions, { interpolationMethod: I.Nearest });
    expect(await nearest.waitForCompletion(), nearest.errorMessage).to.equal(true);
    positions.forEach((p, i) => expect(nearest.data[i]).to.equal(Math.fround(ramp(Math.floor(p[0]!), Math.floor(p[1]!), Math.floor(p[2]!)))));
    const linear = manager.requestVolumeSamples(positions, { interpolationMethod: I.Linear });
    expect(await linear.waitForCompletion()).to.equal(true);
    positions.forEach((p, i) => expect(linear.data[i]).to.be.closeTo(rampAt(p), 1e-3));
    const cubic = manager.requestVolumeSamples(positions, { interpolationMethod: I.Cubic });
    expect(await cubic.waitForCompletion()).to.equal(true);
    positions.forEach((p, i) => {
      if (p.every((v, d) => v > 2 && v < size[d]! - 2)) expect(cubic.data[i]).to.be.closeTo(rampAt(p), 1e-3);
    });
    expect(manager.getVolumeSamplesBufferSize(500)).to.equal(2000);
  });

  it('traces along each dimension equal the voxels they pass through', async () => {
    for (const dim of [0, 1, 2]) {
      const traces = [[10.5, 20.5, 30.5], [59.5, 0.5, 0.5]];
      const request = manager.requestVolumeTraces(traces, dim, { interpolationMethod: I.Nearest });
      expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
      const length = size[dim]!;
      expect(request.data.length).to.equal(2 * length);
      expect(manager.getVolumeTracesBufferSize(2, dim)).to.equal(8 * length);
      traces.forEach((t, k) => {
        for (let j = 0; j < length; j++) {
          const p = t.map((v) => Math.floor(v));
          p[dim] = j;
          expect(request.data[k * length + j]).to.equal(Math.fround(ramp(p[0]!, p[1]!, p[2]!)));
        }
      });
    }
  });

  it('samples a tilted plane onto the crossline × inline grid', async () => {
    // Plane a - 0.2·b - 0.1·c - 10 = 0 over (sample, crossline, inline): sample position = 10 + 0.2·b + 0.1·c.
    const request = manager.requestProjectedVolumeSubset([0, 0, 0], [size[0], size[1], size[2]], {
      voxelPlane: [1, -0.2, -0.1, -10], projectedDimensions: vds.DimensionsND.Dimensions_12, interpolationMethod: I.Linear,
    });
    expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
    const data = request.data as Float32Array;
    expect(data.length).to.equal(size[1] * size[2]);
    for (const [b, c] of [[0, 0], [10, 20], [44, 39], [22, 5]] as const) {
      const a = 10 + 0.2 * (b + 0.5) + 0.1 * (c + 0.5);
      expect(data[b + size[1] * c]).to.be.closeTo(rampAt([a, b + 0.5, c + 0.5]), 1e-3);
    }
    expect(() => manager.requestProjectedVolumeSubset([0, 0, 0], [...size], {
      voxelPlane: [1, 0, 0, -10], projectedDimensions: vds.DimensionsND.Dimensions_01,
    })).to.throw(vds.InvalidArgumentError, /no component along the projected dimension/);
    expect(() => manager.requestProjectedVolumeSubset([0, 0, 0], [...size], {
      voxelPlane: [1, 0, 0, -10], projectedDimensions: vds.DimensionsND.Dimensions_012,
    })).to.throw(vds.InvalidArgumentError, /must be a 2D group/);
  });

  it('reads an unproduced 2D group by remapping from the 3D layer', async () => {
    expect(manager.getVDSProduceStatus(vds.DimensionsND.Dimensions_01)).to.equal(vds.VDSProduceStatus.Remapped);
    expect(manager.getVDSProduceStatus(vds.DimensionsND.Dimensions_012)).to.equal(vds.VDSProduceStatus.Normal);
    const request = manager.requestVolumeSubset([0, 0, 7], [size[0], size[1], 8], { dimensionsND: vds.DimensionsND.Dimensions_01 });
    expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
    expect((request.data as Float32Array)[5 + size[0] * 6]).to.equal(Math.fround(ramp(5, 6, 7)));
  });

  it('prefetches a chunk into the cache and refuses bad sample arguments', async () => {
    const prefetch = manager.prefetchVolumeChunk(3);
    expect(await prefetch.waitForCompletion(), prefetch.errorMessage).to.equal(true);
    expect(() => manager.requestVolumeSamples([[1, 2]])).to.throw(vds.InvalidArgumentError, /samplePositions\[0\] needs 3 to 6 coordinates, got \[1, 2\]/);
    expect(() => manager.requestVolumeSamples([[1, 2, NaN]])).to.throw(vds.InvalidArgumentError, /non-finite/);
    expect(() => manager.requestVolumeTraces([[1, 2, 3]], 4)).to.throw(vds.InvalidArgumentError, /traceDimension 4/);
    expect(() => manager.prefetchVolumeChunk(10_000)).to.throw(vds.InvalidArgumentError, /outside/);
  });
});
