// Read throughput of a 512³ R32 Zip dataset in the local folder, next to plain zlib inflate of the
// same chunk objects (async node zlib on all cores: the limit of this machine).
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { inflate } from 'node:zlib';
import * as vds from '../src/index.js';
import { SyntheticSurvey } from '../bin/lib/syntheticSurvey.js';
import { type BenchRow, medianMs } from './bench.js';

const MB = 1024 * 1024;
const size = Number(process.env.RXVDS_BENCH_SIZE ?? 512);
const url = resolve('bench-out', `zip${size}`);

async function ensureDataset(): Promise<void> {
  try {
    const existing = await vds.open(url);
    const complete = existing.layers.all[0] && vds.getLayout(existing).getDimensionNumSamples(0) === size;
    await vds.close(existing, false);
    if (complete) return;
  } catch { /* not there yet */ }
  const survey = new SyntheticSurvey(size, size, size);
  const dataset = await vds.create(url, '',
    new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_64, 0, 0, 4, vds.LODLevels.LODLevels_None),
    ['Sample', 'Crossline', 'Inline'].map((name) => new vds.VolumeDataAxisDescriptor(size, name, '', 0, size - 1)),
    [new vds.VolumeDataChannelDescriptor(vds.VolumeDataFormat.Format_R32, vds.VolumeDataComponents.Components_1, 'Amplitude', '', -1.5, 1.5)],
    new vds.MetadataContainer(), vds.CompressionMethod.Zip);
  const accessor = vds.getAccessManager(dataset).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 16, vds.AccessMode.AccessMode_Create);
  for (let chunk = 0; chunk < accessor.getChunkCount(); chunk++) {
    const page = accessor.createPage(chunk);
    const [min, max] = page.getMinMax();
    survey.fill(page.getWritableBuffer() as Float32Array, min, max);
    await page.release();
  }
  await accessor.commit();
  await vds.close(dataset);
}

/** Inflates every chunk object (already in memory) with async zlib, 16 at a time. */
async function inflateAll(objects: Uint8Array[], payloadBytes: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < objects.length) {
      const object = objects[next++]!;
      await new Promise<void>((ok, fail) => inflate(object.subarray(24), { chunkSize: payloadBytes }, (e) => (e ? fail(e) : ok())));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export default async function readBench(): Promise<BenchRow[]> {
  await ensureDataset();
  const layerDir = join(url, 'Dimensions_012LOD0');
  const names = (await readdir(layerDir)).filter((n) => /^\d+$/.test(n));
  const objects = await Promise.all(names.map(async (n) => new Uint8Array(await readFile(join(layerDir, n)))));
  const payloadBytes = 64 * 64 * 64 * 4;
  const volumeBytes = size ** 3 * 4;
  const inflateMs = await medianMs(3, () => inflateAll(objects, payloadBytes));
  const inflateMBs = (objects.length * payloadBytes) / MB / (inflateMs / 1000);

  const dataset = await vds.open(url);
  // Every read below decodes: the figures are not cache hits.
  dataset.chunkCache.setMaxBytes(0);
  const manager = vds.getAccessManager(dataset);
  const out = new Float32Array(new SharedArrayBuffer(volumeBytes));
  const wholeMs = await medianMs(3, async () => {
    const request = manager.requestVolumeSubset([0, 0, 0], [size, size, size], { dataOut: out });
    if (!(await request.waitForCompletion())) throw new Error(request.errorMessage);
  });

  const random = seededRandom(42);
  const boxes = Array.from({ length: 100 }, () => {
    const min = [0, 1, 2].map(() => Math.floor(random() * (size - 64)));
    return { min, max: min.map((m) => m + 64) };
  });
  const randomMs = await medianMs(3, async () => {
    let next = 0;
    const lane = async () => {
      while (next < boxes.length) {
        const { min, max } = boxes[next++]!;
        const request = manager.requestVolumeSubset(min, max);
        if (!(await request.waitForCompletion())) throw new Error(request.errorMessage);
      }
    };
    await Promise.all(Array.from({ length: 8 }, lane));
  });
  await vds.close(dataset, false);

  const baseline = { name: 'zlib inflate of the chunk objects, all cores', value: inflateMBs };
  return [
    { name: `whole-volume subset ${size}³ R32 Zip`, value: volumeBytes / MB / (wholeMs / 1000), unit: 'MB/s', baseline,
      notes: `${objects.length} chunks, median of 3` },
    { name: '100 random 64³ subsets, 8 in flight', value: (100 * 64 ** 3 * 4) / MB / (randomMs / 1000), unit: 'MB/s', baseline,
      notes: 'fixed seed, median of 3' },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await readBench());
  await vds.destroyChunkPool();
}
