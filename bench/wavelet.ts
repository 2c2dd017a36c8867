// Wavelet decode throughput (MB/s of decoded R32, single thread, in process) next to
// zlib.inflateSync of the Zip chunk holding the same 100³ block, measured in the same run.
import { inflateSync } from 'node:zlib';
import type { ChunkCodec, DecodeOptions } from '../src/codecs/codec.js';
import { waveletCodec, waveletLosslessCodec } from '../src/codecs/wavelet.js';
import { VolumeDataFormat } from '../src/enums.js';
import { readVector } from '../spec/support/testdata.js';
import { type BenchRow, medianMs } from './bench.js';

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

export async function waveletBench(): Promise<BenchRow[]> {
  const decodedBytes = 100 * 100 * 100 * 4;
  const zip = readVector('chunk.CompressionMethod_Zip').subarray(24);
  inflateSync(zip);
  const zlib = { name: 'zlib.inflateSync of the Zip chunk', value: decodedBytes / MB / ((await medianMs(REPEAT, () => inflateSync(zip))) / 1000) };
  const cases: [string, string, ChunkCodec, VolumeDataFormat, boolean][] = [
    ['wavelet decode, lossy R32 100³', 'chunk.CompressionMethod_Wavelet', waveletCodec, VolumeDataFormat.Format_R32, false],
    ['wavelet decode, lossless R32 100³', 'chunk.CompressionMethod_WaveletLossless', waveletLosslessCodec, VolumeDataFormat.Format_R32, true],
    ['wavelet decode, lossy U8 stream 100³', 'chunk.U8.CompressionMethod_Wavelet', waveletCodec, VolumeDataFormat.Format_U8, false],
  ];
  const rows: BenchRow[] = [];
  for (const [name, vector, codec, format, lossless] of cases) {
    const chunk = readVector(vector);
    const o = options(format, lossless);
    for (let i = 0; i < 3; i++) codec.decode(chunk, o);
    const ms = await medianMs(REPEAT, () => codec.decode(chunk, o));
    rows.push({
      name, value: decodedBytes / MB / (ms / 1000), unit: 'MB/s', baseline: zlib,
      notes: `${ms.toFixed(1)} ms per chunk, ${chunk.length} bytes in, MB/s of the equivalent R32 block`,
    });
  }
  return rows;
}

export default waveletBench;
