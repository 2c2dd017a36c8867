import { expect } from 'chai';
import * as vds from '../src/index.js';
import { writeTestVolume } from './support/volumes.js';

const F = vds.VolumeDataFormat;
// Never 0: an exact zero counts as no-value in LOD decimation of float data (OpenVDS rule).
const value = (x: number, y: number, z: number) => Math.fround(1 + x + 1000 * y + 0.5 * z);

async function readLOD(url: string, lod: number, min: number[], max: number[]): Promise<Float32Array> {
  const dataset = await vds.open(url);
  try {
    const request = vds.getAccessManager(dataset).requestVolumeSubset(min, max, { lod });
    expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
    return request.data as Float32Array;
  } finally {
    await vds.close(dataset);
  }
}

function decimated(lod: number, min: number[], max: number[]): Float32Array {
  const n = min.map((m, d) => ((max[d]! - m - 1) >> lod) + 1);
  const out = new Float32Array(n[0]! * n[1]! * n[2]!);
  let i = 0;
  for (let z = 0; z < n[2]!; z++) for (let y = 0; y < n[1]!; y++) for (let x = 0; x < n[0]!; x++) {
    // Output element j is LOD voxel floor(min / 2^lod) + j, which stands for LOD0 voxel (that) · 2^lod.
    out[i++] = value(((min[0]! >> lod) + x) << lod, ((min[1]! >> lod) + y) << lod, ((min[2]! >> lod) + z) << lod);
  }
  return out;
}

describe('LOD generation while writing LOD 0', function () {
  this.timeout(120_000);
  for (const margin of [0, 2]) {
    it(`LOD 1…3 equal the decimation of LOD 0 (97 × 61 × 130, brick 32, margins ${margin}, Zip)`, async () => {
      const size: [number, number, number] = [97, 61, 130];
      const volume = await writeTestVolume({ size, format: F.Format_R32, method: vds.CompressionMethod.Zip, value,
        margin, lodLevels: vds.LODLevels.LODLevels_3, maxPages: 4 });
      for (const lod of [1, 2, 3]) {
        for (const [min, max] of [[[0, 0, 0], size], [[5, 3, 17], [80, 40, 100]]] as const) {
          const data = await readLOD(volume.url, lod, [...min], [...max]);
          expect([...data]).to.deep.equal([...decimated(lod, [...min], [...max])], `LOD ${lod} ${min}…${max}`);
        }
      }
    });
  }
});
