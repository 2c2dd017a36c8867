import { expect } from 'chai';
import { copyBox } from '../src/engine/boxCopy.js';

function naiveCopy(src: Uint8Array, sSize: number[], sStart: number[], dst: Uint8Array, dSize: number[], dStart: number[],
  n: number[], eb: number): void {
  const idx = [0, 0, 0, 0];
  for (idx[3] = 0; idx[3] < n[3]!; idx[3]++) for (idx[2] = 0; idx[2] < n[2]!; idx[2]++)
    for (idx[1] = 0; idx[1] < n[1]!; idx[1]++) for (idx[0] = 0; idx[0] < n[0]!; idx[0]++) {
      let s = 0, d = 0, sp = 1, dp = 1;
      for (let k = 0; k < 4; k++) {
        s += (sStart[k]! + idx[k]!) * sp; d += (dStart[k]! + idx[k]!) * dp;
        sp *= sSize[k]!; dp *= dSize[k]!;
      }
      for (let b = 0; b < eb; b++) dst[d * eb + b] = src[s * eb + b]!;
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

  it('refuses boxes outside either array', () => {
    const bytes = new Uint8Array(8);
    expect(() => copyBox({ bytes, size: [8] }, [4], { bytes, size: [8] }, [0], [5], 1)).to.throw(RangeError);
  });
});
