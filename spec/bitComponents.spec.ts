// 1Bit channels with 2 or 4 components. OpenVDS 3.4 lays them out as a DataBlock of rows of
// sizeX·components bits (DataBlock.cpp InitializeDataBlock), but sizes their serialized payload and
// request buffers without the components (DataBlock.h GetByteSize/GetElementSize,
// VolumeDataRequestProcessor StaticGetVolumeSubsetBufferSize): writing such a chunk overruns its
// buffer and keeps only the first ⌈sizeX/8⌉·sizeY·sizeZ bytes, and a Format_1Bit request overruns the
// caller's buffer. Defined are constant chunks, read in a byte or float format (components
// interleaved). So rxvds creates no such channel, requests no 1Bit buffer of one, and reads the
// defined case as OpenVDS does (checked against the reference build when it is installed).
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vds from '../src/index.js';
import { rejection } from './support/rejection.js';
import { useTempFolder } from './support/tempFolder.js';
import { uniqueMemoryUrl, writeTestVolume } from './support/volumes.js';

const F = vds.VolumeDataFormat;
const ENV = '/work/ref-openvds/env.sh';
const SIZE: [number, number, number] = [72, 5, 3];

/**
 * A dataset with a 2-component 1Bit channel as OpenVDS 3.4 leaves one: chunk 0 (x 0…31) constant 1,
 * chunk 1 (x 32…63) constant 0, and chunk 2 (x 64…71) a data chunk holding the ⌈8/8⌉·5·3 = 15 bytes
 * OpenVDS keeps of its 30. Written as one component, then the layout and chunk 2's DataBlock say 2.
 */
async function legacyDataset(path: string): Promise<void> {
  await writeTestVolume({ url: path, size: SIZE, format: F.Format_1Bit, method: vds.CompressionMethod.None,
    value: (x, y, z) => (x < 32 ? 1 : x < 64 ? 0 : (x + y + z) % 2) });
  const layout = join(path, 'VolumeDataLayout');
  writeFileSync(layout, readFileSync(layout, 'utf8').replace('"Components_1"', '"Components_2"'));
  const chunk = join(path, 'Dimensions_012LOD0', '2');
  const bytes = readFileSync(chunk);
  expect(bytes.byteLength).to.equal(24 + 15);
  bytes.writeInt32LE(2, 20);
  writeFileSync(chunk, bytes);
}

/** R32 of the box [0,0,0]…[64,5,3] as OpenVDS reads it: both components of each voxel, interleaved. */
function expectedR32(): number[] {
  const values: number[] = [];
  for (let z = 0; z < 3; z++) for (let y = 0; y < 5; y++) for (let x = 0; x < 64; x++) values.push(x < 32 ? 1 : 0, x < 32 ? 1 : 0);
  return values;
}

describe('1Bit channels with 2 or 4 components', function () {
  this.timeout(60_000);
  const inFolder = useTempFolder('bit-components');

  it('are refused at create, naming the channel, why and what to use instead', async () => {
    for (const components of [vds.VolumeDataComponents.Components_2, vds.VolumeDataComponents.Components_4]) {
      const error = await rejection(writeTestVolume({ size: [8, 8, 8], format: F.Format_1Bit, components, value: () => 1 }));
      expect(error).to.be.instanceOf(vds.InvalidArgumentError);
      expect(error.message).to.equal(`Channel 0 ("Value") cannot be created as Format_1Bit with ${vds.VolumeDataComponents[components]}: ` +
        'OpenVDS 3.4 sizes 1-bit chunks and request buffers without their components, so it can neither store nor read such data; ' +
        `use Format_U8 with ${vds.VolumeDataComponents[components]}, or one 1-bit channel per component`);
    }
    const one = await writeTestVolume({ url: uniqueMemoryUrl('bits'), size: [8, 8, 8], format: F.Format_1Bit, value: () => 1 });
    const dataset = await vds.open(one.url);
    expect(vds.getLayout(dataset).getChannelComponents(0)).to.equal(vds.VolumeDataComponents.Components_1);
    await vds.close(dataset);
  });

  describe('an existing dataset with one', () => {
    let path: string;
    let dataset: vds.VDS;
    let manager: vds.VolumeDataAccessManager;
    before(async () => {
      path = inFolder('legacy');
      await legacyDataset(path);
      dataset = await vds.open(path);
      manager = vds.getAccessManager(dataset);
    });
    after(() => vds.close(dataset));

    it('reads constant chunks in R32 and U8 with the components interleaved, as OpenVDS does', async () => {
      expect(vds.getLayout(dataset).getChannelComponents(0)).to.equal(vds.VolumeDataComponents.Components_2);
      const r32 = manager.requestVolumeSubset([0, 0, 0], [64, 5, 3], { format: F.Format_R32 });
      expect(await r32.waitForCompletion(), r32.errorMessage).to.equal(true);
      expect([...r32.data as Float32Array]).to.deep.equal(expectedR32());
      const u8 = manager.requestVolumeSubset([30, 1, 1], [34, 2, 2], { format: F.Format_U8 });
      expect(await u8.waitForCompletion(), u8.errorMessage).to.equal(true);
      expect([...u8.data as Uint8Array]).to.deep.equal([255, 255, 255, 255, 0, 0, 0, 0]);
    });

    it('refuses Format_1Bit (and Format_Any) buffers, which OpenVDS overruns', () => {
      const message = 'A Format_1Bit buffer cannot hold channel 0 ("Value", Format_1Bit with Components_2): OpenVDS 3.4 sizes it without ' +
        'the components and overruns it; request Format_U8 or Format_R32 (components interleaved)';
      expect(() => manager.requestVolumeSubset([0, 0, 0], [8, 5, 3], { format: F.Format_1Bit })).to.throw(vds.InvalidArgumentError, message);
      expect(() => manager.requestVolumeSubset([0, 0, 0], [8, 5, 3], { format: F.Format_Any })).to.throw(vds.InvalidArgumentError, message);
      expect(() => manager.getVolumeSubsetBufferSize([0, 0, 0], [8, 5, 3], F.Format_1Bit)).to.throw(vds.InvalidArgumentError, message);
      expect(() => manager.requestProjectedVolumeSubset([0, 0, 0], [8, 5, 3], { format: F.Format_1Bit, voxelPlane: [1, 0, 0, -1.5] }))
        .to.throw(vds.InvalidArgumentError, message);
    });

    it('names a data chunk as OpenVDS writes it (a part of its rows) instead of reading it', async () => {
      const request = manager.requestVolumeSubset([64, 0, 0], [72, 5, 3], { format: F.Format_R32 });
      expect(await request.waitForCompletion()).to.equal(false);
      expect(request.errorMessage).to.include('Required size of uncompressed chunk is not present: 15 payload bytes, expected 30: ' +
        'a 2-component 1-bit chunk as OpenVDS 3.4 writes it, which keeps only the first 15 of its 30 bytes; it cannot be read');
    });

    it('reads pages but opens no writable page accessor on it', async () => {
      const accessor = manager.createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 2, vds.AccessMode.AccessMode_ReadOnly);
      const page = await accessor.readPage(0);
      // One DataBlock row holds 32 voxels × 2 components = 8 bytes.
      expect([...page.getBuffer() as Uint8Array]).to.deep.equal(new Array(8 * 5 * 3).fill(255));
      page.release();
      for (const mode of [vds.AccessMode.AccessMode_ReadWrite, vds.AccessMode.AccessMode_Create]) {
        expect(() => manager.createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 2, mode)).to.throw(vds.InvalidArgumentError,
          'Channel 0 ("Value", Format_1Bit with Components_2) cannot be written: OpenVDS 3.4 sizes 1-bit chunks and request buffers without their components, so it could not read the chunks back');
      }
    });

    it('OpenVDS 3.4 reads the constant chunks to the same values (reference build)', function () {
      if (!existsSync(ENV)) this.skip();
      const script = new URL('./support/openvdsReadBox.py', import.meta.url).pathname;
      const out = execFileSync('bash', ['-c', `source ${ENV} && python3 '${script}' '${path}' 0,0,0 64,5,3 R32`], { encoding: 'utf8' });
      expect(JSON.parse(out)).to.deep.equal(expectedR32());
    });
  });
});
