import { expect } from 'chai';
import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { datasetWithSignal } from '../sources/dataset/datasetWithSignal.js';
import { VdsFileDataset, vdsFileDatasetAt, vdsFileDatasetFor } from '../sources/dataset/vdsFileDataset.js';
import { BulkDataStore } from '../sources/vdsFile/bulkDataStore.js';
import { FileType } from '../sources/vdsFile/fileTable.js';
import { decodeLayerMetadata } from '../sources/vdsFile/layerMetadata.js';
import { parseVdsObject, VdsObjectBlob, VdsObjectNumber } from '../sources/vdsFile/vdsObjectParser.js';
import { vdsObjectToLayoutJson } from '../sources/vdsFile/vdsObjectLayout.js';
import { chunkCodec } from '../src/codecs/registry.js';
// Loaded here, not lazily by the registry: an import() from a required module would compile the
// sources a second way in this process (spec/support/checkCoverageData.mjs).
import '../src/codecs/waveletCodecs.js';
import type { ChunkMetadata } from '../src/engine/datasetStore.js';
import type { VolumeDataLayer } from '../src/model/geometry/layers.js';
import { layersOf } from '../src/model/layout/volumeDataLayout.js';
import { serializeLayerStatusJson, serializeVolumeDataLayoutJson } from '../src/model/layout/layoutJson.js';
import * as vds from '../src/index.js';
import { openvdsVector, readVector, sha256 } from './support/testdata.js';
import { fillBox, type VoxelFunction } from './support/volumes.js';
import { rejection } from './support/rejection.js';
import { DATASET_SIZE, readWithRxvds, syntheticVolume, writeWaveletDataset } from './support/waveletDataset.js';

const SUBSET = openvdsVector('subset.vds');
const i32s = (bytes: Uint8Array, count: number) => Array.from({ length: count }, (_, i) => new DataView(bytes.buffer, bytes.byteOffset).getInt32(4 * i, true));
const CONSTANT_ONE = 0x010101013F800000n;

/** Opens a `.vds` as a dataset; `use` gets it and its layers by name. */
async function withDataset<T>(path: string, use: (dataset: VdsFileDataset, layer: (name: string) => VolumeDataLayer,
  layout: vds.VolumeDataLayout) => Promise<T>, mode: 'read' | 'write' = 'read'): Promise<T> {
  const dataset = new VdsFileDataset(path, mode);
  try {
    const layout = await dataset.open();
    const layers = layersOf(layout);
    return await use(dataset, (name) => layers.byLayerName(name)!, layout);
  } finally {
    await dataset.close();
  }
}

/** Everything a dataset holds, read through the dataset layer: layout, layer status, every chunk's metadata and bytes. */
function readEverything(path: string): Promise<Map<string, string>> {
  return withDataset(path, async (dataset, layer, layout) => {
    const all = new Map([['layout', serializeVolumeDataLayoutJson(layout)], ['status', serializeLayerStatusJson(dataset.layerStatuses())]]);
    for (const entry of dataset.layerStatuses()) {
      const l = layer(entry.layerName);
      for (let chunk = 0; chunk < l.chunkCount; chunk++) {
        const metadata = await dataset.chunkMetadata(l, chunk);
        const bytes = metadata.hash === 0n ? undefined : await dataset.readChunk(l, chunk, { metadata });
        all.set(`${l.name}/${chunk}`, `${metadata.hash} ${metadata.serializedSize} ${metadata.adaptiveLevels} ${bytes && sha256(bytes)}`);
      }
    }
    return all;
  });
}

describe('.vds dataset: subset.vds (OpenVDS-written, legacy VDSObject layout)', () => {
  let dataset: VdsFileDataset;
  let layout: vds.VolumeDataLayout;
  let layer: (name: string) => VolumeDataLayer;
  before(async () => {
    dataset = new VdsFileDataset(SUBSET);
    layout = await dataset.open();
    const layers = layersOf(layout);
    layer = (name) => layers.byLayerName(name)!;
  });
  after(async () => dataset.close());

  it('reads the header, the file table and the layer file metadata', async () => {
    const container = await BulkDataStore.open(SUBSET, false);
    try {
      const files = container.list();
      expect(files.map((f) => f.name)).to.deep.equal([
        'Dimensions_012LOD0', 'Dimensions_012LOD1', 'Dimensions_012LOD2',
        'SEGYTraceHeaderDimensions_012LOD0', 'SEGYTraceHeaderDimensions_012LOD1', 'SEGYTraceHeaderDimensions_012LOD2',
        'TraceDimensions_012LOD0', 'TraceDimensions_012LOD1', 'TraceDimensions_012LOD2', 'VDSObject',
      ]);
      expect(files.map((f) => f.header.fileType)).to.deep.equal([...new Array(9).fill(FileType.VDSLayer), FileType.HueObject]);
      expect(files.map((f) => [f.header.chunkMetadataLength, f.header.fileMetadataLength])).to.deep.equal([
        [24, 152], [24, 152], [24, 152], [8, 12], [8, 12], [8, 12], [8, 12], [8, 12], [8, 12], [0, 0]]);
      expect(files.map((f) => f.chunkCount)).to.deep.equal(new Array(10).fill(1));
      expect(files.slice(0, 9).map((f) => f.header.indexPageEntryCount)).to.deep.equal(new Array(9).fill(1024));
      const metadata = files.slice(0, 9).map((f) => decodeLayerMetadata(f.fileMetadata));
      expect(metadata.map((m) => m.compressionMethod)).to.deep.equal([1, 1, 1, 3, 3, 3, 2, 2, 2]);
      expect(metadata.map((m) => m.compressionTolerance)).to.deep.equal([Math.fround(0.01), 4, 8, 0, 0, 0, 0, 0, 0]);
      expect(metadata.map((m) => m.uncompressedSize)).to.deep.equal([4_000_000, 500_000, 62_500, 0, 0, 0, 0, 0, 0]);
    } finally {
      await container.close();
    }
  });

  it('gives each layer file\'s status, in OpenVDS order', () => {
    const entries = dataset.layerStatuses();
    expect(entries.map((e) => e.layerName)).to.deep.equal([
      'Dimensions_012LOD0', 'Dimensions_012LOD1', 'Dimensions_012LOD2',
      'TraceDimensions_012LOD0', 'TraceDimensions_012LOD1', 'TraceDimensions_012LOD2',
      'SEGYTraceHeaderDimensions_012LOD0', 'SEGYTraceHeaderDimensions_012LOD1', 'SEGYTraceHeaderDimensions_012LOD2',
    ]);
    expect(entries.map((e) => e.channelName)).to.deep.equal(['Amplitude', 'Amplitude', 'Amplitude', 'Trace', 'Trace', 'Trace',
      'SEGYTraceHeader', 'SEGYTraceHeader', 'SEGYTraceHeader']);
    expect(new Set(entries.map((e) => e.dimensionGroup))).to.deep.equal(new Set(['Dimensions_012']));
    expect(entries.map((e) => e.lod)).to.deep.equal([0, 1, 2, 0, 1, 2, 0, 1, 2]);
    expect(entries.map((e) => vds.CompressionMethod[e.compressionMethod])).to.deep.equal(
      ['Wavelet', 'Wavelet', 'Wavelet', 'RLE', 'RLE', 'RLE', 'Zip', 'Zip', 'Zip']);
    expect(entries.map((e) => e.compressionTolerance)).to.deep.equal([Math.fround(0.01), 4, 8, 0, 0, 0, 0, 0, 0]);
    expect(entries[0]!.chunkMetadata).to.deep.equal({ chunkCount: 1, chunkMetadataPageSize: 1024, chunkMetadataByteSize: 28, validChunkCount: 1,
      uncompressedSize: 4_000_000, adaptiveLevelSizes: [1_360_968, 1_238_214, 1_111_964, 989_865, 865_646, 736_647, 606_650, 473_424, 339_751,
        229_165, 141_992, 83_524, 52_407, 31_033, 19_471, 13_820] });
    expect(entries[2]!.chunkMetadata!.adaptiveLevelSizes.slice(7)).to.deep.equal([9214, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(entries.slice(3).map((e) => e.chunkMetadata!.chunkMetadataByteSize)).to.deep.equal(new Array(6).fill(8));
    expect(entries.slice(3).map((e) => e.chunkMetadata!.validChunkCount)).to.deep.equal(new Array(6).fill(1));
    expect(dataset.layerStatus('TraceDimensions_012LOD1')).to.equal(entries[4]);
    expect(dataset.layerStatus('Dimensions_01LOD0')).to.equal(undefined);
  });

  it('translates the VDSObject into the layout', () => {
    const ld = layout.getLayoutDescriptor();
    expect([vds.BrickSize[ld.brickSize], ld.negativeMargin, ld.positiveMargin, ld.brickSize2DMultiplier, vds.LODLevels[ld.lodLevels]])
      .to.deep.equal(['BrickSize_128', 4, 4, 4, 'LODLevels_2']);
    expect(layout.axisDescriptors.map((a) => [a.numSamples, a.name, a.unit, a.coordinateMin, a.coordinateMax])).to.deep.equal([
      [100, 'Sample', 'ms', 2052, 2448], [100, 'Crossline', 'unitless', 2184, 2283], [100, 'Inline', 'unitless', 10127, 10226]]);
    expect(layout.channelDescriptors.map((c) => [c.name, vds.VolumeDataFormat[c.format], vds.VolumeDataMapping[c.mapping], c.mappedValueCount]))
      .to.deep.equal([['Amplitude', 'Format_R32', 'Direct', 0], ['Trace', 'Format_U8', 'PerTrace', 1], ['SEGYTraceHeader', 'Format_U8', 'PerTrace', 240]]);
    expect(layout.channelDescriptors[0]!.valueRangeMax).to.equal(Math.fround(0.078838117420673370361328125));
    expect(layout.channelDescriptors[0]!.isAllowLossyCompression()).to.equal(true);
    expect(layout.channelDescriptors[2]!.isAllowLossyCompression()).to.equal(false);
    const keys = layout.getMetadataKeys();
    expect(keys.map((k) => `${k.category}/${k.name}`)).to.deep.equal(['SurveyCoordinateSystem/Origin', 'SurveyCoordinateSystem/InlineSpacing',
      'SurveyCoordinateSystem/CrosslineSpacing', 'SurveyCoordinateSystem/OriginalOrigin', 'SurveyCoordinateSystem/OriginalInlineSpacing',
      'SurveyCoordinateSystem/OriginalCrosslineSpacing', 'SurveyCoordinateSystem/Unit', 'SurveyCoordinateSystem/LatticeScale']);
    expect(layout.getMetadataDoubleVector2('SurveyCoordinateSystem', 'Origin')).to.deep.equal([431964.7387048737145960330963134765625, 6348565.2855919301509857177734375]);
    expect(layout.getMetadataString('SurveyCoordinateSystem', 'Unit')).to.equal('m');
  });

  it('gives each chunk\'s metadata from its index entry: hash, extent size, adaptive levels', async () => {
    const lod0 = await dataset.chunkMetadata(layer('Dimensions_012LOD0'), 0);
    expect(lod0.hash).to.equal(0x6ae96e5a39f88fa4n);
    expect(lod0.serializedSize).to.equal(1_360_968);
    expect(Buffer.from(lod0.adaptiveLevels!).toString('hex')).to.equal('ffe8e5e3dfd9d2c7b7ac9e96a097a0b5');
    const sizes = await Promise.all(['Dimensions_012LOD1', 'Dimensions_012LOD2', 'SEGYTraceHeaderDimensions_012LOD0',
      'SEGYTraceHeaderDimensions_012LOD1', 'SEGYTraceHeaderDimensions_012LOD2'].map(async (name) => (await dataset.chunkMetadata(layer(name), 0)).serializedSize));
    expect(sizes).to.deep.equal([78_856, 17_096, 236_524, 25_024, 401]);
    for (let lod = 0; lod < 3; lod++) {
      // The constant Trace chunks: a hash saying 1.0, no bytes, no adaptive levels (RLE layer).
      expect(await dataset.chunkMetadata(layer(`TraceDimensions_012LOD${lod}`), 0)).to.deep.equal({ hash: CONSTANT_ONE, serializedSize: 0 });
    }
  });

  it('reads whole chunk extents, and prefixes for adaptive levels', async () => {
    for (const [lod, n] of [[0, 100], [1, 50], [2, 25]] as const) {
      const l = layer(`Dimensions_012LOD${lod}`);
      const metadata = await dataset.chunkMetadata(l, 0);
      const whole = await dataset.readChunk(l, 0, { metadata });
      // Wavelet streams (version 671) of 100³, 50³, 25³.
      expect(i32s(whole, 5)).to.deep.equal([671, metadata.serializedSize, n, n, n]);
      const header = await dataset.readChunk(layer(`SEGYTraceHeaderDimensions_012LOD${lod}`), 0,
        { metadata: await dataset.chunkMetadata(layer(`SEGYTraceHeaderDimensions_012LOD${lod}`), 0) });
      expect(i32s(header, 6)).to.deep.equal([3, 240 >> lod, n, n, 1, 1]);
    }
    // LOD 0 has one chunk, so each level's prefix is the layer's adaptiveLevelSizes entry.
    const l = layer('Dimensions_012LOD0');
    const metadata = await dataset.chunkMetadata(l, 0);
    const whole = await dataset.readChunk(l, 0, { metadata, adaptiveLevel: -1 });
    const levelSizes = dataset.layerStatus(l.name)!.chunkMetadata!.adaptiveLevelSizes;
    for (const level of [0, 1, 3, 15]) {
      const prefix = await dataset.readChunk(l, 0, { metadata, adaptiveLevel: level });
      expect(prefix.length, `level ${level}`).to.equal(levelSizes[level]);
      expect(Buffer.from(prefix).equals(Buffer.from(whole.subarray(0, prefix.length)))).to.equal(true);
    }
    let asked = 0;
    const target = new Uint8Array(989_865);
    const into = await dataset.readChunk(l, 0, { metadata, adaptiveLevel: 3, into: (size) => { asked = size; return target; } });
    expect([into === target, asked]).to.deep.equal([true, 989_865]);
    const constant = layer('TraceDimensions_012LOD0');
    expect((await dataset.readChunk(constant, 0, { metadata: await dataset.chunkMetadata(constant, 0) })).length).to.equal(0);
  });

  it('a layer the file lacks is not found, a chunk outside the layer an InvalidArgumentError', async () => {
    const lod0Of2D = layersOf(layout).get(vds.DimensionsND.Dimensions_01, 0, 0)!;
    const missing = await rejection(dataset.chunkMetadata(lod0Of2D, 0));
    expect(missing).to.be.instanceOf(vds.NotFoundError);
    expect((missing as vds.NotFoundError).code).to.equal(404);
    expect(missing.message).to.equal(`Object: Dimensions_01LOD0/0 not found. (${SUBSET} has no layer Dimensions_01LOD0)`);
    expect(await rejection(dataset.readChunk(lod0Of2D, 0, { metadata: { hash: 1n } }))).to.be.instanceOf(vds.NotFoundError);
    const outside = await rejection(dataset.chunkMetadata(layer('Dimensions_012LOD0'), 1));
    expect(outside).to.be.instanceOf(vds.InvalidArgumentError);
    expect(outside.message).to.equal('Chunk index 1 is outside layer Dimensions_012LOD0 (0…0)');
  });

  it('a reader that is refused the writer lock names the file and its holder; closing releases it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rxvds-vds-'));
    try {
      const path = join(dir, 'copy.vds');
      await writeFile(path, await readFile(SUBSET));
      const writer = new VdsFileDataset(path, 'write');
      await writer.open();
      expect(await stat(`${path}.lock`).then(() => 'held')).to.equal('held');
      const reader = new VdsFileDataset(path);
      const l = layersOf(await reader.open()).byLayerName('Dimensions_012LOD0')!;
      expect((await reader.chunkMetadata(l, 0)).serializedSize).to.equal(1_360_968);
      const holder = `(process ${process.pid} on this host holds ${path}.lock)`;
      const error = await rejection(reader.writeChunk(l, 0, new Uint8Array(1), { hash: 5n, adaptiveLevels: new Uint8Array(16) }, 0));
      expect(error).to.be.instanceOf(vds.InvalidOperationError);
      expect(error.message).to.equal(`Cannot write ${path}: another writer has it open ${holder}`);
      expect((await rejection(new VdsFileDataset(path, 'write').open())).message).to.equal(`Cannot write ${path}: another writer has it open ${holder}`);
      expect((await rejection(new VdsFileDataset(path).create(layout))).message).to.equal(`Cannot write ${path}: another writer has it open ${holder}`);
      await writer.close();
      await reader.close();
      expect(await stat(`${path}.lock`).catch(() => 'gone')).to.equal('gone');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('.vds dataset: subset.vds through the engine', function () {
  this.timeout(30_000);
  let dataset: vds.VDS;
  before(async () => { dataset = await vds.open(SUBSET); });
  after(async () => vds.close(dataset));

  async function read(channel: number, lod: number, max: number[], format = vds.VolumeDataFormat.Format_U8): Promise<Uint8Array> {
    const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], max, { channel, lod, format });
    expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
    return new Uint8Array(request.data.buffer, request.data.byteOffset, request.data.byteLength);
  }

  it('reads every SEGYTraceHeader LOD (Zip) as stored', async () => {
    await withDataset(SUBSET, async (file, layer) => {
      for (let lod = 0; lod < 3; lod++) {
        const l = layer(`SEGYTraceHeaderDimensions_012LOD${lod}`);
        const chunk = await file.readChunk(l, 0, { metadata: await file.chunkMetadata(l, 0) });
        const payload = inflateSync(chunk.subarray(24));
        const data = await read(2, lod, [240, 100, 100]);
        expect(data.length).to.equal([2_400_000, 300_000, 37_500][lod]);
        expect(sha256(data)).to.equal(sha256(payload));
      }
    });
    // Trace header bytes 189..192 of the first trace: the big-endian inline number 10127.
    const lod0 = await read(2, 0, [240, 1, 1]);
    expect(Buffer.from(lod0).readInt32BE(188)).to.equal(10127);
  });

  it('reads the constant Trace layers (RLE layer, constant 1.0 chunks)', async () => {
    for (let lod = 0; lod < 3; lod++) {
      const data = await read(1, lod, [1, 100, 100]);
      expect(data.length).to.equal((100 >> lod) ** 2);
      expect(data.every((v) => v === 1)).to.equal(true);
    }
  });

  const waveletCodec = (() => {
    try {
      return Boolean(chunkCodec(vds.CompressionMethod.Wavelet));
    } catch {
      return false;
    }
  })();
  (waveletCodec ? it : it.skip)(waveletCodec ? 'reads the wavelet amplitude layer to within 6e-6 of the None vector'
    : 'reads the wavelet amplitude layer (skipped: src/codecs/registry.ts has no Wavelet codec yet)', async () => {
    const data = new Float32Array((await read(0, 0, [100, 100, 100], vds.VolumeDataFormat.Format_R32)).slice().buffer);
    const expected = new Float32Array(readVector('chunk.CompressionMethod_None').slice(24).buffer);
    let maxError = 0;
    for (let i = 0; i < expected.length; i++) maxError = Math.max(maxError, Math.abs(data[i]! - expected[i]!));
    expect(maxError).to.be.below(6e-6);
  });
});

/** A one-channel 3D layout of 100 × 60 × 40 U8 samples in 32³ bricks (4 × 2 × 2 chunks at LOD 0). */
function smallLayout(lodLevels = vds.LODLevels.LODLevels_None): vds.VolumeDataLayout {
  return new vds.VolumeDataLayout(new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_32, 0, 0, 4, lodLevels),
    [new vds.VolumeDataAxisDescriptor(100, 'Sample', 'ms', 0, 99), new vds.VolumeDataAxisDescriptor(60, 'Crossline', '', 0, 59),
      new vds.VolumeDataAxisDescriptor(40, 'Inline', '', 0, 39)],
    [new vds.VolumeDataChannelDescriptor(vds.VolumeDataFormat.Format_U8, vds.VolumeDataComponents.Components_1, 'Value', '', 0, 255)],
    new vds.MetadataContainer());
}

const levels = (...fractions: number[]) => { const bytes = new Uint8Array(16); bytes.set(fractions); return bytes; };

describe('.vds dataset: producing and writing layers', function () {
  this.timeout(30_000);
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'rxvds-vdsds-')); });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('create writes the layout file at once; produced layers get their files at the first flush', async () => {
    const path = join(dir, 'created.vds');
    const layout = smallLayout(vds.LODLevels.LODLevels_1);
    const dataset = new VdsFileDataset(path);
    await dataset.create(layout);
    expect(dataset.layerStatuses()).to.deep.equal([]);
    const [lod0, lod1] = layersOf(layout).lodLayers(vds.DimensionsND.Dimensions_012, 0);
    const entry = dataset.produceLayer(lod0!, { compressionMethod: vds.CompressionMethod.Zip, compressionTolerance: 0, chunkMetadataPageSize: 3 });
    expect(entry).to.deep.equal({ layerName: 'Dimensions_012LOD0', channelName: 'Value', dimensionGroup: 'Dimensions_012', lod: 0,
      produceStatus: vds.VDSProduceStatus.Normal, compressionMethod: vds.CompressionMethod.Zip, compressionTolerance: 0,
      chunkMetadata: { chunkCount: 16, chunkMetadataPageSize: 3, chunkMetadataByteSize: 8, validChunkCount: 0, uncompressedSize: 0,
        adaptiveLevelSizes: new Array(16).fill(0) } });
    dataset.produceLayer(lod1!, { compressionMethod: vds.CompressionMethod.Zip, compressionTolerance: 0, chunkMetadataPageSize: 3 });
    expect(dataset.layerStatuses().map((e) => e.layerName)).to.deep.equal(['Dimensions_012LOD0', 'Dimensions_012LOD1']);
    expect(await dataset.chunkMetadata(lod0!, 15)).to.deep.equal({ hash: 0n, serializedSize: 0 });
    const never = await rejection(dataset.readChunk(lod0!, 15, { metadata: { hash: 0n } }));
    expect(never).to.be.instanceOf(vds.NotFoundError);
    expect(never.message).to.equal(`Chunk Dimensions_012LOD0/15 of ${path} was never written`);
    await dataset.writeChunk(lod0!, 4, new Uint8Array([9, 8, 7]), { hash: 77n }, 32 * 32 * 32);
    // Another process sees the layout, and no layer before the flush.
    expect((await readEverything(path)).get('status')).to.equal('[]');
    await dataset.flush();
    await dataset.close();
    await withDataset(path, async (reopened, layer) => {
      expect(reopened.layerStatuses().map((e) => [e.layerName, e.chunkMetadata!.chunkMetadataPageSize, e.chunkMetadata!.validChunkCount]))
        .to.deep.equal([['Dimensions_012LOD0', 3, 1], ['Dimensions_012LOD1', 3, 0]]);
      const l = layer('Dimensions_012LOD0');
      expect(await reopened.chunkMetadata(l, 4)).to.deep.equal({ hash: 77n, serializedSize: 3 });
      expect([...await reopened.readChunk(l, 4, { metadata: { hash: 77n } })]).to.deep.equal([9, 8, 7]);
    });
    const container = await BulkDataStore.open(path, false);
    try {
      // Pages of 3 entries: chunk 4 is in page 1; the other pages were never written.
      expect(container.file('Dimensions_012LOD0')!.indexPageOffsets.map((o) => o !== 0)).to.deep.equal([false, true, false, false, false, false]);
      expect(container.list().map((f) => f.name)).to.deep.equal(['VolumeDataLayout', 'Dimensions_012LOD0', 'Dimensions_012LOD1']);
    } finally {
      await container.close();
    }
  });

  it('counts chunks as OpenVDS does: wavelet layers keep sizes per adaptive level, and file metadata keeps them', async () => {
    const path = join(dir, 'counters.vds');
    const layout = smallLayout();
    const dataset = new VdsFileDataset(path);
    await dataset.create(layout);
    const [wavelet] = layersOf(layout).lodLayers(vds.DimensionsND.Dimensions_012, 0);
    const status = dataset.produceLayer(wavelet!, { compressionMethod: vds.CompressionMethod.Wavelet, compressionTolerance: 0.1, chunkMetadataPageSize: 8 }).chunkMetadata!;
    expect(status.chunkMetadataByteSize).to.equal(28);
    const write = (chunk: number, bytes: number, metadata: ChunkMetadata) => dataset.writeChunk(wavelet!, chunk, new Uint8Array(bytes).fill(chunk + 1), metadata, 32768);
    await write(0, 1000, { hash: 5n, adaptiveLevels: levels(255, 128) });
    // 1000, then ⌊1000·128/255⌋ = 501.
    expect([status.validChunkCount, status.uncompressedSize, status.adaptiveLevelSizes.slice(0, 3)]).to.deep.equal([1, 32768, [1000, 501, 0]]);
    await write(0, 600, { hash: 6n, adaptiveLevels: levels(200) });
    // The old chunk's sizes go: ⌊600·200/255⌋ = 470 is all that is left.
    expect([status.validChunkCount, status.uncompressedSize, status.adaptiveLevelSizes.slice(0, 3)]).to.deep.equal([1, 32768, [470, 0, 0]]);
    await write(1, 0, { hash: CONSTANT_ONE, adaptiveLevels: levels() });
    await write(2, 0, { hash: 0xFFFFFFFFFFFFFFFFn, adaptiveLevels: levels() });
    expect([status.validChunkCount, status.uncompressedSize, status.adaptiveLevelSizes[0]]).to.deep.equal([3, 32768, 470]);
    await write(3, 300, { hash: 9n, adaptiveLevels: levels(255, 255, 51) });
    // 300 more at levels 0 and 1, ⌊300·51/255⌋ = 60 at level 2.
    expect([status.validChunkCount, status.uncompressedSize, status.adaptiveLevelSizes.slice(0, 4)]).to.deep.equal([4, 65536, [770, 300, 60, 0]]);
    await dataset.flush();
    await dataset.close();
    const container = await BulkDataStore.open(path, false);
    try {
      expect(decodeLayerMetadata(container.file(wavelet!.name)!.fileMetadata)).to.deep.equal({ compressionMethod: vds.CompressionMethod.Wavelet,
        compressionTolerance: Math.fround(0.1), validChunkCount: 4, uncompressedSize: 65536, adaptiveLevelSizes: [770, 300, 60, ...new Array(13).fill(0)] });
    } finally {
      await container.close();
    }
    await withDataset(path, async (reopened, layer) => {
      const l = layer(wavelet!.name);
      expect(reopened.layerStatus(l.name)!.chunkMetadata).to.deep.equal(status);
      expect(await reopened.chunkMetadata(l, 3)).to.deep.equal({ hash: 9n, serializedSize: 300, adaptiveLevels: levels(255, 255, 51) });
      // Level 2 of chunk 3: ⌊⌊⌊300·255/255⌋·255/255⌋·51/255⌋ = 60 bytes.
      expect((await reopened.readChunk(l, 3, { metadata: { hash: 9n }, adaptiveLevel: 2 })).length).to.equal(60);
      expect(await reopened.chunkMetadata(l, 1)).to.deep.equal({ hash: CONSTANT_ONE, serializedSize: 0, adaptiveLevels: levels() });
    });
  });

  it('non-wavelet layers count a chunk once; their file keeps only the valid chunk count', async () => {
    const path = join(dir, 'zip.vds');
    const layout = smallLayout();
    const dataset = new VdsFileDataset(path);
    await dataset.create(layout);
    const [zip] = layersOf(layout).lodLayers(vds.DimensionsND.Dimensions_012, 0);
    const status = dataset.produceLayer(zip!, { compressionMethod: vds.CompressionMethod.Zip, compressionTolerance: 0, chunkMetadataPageSize: 1024 }).chunkMetadata!;
    await dataset.writeChunk(zip!, 0, new Uint8Array(10), { hash: 5n }, 32768);
    await dataset.writeChunk(zip!, 0, new Uint8Array(20), { hash: 6n }, 32768);
    await dataset.writeChunk(zip!, 1, new Uint8Array(0), { hash: CONSTANT_ONE }, 32768);
    expect([status.validChunkCount, status.uncompressedSize]).to.deep.equal([2, 32768]);
    await dataset.flush();
    await dataset.close();
    await withDataset(path, async (reopened, layer) => {
      expect(reopened.layerStatus(zip!.name)!.chunkMetadata).to.deep.include({ chunkMetadataByteSize: 8, validChunkCount: 2, uncompressedSize: 0 });
      expect(await reopened.chunkMetadata(layer(zip!.name), 0)).to.deep.equal({ hash: 6n, serializedSize: 20 });
    });
  });

  it('producing a layer again replaces it (AccessMode_Create), unless it keeps its chunks (rewriting in place)', async () => {
    const path = join(dir, 'replaced.vds');
    const layout = smallLayout();
    const created = new VdsFileDataset(path);
    await created.create(layout);
    const [lod0] = layersOf(layout).lodLayers(vds.DimensionsND.Dimensions_012, 0);
    created.produceLayer(lod0!, { compressionMethod: vds.CompressionMethod.None, compressionTolerance: 0, chunkMetadataPageSize: 4 });
    await created.writeChunk(lod0!, 2, new Uint8Array([1]), { hash: 5n }, 32768);
    await created.flush();
    await created.close();
    await withDataset(path, async (dataset, layer) => {
      const l = layer(lod0!.name);
      const kept = dataset.produceLayer(l, { compressionMethod: vds.CompressionMethod.Zip, compressionTolerance: 0, chunkMetadataPageSize: 8, keepChunks: true });
      expect([kept.compressionMethod, kept.chunkMetadata!.chunkMetadataPageSize, kept.chunkMetadata!.validChunkCount])
        .to.deep.equal([vds.CompressionMethod.None, 4, 1]);
      expect((await dataset.chunkMetadata(l, 2)).hash).to.equal(5n);
      const replaced = dataset.produceLayer(l, { compressionMethod: vds.CompressionMethod.Zip, compressionTolerance: 0, chunkMetadataPageSize: 8 });
      expect([replaced.compressionMethod, replaced.chunkMetadata!.chunkMetadataPageSize, replaced.chunkMetadata!.validChunkCount])
        .to.deep.equal([vds.CompressionMethod.Zip, 8, 0]);
      expect((await dataset.chunkMetadata(l, 2)).hash).to.equal(0n);
      // Produced in memory only: a reading handle takes no lock until it flushes.
      expect(await stat(`${path}.lock`).catch(() => 'none')).to.equal('none');
      await dataset.flush();
      expect(await stat(`${path}.lock`).then(() => 'held')).to.equal('held');
    });
    expect(await stat(`${path}.lock`).catch(() => 'gone')).to.equal('gone');
    await withDataset(path, async (dataset, layer) => {
      expect(dataset.layerStatus(lod0!.name)).to.deep.include({ compressionMethod: vds.CompressionMethod.Zip });
      expect((await dataset.chunkMetadata(layer(lod0!.name), 2)).hash).to.equal(0n);
    });
  });

  it('refuses chunks of layers never produced, of the wrong shape, and work on a closed or unopened handle', async () => {
    const path = join(dir, 'refusals.vds');
    const layout = smallLayout();
    const dataset = new VdsFileDataset(path);
    const [lod0] = layersOf(layout).lodLayers(vds.DimensionsND.Dimensions_012, 0);
    expect(() => dataset.layerStatuses()).not.to.throw();
    expect((await rejection(dataset.chunkMetadata(lod0!, 0))).message).to.equal(`${path} is not open: call open or create first`);
    expect(() => dataset.produceLayer(lod0!, { compressionMethod: vds.CompressionMethod.None, compressionTolerance: 0, chunkMetadataPageSize: 4 }))
      .to.throw(vds.InvalidOperationError, `${path} is not open: call open or create first`);
    await dataset.create(layout);
    const unproduced = await rejection(dataset.writeChunk(lod0!, 0, new Uint8Array(1), { hash: 5n }, 1));
    expect(unproduced).to.be.instanceOf(vds.InvalidOperationError);
    expect(unproduced.message).to.equal(`Cannot write chunk Dimensions_012LOD0/0 to ${path}: layer Dimensions_012LOD0 was not produced`);
    expect(() => dataset.produceLayer(lod0!, { compressionMethod: vds.CompressionMethod.None, compressionTolerance: 0, chunkMetadataPageSize: 0 }))
      .to.throw(vds.InvalidArgumentError, 'chunkMetadataPageSize of layer Dimensions_012LOD0 must be a positive integer, got 0');
    dataset.produceLayer(lod0!, { compressionMethod: vds.CompressionMethod.Wavelet, compressionTolerance: 0.1, chunkMetadataPageSize: 4 });
    expect((await rejection(dataset.writeChunk(lod0!, 16, new Uint8Array(1), { hash: 5n }, 1))).message)
      .to.equal('Chunk index 16 is outside layer Dimensions_012LOD0 (0…15)');
    expect((await rejection(dataset.writeChunk(lod0!, 0, new Uint8Array(1), { hash: 5n, adaptiveLevels: new Uint8Array(3) }, 1))).message)
      .to.equal('Chunk Dimensions_012LOD0/0 has 3 adaptive levels, expected 16');
    // Opening again reads the file afresh: the layer produced but never flushed is gone.
    await dataset.open();
    expect(dataset.layerStatuses()).to.deep.equal([]);
    await dataset.close();
    expect((await rejection(dataset.chunkMetadata(lod0!, 0))).message).to.equal(`${path} is closed`);
    expect((await rejection(dataset.flush())).message).to.equal(`${path} is closed`);
    // A closed handle opens again (the next VDS of a copy, say).
    expect(serializeVolumeDataLayoutJson(await dataset.open())).to.equal(serializeVolumeDataLayoutJson(layout));
    await dataset.close();
    const missing = await rejection(new VdsFileDataset(join(dir, 'missing.vds')).open());
    expect(missing).to.be.instanceOf(vds.NotFoundError);
    expect(missing.message).to.contain(`Cannot open ${join(dir, 'missing.vds')}`).and.to.contain('ENOENT');
    // A container with no layout holds no dataset: one with no files at all is a create that stopped before its layout.
    await (await BulkDataStore.create(join(dir, 'empty.vds'))).close();
    const empty = await rejection(new VdsFileDataset(join(dir, 'empty.vds'), 'write').open());
    expect(empty).to.be.instanceOf(vds.NotFoundError);
    expect(empty.message).to.equal(`${join(dir, 'empty.vds')} was not completely created (its create or copy was interrupted): ` +
      'it has no VolumeDataLayout file; create or copy it again');
    expect(await stat(`${join(dir, 'empty.vds')}.lock`).catch(() => 'released')).to.equal('released');
  });

  it('a deferred create (a copy) writes the layout last, and a repeated copy finds the chunks the file holds', async () => {
    const path = join(dir, 'deferred.vds');
    const layout = smallLayout();
    const [lod0] = layersOf(layout).lodLayers(vds.DimensionsND.Dimensions_012, 0);
    const copy = async (first: boolean): Promise<boolean[]> => {
      const dataset = new VdsFileDataset(path, 'write');
      await dataset.open().catch((error: unknown) => expect(error).to.be.instanceOf(vds.NotFoundError));
      await dataset.create(layout, { deferred: true });
      dataset.produceLayer(lod0!, { compressionMethod: vds.CompressionMethod.Zip, compressionTolerance: 0, chunkMetadataPageSize: 4 });
      const written = [
        await dataset.writeChunk(lod0!, 0, new Uint8Array(1000).fill(3), { hash: 11n }, 32768, { ifChanged: true }),
        await dataset.writeChunk(lod0!, 1, new Uint8Array(0), { hash: CONSTANT_ONE }, 32768, { ifChanged: true }),
        // Chunk 0 again, in the same session: already recorded.
        await dataset.writeChunk(lod0!, 0, new Uint8Array(1000).fill(3), { hash: 11n }, 32768, { ifChanged: true }),
      ];
      // A new file is no dataset before the flush: the layout comes after the layer files.
      if (first) expect(await rejection(new VdsFileDataset(path).open())).to.be.instanceOf(vds.NotFoundError);
      await dataset.flush();
      await dataset.close();
      return written;
    };
    const extentOfChunk0 = async () => {
      const container = await BulkDataStore.open(path, false);
      try {
        const { offset, length } = await container.readIndexEntry(container.file(lod0!.name)!, 0);
        return { offset, length, fileSize: (await stat(path)).size };
      } finally {
        await container.close();
      }
    };
    expect(await copy(true)).to.deep.equal([true, true, false]);
    const first = await extentOfChunk0();
    expect(await copy(false)).to.deep.equal([false, false, false]);
    // The second copy wrote no chunk bytes: its new layer file points at the first copy's extent.
    const second = await extentOfChunk0();
    expect([second.offset, second.length]).to.deep.equal([first.offset, 1000]);
    expect(second.fileSize).to.be.above(first.fileSize);
    await withDataset(path, async (dataset, layer) => {
      expect(dataset.layerStatus(lod0!.name)!.chunkMetadata!.validChunkCount).to.equal(2);
      expect([...(await dataset.readChunk(layer(lod0!.name), 0, { metadata: { hash: 11n } })).subarray(0, 3)]).to.deep.equal([3, 3, 3]);
    });
  });

  it('finds the .vds file a URL names, and binds a dataset to a signal', async () => {
    expect(vdsFileDatasetFor('survey.vds')?.path).to.equal(join(process.cwd(), 'survey.vds'));
    expect(vdsFileDatasetFor('file:///data/Survey.VDS', 'update')).to.deep.include({ path: '/data/Survey.VDS', mode: 'write' });
    expect(vdsFileDatasetFor('/data/survey')).to.equal(undefined);
    expect(vdsFileDatasetFor('s3://bucket/survey.vds')).to.equal(undefined);
    expect(vdsFileDatasetAt('/data/survey.bin', 'create').mode).to.equal('write');
    expect(() => vdsFileDatasetAt('')).to.throw(vds.InvalidArgumentError, 'VDSFileOpenOptions needs a fileName');
    const controller = new AbortController();
    const dataset = new VdsFileDataset(SUBSET);
    const bound = datasetWithSignal(dataset, controller.signal);
    await bound.open();
    expect(bound.layerStatuses()).to.have.length(9);
    controller.abort();
    expect(await rejection(bound.flush())).to.be.instanceOf(vds.CanceledError);
    expect(bound.layerStatuses()).to.have.length(9);
    await bound.close();
    expect(await rejection(dataset.flush())).to.be.instanceOf(vds.InvalidOperationError);
  });

  it('a wavelet .vds written by the encoder reads as its folder twin, at best quality and coarser levels, with the same counters', async function () {
    this.timeout(60_000);
    const volume = syntheticVolume(DATASET_SIZE);
    await writeWaveletDataset(join(dir, 'twin'), volume, vds.CompressionMethod.Wavelet, 0.02);
    await writeWaveletDataset(join(dir, 'twin.vds'), volume, vds.CompressionMethod.Wavelet, 0.02);
    for (const tolerance of [undefined, 0.2, 2]) {
      const [folder, file] = [await readWithRxvds(join(dir, 'twin'), tolerance), await readWithRxvds(join(dir, 'twin.vds'), tolerance)];
      expect(sha256(file), `tolerance ${tolerance}`).to.equal(sha256(folder));
    }
    const folderStatus = JSON.parse(await readFile(join(dir, 'twin', 'LayerStatus'), 'utf8')) as { validChunkCount: number; uncompressedSize: number; adaptiveLevelSizes: number[] }[];
    await withDataset(join(dir, 'twin.vds'), async (dataset) => {
      const status = dataset.layerStatus('Dimensions_012LOD0')!.chunkMetadata!;
      // 3 × 2 × 2 chunks of 32³ (clipped at 70 × 50 × 40) R32 samples.
      expect([status.validChunkCount, status.uncompressedSize]).to.deep.equal([12, 70 * 50 * 40 * 4]);
      expect([status.validChunkCount, status.uncompressedSize, status.adaptiveLevelSizes])
        .to.deep.equal([folderStatus[0]!.validChunkCount, folderStatus[0]!.uncompressedSize, folderStatus[0]!.adaptiveLevelSizes]);
      expect(status.adaptiveLevelSizes[0]).to.be.above(0);
    });
  });

  it('writeLayout commits the layout file, which wins over a legacy VDSObject', async () => {
    const path = join(dir, 'relayout.vds');
    await writeFile(path, await readFile(SUBSET));
    const layout = await withDataset(path, async (dataset, _layer, original) => {
      const changed = new vds.MetadataContainer();
      changed.setMetadataString('rxvds', 'Note', 'rewritten');
      const layout = new vds.VolumeDataLayout(original.getLayoutDescriptor(), original.axisDescriptors, original.channelDescriptors, changed);
      await dataset.writeLayout(layout);
      return layout;
    });
    await withDataset(path, async (dataset, _layer, reread) => {
      expect(reread.getMetadataString('rxvds', 'Note')).to.equal('rewritten');
      expect(serializeVolumeDataLayoutJson(reread)).to.equal(serializeVolumeDataLayoutJson(layout));
      expect(dataset.layerStatuses()).to.have.length(9);
    });
  });
});

const SIZE: [number, number, number] = [97, 61, 130];
const firstValues: VoxelFunction = (x, y, z) => (z >= 96 ? 7 : (x * 73 + y * 151 + z * 283) % 251);
const secondValues: VoxelFunction = (x, y, z) => (x + 2 * y + 3 * z) % 256;

async function writeDataset(path: string, value: VoxelFunction, mode = vds.AccessMode.AccessMode_Create, existing?: vds.VDS): Promise<void> {
  const channel = new vds.VolumeDataChannelDescriptor(vds.VolumeDataFormat.Format_U8, vds.VolumeDataComponents.Components_1, 'Value', '', 0, 255);
  const handle = existing ?? await vds.create(path, '', new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_32, 2, 2, 1, vds.LODLevels.LODLevels_2),
    [new vds.VolumeDataAxisDescriptor(SIZE[0], 'Sample', 'ms', 0, 96), new vds.VolumeDataAxisDescriptor(SIZE[1], 'Crossline', '', 0, 60),
      new vds.VolumeDataAxisDescriptor(SIZE[2], 'Inline', '', 0, 129)], [channel], new vds.MetadataContainer(), vds.CompressionMethod.Zip);
  const accessor = vds.getAccessManager(handle).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 8, mode);
  for (let chunk = 0; chunk < accessor.getChunkCount(); chunk++) {
    const page = accessor.createPage(chunk);
    const [min, max] = page.getMinMax();
    fillBox(page.getWritableBuffer(), vds.VolumeDataFormat.Format_U8, 1, min, max, value);
    await page.release();
  }
  await accessor.commit();
  await vds.close(handle);
}

async function readWhole(path: string, lod = 0): Promise<Uint8Array> {
  const dataset = await vds.open(path);
  try {
    const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], SIZE, { lod, format: vds.VolumeDataFormat.Format_U8 });
    expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
    return (request.data as Uint8Array).slice();
  } finally {
    await vds.close(dataset);
  }
}

function mismatches(data: Uint8Array, value: VoxelFunction): number {
  let bad = 0;
  let i = 0;
  for (let z = 0; z < SIZE[2]; z++) for (let y = 0; y < SIZE[1]; y++) for (let x = 0; x < SIZE[0]; x++, i++) if (data[i] !== value(x, y, z)) bad++;
  return bad;
}

describe('.vds dataset: writing with the engine', function () {
  this.timeout(60_000);
  let dir: string;
  let path: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rxvds-vds-'));
    path = join(dir, 'written.vds');
    await writeDataset(path, firstValues);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('reopens with the layer files, chunk metadata and counters the engine wrote', async () => {
    await withDataset(path, async (dataset, layer) => {
      const entries = dataset.layerStatuses();
      expect(entries.map((e) => [e.layerName, vds.CompressionMethod[e.compressionMethod], e.chunkMetadata!.chunkCount, e.chunkMetadata!.validChunkCount,
        e.chunkMetadata!.chunkMetadataByteSize])).to.deep.equal([
        ['Dimensions_012LOD0', 'Zip', 60, 60, 8], ['Dimensions_012LOD1', 'Zip', 12, 12, 8], ['Dimensions_012LOD2', 'Zip', 2, 2, 8]]);
      let constants = 0;
      for (const entry of entries) {
        const l = layer(entry.layerName);
        for (let chunk = 0; chunk < l.chunkCount; chunk++) {
          const metadata = await dataset.chunkMetadata(l, chunk);
          const bytes = await dataset.readChunk(l, chunk, { metadata });
          expect(bytes.length, `${l.name}/${chunk}`).to.equal(metadata.serializedSize);
          if (bytes.length === 0) {
            constants++;
            expect(metadata.hash >> 32n, `${l.name}/${chunk}`).to.equal(0x01010101n);
          } else {
            // A Zip DataBlock of this chunk's shape.
            expect(i32s(bytes, 2), `${l.name}/${chunk}`).to.deep.equal([3, l.blockShape(chunk).size[0]]);
          }
        }
      }
      expect(constants).to.equal(17);
    });
    expect(mismatches(await readWhole(path), firstValues)).to.equal(0);
    expect((await readWhole(path, 2)).length).to.equal(25 * 16 * 33);
  });

  it('rewrites an existing file in place and keeps the last commit when a writer dies before flushing', async () => {
    const copy = join(dir, 'rewritten.vds');
    await writeFile(copy, await readFile(path));
    const committedHeader = (await readFile(copy)).subarray(0, 32);
    const committedSize = (await stat(copy)).size;
    // A second session through the engine: read mode becomes the writer at the first chunk write.
    const dataset = await vds.open(copy);
    await writeDataset(copy, secondValues, vds.AccessMode.AccessMode_Create, dataset);
    expect(mismatches(await readWhole(copy), secondValues)).to.equal(0);
    // A crash before the header write: all new extents are there, the header is the old one.
    const crashed = join(dir, 'crashed.vds');
    const bytes = await readFile(copy);
    bytes.set(committedHeader, 0);
    await writeFile(crashed, bytes);
    expect(mismatches(await readWhole(crashed), firstValues)).to.equal(0);
    await truncate(crashed, committedSize);
    expect(mismatches(await readWhole(crashed), firstValues)).to.equal(0);
    // Chunks written but never flushed are not part of the file.
    await withDataset(crashed, async (writer, layer) => {
      await writer.writeChunk(layer('Dimensions_012LOD0'), 0, new Uint8Array(0), { hash: 0x0101010140000000n }, 36 * 36 * 36);
      expect(await writer.chunkMetadata(layer('Dimensions_012LOD0'), 0)).to.deep.equal({ hash: 0x0101010140000000n, serializedSize: 0 });
    }, 'write');
    expect(mismatches(await readWhole(crashed), firstValues)).to.equal(0);
  });

  it('addresses extents beyond 4 GiB without loading the file', async () => {
    const big = join(dir, 'big.vds');
    await writeDataset(big, firstValues);
    // Grow the file sparsely: new extents are appended after 5 GiB of holes.
    await truncate(big, 5 * 2 ** 30);
    const dataset = await vds.open(big);
    await writeDataset(big, secondValues, vds.AccessMode.AccessMode_Create, dataset);
    const container = await BulkDataStore.open(big, false);
    try {
      const entry = await container.readIndexEntry(container.file('Dimensions_012LOD0')!, 0);
      expect(entry.offset).to.be.at.least(5 * 2 ** 30);
    } finally {
      await container.close();
    }
    expect(mismatches(await readWhole(big), secondValues)).to.equal(0);
  });

  it('gives clear errors for every cut of the file and for corrupt header and table fields', async () => {
    const original = await readFile(path);
    const probe = join(dir, 'probe.vds');
    const reference = await readEverything(path);
    const outcome = async (bytes: Uint8Array): Promise<string> => {
      await writeFile(probe, bytes);
      try {
        const all = await readEverything(probe);
        return all.size === reference.size && [...reference].every(([k, v]) => all.get(k) === v) ? 'identical' : 'different';
      } catch (error) {
        expect(error, String(error)).to.be.instanceOf(vds.ReadError);
        expect((error as Error).message).to.contain(probe);
        return 'error';
      }
    };
    const cuts = new Set<number>();
    for (let n = 0; n < 64; n++) cuts.add(n);
    for (let n = 64; n < original.length; n += 997) cuts.add(n);
    for (let n = original.length - 200; n < original.length; n++) cuts.add(n);
    for (const n of cuts) expect(await outcome(original.subarray(0, n)), `cut at ${n}`).to.equal('error');

    const header = new DataView(original.buffer, original.byteOffset, 32);
    const tableOffset = Number(header.getBigInt64(16, true));
    const field = (at: number, value: number | bigint, bytes = 4) => {
      const copy = Buffer.from(original);
      if (bytes === 8) copy.writeBigInt64LE(BigInt(value), at); else copy.writeInt32LE(Number(value), at);
      return copy;
    };
    const corruptions: [string, Uint8Array, string][] = [
      ['magic', (() => { const c = Buffer.from(original); c[0] = 0x58; return c; })(), 'does not start with "HueDataStore"'],
      ['version', field(12, 0x20000), 'unsupported data-store version 0x20000'],
      ['fileTableOffset', field(16, 1n << 40n, 8), 'the file table'],
      ['fileTableOffset < 0', field(16, -5n, 8), 'header fileTableOffset -5 is out of range'],
      ['fileTableCount', field(24, 100000), 'the file table (100000 entries'],
      ['fileTableCount < 0', field(24, -1), 'header fileTableCount -1 is negative'],
      ['fileNameLength', field(28, -8), 'header fileNameLength -8 is out of range'],
      ['page directory offset', field(tableOffset, BigInt(original.length), 8), 'the page directory of'],
      ['chunk count', field(tableOffset + 8, -3), 'has chunk count -3'],
      ['revision', field(tableOffset + 12, -1), 'has revision number -1'],
      ['index page entry count', field(tableOffset + 16, 0), 'has 0 entries per index page'],
      ['chunk metadata length', field(tableOffset + 24, 5000), 'has chunk metadata length 5000'],
    ];
    for (const [what, bytes, message] of corruptions) {
      await writeFile(probe, bytes);
      const error = await rejection(readEverything(probe));
      expect(error, what).to.be.instanceOf(vds.ReadError);
      expect(error.message, what).to.contain(`Corrupt .vds file ${probe}: `).and.to.contain(message);
    }
    const opened = await rejection(vds.open(join(dir, 'missing.vds')));
    expect(opened.message).to.contain(`Cannot open ${join(dir, 'missing.vds')}`).and.to.contain('ENOENT');
  });

  it('reports corrupt index entries, a broken VDSObject and unknown compression with the file and the place', async () => {
    const original = await readFile(SUBSET);
    const probe = join(dir, 'subset-probe.vds');
    // Index page of Dimensions_012LOD0 at 1737821: entry 0's offset beyond the end.
    const bad = Buffer.from(original);
    bad.writeBigInt64LE(BigInt(original.length), 1737821);
    await writeFile(probe, bad);
    let error = await rejection(withDataset(probe, async (dataset, layer) => dataset.chunkMetadata(layer('Dimensions_012LOD0'), 0)));
    expect(error.message).to.equal(`Corrupt .vds file ${probe}: chunk 0 of "Dimensions_012LOD0" (1360968 bytes at offset ${original.length}) lies outside the ${original.length}-byte file`);
    // The VDSObject text starts at 2008157; break its first '{'.
    const broken = Buffer.from(original);
    const brace = original.indexOf('{', 2008157);
    broken[brace] = 0x3B;
    await writeFile(probe, broken);
    error = await rejection(vds.open(probe));
    expect(error.message).to.contain(`Corrupt .vds file ${probe}: its VDSObject cannot be read: expected "{" at line 2, column 1 (found ";")`);
    // Unknown compression method in the layer file metadata.
    const method = Buffer.from(original);
    // Its file metadata follows the 16-byte previous-revision link of its page directory (at 10174).
    method.writeInt32LE(42, 10174 + 16);
    await writeFile(probe, method);
    error = await rejection(new VdsFileDataset(probe).open());
    expect(error).to.be.instanceOf(vds.ReadError);
    expect(error.message).to.equal(`Corrupt .vds file ${probe}: layer file "Dimensions_012LOD0" has unknown compression method 42`);
    expect(await stat(`${probe}.lock`).catch(() => 'none')).to.equal('none');
  });
});

describe('VDSObject parser and translation', () => {
  const minimal = (body: string) => `CreateObj("HueVDS", "", 12)\n{\nFullVCSize="HUEVCSIZE_64";\nLODLevels="LODLevel0";\n` +
    `Dimensions="HUEDIMENSION_2";\nDimension0Size=10;\nDimension1Size=20;\nVoxelFormat="HUEVOXELFORMAT_U8";\n` +
    `VoxelComponents="HUEVOXELCOMPONENTS_1";\n${body}}\n`;

  it('parses values, sub-objects, counted lists, BLOBs and child objects', () => {
    const root = parseVdsObject('CreateObj("T", "", 1) { A=1; B=-2.5e3; C="say \\"hi\\""; D: { X=1; Y: { Z=2; } } ' +
      'E: { 2, { K=1; }, { K=2; } } F=N:3:0aFF10; G=N:0:; CreateObj("M", "MetadataList", 2) { Name="n"; } CreateObj("M", "", 3) { H=4; } }');
    expect((root.get('A') as VdsObjectNumber).text).to.equal('1');
    expect(root.get('B')).to.deep.equal(new VdsObjectNumber('-2.5e3', true));
    expect(root.get('C')).to.equal('say "hi"');
    expect(((root.get('D') as Map<string, unknown>).get('Y') as Map<string, unknown>).get('Z')).to.deep.equal(new VdsObjectNumber('2', false));
    expect((root.get('E') as Map<string, unknown>[]).map((e) => (e.get('K') as VdsObjectNumber).text)).to.deep.equal(['1', '2']);
    expect(root.get('F')).to.deep.equal(new VdsObjectBlob('0aFF10'));
    expect(root.has('G')).to.equal(false);
    expect((root.get('MetadataList') as Map<string, unknown>[])[0]!.get('Name')).to.equal('n');
    expect((root.get('H') as VdsObjectNumber).text).to.equal('4');
  });

  it('translates metadata, booleans and derived integer scales as OpenVDS does', () => {
    const json = JSON.parse(vdsObjectToLayoutJson(minimal('ValueRange: { Min=-1; Max=1; }\nUseNoValue="TRUE";\nDiscreteData="FALSE";\n' +
      'Create2DLODs="yes";\nVolumeDataChannelDescriptor: { 1, { Format="HUEVOXELFORMAT_1BIT"; Components="HUEVOXELCOMPONENTS_4"; Name="Mask"; ' +
      'ChannelMapping=42; Renderable="FALSE"; } }\n' +
      'CreateObj("MetadataBLOB", "VDSMetadataList", 5) { Name="Blob"; Category="C"; Type="BLOB"; Value=N:4:DEADBEEF; }\n' +
      'CreateObj("MetadataIntVector3", "VDSMetadataList", 6) { Name="V"; Category="C"; Type="IntVector3"; Value: { X=1; Y=2; Z=3; } }\n')));
    expect(json.layoutDescriptor).to.deep.equal({ brickSize: 'BrickSize_64', brickSize2DMultiplier: 4, create2DLODs: true,
      forceFullResolutionDimension: false, fullResolutionDimension: 0, lodLevels: 'LODLevels_None', negativeMargin: 0, positiveMargin: 0 });
    expect(json.axisDescriptors.map((a: { numSamples: number }) => a.numSamples)).to.deep.equal([10, 20]);
    expect(json.channelDescriptors[0]).to.deep.include({ format: 'Format_U8', useNoValue: true, allowLossyCompression: true,
      integerScale: Math.fround(2 / 254), integerOffset: -1, mappedValues: 0, channelMapping: 'Direct' });
    expect(json.channelDescriptors[1]).to.deep.include({ format: 'Format_1Bit', components: 'Components_4', name: 'Mask', channelMapping: 'Direct',
      mappedValues: 1, renderable: false, allowLossyCompression: false, integerScale: 1, integerOffset: 0 });
    expect(json.metadata).to.deep.equal([
      { category: 'C', name: 'Blob', type: 'BLOB', value: Buffer.from([0xde, 0xad, 0xbe, 0xef]).toString('base64') },
      { category: 'C', name: 'V', type: 'IntVector3', value: [1, 2, 3] }]);
  });

  it('names the problem and its place in malformed text', () => {
    const cases: [string, string][] = [
      ['CreateObj("T", "", 1) { A=1 }', 'expected ";" at line 1, column 29 (found "}")'],
      ['CreateObj("T", "", 1) { A=B; }', 'expected a number, string or BLOB, got "B" at line 1, column 27'],
      ['CreateObj("T", "", 1) {\n A="open', 'unterminated string at line 2, column 4'],
      ['CreateObj("T", "", 1) { A=N:2:12zz; }', 'BLOB of 2 bytes holds characters that are not hex digits'],
      ['CreateObj("T", "", 1) { A=N:4:12; }', 'BLOB of 4 bytes is cut off'],
      ['CreateObj("T", "", 1) { A: { 2, { B=1; } } }', 'expected "," at line 1, column 42 (found "}")'],
      ['CreateObj("T", "", 1) { A=1;', 'expected a key, but the text ended'],
      ['Create("T", "", 1) {}', 'expected CreateObj at line 1, column 1'],
    ];
    for (const [source, message] of cases) expect(() => parseVdsObject(source), source).to.throw(message);
    expect(() => vdsObjectToLayoutJson('CreateObj("T", "", 1) { }')).to.throw('VDSObject FullVCSize is missing or not a string');
    expect(() => vdsObjectToLayoutJson(minimal('').replace('HUEVCSIZE_64', 'BIG'))).to.throw('VDSObject FullVCSize "BIG" is not HUEVCSIZE_<number>');
    expect(() => vdsObjectToLayoutJson(minimal('').replace('HUEVOXELFORMAT_U8', 'U8'))).to.throw('VDSObject VoxelFormat "U8" is not a HUEVOXELFORMAT_ value');
  });
});
