import { expect } from 'chai';
import type { BlockShape } from '../src/model/block.js';
import { rleCodec, rleDecode, rleEncode, rleEncodedBound } from '../src/codecs/rle.js';
import { encodeChunk } from '../src/codecs/registry.js';
import * as vds from '../src/index.js';
import { pick, randomInt, type Random, seededRandom } from './support/random.js';

const F = vds.VolumeDataFormat;

/** `blocks` × (65 distinct U16 values, then one value twice): every literal run needs 2 length bytes. */
function longLiteralsThenPairs(blocks: number): Uint16Array {
  const units = new Uint16Array(blocks * 67);
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < 65; i++) units[b * 67 + i] = (b * 67 + i) % 60000 + 1;
    units[b * 67 + 65] = units[b * 67 + 66] = 65000;
  }
  return units;
}

describe('RLE encoder', () => {
  it('encodes 65 distinct U16 values then 2 equal ones, repeated, with 2-byte literal lengths (issue 11.1)', () => {
    const units = longLiteralsThenPairs(200);
    const payload = new Uint8Array(units.buffer);
    const encoded = rleEncode(payload, 2);
    // Per block: literal u0 = 0x80|0x40|(64 & 0x3f), u1 = 64 >> 6, 130 bytes; repeat u0 = 2 − 1, 2 bytes.
    expect(encoded.byteLength).to.equal(200 * (2 + 130 + 1 + 2));
    expect([...encoded.subarray(0, 2)]).to.deep.equal([0xc0, 0x01]);
    expect([...encoded.subarray(132, 135)]).to.deep.equal([0x01, 65000 & 0xff, 65000 >> 8]);
    expect(Buffer.from(encoded.subarray(2, 132)).equals(Buffer.from(payload.subarray(0, 130)))).to.equal(true);
    // 1 byte of growth per 67 units: the worst case for 2-byte units.
    expect(encoded.byteLength - payload.byteLength).to.equal(200);
    expect(encoded.byteLength).to.be.at.most(rleEncodedBound(payload.byteLength, 2));
    expect(Buffer.from(rleDecode(encoded, payload.byteLength, 2)).equals(Buffer.from(payload))).to.equal(true);
  });

  it('writes and reads such data as a U16 RLE chunk', async () => {
    const shape: BlockShape = { dimensionality: 3, size: [67, 10, 3], format: F.Format_U16, components: 1 };
    const payload = new Uint8Array(longLiteralsThenPairs(30).buffer);
    const channel = { valueRangeMin: 0, valueRangeMax: 65535, integerScale: 1, integerOffset: 0, useNoValue: false, noValue: 0 };
    const { bytes: chunk } = await encodeChunk(vds.CompressionMethod.RLE, payload, { shape, channel, tolerance: 0 });
    const back = rleCodec.decode(chunk, { shape, channel, targetFormat: F.Format_U16 });
    expect(Buffer.from(back.bytes).equals(Buffer.from(payload))).to.equal(true);
    expect(chunk.byteLength).to.equal(24 + 12 + 30 * 135);
  });

  it('bounds the growth by the format: 1 byte per 68 units (unit 1), per 67 (unit 2), none beyond the ends for 4 and 8', () => {
    expect(rleEncodedBound(68 * 100, 1)).to.equal(68 * 100 + 2 + 100);
    expect(rleEncodedBound(134 * 100, 2)).to.equal(134 * 100 + 2 + 100);
    expect(rleEncodedBound(4 * 16384 * 3, 4)).to.equal(4 * 16384 * 3 + 2 + 6);
    expect(rleEncodedBound(8 * 1000, 8)).to.equal(8 * 1000 + 2);
    // The 1-byte-unit worst case: 3 equal units end each 65-unit literal (2 units would not).
    const units = new Uint8Array(68 * 50);
    for (let b = 0; b < 50; b++) {
      for (let i = 0; i < 65; i++) units[b * 68 + i] = i % 2 ? 200 : i % 200;
      units.fill(250, b * 68 + 65, b * 68 + 68);
    }
    const encoded = rleEncode(units, 1);
    expect(encoded.byteLength - units.byteLength).to.equal(50);
    expect(encoded.byteLength).to.be.at.most(rleEncodedBound(units.byteLength, 1));
  });

  it('fuzz: decode(encode(x)) = x and the encoded size stays within the bound (4000 seeded cases)', function () {
    this.timeout(60_000);
    const random = seededRandom(11);
    let worst = 0;
    for (let c = 0; c < 4000; c++) {
      const unit = pick(random, [1, 2, 4, 8]);
      const units = adversarialUnits(random, randomInt(random, 1, c % 50 === 0 ? 40_000 : 3000));
      const payload = unitBytes(units, unit, random);
      const encoded = rleEncode(payload, unit);
      const bound = rleEncodedBound(payload.byteLength, unit);
      expect(encoded.byteLength, `case ${c}: unit ${unit}, ${units.length} units`).to.be.at.most(bound);
      const back = rleDecode(encoded, payload.byteLength, unit);
      expect(Buffer.from(back).equals(Buffer.from(payload)), `case ${c}: unit ${unit}, ${units.length} units`).to.equal(true);
      worst = Math.max(worst, (encoded.byteLength - payload.byteLength) / units.length);
    }
    // Some cases must come close to the worst case the bound allows.
    expect(worst).to.be.greaterThan(1 / 80);
  });
});

/** Value ids (0, 1, 2, … = distinct values) in runs of the shapes that stress the run decisions. */
function adversarialUnits(random: Random, count: number): number[] {
  const ids: number[] = [];
  let next = 1;
  const fresh = () => next++;
  while (ids.length < count) {
    switch (randomInt(random, 0, 5)) {
      case 0: { // alternating two values
        const a = fresh(), b = fresh();
        for (let i = randomInt(random, 2, 300); i > 0; i--) ids.push(i % 2 ? a : b);
        break;
      }
      case 1: { // a run of 1…200 equal values
        const v = fresh();
        for (let i = randomInt(random, 1, 200); i > 0; i--) ids.push(v);
        break;
      }
      case 2: { // a literal of a length around the 64-unit and 128-unit boundaries, then 2 or 3 equal
        const length = pick(random, [1, 2, 3, 63, 64, 65, 66, 127, 128, 129, 130, 191, 192, 193]);
        for (let i = 0; i < length; i++) ids.push(fresh());
        const v = fresh();
        for (let i = randomInt(random, 2, 3); i > 0; i--) ids.push(v);
        break;
      }
      case 3: { // a literal longer than the 16384-unit cap
        for (let i = randomInt(random, 16380, 16390); i > 0; i--) ids.push(fresh());
        break;
      }
      case 4: { // pairs: each value twice
        for (let i = randomInt(random, 1, 100); i > 0; i--) { const v = fresh(); ids.push(v, v); }
        break;
      }
      default: { // few distinct values at random: short repeats and literals mixed
        const values = [fresh(), fresh(), fresh()];
        for (let i = randomInt(random, 1, 400); i > 0; i--) ids.push(pick(random, values));
      }
    }
  }
  return ids.slice(0, count);
}

/** Each id becomes a `unit`-byte value; ids are mapped through a random permutation of byte patterns. */
function unitBytes(ids: readonly number[], unit: number, random: Random): Uint8Array {
  const out = new Uint8Array(ids.length * unit);
  const salt = randomInt(random, 0, 0xffff);
  ids.forEach((id, i) => {
    // Distinct ids give distinct units (for unit 1 only modulo 256, which still mixes runs).
    let v = (id * 2654435761 + salt) >>> 0;
    for (let k = 0; k < unit; k++) {
      out[i * unit + k] = k < 4 ? (k === 0 ? id & 0xff : v & 0xff) : (id >> (8 * (k - 4))) & 0xff;
      v >>>= 8;
    }
  });
  return out;
}
