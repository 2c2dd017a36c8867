// Robustness of the wavelet decoder: corrupted, truncated and random streams end in a
// ChunkFormatError or a block of the right size, never another exception or a hang.
// RXVDS_FUZZ_CASES raises the number of cases (default 10,000).
import { expect } from 'chai';
import { VolumeDataFormat as F } from '../src/model/enums.js';
import { ChunkFormatError } from '../src/model/errors.js';
import type { ChunkCodec } from '../src/codecs/codec.js';
import type { DecodeOptions } from '../src/model/block.js';
import { waveletCodec, waveletLosslessCodec, waveletNormalizeBlockCodec } from '../src/codecs/wavelet.js';
import { readVector } from './support/testdata.js';
import { seededRandom } from './support/random.js';

type Size = [number, number, number];

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
const int32s = (...v: number[]) => new Uint8Array(Int32Array.from(v).buffer);
const float32s = (...v: number[]) => new Uint8Array(Float32Array.from(v).buffer);
const pad4 = (b: Uint8Array) => concat(b, new Uint8Array((4 - (b.length & 3)) & 3));

interface Seed { name: string; chunk: Uint8Array; size: Size; dims: 1 | 2 | 3; format: F; codec: ChunkCodec; lossless: boolean }

/** A hand-built stream: header, empty A and B, thresholds, counts, start values, bit-plane bytes. */
function buildStream(size: Size, dims: number, integerInfo: number, counts: Int32Array, startValues: number, planes: Uint8Array, random: () => number, tail = new Uint8Array(0)): Uint8Array {
  const values = Float32Array.from({ length: startValues }, () => (random() - 0.5) * 64);
  const adaptive = concat(new Uint8Array(counts.buffer.slice(0)), new Uint8Array(values.buffer), planes);
  const body = concat(int32s(4), int32s(-1), float32s(1, 32), int32s(adaptive.length), pad4(adaptive), tail);
  return concat(int32s(672, 24 + body.length, ...size, dims | (integerInfo << 8)), body);
}

const elementBytes = { [F.Format_U8]: 1, [F.Format_U16]: 2, [F.Format_R32]: 4 } as Record<number, number>;

/** Decodes and checks the block has the seed's voxel count in the format the stream delivers. */
function decodes(seed: Seed, chunk: Uint8Array): Uint8Array {
  const { format, bytes } = seed.codec.decode(chunk, options(seed));
  const voxels = seed.size[0] * seed.size[1] * seed.size[2];
  expect(bytes.length, `${seed.name}: ${F[format]} block`).to.equal(voxels * (elementBytes[format] ?? NaN));
  return bytes;
}

function options(seed: Seed): DecodeOptions {
  return {
    shape: { dimensionality: seed.dims, size: seed.size, format: seed.format, components: 1 },
    channel: { valueRangeMin: -1, valueRangeMax: 1, integerScale: 1, integerOffset: 0, useNoValue: false, noValue: 0 },
    targetFormat: seed.format, lossless: seed.lossless,
  };
}

/** Fixes the stored bit-plane counts of a random stream until it decodes (each failure names one plane). */
function withConsistentCounts(name: string, size: Size, dims: 1 | 2 | 3, countWords: number, startValues: number, random: () => number): Seed {
  const planes = Uint8Array.from({ length: 6000 }, () => (random() < 0.15 ? 1 << Math.floor(random() * 8) : 0));
  const counts = new Int32Array(countWords);
  const seed: Seed = { name, chunk: new Uint8Array(0), size, dims, format: F.Format_R32, codec: waveletCodec, lossless: false };
  for (let attempt = 0; attempt < 40; attempt++) {
    const chunk = buildStream(size, dims, 0, counts, startValues, planes, seededRandom(7));
    try {
      decodes(seed, chunk);
      return { ...seed, chunk };
    } catch (error) {
      const m = /bit-plane (\d+) holds (\d+)\/(\d+) values/.exec((error as Error).message);
      if (!m) throw error;
      counts[Number(m[1])] = Number(m[2]);
      if (countWords > 16) counts[16 + Number(m[1])] = Number(m[3]);
    }
  }
  throw new Error(`could not build seed ${name}`);
}

function seeds(random: () => number): Seed[] {
  const tiny: Seed = {
    name: 'T=0 7x5x3', size: [7, 5, 3], dims: 3, format: F.Format_R32, codec: waveletLosslessCodec, lossless: true,
    chunk: buildStream([7, 5, 3], 3, 0, new Int32Array(16), 105, new Uint8Array(0), random,
      concat(int32s(0, -1, 1, 0, 0), Uint8Array.from({ length: 105 }, () => Math.floor(random() * 256)), Uint8Array.of(0x3f))),
  };
  const oneLevel: Seed = {
    name: 'T=1 8x8x8 U8', size: [8, 8, 8], dims: 3, format: F.Format_U8, codec: waveletCodec, lossless: false,
    chunk: buildStream([8, 8, 8], 3, 1, new Int32Array(16), 512, new Uint8Array(0), random),
  };
  const normalize: Seed = { ...oneLevel, name: 'T=1 normalize', codec: waveletNormalizeBlockCodec, format: F.Format_R32, chunk: new Uint8Array(0) };
  normalize.chunk = concat(oneLevel.chunk.subarray(0, 32), float32s(1.5), oneLevel.chunk.subarray(32));
  new DataView(normalize.chunk.buffer).setInt32(4, normalize.chunk.length, true);
  new DataView(normalize.chunk.buffer).setInt32(20, 3, true);
  const lossy = readVector('chunk.CompressionMethod_Wavelet');
  return [
    tiny, oneLevel, normalize,
    withConsistentCounts('T=2 all normal 16x16x16', [16, 16, 16], 3, 16, 64 + 448, random),
    withConsistentCounts('T=2 general path 20x12x9', [20, 12, 9], 3, 32, 5 * 6 * 5 + (10 * 6 * 5 - 5 * 6 * 5), random),
    withConsistentCounts('T=2 2D 17x30', [17, 30, 1], 2, 32, 5 * 8 + (9 * 15 - 5 * 8), random),
    { name: 'OpenVDS 100^3 lossy', chunk: lossy, size: [100, 100, 100], dims: 3, format: F.Format_R32, codec: waveletCodec, lossless: false },
  ];
}

type Mutation = (chunk: Uint8Array, random: () => number) => Uint8Array;
const pick = <T>(random: () => number, list: T[]): T => list[Math.floor(random() * list.length)]!;
const interesting = [0, 1, -1, 2, 3, 4, 7, 8, 24, 255, 256, 511, 512, 513, 671, 672, 673, 0x7fffffff, -0x80000000, 1e6];

const mutations: Mutation[] = [
  (c, r) => { const out = c.slice(); for (let n = 1 + Math.floor(r() * 4); n > 0; n--) out[Math.floor(r() * Math.min(out.length, 400))] ^= 1 << Math.floor(r() * 8); return out; },
  (c, r) => { const out = c.slice(); out[Math.floor(r() * out.length)] = Math.floor(r() * 256); return out; },
  (c, r) => c.subarray(0, Math.floor(r() * c.length)),
  (c, r) => { const out = c.slice(); const at = 4 * Math.floor(r() * Math.min(out.length >> 2, 40)); new DataView(out.buffer).setInt32(at, pick(r, interesting), true); return out; },
  (c, r) => { const out = c.slice(); const at = 4 * Math.floor(r() * Math.min(out.length >> 2, 40)); new DataView(out.buffer).setFloat32(at, pick(r, [0, -1, NaN, Infinity, 1e-45, 3e38, 0.5]), true); return out; },
  (c, r) => concat(c.subarray(0, 24), Uint8Array.from({ length: Math.floor(r() * 3000) }, () => Math.floor(r() * 256))),
  (c, r) => { const out = c.slice(); for (let i = 24; i < out.length; i++) if (r() < 0.01) out[i] = Math.floor(r() * 256); return out; },
];

describe('wavelet decoder fuzzing', function () {
  this.timeout(120_000);
  const total = Number(process.env.RXVDS_FUZZ_CASES ?? 10_000);

  it(`survives ${total} corrupted, truncated and random streams`, () => {
    const random = seededRandom(20240611);
    const corpus = seeds(random);
    for (const seed of corpus) decodes(seed, seed.chunk);
    const big = corpus.at(-1)!;
    const outcomes = { decoded: 0, rejected: 0 };
    for (let i = 0; i < total; i++) {
      // The 100^3 vector costs a full transform per surviving case: use it for one case in 50.
      const seed = i % 50 === 0 ? big : corpus[i % (corpus.length - 1)]!;
      const chunk = pick(random, mutations)(seed.chunk, random);
      try {
        decodes(seed, chunk);
        outcomes.decoded++;
      } catch (error) {
        if (!(error instanceof ChunkFormatError)) throw new Error(`${seed.name} case ${i}: ${(error as Error).stack}`, { cause: error });
        expect((error as Error).message).to.match(/wavelet/i);
        outcomes.rejected++;
      }
    }
    expect(outcomes.decoded).to.be.above(total / 20);
    expect(outcomes.rejected).to.be.above(total / 20);
  });
});
