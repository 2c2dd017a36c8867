// Write throughput (MB/s of R32 written through a page accessor into the local folder) for Zip and
// None, with and without LOD generation, next to deflate-only throughput of the same chunk payloads
// on all cores in the same run.
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { deflate } from 'node:zlib';
import * as vds from '../src/index.js';
import { SyntheticSurvey } from '../bin/lib/syntheticSurvey.js';
import { type BenchRow, medianMs } from './bench.js';

const MB = 1024 * 1024;
const size = Number(process.env.RXVDS_BENCH_WRITE_SIZE ?? 256);
const brick = 64;

/** The chunk payloads of the survey, computed once, so neither side pays for generating them. */
function payloads(survey: SyntheticSurvey): Float32Array[] {
  const out: Float32Array[] = [];
  const n = size / brick;
  for (let z = 0; z < n; z++) for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    const page = new Float32Array(brick ** 3);
    survey.fill(page, [x * brick, y * brick, z * brick], [(x + 1) * brick, (y + 1) * brick, (z + 1) * brick]);
    out.push(page);
  }
  return out;
}

async function deflateAll(pages: Float32Array[]): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < pages.length) {
      const page = pages[next++]!;
      await new Promise<void>((ok, fail) => deflate(page, { level: 6 }, (e) => (e ? fail(e) : ok())));
    }
  };
  await Promise.all(Array.from({ length: 4 }, lane));
}

async function writeSurvey(url: string, pages: Float32Array[], method: vds.CompressionMethod, lods: vds.LODLevels): Promise<void> {
  await rm(url, { recursive: true, force: true });
  const dataset = await vds.create(url, '',
    new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_64, 0, 0, 4, lods),
    ['Sample', 'Crossline', 'Inline'].map((name) => new vds.VolumeDataAxisDescriptor(size, name, '', 0, size - 1)),
    [new vds.VolumeDataChannelDescriptor(vds.VolumeDataFormat.Format_R32, vds.VolumeDataComponents.Components_1, 'Amplitude', '', -1.5, 1.5)],
    new vds.MetadataContainer(), method);
  const accessor = vds.getAccessManager(dataset).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 16, vds.AccessMode.AccessMode_Create);
  for (let chunk = 0; chunk < accessor.getChunkCount(); chunk++) {
    const page = accessor.createPage(chunk);
    (page.getWritableBuffer() as Float32Array).set(pages[chunk]!);
    await page.release();
  }
  await accessor.commit();
  await vds.close(dataset);
}

export default async function writeBench(): Promise<BenchRow[]> {
  const pages = payloads(new SyntheticSurvey(size, size, size));
  const bytes = size ** 3 * 4;
  const deflateMs = await medianMs(3, () => deflateAll(pages));
  const baseline = { name: 'zlib deflate (level 6) of the same pages, all cores', value: bytes / MB / (deflateMs / 1000) };
  const copyMs = await medianMs(3, () => pages.map((p) => p.slice()));
  const copyBaseline = { name: 'plain copy of the pages', value: bytes / MB / (copyMs / 1000) };
  const rows: BenchRow[] = [];
  for (const [method, lods] of [[vds.CompressionMethod.Zip, vds.LODLevels.LODLevels_None], [vds.CompressionMethod.Zip, vds.LODLevels.LODLevels_2],
    [vds.CompressionMethod.None, vds.LODLevels.LODLevels_None], [vds.CompressionMethod.None, vds.LODLevels.LODLevels_2]] as const) {
    const url = resolve('bench-out', `write-${vds.CompressionMethod[method]}-${lods}`);
    const ms = await medianMs(3, () => writeSurvey(url, pages, method, lods));
    rows.push({
      name: `write ${size}³ R32 ${vds.CompressionMethod[method]}, ${lods ? `LOD 0…${lods}` : 'no LODs'}`,
      value: bytes / MB / (ms / 1000), unit: 'MB/s', baseline: method === vds.CompressionMethod.Zip ? baseline : copyBaseline,
      notes: 'local folder, median of 3',
    });
    await rm(url, { recursive: true, force: true });
  }
  return rows;
}
