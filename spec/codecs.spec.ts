import { expect } from 'chai';
import type { BlockShape, ChannelValues, DecodeOptions } from '../src/model/block.js';
import { isConstantPayload, constantPayloadHash } from '../src/codecs/constant.js';
import { chunkCodec, encodeChunk } from '../src/codecs/registry.js';
// Loaded here, not lazily by the registry: an import() from a required module would compile the
// sources a second way in this process (spec/support/checkCoverageData.mjs).
import '../src/codecs/waveletCodecs.js';
import type { ChunkCodec } from '../src/codecs/codec.js';
import { constantHashValue, constantValueHash, isConstantHash, NOVALUE_HASH, uniqueChunkHash } from '../src/codecs/volumeDataHash.js';
import { convertBlock, targetValueConverter } from '../src/model/convert.js';
import { constantBlock } from '../src/codecs/constantBlock.js';
import * as vds from '../src/index.js';
import { readVector, sha256 } from './support/testdata.js';
import { seededRandom } from './support/random.js';

const F = vds.VolumeDataFormat;
const M = vds.CompressionMethod;
const RANGE = Math.fround(0.07883811742067337);
const channel: ChannelValues = { valueRangeMin: -RANGE, valueRangeMax: RANGE, integerScale: 1, integerOffset: 0, useNoValue: false, noValue: 0 };
const shape = (format: vds.VolumeDataFormat): BlockShape => ({ dimensionality: 3, size: [100, 100, 100], format, components: 1 });
const options = (format: vds.VolumeDataFormat, targetFormat = format): DecodeOptions => ({ shape: shape(format), channel, targetFormat });

const SHA_R32 = '90042238fe3a2e0a13fbaf428c280ed81a96c10fcdb3d385c13433b857191a46';
const SHA_U8 = '0380cc740631a23f6c87ceafe011f1a3da268ea4f48493a0f11cceac215d19b3';
const SHA_U16 = 'ae7e6dffc34cbc2826c8351fa6a7e7d9ee18eb6bd1bdd6f0abea4a399f51c8c8';

/** Every built-in codec, loaded (the wavelet ones load on first use). */
const loaded = new Map<vds.CompressionMethod, ChunkCodec>();
before(async () => {
  for (const method of [M.None, M.RLE, M.Zip, M.Wavelet, M.WaveletLossless]) loaded.set(method, await chunkCodec(method));
});
const codecOf = (method: vds.CompressionMethod): ChunkCodec => loaded.get(method)!;

function decode(method: vds.CompressionMethod, chunk: Uint8Array, opts: DecodeOptions): Uint8Array {
  const block = codecOf(method).decode(chunk, opts);
  return block.converted ? block.bytes : convertBlock(block, opts);
}

describe('chunk codecs on the OpenVDS vectors', () => {
  const none = readVector('chunk.CompressionMethod_None');

  it('None, RLE and Zip decode to the R32 payload checksum', () => {
    for (const [method, file] of [[M.None, 'chunk.CompressionMethod_None'], [M.RLE, 'chunk.CompressionMethod_RLE'], [M.Zip, 'chunk.CompressionMethod_Zip']] as const) {
      const payload = decode(method, readVector(file), options(F.Format_R32));
      expect(payload.byteLength, file).to.equal(4_000_000);
      expect(sha256(payload), file).to.equal(SHA_R32);
    }
    const first = new Float32Array(decode(M.None, none, options(F.Format_R32)).slice().buffer, 0, 4);
    expect([...first]).to.deep.equal([0.022059708833694458, 0.03766129910945892, 0.04364590719342232, 0.028868746012449265]);
  });

  it('U8 and U16 None vectors decode to their checksums', () => {
    expect(sha256(decode(M.None, readVector('chunk.U8.CompressionMethod_None'), options(F.Format_U8)))).to.equal(SHA_U8);
    expect(sha256(decode(M.None, readVector('chunk.U16.CompressionMethod_None'), options(F.Format_U16)))).to.equal(SHA_U16);
  });

  it('quantises R32 to U8 and U16 exactly as OpenVDS did for the U8/U16 vectors', () => {
    expect(sha256(decode(M.Zip, readVector('chunk.CompressionMethod_Zip'), options(F.Format_R32, F.Format_U8)))).to.equal(SHA_U8);
    expect(sha256(decode(M.RLE, readVector('chunk.CompressionMethod_RLE'), options(F.Format_R32, F.Format_U16)))).to.equal(SHA_U16);
    expect(targetValueConverter(F.Format_R32, F.Format_U8, channel)(0.022059708833694458)).to.equal(163);
  });

  it('our RLE encoder reproduces the RLE vector byte for byte', async () => {
    const payload = none.subarray(24);
    const encoded = (await encodeChunk(M.RLE, payload, { shape: shape(F.Format_R32), channel, tolerance: 0 })).bytes;
    expect(Buffer.from(encoded).equals(Buffer.from(readVector('chunk.CompressionMethod_RLE')))).to.equal(true);
  });

  it('Zip and RLE round-trip payloads of every format, odd sizes and components', () => {
    const next = seededRandom(7);
    for (const format of [F.Format_1Bit, F.Format_U8, F.Format_U16, F.Format_R32, F.Format_U32, F.Format_R64, F.Format_U64]) {
      for (const components of [1, 2, 4] as const) {
        const s: BlockShape = { dimensionality: 3, size: [13, 7, 5], format, components };
        const bytes = format === F.Format_1Bit ? Math.ceil((13 * components) / 8) * 35 : 13 * 7 * 5 * components * (format === F.Format_U8 ? 1 : format === F.Format_U16 ? 2 : format <= F.Format_U32 ? 4 : 8);
        const payload = new Uint8Array(bytes).map(() => (next() < 0.5 ? 0 : Math.floor(next() * 256)));
        for (const method of [M.None, M.RLE, M.Zip]) {
          const encoded = codecOf(method).encode!(payload, { shape: s, channel, tolerance: 0 }).bytes;
          const back = codecOf(method).decode(encoded, { shape: s, channel, targetFormat: format });
          expect(Buffer.from(back.bytes).equals(Buffer.from(payload)), `${F[format]}×${components} ${M[method]}`).to.equal(true);
        }
      }
    }
  });
});

describe('Zip into a scratch buffer (DecodeOptions.into)', () => {
  const zip = readVector('chunk.CompressionMethod_Zip');
  const opts = options(F.Format_R32);

  it('inflates the vector into the given buffer, to the bytes of a decode into a buffer of its own', () => {
    const scratch = new Uint8Array(4_000_000 + 64);
    let asked = 0;
    const block = codecOf(M.Zip).decode(zip, { ...opts, into: (size) => { asked = size; return scratch.subarray(0, size); } });
    expect(asked).to.equal(4_000_000);
    expect(block.bytes.buffer).to.equal(scratch.buffer);
    expect(sha256(block.bytes)).to.equal(sha256(codecOf(M.Zip).decode(zip, opts).bytes)).and.to.equal(SHA_R32);
  });

  it('fails as the decode without it does on cut, corrupt and oversized streams', () => {
    const into = (size: number) => new Uint8Array(size);
    const cut = zip.subarray(0, zip.byteLength - 100);
    const corrupt = zip.slice();
    corrupt.fill(7, 40, 80);
    const checksum = zip.slice();
    checksum.fill(0, checksum.byteLength - 2);
    for (const [what, chunk] of [['cut', cut], ['corrupt', corrupt], ['bad checksum', checksum]] as const) {
      expect(() => codecOf(M.Zip).decode(chunk, { ...opts, into }), what).to.throw(vds.ChunkFormatError, /^Zip chunk does not inflate: /);
    }
    // A descriptor of a smaller block than the stream holds: more output than the buffer.
    const small = zip.slice();
    new DataView(small.buffer).setInt32(4, 50, true);
    const smaller = { ...opts, shape: { ...opts.shape, size: [50, 100, 100] as [number, number, number] } };
    expect(() => codecOf(M.Zip).decode(small, { ...smaller, into }), 'oversized').to.throw(vds.ChunkFormatError, /inflates to more than 2000000 bytes/);
  });
});

describe('constant chunks and hashes', () => {
  const s = (format: vds.VolumeDataFormat): BlockShape => ({ dimensionality: 3, size: [4, 3, 2], format, components: 1 });

  it('detects constants and encodes their physical value in the hash', () => {
    const r32 = new Float32Array(24).fill(2.5);
    const bytes = new Uint8Array(r32.buffer);
    expect(isConstantPayload(bytes, s(F.Format_R32))).to.equal(true);
    const hash = constantPayloadHash(bytes, s(F.Format_R32), channel)!;
    expect(hash).to.equal(0x0101010140200000n);
    expect(constantHashValue(hash)).to.equal(2.5);
    r32[23] = 2.25;
    expect(isConstantPayload(bytes, s(F.Format_R32))).to.equal(false);
    const u8 = new Uint8Array(24).fill(10);
    expect(constantHashValue(constantPayloadHash(u8, s(F.Format_U8), { ...channel, integerScale: 0.5, integerOffset: -1 })!)).to.equal(4);
    expect(constantPayloadHash(new Uint8Array(24).fill(255), s(F.Format_U8), { ...channel, useNoValue: true })).to.equal(NOVALUE_HASH);
  });

  it('recognises all-no-value chunks by the no-value as OpenVDS converts it to the format (ConvertNoValue)', () => {
    const withNoValue = (noValue: number): ChannelValues => ({ ...channel, useNoValue: true, noValue });
    const r64 = (value: number) => new Uint8Array(new Float64Array(24).fill(value).buffer);
    expect(constantPayloadHash(r64(-999), s(F.Format_R64), withNoValue(-999))).to.equal(NOVALUE_HASH);
    expect(constantPayloadHash(r64(-999.25), s(F.Format_R64), withNoValue(-999.25))).to.equal(NOVALUE_HASH);
    expect(constantPayloadHash(r64(-998), s(F.Format_R64), withNoValue(-999))).to.equal(constantValueHash(-998));
    // U32: f32(8388609 + 0.5) is 8388610, so that is the no-value element and 8388609 is data.
    const u32 = (value: number) => new Uint8Array(new Uint32Array(24).fill(value).buffer);
    expect(constantPayloadHash(u32(8388610), s(F.Format_U32), withNoValue(8388609))).to.equal(NOVALUE_HASH);
    expect(constantPayloadHash(u32(8388609), s(F.Format_U32), withNoValue(8388609))).to.equal(constantValueHash(8388609));
    expect(constantPayloadHash(new Uint8Array(new Uint16Array(24).fill(65535).buffer), s(F.Format_U16), withNoValue(3))).to.equal(NOVALUE_HASH);
    expect(constantPayloadHash(new Uint8Array(new Float32Array(24).fill(NaN).buffer), s(F.Format_R32), withNoValue(NaN))).to.equal(NOVALUE_HASH);
  });

  it('stores a U32 constant that f32 cannot hold as data, not as a hash', () => {
    const u32 = new Uint8Array(new Uint32Array(24).fill(16777217).buffer);
    expect(isConstantPayload(u32, s(F.Format_U32))).to.equal(true);
    expect(constantPayloadHash(u32, s(F.Format_U32), channel)).to.equal(undefined);
  });

  it('fills constant, no-value and never-written chunks in the requested format', () => {
    const opts = (targetFormat: vds.VolumeDataFormat, c = channel): DecodeOptions => ({ shape: s(F.Format_R32), channel: c, targetFormat });
    expect([...new Float32Array(constantBlock(0x0101010140200000n, opts(F.Format_R32), 24).buffer)]).to.deep.equal(new Array(24).fill(2.5));
    expect(constantBlock(0x0101010100000000n, opts(F.Format_U8), 24)[0]).to.equal(128); // 0 is mid-range: code trunc(127.5 + 0.5)
    const withNoValue = { ...channel, useNoValue: true, noValue: -999 };
    expect(new Float32Array(constantBlock(0n, opts(F.Format_R32, withNoValue), 24).buffer)[0]).to.equal(-999);
    expect(new Float32Array(constantBlock(NOVALUE_HASH, { ...opts(F.Format_R32, withNoValue), replacementNoValue: 7 }, 24).buffer)[0]).to.equal(7);
    expect(constantBlock(NOVALUE_HASH, opts(F.Format_U8, withNoValue), 24)[0]).to.equal(255);
    expect(new Float32Array(constantBlock(0n, opts(F.Format_R32), 24).buffer)[5]).to.equal(0);
  });

  it('unique hashes avoid the special values', () => {
    for (let i = 0; i < 1000; i++) {
      const h = uniqueChunkHash();
      expect(h === 0n || h === NOVALUE_HASH || isConstantHash(h)).to.equal(false);
    }
  });
});

describe('value conversion', () => {
  const s: BlockShape = { dimensionality: 1, size: [4, 1, 1], format: F.Format_R32, components: 1 };

  it('replaces no-values and keeps other values', () => {
    const c = { ...channel, valueRangeMin: 0, valueRangeMax: 10, useNoValue: true, noValue: -1 };
    const data = new Uint8Array(new Float32Array([-1, 0, 5, 10]).buffer);
    const r32 = convertBlock({ format: F.Format_R32, bytes: data, converted: false }, { shape: s, channel: c, targetFormat: F.Format_R32, replacementNoValue: 99 });
    expect([...new Float32Array(r32.buffer)]).to.deep.equal([99, 0, 5, 10]);
    const u8 = convertBlock({ format: F.Format_R32, bytes: data, converted: false }, { shape: s, channel: c, targetFormat: F.Format_U8 });
    expect([...u8]).to.deep.equal([255, 0, 127, 254]);
  });

  it('U16 channel with integer scale/offset to R32, U8 channel to U16 keeps codes', () => {
    const c = { ...channel, integerScale: 0.5, integerOffset: -10, valueRangeMin: -10, valueRangeMax: 100 };
    const codes = new Uint8Array(new Uint16Array([0, 1, 20, 65535]).buffer);
    const r32 = convertBlock({ format: F.Format_U16, bytes: codes, converted: false }, { shape: { ...s, format: F.Format_U16 }, channel: c, targetFormat: F.Format_R32 });
    expect([...new Float32Array(r32.buffer)]).to.deep.equal([-10, -9.5, 0, Math.fround(-10 + 0.5 * 65535)]);
    const u8 = new Uint8Array([0, 1, 200, 255]);
    const u16 = convertBlock({ format: F.Format_U8, bytes: u8, converted: false }, { shape: { ...s, format: F.Format_U8 }, channel: c, targetFormat: F.Format_U16 });
    expect([...new Uint16Array(u16.buffer)]).to.deep.equal([0, 1, 200, 255]);
  });
});

describe('corrupt chunks (fuzzed)', function () {
  this.timeout(120_000);
  const small: BlockShape = { dimensionality: 3, size: [16, 8, 4], format: F.Format_R32, components: 1 };
  const next = seededRandom(42);
  const payload = new Uint8Array(new Float32Array(16 * 8 * 4).map((_, i) => (i % 17 < 9 ? 1.5 : i * 0.25)).buffer);

  function expectCleanFailureOrExactSize(method: vds.CompressionMethod, bytes: Uint8Array, what: string): void {
    try {
      const block = codecOf(method).decode(bytes, { shape: small, channel, targetFormat: F.Format_R32 });
      expect(block.bytes.byteLength, what).to.equal(payload.byteLength);
    } catch (error) {
      expect(error, `${what}: ${(error as Error).message}`).to.be.instanceOf(vds.ChunkFormatError);
      expect((error as Error).message).to.match(/\w/);
    }
  }

  for (const method of [M.None, M.RLE, M.Zip]) {
    it(`${M[method]}: truncated at every length, random bytes, flipped bytes, wrong descriptors`, () => {
      const good = codecOf(method).encode!(payload, { shape: small, channel, tolerance: 0 }).bytes;
      for (let cut = 0; cut < good.byteLength; cut += Math.max(1, Math.floor(good.byteLength / 400))) {
        expectCleanFailureOrExactSize(method, good.subarray(0, cut), `cut at ${cut}`);
      }
      for (let i = 0; i < 1500; i++) {
        const mutated = good.slice();
        const flips = 1 + Math.floor(next() * 8);
        for (let f = 0; f < flips; f++) mutated[Math.floor(next() * mutated.length)] = Math.floor(next() * 256);
        expectCleanFailureOrExactSize(method, mutated, `mutation ${i}`);
        expectCleanFailureOrExactSize(method, new Uint8Array(Math.floor(next() * 200)).map(() => Math.floor(next() * 256)), `random ${i}`);
      }
      const wrong = good.slice();
      new DataView(wrong.buffer).setInt32(4, 15, true);
      expect(() => codecOf(method).decode(wrong, { shape: small, channel, targetFormat: F.Format_R32 })).to.throw(vds.ChunkFormatError, /size 15×8×4, expected 16×8×4/);
      new DataView(wrong.buffer).setInt32(4, 16, true);
      new DataView(wrong.buffer).setInt32(20, 3, true);
      expect(() => codecOf(method).decode(wrong, { shape: small, channel, targetFormat: F.Format_R32 })).to.throw(/components 3/);
    });
  }
});
