// Streams every inline of a dataset through the reactive API and prints its RMS amplitude: a
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
    // Format_R32 delivers values (integer SEG-Y samples included), not the stored codes.
    mergeMap((inline) => manager.volumeSubset$([0, 0, inline], [samples, crosslines, inline + 1], { format: vds.VolumeDataFormat.Format_R32 }).pipe(
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
// Bars scaled to the largest RMS, so the picture fits a terminal whatever the amplitudes.
const BAR = 50;
const largest = Math.max(...curve.map((c) => c.rms)) || 1;
const annotation = layout.getAxisDescriptor(2);
const unit = layout.getChannelUnit(0);
console.log(`RMS ${layout.getChannelName(0)}${unit ? ` (${unit})` : ''} per ${annotation.getName()}, ${crosslines} × ${samples} samples each`);
for (const { inline, rms } of curve.filter((_, i) => i % Math.ceil(inlines / 32) === 0)) {
  console.log(`${annotation.getName()} ${annotation.sampleIndexToCoordinate(inline).toFixed(0).padStart(6)}  rms ${rms.toPrecision(6).padStart(10)}  ` +
    '#'.repeat(Math.round((rms / largest) * BAR)));
}
await vds.close(dataset);
await vds.destroyChunkPool();
