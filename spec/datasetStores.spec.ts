// The dataset layer's contract (src/engine/datasetStore.ts), run over every implementation: what
// the engine relies on when it reads and writes a dataset, whatever holds the bytes.
import { expect } from 'chai';
import * as vds from '../src/index.js';
import type { DatasetStore } from '../src/engine/datasetStore.js';
import type { VolumeDataLayer } from '../src/model/geometry/layers.js';
import { layersOf, VolumeDataLayout } from '../src/model/layout/volumeDataLayout.js';
import { NOVALUE_HASH, constantValueHash } from '../src/codecs/volumeDataHash.js';
import { ObjectDataset } from '../sources/dataset/objectDataset.js';
import { VdsFileDataset } from '../sources/dataset/vdsFileDataset.js';
import { FolderStore } from '../sources/stores/folderStore.js';
import { MemoryStore } from '../sources/stores/memoryStore.js';
import { rejection } from './support/rejection.js';
import { useTempFolder } from './support/tempFolder.js';

/** A 3D layout of 70 × 50 × 40 samples in 32³ bricks (3 × 2 × 2 chunks) with one LOD. */
function testLayout(): VolumeDataLayout {
  return new VolumeDataLayout(
    new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_32, 0, 0, 1, vds.LODLevels.LODLevels_1),
    [new vds.VolumeDataAxisDescriptor(70, 'Sample', 'ms', 0, 69), new vds.VolumeDataAxisDescriptor(50, 'Crossline', '', 0, 49),
      new vds.VolumeDataAxisDescriptor(40, 'Inline', '', 0, 39)],
    [new vds.VolumeDataChannelDescriptor(vds.VolumeDataFormat.Format_U8, vds.VolumeDataComponents.Components_1, 'Value', '', 0, 255)],
    new vds.MetadataContainer());
}

function primary(layout: VolumeDataLayout, lod = 0): VolumeDataLayer {
  const layers = layersOf(layout);
  return layers.get(vds.DimensionsND.Dimensions_012, lod, 0)!;
}

/** LayerStatus keeps every counter: 3 valid chunks, of which only the 100-byte one has bytes. */
const OBJECT_COUNTERS = { validChunkCount: 3, uncompressedSize: 32768, serializedSize: 100 };

const zip = { compressionMethod: vds.CompressionMethod.Zip, compressionTolerance: 0, chunkMetadataPageSize: 4 };

interface Implementation {
  name: string;
  /** The layer counters its storage keeps (a .vds layer file of a hash-only layer keeps only the chunk count). */
  counters: Record<string, number>;
  /** A fresh, empty place, and how to open it again. */
  place(): () => DatasetStore;
}

describe('dataset layer contract', function () {
  this.timeout(30_000);
  const inFolder = useTempFolder('datasets');
  let count = 0;
  const implementations: Implementation[] = [
    { name: 'ObjectDataset over a MemoryStore', counters: OBJECT_COUNTERS, place: () => { const name = `datasets-${process.pid}-${++count}`; return () => new ObjectDataset(new MemoryStore(name)); } },
    { name: 'ObjectDataset over a FolderStore', counters: OBJECT_COUNTERS, place: () => { const path = inFolder(`d${++count}`); return () => new ObjectDataset(new FolderStore(path)); } },
    // Read mode: the first write takes the writer lock, as OpenVDS opens files.
    { name: 'VdsFileDataset over a .vds file', counters: { validChunkCount: 3 }, place: () => { const path = inFolder(`d${++count}.vds`); return () => new VdsFileDataset(path); } },
  ];

  for (const { name, counters, place } of implementations) {
    describe(name, () => {
      it('opens nothing where there is no dataset (NotFoundError), and an empty dataset once created', async () => {
        const at = place();
        const error = await rejection(at().open());
        expect(error).to.be.instanceOf(vds.NotFoundError);
        expect((error as vds.NotFoundError).code).to.equal(404);
        const created = at();
        await created.create(testLayout());
        await created.close();
        const reopened = at();
        const layout = await reopened.open();
        expect(layout.getContentsHash()).to.equal(testLayout().getContentsHash());
        expect(reopened.layerStatuses()).to.deep.equal([]);
        await reopened.close();
      });

      it('stores chunks with their metadata, makes them visible on flush, and reads them back whole', async () => {
        const at = place();
        const layout = testLayout();
        const layer = primary(layout);
        const writer = at();
        await writer.create(layout);
        const entry = writer.produceLayer(layer, zip);
        expect(entry).to.include({ layerName: 'Dimensions_012LOD0', lod: 0, compressionMethod: vds.CompressionMethod.Zip });
        expect(entry.chunkMetadata).to.include({ chunkCount: 12, chunkMetadataPageSize: 4, chunkMetadataByteSize: 8 });
        const bytes = Uint8Array.from({ length: 100 }, (_, i) => i * 7);
        expect(await writer.writeChunk(layer, 5, bytes, { hash: 0x1234n }, 32 * 32 * 32)).to.equal(true);
        expect(await writer.writeChunk(layer, 6, new Uint8Array(0), { hash: constantValueHash(3) }, 32 * 32 * 32)).to.equal(true);
        expect(await writer.writeChunk(layer, 7, new Uint8Array(0), { hash: NOVALUE_HASH }, 32 * 32 * 32)).to.equal(true);
        await writer.flush();
        await writer.close();

        const reader = at();
        await reader.open();
        const status = reader.layerStatus('Dimensions_012LOD0')!;
        // Constant and no-value chunks count as valid chunks without bytes (OpenVDS's counters).
        expect(status.chunkMetadata).to.include(counters);
        expect((await reader.chunkMetadata(layer, 5)).hash).to.equal(0x1234n);
        expect((await reader.chunkMetadata(layer, 6)).hash).to.equal(constantValueHash(3));
        expect((await reader.chunkMetadata(layer, 0)).hash).to.equal(0n);
        expect([...await reader.readChunk(layer, 5, { metadata: { hash: 0x1234n } })]).to.deep.equal([...bytes]);
        const missing = await rejection(reader.readChunk(layer, 0, { metadata: { hash: 0x99n } }));
        expect(missing).to.be.instanceOf(vds.NotFoundError);
        // A layer the layer status does not list has no never-written chunks: its missing objects are 404s.
        const unlisted = await rejection(reader.chunkMetadata(primary(layout, 1), 0));
        expect(unlisted).to.be.instanceOf(vds.NotFoundError);
        expect((unlisted as Error).message).to.match(/^Object: Dimensions_012LOD1\/0 not found\. \((LayerStatus does not list|.* has no layer) Dimensions_012LOD1\)$/);
        await reader.close();
      });

      it('records a chunk it already holds without writing it again (writeChunk ifChanged), and writes a changed one', async () => {
        const at = place();
        const layout = testLayout();
        const layer = primary(layout);
        const first = at();
        await first.create(layout);
        first.produceLayer(layer, zip);
        await first.writeChunk(layer, 1, Uint8Array.of(1, 2, 3), { hash: 0x51n }, 4096);
        await first.flush();
        await first.close();
        const again = at();
        await again.open();
        again.produceLayer(layer, zip);
        expect(await again.writeChunk(layer, 1, Uint8Array.of(1, 2, 3), { hash: 0x51n }, 4096, { ifChanged: true })).to.equal(false);
        expect(await again.writeChunk(layer, 2, Uint8Array.of(1, 2, 3), { hash: 0x52n }, 4096, { ifChanged: true })).to.equal(true);
        expect(await again.writeChunk(layer, 1, Uint8Array.of(1, 2, 4), { hash: 0x53n }, 4096, { ifChanged: true })).to.equal(true);
        await again.flush();
        await again.close();
        const reader = at();
        await reader.open();
        expect((await reader.chunkMetadata(layer, 1)).hash).to.equal(0x53n);
        expect([...await reader.readChunk(layer, 1, { metadata: { hash: 0x53n } })]).to.deep.equal([1, 2, 4]);
        expect(reader.layerStatus(layer.name)!.chunkMetadata!.validChunkCount).to.equal(2);
        await reader.close();
      });

      it('reads a wavelet chunk at a coarser adaptive level as the prefix its levels give, and sums the levels per layer', async () => {
        const at = place();
        const layout = testLayout();
        const layer = primary(layout);
        const writer = at();
        await writer.create(layout);
        const entry = writer.produceLayer(layer, { ...zip, compressionMethod: vds.CompressionMethod.Wavelet, compressionTolerance: 0.5 });
        expect(entry.chunkMetadata!.chunkMetadataByteSize).to.equal(28);
        const levels = new Uint8Array(16);
        levels.set([128, 64]);
        const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
        await writer.writeChunk(layer, 2, bytes, { hash: 0x4242n, adaptiveLevels: levels }, 32768);
        await writer.flush();
        await writer.close();
        const reader = at();
        await reader.open();
        // Level 0: floor(1000 · 128 / 255) = 501 bytes; level 1: floor(501 · 64 / 255) = 125.
        expect(reader.layerStatus(layer.name)!.chunkMetadata!.adaptiveLevelSizes.slice(0, 3)).to.deep.equal([501, 125, 0]);
        const metadata = await reader.chunkMetadata(layer, 2);
        expect(metadata).to.deep.include({ hash: 0x4242n, serializedSize: 1000 });
        expect([...metadata.adaptiveLevels!.slice(0, 3)]).to.deep.equal([128, 64, 0]);
        expect((await reader.readChunk(layer, 2, { metadata, adaptiveLevel: 1 })).length).to.equal(125);
        expect((await reader.readChunk(layer, 2, { metadata, adaptiveLevel: 0 })).length).to.equal(501);
        expect([...await reader.readChunk(layer, 2, { metadata })]).to.deep.equal([...bytes]);
        await reader.close();
      });

      it('a deferred create opens only after its flush, which writes the layout last', async () => {
        const at = place();
        const layout = testLayout();
        const layer = primary(layout);
        const writer = at();
        await writer.create(layout, { deferred: true });
        writer.produceLayer(layer, zip);
        await writer.writeChunk(layer, 0, Uint8Array.of(9), { hash: 0x77n }, 4096);
        expect(await rejection(at().open())).to.be.instanceOf(vds.NotFoundError);
        await writer.flush();
        await writer.close();
        const reader = at();
        await reader.open();
        expect((await reader.chunkMetadata(layer, 0)).hash).to.equal(0x77n);
        await reader.close();
      });
    });
  }

  it('a folder keeps no chunk record: a page-less layer reads its chunks by object (UNRECORDED hash)', async () => {
    const path = inFolder('pageless');
    const layout = testLayout();
    const layer = primary(layout);
    const writer = new ObjectDataset(new FolderStore(path));
    await writer.create(layout);
    writer.produceLayer(layer, zip);
    await writer.writeChunk(layer, 3, Uint8Array.of(5, 6), { hash: 0x66n }, 4096);
    await writer.flush();
    // Drop the pages from the layer status: the chunk is found from its object alone.
    const store = new FolderStore(path);
    const status = JSON.parse(new TextDecoder().decode(await store.get('LayerStatus'))) as Record<string, unknown>[];
    await store.set('LayerStatus', new TextEncoder().encode(JSON.stringify(status.map((e) => ({ ...e, hasChunkMetadataPages: false })))));
    const reader = new ObjectDataset(new FolderStore(path));
    await reader.open();
    const metadata = await reader.chunkMetadata(layer, 3);
    expect(metadata).to.deep.equal({ hash: 0x7263686e6b000001n, serializedSize: 2 });
    expect((await reader.chunkMetadata(layer, 4)).hash).to.equal(0n);
  });
});
