// Wavelet decode throughput (MB/s of decoded R32, single thread, in process) next to
// zlib.inflateSync of the Zip chunk holding the same 100³ block, measured in the same run, and
// the decoder on its WebAssembly SIMD kernels (inverse transform, U8/U16 quantisation) next to
// the same decoder on the TypeScript reference (timed alternately, so that load on the machine
// hits both alike).
import { inflateSync } from 'node:zlib';
import type { ChunkCodec } from '../src/codecs/codec.js';
import type { DecodeOptions } from '../src/model/block.js';
import { waveletCodecFor } from '../src/codecs/wavelet.js';
import { typescriptBackend } from '../src/codecs/wavelet/backend.js';
import { createWasmBackend } from '../src/codecs/wavelet/wasm/wasmBackend.js';
import { CompressionMethod, VolumeDataFormat } from '../src/model/enums.js';
import { readVector } from '../spec/support/testdata.js';
import { type BenchRow, median, medianMs } from './bench.js';

const MB = 1024 * 1024;
const REPEAT = Number(process.env.RXVDS_BENCH_REPEAT ?? 15);
const range = Math.fround(0.07883811742067337);

function options(format: VolumeDataFormat, lossless: boolean): DecodeOptions {
  return {
    shape: { dimensionality: 3, size: [100, 100, 100], format, components: 1 },
    channel: { valueRangeMin: -range, valueRangeMax: range, integerScale: 1, integerOffset: 0, useNoValue: false, noValue: 0 },
    targetFormat: format, lossless,
  };
}

/** Median milliseconds of each function, the functions taking turns in every repetition. */
function alternateMs(repeat: number, fns: (() => unknown)[]): number[] {
  const times = fns.map(() => [] as number[]);
  for (let i = 0; i < repeat; i++) {
    fns.forEach((fn, f) => {
      const start = performance.now();
      fn();
      times[f]!.push(performance.now() - start);
    });
  }
  return times.map(median);
}

export async function waveletBench(): Promise<BenchRow[]> {
  const decodedBytes = 100 * 100 * 100 * 4;
  const mbPerSecond = (ms: number) => decodedBytes / MB / (ms / 1000);
  const zip = readVector('chunk.CompressionMethod_Zip').subarray(24);
  inflateSync(zip);
  const zlib = { name: 'zlib.inflateSync of the Zip chunk', value: mbPerSecond(await medianMs(REPEAT, () => inflateSync(zip))) };
  const wasm = createWasmBackend();
  if (!wasm) throw new Error('this runtime cannot compile the WebAssembly SIMD kernels');
  const cases: [string, string, CompressionMethod, VolumeDataFormat, boolean][] = [
    ['wavelet decode, lossy R32 100³', 'chunk.CompressionMethod_Wavelet', CompressionMethod.Wavelet, VolumeDataFormat.Format_R32, false],
    ['wavelet decode, lossless R32 100³', 'chunk.CompressionMethod_WaveletLossless', CompressionMethod.WaveletLossless, VolumeDataFormat.Format_R32, true],
    ['wavelet decode, lossy U8 stream 100³', 'chunk.U8.CompressionMethod_Wavelet', CompressionMethod.Wavelet, VolumeDataFormat.Format_U8, false],
  ];
  const rows: BenchRow[] = [];
  for (const [name, vector, method, format, lossless] of cases) {
    const chunk = readVector(vector);
    const o = options(format, lossless);
    const codecs: ChunkCodec[] = [waveletCodecFor(method, typescriptBackend), waveletCodecFor(method, wasm)];
    for (let i = 0; i < 3; i++) for (const codec of codecs) codec.decode(chunk, o);
    const [tsMs, wasmMs] = alternateMs(REPEAT, codecs.map((codec) => () => codec.decode(chunk, o))) as [number, number];
    const typescript = { name: 'the TypeScript kernels', value: mbPerSecond(tsMs) };
    rows.push({
      name: `${name}, TypeScript kernels`, value: typescript.value, unit: 'MB/s', baseline: zlib,
      notes: `${tsMs.toFixed(1)} ms per chunk, ${chunk.length} bytes in, MB/s of the equivalent R32 block`,
    });
    rows.push({
      name: `${name}, WebAssembly SIMD kernels`, value: mbPerSecond(wasmMs), unit: 'MB/s', baseline: typescript,
      notes: `${wasmMs.toFixed(1)} ms per chunk: ${(tsMs / wasmMs).toFixed(2)}× the TypeScript kernels, ${(mbPerSecond(wasmMs) / zlib.value).toFixed(2)}× zlib.inflateSync`,
    });
  }
  return rows;
}

export default waveletBench;
