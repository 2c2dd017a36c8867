// Wavelet datasets written through the public API (issue #19): create with a wavelet method, page
// writes with LOD generation, per-layer tolerances (format sheet 2.5), adaptive reads of what was
// written, a .vds file, and OpenVDS 3.4 reading it (when the reference build is here).
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as vds from '../src/index.js';
import { MemoryStore } from '../sources/stores/memoryStore.js';
import { InstrumentedStore } from './support/slowStore.js';
import { useTempFolder } from './support/tempFolder.js';
import { fillBox, uniqueMemoryUrl } from './support/volumes.js';
import { segyFile } from './support/testdata.js';
import { importSegy } from '../src/segy/importSegy.js';

const SIZE: [number, number, number] = [80, 70, 60];
/** A smooth field with a reflector: what seismic looks like to a wavelet, in [-1, 1]. */
const value = (x: number, y: number, z: number) => Math.fround(0.6 * Math.sin(x / 7 + y / 11) * Math.cos(z / 9) + (x === 40 ? 0.35 : 0));
const STEP = 2 / 255;

async function writeVolume(url: string, method: vds.CompressionMethod, tolerance: number): Promise<void> {
  const channel = new vds.VolumeDataChannelDescriptor(vds.VolumeDataFormat.Format_R32, vds.VolumeDataComponents.Components_1, 'Amplitude', '', -1, 1);
  const handle = await vds.create(url, '',
    new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_32, 0, 0, 4, vds.LODLevels.LODLevels_1),
    SIZE.map((n, d) => new vds.VolumeDataAxisDescriptor(n, ['Sample', 'Crossline', 'Inline'][d]!, '', 0, n - 1)),
    [channel], new vds.MetadataContainer(), method, tolerance);
  const accessor = vds.getAccessManager(handle).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 8, vds.AccessMode.AccessMode_Create);
  for (let chunk = 0; chunk < accessor.getChunkCount(); chunk++) {
    const page = accessor.createPage(chunk);
    const [min, max] = page.getMinMax();
    fillBox(page.getWritableBuffer(), vds.VolumeDataFormat.Format_R32, 1, min, max, value);
    await page.release();
  }
  await accessor.commit();
  await vds.close(handle);
}

async function readLOD(dataset: vds.VDS, lod: number): Promise<Float32Array> {
  const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], SIZE, { lod });
  expect(await request.waitForCompletion()).to.equal(true);
  return request.data as Float32Array;
}

/** The exact data: each LOD of the same volume written uncompressed (the decimation is the engine's, format sheet 5.7). */
let exact: Float32Array[] = [];

/** The largest |read − exact| over LOD `lod`. */
function maxError(data: Float32Array, lod: number): number {
  const reference = exact[lod]!;
  expect(data.length).to.equal(reference.length);
  return data.reduce((worst, v, i) => Math.max(worst, Math.abs(v - reference[i]!)), 0);
}

describe('writing wavelet datasets (issue #19)', function () {
  this.timeout(120_000);
  const inFolder = useTempFolder('wavelet-write');

  before(async () => {
    const url = uniqueMemoryUrl('wavelet-exact');
    await writeVolume(url, vds.CompressionMethod.None, 0);
    const dataset = await vds.open(url);
    exact = [await readLOD(dataset, 0), await readLOD(dataset, 1)];
    await vds.close(dataset);
    // LOD 0 is the written values themselves.
    expect(exact[0]![3 + SIZE[0] * (4 + SIZE[1] * 5)]).to.equal(value(3, 4, 5));
  });

  it('Wavelet at tolerance 1: LOD 0 within 1 step, LOD 1 within its own tolerance (4), 28-byte metadata and level sizes', async () => {
    const url = inFolder('wavelet-1');
    await writeVolume(url, vds.CompressionMethod.Wavelet, 1);
    const dataset = await vds.open(url);
    const status = JSON.parse(readFileSync(`${url}/LayerStatus`, 'utf8')) as Record<string, unknown>[];
    expect(status.map((e) => [e.layerName, e.compressionMethod, e.compressionTolerance, e.chunkMetadataByteSize])).to.deep.equal([
      ['Dimensions_012LOD0', 'Wavelet', 1, 28], ['Dimensions_012LOD1', 'Wavelet', 4, 28],
    ]);
    expect((status[0]!.adaptiveLevelSizes as number[])[0]).to.be.greaterThan(0);
    expect(maxError(await readLOD(dataset, 0), 0)).to.be.at.most(1 * STEP);
    expect(maxError(await readLOD(dataset, 1), 1)).to.be.at.most(4 * STEP);
    await vds.close(dataset);
  });

  it('WaveletLossless: LOD 0 bit for bit, LOD 1 lossy Wavelet as OpenVDS makes it', async () => {
    const url = inFolder('lossless');
    await writeVolume(url, vds.CompressionMethod.WaveletLossless, 0);
    const dataset = await vds.open(url);
    expect(maxError(await readLOD(dataset, 0), 0)).to.equal(0);
    const lod1 = vds.getAccessManager(dataset);
    expect(dataset.layerStatusEntry(dataset.layers.get(vds.DimensionsND.Dimensions_012, 1, 0)!)!.compressionMethod).to.equal(vds.CompressionMethod.Wavelet);
    expect(maxError(await readLOD(dataset, 1), 1)).to.be.at.most(4 * STEP);
    expect(lod1).to.be.an('object');
    await vds.close(dataset);
  });

  it('reads a coarser adaptive level from fewer bytes, and a .vds file holds the same dataset', async () => {
    const url = uniqueMemoryUrl('wavelet');
    await writeVolume(url, vds.CompressionMethod.Wavelet, 1);
    const store = new InstrumentedStore(new MemoryStore(url.slice('inmemory://'.length)));
    let bytes = 0;
    const getRange = store.getRange.bind(store);
    store.getRange = async (key, range, options) => { const got = await getRange(key, range, options); bytes += got?.length ?? 0; return got; };
    const get = store.get.bind(store);
    store.get = async (key, options) => { const got = await get(key, options); if (/\/\d+$/.test(key)) bytes += got?.length ?? 0; return got; };
    const full = await vds.open(store);
    const best = await readLOD(full, 0);
    const bestBytes = bytes;
    await vds.close(full);
    bytes = 0;
    const coarse = await vds.openWithAdaptiveCompressionTolerance(store, '', 8);
    const coarser = await readLOD(coarse, 0);
    await vds.close(coarse);
    // Level log2(8 / 1) = 3: three bit-planes fewer of every chunk (about 77 % of the bytes here).
    expect(bytes).to.be.lessThan(bestBytes * 0.9);
    expect(maxError(coarser, 0)).to.be.greaterThan(maxError(best, 0));

    const file = inFolder('copy.vds');
    await vds.copyDataset(new MemoryStore(url.slice('inmemory://'.length)), vds.IOManager.createIOManager(file, ''));
    const fromFile = await vds.open(file);
    expect([...await readLOD(fromFile, 0)]).to.deep.equal([...best]);
    await vds.close(fromFile);
  });

  it('F3 imported as Wavelet at tolerance 1: every voxel within 1/255 of the value range of the exact import', async () => {
    const [exactUrl, waveletUrl] = [uniqueMemoryUrl('f3-exact'), uniqueMemoryUrl('f3-wavelet')];
    await importSegy(segyFile('f3.sgy'), exactUrl, { lodLevels: vds.LODLevels.LODLevels_None });
    await importSegy(segyFile('f3.sgy'), waveletUrl, { lodLevels: vds.LODLevels.LODLevels_None, compressionMethod: vds.CompressionMethod.Wavelet, compressionTolerance: 1 });
    const [exactData, waveletData] = await Promise.all([exactUrl, waveletUrl].map(async (url) => {
      const dataset = await vds.open(url);
      const size = [0, 1, 2].map((d) => vds.getLayout(dataset).getDimensionNumSamples(d));
      const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], size);
      expect(await request.waitForCompletion()).to.equal(true);
      const { min, max } = vds.getLayout(dataset).getChannelDescriptor(0).getValueRange();
      await vds.close(dataset);
      return { data: request.data as Float32Array, step: (max - min) / 255 };
    }));
    expect(waveletData!.data.length).to.equal(75 * 18 * 23);
    const worst = waveletData!.data.reduce((w, v, i) => Math.max(w, Math.abs(v - exactData!.data[i]!)), 0);
    expect(worst).to.be.at.most(exactData!.step);
  });

  it('OpenVDS 3.4 reads the dataset rxvds wrote, value for value (reference build only)', async function () {
    const env = '/work/ref-openvds/env.sh';
    if (!existsSync(env)) this.skip();
    const url = inFolder('for-openvds');
    await writeVolume(url, vds.CompressionMethod.Wavelet, 1);
    const out = `${url}.openvds.f32`;
    const script = new URL('./support/openvdsRead.py', import.meta.url).pathname;
    execFileSync('bash', ['-c', `source ${env} && python3 '${script}' '${url}' '${out}'`], { stdio: ['ignore', 'ignore', 'pipe'] });
    const theirs = new Float32Array(new Uint8Array(readFileSync(out)).buffer);
    const dataset = await vds.open(url);
    const ours = await readLOD(dataset, 0);
    await vds.close(dataset);
    expect(theirs.length).to.equal(ours.length);
    expect(theirs.every((v, i) => Object.is(v, ours[i]))).to.equal(true);
  });
});
