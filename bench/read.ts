// Read benchmarks on a 512³ R32 dataset (64³ bricks) in the local folder, Zip and None: the whole
// volume, a slab of 100 inlines, 100 random boxes ≤ 128³ (8 in flight), slice latency (also right
// after a fresh open, and in a cold pool) and random samples; chunk cache off, so every figure
// decodes. Baseline: inflating (Zip, 2 at a time: the machine's 2 cores) or copying (None) the
// chunk objects the workload touches, objects already in memory — the limit of this machine for
// that work. Each request is timed right after its baseline so that both see the same load on a
// shared machine.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inflate } from 'node:zlib';
import * as vds from '../src/index.js';
import { SyntheticSurvey, writeSyntheticSurvey } from '../bin/lib/syntheticSurvey.js';
import { type BenchRow, median, medianMs } from './bench.js';

const MB = 1024 * 1024;
const size = Number(process.env.RXVDS_BENCH_SIZE ?? 512);
const brick = 64;

/** The synthetic survey of `edge`³ samples in `bench-out/` (written on first use; the browser bench reads one too). */
export async function ensureDataset(method: vds.CompressionMethod, edge = size): Promise<string> {
  const url = resolve('bench-out', `${vds.CompressionMethod[method].toLowerCase()}${edge}`);
  try {
    const existing = await vds.open(url);
    const complete = vds.getLayout(existing).getDimensionNumSamples(0) === edge;
    await vds.close(existing, false);
    if (complete) return url;
  } catch { /* not there yet */ }
  await writeSyntheticSurvey(url, new SyntheticSurvey(edge, edge, edge), method);
  return url;
}

function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

interface Box { min: number[]; max: number[] }

/** Chunk indices a box touches (brick 64, no margins). */
function chunksOf({ min, max }: Box): number[] {
  const n = size / brick;
  const out: number[] = [];
  for (let z = Math.floor(min[2]! / brick); z <= Math.floor((max[2]! - 1) / brick); z++) {
    for (let y = Math.floor(min[1]! / brick); y <= Math.floor((max[1]! - 1) / brick); y++) {
      for (let x = Math.floor(min[0]! / brick); x <= Math.floor((max[0]! - 1) / brick); x++) out.push(x + n * (y + n * z));
    }
  }
  return out;
}

/** The baseline: decode (inflate or copy) every touched chunk object, 2 at a time, objects in memory. */
async function decodeObjects(objects: Uint8Array[], zip: boolean): Promise<void> {
  let next = 0;
  const payload = brick ** 3 * 4;
  const lane = async () => {
    while (next < objects.length) {
      const object = objects[next++]!;
      if (zip) await new Promise<void>((ok, fail) => inflate(object.subarray(24), { chunkSize: payload }, (e) => (e ? fail(e) : ok())));
      else object.slice(24);
    }
  };
  await Promise.all(Array.from({ length: 2 }, lane));
}

/** The requests, `lanes` at a time; with `dataOut` (one box), into that buffer. */
async function runRequests(manager: vds.VolumeDataAccessManager, boxes: Box[], lanes: number, dataOut?: Float32Array): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < boxes.length) {
      const { min, max } = boxes[next++]!;
      const request = manager.requestVolumeSubset(min, max, { dataOut });
      if (!(await request.waitForCompletion())) throw new Error(request.errorMessage);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}

/** Milliseconds to write the first word of every 4 KiB page of a fresh shared buffer of `bytes`: what a request into a new buffer pays in page faults. */
function firstTouchMs(bytes: number): number {
  const words = new Int32Array(new SharedArrayBuffer(bytes));
  const start = performance.now();
  for (let i = 0; i < words.length; i += 1024) words[i] = 0;
  return performance.now() - start;
}

/** Median wall times of `baseline` and `fn`, run alternately so both see the same load. */
async function pairedMedianMs(repeat: number, baseline: () => Promise<unknown>, fn: () => Promise<unknown>): Promise<[number, number]> {
  const base: number[] = [], measured: number[] = [];
  for (let i = 0; i < repeat; i++) {
    base.push(await medianMs(1, baseline));
    measured.push(await medianMs(1, fn));
  }
  return [median(base), median(measured)];
}

/** Peak RSS of a separate process that reads the whole volume once: nothing else in memory. */
async function wholeVolumePeakRss(url: string): Promise<number> {
  const script = fileURLToPath(new URL('./peakRss.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import=tsx', script, url]);
  return (JSON.parse(stdout.trim().split('\n').pop()!) as { peakRssBytes: number }).peakRssBytes;
}

const voxels = (boxes: Box[]) => boxes.reduce((n, { min, max }) => n + max.reduce((v, m, d) => v * (m - min[d]!), 1), 0);

export default async function readBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const random = seededRandom(42);
  // Boxes of 1..128 samples per dimension anywhere in the volume.
  const randomBoxes: Box[] = Array.from({ length: 100 }, () => {
    const extent = [0, 1, 2].map(() => 1 + Math.floor(random() * Math.min(128, size)));
    const min = extent.map((e) => Math.floor(random() * (size - e + 1)));
    return { min, max: min.map((m, d) => m + extent[d]!) };
  });
  const whole: Box[] = [{ min: [0, 0, 0], max: [size, size, size] }];
  const slab: Box[] = [{ min: [0, 0, 0], max: [size, size, Math.min(100, size)] }];
  for (const method of [vds.CompressionMethod.Zip, vds.CompressionMethod.None]) {
    const url = await ensureDataset(method);
    const name = vds.CompressionMethod[method];
    const zip = method === vds.CompressionMethod.Zip;
    const layerDir = join(url, 'Dimensions_012LOD0');
    const load = (boxes: Box[]) => Promise.all(boxes.flatMap(chunksOf).map(async (c) => new Uint8Array(await readFile(join(layerDir, String(c))))));
    const dataset = await vds.open(url);
    // Every read below decodes: the figures are not cache hits.
    dataset.chunkCache.setMaxBytes(0);
    const manager = vds.getAccessManager(dataset);
    const workloads = [['whole volume', whole, 1], ['slab of 100 inlines', slab, 1], ['random boxes ≤ 128³ (100, 8 in flight)', randomBoxes, 8]] as const;
    for (const [label, boxes, lanes] of workloads) {
      const objects = await load([...boxes]);
      const read = () => runRequests(manager, [...boxes], lanes);
      const [baselineMs, ms] = await pairedMedianMs(5, () => decodeObjects(objects, zip), read);
      const touched = objects.length * brick ** 3 * 4;
      const bytes = voxels([...boxes]) * 4;
      rows.push({
        name: `${label} ${size}³ ${name}`, value: bytes / MB / (ms / 1000), unit: 'MB/s',
        baseline: { name: `${zip ? 'inflate (2 threads)' : 'copy'} of the touched chunks, scaled`, value: bytes / MB / (baselineMs / 1000) },
        notes: `${objects.length} chunk reads (${(touched / MB).toFixed(0)} MB decoded), median of 5` +
          (boxes === whole ? `, peak RSS ${((await wholeVolumePeakRss(url)) / MB).toFixed(0)} MB (one read in a fresh process)` : ''),
      });
      // Uncompressed reads are mostly first writes to fresh memory: the same read into a buffer
      // written before (as a C++ caller's std::vector is) shows the rest.
      if (!zip && boxes === whole) {
        const written = new Float32Array(new SharedArrayBuffer(bytes)).fill(0);
        const [copyMs, intoWrittenMs] = await pairedMedianMs(5, () => decodeObjects(objects, zip), () => runRequests(manager, [...boxes], 1, written));
        const faultMs = median(Array.from({ length: 3 }, () => firstTouchMs(bytes)));
        rows.push({
          name: `${label} ${size}³ ${name} into a written dataOut`, value: bytes / MB / (intoWrittenMs / 1000), unit: 'MB/s',
          baseline: { name: 'copy of the touched chunks, scaled', value: bytes / MB / (copyMs / 1000) },
          notes: `median of 5; first writes to the ${bytes / 4096} pages of a fresh buffer this size took ${faultMs.toFixed(1)} ms on one thread`,
        });
      }
    }
    const slices = (dim: number) => {
      const times: number[] = [];
      return async () => {
        for (let i = 0; i < 7; i++) {
          const index = Math.floor(random() * size);
          const min = [0, 0, 0], max = [size, size, size];
          min[dim] = index; max[dim] = index + 1;
          const start = performance.now();
          const request = manager.requestVolumeSubset(min, max);
          if (!(await request.waitForCompletion())) throw new Error(request.errorMessage);
          times.push(performance.now() - start);
        }
        return median(times);
      };
    };
    const sliceObjects = await load([{ min: [0, 0, 0], max: [size, size, 1] }]);
    const sliceBaseline = await medianMs(5, () => decodeObjects(sliceObjects, zip));
    const sliceBaselineName = `${zip ? 'inflate' : 'copy'} of one slice of chunks`;
    for (const [dim, label] of [[2, 'inline'], [1, 'crossline'], [0, 'time']] as const) {
      rows.push({ name: `random ${label} slice latency ${size}² ${name}`, value: await slices(dim)(), unit: 'ms',
        baseline: { name: sliceBaselineName, value: sliceBaseline }, notes: 'median of 7, lower is better' });
    }
    if (method === vds.CompressionMethod.Zip) {
      const positions = new Float32Array(1_000_000 * 6);
      for (let i = 0; i < 1_000_000; i++) for (let d = 0; d < 3; d++) positions[i * 6 + d] = random() * size;
      const allObjects = await load([{ min: [0, 0, 0], max: [size, size, size] }]);
      const inflateAllMs = await medianMs(3, () => decodeObjects(allObjects, true));
      for (const method of [vds.InterpolationMethod.Cubic, vds.InterpolationMethod.Linear]) {
        const samplesMs = await medianMs(3, async () => {
          const request = manager.requestVolumeSamples(positions, { interpolationMethod: method });
          if (!(await request.waitForCompletion())) throw new Error(request.errorMessage);
        });
        rows.push({ name: `1,000,000 random ${vds.InterpolationMethod[method].toLowerCase()} samples ${size}³ Zip`, value: 1e6 / (samplesMs / 1000),
          unit: 'samples/s', baseline: { name: 'inflate of every chunk, in samples/s', value: 1e6 / (inflateAllMs / 1000) },
          notes: `${allObjects.length} chunks, median of 3` });
      }
      // An inline right after a fresh open (nothing cached, the pool warm), and as the first request
      // of a cold pool: what a new process pays, worker start-up included. The open is not timed.
      const freshInline = async (coldPool: boolean) => {
        const times: number[] = [];
        for (let i = 0; i < 5; i++) {
          if (coldPool) await vds.destroyChunkPool();
          const fresh = await vds.open(url);
          const index = Math.floor(random() * size);
          const start = performance.now();
          const request = vds.getAccessManager(fresh).requestVolumeSubset([0, 0, index], [size, size, index + 1]);
          if (!(await request.waitForCompletion())) throw new Error(request.errorMessage);
          times.push(performance.now() - start);
          await vds.close(fresh, false);
        }
        return median(times);
      };
      for (const [coldPool, label] of [[false, 'after a fresh open'], [true, 'first request of a cold pool']] as const) {
        rows.push({ name: `random inline slice latency ${size}² Zip, ${label}`, value: await freshInline(coldPool), unit: 'ms',
          baseline: { name: 'inflate of one slice of chunks', value: sliceBaseline }, notes: 'median of 5, lower is better' });
      }
    }
    await vds.close(dataset, false);
  }
  return rows;
}
