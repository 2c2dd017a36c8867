// The wavelet encoder against rxvds's bit-exact decoder: the tolerance bound over every sample,
// lossless methods bit for bit, integer streams, no-values, odd shapes, adaptive prefixes, and a
// fuzz over random blocks.
import { expect } from 'chai';
import { CompressionMethod as M, VolumeDataFormat as F } from '../src/model/enums.js';
import { InvalidArgumentError } from '../src/model/errors.js';
import type { BlockShape, ChannelValues } from '../src/model/block.js';
import { adaptivePrefixSize } from '../src/model/adaptiveLevels.js';
import { waveletCodecFor } from '../src/codecs/wavelet.js';
import { encodeWaveletChunk, type WaveletMethod } from '../src/codecs/wavelet/encoder.js';
import { readWaveletHeader, readWaveletSections } from '../src/codecs/wavelet/header.js';
import { fseEncode } from '../src/codecs/wavelet/encode/fseEncode.js';
import { fseDecode } from '../src/codecs/wavelet/fse.js';
import { readVector } from './support/testdata.js';
import { pick, randomInt, seededRandom, type Random } from './support/random.js';
import { syntheticVolume } from './support/waveletDataset.js';

type Size = [number, number, number];
type Samples = Float32Array | Uint8Array | Uint16Array;

const RANGE = 2.5;
const r32Channel: ChannelValues = { valueRangeMin: -1.25, valueRangeMax: 1.25, integerScale: 1, integerOffset: 0, useNoValue: false, noValue: 0 };
const u8Channel: ChannelValues = { valueRangeMin: 0, valueRangeMax: 255, integerScale: 1, integerOffset: 0, useNoValue: false, noValue: 0 };
const u16Channel: ChannelValues = { valueRangeMin: 0, valueRangeMax: 65535, integerScale: 1, integerOffset: 0, useNoValue: false, noValue: 0 };
const LOSSLESS = new Set<M>([M.WaveletLossless, M.WaveletNormalizeBlockLossless]);

const dimensionality = (size: Size) => (size[2] > 1 ? 3 : size[1] > 1 ? 2 : 1);
const shapeOf = (size: Size, format: F): BlockShape => ({ dimensionality: dimensionality(size), size, format, components: 1 });
const bytesOf = (samples: Samples) => new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
const typed = (bytes: Uint8Array, format: F): Samples => {
  const buffer = bytes.slice().buffer;
  return format === F.Format_R32 ? new Float32Array(buffer) : format === F.Format_U16 ? new Uint16Array(buffer) : new Uint8Array(buffer);
};

interface RoundTrip {
  bytes: Uint8Array;
  adaptiveLevels: Uint8Array;
  decoded: Samples;
}

function roundTrip(samples: Samples, size: Size, format: F, channel: ChannelValues, method: WaveletMethod, tolerance: number, adaptiveLevel = 0): RoundTrip {
  const shape = shapeOf(size, format);
  const { bytes, adaptiveLevels } = encodeWaveletChunk(bytesOf(samples), { shape, channel, tolerance, method });
  const lossless = LOSSLESS.has(method) && adaptiveLevel === 0;
  const prefix = bytes.subarray(0, adaptivePrefixSize(bytes.length, adaptiveLevel - (lossless ? 1 : 0), adaptiveLevels));
  const decoded = waveletCodecFor(method).decode(adaptiveLevel === 0 ? bytes : prefix, { shape, channel, targetFormat: format, adaptiveLevel, lossless });
  expect(decoded.format).to.equal(format);
  return { bytes, adaptiveLevels, decoded: typed(decoded.bytes, format) };
}

/** Largest |a − b| over the samples `skip` does not exclude. */
function maxError(a: Samples, b: Samples, skip?: (i: number) => boolean): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) if (!skip?.(i)) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}
function rmsError(a: Samples, b: Samples): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(sum / a.length);
}
const sameBits = (a: Samples, b: Samples) => Buffer.from(bytesOf(a)).equals(Buffer.from(bytesOf(b)));

function randomBlock(random: Random, size: Size, format: F): Samples {
  const n = size[0] * size[1] * size[2];
  const smooth = new Float32Array(n);
  const [fx, fy, fz] = [random() * 0.8, random() * 0.5, random() * 0.3];
  let i = 0;
  for (let z = 0; z < size[2]; z++) for (let y = 0; y < size[1]; y++) for (let x = 0; x < size[0]; x++, i++) {
    smooth[i] = 0.6 * Math.sin(fx * x + fy * y + fz * z) + 0.3 * (random() - 0.5) + (random() < 0.01 ? 0.5 : 0);
  }
  if (format === F.Format_R32) return smooth;
  const top = format === F.Format_U8 ? 254 : 65534;
  const out = format === F.Format_U8 ? new Uint8Array(n) : new Uint16Array(n);
  for (let k = 0; k < n; k++) out[k] = Math.max(0, Math.min(top, Math.round((smooth[k]! / RANGE + 0.5) * top)));
  return out;
}

describe('wavelet encoder', function () {
  this.timeout(60_000);

  describe('R32 lossy streams', () => {
    const cube = syntheticVolume([64, 64, 64]);
    for (const tolerance of [0.25, 1, 4]) {
      it(`keeps every sample of a 64³ block within tolerance ${tolerance} · range / 255, and smaller streams for larger tolerances`, () => {
        const { bytes, decoded } = roundTrip(cube, [64, 64, 64], F.Format_R32, r32Channel, M.Wavelet, tolerance);
        const bound = (tolerance * RANGE) / 255;
        const error = maxError(decoded, cube);
        expect(error).to.be.at.most(bound);
        expect(error).to.be.above(bound / 8); // the threshold is not needlessly fine
        expect(bytes.length).to.be.below(cube.byteLength / (tolerance < 1 ? 3 : 6));
      });
    }

    it('writes a version 1.6 stream with the sections OpenVDS reads: no zero runs, no no-value block, adaptive stream only', () => {
      const { bytes } = roundTrip(cube, [64, 64, 64], F.Format_R32, r32Channel, M.Wavelet, 1);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const header = readWaveletHeader(view);
      expect(header).to.deep.equal({ version: 673, compressedSize: bytes.length, dimensionality: 3, size: [64, 64, 64], integerInfo: 0 });
      const sections = readWaveletSections(view, header, false);
      expect(sections).to.include({ zeroRuns: null, noValues: null, normalizeField: null, adaptiveOffset: 44 });
      expect(sections.losslessOffset).to.equal(bytes.length);
      // The threshold and start threshold are f32 and a power of two apart.
      expect(Math.log2(sections.startThreshold / sections.threshold) % 1).to.equal(0);
    });

    for (const size of [[100, 100, 100], [37, 29, 64], [13, 5, 9], [64, 1, 1], [100, 37, 1], [8, 8, 8], [5, 6, 7], [1, 1, 1], [255, 3, 1]] as Size[]) {
      it(`meets the bound for a ${size.join(' x ')} block (${dimensionality(size)}D)`, () => {
        const samples = syntheticVolume(size);
        const { decoded } = roundTrip(samples, size, F.Format_R32, r32Channel, M.Wavelet, 1);
        expect(maxError(decoded, samples)).to.be.at.most(RANGE / 255);
      });
    }

    it('meets the bound on an OpenVDS vector\'s payload (100³ seismic, tolerance 1 and 0.1)', () => {
      const samples = new Float32Array(readVector('chunk.CompressionMethod_None').slice(24).buffer);
      const range = Math.fround(0.07883811742067337);
      const channel = { ...r32Channel, valueRangeMin: -range, valueRangeMax: range };
      for (const tolerance of [1, 0.1]) {
        const { decoded, bytes } = roundTrip(samples, [100, 100, 100], F.Format_R32, channel, M.Wavelet, tolerance);
        expect(maxError(decoded, samples)).to.be.at.most((tolerance * 2 * range) / 255);
        expect(bytes.length).to.be.below(samples.byteLength / 3);
      }
    });

    it('handles constant and all-zero blocks (a few bytes of bit-planes, exact)', () => {
      for (const value of [0, 0.75]) {
        const samples = new Float32Array(30 * 20 * 10).fill(value);
        const { decoded, bytes } = roundTrip(samples, [30, 20, 10], F.Format_R32, r32Channel, M.Wavelet, 1);
        expect(maxError(decoded, samples)).to.be.at.most(1e-6);
        expect(bytes.length).to.be.below(2000);
      }
    });

    it('a zero value range (min = max) with constant zeros still encodes, exactly', () => {
      const samples = new Float32Array(12 * 10 * 9);
      const channel = { ...r32Channel, valueRangeMin: 0, valueRangeMax: 0 };
      for (const method of [M.Wavelet, M.WaveletLossless] as const) {
        expect(sameBits(roundTrip(samples, [12, 10, 9], F.Format_R32, channel, method, 1).decoded, samples)).to.equal(true);
      }
    });

    it('tolerance 0 on a lossy method still holds samples to f32 precision (2^-20 of the range)', () => {
      const samples = syntheticVolume([20, 20, 20]);
      const { decoded } = roundTrip(samples, [20, 20, 20], F.Format_R32, r32Channel, M.Wavelet, 0);
      expect(maxError(decoded, samples)).to.be.at.most(RANGE * 2 ** -20);
    });

    it('NormalizeBlock streams carry unit normalization factors and meet the same bound', () => {
      const samples = syntheticVolume([40, 30, 20]);
      const { bytes, decoded } = roundTrip(samples, [40, 30, 20], F.Format_R32, r32Channel, M.WaveletNormalizeBlock, 1);
      expect(maxError(decoded, samples)).to.be.at.most(RANGE / 255);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const sections = readWaveletSections(view, readWaveletHeader(view), true);
      expect(sections.normalizeField).to.equal(32);
      const field = Array.from({ length: 5 * 4 * 3 }, (_, i) => view.getFloat32(32 + 4 * i, true));
      expect(new Set(field)).to.deep.equal(new Set([1]));
    });
  });

  describe('lossless methods', () => {
    it('R32 WaveletLossless and NormalizeBlockLossless reproduce the payload bit for bit, also odd sizes, -0, NaN and denormals', () => {
      const samples = syntheticVolume([33, 17, 9]);
      samples[0] = -0;
      samples[1] = NaN;
      samples[2] = 1e-42;
      samples[3] = -3.5e38;
      for (const method of [M.WaveletLossless, M.WaveletNormalizeBlockLossless] as const) {
        const { decoded, bytes } = roundTrip(samples, [33, 17, 9], F.Format_R32, r32Channel, method, 1);
        expect(sameBits(decoded, samples)).to.equal(true);
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const sections = readWaveletSections(view, readWaveletHeader(view), method === M.WaveletNormalizeBlockLossless);
        expect(sections.losslessOffset).to.be.below(bytes.length); // section E follows
      }
    });

    it('the lossy part of a lossless stream (decoded without the residual) still meets the tolerance', () => {
      const samples = syntheticVolume([48, 40, 24]);
      const { bytes } = roundTrip(samples, [48, 40, 24], F.Format_R32, r32Channel, M.WaveletLossless, 1);
      const shape = shapeOf([48, 40, 24], F.Format_R32);
      const lossy = typed(waveletCodecFor(M.WaveletLossless).decode(bytes, { shape, channel: r32Channel, targetFormat: F.Format_R32, lossless: false }).bytes, F.Format_R32);
      expect(maxError(lossy, samples)).to.be.at.most(RANGE / 255);
    });

    for (const format of [F.Format_U8, F.Format_U16]) {
      it(`${F[format]} lossless is an exact integer stream (integerInfo ${format === F.Format_U8 ? 3 : 11}, threshold 1, no section E)`, () => {
        const size: Size = [45, 31, 17];
        const samples = randomBlock(seededRandom(7), size, format);
        const channel = format === F.Format_U8 ? u8Channel : u16Channel;
        const { decoded, bytes } = roundTrip(samples, size, format, channel, M.WaveletLossless, 1);
        expect(sameBits(decoded, samples)).to.equal(true);
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const header = readWaveletHeader(view);
        expect(header.integerInfo).to.equal(format === F.Format_U8 ? 3 : 11);
        const sections = readWaveletSections(view, header, false);
        expect(sections.threshold).to.equal(1);
        expect(sections.losslessOffset).to.equal(bytes.length);
      });
    }
  });

  describe('integer lossy streams', () => {
    for (const [format, channel, tolerance, codes] of [
      [F.Format_U8, u8Channel, 2, 2], [F.Format_U8, u8Channel, 0.5, 0], [F.Format_U16, u16Channel, 1, 257],
      [F.Format_U8, { ...u8Channel, valueRangeMin: -100, valueRangeMax: 410, integerScale: 2, integerOffset: -100 }, 3, 3],
    ] as const) {
      it(`${F[format]} at tolerance ${tolerance} (range ${channel.valueRangeMin}..${channel.valueRangeMax}, scale ${channel.integerScale}) stays within ${codes} codes`, () => {
        const size: Size = [50, 40, 30];
        const samples = randomBlock(seededRandom(11), size, format);
        const { decoded } = roundTrip(samples, size, format, channel, M.Wavelet, tolerance);
        expect(maxError(decoded, samples)).to.be.at.most(codes);
      });
    }
  });

  describe('no-values', () => {
    it('R32: the no-value mask block marks them; the rest meets the bound; a NaN no-value works too', () => {
      const size: Size = [70, 33, 12];
      for (const noValue of [-999.25, NaN]) {
        const samples = syntheticVolume(size);
        const random = seededRandom(3);
        for (let i = 0; i < samples.length; i++) if (random() < 0.2 || i % 70 < 9) samples[i] = noValue;
        const channel = { ...r32Channel, useNoValue: true, noValue };
        const isNoValue = (i: number) => Object.is(samples[i], Math.fround(noValue)) || (Number.isNaN(noValue) && Number.isNaN(samples[i]!));
        const { decoded, bytes } = roundTrip(samples, size, F.Format_R32, channel, M.Wavelet, 1);
        expect(maxError(decoded, samples, isNoValue)).to.be.at.most(RANGE / 255);
        for (let i = 0; i < samples.length; i++) if (isNoValue(i)) expect(decoded[i]).to.satisfy((v: number) => Object.is(v, Math.fround(noValue)));
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const sections = readWaveletSections(view, readWaveletHeader(view), false);
        expect(sections.noValues).to.not.equal(null);
        expect(view.getFloat32(sections.noValues!.offset - 4, true)).to.satisfy((v: number) => Object.is(v, Math.fround(noValue)));
        const lossless = roundTrip(samples, size, F.Format_R32, channel, M.WaveletLossless, 1);
        expect(sameBits(lossless.decoded, samples)).to.equal(true);
      }
    });

    it('U8 and U16: the top code is no-value and comes back as such; all-no-value and no-no-value blocks', () => {
      for (const format of [F.Format_U8, F.Format_U16]) {
        const size: Size = [40, 9, 21];
        const top = format === F.Format_U8 ? 255 : 65535;
        const channel = { ...(format === F.Format_U8 ? u8Channel : u16Channel), useNoValue: true, noValue: top };
        const samples = randomBlock(seededRandom(5), size, format);
        for (let i = 0; i < samples.length; i += 7) samples[i] = top;
        const { decoded } = roundTrip(samples, size, format, channel, M.WaveletLossless, 1);
        expect(sameBits(decoded, samples)).to.equal(true);
        const lossy = roundTrip(samples, size, format, channel, M.Wavelet, 1);
        for (let i = 0; i < samples.length; i += 7) expect(lossy.decoded[i]).to.equal(top);
        expect(maxError(lossy.decoded, samples)).to.be.at.most(format === F.Format_U8 ? 1 : 257);
        const allNoValue = (format === F.Format_U8 ? new Uint8Array(samples.length) : new Uint16Array(samples.length)).fill(top);
        expect(sameBits(roundTrip(allNoValue, size, format, channel, M.Wavelet, 1).decoded, allNoValue)).to.equal(true);
      }
    });

    it('an all-no-value R32 block decodes to the no-value everywhere', () => {
      const samples = new Float32Array(16 * 16 * 16).fill(-1);
      const { decoded } = roundTrip(samples, [16, 16, 16], F.Format_R32, { ...r32Channel, useNoValue: true, noValue: -1 }, M.Wavelet, 1);
      expect(new Set(decoded)).to.deep.equal(new Set([-1]));
    });
  });

  describe('adaptive levels', () => {
    const size: Size = [64, 64, 64];
    const samples = syntheticVolume(size);

    it('prefixes decode at coarser levels with fewer bytes and growing error; fractions are nested n/255', () => {
      const full = roundTrip(samples, size, F.Format_R32, r32Channel, M.Wavelet, 0.5);
      expect(full.adaptiveLevels.length).to.equal(16);
      expect(full.adaptiveLevels[0]).to.equal(255); // lossy: level 0 is the whole stream
      let previousSize = full.bytes.length + 1, previousError = -1;
      for (let level = 0; level < 6; level++) {
        const prefix = adaptivePrefixSize(full.bytes.length, level, full.adaptiveLevels);
        const { decoded } = roundTrip(samples, size, F.Format_R32, r32Channel, M.Wavelet, 0.5, level);
        const error = rmsError(decoded, samples);
        expect(prefix).to.be.below(previousSize);
        expect(error).to.be.above(previousError * 1.5);
        previousSize = prefix;
        previousError = error;
      }
      expect(adaptivePrefixSize(full.bytes.length, 5, full.adaptiveLevels)).to.be.below(full.bytes.length / 3);
    });

    it('a lossless stream\'s level 0 prefix stops before the residual', () => {
      const { bytes, adaptiveLevels } = roundTrip(samples, size, F.Format_R32, r32Channel, M.WaveletLossless, 1);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const sections = readWaveletSections(view, readWaveletHeader(view), false);
      const level0 = adaptivePrefixSize(bytes.length, 0, adaptiveLevels);
      expect(level0).to.be.at.least(sections.adaptiveOffset + sections.adaptiveSize);
      expect(level0).to.be.at.most(sections.losslessOffset + Math.ceil(bytes.length / 255)); // fractions are 1/255 steps
      const decoded = roundTrip(samples, size, F.Format_R32, r32Channel, M.WaveletLossless, 1, 1).decoded;
      expect(maxError(decoded, samples)).to.be.below(RANGE / 20);
    });
  });

  describe('FSE (section E planes)', () => {
    it('the decoder of fse.ts reads back every block the encoder makes: skewed, uniform, few-symbol and odd-length inputs', () => {
      const random = seededRandom(99);
      let encoded = 0;
      for (let t = 0; t < 60; t++) {
        const n = 2 + Math.floor(random() ** 3 * 50_000);
        const symbols = 1 + Math.floor(random() * 256);
        const skew = 1 + random() * 4;
        const src = Uint8Array.from({ length: n }, () => Math.floor(symbols * random() ** skew));
        const block = fseEncode(src);
        if (!block) continue;
        expect(block.length).to.be.below(n);
        const out = new Uint8Array(n);
        fseDecode(block, out);
        expect(Buffer.from(out).equals(Buffer.from(src)), `case ${t}: ${n} bytes of ${symbols} symbols`).to.equal(true);
        encoded++;
      }
      expect(encoded).to.be.above(40);
      expect(fseEncode(new Uint8Array(1000).fill(7))).to.equal(null); // one symbol: a constant plane instead
      expect(fseEncode(Uint8Array.from({ length: 256 }, (_, i) => i))).to.equal(null); // incompressible: raw
    });

    it('a lossless R32 stream codes its compressible residual planes with FSE (sizes other than 0, 1, -1)', () => {
      const samples = new Float32Array(readVector('chunk.CompressionMethod_None').slice(24).buffer);
      const range = Math.fround(0.07883811742067337);
      const channel = { ...r32Channel, valueRangeMin: -range, valueRangeMax: range };
      const { bytes, decoded } = roundTrip(samples, [100, 100, 100], F.Format_R32, channel, M.WaveletLossless, 1);
      expect(sameBits(decoded, samples)).to.equal(true);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const { losslessOffset } = readWaveletSections(view, readWaveletHeader(view), false);
      const planeSizes = [1, 2, 3, 4].map((i) => view.getInt32(losslessOffset + 4 * i, true));
      expect(planeSizes.filter((size) => size > 1).length).to.be.at.least(2);
      expect(bytes.length).to.be.below(3_300_000); // Zip: 3 713 026 bytes; OpenVDS's own stream: 3 117 640
    });
  });

  describe('bad input', () => {
    const shape = shapeOf([8, 8, 8], F.Format_R32);
    const payload = new Uint8Array(8 * 8 * 8 * 4);
    const cases: [string, () => unknown, string][] = [
      ['a non-wavelet method', () => encodeWaveletChunk(payload, { shape, channel: r32Channel, tolerance: 1, method: M.Zip as WaveletMethod }), 'Zip is not a wavelet compression method'],
      ['a payload of the wrong size', () => encodeWaveletChunk(payload.subarray(4), { shape, channel: r32Channel, tolerance: 1, method: M.Wavelet }), 'wavelet payload has 2044 bytes, a 8 x 8 x 8 Format_R32 chunk has 2048'],
      ['an R64 channel', () => encodeWaveletChunk(payload, { shape: { ...shape, format: F.Format_R64 }, channel: r32Channel, tolerance: 1, method: M.Wavelet }), 'supports R32, U8 and U16 channels, not Format_R64'],
      ['a negative tolerance', () => encodeWaveletChunk(payload, { shape, channel: r32Channel, tolerance: -1, method: M.Wavelet }), 'tolerance -1 is not a number >= 0'],
      ['a chunk over 512', () => encodeWaveletChunk(new Uint8Array(513 * 4), { shape: shapeOf([513, 1, 1], F.Format_R32), channel: r32Channel, tolerance: 1, method: M.Wavelet }), 'size 513 x 1 x 1 is outside 1..512'],
      ['two components', () => encodeWaveletChunk(payload, { shape: { ...shape, components: 2 }, channel: r32Channel, tolerance: 1, method: M.Wavelet }), 'wavelet chunks have 1 component, got 2'],
      ['a NaN value range', () => encodeWaveletChunk(payload, { shape, channel: { ...r32Channel, valueRangeMax: NaN }, tolerance: 1, method: M.Wavelet }), 'needs a finite value range, the channel has -1.25..NaN'],
      ['NaN samples with a lossy method', () => encodeWaveletChunk(bytesOf(new Float32Array(512).fill(NaN)), { shape, channel: r32Channel, tolerance: 1, method: M.Wavelet }), 'only lossless wavelet methods can store non-finite values'],
    ];
    for (const [what, run, message] of cases) {
      it(`rejects ${what} with InvalidArgumentError`, () => {
        expect(run).to.throw(InvalidArgumentError, message);
      });
    }
  });

  describe('fuzz', () => {
    it('random blocks of every shape, format and method (with and without no-values) decode within the bound', () => {
      const random = seededRandom(1919);
      const started = Date.now();
      let cases = 0;
      while (cases < 150 && Date.now() - started < 12_000) {
        const dims = randomInt(random, 1, 3);
        const size: Size = [randomInt(random, 1, 64), dims >= 2 ? randomInt(random, 1, 64) : 1, dims === 3 ? randomInt(random, 1, 40) : 1];
        const format = pick(random, [F.Format_R32, F.Format_U8, F.Format_U16]);
        const method = pick(random, [M.Wavelet, M.WaveletLossless, M.WaveletNormalizeBlock, M.WaveletNormalizeBlockLossless] as const);
        const tolerance = pick(random, [0.1, 1, 5, 20]);
        const useNoValue = random() < 0.4;
        const base = format === F.Format_R32 ? r32Channel : format === F.Format_U8 ? u8Channel : u16Channel;
        const noValue = format === F.Format_R32 ? -999 : format === F.Format_U8 ? 255 : 65535;
        const channel = { ...base, useNoValue, noValue };
        const samples = randomBlock(random, size, format);
        const holes = random() * 0.5;
        if (useNoValue) for (let i = 0; i < samples.length; i++) if (random() < holes) samples[i] = noValue;
        const label = `seed case ${cases}: ${size.join('x')} ${F[format]} ${M[method]} tol ${tolerance} noValue ${useNoValue}`;
        const { decoded } = roundTrip(samples, size, format, channel, method, tolerance);
        if (LOSSLESS.has(method)) {
          expect(sameBits(decoded, samples), label).to.equal(true);
        } else {
          const units = format === F.Format_R32 ? RANGE / 255 : format === F.Format_U8 ? 1 : 257;
          const bound = format === F.Format_R32 ? tolerance * units : Math.floor(tolerance * units);
          const skip = (i: number) => useNoValue && samples[i] === noValue;
          expect(maxError(decoded, samples, skip), label).to.be.at.most(bound);
          if (useNoValue) for (let i = 0; i < samples.length; i++) if (skip(i)) expect(decoded[i], label).to.equal(noValue);
        }
        cases++;
      }
      expect(cases).to.be.at.least(40);
    });
  });
});
