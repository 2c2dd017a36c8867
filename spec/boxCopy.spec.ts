import { expect } from 'chai';
import { copyBox, type RowCopy } from '../src/engine/boxCopy.js';
import { InvalidArgumentError } from '../src/model/errors.js';

/** The independent model: element by element over up to 6 dimensions, byte by byte. */
function naiveCopy(src: Uint8Array, sSize: number[], sStart: number[], dst: Uint8Array, dSize: number[], dStart: number[],
  n: number[], eb: number): void {
  const dims = n.length;
  const total = n.reduce((a, b) => a * b, 1);
  for (let i = 0; i < total; i++) {
    let rest = i, s = 0, d = 0, sp = 1, dp = 1;
    for (let k = 0; k < dims; k++) {
      const idx = rest % n[k]!;
      rest = Math.floor(rest / n[k]!);
      s += (sStart[k]! + idx) * sp; d += (dStart[k]! + idx) * dp;
      sp *= sSize[k]!; dp *= dSize[k]!;
    }
    for (let b = 0; b < eb; b++) dst[d * eb + b] = src[s * eb + b]!;
  }
}

const volume = (size: number[], eb: number) => size.reduce((a, b) => a * b, 1) * eb;

/** Bytes 0..255 repeating with a stride, so every misplaced byte shows. */
function pattern(bytes: number, offset = 0): Uint8Array {
  const buffer = new Uint8Array(bytes + offset);
  for (let i = 0; i < buffer.length; i++) buffer[i] = (i * 31 + 7) & 255;
  return buffer.subarray(offset);
}

/**
 * Copies with copyBox (each row strategy and the default) and with the model into destinations
 * prefilled with a sentinel, so bytes outside the box must stay untouched too.
 */
function expectSameAsModel(sSize: number[], sStart: number[], dSize: number[], dStart: number[], n: number[], eb: number,
  offsets: { src?: number; dst?: number } = {}): void {
  const src = pattern(volume(sSize, eb), offsets.src);
  const expected = new Uint8Array(volume(dSize, eb)).fill(0xa5);
  naiveCopy(src, sSize, sStart, expected, dSize, dStart, n, eb);
  for (const rowCopy of [undefined, 'words', 'native'] as (RowCopy | undefined)[]) {
    const shared = new Uint8Array(new SharedArrayBuffer(volume(dSize, eb) + (offsets.dst ?? 0)));
    const dst = shared.subarray(offsets.dst ?? 0).fill(0xa5);
    copyBox({ bytes: src, size: sSize }, sStart, { bytes: dst, size: dSize }, dStart, n, eb, rowCopy);
    expect(Buffer.from(dst).equals(Buffer.from(expected)), `${rowCopy ?? 'default'} rows, box ${n.join('×')} of ${eb}-byte elements`).to.equal(true);
  }
}

describe('copyBox', () => {
  it('matches a naive element loop for random boxes and element sizes', () => {
    let seed = 7;
    const rnd = (k: number) => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % k; };
    for (let iter = 0; iter < 400; iter++) {
      const eb = [1, 2, 4, 8, 3][rnd(5)]!;
      const sSize = [1 + rnd(40), 1 + rnd(6), 1 + rnd(5), 1 + rnd(3)];
      const dSize = [1 + rnd(40), 1 + rnd(6), 1 + rnd(5), 1 + rnd(3)];
      const n = sSize.map((s, k) => 1 + rnd(Math.min(s, dSize[k]!)));
      const sStart = n.map((c, k) => rnd(sSize[k]! - c + 1));
      const dStart = n.map((c, k) => rnd(dSize[k]! - c + 1));
      const total = (size: number[]) => size.reduce((a, b) => a * b, 1) * eb;
      // Odd offsets exercise the unaligned byte path.
      const srcBuf = new Uint8Array(total(sSize) + 1).map((_, i) => (i * 31 + 7) & 255).subarray(rnd(2));
      const src = srcBuf.subarray(0, total(sSize));
      const a = new Uint8Array(total(dSize)), b = new Uint8Array(total(dSize));
      copyBox({ bytes: src, size: sSize }, sStart, { bytes: a, size: dSize }, dStart, n, eb);
      naiveCopy(src, sSize, sStart, b, dSize, dStart, n, eb);
      expect(Buffer.from(a).equals(Buffer.from(b)), `case ${iter}`).to.equal(true);
    }
  });

  it('copies a tiny box to the exact expected bytes', () => {
    // 2-byte elements, source 3×2, destination 4×3: the source's right column lands at (1..1, 1..2).
    const src = new Uint8Array([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]);
    const dst = new Uint8Array(24);
    copyBox({ bytes: src, size: [3, 2] }, [2, 0], { bytes: dst, size: [4, 3] }, [1, 1], [1, 2], 2);
    expect([...dst]).to.deep.equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 5, 0, 0, 0, 0, 0, 0, 14, 15, 0, 0, 0, 0]);
  });

  it('merges rows when the box spans whole rows of both arrays', () => {
    // A 64³ R32 brick into a request 64 wide: 64 rows per plane become one run.
    expectSameAsModel([64, 64, 8], [0, 0, 0], [64, 96, 20], [0, 16, 5], [64, 64, 8], 4);
    // Whole rows of the source only: the destination is wider, so no merge.
    expectSameAsModel([64, 64, 8], [0, 0, 0], [80, 64, 8], [9, 0, 0], [64, 64, 8], 4);
  });

  it('merges planes when the box also spans whole planes', () => {
    expectSameAsModel([16, 16, 16], [0, 0, 0], [16, 16, 40], [0, 0, 7], [16, 16, 16], 4);
    // 4D and 6D: whole volumes merge into one run per 4th-dimension step.
    expectSameAsModel([8, 8, 8, 3], [0, 0, 0, 1], [8, 8, 8, 5], [0, 0, 0, 2], [8, 8, 8, 2], 4);
    expectSameAsModel([4, 3, 2, 2, 2, 3], [0, 0, 0, 0, 1, 0], [4, 3, 2, 3, 2, 4], [0, 0, 0, 1, 0, 1], [4, 3, 2, 2, 1, 3], 2);
  });

  it('copies partial boxes and interiors of chunks with margins', () => {
    // A 68³ chunk (64³ brick, margin 2) whose interior lands at the origin of a 512-wide request.
    expectSameAsModel([68, 68, 6], [2, 2, 2], [512, 70, 4], [0, 0, 0], [64, 64, 2], 4);
    // A partial box starting mid-row in both arrays, rows long enough for the native copy.
    expectSameAsModel([200, 5, 3], [7, 1, 1], [300, 4, 2], [33, 0, 1], [150, 3, 1], 4);
    // The same with 8-byte (R64) and 1-byte (U8) elements.
    expectSameAsModel([68, 68, 3], [2, 2, 1], [128, 66, 2], [64, 1, 0], [64, 64, 2], 8);
    expectSameAsModel([68, 68, 3], [2, 2, 1], [128, 66, 2], [64, 1, 0], [64, 64, 2], 1);
  });

  it('copies odd sizes and unaligned arrays with the widest word that fits', () => {
    // Odd U8 rows (bytes only), 2-byte rows of odd length, 3-byte elements.
    expectSameAsModel([63, 5, 3], [0, 0, 0], [127, 6, 3], [3, 1, 0], [61, 4, 3], 1);
    expectSameAsModel([63, 5, 3], [1, 0, 0], [127, 6, 3], [3, 1, 0], [61, 4, 3], 2);
    expectSameAsModel([21, 5, 3], [1, 1, 0], [40, 6, 3], [3, 1, 1], [19, 4, 2], 3);
    // Views starting at odd byte offsets: runs are realigned against their buffers, or copied bytewise.
    expectSameAsModel([64, 4, 2], [0, 0, 0], [128, 4, 2], [0, 0, 0], [64, 4, 2], 4, { src: 1, dst: 3 });
    expectSameAsModel([64, 4, 2], [3, 0, 0], [128, 4, 2], [1, 0, 0], [60, 4, 2], 1, { src: 1, dst: 3 });
    expectSameAsModel([64, 4, 2], [0, 0, 0], [128, 4, 2], [0, 0, 0], [64, 4, 2], 2, { src: 2, dst: 2 });
  });

  it('moves NaN payloads bit for bit through the 8-byte loop, cold and after the engine has optimised it', () => {
    // A brick of R32 rows (256 bytes, 8-byte aligned) whose words are NaNs a NaN-boxing engine would
    // canonicalise: signalling, V8's hole pattern, negative quiet with a payload, and f32 NaNs in pairs.
    const patterns = [[0x00000001, 0x7ff00000], [0xfff7ffff, 0xfff7ffff], [0x00000001, 0xfff80000], [0x7fc00001, 0xff800001]];
    const src = new Uint8Array(64 * 64 * 4);
    const words = new Uint32Array(src.buffer);
    for (let i = 0; i < words.length; i += 2) [words[i], words[i + 1]] = patterns[(i / 2) % patterns.length]!;
    for (let round = 0; round < 200; round++) {
      const dst = new Uint8Array(128 * 64 * 4);
      copyBox({ bytes: src, size: [64, 64] }, [0, 0], { bytes: dst, size: [128, 64] }, [64, 0], [64, 64], 4);
      const out = new Uint32Array(dst.buffer);
      for (let row = 0; row < 64; row++) {
        for (let i = 0; i < 64; i++) {
          if (out[row * 128 + 64 + i] !== words[row * 64 + i]) expect.fail(`round ${round}, row ${row}, word ${i}: ${out[row * 128 + 64 + i]} for ${words[row * 64 + i]}`);
        }
      }
    }
  });

  it('refuses boxes outside either array', () => {
    const bytes = new Uint8Array(8);
    expect(() => copyBox({ bytes, size: [8] }, [4], { bytes, size: [8] }, [0], [5], 1)).to.throw(InvalidArgumentError, 'Box copy out of bounds in dimension 0');
  });
});
