// The WebAssembly SIMD kernels against the TypeScript reference they must equal bit for bit:
// every OpenVDS wavelet vector and subset.vds chunk through the whole decoder, seeded fuzzes of
// the transform and of the quantisation alone over odd shapes, the committed module bytes,
// and the fallback choice.
import { expect } from 'chai';
import type { DecodeOptions } from '../src/model/block.js';
import { waveletCodecFor } from '../src/codecs/wavelet.js';
import { createBandStructure, volume } from '../src/codecs/wavelet/bandStructure.js';
import { IntegerInfo, type Vec3 } from '../src/codecs/wavelet/header.js';
import { defaultWaveletBackend, typescriptBackend, type WaveletBackend } from '../src/codecs/wavelet/backend.js';
import { buildKernelModule } from '../src/codecs/wavelet/wasm/kernels.js';
import { createWasmBackend, kernelModuleBytes } from '../src/codecs/wavelet/wasm/wasmBackend.js';
import { CompressionMethod, VolumeDataFormat as F } from '../src/model/enums.js';
import { InvalidArgumentError } from '../src/model/errors.js';
import { VdsFileDataset } from '../sources/dataset/vdsFileDataset.js';
import { layersOf } from '../src/model/layout/volumeDataLayout.js';
import { openvdsVector, readVector, sha256 } from './support/testdata.js';
import { seededRandom } from './support/random.js';

const LOSSY_R32 = '8a594d6979f4dbcec68424ebe4972c061ac6a2c763e19bffe70663985102e125';
const NONE_R32 = '90042238fe3a2e0a13fbaf428c280ed81a96c10fcdb3d385c13433b857191a46';

/** Index and bit patterns of the first sample where two f32 arrays differ, or undefined. */
function firstDifference(a: Float32Array, b: Float32Array): string | undefined {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length), y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  if (x.length !== y.length) return `lengths ${x.length} and ${y.length}`;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return `sample ${i}: 0x${x[i]!.toString(16)} vs 0x${y[i]!.toString(16)}`;
  return undefined;
}

describe('wavelet kernels in WebAssembly SIMD', function () {
  this.timeout(60_000);
  const wasm = createWasmBackend()!;

  it('is the backend Node picks, and the committed module is what kernels.ts generates', () => {
    expect(wasm?.name).to.equal('wasm-simd');
    expect(defaultWaveletBackend().name).to.equal('wasm-simd');
    expect(Buffer.from(kernelModuleBytes()).equals(Buffer.from(buildKernelModule())),
      'run node --import=tsx src/codecs/wavelet/wasm/generate.ts').to.equal(true);
  });

  describe('fallback selection', () => {
    it('is undefined when the module does not compile (e.g. no SIMD), so the TypeScript transform runs', () => {
      const bytes = kernelModuleBytes();
      // The first function's body starts with a SIMD instruction; make it an unknown SIMD opcode.
      const at = bytes.findIndex((b, i) => b === 0xfd && bytes[i + 1] === 0x13);
      bytes[at + 1] = 0x7f;
      expect(createWasmBackend(bytes)).to.equal(undefined);
      expect(createWasmBackend(new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]))).to.equal(undefined);
      expect(typescriptBackend.name).to.equal('typescript');
    });
    it('is undefined where the runtime has no WebAssembly at all', () => {
      const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly')!;
      Object.defineProperty(globalThis, 'WebAssembly', { value: undefined, configurable: true, writable: true });
      try {
        expect(createWasmBackend()).to.equal(undefined);
      } finally {
        Object.defineProperty(globalThis, 'WebAssembly', descriptor);
      }
    });
  });

  describe('whole decoder, both transforms, identical bytes', () => {
    const range = Math.fround(0.07883811742067337);
    const channel = { valueRangeMin: -range, valueRangeMax: range, integerScale: 1, integerOffset: 0, useNoValue: false, noValue: 0 };
    const options = (size: Vec3, format: F, target: F, extra: Partial<DecodeOptions> = {}): DecodeOptions =>
      ({ shape: { dimensionality: 3, size, format, components: 1 }, channel, targetFormat: target, ...extra });
    const both = (method: CompressionMethod, chunk: Uint8Array, o: DecodeOptions) => {
      const reference = waveletCodecFor(method, typescriptBackend).decode(chunk, o);
      const fast = waveletCodecFor(method, wasm).decode(chunk, o);
      expect(fast.format).to.equal(reference.format);
      expect(Buffer.from(fast.bytes).equals(Buffer.from(reference.bytes)), `${CompressionMethod[method]} ${F[o.targetFormat]}`).to.equal(true);
      return fast.bytes;
    };

    const formats: [string, F][] = [['', F.Format_R32], ['U8.', F.Format_U8], ['U16.', F.Format_U16]];
    for (const [prefix, format] of formats) {
      for (const method of [CompressionMethod.Wavelet, CompressionMethod.WaveletLossless]) {
        it(`chunk.${prefix}CompressionMethod_${CompressionMethod[method]}: every target format, lossless and adaptive levels`, () => {
          const chunk = readVector(`chunk.${prefix}CompressionMethod_${CompressionMethod[method]}`);
          for (const target of [format, F.Format_R32, F.Format_U8, F.Format_U16]) both(method, chunk, options([100, 100, 100], format, target));
          both(method, chunk, options([100, 100, 100], format, format, { lossless: true }));
          for (const adaptiveLevel of [1, 5, 12]) both(method, chunk, options([100, 100, 100], format, format, { adaptiveLevel }));
        });
      }
    }

    it('keeps the reference checksums (lossy R32, lossless R32 at best quality)', () => {
      expect(sha256(both(CompressionMethod.Wavelet, readVector('chunk.CompressionMethod_Wavelet'), options([100, 100, 100], F.Format_R32, F.Format_R32)))).to.equal(LOSSY_R32);
      const lossless = readVector('chunk.CompressionMethod_WaveletLossless');
      expect(sha256(both(CompressionMethod.WaveletLossless, lossless, options([100, 100, 100], F.Format_R32, F.Format_R32, { adaptiveLevel: -1 })))).to.equal(NONE_R32);
    });

    it('subset.vds: the 100³, 50³ and 25³ amplitude chunks (stream 1.5) at several adaptive levels', async () => {
      const store = new VdsFileDataset(openvdsVector('subset.vds'));
      try {
        const layout = await store.open();
        const layers = layersOf(layout);
        for (const [lod, n] of [[0, 100], [1, 50], [2, 25]] as const) {
          const layer = layers.byLayerName(`Dimensions_012LOD${lod}`)!;
          const chunk = await store.readChunk(layer, 0, { metadata: await store.chunkMetadata(layer, 0) });
          for (const adaptiveLevel of [0, 3, 9]) both(CompressionMethod.Wavelet, chunk, options([n, n, n], F.Format_R32, F.Format_R32, { adaptiveLevel }));
        }
      } finally {
        await store.close();
      }
    });
  });

  it('seeded fuzz: random coefficients of odd shapes through both transforms give the same bits', () => {
    const random = seededRandom(0x5eed);
    const pick = (n: number) => Math.floor(random() * n);
    const infos = [0, IntegerInfo.IsInteger, IntegerInfo.IsInteger | IntegerInfo.LosslessOptimized, IntegerInfo.LosslessOptimized];
    const cases = Number(process.env.RXVDS_FUZZ_CASES ?? 400);
    for (let c = 0; c < cases; c++) {
      const dims = (1 + pick(3)) as 1 | 2 | 3;
      const size: Vec3 = [1, 1, 1];
      for (let a = 0; a < dims; a++) size[a] = 1 + pick(c % 8 === 0 ? 150 : 45);
      const bands = createBandStructure(dims, size);
      const integerInfo = infos[c % infos.length]!;
      const scale = 2 ** (pick(40) - 20);
      const coefficients = Float32Array.from({ length: volume(bands.allocated) }, () => {
        const r = random();
        if (r < 0.1) return r < 0.05 ? 0 : -0;
        const v = (random() - 0.5) * scale;
        return integerInfo & IntegerInfo.IsInteger ? Math.round(v * 64) : v;
      });
      const reference = coefficients.slice();
      typescriptBackend.inverseTransform(reference, bands, integerInfo);
      // Alternate between the backend's own working buffer and a caller's array.
      const picture = c % 2 ? coefficients : wasm.workingBuffer(bands);
      if (c % 2 === 0) picture.set(coefficients);
      wasm.inverseTransform(picture, bands, integerInfo);
      expect(firstDifference(picture, reference), `case ${c}: ${dims}D ${size.join('×')} integerInfo ${integerInfo}`).to.equal(undefined);
    }
  });

  it('seeded fuzz: U8/U16 quantisation of random pictures equal the reference byte for byte', () => {
    const random = seededRandom(0xc0de);
    const pick = (n: number) => Math.floor(random() * n);
    const specials = [Number.NaN, Infinity, -Infinity, 0, -0];
    for (let c = 0; c < 300; c++) {
      const size: Vec3 = [1 + pick(c % 5 === 0 ? 3 : 40), 1 + pick(12), 1 + pick(6)];
      const bands = createBandStructure(3, size);
      const format = c % 2 ? F.Format_U16 : F.Format_U8;
      const useNoValue = c % 3 !== 0;
      const buckets = (format === F.Format_U8 ? 256 : 65536) - (useNoValue ? 1 : 0);
      // Mostly f32 offsets (the kernel), every 7th off the f32 grid (the reference's double subtraction).
      const offset = c % 7 === 0 ? -1.1 : Math.fround(random() * 4 - 2);
      const range = Math.fround(0.5 + random() * 4);
      const reciprocal = Math.fround((buckets - 1) / range);
      const noValue = useNoValue ? (c % 4 === 1 ? Number.NaN : Math.fround(offset + range / 3)) : undefined;
      const picture = wasm.workingBuffer(bands);
      for (let i = 0; i < picture.length; i++) {
        const r = random();
        picture[i] = r < 0.03 ? specials[pick(specials.length)]! : r < 0.06 && noValue !== undefined ? noValue
          // Exactly between two codes, where q + 0.5 rounds.
          : r < 0.12 ? offset + (pick(buckets) + 0.5) / reciprocal
          : offset + (random() * 1.2 - 0.1) * range;
      }
      const q = { format, offset, reciprocal, buckets, noValue } as const;
      const label = `case ${c}: ${size.join('×')} ${F[format]} offset ${offset} noValue ${noValue}`;
      expect(Buffer.from(wasm.quantize(picture, bands, q)).equals(Buffer.from(typescriptBackend.quantize(picture, bands, q))), label).to.equal(true);
      // A caller's array (not the working buffer) takes the copying path.
      const copy = picture.slice();
      expect(Buffer.from(wasm.quantize(copy, bands, q)).equals(Buffer.from(typescriptBackend.quantize(copy, bands, q))), label).to.equal(true);
    }
  });

  it('rejects a caller\'s picture of the wrong size', () => {
    const bands = createBandStructure(3, [10, 10, 10]);
    expect(() => wasm.inverseTransform(new Float32Array(1000), bands, 0)).to.throw(InvalidArgumentError, /1000 samples, the padded block 4096/);
  });

  it('working buffers are zeroed, sized to the padded picture, and survive memory growth', () => {
    const backend: WaveletBackend = createWasmBackend()!;
    const small = backend.workingBuffer(createBandStructure(3, [10, 10, 10]));
    expect(small.length).to.equal(16 * 16 * 16);
    small.fill(7);
    const large = backend.workingBuffer(createBandStructure(3, [300, 200, 9]));
    expect(large.length).to.equal(304 * 200 * 16);
    expect(large.every((v) => v === 0)).to.equal(true);
    expect(backend.workingBuffer(createBandStructure(3, [10, 10, 10])).every((v) => v === 0)).to.equal(true);
  });
});
