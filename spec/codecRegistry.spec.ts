// The codec registry is the one source of "which compression methods exist, which are wavelet or
// lossless, which can be written"; codecs carry those traits, and a new codec is one object plus
// one registerCodec call.
import { expect } from 'chai';
import type { BlockShape, ChannelValues, DecodeOptions } from '../src/model/block.js';
import type { ChunkCodec } from '../src/codecs/codec.js';
import { rejection } from './support/rejection.js';
import { canEncode, chunkCodec, encodeChunk, loadedCodec, registerCodec } from '../src/codecs/registry.js';
// Loaded here, not lazily by the registry: an import() from a required module would compile the
// sources a second way in this process (spec/support/checkCoverageData.mjs).
import '../src/codecs/waveletCodecs.js';
import { zipCodec } from '../src/codecs/zip.js';
import { noneCodec } from '../src/codecs/none.js';
import { ChannelFlags, CompressionMethod as M, compressionMethodTraits, isWaveletCompression, VolumeDataComponents, VolumeDataFormat as F } from '../src/model/enums.js';
import { ChunkFormatError, InvalidArgumentError, InvalidOperationError } from '../src/model/errors.js';
import { effectiveCompression } from '../src/model/geometry/layers.js';
import { VolumeDataChannelDescriptor } from '../src/model/layout/descriptors.js';

const channel: ChannelValues = { valueRangeMin: 0, valueRangeMax: 1, integerScale: 1, integerOffset: 0, useNoValue: false, noValue: 0 };
const shape: BlockShape = { dimensionality: 3, size: [4, 3, 2], format: F.Format_U16, components: 1 };
const decodeOptions: DecodeOptions = { shape, channel, targetFormat: F.Format_U16 };
/** A method number OpenVDS does not use. */
const UNUSED = 7 as M;
const MAGIC = [0x58, 0x4f, 0x52, 0x21];

/** A toy lossless codec: a 4-byte magic, then the payload XOR 0x5a. */
const xorCodec: ChunkCodec = {
  method: UNUSED,
  isWavelet: false,
  isLossless: true,
  decode(chunk, { shape: s }) {
    if (!MAGIC.every((b, i) => chunk[i] === b)) throw new ChunkFormatError('not an XOR chunk');
    return { format: s.format, bytes: chunk.subarray(4).map((b) => b ^ 0x5a), converted: false };
  },
  encode(payload) {
    const bytes = new Uint8Array(4 + payload.byteLength);
    bytes.set(MAGIC);
    payload.forEach((b, i) => { bytes[4 + i] = b ^ 0x5a; });
    return { bytes };
  },
};

describe('codec registry and method traits', () => {
  it('gives each OpenVDS method the traits of the format table, and every one an encoder', async () => {
    const expected: [M, boolean, boolean, boolean][] = [
      // method, isWavelet, isLossless, canEncode
      [M.None, false, true, true], [M.Wavelet, true, false, true], [M.RLE, false, true, true], [M.Zip, false, true, true],
      [M.WaveletNormalizeBlock, true, false, true], [M.WaveletLossless, true, true, true], [M.WaveletNormalizeBlockLossless, true, true, true],
    ];
    for (const [method, isWavelet, isLossless, encodes] of expected) {
      const codec = await chunkCodec(method);
      expect([codec.method, codec.isWavelet, codec.isLossless, canEncode(method)], M[method]).to.deep.equal([method, isWavelet, isLossless, encodes]);
      expect(compressionMethodTraits(method), M[method]).to.deep.equal({ isWavelet, isLossless });
      expect(isWaveletCompression(method), M[method]).to.equal(isWavelet);
    }
    expect(compressionMethodTraits(UNUSED)).to.equal(undefined);
    expect(isWaveletCompression(UNUSED)).to.equal(false);
    expect(canEncode(UNUSED)).to.equal(false);
    expect(() => chunkCodec(UNUSED)).to.throw(ChunkFormatError, 'No decoder for compression method 7');
  });

  it('round-trips a payload through a codec registered for an unused method number, and forgets it again', async () => {
    const unregister = registerCodec(xorCodec);
    try {
      expect(canEncode(UNUSED)).to.equal(true);
      expect(chunkCodec(UNUSED)).to.include({ isWavelet: false, isLossless: true });
      const payload = Uint8Array.from({ length: 48 }, (_, i) => (i * 37) & 0xff);
      const encoded = await encodeChunk(UNUSED, payload, { shape, channel, tolerance: 0 });
      expect(encoded.adaptiveLevels).to.equal(undefined);
      expect([...encoded.bytes.subarray(0, 6)]).to.deep.equal([...MAGIC, 0 ^ 0x5a, 37 ^ 0x5a]);
      const codec = await chunkCodec(UNUSED);
      const decoded = codec.decode(encoded.bytes, decodeOptions);
      expect(decoded.format).to.equal(F.Format_U16);
      expect([...decoded.bytes]).to.deep.equal([...payload]);
      expect(() => codec.decode(new Uint8Array(8), decodeOptions)).to.throw(ChunkFormatError, 'not an XOR chunk');
    } finally {
      unregister();
    }
    expect(canEncode(UNUSED)).to.equal(false);
    expect(() => chunkCodec(UNUSED)).to.throw(ChunkFormatError, /No decoder/);
  });

  it('replaces a built-in codec and puts it back', async () => {
    let calls = 0;
    const counting: ChunkCodec = { ...zipCodec, encode: (payload, options) => { calls++; return zipCodec.encode!(payload, options); } };
    const unregister = registerCodec(counting);
    try {
      const payload = new Uint8Array(48).fill(3);
      const { bytes } = await encodeChunk(M.Zip, payload, { shape, channel, tolerance: 0 });
      expect(calls).to.equal(1);
      expect([...zipCodec.decode(bytes, decodeOptions).bytes]).to.deep.equal([...payload]);
    } finally {
      unregister();
    }
    expect(chunkCodec(M.Zip)).to.equal(zipCodec);
  });

  it('loadedCodec answers without loading a lazy codec; chunkCodec loads it', async () => {
    let loads = 0;
    const unregister = registerCodec({ method: UNUSED, isWavelet: false, isLossless: true, encodes: false,
      load: async () => (loads++, { ...zipCodec, method: UNUSED }) });
    try {
      expect(loadedCodec(UNUSED)).to.equal(undefined);
      expect(loads).to.equal(0);
      const loaded = await chunkCodec(UNUSED);
      expect(loads).to.equal(1);
      expect(loadedCodec(UNUSED)).to.equal(loaded);
    } finally {
      unregister();
    }
    expect(loadedCodec(M.None)).to.equal(noneCodec);
    expect(loadedCodec(UNUSED)).to.equal(undefined);
  });

  it('refuses a codec whose traits contradict the format, or whose method is not a method number', async () => {
    expect(() => registerCodec({ ...zipCodec, isWavelet: true })).to.throw(InvalidArgumentError,
      'A Zip codec must have isWavelet false and isLossless true, this one has true and true');
    const wavelet = await chunkCodec(M.Wavelet);
    expect(() => registerCodec({ ...wavelet, isLossless: true })).to.throw(InvalidArgumentError, /Wavelet codec must have isWavelet true and isLossless false/);
    expect(() => registerCodec({ ...xorCodec, method: 1.5 as M })).to.throw(InvalidArgumentError, /non-negative integer, got 1.5/);
    expect(() => registerCodec({ ...xorCodec, method: -1 as M })).to.throw(InvalidArgumentError, /got -1/);
    expect(chunkCodec(M.Zip)).to.equal(zipCodec);
  });

  it('holds encoders to the contract: 16 adaptive-level bytes with a wavelet chunk, none with any other', async () => {
    const levels = new Uint8Array(16).fill(128);
    const waveletLike: ChunkCodec = { ...xorCodec, method: 8 as M, isWavelet: true, isLossless: false, encode: (p) => ({ bytes: p, adaptiveLevels: levels }) };
    const payload = new Uint8Array(48);
    const options = { shape, channel, tolerance: 0.5 };
    const cases: [ChunkCodec, RegExp | undefined][] = [
      [waveletLike, undefined],
      [{ ...waveletLike, encode: (p) => ({ bytes: p }) }, /returned no adaptive-level bytes, a wavelet chunk has 16/],
      [{ ...waveletLike, encode: (p) => ({ bytes: p, adaptiveLevels: new Uint8Array(15) }) }, /returned 15 adaptive-level bytes/],
      [{ ...xorCodec, encode: (p) => ({ bytes: p, adaptiveLevels: levels }) }, /returned 16 adaptive-level bytes, a non-wavelet chunk has none/],
    ];
    for (const [codec, error] of cases) {
      const unregister = registerCodec(codec);
      try {
        if (error) expect(await rejection(encodeChunk(codec.method, payload, options))).to.be.instanceOf(InvalidOperationError).and.match(error);
        else expect((await encodeChunk(codec.method, payload, options)).adaptiveLevels).to.equal(levels);
      } finally {
        unregister();
      }
    }
  });

  it('says why a method cannot be written', async () => {
    const options = { shape, channel, tolerance: 0 };
    const { encode: _, ...decodeOnly } = await chunkCodec(M.Wavelet);
    const restore = registerCodec(decodeOnly);
    try {
      expect(await rejection(encodeChunk(M.Wavelet, new Uint8Array(48), options))).to.be.instanceOf(InvalidOperationError)
        .with.property('message', 'Chunks of Wavelet cannot be written: its codec only decodes');
    } finally {
      restore();
    }
    expect(await rejection(encodeChunk(9 as M, new Uint8Array(48), options))).to.be.instanceOf(InvalidOperationError)
      .with.property('message', 'Chunks of compression method 9 cannot be written: no codec is registered for it');
  });

});

describe('effective compression per layer (format sheet 2.5) from the method traits', () => {
  const r32 = new VolumeDataChannelDescriptor(F.Format_R32, VolumeDataComponents.Components_1, 'A', '', 0, 1);
  const discrete = new VolumeDataChannelDescriptor(F.Format_R32, VolumeDataComponents.Components_1, 'D', '', 0, 1, undefined, undefined, ChannelFlags.DiscreteData);
  const zipOnly = new VolumeDataChannelDescriptor(F.Format_R32, VolumeDataComponents.Components_1, 'Z', '', 0, 1, undefined, undefined, ChannelFlags.NoLossyCompressionUseZip);
  const f32 = Math.fround;

  it('keeps lossy wavelet methods, turns the lossless ones lossy above LOD 0, and forces 0.01 on them', () => {
    expect(effectiveCompression(M.Wavelet, 0.5, r32, 0)).to.deep.equal({ method: M.Wavelet, tolerance: f32(0.5) });
    expect(effectiveCompression(M.Wavelet, 0.001, r32, 0)).to.deep.equal({ method: M.Wavelet, tolerance: f32(0.01) });
    expect(effectiveCompression(M.Wavelet, 3, r32, 1)).to.deep.equal({ method: M.Wavelet, tolerance: 6 });
    expect(effectiveCompression(M.WaveletLossless, 5, r32, 0)).to.deep.equal({ method: M.WaveletLossless, tolerance: f32(0.01) });
    expect(effectiveCompression(M.WaveletLossless, 5, r32, 1)).to.deep.equal({ method: M.Wavelet, tolerance: 4 });
    expect(effectiveCompression(M.WaveletNormalizeBlockLossless, 5, r32, 3)).to.deep.equal({ method: M.WaveletNormalizeBlock, tolerance: 8 });
    expect(effectiveCompression(M.WaveletNormalizeBlock, 5, r32, 0)).to.deep.equal({ method: M.WaveletNormalizeBlock, tolerance: 5 });
  });

  it('stores channels that may not be lossy with RLE or Zip, and reports the tolerance of non-wavelet methods too', () => {
    expect(effectiveCompression(M.Wavelet, 0.5, discrete, 0)).to.deep.equal({ method: M.RLE, tolerance: 0 });
    expect(effectiveCompression(M.WaveletLossless, 0.5, zipOnly, 2)).to.deep.equal({ method: M.Zip, tolerance: 0 });
    expect(effectiveCompression(M.Zip, 0, r32, 0)).to.deep.equal({ method: M.Zip, tolerance: f32(0.01) });
    expect(effectiveCompression(M.Zip, 0.5, r32, 0)).to.deep.equal({ method: M.Zip, tolerance: f32(0.5) });
    expect(effectiveCompression(M.RLE, 0.5, discrete, 0)).to.deep.equal({ method: M.RLE, tolerance: 0 });
  });
});
