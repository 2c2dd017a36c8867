import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vds from '../src/index.js';
import { vdsFileDatasetFor } from '../sources/dataset/vdsFileDataset.js';
import { useTempFolder } from './support/tempFolder.js';
import { MemoryStore } from '../sources/stores/memoryStore.js';
import type { ListableStore, ReadableStore } from '../sources/stores/store.js';
import { InstrumentedStore } from './support/slowStore.js';
import { writeTestVolume } from './support/volumes.js';
import { rejection } from './support/rejection.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A 64³ U8 volume, uncompressed: every chunk object has the same size whatever `value` is. */
async function u8Volume(value: (x: number, y: number, z: number) => number, size: [number, number, number] = [64, 64, 64]): Promise<MemoryStore> {
  const volume = await writeTestVolume({ size, format: vds.VolumeDataFormat.Format_U8, value });
  return new MemoryStore(volume.url.slice('inmemory://'.length));
}

async function readAll(url: string | vds.Store, size: [number, number, number]): Promise<Uint8Array> {
  const dataset = await vds.open(url);
  try {
    const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], size, { format: vds.VolumeDataFormat.Format_U8 });
    expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
    return request.data as Uint8Array;
  } finally {
    await vds.close(dataset);
  }
}

async function allObjects(store: ReadableStore & ListableStore): Promise<Map<string, string>> {
  const objects = new Map<string, string>();
  for await (const key of store.list()) objects.set(key, Buffer.from((await store.get(key))!).toString('hex'));
  return objects;
}

describe('copyDataset', function () {
  this.timeout(60_000);
  const inFolder = useTempFolder('copy');

  it('copies every object byte for byte, and the copy reads the same', async () => {
    const value = (x: number, y: number, z: number) => (z > 40 ? 3 : Math.fround(x * 0.5 - y + z));
    const volume = await writeTestVolume({ size: [70, 50, 60], format: vds.VolumeDataFormat.Format_R32, method: vds.CompressionMethod.Zip,
      value, lodLevels: vds.LODLevels.LODLevels_1 });
    const source = new MemoryStore(volume.url.slice('inmemory://'.length));
    const target = inFolder('a');
    const progress: number[] = [];
    const result = await vds.copyDataset(source, new vds.FolderStore(target), { onProgress: (p) => progress.push(p.objectsDone) });
    expect(result.objectsDone).to.equal(result.objectCount);
    expect(progress.at(-1)).to.equal(result.objectCount);
    expect(await allObjects(new vds.FolderStore(target))).to.deep.equal(await allObjects(source));
    const copy = await vds.open(target);
    const request = vds.getAccessManager(copy).requestVolumeSubset([0, 0, 0], [70, 50, 60]);
    expect(await request.waitForCompletion()).to.equal(true);
    expect((request.data as Float32Array)[3 + 70 * (4 + 50 * 5)]).to.equal(value(3, 4, 5));
    await vds.close(copy);
  });

  it('resumes an interrupted copy, skipping what is already there', async () => {
    const volume = await writeTestVolume({ size: [64, 64, 64], format: vds.VolumeDataFormat.Format_U8, value: (x, y, z) => (x + y + z) % 200 });
    const source = new InstrumentedStore(new MemoryStore(volume.url.slice('inmemory://'.length)));
    const target = inFolder('b');
    const controller = new AbortController();
    let error: unknown;
    await vds.copyDataset(source, new vds.FolderStore(target), {
      signal: controller.signal, concurrency: 2, onProgress: (p) => { if (p.objectsDone === 3) controller.abort(); },
    }).catch((e: unknown) => { error = e; });
    expect(error).to.be.instanceOf(vds.CanceledError);
    let opened: unknown;
    await vds.open(target).catch((e: unknown) => { opened = e; });
    expect(String(opened)).to.match(/no VolumeDataLayout/);
    const resumed = await vds.copyDataset(source, new vds.FolderStore(target));
    expect(resumed.skipped).to.be.at.least(3);
    expect(await allObjects(new vds.FolderStore(target))).to.deep.equal(await allObjects(source));
  });

  it('refuses a corrupt source chunk with a message naming it', async () => {
    const volume = await writeTestVolume({ size: [40, 40, 40], format: vds.VolumeDataFormat.Format_R32, method: vds.CompressionMethod.Zip,
      value: (x, y, z) => x * y + z });
    const source = new InstrumentedStore(new MemoryStore(volume.url.slice('inmemory://'.length)));
    source.corrupt = (key, bytes) => (key === 'Dimensions_012LOD0/1' ? bytes.subarray(0, 100) : bytes);
    let error: Error | undefined;
    await vds.copyDataset(source, new MemoryStore(`copy-corrupt-${process.pid}`)).catch((e: Error) => { error = e; });
    expect(error).to.be.instanceOf(vds.ChunkFormatError);
    expect(error?.message).to.match(/^Cannot decode chunk Dimensions_012LOD0\/1 of instrumented .*: Zip chunk does not inflate/);
  });

  it('re-copies an object of the same size but other content, and skips one with the same content', async () => {
    const a = await u8Volume((x, y, z) => (x + y + z) % 200);
    const b = await u8Volume((x, y, z) => (x * 3 + y + 2 * z) % 199);
    const target = inFolder('same-size');
    const first = await vds.copyDataset(a, new vds.FolderStore(target));
    expect(first.skipped).to.equal(0);
    // Same layout, same object sizes, other data: nothing of A may survive.
    const second = await vds.copyDataset(b, new vds.FolderStore(target));
    expect(second.objectCount).to.equal(first.objectCount);
    expect(second.skipped).to.equal(0);
    expect(await allObjects(new vds.FolderStore(target))).to.deep.equal(await allObjects(b));
    expect((await readAll(target, [64, 64, 64]))[5 + 64 * (6 + 64 * 7)]).to.equal((5 * 3 + 6 + 14) % 199);
    // The same copy again: every object is already there (compared byte for byte in a folder).
    const third = await vds.copyDataset(b, new vds.FolderStore(target));
    // Only the metadata is written again: every chunk is there already.
    expect(third.skipped).to.equal(third.objectCount - 1);
    expect(third.bytesCopied).to.equal(0);
  });

  it('refuses a different dataset at the destination unless overwrite, which replaces it whole', async () => {
    const a = await u8Volume((x, y, z) => (x + y + z) % 200);
    const c = await u8Volume((x, y, z) => (x ^ y ^ z) % 100, [40, 30, 20]);
    const target = inFolder('different');
    await vds.copyDataset(a, new vds.FolderStore(target));
    const before = await allObjects(new vds.FolderStore(target));
    const [hashA, hashC] = await Promise.all([a, c].map(async (store) => {
      const dataset = await vds.open(store);
      const hash = vds.getLayout(dataset).getContentsHash();
      await vds.close(dataset);
      return hash;
    }));
    expect(await vds.copyConflict(c, new vds.FolderStore(target))).to.equal(`layout hash ${hashA}, the source's is ${hashC}`);
    let error: Error | undefined;
    await vds.copyDataset(c, new vds.FolderStore(target)).catch((e: Error) => { error = e; });
    expect(error).to.be.instanceOf(vds.InvalidOperationError);
    expect(error?.message).to.equal(`${target} holds a different dataset (layout hash ${hashA}, the source's is ${hashC}): set overwrite to replace it`);
    expect(await allObjects(new vds.FolderStore(target))).to.deep.equal(before);

    const replaced = await vds.copyDataset(c, new vds.FolderStore(target), { overwrite: true });
    expect(replaced.objectsDone).to.equal(replaced.objectCount);
    const data = await readAll(target, [40, 30, 20]);
    expect(data[7 + 40 * (9 + 30 * 11)]).to.equal((7 ^ 9 ^ 11) % 100);
    expect(await vds.copyConflict(c, new vds.FolderStore(target))).to.equal(undefined);
  });

  it('creates a .vds file, resumes into it, and skips its chunks by their metadata record', async () => {
    const a = await u8Volume((x, y, z) => (x * y + z) % 250);
    const path = inFolder('copy.vds');
    const controller = new AbortController();
    let error: unknown;
    const partial = vdsFileDatasetFor(path, 'update')!;
    await vds.copyDataset(a, partial, { signal: controller.signal, concurrency: 1, onProgress: (p) => { if (p.objectsDone === 2) controller.abort(); } })
      .catch((e: unknown) => { error = e; });
    await partial.close?.();
    expect(error).to.be.instanceOf(vds.CanceledError);
    const resumed = vdsFileDatasetFor(path, 'update')!;
    const done = await vds.copyDataset(a, resumed);
    await resumed.close?.();
    expect(done.objectsDone).to.equal(done.objectCount);
    expect(await readAll(path, [64, 64, 64])).to.deep.equal(await readAll(a, [64, 64, 64]));
    const again = vdsFileDatasetFor(path, 'update')!;
    const checked = await vds.copyDataset(a, again);
    await again.close?.();
    expect(checked.skipped).to.equal(checked.objectCount - 1);
  });

  it('stops promptly when aborted mid-copy: CanceledError, no store call after the abort, and the copy resumes', async () => {
    const inner = await u8Volume((x, y, z) => (x + 2 * y + 3 * z) % 251, [128, 64, 64]);
    const source = new InstrumentedStore(inner);
    source.delayMs = 40;
    const target = inFolder('aborted');
    const destination = new InstrumentedStore(new vds.FolderStore(target));
    const controller = new AbortController();
    let abortedAt = 0;
    const started = vds.copyDataset(source, destination, {
      signal: controller.signal, concurrency: 4,
      onProgress: (p) => {
        if (p.objectsDone !== 4 || source.delayMs > 40) return;
        // From here reads take 10 s: abort while four of them are in flight.
        source.delayMs = 10_000;
        setTimeout(() => { abortedAt = performance.now(); controller.abort(); }, 100);
      },
    });
    const error = await started.then(() => undefined, (e: unknown) => e);
    const settledMs = performance.now() - abortedAt;
    expect(error).to.be.instanceOf(vds.CanceledError);
    expect(settledMs).to.be.lessThan(1000);
    const calls = [source.calls, destination.calls];
    await sleep(300);
    expect([source.calls, destination.calls]).to.deep.equal(calls);
    expect(source.activeReads).to.equal(0);
    const resumed = await vds.copyDataset(inner, new vds.FolderStore(target));
    expect(resumed.skipped).to.be.at.least(4);
    expect(await allObjects(new vds.FolderStore(target))).to.deep.equal(await allObjects(inner));
  });

  it('re-encodes every chunk with compressionMethod (Zip → Wavelet within the tolerance, → None back exactly)', async () => {
    const value = (x: number, y: number, z: number) => Math.fround(Math.sin(x / 5) * Math.cos(y / 7) + z / 100);
    const volume = await writeTestVolume({ size: [70, 50, 40], format: vds.VolumeDataFormat.Format_R32, method: vds.CompressionMethod.Zip,
      value, valueRange: [-1, 1.4], lodLevels: vds.LODLevels.LODLevels_1 });
    const source = new MemoryStore(volume.url.slice('inmemory://'.length));
    const wavelet = inFolder('reencoded');
    await vds.copyDataset(source, new vds.FolderStore(wavelet), { compressionMethod: vds.CompressionMethod.Wavelet, compressionTolerance: 1 });
    const status = JSON.parse(readFileSync(join(wavelet, 'LayerStatus'), 'utf8')) as { layerName: string; compressionMethod: string; compressionTolerance: number }[];
    expect(status.map((e) => [e.layerName, e.compressionMethod, e.compressionTolerance])).to.deep.equal([
      ['Dimensions_012LOD0', 'Wavelet', 1], ['Dimensions_012LOD1', 'Wavelet', 4]]);
    const read = async (url: string | vds.Store) => {
      const dataset = await vds.open(url);
      const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], [70, 50, 40]);
      expect(await request.waitForCompletion()).to.equal(true);
      await vds.close(dataset);
      return request.data as Float32Array;
    };
    const [exact, lossy] = [await read(source), await read(wavelet)];
    const step = 2.4 / 255;
    expect(lossy.reduce((worst, v, i) => Math.max(worst, Math.abs(v - exact[i]!)), 0)).to.be.at.most(step);
    // And back to None: the wavelet data, exactly.
    const plain = inFolder('decoded');
    const progress = await vds.copyDataset(new vds.FolderStore(wavelet), new vds.FolderStore(plain), { compressionMethod: vds.CompressionMethod.None });
    expect(progress.skipped).to.equal(0);
    expect(progress.bytesCopied).to.be.greaterThan(70 * 50 * 40 * 4);
    expect([...await read(plain)]).to.deep.equal([...lossy]);
    const refused = await rejection(vds.copyDataset(source, new MemoryStore(`copy-bad-${process.pid}`), { compressionMethod: 99 as vds.CompressionMethod }));
    expect(refused.message).to.equal('Invalid compression method 99');
  });
});
