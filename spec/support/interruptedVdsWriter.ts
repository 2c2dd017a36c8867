// Child process for the writer-lock spec: becomes the writer of a `.vds`, commits `value + chunk`
// into every chunk and flushes, says "committed", then keeps rewriting chunks without committing until killed.
import * as vds from '../../src/index.js';

const [path, valueText] = process.argv.slice(2) as [string, string];
const value = Number(valueText);
const dataset = await vds.open(path);
const accessor = vds.getAccessManager(dataset).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 2,
  vds.AccessMode.AccessMode_ReadWrite);
const fill = async (offset: number) => {
  for (let chunk = 0; chunk < accessor.getChunkCount(); chunk++) {
    const page = await accessor.readPage(chunk);
    (page.getWritableBuffer() as Float32Array).fill(offset + chunk);
    await page.release();
  }
};
await fill(value);
await accessor.commit();
await vds.getAccessManager(dataset).flush();
process.stdout.write('committed\n');
for (let round = 1; ; round++) await fill(value + round * 1000);
