// What an interrupted `create` leaves, at each of its writes, in memory, in a folder and in a .vds
// file: a dataset that opens (empty), the dataset that was there before, or an open that says the
// dataset was not completely created and what to do, never a crash or a hang. OpenVDS (OpenVDS.cpp
// Create) writes VolumeDataLayout, then LayerStatus, and fails open on a missing LayerStatus with
// "Error on downloading LayerStatus object" (VolumeDataStoreIOManager.cpp).
import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import * as vds from '../src/index.js';
import { CanceledError } from '../src/model/errors.js';
import { FolderStore } from '../sources/stores/folderStore.js';
import { MemoryStore } from '../sources/stores/memoryStore.js';
import type { ReadOptions, Store, WriteOptions } from '../sources/stores/store.js';
import { BulkDataStore } from '../sources/vdsFile/bulkDataStore.js';
import { rejection } from './support/rejection.js';
import { useTempFolder } from './support/tempFolder.js';
import { uniqueMemoryUrl, writeTestVolume } from './support/volumes.js';

const NOT_CREATED = 'it was not completely created (its create or copy was interrupted): it has no VolumeDataLayout, only a LayerStatus; ' +
  'create or copy it again';

/** Lets `allowed` writes through, then aborts the create's signal at the next one (which never lands). */
class StopAtWrite implements Store {
  readonly description: string;
  readonly keys: string[] = [];
  constructor(private readonly inner: Store, private readonly allowed: number, private readonly controller: AbortController) {
    this.description = inner.description;
  }

  get(key: string, options?: ReadOptions): Promise<Uint8Array | undefined> { return this.inner.get(key, options); }

  async set(key: string, data: Uint8Array, options?: WriteOptions): Promise<void> {
    if (this.keys.length === this.allowed) {
      this.controller.abort();
      throw new CanceledError(`stopped before writing ${key}`);
    }
    this.keys.push(key);
    await this.inner.set(key, data, options);
  }
}

function layout(size: number) {
  return [
    new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_32, 0, 0, 1, vds.LODLevels.LODLevels_None),
    [0, 1, 2].map((d) => new vds.VolumeDataAxisDescriptor(size, ['Sample', 'Crossline', 'Inline'][d]!, '', 0, size - 1)),
    [new vds.VolumeDataChannelDescriptor(vds.VolumeDataFormat.Format_R32, vds.VolumeDataComponents.Components_1, 'Value', '', 0, 1)],
    new vds.MetadataContainer(),
  ] as const;
}

/** Runs create into `inner`, stopped after `allowed` writes (Infinity: not stopped); returns the keys written. */
async function createStopped(inner: Store, allowed: number, size = 40): Promise<string[]> {
  const controller = new AbortController();
  const store = new StopAtWrite(inner, allowed, controller);
  const creating = vds.create(store, ...layout(size), { signal: controller.signal });
  if (allowed === Infinity) await vds.close(await creating);
  else expect(await rejection(creating)).to.be.instanceOf(vds.CanceledError);
  return store.keys;
}

async function openError(dataset: string | Store): Promise<Error> {
  const error = await rejection(vds.open(dataset));
  expect(error).to.be.instanceOf(vds.ReadError);
  return error;
}

describe('an interrupted create', function () {
  this.timeout(60_000);
  const inFolder = useTempFolder('create-interrupted');
  const stores: [string, () => Store][] = [
    ['memory', () => new MemoryStore(uniqueMemoryUrl('interrupted').slice('inmemory://'.length))],
    ['folder', () => new FolderStore(inFolder(`folder-${Math.random().toString(36).slice(2)}`))],
  ];

  for (const [kind, newStore] of stores) {
    it(`${kind}: writes LayerStatus, then VolumeDataLayout; stopped before, between or after, open fails clearly or opens empty`, async () => {
      const nothing = newStore();
      expect(await createStopped(nothing, 0)).to.deep.equal([]);
      expect((await openError(nothing)).message).to.equal(`Cannot open ${nothing.description}: it has no VolumeDataLayout object (is it a VDS dataset?)`);

      const half = newStore();
      expect(await createStopped(half, 1)).to.deep.equal(['LayerStatus']);
      expect((await openError(half)).message).to.equal(`Cannot open ${half.description}: ${NOT_CREATED}`);

      const whole = newStore();
      expect(await createStopped(whole, Infinity)).to.deep.equal(['LayerStatus', 'VolumeDataLayout']);
      const dataset = await vds.open(whole);
      expect(vds.getLayout(dataset).getDimensionNumSamples(2)).to.equal(40);
      expect(vds.getAccessManager(dataset).getVDSProduceStatus(vds.DimensionsND.Dimensions_012)).to.equal(vds.VDSProduceStatus.Unavailable);
      await vds.close(dataset);
    });
  }

  it('over an existing dataset: stopped before its layout, the old layout opens with no layers, never the old chunks under the new layout', async () => {
    const name = uniqueMemoryUrl('overwrite');
    await writeTestVolume({ url: name, size: [40, 40, 40], format: vds.VolumeDataFormat.Format_R32, value: (x) => x });
    const store = new MemoryStore(name.slice('inmemory://'.length));
    await createStopped(store, 0, 50);
    const untouched = await vds.open(store);
    const request = vds.getAccessManager(untouched).requestVolumeSubset([7, 0, 0], [8, 1, 1]);
    expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
    expect([...request.data as Float32Array]).to.deep.equal([7]);
    await vds.close(untouched);

    expect(await createStopped(store, 1, 50)).to.deep.equal(['LayerStatus']);
    const emptied = await vds.open(store);
    expect(vds.getLayout(emptied).getDimensionNumSamples(2)).to.equal(40);
    expect(vds.getAccessManager(emptied).getVDSProduceStatus(vds.DimensionsND.Dimensions_012)).to.equal(vds.VDSProduceStatus.Unavailable);
    await vds.close(emptied);
  });

  it('a VolumeDataLayout without LayerStatus (an OpenVDS create stopped half way) is named, with what to do', async () => {
    const folder = inFolder('openvds-half');
    const store = new FolderStore(folder);
    await createStopped(store, Infinity);
    const layoutOnly = new MemoryStore(uniqueMemoryUrl('layout-only').slice('inmemory://'.length));
    await layoutOnly.set('VolumeDataLayout', (await store.get('VolumeDataLayout'))!);
    expect((await openError(layoutOnly)).message).to.equal(`Cannot open ${layoutOnly.description}: it was not completely created ` +
      '(its create was interrupted): it has a VolumeDataLayout but no LayerStatus; create it again');
  });

  it('.vds: a file stopped before its layout (header only) is named as not completely created', async () => {
    const path = inFolder('stopped.vds');
    const container = await BulkDataStore.create(path);
    await container.close();
    const error = await openError(path);
    expect(error.message).to.equal(`Cannot open ${path}: ${path} was not completely created (its create or copy was interrupted): ` +
      'it has no VolumeDataLayout file; create or copy it again');
    // A file that is not a VDS container at all keeps its own message.
    const other = inFolder('other.vds');
    await writeFile(other, 'not a container');
    expect((await openError(other)).message).not.to.include('not completely created');
  });
});
