import { expect } from 'chai';
import * as vds from '../src/index.js';
import { fillBox, type VoxelFunction, writeTestVolume } from './support/volumes.js';

const F = vds.VolumeDataFormat;
const formats = [F.Format_1Bit, F.Format_U8, F.Format_U16, F.Format_R32, F.Format_U32, F.Format_R64, F.Format_U64];
const methods = [vds.CompressionMethod.None, vds.CompressionMethod.RLE, vds.CompressionMethod.Zip];

/** Values that fit every format; large constant regions exercise constant chunks. */
function valueFor(format: vds.VolumeDataFormat): VoxelFunction {
  return (x, y, z) => {
    if (z >= 96) return format === F.Format_1Bit ? 1 : 7;
    const h = (x * 73 + y * 151 + z * 283) % 251;
    if (format === F.Format_1Bit) return h & 1;
    if (format === F.Format_R32 || format === F.Format_R64) return Math.fround((h - 125) / 8);
    return h;
  };
}

function expectedSubset(format: vds.VolumeDataFormat, min: number[], max: number[], value: VoxelFunction): Uint8Array {
  const count = (max[0]! - min[0]!) * (max[1]! - min[1]!) * (max[2]! - min[2]!);
  if (format === F.Format_1Bit) {
    const bits = new Uint8Array(Math.ceil(count / 8));
    let i = 0;
    for (let z = min[2]!; z < max[2]!; z++) for (let y = min[1]!; y < max[1]!; y++) for (let x = min[0]!; x < max[0]!; x++, i++) {
      if (value(x, y, z)) bits[i >> 3] = bits[i >> 3]! | (1 << (i & 7));
    }
    return bits;
  }
  const bytesPer = { [F.Format_U8]: 1, [F.Format_U16]: 2, [F.Format_R32]: 4, [F.Format_U32]: 4, [F.Format_R64]: 8, [F.Format_U64]: 8 }[format as 1]!;
  const buffer = new ArrayBuffer(count * bytesPer);
  const typed = format === F.Format_U8 ? new Uint8Array(buffer) : format === F.Format_U16 ? new Uint16Array(buffer)
    : format === F.Format_R32 ? new Float32Array(buffer) : format === F.Format_U32 ? new Uint32Array(buffer)
      : format === F.Format_R64 ? new Float64Array(buffer) : new BigUint64Array(buffer);
  fillBox(typed, format, 1, min, max, value);
  return new Uint8Array(buffer);
}

async function readSubset(url: string, min: number[], max: number[], format: vds.VolumeDataFormat): Promise<Uint8Array> {
  const dataset = await vds.open(url);
  try {
    const request = vds.getAccessManager(dataset).requestVolumeSubset(min, max, { format });
    expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
    expect(request.completionFactor).to.equal(1);
    const data = request.data;
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } finally {
    await vds.close(dataset);
  }
}

describe('write and read back (97 × 61 × 130)', function () {
  this.timeout(120_000);
  const size: [number, number, number] = [97, 61, 130];
  for (const method of methods) {
    for (const format of formats) {
      it(`${vds.VolumeDataFormat[format]} with ${vds.CompressionMethod[method]}`, async () => {
        const value = valueFor(format);
        const volume = await writeTestVolume({ size, format, method, value, valueRange: [-20, 260] });
        const whole = await readSubset(volume.url, [0, 0, 0], size, F.Format_Any);
        expect(Buffer.from(whole).equals(Buffer.from(expectedSubset(format, [0, 0, 0], size, value)))).to.equal(true);
        const min = [3, 5, 31], max = [90, 60, 129];
        const part = await readSubset(volume.url, min, max, F.Format_Any);
        expect(Buffer.from(part).equals(Buffer.from(expectedSubset(format, min, max, value)))).to.equal(true);
      });
    }
  }

  it('keeps margins consistent (brick 64, margins 4) and reads across chunk borders', async () => {
    const value = valueFor(F.Format_R32);
    const volume = await writeTestVolume({ size, format: F.Format_R32, method: vds.CompressionMethod.Zip, value,
      brickSize: vds.BrickSize.BrickSize_64, margin: 4 });
    for (const [min, max] of [[[0, 0, 0], size], [[55, 50, 52], [62, 61, 70]], [[96, 0, 129], [97, 61, 130]]] as const) {
      const data = await readSubset(volume.url, [...min], [...max], F.Format_R32);
      expect(Buffer.from(data).equals(Buffer.from(expectedSubset(F.Format_R32, [...min], [...max], value)))).to.equal(true);
    }
  });

  it('converts U16 data to R32 with integer scale and offset', async () => {
    const value: VoxelFunction = (x, y, z) => (x + y * 3 + z * 5) % 1000;
    const volume = await writeTestVolume({ size: [40, 30, 20], format: F.Format_U16, value, integerScale: 0.5, integerOffset: -10,
      valueRange: [-10, 490] });
    const data = new Float32Array((await readSubset(volume.url, [0, 0, 0], [40, 30, 20], F.Format_R32)).slice().buffer);
    let i = 0;
    for (let z = 0; z < 20; z++) for (let y = 0; y < 30; y++) for (let x = 0; x < 40; x++) {
      expect(data[i++]).to.equal(Math.fround(-10 + 0.5 * value(x, y, z)));
    }
  });
});
