// Cancelling writes with a signal, and write failures: an aborted commit stops the encodes and
// uploads not done yet and leaves the dataset readable (each chunk old or new, no LayerStatus or
// metadata page naming a missing object); a commit after it writes the rest; an aborted release
// stops waiting for room; the first failed write is reported once.
import { expect } from 'chai';
import * as vds from '../src/index.js';
import { MemoryStore } from '../sources/stores/memoryStore.js';
import type { WriteOptions } from '../sources/stores/store.js';
import { rejection } from './support/rejection.js';
import { chunkJobsInFlight, InstrumentedStore } from './support/slowStore.js';
import { uniqueMemoryUrl, writeTestVolume } from './support/volumes.js';

const SIZE: [number, number, number] = [128, 64, 64];
const value = (x: number, y: number, z: number) => x + 2 * y + 3 * z + 1;

/** Counts chunk uploads, and fails the one named `failKey`. */
class WriteCountingStore extends InstrumentedStore {
  readonly chunkSets: string[] = [];
  activeWrites = 0;
  failKey: string | undefined;

  override async set(key: string, data: Uint8Array, options?: WriteOptions): Promise<void> {
    if (key === this.failKey) throw new vds.StoreError(`Cannot write ${key}: disk full`, 507);
    this.activeWrites++;
    try {
      await super.set(key, data, options);
      if (/LOD\d+\/\d+$/.test(key)) this.chunkSets.push(key);
    } finally {
      this.activeWrites--;
    }
  }
}

async function waitUntil(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A 128 × 64 × 64 R32 dataset (16 LOD 0 chunks of 32³) in a counting store, every page written and held, none committed. */
async function filledAccessor(lodLevels: vds.LODLevels) {
  const name = uniqueMemoryUrl('write-cancel').slice('inmemory://'.length);
  const store = new WriteCountingStore(new MemoryStore(name));
  // Two writes in flight, so the backlog (twice that) is the same on every machine.
  const dataset = await vds.create(store, 'WritesInFlight=2', new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_32, 0, 0, 1, lodLevels),
    [new vds.VolumeDataAxisDescriptor(SIZE[0], 'Sample', 'ms', 0, SIZE[0] - 1), new vds.VolumeDataAxisDescriptor(SIZE[1], 'Crossline', '', 0, SIZE[1] - 1),
      new vds.VolumeDataAxisDescriptor(SIZE[2], 'Inline', '', 0, SIZE[2] - 1)],
    [new vds.VolumeDataChannelDescriptor(vds.VolumeDataFormat.Format_R32, vds.VolumeDataComponents.Components_1, 'Value', '', 0, 1000)],
    new vds.MetadataContainer(), vds.CompressionMethod.Zip, 0);
  const accessor = vds.getAccessManager(dataset).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 16, vds.AccessMode.AccessMode_Create);
  for (let chunk = 0; chunk < accessor.getChunkCount(); chunk++) {
    const page = accessor.createPage(chunk);
    const [min, max] = page.getMinMax();
    const buffer = page.getWritableBuffer() as Float32Array;
    let i = 0;
    for (let z = min[2]!; z < max[2]!; z++) for (let y = min[1]!; y < max[1]!; y++) for (let x = min[0]!; x < max[0]!; x++) buffer[i++] = value(x, y, z);
    await page.release();
  }
  return { name, store, dataset, accessor };
}

/** The whole volume at `lod`, read back from a fresh handle. */
async function readBack(name: string, lod = 0): Promise<Float32Array> {
  const dataset = await vds.open(`inmemory://${name}`);
  try {
    const size = SIZE.map((n) => Math.ceil(n / 2 ** lod));
    const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], SIZE, { lod });
    expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
    const data = request.data as Float32Array;
    expect(data.length).to.equal(size[0]! * size[1]! * size[2]!);
    return data;
  } finally {
    await vds.close(dataset, false);
  }
}

describe('cancelling writes with a signal', function () {
  this.timeout(60_000);

  it('an aborted commit stops the uploads not done, returns once none runs, and leaves every chunk old or new', async () => {
    const { name, store, dataset, accessor } = await filledAccessor(vds.LODLevels.LODLevels_None);
    store.writeDelayMs = 40;
    const controller = new AbortController();
    const committing = accessor.commit({ signal: controller.signal });
    await waitUntil(() => store.chunkSets.length >= 2, 'two chunk uploads');
    controller.abort();
    expect(await rejection(committing)).to.be.instanceOf(vds.CanceledError);
    expect(store.activeWrites, 'uploads still running when commit rejected').to.equal(0);
    const uploaded = store.chunkSets.length;
    expect(uploaded).to.be.within(2, 15);
    await new Promise((r) => setTimeout(r, 150));
    expect(store.chunkSets.length, 'uploads after the abort').to.equal(uploaded);
    await waitUntil(() => chunkJobsInFlight() === 0, 'encode jobs to drain');
    store.writeDelayMs = 0;
    await vds.close(dataset);

    const data = await readBack(name);
    let written = 0;
    for (let chunk = 0; chunk < 16; chunk++) {
      const [cx, cy, cz] = [chunk % 4, Math.floor(chunk / 4) % 2, Math.floor(chunk / 8)];
      // Every voxel of the chunk never written (0), or every one its new value.
      const kinds = new Set<string>();
      for (let z = cz * 32; z < cz * 32 + 32; z++) for (let y = cy * 32; y < cy * 32 + 32; y++) for (let x = cx * 32; x < cx * 32 + 32; x++) {
        const v = data[x + y * 128 + z * 128 * 64]!;
        kinds.add(v === 0 ? 'old' : v === value(x, y, z) ? 'new' : `wrong ${v} at ${x},${y},${z}`);
      }
      expect([...kinds], `chunk ${chunk}`).to.satisfy((k: string[]) => k.length === 1 && (k[0] === 'old' || k[0] === 'new'));
      if (kinds.has('new')) written++;
    }
    expect(written).to.equal(store.chunkSets.filter((key) => key.startsWith('Dimensions_012LOD0/')).length);
  });

  it('a commit after an aborted one writes the rest, LODs included, as an uninterrupted write does', async () => {
    const { name, store, dataset, accessor } = await filledAccessor(vds.LODLevels.LODLevels_1);
    store.writeDelayMs = 40;
    const controller = new AbortController();
    const committing = accessor.commit({ signal: controller.signal });
    await waitUntil(() => store.chunkSets.length >= 2, 'two chunk uploads');
    controller.abort();
    expect(await rejection(committing)).to.be.instanceOf(vds.CanceledError);
    store.writeDelayMs = 0;
    await accessor.commit();
    await vds.close(dataset);

    const reference = await writeTestVolume({ size: SIZE, format: vds.VolumeDataFormat.Format_R32, method: vds.CompressionMethod.Zip,
      value, valueRange: [0, 1000], lodLevels: vds.LODLevels.LODLevels_1 });
    const referenceName = reference.url.slice('inmemory://'.length);
    for (const lod of [0, 1]) {
      const [ours, theirs] = [await readBack(name, lod), await readBack(referenceName, lod)];
      expect(Buffer.from(ours.buffer).equals(Buffer.from(theirs.buffer)), `LOD ${lod}`).to.equal(true);
    }
  });

  it('an already aborted commit writes nothing new and cancels the writes pending; an aborted release stops waiting for room', async () => {
    const { name, store, dataset, accessor } = await filledAccessor(vds.LODLevels.LODLevels_None);
    // Stalled uploads (until their signal aborts) fill the writer's backlog through evictions.
    store.writeDelayMs = 60_000;
    accessor.setMaxPages(1);
    // Evictions queue without waiting; a release then waits while the backlog (4) is full.
    expect(dataset.chunkWriter.limits).to.deep.equal({ inFlight: 2, backlog: 4 });
    expect(dataset.chunkWriter.pending).to.equal(15);
    const page = accessor.createPage(0);
    const controller = new AbortController();
    const releasing = page.release({ signal: controller.signal });
    controller.abort();
    expect(await rejection(releasing)).to.be.instanceOf(vds.CanceledError);

    expect(await rejection(accessor.commit({ signal: AbortSignal.abort() }))).to.be.instanceOf(vds.CanceledError);
    expect(dataset.chunkWriter.pending).to.equal(0);
    expect(store.activeWrites).to.equal(0);
    expect(store.chunkSets).to.deep.equal([]);
    store.writeDelayMs = 0;
    await vds.close(dataset);
    const data = await readBack(name);
    expect(data.every((v) => v === 0), 'nothing written').to.equal(true);
  });

  it('refuses a signal that is not an AbortSignal, and unknown options', async () => {
    const { dataset, accessor } = await filledAccessor(vds.LODLevels.LODLevels_None);
    try {
      const wrong = await rejection(accessor.commit({ signal: new AbortController() as unknown as AbortSignal }));
      expect(wrong).to.be.instanceOf(vds.InvalidArgumentError);
      expect(wrong.message).to.equal('signal must be an AbortSignal (e.g. an AbortController\'s signal), got an AbortController');
      const unknown = await rejection(accessor.commit({ timeout: 5 } as never));
      expect(unknown.message).to.equal('commit: unknown option "timeout" (allowed: signal)');
      const page = accessor.createPage(0);
      expect((await rejection(page.release({ signl: AbortSignal.abort() } as never))).message).to.equal('release: unknown option "signl" (allowed: signal)');
    } finally {
      await vds.close(dataset, false);
    }
  });
});

describe('write failures', function () {
  this.timeout(60_000);

  it('commit reports the first failed write, once; the dataset stays readable and the chunk keeps its old contents', async () => {
    const { name, store, dataset, accessor } = await filledAccessor(vds.LODLevels.LODLevels_None);
    store.failKey = 'Dimensions_012LOD0/5';
    const error = await rejection(accessor.commit());
    expect(error).to.be.instanceOf(vds.StoreError);
    expect(error.message).to.equal('Cannot write Dimensions_012LOD0/5: disk full');
    expect((error as vds.StoreError).code).to.equal(507);
    await accessor.commit();
    await vds.close(dataset);
    const data = await readBack(name);
    // Chunk 5 is (1, 1, 0): x 32…63, y 32…63, z 0…31.
    expect(data[40 + 40 * 128 + 10 * 128 * 64]).to.equal(0);
    expect(data[10 + 10 * 128 + 10 * 128 * 64]).to.equal(value(10, 10, 10));
    expect(store.chunkSets).to.have.length(15);
  });
});

describe('closing without a flush', function () {
  this.timeout(60_000);

  it('cancels the writes still pending, so none outlives the dataset', async () => {
    const { store, dataset, accessor } = await filledAccessor(vds.LODLevels.LODLevels_None);
    store.writeDelayMs = 60_000;
    accessor.setMaxPages(1);
    expect(dataset.chunkWriter.pending).to.equal(15);
    await vds.close(dataset, false);
    expect(dataset.chunkWriter.pending).to.equal(0);
    expect(store.activeWrites).to.equal(0);
    expect(store.chunkSets).to.deep.equal([]);
  });
});
