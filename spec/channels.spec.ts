import { expect } from 'chai';
import * as vds from '../src/index.js';
import { uniqueMemoryUrl } from './support/volumes.js';

const F = vds.VolumeDataFormat;

/** A 3D survey with the channels a SEG-Y import writes: amplitude, a 240-byte trace header and a trace flag. */
async function createSurvey(url: string, size: [number, number, number]) {
  const channels = [
    new vds.VolumeDataChannelDescriptor(F.Format_R32, vds.VolumeDataComponents.Components_1, 'Amplitude', '', -1, 1),
    vds.VolumeDataChannelDescriptor.traceMappedVolumeDataChannelDescriptor(F.Format_U8, vds.VolumeDataComponents.Components_1,
      'SEGYTraceHeader', '', 0, 255, 240, vds.ChannelFlags.NoLossyCompression),
    vds.VolumeDataChannelDescriptor.traceMappedVolumeDataChannelDescriptor(F.Format_U8, vds.VolumeDataComponents.Components_1,
      'Trace', '', 0, 1, 1, vds.ChannelFlags.DiscreteData),
    new vds.VolumeDataChannelDescriptor(F.Format_U16, vds.VolumeDataComponents.Components_1, 'Mask', '', 0, 1000),
  ];
  return vds.create(url, '',
    new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_32, 2, 2, 4, vds.LODLevels.LODLevels_1),
    size.map((n, d) => new vds.VolumeDataAxisDescriptor(n, ['Sample', 'Crossline', 'Inline'][d]!, '', 0, n - 1)),
    channels, new vds.MetadataContainer(), vds.CompressionMethod.Zip);
}

async function writeChannel(dataset: vds.VDS, channel: number, value: (p: number[]) => number): Promise<void> {
  const accessor = vds.getAccessManager(dataset).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, channel, 4,
    vds.AccessMode.AccessMode_Create);
  for (let c = 0; c < accessor.getChunkCount(); c++) {
    const page = accessor.createPage(c);
    const [min, max] = page.getMinMax();
    const buffer = page.getWritableBuffer() as unknown as { [i: number]: number };
    let i = 0;
    for (let z = min[2]!; z < max[2]!; z++) for (let y = min[1]!; y < max[1]!; y++) for (let x = min[0]!; x < max[0]!; x++) buffer[i++] = value([x, y, z]);
    await page.release();
  }
  await accessor.commit();
}

describe('several channels (Direct and PerTrace)', function () {
  this.timeout(60_000);
  const size: [number, number, number] = [50, 37, 29];

  it('writes and reads back every channel, and names their layers as OpenVDS does', async () => {
    const url = uniqueMemoryUrl('channels');
    const dataset = await createSurvey(url, size);
    await writeChannel(dataset, 0, ([x, y, z]) => Math.fround((x - y + z) / 100));
    await writeChannel(dataset, 1, ([b, y, z]) => (b + y * 3 + z * 7) % 256);
    await writeChannel(dataset, 2, ([, y, z]) => ((y + z) % 3 === 0 ? 0 : 1));
    await writeChannel(dataset, 3, ([x, y]) => (x * y) % 1000);
    await vds.close(dataset);

    const reopened = await vds.open(url);
    const manager = vds.getAccessManager(reopened);
    const read = async (channel: number, min: number[], max: number[], format = F.Format_Any) => {
      const request = manager.requestVolumeSubset(min, max, { channel, format });
      expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
      return request.data;
    };
    const headers = await read(1, [0, 0, 0], [240, size[1], size[2]]) as Uint8Array;
    expect(headers.length).to.equal(240 * size[1] * size[2]);
    expect(headers[17 + 240 * (5 + size[1] * 11)]).to.equal((17 + 5 * 3 + 11 * 7) % 256);
    const trace = await read(2, [0, 0, 0], [1, size[1], size[2]]) as Uint8Array;
    expect(trace[4 + size[1] * 2]).to.equal((4 + 2) % 3 === 0 ? 0 : 1);
    const mask = await read(3, [10, 20, 0], [11, 21, 1]) as Uint16Array;
    expect(mask[0]).to.equal(200);
    const amplitude = await read(0, [3, 4, 5], [4, 5, 6], F.Format_R32) as Float32Array;
    expect(amplitude[0]).to.equal(Math.fround((3 - 4 + 5) / 100));

    const names = reopened.layers.all.filter((l) => reopened.layerStatusEntry(l)).map((l) => l.name).sort();
    expect(names).to.deep.equal([
      'Dimensions_012LOD0', 'Dimensions_012LOD1', 'MaskDimensions_012LOD0', 'MaskDimensions_012LOD1',
      'SEGYTraceHeaderDimensions_012LOD0', 'SEGYTraceHeaderDimensions_012LOD1', 'TraceDimensions_012LOD0', 'TraceDimensions_012LOD1',
    ]);
    const headerLayer = reopened.layers.get(vds.DimensionsND.Dimensions_012, 0, 1)!;
    expect(reopened.layerStatusEntry(headerLayer)!.compressionMethod).to.equal(vds.CompressionMethod.Zip);
    expect(manager.getVDSChunkCount(vds.DimensionsND.Dimensions_012, 0, 1)).to.equal(2 * 1);
    await vds.close(reopened);
  });
});
