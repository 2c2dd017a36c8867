// `rxvds demo`: writes a synthetic survey to a local folder, then reads three slices back as shaped
// subsets (annotation coordinates included) and saves them as pictures with annotated axes and a
// colour bar, drawn by the library's `slicePNG`.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DatasetStore } from '../../src/engine/datasetStore.js';
import * as vds from '../../src/index.js';
import { type Command, integerOption, UsageError } from '../lib/command.js';
import { DatasetOutput, FileOutput, overwriteOption } from '../lib/outputs.js';
import { ProgressBar } from '../lib/progress.js';
import { SyntheticSurvey, writeSyntheticSurvey } from '../lib/syntheticSurvey.js';

const MB = 1024 * 1024;

export const demoCommand: Command = {
  usage: 'rxvds demo [--out DIR] [--size N] [--compression Zip|RLE|None|Wavelet] [--overwrite]',
  options: {
    out: { type: 'string', short: 'o' },
    size: { type: 'string' },
    compression: { type: 'string' },
    ...overwriteOption,
  },
  async run(_positionals, values) {
    const outDir = resolve(String(values.out ?? 'demo-out'));
    const size = integerOption(values, 'size', 256, 16);
    const method = vds.CompressionMethod[String(values.compression ?? 'Zip') as keyof typeof vds.CompressionMethod];
    if (method === undefined) throw new UsageError('--compression must be Zip, RLE, None or one of the Wavelet methods');
    const url = join(outDir, 'survey');
    const overwrite = values.overwrite === true;
    await mkdir(outDir, { recursive: true });
    const slices = ['inline', 'crossline', 'timeslice'];
    // Refuse before any work if an output is in the way.
    const pictures = new Map<string, FileOutput>();
    for (const name of slices) pictures.set(name, await FileOutput.prepare(join(outDir, `${name}.png`), overwrite));
    const output = await DatasetOutput.prepare(url, '', overwrite);

    const survey = new SyntheticSurvey(size, size, size);
    let written;
    try {
      written = await writeSurvey(output.store, survey, method);
      await output.commit();
    } finally {
      await output.close();
    }
    console.log(`wrote ${url}: ${size}×${size}×${size} R32 ${vds.CompressionMethod[method]}, ` +
      `${(written.bytes / MB).toFixed(1)} MB in ${written.seconds.toFixed(2)} s (${(written.bytes / MB / written.seconds).toFixed(0)} MB/s)`);

    const dataset = await vds.open(url);
    try {
      const mid = Math.floor(size / 2);
      const boxes = [
        { name: 'inline', min: [0, 0, mid], max: [size, size, mid + 1] },
        { name: 'crossline', min: [0, mid, 0], max: [size, mid + 1, size] },
        { name: 'timeslice', min: [mid, 0, 0], max: [mid + 1, size, size] },
      ];
      for (const slice of boxes) {
        const start = performance.now();
        const bar = new ProgressBar(`read ${slice.name.padEnd(9)}`);
        const request = vds.requestShapedSubset(dataset, slice);
        request.subscribe({ next: (e) => { if (e.kind === 'progress') bar.update(e.completionFactor); }, error: () => undefined });
        if (!(await request.waitForCompletion())) throw new vds.ReadError(`reading the ${slice.name} failed: ${request.errorMessage}`, request.errorCode);
        bar.done();
        const seconds = (performance.now() - start) / 1000;
        const shaped = request.data;
        // The axis the slice cuts names it: "Inline 2128", "Sample 512 ms".
        const cut = shaped.axes.find((axis) => axis.count === 1)!;
        const title = `demo survey - ${cut.name} ${cut.start}${cut.unit && cut.unit !== 'unitless' ? ` ${cut.unit}` : ''}`;
        const picture = pictures.get(slice.name)!;
        await writeFile(picture.temp, vds.slicePNG(shaped, { title, valueLabel: 'Amplitude' }));
        await picture.commit();
        console.log(`read ${slice.name.padEnd(9)} ${slice.min.join(',')}…${slice.max.join(',')}: ${shaped.data.length} samples, ` +
          `${(shaped.data.byteLength / MB).toFixed(2)} MB in ${(seconds * 1000).toFixed(1)} ms → ${picture.path}`);
      }
    } finally {
      for (const picture of pictures.values()) await picture.close();
      await vds.close(dataset);
    }
  },
};

async function writeSurvey(store: vds.Store | DatasetStore, survey: SyntheticSurvey, method: vds.CompressionMethod): Promise<{ bytes: number; seconds: number }> {
  const start = performance.now();
  const bar = new ProgressBar('write survey ');
  await writeSyntheticSurvey(store, survey, method, (fraction) => bar.update(fraction));
  bar.done();
  return { bytes: survey.samples * survey.crosslines * survey.inlines * 4, seconds: (performance.now() - start) / 1000 };
}
