// Read benchmarks on a 512³ R32 dataset in the local folder, Zip and None: the two workloads of
// OpenVDS's own benchmark (OneLargeRequest, RandomRequests), slice latency and random samples.
// Baseline: inflating (Zip) or copying (None) the chunk objects the workload touches, all cores,
// objects already in memory — the limit of this machine for that work.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { inflate } from 'node:zlib';
import * as vds from '../src/index.js';
import { SyntheticSurvey, writeSyntheticSurvey } from '../bin/lib/syntheticSurvey.js';
import { type BenchRow, median, medianMs } from './bench.js';

const MB = 1024 * 1024;
const size = Number(process.env.RXVDS_BENCH_SIZE ?? 512);
const brick = 64;

async function ensureDataset(method: vds.CompressionMethod): Promise<string> {
  const url = resolve('bench-out', `${vds.CompressionMethod[method].toLowerCase()}${size}`);
  try {
    const existing = await vds.open(url);
    const complete = vds.getLayout(existing).getDimensionNumSamples(0) === size;
    await vds.close(existing, false);
    if (complete) return url;
  } catch { /* not there yet */ }
  await writeSyntheticSurvey(url, new SyntheticSurvey(size, size, size), method);
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

/** The baseline: decode (inflate or copy) every touched chunk object, 16 at a time, objects in memory. */
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
  await Promise.all(Array.from({ length: 16 }, lane));
}

async function runRequests(manager: vds.VolumeDataAccessManager, boxes: Box[], lanes: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < boxes.length) {
      const { min, max } = boxes[next++]!;
      const request = manager.requestVolumeSubset(min, max);
      if (!(await request.waitForCompletion())) throw new Error(request.errorMessage);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}

const voxels = (boxes: Box[]) => boxes.reduce((n, { min, max }) => n + max.reduce((v, m, d) => v * (m - min[d]!), 1), 0);

export default async function readBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const random = seededRandom(42);
  const extent = [Math.min(400, 0.2 * size), Math.min(500, 0.3 * size), Math.min(600, 0.4 * size)].map(Math.floor);
  const randomBoxes: Box[] = Array.from({ length: 100 }, () => {
    const min = extent.map((e) => Math.floor(random() * (size - e)));
    return { min, max: min.map((m, d) => m + extent[d]!) };
  });
  const oneLarge: Box[] = [{ min: [0, 0, 0], max: [size, size, Math.min(100, size)] }];
  for (const method of [vds.CompressionMethod.Zip, vds.CompressionMethod.None]) {
    const url = await ensureDataset(method);
    const name = vds.CompressionMethod[method];
    const layerDir = join(url, 'Dimensions_012LOD0');
    const load = (boxes: Box[]) => Promise.all(boxes.flatMap(chunksOf).map(async (c) => new Uint8Array(await readFile(join(layerDir, String(c))))));
    const dataset = await vds.open(url);
    // Every read below decodes: the figures are not cache hits.
    dataset.chunkCache.setMaxBytes(0);
    const manager = vds.getAccessManager(dataset);
    for (const [label, boxes, lanes] of [['OneLargeRequest', oneLarge, 1], ['RandomRequests (100, 8 in flight)', randomBoxes, 8]] as const) {
      const objects = await load([...boxes]);
      const baselineMs = await medianMs(3, () => decodeObjects(objects, method === vds.CompressionMethod.Zip));
      const ms = await medianMs(3, () => runRequests(manager, [...boxes], lanes));
      const touched = objects.length * brick ** 3 * 4;
      rows.push({
        name: `${label} ${size}³ ${name}`, value: (voxels([...boxes]) * 4) / MB / (ms / 1000), unit: 'MB/s',
        baseline: { name: `${method === vds.CompressionMethod.Zip ? 'inflate' : 'copy'} of the touched chunks, scaled`, value: (voxels([...boxes]) * 4) / MB / (baselineMs / 1000) },
        notes: `${objects.length} chunk reads (${(touched / MB).toFixed(0)} MB decoded), median of 3`,
      });
    }
    if (method === vds.CompressionMethod.Zip) {
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
      const sliceBaseline = await medianMs(5, () => decodeObjects(sliceObjects, true));
      const positions = new Float32Array(1_000_000 * 6);
      for (let i = 0; i < 1_000_000; i++) for (let d = 0; d < 3; d++) positions[i * 6 + d] = random() * size;
      const allObjects = await load([{ min: [0, 0, 0], max: [size, size, size] }]);
      const inflateAllMs = await medianMs(3, () => decodeObjects(allObjects, true));
      const samplesMs = await medianMs(3, async () => {
        const request = manager.requestVolumeSamples(positions, { interpolationMethod: vds.InterpolationMethod.Cubic });
        if (!(await request.waitForCompletion())) throw new Error(request.errorMessage);
      });
      rows.push({ name: `1,000,000 random cubic samples ${size}³ Zip`, value: 1e6 / (samplesMs / 1000), unit: 'samples/s',
        baseline: { name: 'inflate of every chunk, in samples/s', value: 1e6 / (inflateAllMs / 1000) }, notes: `${allObjects.length} chunks, median of 3` });
      for (const [dim, label] of [[2, 'inline'], [1, 'crossline'], [0, 'time']] as const) {
        rows.push({ name: `random ${label} slice latency ${size}² Zip`, value: await slices(dim)(), unit: 'ms',
          baseline: { name: 'inflate of one slice of chunks', value: sliceBaseline }, notes: 'median of 7, lower is better' });
      }
    }
    await vds.close(dataset, false);
  }
  return rows;
}
