// Streams every inline of a dataset through the reactive API and emits its RMS amplitude: a
// custom processing chain with bounded memory (two inlines in flight) and a progress line.
//   node --import=tsx examples/rms-per-inline.ts [URL]      (default: the demo survey)
import { filter, map, mergeMap, range, toArray } from 'rxjs';
import * as vds from '../src/index.js';

const url = process.argv[2] ?? 'demo-out/survey';
const dataset = await vds.open(url);
const layout = vds.getLayout(dataset);
const [samples, crosslines, inlines] = [0, 1, 2].map((d) => layout.getDimensionNumSamples(d)) as [number, number, number];
const manager = vds.getAccessManager(dataset);

const curve = await new Promise<{ inline: number; rms: number }[]>((resolve, reject) => {
  range(0, inlines).pipe(
    // At most two inline requests at once: a slow consumer never pulls the whole volume in.
    mergeMap((inline) => manager.volumeSubset$([0, 0, inline], [samples, crosslines, inline + 1]).pipe(
      filter((event): event is vds.DataEvent<vds.VolumeDataTypedArray> => event.kind === 'data'),
      map(({ data }) => {
        let sum = 0;
        for (const v of data as Float32Array) sum += v * v;
        process.stderr.write(`\rinline ${inline + 1}/${inlines}`);
        return { inline, rms: Math.sqrt(sum / data.length) };
      }),
    ), 2),
    toArray(),
  ).subscribe({ next: resolve, error: reject });
});
process.stderr.write('\n');
curve.sort((a, b) => a.inline - b.inline);
const annotation = layout.getAxisDescriptor(2);
for (const { inline, rms } of curve.filter((_, i) => i % Math.ceil(inlines / 16) === 0)) {
  console.log(`inline ${annotation.sampleIndexToCoordinate(inline).toFixed(0).padStart(6)}  rms ${rms.toFixed(4)}  ${'#'.repeat(Math.round(rms * 60))}`);
}
await vds.close(dataset);
await vds.destroyChunkPool();
