// One home each for the format → typed-array switch, the VolumeDataHash predicates and Base64.
import { expect } from 'chai';
import { InvalidArgumentError } from '../src/model/errors.js';
import type { ChannelValues } from '../src/model/block.js';
import { constantBlock } from '../src/codecs/constantBlock.js';
import { payloadByteSize } from '../src/codecs/dataBlock.js';
import {
  constantValueHash, hashDefinesData, isConstantHash, isConstantOrNoValueHash, isDefinedHash, isNoValueHash, NOVALUE_HASH, UNKNOWN_HASH,
  uniqueChunkHash,
} from '../src/codecs/volumeDataHash.js';
import { downsampleRegion } from '../src/engine/lodDownsample.js';
import { decodeBase64, encodeBase64 } from '../src/model/base64.js';
import { VolumeDataFormat as F } from '../src/model/enums.js';
import { formatByteSize, typedArrayOf, typedView } from '../src/model/formats.js';
import { seededRandom } from './support/random.js';

describe('typedView: the one format → typed-array switch', () => {
  // format, class, bytes per element, element written at index 1, its little-endian bytes
  const cases: [F, string, number, number | bigint, number[]][] = [
    [F.Format_1Bit, 'Uint8Array', 1, 0b1010_0101, [0xa5]],
    [F.Format_U8, 'Uint8Array', 1, 0xfe, [0xfe]],
    [F.Format_U16, 'Uint16Array', 2, 0x1234, [0x34, 0x12]],
    [F.Format_R32, 'Float32Array', 4, 2.5, [0x00, 0x00, 0x20, 0x40]],
    [F.Format_U32, 'Uint32Array', 4, 0x89abcdef, [0xef, 0xcd, 0xab, 0x89]],
    [F.Format_R64, 'Float64Array', 8, -2, [0, 0, 0, 0, 0, 0, 0x00, 0xc0]],
    [F.Format_U64, 'BigUint64Array', 8, 0x0102030405060708n, [8, 7, 6, 5, 4, 3, 2, 1]],
  ];

  it('views every format over shared bytes at an offset, little-endian', () => {
    for (const [format, name, size, value, bytes] of cases) {
      expect(formatByteSize(format), F[format]).to.equal(size);
      expect(typedArrayOf(format).name, F[format]).to.equal(name);
      const buffer = new ArrayBuffer(64);
      const view = typedView(format, buffer, 8, 4 * size);
      expect([view.constructor.name, view.length, view.byteOffset], F[format]).to.deep.equal([name, 4, 8]);
      (view as unknown as (number | bigint)[])[1] = value;
      expect([...new Uint8Array(buffer, 8 + size, size)], F[format]).to.deep.equal(bytes);
    }
  });

  it('names the format it cannot view', () => {
    expect(() => typedView(F.Format_Any, new ArrayBuffer(8), 0, 8)).to.throw(InvalidArgumentError, 'Invalid VolumeDataFormat -1');
    expect(() => typedView(9 as F, new ArrayBuffer(8), 0, 8)).to.throw(InvalidArgumentError, 'Invalid VolumeDataFormat 9');
  });

  it('fills a constant chunk in every target format through it (value 2.5, range 0…10)', () => {
    const channel: ChannelValues = { valueRangeMin: 0, valueRangeMax: 10, integerScale: 1, integerOffset: 0, useNoValue: false, noValue: 0 };
    const shape = { dimensionality: 3 as const, size: [3, 2, 1] as [number, number, number], format: F.Format_R32, components: 1 as const };
    // U8: trunc(f32(2.5 · 255/10) + 0.5) = 64; U16: trunc(2.5 · 65535/10 + 0.5) = 16384; U32/U64: trunc(2.5 + 0.5).
    const expected: [F, number | bigint][] = [[F.Format_U8, 64], [F.Format_U16, 16384], [F.Format_R32, 2.5], [F.Format_U32, 3], [F.Format_R64, 2.5], [F.Format_U64, 3n]];
    for (const [targetFormat, element] of expected) {
      const bytes = constantBlock(constantValueHash(2.5), { shape, channel, targetFormat }, 6);
      expect(bytes.byteLength, F[targetFormat]).to.equal(6 * formatByteSize(targetFormat));
      expect([...typedView(targetFormat, bytes.buffer, bytes.byteOffset, bytes.byteLength)], F[targetFormat]).to.deep.equal(new Array(6).fill(element));
    }
    const bits = constantBlock(constantValueHash(1), { shape, channel, targetFormat: F.Format_1Bit }, 6);
    expect([...bits]).to.deep.equal([0xff, 0xff]);
    // A 1Bit block with components has rows of sizeX·components bits, like a decoded one.
    const bitShape = { dimensionality: 3 as const, size: [12, 3, 2] as [number, number, number], format: F.Format_1Bit, components: 2 as const };
    const twoComponents = constantBlock(constantValueHash(1), { shape: bitShape, channel, targetFormat: F.Format_1Bit }, 72);
    expect(twoComponents.byteLength).to.equal(payloadByteSize(bitShape)).and.to.equal(3 * 6);
    expect(twoComponents.every((b) => b === 0xff)).to.equal(true);
  });
});

describe('LOD decimation views every format through typedView', () => {
  const region = { targetOffset: [0, 0, 0], targetSize: [1, 1, 1], sourceOffset: [0, 0, 0], fullResolutionDimension: -1, dimensionality: 3 } as const;
  const block = (format: F, elements: number, components = 1) => new Uint8Array(elements * components * formatByteSize(format));

  it('replaces a picked no-value by its +x neighbour in each format (U8/U16/U32/U64 mark it 0)', () => {
    for (const format of [F.Format_U8, F.Format_U16, F.Format_R32, F.Format_U32, F.Format_R64, F.Format_U64]) {
      const source = block(format, 8), target = block(format, 1);
      const marker = format === F.Format_R32 || format === F.Format_R64 ? -999 : 0;
      const values = typedView(format, source.buffer, 0, source.byteLength);
      [marker, 5, 6, 7, 8, 9, 10, 11].forEach((v, i) => { values[i] = (values instanceof BigUint64Array ? BigInt(v) : v) as never; });
      downsampleRegion({ parent: { bytes: target, size: [1, 1, 1] }, child: { bytes: source, size: [2, 2, 2] }, region, format, components: 1, noValue: -999 });
      expect(typedView(format, target.buffer, 0, target.byteLength)[0], F[format]).to.equal(format === F.Format_U64 ? 5n : 5);
    }
  });

  it('moves 2- and 4-component U8 voxels whole, without no-value replacement', () => {
    for (const components of [2, 4]) {
      const source = block(F.Format_U8, 8, components), target = block(F.Format_U8, 1, components);
      source.forEach((_, i) => { source[i] = i; });
      source.fill(0, 0, components);
      downsampleRegion({ parent: { bytes: target, size: [1, 1, 1] }, child: { bytes: source, size: [2, 2, 2] }, region, format: F.Format_U8, components, noValue: -999 });
      expect([...target], `${components} components`).to.deep.equal(new Array(components).fill(0));
    }
  });
});

describe('VolumeDataHash predicates', () => {
  it('sorts the special values as OpenVDS does', () => {
    const constant = constantValueHash(2.5);
    expect(constant).to.equal(0x0101010140200000n);
    const data = 0x123456789abcdef0n;
    // hash, isDefined, isConstant, isNoValue, isConstantOrNoValue, hashDefinesData
    const table: [bigint, boolean, boolean, boolean, boolean, boolean][] = [
      [UNKNOWN_HASH, false, false, false, false, true],
      [NOVALUE_HASH, true, false, true, true, true],
      [constant, true, true, false, true, true],
      [data, true, false, false, false, false],
      [0x0101010200000000n, true, false, false, false, false],
    ];
    for (const [hash, defined, isConstant, noValue, either, definesData] of table) {
      expect([isDefinedHash(hash), isConstantHash(hash), isNoValueHash(hash), isConstantOrNoValueHash(hash), hashDefinesData(hash)], hash.toString(16))
        .to.deep.equal([defined, isConstant, noValue, either, definesData]);
    }
  });

  it('draws unique chunk hashes from Web Crypto, never a special value', () => {
    const hashes = new Set(Array.from({ length: 1000 }, uniqueChunkHash));
    expect(hashes.size).to.equal(1000);
    for (const hash of hashes) expect(hashDefinesData(hash)).to.equal(false);
  });
});

describe('Base64 without Buffer', () => {
  it('matches Node for every length up to 300 and for 100 kB', () => {
    const next = seededRandom(5);
    for (const length of [...Array.from({ length: 301 }, (_, i) => i), 100_000]) {
      const bytes = Uint8Array.from({ length }, () => Math.floor(next() * 256));
      const text = encodeBase64(bytes);
      expect(text, `${length} bytes`).to.equal(Buffer.from(bytes).toString('base64'));
      expect(Buffer.from(decodeBase64(text)!).equals(Buffer.from(bytes)), `${length} bytes`).to.equal(true);
    }
  });

  it('refuses what is not padded Base64', () => {
    for (const bad of ['abc', 'ab=c', 'ab c', 'a===', '-_AA', 'AAAA\n', 'AA=A']) expect(decodeBase64(bad), JSON.stringify(bad)).to.equal(undefined);
    expect([...decodeBase64('AP8=')!]).to.deep.equal([0, 255]);
    expect([...decodeBase64('')!]).to.deep.equal([]);
  });
});
