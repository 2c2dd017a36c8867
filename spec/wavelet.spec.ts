// Wavelet decoder against the OpenVDS vectors (checksums from shared/testdata/openvds/README.md).
import { expect } from 'chai';
import { CompressionMethod, VolumeDataFormat as F } from '../src/model/enums.js';
import { ChunkFormatError, InvalidArgumentError } from '../src/model/errors.js';
import type { DecodeOptions } from '../src/model/block.js';
import {
  waveletCodec, waveletCodecFor, waveletLosslessCodec, waveletNormalizeBlockCodec, waveletNormalizeBlockLosslessCodec,
} from '../src/codecs/wavelet.js';
import { adaptivePrefixSize } from '../src/model/adaptiveLevels.js';
import { readVector, sha256 } from './support/testdata.js';

const range = Math.fround(0.07883811742067337);
const channel = { valueRangeMin: -range, valueRangeMax: range, integerScale: 1, integerOffset: 0, useNoValue: false, noValue: 0 };
const options = (format: F, targetFormat: F, extra: Partial<DecodeOptions> = {}): DecodeOptions => ({
  shape: { dimensionality: 3, size: [100, 100, 100], format, components: 1 }, channel, targetFormat, ...extra,
});
const NONE_R32 = '90042238fe3a2e0a13fbaf428c280ed81a96c10fcdb3d385c13433b857191a46';
const NONE_U8 = '0380cc740631a23f6c87ceafe011f1a3da268ea4f48493a0f11cceac215d19b3';
const NONE_U16 = 'ae7e6dffc34cbc2826c8351fa6a7e7d9ee18eb6bd1bdd6f0abea4a399f51c8c8';
const LOSSY_R32 = '8a594d6979f4dbcec68424ebe4972c061ac6a2c763e19bffe70663985102e125';

const floats = (bytes: Uint8Array) => new Float32Array(bytes.slice().buffer);
const withVersion = (chunk: Uint8Array, version: number) => {
  const copy = chunk.slice();
  new DataView(copy.buffer).setInt32(0, version, true);
  return copy;
};
const meanAbsError = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;

describe('wavelet codec', () => {
  const lossy = readVector('chunk.CompressionMethod_Wavelet');
  const lossless = readVector('chunk.CompressionMethod_WaveletLossless');
  const u8Lossy = readVector('chunk.U8.CompressionMethod_Wavelet');
  const u16Lossy = readVector('chunk.U16.CompressionMethod_Wavelet');
  const u8Lossless = readVector('chunk.U8.CompressionMethod_WaveletLossless');
  const u16Lossless = readVector('chunk.U16.CompressionMethod_WaveletLossless');
  const noneR32 = floats(readVector('chunk.CompressionMethod_None').subarray(24));

  describe('lossy streams (bit-exact with the OpenVDS decoder)', () => {
    it('decodes the R32 stream (1.4) to the reference checksum', () => {
      const decoded = waveletCodec.decode(lossy, options(F.Format_R32, F.Format_R32));
      expect(decoded.format).to.equal(F.Format_R32);
      expect(decoded.converted).to.equal(true);
      expect(sha256(decoded.bytes)).to.equal(LOSSY_R32);
      expect(meanAbsError(floats(decoded.bytes), noneR32)).to.be.closeTo(0.001631339, 1e-8);
    });

    it('produces U8 and U16 directly from R32 with the channel value range', () => {
      const u8 = waveletCodec.decode(lossy, options(F.Format_R32, F.Format_U8));
      expect([u8.format, u8.converted, u8.bytes.length]).to.deep.equal([F.Format_U8, true, 1_000_000]);
      expect(sha256(u8.bytes)).to.equal('a8332813f68e696dbc4a204f64f399a73bbe82d39b52704ddfaac4b778ddbed9');
      const u16 = waveletCodec.decode(lossy, options(F.Format_R32, F.Format_U16));
      expect([u16.format, u16.converted, u16.bytes.length]).to.deep.equal([F.Format_U16, true, 2_000_000]);
      expect(sha256(u16.bytes)).to.equal('7a9408627e3a3acb4d1642b36cb7cab419df13da40c78d028a5195178a1adb6e');
    });

    it('decodes the integer U8 and U16 streams (1.5)', () => {
      expect(sha256(waveletCodec.decode(u8Lossy, options(F.Format_U8, F.Format_U8)).bytes))
        .to.equal('0c8df50e7d0fd86ec35dfd095c98c2b47e02f59da8279b985b2130e42edc4e80');
      expect(sha256(waveletCodec.decode(u16Lossy, options(F.Format_U16, F.Format_U16)).bytes))
        .to.equal('a775afaf628e1a0850b96dbc1cc4c67a0c5f06878fd719545bf031c525900a6e');
    });

    it('leaves other target formats to the generic converter', () => {
      const decoded = waveletCodec.decode(u8Lossy, options(F.Format_U8, F.Format_R32));
      expect([decoded.format, decoded.converted]).to.deep.equal([F.Format_U8, false]);
      const r64 = waveletCodec.decode(lossy, options(F.Format_R32, F.Format_R64));
      expect([r64.format, r64.converted, sha256(r64.bytes)]).to.deep.equal([F.Format_R32, false, LOSSY_R32]);
    });
  });

  describe('lossless streams', () => {
    it('R32 with the residual equals the uncompressed payload', () => {
      const decoded = waveletLosslessCodec.decode(lossless, options(F.Format_R32, F.Format_R32, { lossless: true }));
      expect(sha256(decoded.bytes)).to.equal(NONE_R32);
      expect(sha256(waveletLosslessCodec.decode(lossless, options(F.Format_R32, F.Format_R32, { adaptiveLevel: -1 })).bytes)).to.equal(NONE_R32);
    });

    it('integer U8/U16 lossless streams equal their uncompressed payloads', () => {
      expect(sha256(waveletLosslessCodec.decode(u8Lossless, options(F.Format_U8, F.Format_U8, { lossless: true })).bytes)).to.equal(NONE_U8);
      expect(sha256(waveletLosslessCodec.decode(u16Lossless, options(F.Format_U16, F.Format_U16, { lossless: true })).bytes)).to.equal(NONE_U16);
    });

    it('R32 lossless requested as U8/U16 equals the quantised payloads', () => {
      expect(sha256(waveletLosslessCodec.decode(lossless, options(F.Format_R32, F.Format_U8, { lossless: true })).bytes)).to.equal(NONE_U8);
      expect(sha256(waveletLosslessCodec.decode(lossless, options(F.Format_R32, F.Format_U16, { lossless: true })).bytes)).to.equal(NONE_U16);
    });

    it('ignores the residual unless asked for it, and for lossy methods', () => {
      const withoutResidual = waveletLosslessCodec.decode(lossless, options(F.Format_R32, F.Format_R32));
      expect(sha256(withoutResidual.bytes)).to.not.equal(NONE_R32);
      expect(meanAbsError(floats(withoutResidual.bytes), noneR32)).to.be.below(2e-6);
      expect(waveletCodec.decode(lossless, options(F.Format_R32, F.Format_R32, { lossless: true })).bytes).to.deep.equal(withoutResidual.bytes);
    });
  });

  describe('stream version 1.6', () => {
    const cases: [string, Uint8Array, F, boolean][] = [
      ['R32 lossy', lossy, F.Format_R32, false], ['R32 lossless', lossless, F.Format_R32, true],
      ['U8 lossy', u8Lossy, F.Format_U8, false], ['U16 lossy', u16Lossy, F.Format_U16, false],
      ['U8 lossless', u8Lossless, F.Format_U8, true], ['U16 lossless', u16Lossless, F.Format_U16, true],
    ];
    for (const [name, chunk, format, isLossless] of cases) {
      it(`${name}: word 0 patched to 673 decodes identically`, () => {
        const codec = isLossless ? waveletLosslessCodec : waveletCodec;
        const o = options(format, format, { lossless: isLossless });
        expect(sha256(codec.decode(withVersion(chunk, 673), o).bytes)).to.equal(sha256(codec.decode(chunk, o).bytes));
      });
    }
  });

  describe('adaptive levels', () => {
    it('error against the payload shrinks monotonically to full quality (R32 lossless stream)', () => {
      const errors = [];
      for (let level = 15; level >= 0; level--) {
        errors.push(meanAbsError(floats(waveletLosslessCodec.decode(lossless, options(F.Format_R32, F.Format_R32, { adaptiveLevel: level })).bytes), noneR32));
      }
      for (let i = 1; i < errors.length; i++) expect(errors[i]).to.be.at.most(errors[i - 1]!);
      expect(errors[0]).to.be.above(100 * errors.at(-1)!);
      expect(sha256(waveletLosslessCodec.decode(lossless, options(F.Format_R32, F.Format_R32, { adaptiveLevel: -1 })).bytes)).to.equal(NONE_R32);
    });

    it('error shrinks monotonically on the lossy R32 stream, level 0 being the reference decode', () => {
      const decodeAt = (level: number) => waveletCodec.decode(lossy, options(F.Format_R32, F.Format_R32, { adaptiveLevel: level })).bytes;
      const errors = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((level) => meanAbsError(floats(decodeAt(level)), noneR32));
      for (let i = 1; i < errors.length; i++) expect(errors[i]).to.be.at.most(errors[i - 1]!);
      expect(sha256(decodeAt(0))).to.equal(LOSSY_R32);
    });

    it('decodes a level from the shortest prefix that holds it and names the problem below that', () => {
      const level = 3;
      const full = waveletCodec.decode(lossy, options(F.Format_R32, F.Format_R32, { adaptiveLevel: level })).bytes;
      const works = (n: number) => {
        try { waveletCodec.decode(lossy.subarray(0, n), options(F.Format_R32, F.Format_R32, { adaptiveLevel: level })); return true; } catch (error) {
          expect(error).to.be.instanceOf(ChunkFormatError);
          return false;
        }
      };
      let lo = 24, hi = lossy.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (works(mid)) hi = mid; else lo = mid + 1; }
      expect(lo).to.be.below(lossy.length / 2);
      expect(waveletCodec.decode(lossy.subarray(0, lo), options(F.Format_R32, F.Format_R32, { adaptiveLevel: level })).bytes).to.deep.equal(full);
      expect(() => waveletCodec.decode(lossy.subarray(0, lo - 1), options(F.Format_R32, F.Format_R32, { adaptiveLevel: level })))
        .to.throw(ChunkFormatError, /too short for adaptive level 3/);
    });

    it('computes prefix sizes from the chunk metadata levels', () => {
      const levels = [128, 64, 255, 0, 9];
      expect(adaptivePrefixSize(1000, -1, levels)).to.equal(1000);
      expect(adaptivePrefixSize(1000, 0, levels)).to.equal(501);
      expect(adaptivePrefixSize(1000, 1, levels)).to.equal(125);
      expect(adaptivePrefixSize(1000, 2, levels)).to.equal(125);
      expect(adaptivePrefixSize(1000, 5, levels)).to.equal(125);
    });
  });

  describe('sections without vectors (spliced into the R32 lossy stream)', () => {
    // Rebuilds the stream with a zero-run block, a no-value block and/or a normalization field.
    const splice = (parts: { zero?: Uint8Array; noValue?: Uint8Array; normalize?: Uint8Array }) => {
      const rest = lossy.subarray(24 + 4 + 4);
      const blocks = [lossy.subarray(0, 24), parts.zero ?? Uint8Array.of(4, 0, 0, 0), parts.noValue ?? Uint8Array.of(255, 255, 255, 255), parts.normalize ?? new Uint8Array(0), rest];
      const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
      let at = 0;
      for (const b of blocks) { out.set(b, at); at += b.length; }
      new DataView(out.buffer).setInt32(4, out.length, true);
      return out;
    };
    const int32s = (...values: number[]) => new Uint8Array(Int32Array.from(values).buffer);
    const plain = floats(waveletCodec.decode(lossy, options(F.Format_R32, F.Format_R32)).bytes);

    it('zero runs clear the start of every row', () => {
      const out = floats(waveletCodec.decode(splice({ zero: int32s(12, 0, 5) }), options(F.Format_R32, F.Format_R32)).bytes);
      for (const row of [0, 1, 9999]) {
        expect(Array.from(out.subarray(row * 100, row * 100 + 6))).to.deep.equal([0, 0, 0, 0, 0, plain[row * 100 + 5]]);
      }
      expect(out.subarray(5, 100)).to.deep.equal(plain.subarray(5, 100));
    });

    it('no-value bits set the replacement value, and U8 gets code 255', () => {
      // 3 set bits, then clear bits to the end of the 4-words-per-row mask (3-byte length form).
      const clear = 4 * 32 * 100 * 100 - 3;
      const rle = Uint8Array.of((3 << 3) | 1, ((clear & 31) << 3) | (2 << 1), (clear >> 5) & 0xff, (clear >> 13) & 0xff);
      const noValue = new Uint8Array(8 + 4);
      new DataView(noValue.buffer).setInt32(0, rle.length, true);
      new DataView(noValue.buffer).setFloat32(4, 44.5, true);
      noValue.set(rle, 8);
      const chunk = splice({ noValue });
      const out = floats(waveletCodec.decode(chunk, options(F.Format_R32, F.Format_R32, { replacementNoValue: -999 })).bytes);
      expect(Array.from(out.subarray(0, 4))).to.deep.equal([-999, -999, -999, plain[3]]);
      expect(out.subarray(3)).to.deep.equal(plain.subarray(3));
      const u8 = waveletCodec.decode(chunk, options(F.Format_R32, F.Format_U8, { channel: { ...channel, useNoValue: true, noValue: -999 } })).bytes;
      expect(Array.from(u8.subarray(0, 3))).to.deep.equal([255, 255, 255]);
      expect(u8[3]).to.be.below(255);
    });

    it('the normalization field scales NormalizeBlock streams', () => {
      const field = new Float32Array(13 * 13 * 13).fill(2);
      const chunk = splice({ normalize: new Uint8Array(field.buffer) });
      const out = floats(waveletNormalizeBlockCodec.decode(chunk, options(F.Format_R32, F.Format_R32)).bytes);
      expect(out).to.deep.equal(plain.map((v) => Math.fround(v * 2)));
      expect(waveletNormalizeBlockLosslessCodec.method).to.equal(CompressionMethod.WaveletNormalizeBlockLossless);
    });
  });

  describe('malformed input', () => {
    it('rejects an unknown version with code 100', () => {
      expect(() => waveletCodec.decode(withVersion(lossy, 670), options(F.Format_R32, F.Format_R32)))
        .to.throw(ChunkFormatError, 'Invalid wavelet header: unknown version 670').with.property('code', 100);
    });

    it('rejects sizes over 512 with code 100 and a size that differs from the layer with -1', () => {
      const big = lossy.slice();
      new DataView(big.buffer).setInt32(8, 513, true);
      expect(() => waveletCodec.decode(big, options(F.Format_R32, F.Format_R32))).to.throw(ChunkFormatError, /outside 0..512/).with.property('code', 100);
      const other = lossy.slice();
      new DataView(other.buffer).setInt32(8, 99, true);
      expect(() => waveletCodec.decode(other, options(F.Format_R32, F.Format_R32)))
        .to.throw(ChunkFormatError, 'Invalid header: wavelet chunk is 3D 99 x 100 x 100, the layer expects 3D 100 x 100 x 100').with.property('code', -1);
    });

    it('names a truncated stream', () => {
      expect(() => waveletCodec.decode(lossy.subarray(0, 10), options(F.Format_R32, F.Format_R32))).to.throw(ChunkFormatError, /need at least 24/);
      expect(() => waveletCodec.decode(lossy.subarray(0, 30000), options(F.Format_R32, F.Format_R32)))
        .to.throw(ChunkFormatError, /too short for adaptive level 0/);
    });

    it('decodes an empty stream (compressed size 24) to zeros', () => {
      const empty = lossy.slice(0, 24);
      new DataView(empty.buffer).setInt32(4, 24, true);
      const out = waveletCodec.decode(empty, options(F.Format_R32, F.Format_R32));
      expect(out.bytes.length).to.equal(4_000_000);
      expect(out.bytes.every((b) => b === 0)).to.equal(true);
    });

    it('rejects a corrupt residual plane with a named error', () => {
      const bad = lossless.slice();
      const view = new DataView(bad.buffer);
      const planeSizes = 24 + 4 + 4 + 12 + ((view.getInt32(24 + 4 + 4 + 8, true) + 3) & ~3) + 4;
      view.setInt32(planeSizes + 4, -7, true);
      expect(() => waveletLosslessCodec.decode(bad, options(F.Format_R32, F.Format_R32, { lossless: true })))
        .to.throw(ChunkFormatError, 'Wavelet chunk: lossless plane 1 has size -7');
    });

    it('rejects bad options and non-wavelet methods as invalid arguments', () => {
      expect(() => waveletCodec.decode(lossy, options(F.Format_R32, F.Format_R32, { adaptiveLevel: 16 }))).to.throw(InvalidArgumentError, /adaptiveLevel 16/);
      expect(() => waveletCodecFor(CompressionMethod.Zip)).to.throw(InvalidArgumentError, 'Zip is not a wavelet compression method');
    });
  });
});
