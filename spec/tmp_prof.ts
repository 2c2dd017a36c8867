import { encodeWaveletChunk } from '../src/codecs/wavelet/encoder.js';
import { CompressionMethod as M, VolumeDataFormat as F } from '../src/model/enums.js';
import { readVector } from './support/testdata.js';
import { deflateSync } from 'node:zlib';
import { quantizeToCode } from '../src/model/convert.js';
const samples = new Float32Array(readVector('chunk.CompressionMethod_None').slice(24).buffer);
const range = Math.fround(0.07883811742067337);
let lo=Infinity, hi=-Infinity; for (const v of samples) { lo=Math.min(lo,v); hi=Math.max(hi,v); }
console.log('data range', lo, hi, 'channel', -range, range);
const channel = { valueRangeMin: -range, valueRangeMax: range, integerScale: 1, integerOffset: 0, useNoValue: false, noValue: 0 };
const shape = { dimensionality: 3 as const, size: [100,100,100] as [number,number,number], format: F.Format_R32, components: 1 as const };
const u8 = Uint8Array.from(samples, v => quantizeToCode(v, -range, range, 256));
console.log('zip', deflateSync(new Uint8Array(samples.buffer)).length, 'u8zip', deflateSync(u8).length);
for (const tol of [1, 2, 4]) {
  const t0 = performance.now();
  const e = encodeWaveletChunk(new Uint8Array(samples.buffer), { shape, channel, tolerance: tol, method: M.Wavelet });
  console.log('tol', tol, e.bytes.length, (performance.now()-t0).toFixed(0), 'ms');
}
