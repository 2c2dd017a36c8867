import { expect } from 'chai';
import { InterpolationMethod } from '../src/model/enums.js';
import { createVolumeSampler, type SamplerOptions } from '../src/engine/volumeSampler.js';

const F = Math.fround;
type Size = [number, number, number];
type Voxel = (i: number, j: number, k: number) => number;

function fill(size: Size, f: Voxel, kind: 'f32' | 'f64' = 'f32'): Float32Array | Float64Array {
  const data = kind === 'f32' ? new Float32Array(size[0] * size[1] * size[2]) : new Float64Array(size[0] * size[1] * size[2]);
  for (let k = 0; k < size[2]; k++) for (let j = 0; j < size[1]; j++) for (let i = 0; i < size[0]; i++) {
    data[i + size[0] * (j + size[1] * k)] = f(i, j, k);
  }
  return data;
}

function sampler(size: Size, data: Float32Array | Float64Array, method: InterpolationMethod,
  extra: Partial<SamplerOptions> = {}) {
  return createVolumeSampler({ data, size }, { method, valueRangeMin: -1000, valueRangeMax: 1000, ...extra });
}

function lcg(seed: number): () => number {
  return () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 2 ** 32; };
}

const clamp = (i: number, n: number) => Math.min(Math.max(i, 0), n - 1);

// --- reference model, written from the fact sheet (5.4): per-axis tap lists, then the weighted sum ---

interface Tap { index: number; weight: number; guard: number }

function axisTaps(c: number, size: number, cubic: boolean): Tap[] {
  const n = Math.floor(F(c - 0.5));
  const f = F(F(c - n) - 0.5);
  if (!cubic) {
    return [
      { index: clamp(n, size), weight: F(1 - f), guard: clamp(n, size) },
      { index: clamp(n + 1, size), weight: f, guard: clamp(n + 1, size) },
    ];
  }
  const f2 = F(f * f), f3 = F(f2 * f);
  const w = [
    F(F(F(-0.5 * f3) + f2) - F(0.5 * f)),
    F(F(F(1.5 * f3) - F(2.5 * f2)) + 1),
    F(F(F(-1.5 * f3) + F(2 * f2)) + F(0.5 * f)),
    F(0.5 * F(f3 - f2)),
  ];
  const centreLow = clamp(n, size), centreHigh = clamp(n + 1, size);
  return w.map((weight, t) => ({ index: clamp(n - 1 + t, size), weight, guard: t <= 1 ? centreLow : centreHigh }));
}

function referenceSample(size: Size, data: Float32Array, method: 'linear' | 'cubic', p: Size,
  noValue?: { noValue: number; replacementNoValue: number }): number {
  const [u, v, w] = p.map(F) as Size;
  const at = (i: number, j: number, k: number) => data[i + size[0] * (j + size[1] * k)]!;
  const near = at(clamp(Math.floor(u), size[0]), clamp(Math.floor(v), size[1]), clamp(Math.floor(w), size[2]));
  if (noValue && near === noValue.noValue) return noValue.replacementNoValue;
  const cubic = method === 'cubic';
  const tx = axisTaps(u, size[0], cubic), ty = axisTaps(v, size[1], cubic), tz = axisTaps(w, size[2], cubic);
  let sum = 0, weightSum = 0;
  for (const z of tz) for (const y of ty) for (const x of tx) {
    const value = at(x.index, y.index, z.index);
    if (noValue && (value === noValue.noValue || at(x.guard, y.guard, z.guard) === noValue.noValue)) continue;
    const weight = F(F(x.weight * y.weight) * z.weight);
    sum = F(sum + F(F(value - near) * weight));
    weightSum = F(weightSum + weight);
  }
  if (noValue) sum = F(sum / weightSum);
  return F(sum + near);
}

const S: Size = [7, 5, 3];

describe('volumeSampler', () => {
  describe('argument checks', () => {
    it('names what is wrong', () => {
      const data = new Float32Array(105);
      expect(() => createVolumeSampler({ data, size: [7, 5, 4] }, { method: InterpolationMethod.Linear, valueRangeMin: 0, valueRangeMax: 1 }))
        .to.throw('SamplerBlock data has 105 values, size 7×5×4 needs 140');
      expect(() => createVolumeSampler({ data, size: [7, 0, 3] }, { method: InterpolationMethod.Linear, valueRangeMin: 0, valueRangeMax: 1 }))
        .to.throw('SamplerBlock size must be three positive integers, got [7,0,3]');
      expect(() => createVolumeSampler({ data, size: S }, { method: 9 as InterpolationMethod, valueRangeMin: 0, valueRangeMax: 1 }))
        .to.throw('Unknown interpolation method 9');
      expect(() => createVolumeSampler({ data, size: S }, { method: InterpolationMethod.Angular, valueRangeMin: 5, valueRangeMax: 5 }))
        .to.throw('Angular interpolation needs valueRangeMax > valueRangeMin, got [5, 5]');
      expect(() => createVolumeSampler({ data, size: S }, { method: InterpolationMethod.Nearest, valueRangeMin: 0, valueRangeMax: Infinity }))
        .to.throw('Sampler value range must be finite, got [0, Infinity]');
      expect(() => createVolumeSampler({ data: [1] as unknown as Float32Array, size: [1, 1, 1] }, { method: InterpolationMethod.Nearest, valueRangeMin: 0, valueRangeMax: 1 }))
        .to.throw('SamplerBlock data must be a Float32Array, Float64Array, Uint8Array, Uint16Array or Uint32Array');
      expect(() => createVolumeSampler({ data: new Uint8Array(1), size: [1, 1, 1] }, { method: InterpolationMethod.Nearest, valueRangeMin: 0, valueRangeMax: 1 }))
        .to.throw('SamplerBlock with U8/U16 codes needs their integerScale and integerOffset');
    });
  });

  describe('Nearest', () => {
    const id: Voxel = (i, j, k) => i + 10 * j + 100 * k;
    const sample = sampler(S, fill(S, id), InterpolationMethod.Nearest);

    it('picks voxel floor(u) on each axis, clamped to the block', () => {
      const points: Array<[Size, Size]> = [
        [[0, 0, 0], [0, 0, 0]], [[0.999, 4.5, 2.999], [0, 4, 2]], [[3.5, 2.25, 1], [3, 2, 1]],
        [[6.99, 4.99, 2.99], [6, 4, 2]], [[7, 5, 3], [6, 4, 2]], [[-0.01, -3, -100], [0, 0, 0]],
        [[1e6, 2.5, -1e6], [6, 2, 0]],
      ];
      for (const [p, [i, j, k]] of points) expect(sample(...p), `at ${p}`).to.equal(id(i, j, k));
    });

    it('rounds coordinates to f32 first, as OpenVDS takes a float position', () => {
      // 3 − 2^-30 is 3 in f32, so it lands in voxel 3, not 2.
      expect(sample(3 - 2 ** -30, 0.5, 0.5)).to.equal(3);
    });

    it('reads voxel 0 for NaN coordinates (x86 int conversion), never outside the block', () => {
      expect(sample(NaN, 2.5, NaN)).to.equal(20);
    });

    it('gives the replacement only where the nearest voxel is no-value', () => {
      const data = fill(S, id);
      data[3 + 7 * 2] = -999.25;
      const s = sampler(S, data, InterpolationMethod.Nearest, { noValue: { noValue: -999.25, replacementNoValue: 42 } });
      expect(s(3.9, 2.1, 0.5)).to.equal(42);
      expect(s(4.1, 2.1, 0.5)).to.equal(24);
      const plain = sampler(S, data, InterpolationMethod.Nearest);
      expect(plain(3.9, 2.1, 0.5)).to.equal(-999.25);
    });

    it('compares elements with the no-value exactly (f64 data in double) and returns the replacement as f32', () => {
      // The caller converts the no-value to the element type (ConvertNoValue): f32(0.1) for R32 and R64 data.
      const noValue = { noValue: F(0.1), replacementNoValue: 0.3 };
      expect(sampler([1, 1, 1], new Float32Array([0.1]), InterpolationMethod.Nearest, { noValue })(0, 0, 0)).to.equal(F(0.3));
      const s = sampler([2, 1, 1], new Float64Array([F(0.1), 0.1]), InterpolationMethod.Nearest, { noValue });
      expect(s(0.5, 0.5, 0.5)).to.equal(F(0.3));
      expect(s(1.5, 0.5, 0.5)).to.equal(0.1);
    });
  });

  describe('Linear', () => {
    const ramp: Voxel = (i, j, k) => 1.5 + 2 * i - 3 * j + 0.25 * k;
    const rampAt = (u: number, v: number, w: number) => 1.5 + 2 * (u - 0.5) - 3 * (v - 0.5) + 0.25 * (w - 0.5);

    it('reproduces a linear ramp exactly at interior positions (f32)', () => {
      const sample = sampler(S, fill(S, ramp), InterpolationMethod.Linear);
      let checked = 0;
      for (let u = 0.5; u <= 6.5; u += 0.375) for (let v = 0.5; v <= 4.5; v += 0.3125) for (let w = 0.5; w <= 2.5; w += 0.125) {
        expect(sample(u, v, w), `at ${u},${v},${w}`).to.equal(rampAt(u, v, w));
        checked++;
      }
      expect(checked).to.equal(17 * 13 * 17);
    });

    it('reproduces a ramp to f32 weight precision at arbitrary positions (f64 data)', () => {
      const sample = sampler(S, fill(S, ramp, 'f64'), InterpolationMethod.Linear);
      const rnd = lcg(3);
      for (let n = 0; n < 500; n++) {
        const u = 0.5 + 6 * rnd(), v = 0.5 + 4 * rnd(), w = 0.5 + 2 * rnd();
        expect(sample(u, v, w)).to.be.closeTo(rampAt(F(u), F(v), F(w)), 2e-5);
      }
    });

    it('accumulates in double for f64 data with f32 weights', () => {
      const data = new Float64Array([0.1, 0.7]);
      const sample = sampler([2, 1, 1], data, InterpolationMethod.Linear);
      expect(sample(0.75, 0.5, 0.5)).to.equal(0.1 + 0.25 * (0.7 - 0.1));
      const f = F(F(F(0.6) - 0) - 0.5);
      expect(sample(0.6, 0.5, 0.5)).to.equal(0.1 + (0.7 - 0.1) * f);
    });

    it('clamps at the edges: below 0.5 and above S − 0.5 the edge voxel is used', () => {
      const sample = sampler(S, fill(S, ramp), InterpolationMethod.Linear);
      expect(sample(0.25, 1.5, 0.5)).to.equal(rampAt(0.5, 1.5, 0.5));
      expect(sample(-4, -4, -4)).to.equal(ramp(0, 0, 0));
      expect(sample(6.875, 4.75, 2.625)).to.equal(ramp(6, 4, 2));
      expect(sample(100, 2.0, 2.75)).to.equal(rampAt(6.5, 2.0, 2.5));
    });

    it('works on 1-sample axes', () => {
      const line = sampler([7, 1, 1], fill([7, 1, 1], (i) => 3 * i), InterpolationMethod.Linear);
      expect(line(2.25, 0, 0)).to.equal(3 * 1.75);
      expect(line(2.25, 0.5, 0.5)).to.equal(3 * 1.75);
      const column = sampler([1, 5, 1], fill([1, 5, 1], (_i, j) => -2 * j), InterpolationMethod.Linear);
      expect(column(9, 3.125, 0)).to.equal(-2 * 2.625);
    });

    it('matches the sheet formula bit for bit on random f32 data, inside and outside the block', () => {
      const rnd = lcg(11);
      const data = fill(S, () => F((rnd() - 0.5) * 2000)) as Float32Array;
      const sample = sampler(S, data, InterpolationMethod.Linear);
      for (let n = 0; n < 3000; n++) {
        const p: Size = [-1 + 9 * rnd(), -1 + 7 * rnd(), -1 + 5 * rnd()];
        expect(Object.is(sample(...p), referenceSample(S, data, 'linear', p)), `at ${p}`).to.equal(true);
      }
    });

    describe('with no-value', () => {
      const nv = { noValue: -999.25, replacementNoValue: 7 };
      // 2×2×1 cell: (0,0)=10, (1,0)=20, (0,1)=no-value, (1,1)=40
      const cell = new Float32Array([10, 20, nv.noValue, 40]);
      const sample = sampler([2, 2, 1], cell, InterpolationMethod.Linear, { noValue: nv });

      it('skips no-value neighbours and divides by the used weights', () => {
        const sum = F(F(0.1875 * 10) + F(0.0625 * 30)); // weights .5625, .1875, (.1875 skipped), .0625
        expect(sample(0.75, 0.75, 0.5)).to.equal(F(10 + F(sum / F(0.5625 + 0.1875 + 0.0625))));
        expect(sample(0.75, 0.75, 0.5)).to.equal(F(10 + F(3.75 / 0.8125)));
      });

      it('gives the replacement when the nearest voxel is no-value', () => {
        expect(sample(0.75, 1.25, 0.5)).to.equal(7);
      });

      it('gives the replacement when every voxel is no-value', () => {
        const none = sampler([2, 2, 1], new Float32Array(4).fill(nv.noValue), InterpolationMethod.Linear, { noValue: nv });
        for (const p of [[0.5, 0.5, 0.5], [1, 1, 0], [1.9, 0.1, 0.7]] as Size[]) expect(none(...p)).to.equal(7);
      });

      it('uses the value as data when no no-value is given', () => {
        const plain = sampler([2, 2, 1], cell, InterpolationMethod.Linear);
        expect(plain(1, 1, 0.5)).to.equal((10 + 20 + nv.noValue + 40) / 4);
      });

      it('matches the sheet formula bit for bit on random data with scattered no-values', () => {
        const rnd = lcg(5);
        const data = fill(S, () => (rnd() < 0.3 ? nv.noValue : F((rnd() - 0.5) * 50))) as Float32Array;
        const s = sampler(S, data, InterpolationMethod.Linear, { noValue: nv });
        for (let n = 0; n < 3000; n++) {
          const p: Size = [-1 + 9 * rnd(), -1 + 7 * rnd(), -1 + 5 * rnd()];
          expect(Object.is(s(...p), referenceSample(S, data, 'linear', p, nv)), `at ${p}`).to.equal(true);
        }
      });
    });
  });

  describe('Cubic', () => {
    const quadratic = (x: number) => 0.5 * x * x - 2 * x + 3;
    const quadraticY = (y: number) => -0.25 * y * y + y;

    it('reproduces quadratics exactly at interior positions (1D along x and along y)', () => {
      const along = sampler(S, fill(S, (i) => quadratic(i)), InterpolationMethod.Cubic);
      for (let u = 1.5; u < 5.5; u += 0.125) expect(along(u, 2.5, 1.5), `u=${u}`).to.equal(quadratic(u - 0.5));
      const across = sampler(S, fill(S, (_i, j) => quadraticY(j)), InterpolationMethod.Cubic);
      for (let v = 1.5; v < 3.5; v += 0.0625) expect(across(3.5, v, 1.5), `v=${v}`).to.equal(quadraticY(v - 0.5));
    });

    it('reproduces a 2D quadratic sum exactly', () => {
      const s = sampler(S, fill(S, (i, j) => quadratic(i) + quadraticY(j)), InterpolationMethod.Cubic);
      for (let u = 1.5; u < 5.5; u += 0.25) for (let v = 1.5; v < 3.5; v += 0.25) {
        expect(s(u, v, 1.5)).to.equal(quadratic(u - 0.5) + quadraticY(v - 0.5));
      }
    });

    it('uses clamped taps at the edges (Catmull-Rom on 0,0,0,1 below 0.5)', () => {
      const values = [3, 5, 11, 2, 8, 1, 4];
      const s = sampler([7, 1, 1], new Float32Array(values), InterpolationMethod.Cubic);
      // u = 0.25: n = −1, f = 0.75, taps 0,0,0,1; only tap 1 differs from the nearest voxel 0.
      const f = 0.75, w3 = F(0.5 * F(F(F(f * f) * f) - F(f * f)));
      expect(s(0.25, 0, 0)).to.equal(F(F(w3 * (5 - 3)) + 3));
      // u = 6.75: n = 6, f = 0.25, taps 5,6,6,6; nearest is voxel 6.
      const g = 0.25, w0 = F(F(F(-0.5 * F(F(g * g) * g)) + F(g * g)) - F(0.5 * g));
      expect(s(6.75, 0, 0)).to.equal(F(F(w0 * (1 - 4)) + 4));
      expect(s(50, 0, 0)).to.equal(4);
      expect(s(-50, 0, 0)).to.equal(3);
    });

    it('matches the sheet formula bit for bit on random f32 data', () => {
      const rnd = lcg(17);
      const data = fill(S, () => F((rnd() - 0.5) * 2000)) as Float32Array;
      const sample = sampler(S, data, InterpolationMethod.Cubic);
      for (let n = 0; n < 2000; n++) {
        const p: Size = [-1 + 9 * rnd(), -1 + 7 * rnd(), -1 + 5 * rnd()];
        expect(Object.is(sample(...p), referenceSample(S, data, 'cubic', p)), `at ${p}`).to.equal(true);
      }
    });

    describe('with no-value', () => {
      const nv = { noValue: -1, replacementNoValue: 1234.5 };
      const t = 0.25, t2 = t * t, t3 = t2 * t;
      const w0 = -0.5 * t3 + t2 - 0.5 * t, w1 = 1.5 * t3 - 2.5 * t2 + 1, w2 = -1.5 * t3 + 2 * t2 + 0.5 * t;

      it('drops a tap whose central tap is no-value, and renormalises', () => {
        // u = 1.75: nearest voxel 1, taps 0..3; voxel 2 is the guard of taps 2 and 3.
        const s = sampler([6, 1, 1], new Float32Array([1, 2, -1, 4, 5, 6]), InterpolationMethod.Cubic, { noValue: nv });
        expect(w0).to.equal(-0.0703125);
        expect(s(1.75, 0.5, 0.5)).to.equal(F(2 + F(F(w0 * (1 - 2)) / F(w0 + w1))));
      });

      it('drops only the outer tap when it alone is no-value', () => {
        const s = sampler([6, 1, 1], new Float32Array([-1, 2, 3, 5, 5, 6]), InterpolationMethod.Cubic, { noValue: nv });
        const w3 = 0.5 * (t3 - t2);
        const sum = F(F(w2 * (3 - 2)) + F(w3 * (5 - 2)));
        expect(s(1.75, 0.5, 0.5)).to.equal(F(2 + F(sum / F(F(w1 + w2) + w3))));
      });

      it('gives the replacement when the nearest voxel is no-value or all are', () => {
        const s = sampler([6, 1, 1], new Float32Array([1, 2, -1, 4, 5, 6]), InterpolationMethod.Cubic, { noValue: nv });
        expect(s(2.25, 0.5, 0.5)).to.equal(1234.5);
        const none = sampler([3, 3, 3], new Float32Array(27).fill(-1), InterpolationMethod.Cubic, { noValue: nv });
        expect(none(1.3, 1.7, 0.2)).to.equal(1234.5);
      });

      it('matches the sheet formula bit for bit on random data with scattered no-values', () => {
        const rnd = lcg(23);
        const data = fill(S, () => (rnd() < 0.15 ? nv.noValue : F(rnd() * 50))) as Float32Array;
        const s = sampler(S, data, InterpolationMethod.Cubic, { noValue: nv });
        for (let n = 0; n < 2000; n++) {
          const p: Size = [-1 + 9 * rnd(), -1 + 7 * rnd(), -1 + 5 * rnd()];
          expect(Object.is(s(...p), referenceSample(S, data, 'cubic', p, nv)), `at ${p}`).to.equal(true);
        }
      });
    });
  });

  describe('Angular', () => {
    const range = { valueRangeMin: -180, valueRangeMax: 180 };
    const pair = new Float32Array([179, -179]);

    it('interpolates across the period boundary towards ±180, not 0', () => {
      const s = sampler([2, 1, 1], pair, InterpolationMethod.Angular, range);
      expect(s(1, 0.5, 0.5)).to.equal(-180); // 180 wraps into [−180, 180)
      expect(s(0.75, 0.5, 0.5)).to.equal(179.5);
      expect(s(1.25, 0.5, 0.5)).to.equal(-179.5);
      expect(sampler([2, 1, 1], pair, InterpolationMethod.Linear, range)(1, 0.5, 0.5)).to.equal(0);
    });

    it('wraps the result into [min, min + period)', () => {
      const s = sampler([2, 1, 1], new Float32Array([179, -175]), InterpolationMethod.Angular, range);
      expect(s(0.875, 0.5, 0.5)).to.equal(179 + 0.375 * 6 - 360);
      const degrees = sampler([2, 1, 1], new Float32Array([350, 10]), InterpolationMethod.Angular, { valueRangeMin: 0, valueRangeMax: 360 });
      expect(degrees(1, 0.5, 0.5)).to.equal(0);
      expect(degrees(1.25, 0.5, 0.5)).to.equal(5);
    });

    it('equals Linear where no wrap is involved', () => {
      const data = fill(S, (i, j, k) => i * 3 - j * 7 + k * 11) as Float32Array;
      const angular = sampler(S, data, InterpolationMethod.Angular, range);
      const linear = sampler(S, data, InterpolationMethod.Linear, range);
      for (let u = 0; u < 7; u += 0.4375) expect(angular(u, 2.3, 1.1)).to.equal(linear(u, 2.3, 1.1));
    });

    it('skips no-value neighbours and gives the replacement for a no-value nearest voxel', () => {
      const nv = { noValue: 9999, replacementNoValue: -9999 };
      const s = sampler([3, 1, 1], new Float32Array([179, -179, 9999]), InterpolationMethod.Angular, { ...range, noValue: nv });
      // u = 1.75: nearest voxel 1 (−179), taps 1 (w .75) and 2 (no-value): just the nearest value.
      expect(s(1.75, 0.5, 0.5)).to.equal(-179);
      // u = 1.25: taps 0 (179 → −181, w .25) and 1 (w .75), weights sum to 1.
      expect(s(1.25, 0.5, 0.5)).to.equal(-179.5);
      expect(s(2.5, 0.5, 0.5)).to.equal(-9999);
    });
  });

  describe('Triangular', () => {
    it('equals the plane through the heights', () => {
      const plane = (x: number, y: number) => 3 + 2 * x - 1.5 * y;
      const s = sampler(S, fill(S, (i, j) => plane(i, j)), InterpolationMethod.Triangular);
      for (let u = 0.5; u <= 6.5; u += 0.125) for (let v = 0.5; v <= 4.5; v += 0.1875) {
        expect(s(u, v, 1.5), `at ${u},${v}`).to.equal(plane(u - 0.5, v - 0.5));
      }
    });

    it('splits the cell along the anti-diagonal', () => {
      const s = sampler([2, 2, 1], new Float32Array([1, 2, 4, 8]), InterpolationMethod.Triangular);
      expect(s(0.75, 0.75, 0)).to.equal(1 + 0.25 * 1 + 0.25 * 3);
      expect(s(1.25, 1.25, 0)).to.equal(8 + 0.25 * (4 - 8) + 0.25 * (2 - 8));
      expect(s(1, 1, 0)).to.equal(1 + 0.5 * 1 + 0.5 * 3);
    });

    it('takes the nearest plane along the third axis and clamps in the first two', () => {
      const size: Size = [2, 2, 3];
      const s = sampler(size, fill(size, (i, j, k) => 100 * k + i + 2 * j), InterpolationMethod.Triangular);
      expect(s(0.75, 0.75, 1.9)).to.equal(100 + 0.25 + 0.5);
      expect(s(0.75, 0.75, 2.1)).to.equal(200 + 0.25 + 0.5);
      expect(s(0.75, 0.75, -5)).to.equal(0.25 + 0.5);
      expect(s(-3, 9, 17)).to.equal(200 + 2);
    });

    describe('with no-value (cell 00=1, 10=2, 01=4, 11=8; first digit steps u)', () => {
      const nv = { noValue: -5, replacementNoValue: 77 };
      const cell = (missing: string[]) => {
        const values = { '00': 1, '10': 2, '01': 4, '11': 8 } as Record<string, number>;
        for (const m of missing) values[m] = nv.noValue;
        return sampler([2, 2, 1], new Float32Array([values['00']!, values['10']!, values['01']!, values['11']!]),
          InterpolationMethod.Triangular, { noValue: nv });
      };
      const at = (s: ReturnType<typeof cell>, fu: number, fv: number) => s(0.5 + fu, 0.5 + fv, 0.5);

      it('uses the far triangle when the lower corner is missing, only on its side', () => {
        const s = cell(['00']);
        expect(at(s, 0.25, 0.25)).to.equal(77);
        expect(at(s, 0.75, 0.75)).to.equal(8 + 0.25 * (4 - 8) + 0.25 * (2 - 8));
        expect(at(s, 0.5, 0.5)).to.equal(8 + 0.5 * (4 - 8) + 0.5 * (2 - 8));
      });

      it('uses the lower corner triangle when the upper corner is missing', () => {
        const s = cell(['11']);
        expect(at(s, 0.25, 0.25)).to.equal(1 + 0.25 * 1 + 0.25 * 3);
        expect(at(s, 0.75, 0.5)).to.equal(77);
        expect(at(s, 0.5, 0.5)).to.equal(1 + 0.5 * 1 + 0.5 * 3); // the anti-diagonal belongs to both
      });

      it('falls back to the main diagonal when an off-diagonal corner is missing', () => {
        const noU = cell(['10']);
        expect(at(noU, 0.25, 0.5)).to.equal(4 + 0.25 * (8 - 4) + 0.5 * (1 - 4));
        expect(at(noU, 0.5, 0.25)).to.equal(77);
        expect(at(noU, 0.5, 0.5)).to.equal(4 + 0.5 * (8 - 4) + 0.5 * (1 - 4));
        const noV = cell(['01']);
        expect(at(noV, 0.5, 0.25)).to.equal(2 + 0.5 * (1 - 2) + 0.25 * (8 - 2));
        expect(at(noV, 0.25, 0.5)).to.equal(77);
        expect(at(noV, 0.5, 0.5)).to.equal(2 + 0.5 * (1 - 2) + 0.5 * (8 - 2));
      });

      it('falls back to the edges leaving the lower corner, at their exact positions only', () => {
        const s = cell(['10', '11']);
        expect(at(s, 0, 0)).to.equal(1);
        expect(at(s, 0, 0.5)).to.equal(1 + 0.5 * 3);
        expect(at(s, 0.5, 0)).to.equal(77);
        expect(at(s, 0.25, 0.25)).to.equal(77);
        const t = cell(['01', '11']);
        expect(at(t, 0.5, 0)).to.equal(1 + 0.5 * 1);
        expect(at(t, 0, 0.5)).to.equal(77);
        expect(at(cell(['01', '10', '11']), 0, 0)).to.equal(1);
      });

      it('gives the replacement when both lower corners or every corner are missing', () => {
        for (const p of [[0, 0], [0.25, 0.5], [0.75, 0.75]]) {
          expect(at(cell(['00', '10']), p[0]!, p[1]!)).to.equal(77);
          expect(at(cell(['00', '10', '01', '11']), p[0]!, p[1]!)).to.equal(77);
        }
      });

      it('treats the value as data when no no-value is given', () => {
        const s = sampler([2, 2, 1], new Float32Array([-5, 2, 4, 8]), InterpolationMethod.Triangular);
        expect(s(0.75, 0.75, 0.5)).to.equal(-5 + 0.25 * 7 + 0.25 * 9);
      });
    });
  });

  describe('voxel-centre coordinates (zero-weight taps)', () => {
    const centred = (rnd: () => number): Size => {
      const p: Size = [-1 + 9 * rnd(), -1 + 7 * rnd(), -1 + 5 * rnd()];
      for (let a = 0; a < 3; a++) if (rnd() < 0.5) p[a] = Math.floor(rnd() * (S[a]! + 2)) - 1 + 0.5;
      return p;
    };

    it('give the full-sum result bit for bit, with and without no-value', () => {
      const rnd = lcg(29);
      const nv = { noValue: -3.4028234663852886e38, replacementNoValue: 0.5 };
      const data = fill(S, () => (rnd() < 0.2 ? nv.noValue : F((rnd() - 0.5) * 1e6))) as Float32Array;
      for (const [method, kind] of [[InterpolationMethod.Linear, 'linear'], [InterpolationMethod.Cubic, 'cubic']] as const) {
        const plain = sampler(S, data, method), withNoValue = sampler(S, data, method, { noValue: nv });
        for (let n = 0; n < 2000; n++) {
          const p = centred(rnd);
          expect(Object.is(plain(...p), referenceSample(S, data, kind, p)), `${kind} at ${p}`).to.equal(true);
          expect(Object.is(withNoValue(...p), referenceSample(S, data, kind, p, nv)), `${kind} no-value at ${p}`).to.equal(true);
        }
      }
    });

    it('still turn NaN and overflowing neighbours into NaN, as 0·NaN does in OpenVDS', () => {
      const withNaN = new Float32Array([1, 2, 3, NaN, 5, 6, 7]);
      expect(sampler([7, 1, 1], withNaN, InterpolationMethod.Linear)(2.5, 0.5, 0.5)).to.be.NaN;
      expect(sampler([7, 1, 1], withNaN, InterpolationMethod.Cubic)(0.5, 0.5, 0.5)).to.equal(1);
      expect(sampler([7, 1, 1], withNaN, InterpolationMethod.Cubic)(2.5, 0.5, 0.5)).to.be.NaN;
      const huge = new Float32Array([3e38, -3e38]);
      expect(sampler([2, 1, 1], huge, InterpolationMethod.Linear)(0.5, 0.5, 0.5)).to.be.NaN;
      expect(sampler([2, 1, 1], new Float32Array([3e38, 1]), InterpolationMethod.Linear)(0.5, 0.5, 0.5)).to.equal(F(3e38));
    });
  });

  describe('native elements', () => {
    const codes = { integerScale: 0.5, integerOffset: -10 };
    const physical = (code: number) => F(-10 + F(0.5 * code));

    it('U8/U16 codes: sums physical values in f32, finds no-value by code, not by physical value', () => {
      // Code 20 is physically 0, the same as a no-value number 0 would be; only code 255 is no-value.
      const u8 = new Uint8Array([20, 30, 255, 41]);
      const s = createVolumeSampler({ data: u8, size: [4, 1, 1], codes }, {
        method: InterpolationMethod.Linear, valueRangeMin: -10, valueRangeMax: 117, noValue: { noValue: 255, replacementNoValue: -1 },
      });
      expect(s(0.5, 0.5, 0.5)).to.equal(0);
      expect(s(1.25, 0.5, 0.5)).to.equal(F(F(F(F(physical(20) - 5) * 0.25) + 0) + 5));
      // 2.25: nearest is the no-value code; 1.75: its neighbour code 255 is skipped, weights renormalised.
      expect(s(2.25, 0.5, 0.5)).to.equal(F(-1));
      expect(s(1.75, 0.5, 0.5)).to.equal(physical(30));
      const u16 = createVolumeSampler({ data: new Uint16Array([1000, 65535, 3000]), size: [3, 1, 1], codes }, {
        method: InterpolationMethod.Nearest, valueRangeMin: 0, valueRangeMax: 1, noValue: { noValue: 65535, replacementNoValue: 7 },
      });
      expect([u16(0.5, 0, 0), u16(1.5, 0, 0), u16(2.5, 0, 0)]).to.deep.equal([physical(1000), 7, physical(3000)]);
    });

    it('U32 elements accumulate in double, as OpenVDS does for uint32', () => {
      const big = 16777217; // 2^24 + 1: not an f32
      const s = createVolumeSampler({ data: new Uint32Array([big, big + 2]), size: [2, 1, 1] }, {
        method: InterpolationMethod.Linear, valueRangeMin: 0, valueRangeMax: 1,
      });
      expect(s(1, 0.5, 0.5)).to.equal(big + 1);
    });
  });

  it('every method returns the single voxel of a 1×1×1 block anywhere', () => {
    for (const method of [InterpolationMethod.Nearest, InterpolationMethod.Linear, InterpolationMethod.Cubic,
      InterpolationMethod.Angular, InterpolationMethod.Triangular]) {
      const s = sampler([1, 1, 1], new Float32Array([12.5]), method);
      for (const p of [[0, 0, 0], [0.5, 0.5, 0.5], [-7.3, 0.9, 12], [100, -100, 0.25]] as Size[]) {
        expect(s(...p), `${InterpolationMethod[method]} at ${p}`).to.equal(12.5);
      }
    }
  });
});
