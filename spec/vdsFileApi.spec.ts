import { expect } from 'chai';
import * as vds from '../src/index.js';
import { useTempFolder } from './support/tempFolder.js';
import { openvdsVector } from './support/testdata.js';
import { writeTestVolume } from './support/volumes.js';

describe('.vds files through the public API', function () {
  this.timeout(60_000);
  const inFolder = useTempFolder('vdsapi');
  const value = (x: number, y: number, z: number) => (x * 3 + y * 5 + z * 7) % 250;

  it('creates, writes and reopens a dataset named by a .vds path', async () => {
    const file = inFolder('survey.vds');
    await writeTestVolume({ url: file, size: [97, 61, 40], format: vds.VolumeDataFormat.Format_U8, method: vds.CompressionMethod.Zip, value,
      valueRange: [0, 255] });
    const dataset = await vds.open(file);
    const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], [97, 61, 40], { format: vds.VolumeDataFormat.Format_U8 });
    expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
    expect((request.data as Uint8Array)[5 + 97 * (6 + 61 * 7)]).to.equal(value(5, 6, 7));
    await vds.close(dataset);
  });

  it('copies folder → .vds → folder with every object identical', async () => {
    const folder = inFolder('a');
    await writeTestVolume({ url: folder, size: [70, 50, 33], format: vds.VolumeDataFormat.Format_R32, method: vds.CompressionMethod.RLE, value,
      lodLevels: vds.LODLevels.LODLevels_1 });
    const file = inFolder('b.vds');
    // A .vds file is no store of objects (openStore refuses it): its IOManager is the file's dataset layer.
    expect(() => vds.openStore(file)).to.throw(vds.InvalidArgumentError, `${file} is a .vds file: a dataset, not a store of objects; open it with open() or create()`);
    const vdsFile = vds.IOManager.createIOManager(file);
    await vds.copyDataset(vds.openStore(folder).store, vdsFile);
    await vdsFile.close?.();
    const back = inFolder('c');
    const source = vds.IOManager.createIOManager(new vds.VDSFileOpenOptions(file));
    // One handle, checked then copied (each opens it, and closes it after).
    expect(await vds.copyConflict(source, vds.openStore(back).store)).to.equal(undefined);
    await vds.copyDataset(source, vds.openStore(back).store);
    const original = new vds.FolderStore(folder), copy = new vds.FolderStore(back);
    for await (const key of original.list()) {
      if (key === 'LayerStatus') continue;  // a .vds keeps no serializedSize for non-wavelet layers
      expect(Buffer.from((await copy.get(key))!).equals(Buffer.from((await original.get(key))!)), key).to.equal(true);
    }
  });

  it('opens OpenVDS\'s subset.vds and reads its trace headers', async () => {
    const dataset = await vds.open(openvdsVector('subset.vds'));
    const layout = vds.getLayout(dataset);
    expect([0, 1, 2].map((d) => layout.getDimensionNumSamples(d))).to.deep.equal([100, 100, 100]);
    const headers = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], [240, 1, 1], { channel: layout.getChannelIndex('SEGYTraceHeader'), format: vds.VolumeDataFormat.Format_U8 });
    expect(await headers.waitForCompletion(), headers.errorMessage).to.equal(true);
    const bytes = headers.data as Uint8Array;
    expect(new DataView(bytes.buffer, bytes.byteOffset).getInt32(188, false)).to.equal(10127);
    await vds.close(dataset);
  });
});
