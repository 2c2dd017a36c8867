import { expect } from 'chai';
import * as vds from '../src/index.js';
import { useTempFolder } from './support/tempFolder.js';
import { MemoryStore } from '../sources/memoryStore.js';
import { InstrumentedStore } from './support/slowStore.js';
import { writeTestVolume } from './support/volumes.js';

async function allObjects(store: vds.Store): Promise<Map<string, string>> {
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
});
