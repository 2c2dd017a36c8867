// Wavelet encoder (issue #19) on a 128³ synthetic seismic volume in 64³ chunks and on F3, every
// figure next to a baseline of the same run: compressed size vs Zip (deflate level 6) and vs "quantize to U8, then
// Zip" (the loss of tolerance 1), maximum and RMS error vs that U8 quantization, encode MB/s vs
// deflate MB/s, decode MB/s vs inflate MB/s.
import { readFileSync } from 'node:fs';
import { deflateSync, inflateSync } from 'node:zlib';
import { encodeWaveletChunk } from '../src/codecs/wavelet/encoder.js';
import { waveletCodecFor } from '../src/codecs/wavelet.js';
import type { BlockShape, ChannelValues } from '../src/model/block.js';
import { targetValueConverter } from '../src/model/convert.js';
import { CompressionMethod as M, VolumeDataFormat as F } from '../src/model/enums.js';
import { seededRandom } from '../spec/support/random.js';
import { segyFile } from '../spec/support/testdata.js';
import { type BenchRow, medianMs } from './bench.js';

const MB = 1024 * 1024;
const SIZE = 128;
const CHUNK = 64;
const REPEAT = Number(process.env.RXVDS_BENCH_REPEAT ?? 3);

/** Traces of a Ricker-wavelet-convolved reflectivity series along dimension 0, layers dipping and folding across 1 and 2, 3% noise. */
function seismicVolume(): Float32Array {
  const random = seededRandom(19);
  const fine = 4 * SIZE * 4;
  const reflectivity = new Float32Array(fine);
  for (let i = 0; i < fine; i++) reflectivity[i] = random() < 0.06 ? (random() - 0.5) * 2 : 0;
  const trace = new Float32Array(fine);
  const ricker = (t: number) => (1 - 2 * (Math.PI * 0.03 * t) ** 2) * Math.exp(-((Math.PI * 0.03 * t) ** 2));
  for (let i = 0; i < fine; i++) for (let k = -40; k <= 40; k++) trace[i]! += (reflectivity[i + k] ?? 0) * ricker(k);
  const out = new Float32Array(SIZE ** 3);
  let o = 0;
  for (let z = 0; z < SIZE; z++) {
    for (let y = 0; y < SIZE; y++) {
      const shift = SIZE / 2 + 0.3 * y + 8 * Math.sin(z / 15) + 3 * Math.sin((y + z) / 9);
      for (let x = 0; x < SIZE; x++, o++) {
        const t = 4 * (x + shift) * (1 + x / (4 * SIZE));
        const i = Math.floor(t), f = t - i;
        out[o] = (trace[i]! * (1 - f) + trace[i + 1]! * f) + 0.03 * (random() - 0.5);
      }
    }
  }
  return out;
}

function chunkOf(volume: Float32Array, cx: number, cy: number, cz: number): Float32Array {
  const out = new Float32Array(CHUNK ** 3);
  for (let z = 0, o = 0; z < CHUNK; z++) {
    for (let y = 0; y < CHUNK; y++, o += CHUNK) {
      const from = cx * CHUNK + (cy * CHUNK + y) * SIZE + (cz * CHUNK + z) * SIZE * SIZE;
      out.set(volume.subarray(from, from + CHUNK), o);
    }
  }
  return out;
}

interface Errors { max: number; rms: number }

function errors(a: ArrayLike<number>, b: ArrayLike<number>): Errors {
  let max = 0, sum = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i]! - b[i]!);
    max = Math.max(max, e);
    sum += e * e;
  }
  return { max, rms: Math.sqrt(sum / a.length) };
}

/** F3 (shared/testdata/segy/f3.sgy): 23 inlines × 18 crosslines × 75 int16 samples, as one R32 chunk 75 × 18 × 23. */
function f3Volume(): Float32Array {
  const file = readFileSync(segyFile('f3.sgy'));
  const samples = 75, traces = 23 * 18;
  const out = new Float32Array(samples * traces);
  for (let t = 0; t < traces; t++) {
    const at = 3600 + t * (240 + 2 * samples) + 240;
    for (let s = 0; s < samples; s++) out[t * samples + s] = file.readInt16BE(at + 2 * s);
  }
  return out;
}

/** Rows for one dataset: every figure next to its baseline measured on the same chunks. */
async function measure(dataset: string, chunks: Uint8Array[], shape: BlockShape): Promise<BenchRow[]> {
  let lo = Infinity, hi = -Infinity;
  for (const c of chunks) for (const v of new Float32Array(c.buffer)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const channel: ChannelValues = { valueRangeMin: Math.fround(lo), valueRangeMax: Math.fround(hi), integerScale: 1, integerOffset: 0, useNoValue: false, noValue: 0 };
  const unit = (hi - lo) / 255;
  const rawBytes = chunks.reduce((s, c) => s + c.length, 0);
  const rawMB = rawBytes / MB;
  const samples = chunks.flatMap((c) => Array.from(new Float32Array(c.buffer)));

  // Baselines: Zip of the R32 chunks; U8 quantization (the channel's range, OpenVDS's rounding) then Zip.
  const zipped = chunks.map((c) => deflateSync(c, { level: 6 }));
  const zipBytes = zipped.reduce((s, z) => s + z.length, 0);
  const deflateMs = await medianMs(REPEAT, () => chunks.forEach((c) => deflateSync(c, { level: 6 })));
  const inflateMs = await medianMs(REPEAT, () => zipped.forEach((z) => inflateSync(z)));
  const toU8 = targetValueConverter(F.Format_R32, F.Format_U8, channel);
  const u8Chunks = chunks.map((c) => Uint8Array.from(new Float32Array(c.buffer), toU8));
  const u8ZipBytes = u8Chunks.reduce((s, c) => s + deflateSync(c, { level: 6 }).length, 0);
  const u8Errors = errors(u8Chunks.flatMap((codes) => Array.from(codes, (code) => lo + code * unit)), samples);
  const zip = { name: 'Zip (deflate 6) of the R32 chunks', value: rawBytes / zipBytes };
  const u8Zip = { name: 'quantize to U8, then Zip', value: rawBytes / u8ZipBytes };
  const deflate = { name: 'deflate 6 of the R32 chunks', value: rawMB / (deflateMs / 1000) };
  const inflate = { name: 'inflate of the Zip chunks', value: rawMB / (inflateMs / 1000) };

  const rows: BenchRow[] = [];
  for (const [method, tolerance] of [[M.Wavelet, 1], [M.Wavelet, 4], [M.WaveletLossless, 1]] as const) {
    const label = `${dataset}, ${M[method]} tolerance ${tolerance}`;
    const encode = () => chunks.map((c) => encodeWaveletChunk(c, { shape, channel, tolerance, method }).bytes);
    const encoded = encode();
    encode(); // warm the JIT on this shape before timing
    const encodeMs = await medianMs(REPEAT, encode);
    const codec = waveletCodecFor(method);
    const lossless = method === M.WaveletLossless;
    const decode = () => encoded.map((e) => codec.decode(e, { shape, channel, targetFormat: F.Format_R32, lossless }).bytes);
    const decoded = decode();
    decode();
    const decodeMs = await medianMs(REPEAT, decode);
    const bytes = encoded.reduce((s, e) => s + e.length, 0);
    const error = errors(decoded.flatMap((d) => Array.from(new Float32Array(d.slice().buffer))), samples);
    const ratio = rawBytes / bytes;
    rows.push({ name: `${label}: compression ratio`, value: ratio, unit: '×', baseline: zip, notes: `${bytes} bytes; Zip ${zipBytes}` });
    if (!lossless) {
      rows.push({ name: `${label}: compression ratio`, value: ratio, unit: '×', baseline: u8Zip, notes: `U8+Zip ${u8ZipBytes} bytes (max error 0.5 steps)` });
      rows.push({ name: `${label}: max error (range/255 steps)`, value: error.max / unit, unit: 'steps', baseline: { name: 'U8 quantization', value: u8Errors.max / unit }, notes: `bound ${tolerance}` });
      rows.push({ name: `${label}: RMS error (range/255 steps)`, value: error.rms / unit, unit: 'steps', baseline: { name: 'U8 quantization', value: u8Errors.rms / unit } });
    } else {
      rows.push({ name: `${label}: max error`, value: error.max, unit: '', notes: 'bit-exact' });
    }
    rows.push({ name: `${label}: encode`, value: rawMB / (encodeMs / 1000), unit: 'MB/s', baseline: deflate });
    rows.push({ name: `${label}: decode`, value: rawMB / (decodeMs / 1000), unit: 'MB/s', baseline: inflate });
  }
  return rows;
}

export async function waveletEncodeBench(): Promise<BenchRow[]> {
  const volume = seismicVolume();
  const chunks: Uint8Array[] = [];
  for (let cz = 0; cz < 2; cz++) for (let cy = 0; cy < 2; cy++) for (let cx = 0; cx < 2; cx++) chunks.push(new Uint8Array(chunkOf(volume, cx, cy, cz).buffer));
  const cube: BlockShape = { dimensionality: 3, size: [CHUNK, CHUNK, CHUNK], format: F.Format_R32, components: 1 };
  const f3: BlockShape = { dimensionality: 3, size: [75, 18, 23], format: F.Format_R32, components: 1 };
  return [
    ...await measure('128³ synthetic seismic in 64³ chunks', chunks, cube),
    ...await measure('F3 (75 × 18 × 23, one chunk)', [new Uint8Array(f3Volume().buffer)], f3),
  ];
}

export default waveletEncodeBench;
