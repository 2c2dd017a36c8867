// Child process for the crash-safety spec: rewrites every chunk of a folder dataset with the value
// given on the command line (ReadWrite mode), commits and closes, slowly enough to be killed mid-way.
import * as vds from '../../src/index.js';

const [url, valueText] = process.argv.slice(2) as [string, string];
const value = Number(valueText);
const dataset = await vds.open(url);
const accessor = vds.getAccessManager(dataset).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 2,
  vds.AccessMode.AccessMode_ReadWrite);
process.stdout.write('ready\n');
for (let chunk = 0; chunk < accessor.getChunkCount(); chunk++) {
  const page = await accessor.readPage(chunk);
  (page.getWritableBuffer() as Float32Array).fill(value + chunk);
  await page.release();
}
await accessor.commit();
await vds.close(dataset);
await vds.destroyChunkPool();
process.stdout.write('done\n');
