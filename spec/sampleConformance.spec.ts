// Issue 11 items 4, 5 and 8: how each interpolating request kind treats discrete channels, R64
// no-values and no-values in projected subsets, against an independent model of the format sheet
// (5.3, 5.4, 4.3, 4.4). Every plane and position here varies only along dimension 0 with the
// other coordinates at voxel centres, so the model needs only one axis of taps.
import { expect } from 'chai';
import * as vds from '../src/index.js';
import { writeTestVolume } from './support/volumes.js';

const F = Math.fround;
const Format = vds.VolumeDataFormat;
const I = vds.InterpolationMethod;

interface Model {
  /** Accumulate in f32 (R32, U8, U16, 1Bit channels) or double (R64). */
  real: (x: number) => number;
  isNoValue?: (element: number) => boolean;
  replacement?: number;
  /** Physical value of an element (U8/U16 codes). */
  physical?: (element: number) => number;
}

/** Format sheet 5.4 Linear/Cubic along one axis of elements, at coordinate u (f32). */
function interpolate(elements: readonly number[], u: number, cubic: boolean, model: Model): number {
  const { real, isNoValue = () => false, physical = (e: number) => e } = model;
  const clamp = (i: number) => Math.min(Math.max(i, 0), elements.length - 1);
  u = F(u);
  const nearElement = elements[clamp(Math.floor(u))]!;
  if (isNoValue(nearElement)) return model.replacement!;
  const near = physical(nearElement);
  const n = Math.floor(F(u - 0.5));
  const t = F(F(u - n) - 0.5);
  let taps: number[], weights: number[], guards: number[];
  if (cubic) {
    const t2 = F(t * t), t3 = F(t2 * t);
    weights = [F(F(F(-0.5 * t3) + t2) - F(0.5 * t)), F(F(F(1.5 * t3) - F(2.5 * t2)) + 1),
      F(F(F(-1.5 * t3) + F(2 * t2)) + F(0.5 * t)), F(0.5 * F(t3 - t2))];
    taps = [n - 1, n, n + 1, n + 2].map(clamp);
    guards = [n, n, n + 1, n + 1].map(clamp);
  } else {
    weights = [F(1 - t), t];
    taps = [clamp(n), clamp(n + 1)];
    guards = taps;
  }
  let sum = 0, weightSum = 0;
  taps.forEach((tap, k) => {
    if (isNoValue(elements[tap]!) || isNoValue(elements[guards[k]!]!)) return;
    sum = real(sum + real(real(physical(elements[tap]!) - near) * weights[k]!));
    weightSum = F(weightSum + weights[k]!);
  });
  if (model.isNoValue) sum = real(sum / weightSum);
  return real(sum + near);
}

/** Format sheet 5.3: the plane's position along dimension 0 for output voxel (b, c), LOD 0, in f32. */
function planePosition(plane: readonly number[], b: number, c: number, n: number): number {
  const [x, y, z, t] = plane.map(F) as [number, number, number, number];
  const position = F(F(F(t + F(y * F(b + 0.5))) + F(z * F(c + 0.5))) / F(-x));
  return Math.min(Math.max(position, 0.5), F(n - 0.5));
}

/** Format sheet 4.3 quantisation with the projected stage's integer scale and offset (5.3). */
function quantize(v: number, offset: number, scale: number, buckets: number): number {
  const q = F(F(F(v) - offset) * F(1 / scale));
  return q <= 0 ? 0 : q >= buckets - 1 ? buckets - 1 : Math.trunc(F(q + 0.5));
}

async function completed<T>(request: vds.VolumeDataRequest<T>): Promise<T> {
  expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
  return request.data;
}

describe('interpolation conformance per request kind (issue 11 items 4, 5, 8)', function () {
  this.timeout(60_000);
  const size: [number, number, number] = [14, 4, 3];
  const along = (value: (x: number, y: number, z: number) => number, y: number, z: number) =>
    Array.from({ length: size[0] }, (_, x) => value(x, y, z));

  async function open(options: Parameters<typeof writeTestVolume>[0]) {
    const { url } = await writeTestVolume(options);
    const dataset = await vds.open(url);
    return { dataset, manager: vds.getAccessManager(dataset) };
  }

  describe('item 4: a discrete 1Bit channel', () => {
    const bit = (x: number, y: number, z: number) => ((x * 5 + y * 3 + z) % 7 < 3 ? 1 : 0);
    let dataset: vds.VDS, manager: vds.VolumeDataAccessManager;
    before(async () => ({ dataset, manager } = await open({ size, format: Format.Format_1Bit, value: bit, method: vds.CompressionMethod.RLE })));
    after(() => vds.close(dataset));

    const plane = [1, -0.7, 1.3, -4.2];
    for (const [method, cubic] of [[I.Linear, false], [I.Cubic, true]] as const) {
      it(`projected subsets interpolate it with ${I[method]}, as OpenVDS does`, async () => {
        const data = await completed(manager.requestProjectedVolumeSubset([0, 0, 0], size, {
          voxelPlane: plane as [number, number, number, number], projectedDimensions: vds.DimensionsND.Dimensions_12, interpolationMethod: method,
        })) as Float32Array;
        let fractional = 0;
        for (let c = 0; c < size[2]; c++) for (let b = 0; b < size[1]; b++) {
          const expected = interpolate(along(bit, b, c), planePosition(plane, b, c, size[0]), cubic, { real: F });
          expect(data[b + size[1] * c], `(${b}, ${c})`).to.equal(expected);
          if (expected !== 0 && expected !== 1) fractional++;
        }
        expect(fractional).to.be.greaterThan(5);
      });
    }

    it('projected U8 and 1Bit outputs round and threshold the interpolated value', async () => {
      const request = (format: vds.VolumeDataFormat) => completed(manager.requestProjectedVolumeSubset([0, 0, 0], size, {
        voxelPlane: plane as [number, number, number, number], projectedDimensions: vds.DimensionsND.Dimensions_12,
        interpolationMethod: I.Linear, format,
      }));
      const u8 = await request(Format.Format_U8) as Uint8Array;
      const bits = await request(Format.Format_1Bit) as Uint8Array;
      for (let c = 0; c < size[2]; c++) for (let b = 0; b < size[1]; b++) {
        const v = interpolate(along(bit, b, c), planePosition(plane, b, c, size[0]), false, { real: F });
        const i = b + size[1] * c;
        expect(u8[i], `U8 (${b}, ${c})`).to.equal(quantize(v, 0, 1, 256));
        expect((bits[i >> 3]! >> (i & 7)) & 1, `1Bit (${b}, ${c})`).to.equal(v !== 0 ? 1 : 0);
      }
    });

    it('samples and traces still force Nearest on it', async () => {
      const positions = [[3.7, 1.5, 2.5], [6.2, 0.5, 0.5], [9.9, 3.5, 1.5]];
      const samples = await completed(manager.requestVolumeSamples(positions, { interpolationMethod: I.Cubic }));
      expect([...samples]).to.deep.equal(positions.map((p) => bit(Math.floor(p[0]!), Math.floor(p[1]!), Math.floor(p[2]!))));
      const traces = await completed(manager.requestVolumeTraces([[0, 2.5, 1.5]], 0, { interpolationMethod: I.Linear }));
      expect([...traces]).to.deep.equal(along(bit, 2, 1));
    });
  });

  describe('item 5: an R64 channel whose no-value is not a float32 (1e30)', () => {
    // OpenVDS holds the no-value as f32 and compares R64 elements in double: 1e30 is data, only f32(1e30) is no-value.
    const value = (x: number, y: number, z: number) => (x === 4 ? 1e30 : x === 9 ? F(1e30) : 1.5 * x + 0.25 * y - z);
    let dataset: vds.VDS, manager: vds.VolumeDataAccessManager;
    before(async () => ({ dataset, manager } = await open({ size, format: Format.Format_R64, value, noValue: 1e30, valueRange: [-10, 30] })));
    after(() => vds.close(dataset));
    const model = { real: (x: number) => x, isNoValue: (e: number) => e === F(1e30), replacement: F(1e30) };

    for (const [method, cubic] of [[I.Linear, false], [I.Cubic, true]] as const) {
      it(`samples (${I[method]}) interpolate 1e30 as data in double and skip only f32(1e30)`, async () => {
        const us = Array.from({ length: 53 }, (_, k) => 0.3 + k * 0.25);
        const data = await completed(manager.requestVolumeSamples(us.map((u) => [u, 1.5, 2.5]), { interpolationMethod: method }));
        const expected = us.map((u) => F(interpolate(along(value, 1, 2), u, cubic, model)));
        expect([...data]).to.deep.equal(expected);
        // us[15] = 4.05: the 1e30 voxel is blended with its neighbour (about 0.55e30 for Linear), not taken for no-value;
        // us[37] = 9.55 lies in the f32(1e30) voxel, which is the no-value.
        expect(data[15]).to.be.within(5e29, 7e29);
        expect(data[37]).to.equal(F(1e30));
      });
    }

    it('a replacement is taken as f32, as OpenVDS takes it, so replaced R64 voxels are still found', async () => {
      const us = [9.2, 8.8, 10.3, 4.2];
      const data = await completed(manager.requestVolumeSamples(us.map((u) => [u, 1.5, 2.5]), { interpolationMethod: I.Linear, replacementNoValue: 0.1 }));
      const replaced = { real: (x: number) => x, isNoValue: (e: number) => e === F(0.1), replacement: F(0.1) };
      const elements = along(value, 1, 2).map((e) => (e === F(1e30) ? F(0.1) : e));
      expect([...data]).to.deep.equal(us.map((u) => F(interpolate(elements, u, false, replaced))));
      expect(data.slice(0, 3)).to.deep.equal(new Float32Array([F(0.1), value(8, 1, 2), value(10, 1, 2)]));
    });

    it('subsets: U64 output clamps 1e30 to UINT64_MAX; R64 output writes the replacement as f32 (OpenVDS\'s float)', async () => {
      const u64 = await completed(manager.requestVolumeSubset([0, 0, 0], [14, 1, 1], { format: Format.Format_U64, replacementNoValue: 2.5 })) as BigUint64Array;
      expect(u64[4]).to.equal(0xffffffffffffffffn);
      expect(u64[9]).to.equal(3n);
      expect(u64[2]).to.equal(3n);
      const r64 = await completed(manager.requestVolumeSubset([0, 0, 0], [14, 1, 1], { format: Format.Format_R64, replacementNoValue: 0.1 })) as Float64Array;
      expect([r64[4], r64[9], r64[2]]).to.deep.equal([1e30, F(0.1), 3]);
    });

    it('traces too (interpolated across dimension 0, along dimension 1)', async () => {
      const data = await completed(manager.requestVolumeTraces([[4.3, 0, 2.5]], 1, { interpolationMethod: I.Linear }));
      const expected = Array.from({ length: size[1] }, (_, y) => F(interpolate(along(value, y, 2), 4.3, false, model)));
      expect([...data]).to.deep.equal(expected);
      expect(data[0]).to.be.within(7e29, 9e29);
    });
  });

  describe('item 8: no-value in projected subsets', () => {
    const noValue = -999.25;
    const value = (x: number, y: number, z: number) => (x === 4 ? noValue : x === 8 ? 1 : x === 11 ? 7 : 2 + 0.5 * x + y + 0.25 * z);
    const planes = [[1, -0.5, -0.25, -3.3], [1, -0.5, -0.25, -7.3], [-2, 1, 0.5, 19.9]];
    let dataset: vds.VDS, manager: vds.VolumeDataAccessManager;
    before(async () => ({ dataset, manager } = await open({ size, format: Format.Format_R32, value, noValue, valueRange: [0, 20], method: vds.CompressionMethod.Zip })));
    after(() => vds.close(dataset));

    async function projected(plane: number[], options: { format?: vds.VolumeDataFormat; replacementNoValue?: number } = {}) {
      return completed(manager.requestProjectedVolumeSubset([0, 0, 0], size, {
        voxelPlane: plane as [number, number, number, number], projectedDimensions: vds.DimensionsND.Dimensions_12,
        interpolationMethod: I.Linear, ...options,
      }));
    }
    function eachOutput(plane: number[], check: (i: number, elements: number[], u: number) => void): void {
      for (let c = 0; c < size[2]; c++) for (let b = 0; b < size[1]; b++) check(b + size[1] * c, along(value, b, c), planePosition(plane, b, c, size[0]));
    }

    it('without a replacement the no-value is interpolated as data (useNoValue is ignored)', async () => {
      for (const plane of planes) {
        const data = await projected(plane) as Float32Array;
        const u8 = await projected(plane, { format: Format.Format_U8 }) as Uint8Array;
        eachOutput(plane, (i, elements, u) => {
          const v = interpolate(elements, u, false, { real: F });
          expect(data[i]).to.equal(v);
          expect(u8[i]).to.equal(quantize(v, 0, 1, 256));
        });
      }
      // Samples on the same channel skip it (5.4).
      const [sample] = await completed(manager.requestVolumeSamples([[4.2, 0.5, 0.5]], { interpolationMethod: I.Linear }));
      expect(sample).to.equal(F(noValue));
    });

    it("with a replacement, no-values are interpolated as the replacement and 1.0 is OpenVDS's no-value", async () => {
      const replaced = (elements: number[]) => elements.map((e) => (e === noValue ? 5 : e));
      const model = { real: F, isNoValue: (e: number) => e === 1, replacement: 1 };
      let ones = 0;
      for (const plane of planes) {
        const data = await projected(plane, { replacementNoValue: 5 }) as Float32Array;
        const u8 = await projected(plane, { replacementNoValue: 5, format: Format.Format_U8 }) as Uint8Array;
        eachOutput(plane, (i, elements, u) => {
          const v = interpolate(replaced(elements), u, false, model);
          expect(data[i]).to.equal(v);
          expect(u8[i]).to.equal(v === 1 ? 255 : quantize(v, 0, 1, 255));
          if (v === 1) ones++;
        });
      }
      expect(ones).to.be.greaterThan(0);
    });

    it('samples with a replacement skip data equal to it as well (the replacement is looked for after decoding)', async () => {
      const us = [10.75, 11.25, 11.5, 11.8, 3.9, 4.5];
      const data = await completed(manager.requestVolumeSamples(us.map((u) => [u, 0.5, 0.5]), { interpolationMethod: I.Linear, replacementNoValue: 7 }));
      const elements = along(value, 0, 0).map((e) => (e === noValue ? 7 : e));
      expect([...data]).to.deep.equal(us.map((u) => interpolate(elements, u, false, { real: F, isNoValue: (e) => e === 7, replacement: 7 })));
      expect(data[2]).to.equal(7);
    });
  });

  describe('no-value elements of integer channels (ConvertNoValue in f32)', () => {
    // OpenVDS adds 0.5 to the f32 no-value in f32 before truncating: 8388609 + 0.5 rounds to 8388610.
    const value = (x: number) => (x === 2 ? 8388609 : x === 5 ? 8388610 : 16777216 + 2 * x);
    let dataset: vds.VDS, manager: vds.VolumeDataAccessManager;
    before(async () => ({ dataset, manager } = await open({ size, format: Format.Format_U32, value, noValue: 8388609, valueRange: [0, 2e7] })));
    after(() => vds.close(dataset));

    it('a U32 channel whose no-value is 8388609 treats 8388610 as no-value and 8388609 as data', async () => {
      const positions = [2.5, 5.5, 7.5].map((u) => [u, 0.5, 0.5]);
      const nearest = await completed(manager.requestVolumeSamples(positions, { interpolationMethod: I.Nearest, replacementNoValue: -3 }));
      expect([...nearest]).to.deep.equal([8388609, -3, F(16777230)]);
      // Between 16777224 (x = 4) and the no-value at x = 5 only x = 4 counts; U32 accumulates in double.
      const [linear] = await completed(manager.requestVolumeSamples([[4.9, 0.5, 0.5]], { interpolationMethod: I.Linear }));
      expect(linear).to.equal(16777224);
      const subset = await completed(manager.requestVolumeSubset([0, 0, 0], [8, 1, 1], { format: Format.Format_U32, replacementNoValue: 9 })) as Uint32Array;
      expect([...subset]).to.deep.equal([16777216, 16777218, 8388609, 16777222, 16777224, 9, 16777228, 16777230]);
    });
  });

  describe('U64 channels in projected subsets', () => {
    const value = (x: number, y: number, z: number) => 1000 * x + 10 * y + z;
    let dataset: vds.VDS, manager: vds.VolumeDataAccessManager;
    before(async () => ({ dataset, manager } = await open({ size, format: Format.Format_U64, value, valueRange: [0, 2e4] })));
    after(() => vds.close(dataset));

    it('are sampled as 64-bit values and written as 64-bit elements (OpenVDS reads and writes 32-bit words here)', async () => {
      const plane = [1, 0, 0, -6.4];
      const [r32, u64] = await Promise.all([Format.Format_R32, Format.Format_U64].map((format) => completed(manager.requestProjectedVolumeSubset([0, 0, 0], size, {
        voxelPlane: plane as [number, number, number, number], projectedDimensions: vds.DimensionsND.Dimensions_12, interpolationMethod: I.Nearest, format,
      })))) as [Float32Array, BigUint64Array];
      for (let c = 0; c < size[2]; c++) for (let b = 0; b < size[1]; b++) {
        expect(r32[b + size[1] * c]).to.equal(value(6, b, c));
        expect(u64[b + size[1] * c]).to.equal(BigInt(value(6, b, c)));
      }
    });
  });

  describe('projected subsets at LOD 1', () => {
    const lodSize: [number, number, number] = [20, 9, 7];
    const value = (x: number, y: number, z: number) => ((x * x) % 17) + 3 * y + 0.5 * z * z;
    let dataset: vds.VDS, manager: vds.VolumeDataAccessManager;
    before(async () => ({ dataset, manager } = await open({ size: lodSize, format: Format.Format_R32, value, lodLevels: vds.LODLevels.LODLevels_1 })));
    after(() => vds.close(dataset));

    it('sample the centre of the LOD voxel holding each output voxel, even from an odd min (5.3)', async () => {
      const lod1 = await completed(manager.requestVolumeSubset([0, 0, 0], lodSize, { lod: 1 })) as Float32Array;
      const plane = [1, -0.6, -0.9, -1.7];
      const data = await completed(manager.requestProjectedVolumeSubset([0, 1, 1], lodSize, {
        lod: 1, voxelPlane: plane as [number, number, number, number], projectedDimensions: vds.DimensionsND.Dimensions_12, interpolationMethod: I.Linear,
      })) as Float32Array;
      expect(data.length).to.equal(4 * 3);
      for (let jc = 0; jc < 3; jc++) for (let jb = 0; jb < 4; jb++) {
        const b = 1 + 2 * jb, c = 1 + 2 * jc;
        // The plane is evaluated at the LOD0 position + 2^LOD / 2, then halved into LOD 1 voxels along dimension 0.
        const position = planePosition(plane, b + 0.5, c + 0.5, lodSize[0]);
        const line = Array.from({ length: 10 }, (_, x) => lod1[x + 10 * (Math.floor(b / 2) + 5 * Math.floor(c / 2))]!);
        expect(data[jb + 4 * jc], `(${jb}, ${jc})`).to.equal(interpolate(line, F(position / 2), false, { real: F }));
      }
    });
  });

  describe('item 8: U8 channels with no-value in projected subsets', () => {
    const code = (x: number, y: number, z: number) => (x === 5 ? 255 : Math.min(254, 18 * x + 3 * y + z));
    const [scale, offset] = [0.5, -10];
    const physical = (e: number) => F(offset + F(scale * e));
    const plane = [1, 0.5, -1, -4.25]; // passes through the centre of the code-255 voxel at (b, c) = (0, 1)
    let dataset: vds.VDS, manager: vds.VolumeDataAccessManager;
    before(async () => ({ dataset, manager } = await open({
      size, format: Format.Format_U8, value: code, noValue: -1, integerScale: scale, integerOffset: offset, valueRange: [-10, 117.5],
    })));
    after(() => vds.close(dataset));

    for (const replacementNoValue of [undefined, 3]) {
      it(`U8 output ${replacementNoValue === undefined ? 'without a replacement: code 255 is data, 256 buckets' : 'with a replacement: 1.0 and code 255 give 255, 255 buckets'}`, async () => {
        const [u8, r32] = await Promise.all([Format.Format_U8, Format.Format_R32].map((format) => completed(manager.requestProjectedVolumeSubset([0, 0, 0], size, {
          voxelPlane: plane as [number, number, number, number], projectedDimensions: vds.DimensionsND.Dimensions_12,
          interpolationMethod: I.Linear, format, replacementNoValue,
        })))) as [Uint8Array, Float32Array];
        const model = replacementNoValue === undefined ? { real: F, physical }
          : { real: F, physical, isNoValue: (e: number) => e === 255, replacement: 1 };
        let top = 0;
        for (let c = 0; c < size[2]; c++) for (let b = 0; b < size[1]; b++) {
          const i = b + size[1] * c;
          const v = interpolate(along(code, b, c), planePosition(plane, b, c, size[0]), false, model);
          expect(r32[i], `R32 (${b}, ${c})`).to.equal(v);
          const expected = replacementNoValue !== undefined && v === 1 ? 255 : quantize(v, offset, scale, replacementNoValue === undefined ? 256 : 255);
          expect(u8[i], `U8 (${b}, ${c})`).to.equal(expected);
          if (expected === 255) top++;
        }
        expect(top).to.be.greaterThan(0);
      });
    }
  });
});
