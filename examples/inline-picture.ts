// An inline by its annotation number, as a picture: annotation coordinates → voxel box
// (`annotationSlice`), a typed and shaped read (`requestShapedSubset`: Float32Array, shape, axes
// with their annotation start and step), then a PNG with annotated axes and a colour bar (`slicePNG`).
//   node --import=tsx examples/inline-picture.ts URL INLINE [OUT.png]     (default OUT: inline-INLINE.png)
import { writeFile } from 'node:fs/promises';
import * as vds from '../src/index.js';

const [url, inlineArgument, out = `inline-${inlineArgument}.png`] = process.argv.slice(2);
if (!url || inlineArgument === undefined) throw new Error('usage: inline-picture.ts URL INLINE [OUT.png]');
const inline = Number(inlineArgument);

const dataset = await vds.open(url);
try {
  const layout = vds.getLayout(dataset);
  // Throws, quoting the valid range, for an inline the survey does not have.
  const box = vds.annotationSlice(layout, { inline });
  const request = vds.requestShapedSubset(dataset, box);
  if (!(await request.waitForCompletion())) throw new Error(request.errorMessage);
  const slice = request.data;
  for (const axis of slice.axes) {
    console.log(`${axis.name.padEnd(10)} ${String(axis.count).padStart(5)} samples from ${axis.start} step ${axis.step}${axis.unit ? ` ${axis.unit}` : ''}`);
  }
  let [min, max, sum] = [Infinity, -Infinity, 0];
  for (const v of slice.data) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v * v;
  }
  console.log(`values ${min} … ${max}, rms ${Math.sqrt(sum / slice.data.length).toPrecision(6)}`);
  const png = vds.slicePNG(slice, { title: `Inline ${inline}`, valueLabel: layout.getChannelName(0), width: 640 });
  await writeFile(out, png);
  console.log(`wrote ${out}: ${png.length} bytes`);
} finally {
  await vds.close(dataset);
  await vds.destroyChunkPool();
}
