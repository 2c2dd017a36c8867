import { expect } from 'chai';
import * as vds from '../src/index.js';
import { writeTestVolume } from './support/volumes.js';

const F = vds.VolumeDataFormat;
const value = (x: number, y: number, z: number) => Math.fround(1 + x + 100 * y + 0.25 * z);

async function readAll(url: string, size: number[], lod = 0): Promise<Float32Array> {
  const dataset = await vds.open(url);
  try {
    const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], size, { lod });
    expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
    return request.data as Float32Array;
  } finally {
    await vds.close(dataset);
  }
}

describe('page accessor write modes', function () {
  this.timeout(120_000);
  const size: [number, number, number] = [70, 45, 40];

  it('ReadWrite edits one voxel: exactly that voxel changes at LOD 0, and the LOD above follows', async () => {
    const volume = await writeTestVolume({ size, format: F.Format_R32, method: vds.CompressionMethod.Zip, value, margin: 2,
      lodLevels: vds.LODLevels.LODLevels_1 });
    const before0 = await readAll(volume.url, size);
    const before1 = await readAll(volume.url, size, 1);
    const dataset = await vds.open(volume.url);
    const accessor = vds.getAccessManager(dataset).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 8,
      vds.AccessMode.AccessMode_ReadWrite);
    const target = [40, 20, 10];
    const chunk = accessor.getChunkIndex(target);
    const page = await accessor.readPage(chunk);
    const [min, max] = page.getMinMax();
    const buffer = page.getWritableBuffer() as Float32Array;
    const sx = max[0]! - min[0]!, sy = max[1]! - min[1]!;
    buffer[(target[0]! - min[0]!) + sx * ((target[1]! - min[1]!) + sy * (target[2]! - min[2]!))] = -5;
    await page.release();
    await accessor.commit();
    await vds.close(dataset);

    const after0 = await readAll(volume.url, size);
    const at = target[0]! + size[0] * (target[1]! + size[1] * target[2]!);
    const changed = [...after0].flatMap((v, i) => (v !== before0[i] ? [i] : []));
    expect(changed).to.deep.equal([at]);
    expect(after0[at]).to.equal(-5);
    const after1 = await readAll(volume.url, size, 1);
    const lodAt = 20 + 35 * (10 + 23 * 5);
    const changed1 = [...after1].flatMap((v, i) => (v !== before1[i] ? [i] : []));
    expect(changed1).to.deep.equal([lodAt]);
    expect(after1[lodAt]).to.equal(-5);
  });

  it('ReadWriteWithoutLODGeneration edits LOD 0 and leaves LOD 1 alone', async () => {
    const volume = await writeTestVolume({ size, format: F.Format_R32, method: vds.CompressionMethod.RLE, value, lodLevels: vds.LODLevels.LODLevels_1 });
    const before1 = await readAll(volume.url, size, 1);
    const dataset = await vds.open(volume.url);
    const accessor = vds.getAccessManager(dataset).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 8,
      vds.AccessMode.AccessMode_ReadWriteWithoutLODGeneration);
    const page = await accessor.readPage(0);
    (page.getWritableBuffer() as Float32Array)[0] = -7;
    await page.release();
    await accessor.commit();
    await vds.close(dataset);
    expect((await readAll(volume.url, size))[0]).to.equal(-7);
    expect([...(await readAll(volume.url, size, 1))]).to.deep.equal([...before1]);
  });

  it('CreateWithoutLODGeneration writes LOD 1 by hand', async () => {
    const volume = await writeTestVolume({ size, format: F.Format_R32, value, lodLevels: vds.LODLevels.LODLevels_1 });
    const dataset = await vds.open(volume.url);
    const accessor = vds.getAccessManager(dataset).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 1, 0, 4,
      vds.AccessMode.AccessMode_CreateWithoutLODGeneration);
    for (let c = 0; c < accessor.getChunkCount(); c++) {
      const page = accessor.createPage(c);
      (page.getWritableBuffer() as Float32Array).fill(3);
      await page.release();
    }
    await accessor.commit();
    await vds.close(dataset);
    const lod1 = await readAll(volume.url, size, 1);
    expect(lod1.every((v) => v === 3)).to.equal(true);
    expect((await readAll(volume.url, size))[5]).to.equal(value(5, 0, 0));
  });

  it('refuses LOD generation modes above LOD 0 and writes on ReadOnly accessors', async () => {
    const volume = await writeTestVolume({ size, format: F.Format_R32, value, lodLevels: vds.LODLevels.LODLevels_1 });
    const dataset = await vds.open(volume.url);
    const manager = vds.getAccessManager(dataset);
    expect(() => manager.createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 1, 0, 4, vds.AccessMode.AccessMode_Create))
      .to.throw(vds.InvalidArgumentError, /WithoutLODGeneration/);
    const reader = manager.createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 4, vds.AccessMode.AccessMode_ReadOnly);
    const page = await reader.readPage(0);
    expect(() => page.getWritableBuffer()).to.throw(vds.InvalidOperationError, /read-only/);
    expect((page.getBuffer() as Float32Array)[1]).to.equal(value(1, 0, 0));
    expect(await reader.getChunkVolumeDataHash(0)).to.not.equal(0n);
    await page.release();
    await vds.close(dataset);
  });
});

describe('2D dimension groups', function () {
  this.timeout(60_000);

  it('writes a Dimensions_01 layer beside the 3D one and reads slices from it', async () => {
    const size: [number, number, number] = [70, 45, 12];
    const volume = await writeTestVolume({ size, format: F.Format_R32, value, method: vds.CompressionMethod.RLE });
    const dataset = await vds.open(volume.url);
    const manager = vds.getAccessManager(dataset);
    const accessor = manager.createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_01, 0, 0, 4, vds.AccessMode.AccessMode_Create);
    expect(accessor.getChunkCount()).to.equal(3 * 2 * 12);  // 2D brick 32 × multiplier 1
    for (let c = 0; c < accessor.getChunkCount(); c++) {
      const page = accessor.createPage(c);
      const [min, max] = page.getMinMax();
      expect(max[2]! - min[2]!).to.equal(1);
      const buffer = page.getWritableBuffer() as Float32Array;
      let i = 0;
      for (let y = min[1]!; y < max[1]!; y++) for (let x = min[0]!; x < max[0]!; x++) buffer[i++] = -value(x, y, min[2]!);
      await page.release();
    }
    await accessor.commit();
    await vds.close(dataset);
    const reopened = await vds.open(volume.url);
    const m = vds.getAccessManager(reopened);
    expect(m.getVDSProduceStatus(vds.DimensionsND.Dimensions_01)).to.equal(vds.VDSProduceStatus.Normal);
    const slice = m.requestVolumeSubset([0, 0, 5], [70, 45, 6], { dimensionsND: vds.DimensionsND.Dimensions_01 });
    expect(await slice.waitForCompletion(), slice.errorMessage).to.equal(true);
    expect((slice.data as Float32Array)[3 + 70 * 4]).to.equal(-value(3, 4, 5));
    const fromCube = m.requestVolumeSubset([0, 0, 5], [70, 45, 6]);
    expect(await fromCube.waitForCompletion()).to.equal(true);
    expect((fromCube.data as Float32Array)[3 + 70 * 4]).to.equal(value(3, 4, 5));
    await vds.close(reopened);
  });
});
