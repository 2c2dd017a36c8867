// The README's five-minute tour as a program: create a dataset in a folder, write it page by page
// (with LOD 1 generated on the way), read an inline, a U8 time slice and a few interpolated samples.
//   node --import=tsx examples/quickstart.ts [FOLDER]        (default: ./quickstart-survey)
import * as vds from '../src/index.js';

const url = process.argv[2] ?? 'quickstart-survey';
const [nx, ny, nz] = [256, 200, 100];
const amplitude = (x: number, y: number, z: number) => Math.sin(x / 9 + y / 31) * Math.cos(z / 17);

const handle = await vds.create(url, '',
  new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_64, 0, 0, 4, vds.LODLevels.LODLevels_1, vds.LayoutOptions.Options_None),
  [
    new vds.VolumeDataAxisDescriptor(nx, 'Sample', 'ms', 0, 1020),
    new vds.VolumeDataAxisDescriptor(ny, 'Crossline', 'unitless', 1000, 1199),
    new vds.VolumeDataAxisDescriptor(nz, 'Inline', 'unitless', 2000, 2099),
  ],
  [new vds.VolumeDataChannelDescriptor(vds.VolumeDataFormat.Format_R32, vds.VolumeDataComponents.Components_1, 'Amplitude', '', -1, 1)],
  new vds.MetadataContainer(), vds.CompressionMethod.Zip);

const accessor = vds.getAccessManager(handle).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 16,
  vds.AccessMode.AccessMode_Create);
for (let chunk = 0; chunk < accessor.getChunkCount(); chunk++) {
  const page = accessor.createPage(chunk);
  const [min, max] = page.getMinMax();
  const buffer = page.getWritableBuffer() as Float32Array;
  let i = 0;
  for (let z = min[2]!; z < max[2]!; z++) for (let y = min[1]!; y < max[1]!; y++) for (let x = min[0]!; x < max[0]!; x++) buffer[i++] = amplitude(x, y, z);
  await page.release();
}
await accessor.commit();
await vds.close(handle);

const dataset = await vds.open(url);
const layout = vds.getLayout(dataset);
const manager = vds.getAccessManager(dataset);
console.log(`${url}: ${[0, 1, 2].map((d) => `${layout.getDimensionName(d)} ${layout.getDimensionNumSamples(d)}`).join(' × ')}, ` +
  `layout hash ${layout.getContentsHash()}`);

const inline = manager.requestVolumeSubset([0, 0, 50], [nx, ny, 51]);
if (!(await inline.waitForCompletion())) throw new Error(inline.errorMessage);
console.log(`inline 2050: ${(inline.data as Float32Array).length} samples, first ${(inline.data as Float32Array)[0]!.toFixed(4)}`);

const timeSlice = manager.requestVolumeSubset([128, 0, 0], [129, ny, nz], { format: vds.VolumeDataFormat.Format_U8 });
if (!(await timeSlice.waitForCompletion())) throw new Error(timeSlice.errorMessage);
console.log(`time slice as U8: ${(timeSlice.data as Uint8Array).slice(0, 8).join(' ')} …`);

const lod1 = manager.requestVolumeSubset([0, 0, 0], [nx, ny, nz], { lod: 1 });
if (!(await lod1.waitForCompletion())) throw new Error(lod1.errorMessage);
console.log(`LOD 1: ${(lod1.data as Float32Array).length} samples (${nx / 2} × ${ny / 2} × ${nz / 2})`);
await vds.close(dataset);
await vds.destroyChunkPool();
