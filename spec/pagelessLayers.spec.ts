// Layers without chunk-metadata pages (format sheet 1.4): missing from LayerStatus, or listed with
// `hasChunkMetadataPages` false. Their chunks are read from the chunk objects themselves, never
// taken as all zeros; an absent object is a never-written chunk.
import { expect } from 'chai';
import * as vds from '../src/index.js';
import { fullStore } from './support/fullStore.js';
import { useTempFolder } from './support/tempFolder.js';
import { uniqueMemoryUrl } from './support/volumes.js';

const F = vds.VolumeDataFormat;
const size = [40, 36, 33] as const;
/** Amplitude: position-coded (exact in f32); chunk 0 is the constant 7 when `constantChunk0` is set. */
const amplitudeOf = (x: number, y: number, z: number, constantChunk0: boolean) =>
  (constantChunk0 && x < 32 && y < 32 && z < 32 ? 7 : x + 100 * y + 10000 * z);
const maskOf = (x: number, y: number, z: number) => (x * y + z) % 1000;

/** A Zip dataset of 8 chunks (32³ bricks) with an R32 amplitude and a U16 mask channel, both written. */
async function writeDataset(url: string, constantChunk0: boolean): Promise<void> {
  const dataset = await vds.create(url, '', new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_32, 0, 0, 1, vds.LODLevels.LODLevels_None),
    size.map((n, d) => new vds.VolumeDataAxisDescriptor(n, ['Sample', 'Crossline', 'Inline'][d]!, '', 0, n - 1)),
    [new vds.VolumeDataChannelDescriptor(F.Format_R32, vds.VolumeDataComponents.Components_1, 'Amplitude', '', 0, 400000),
      new vds.VolumeDataChannelDescriptor(F.Format_U16, vds.VolumeDataComponents.Components_1, 'Mask', '', 0, 1000)],
    new vds.MetadataContainer(), vds.CompressionMethod.Zip);
  const channels = [(x: number, y: number, z: number) => amplitudeOf(x, y, z, constantChunk0), maskOf];
  for (const [channel, value] of channels.entries()) {
    const accessor = vds.getAccessManager(dataset).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, channel, 4,
      vds.AccessMode.AccessMode_Create);
    for (let chunk = 0; chunk < accessor.getChunkCount(); chunk++) {
      const page = accessor.createPage(chunk);
      const [min, max] = page.getMinMax();
      const buffer = page.getWritableBuffer();
      let i = 0;
      for (let z = min[2]!; z < max[2]!; z++) for (let y = min[1]!; y < max[1]!; y++) for (let x = min[0]!; x < max[0]!; x++) buffer[i++] = value(x, y, z);
      await page.release();
    }
    await accessor.commit();
  }
  await vds.close(dataset);
}

/** Rewrites LayerStatus with `change` and deletes the layer's metadata pages, so only chunk objects remain. */
async function dropPages(url: string, layerName: string, change: (entries: Record<string, unknown>[]) => Record<string, unknown>[]): Promise<void> {
  const store = fullStore(vds.openStore(url).store);
  const entries = JSON.parse(new TextDecoder().decode(await store.get('LayerStatus'))) as Record<string, unknown>[];
  await store.set('LayerStatus', new TextEncoder().encode(JSON.stringify(change(entries))));
  for await (const key of store.list(`${layerName}/ChunkMetadata/`)) await store.delete(key);
  await store.close?.();
}

const withoutPages = (layerName: string) => (entries: Record<string, unknown>[]) => entries.map((e) => (e.layerName !== layerName ? e : {
  layerName: e.layerName, channelName: e.channelName, dimensionGroup: e.dimensionGroup, lod: e.lod,
  produceStatus: e.produceStatus, compressionMethod: e.compressionMethod, compressionTolerance: e.compressionTolerance,
  hasChunkMetadataPages: false,
}));
const withoutEntry = (layerName: string) => (entries: Record<string, unknown>[]) => entries.filter((e) => e.layerName !== layerName);

async function readAll(url: string, channel: number): Promise<{ data?: ArrayLike<number>; error?: string }> {
  const dataset = await vds.open(url);
  try {
    const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], [...size], { channel, format: F.Format_Any });
    return (await request.waitForCompletion()) ? { data: request.data as ArrayLike<number> } : { error: request.errorMessage };
  } finally {
    await vds.close(dataset, false);
  }
}

/** The voxels of `data` that differ from `expected`, at most 3, as "x,y,z: got vs want". */
function mismatches(data: ArrayLike<number>, expected: (x: number, y: number, z: number) => number): string[] {
  const wrong: string[] = [];
  let i = 0;
  for (let z = 0; z < size[2]; z++) for (let y = 0; y < size[1]; y++) for (let x = 0; x < size[0]; x++, i++) {
    if (data[i] !== expected(x, y, z) && wrong.length < 3) wrong.push(`${x},${y},${z}: ${data[i]} vs ${expected(x, y, z)}`);
  }
  return wrong;
}

describe('layers without chunk-metadata pages', function () {
  this.timeout(60_000);
  const inFolder = useTempFolder('pageless');

  it('reads a layer listed with hasChunkMetadataPages false from its chunk objects (folder)', async () => {
    const url = inFolder('flag-false');
    await writeDataset(url, false);
    await dropPages(url, 'Dimensions_012LOD0', withoutPages('Dimensions_012LOD0'));
    const { data, error } = await readAll(url, 0);
    expect(error).to.equal(undefined);
    expect(mismatches(data!, (x, y, z) => amplitudeOf(x, y, z, false))).to.deep.equal([]);
    expect(data![39 + 40 * (35 + 36 * 32)]).to.equal(39 + 3500 + 320000);
  });

  it('reads a layer missing from LayerStatus from its chunk objects, with the dataset\'s compression (folder)', async () => {
    const url = inFolder('missing');
    await writeDataset(url, false);
    await dropPages(url, 'MaskDimensions_012LOD0', withoutEntry('MaskDimensions_012LOD0'));
    const reopened = await vds.open(url);
    expect(reopened.layerStatusEntry(reopened.layers.get(vds.DimensionsND.Dimensions_012, 0, 1)!)).to.equal(undefined);
    await vds.close(reopened, false);
    const { data, error } = await readAll(url, 1);
    expect(error).to.equal(undefined);
    expect(data).to.be.instanceOf(Uint16Array);
    expect(mismatches(data!, maskOf)).to.deep.equal([]);
    expect(data![7 + 40 * (9 + 36 * 3)]).to.equal((7 * 9 + 3) % 1000);
  });

  it('reads an absent chunk object as a never-written chunk (0 without a no-value)', async () => {
    const url = inFolder('sparse');
    await writeDataset(url, false);
    await dropPages(url, 'Dimensions_012LOD0', withoutPages('Dimensions_012LOD0'));
    await fullStore(vds.openStore(url).store).delete('Dimensions_012LOD0/7');
    const { data } = await readAll(url, 0);
    // Chunk 7 is the corner x ≥ 32, y ≥ 32, z ≥ 32.
    expect(mismatches(data!, (x, y, z) => (x >= 32 && y >= 32 && z >= 32 ? 0 : amplitudeOf(x, y, z, false)))).to.deep.equal([]);
  });

  it('takes a constant chunk from its vdschunkmetadata record where the store keeps one (memory store)', async () => {
    const url = uniqueMemoryUrl('pageless');
    await writeDataset(url, true);
    expect((await fullStore(vds.openStore(url).store).head('Dimensions_012LOD0/0'))!.size).to.equal(0);
    await dropPages(url, 'Dimensions_012LOD0', withoutPages('Dimensions_012LOD0'));
    const { data, error } = await readAll(url, 0);
    expect(error).to.equal(undefined);
    expect(data![0]).to.equal(7);
    expect(mismatches(data!, (x, y, z) => amplitudeOf(x, y, z, true))).to.deep.equal([]);
  });

  it('copies page-less layers with their chunks (copyDataset)', async () => {
    const url = inFolder('copy-source');
    await writeDataset(url, false);
    await dropPages(url, 'Dimensions_012LOD0', withoutPages('Dimensions_012LOD0'));
    await dropPages(url, 'MaskDimensions_012LOD0', withoutEntry('MaskDimensions_012LOD0'));
    const progress = await vds.copyDataset(new vds.FolderStore(url), new vds.FolderStore(inFolder('copy')));
    // 8 chunks per channel, then the copy's metadata.
    expect(progress.objectCount).to.equal(8 + 8 + 1);
    const amplitude = await readAll(inFolder('copy'), 0);
    expect(mismatches(amplitude.data!, (x, y, z) => amplitudeOf(x, y, z, false))).to.deep.equal([]);
    const mask = await readAll(inFolder('copy'), 1);
    expect(mismatches(mask.data!, maskOf)).to.deep.equal([]);
  });

  it('rewrites a page-less layer in place without losing the chunks it did not touch (ReadWrite)', async () => {
    const url = inFolder('rewrite');
    await writeDataset(url, false);
    await dropPages(url, 'Dimensions_012LOD0', withoutPages('Dimensions_012LOD0'));
    const dataset = await vds.open(url);
    const accessor = vds.getAccessManager(dataset).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 2,
      vds.AccessMode.AccessMode_ReadWrite);
    // Chunk 3 spans x 32…39, y 32…35, z 0…31: it reads as stored, and one voxel changes.
    const page = await accessor.readPage(3);
    const [min, max] = page.getMinMax();
    expect([min, max]).to.deep.equal([[32, 32, 0, 0, 0, 0], [40, 36, 32, 1, 1, 1]]);
    const buffer = page.getWritableBuffer() as Float32Array;
    expect(buffer[0]).to.equal(amplitudeOf(32, 32, 0, false));
    buffer[0] = -5;
    await page.release();
    await accessor.commit();
    await vds.close(dataset);

    const reopened = await vds.open(url);
    const status = reopened.layerStatusEntry(reopened.layers.get(vds.DimensionsND.Dimensions_012, 0, 0)!)!;
    expect(status.compressionMethod).to.equal(vds.CompressionMethod.Zip);
    expect(status.chunkMetadata!.validChunkCount).to.equal(8);
    expect(status.chunkMetadata!.uncompressedSize).to.equal(40 * 36 * 33 * 4);
    await vds.close(reopened, false);
    const { data } = await readAll(url, 0);
    expect(mismatches(data!, (x, y, z) => (x === 32 && y === 32 && z === 0 ? -5 : amplitudeOf(x, y, z, false)))).to.deep.equal([]);
  });

  it('refuses an empty chunk object without a record, as OpenVDS does ("Missing metadata")', async () => {
    const url = inFolder('constant');
    await writeDataset(url, true);
    await dropPages(url, 'Dimensions_012LOD0', withoutPages('Dimensions_012LOD0'));
    const dataset = await vds.open(url);
    try {
      const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], [1, 1, 1]);
      expect(await request.waitForCompletion()).to.equal(false);
      expect(request.errorMessage).to.match(/Missing metadata for chunk Dimensions_012LOD0\/0: the object is empty/);
      const rest = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 32], [...size]);
      expect(await rest.waitForCompletion(), rest.errorMessage).to.equal(true);
      expect((rest.data as Float32Array)[0]).to.equal(320000);
    } finally {
      await vds.close(dataset, false);
    }
  });
});
