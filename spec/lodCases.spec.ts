// The exact LOD cases of issue 11 (items 2 and 3), with expected values from the format sheet's
// rules (5.2 subset reads at LOD > 0, 5.7 LOD generation).
import { expect } from 'chai';
import * as vds from '../src/index.js';
import { readNDSubset, type NDVolumeSpec, writeNDVolume } from './support/lodVolumes.js';

const F = vds.VolumeDataFormat;
const NO_VALUE = -999.25;

describe('LODs of 4D volumes (issue 11.2)', function () {
  this.timeout(60_000);
  const size = [40, 30, 20, 5];
  const spec: NDVolumeSpec = { size, format: F.Format_R32, method: vds.CompressionMethod.None, brickSize: vds.BrickSize.BrickSize_32,
    margin: 0, lodLevels: vds.LODLevels.LODLevels_1, maxPages: 4 };
  // 1 + the LOD0 linear index: exact in f32, never 0 (0 would be skipped by decimation).
  const value = (p: readonly number[]) => 1 + p[0]! + 40 * p[1]! + 1200 * p[2]! + 24000 * p[3]!;
  let url: string;

  before(async () => { url = await writeNDVolume(spec, () => true, value); });

  it('LOD 1 of [40,30,20,5] decimates dimension 3 too: w = 0, 2, 4, 36,000 bytes', async () => {
    const handle = await vds.open(url);
    try {
      const manager = vds.getAccessManager(handle);
      expect(manager.getVolumeSubsetBufferSize([0, 0, 0, 0], size, F.Format_R32, 1, 0, vds.DimensionsND.Dimensions_012)).to.equal(36_000);
      // The stored layer still has one chunk per LOD0 slice of dimension 3 (format sheet 2.3).
      expect(manager.getVDSChunkCount(vds.DimensionsND.Dimensions_012, 1, 0)).to.equal(5);
    } finally {
      await vds.close(handle);
    }
    const data = await readNDSubset(url, spec, 1, [0, 0, 0, 0], size);
    expect(data.length).to.equal(9000);
    const expected: number[] = [];
    for (let w = 0; w < 3; w++) for (let z = 0; z < 10; z++) for (let y = 0; y < 15; y++) for (let x = 0; x < 20; x++) {
      expected.push(value([2 * x, 2 * y, 2 * z, 2 * w]));
    }
    expect(data).to.deep.equal(expected);
  });

  it('a LOD 1 box with odd minima takes LOD voxels in dimensions 0–2 and slices min + 2j in dimension 3', async () => {
    const data = await readNDSubset(url, spec, 1, [3, 1, 0, 1], [8, 4, 3, 5]);
    // Dimension 0: LOD voxels ⌊(3 + 2j)/2⌋ = 1, 2, 3 → x = 2, 4, 6; dimension 1: 0, 1 → y = 0, 2;
    // dimension 2: 0, 1 → z = 0, 2; dimension 3: w = 1, 3.
    const expected: number[] = [];
    for (const w of [1, 3]) for (const z of [0, 2]) for (const y of [0, 2]) for (const x of [2, 4, 6]) expected.push(value([x, y, z, w]));
    expect(data).to.deep.equal(expected);
  });

  it('LOD 0 still returns every slice', async () => {
    const data = await readNDSubset(url, spec, 0, [0, 0, 0, 3], [40, 30, 20, 5]);
    expect(data.length).to.equal(2 * 24_000);
    expect(data[0]).to.equal(value([0, 0, 0, 3]));
    expect(data[24_000 + 1234]).to.equal(1 + 1234 + 4 * 24_000);
  });
});

describe('LOD generation over never-written chunks (issue 11.3)', function () {
  this.timeout(60_000);
  // 3 × 3 × 2 bricks of 32; the chunks whose index sum is odd are never written.
  const size = [92, 84, 36];
  const value = (p: readonly number[]) => 1 + p[0]! + 100 * p[1]! + 10_000 * p[2]!;
  const isWritten = (min: readonly number[]) => ((min[0]! >> 5) + (min[1]! >> 5) + (min[2]! >> 5)) % 2 === 0;
  const base: NDVolumeSpec = { size, format: F.Format_R32, method: vds.CompressionMethod.RLE, brickSize: vds.BrickSize.BrickSize_32,
    margin: 0, lodLevels: vds.LODLevels.LODLevels_2, maxPages: 3 };

  /** LOD voxel (x, y, z) is LOD0 voxel 2^lod·(x, y, z): its value if that chunk was written, else `fill`. */
  function expected(lod: number, fill: number): { values: number[]; fills: number; first: number[] | undefined } {
    const values: number[] = [];
    let fills = 0, first: number[] | undefined;
    const n = size.map((s) => ((s - 1) >> lod) + 1);
    for (let z = 0; z < n[2]!; z++) for (let y = 0; y < n[1]!; y++) for (let x = 0; x < n[0]!; x++) {
      const p = [x << lod, y << lod, z << lod];
      if (isWritten(p)) values.push(value(p));
      else { values.push(fill); fills++; first ??= [x, y, z]; }
    }
    return { values, fills, first };
  }

  it('LOD 1 and 2 of a no-value channel hold the no-value where no LOD 0 chunk was written', async () => {
    const spec = { ...base, noValue: NO_VALUE };
    const url = await writeNDVolume(spec, isWritten, value);
    const lod1 = expected(1, NO_VALUE);
    expect(lod1.values.length).to.equal(34_776);
    expect(lod1.first).to.deep.equal([16, 0, 0]);
    expect(lod1.fills).to.equal(16_408);
    expect(await readNDSubset(url, spec, 1, [0, 0, 0], size)).to.deep.equal(lod1.values);
    // At LOD 2 every 2×2×2 group lies inside one LOD0 chunk: no neighbour can replace a no-value.
    expect(await readNDSubset(url, spec, 2, [0, 0, 0], size)).to.deep.equal(expected(2, NO_VALUE).values);
  });

  it('without a no-value the same voxels are 0', async () => {
    const url = await writeNDVolume(base, isWritten, value);
    expect(await readNDSubset(url, base, 1, [0, 0, 0], size)).to.deep.equal(expected(1, 0).values);
  });

  it('createPage starts from the no-value (U16: its code 65535), as OpenVDS CreatePage does', async () => {
    for (const [format, noValue, fill] of [[F.Format_R32, NO_VALUE, NO_VALUE], [F.Format_U16, 7, 65535], [F.Format_R32, undefined, 0]] as const) {
      const url = `inmemory://create-page-fill-${format}-${noValue}`;
      const channel = new vds.VolumeDataChannelDescriptor(format, vds.VolumeDataComponents.Components_1, 'Value', '', 0, 1000,
        vds.VolumeDataMapping.Direct, 1, vds.ChannelFlags.Default, noValue);
      const handle = await vds.create(url, '', new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_32, 0, 0, 1, vds.LODLevels.LODLevels_None),
        [new vds.VolumeDataAxisDescriptor(10, 'X', '', 0, 9), new vds.VolumeDataAxisDescriptor(6, 'Y', '', 0, 5)], [channel]);
      try {
        const accessor = vds.getAccessManager(handle).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_01, 0, 0, 2, vds.AccessMode.AccessMode_Create);
        const page = accessor.createPage(0);
        expect([...page.getBuffer()]).to.deep.equal(new Array(60).fill(fill));
        await page.release();
      } finally {
        await vds.close(handle);
      }
    }
  });

  it('a chunk written again after its parent was finished keeps its siblings in the parent (Create, maxPages 1)', async () => {
    const channel = new vds.VolumeDataChannelDescriptor(F.Format_R32, vds.VolumeDataComponents.Components_1, 'Value', '', 0, 1,
      vds.VolumeDataMapping.Direct, 1, vds.ChannelFlags.Default, NO_VALUE);
    const handle = await vds.create('inmemory://lod-chunk-written-twice', '',
      new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_32, 0, 0, 1, vds.LODLevels.LODLevels_1, vds.LayoutOptions.Options_Create2DLODs),
      [new vds.VolumeDataAxisDescriptor(64, 'X', '', 0, 63), new vds.VolumeDataAxisDescriptor(32, 'Y', '', 0, 31)], [channel]);
    try {
      const manager = vds.getAccessManager(handle);
      const accessor = manager.createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_01, 0, 0, 1, vds.AccessMode.AccessMode_Create);
      for (const [chunk, value] of [[0, 1], [1, 2], [0, 3]] as const) {
        const page = accessor.createPage(chunk);
        (page.getWritableBuffer() as Float32Array).fill(value);
        await page.release();
      }
      await accessor.commit();
      const request = manager.requestVolumeSubset([0, 0], [64, 32], { lod: 1, dimensionsND: vds.DimensionsND.Dimensions_01 });
      expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
      // OpenVDS keeps the parent page and overwrites chunk 0's quarter: 3 in x < 16, chunk 1's 2 beyond.
      const row = (y: number) => [...(request.data as Float32Array).subarray(y * 32, y * 32 + 32)];
      for (const y of [0, 15]) expect(row(y)).to.deep.equal([...new Array(16).fill(3), ...new Array(16).fill(2)]);
    } finally {
      await vds.close(handle);
    }
  });
});
