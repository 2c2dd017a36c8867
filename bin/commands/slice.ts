// `rxvds slice URL --dim D --index I`: one slice through dimension D as a PNG or raw float32 file.
import { writeFile } from 'node:fs/promises';
import { redactUrl } from '../../sources/redact.js';
import * as vds from '../../src/index.js';
import { type Command, integerOption, UsageError } from '../lib/command.js';
import { FileOutput, overwriteOption } from '../lib/outputs.js';
import { percentileClip, sliceToPNG } from '../lib/png.js';
import { ProgressBar } from '../lib/progress.js';

export const sliceCommand: Command = {
  usage: 'rxvds slice URL --dim D --index I [--lod L] [--channel C] --out FILE.png|FILE.f32 [--overwrite] [--connection STRING]',
  options: {
    dim: { type: 'string' }, index: { type: 'string' }, lod: { type: 'string' }, channel: { type: 'string' },
    out: { type: 'string', short: 'o' }, ...overwriteOption,
  },
  async run(positionals, values) {
    const [url] = positionals;
    const out = values.out === undefined ? undefined : String(values.out);
    if (!url || positionals.length > 1 || !out) throw new UsageError(`expected a URL and --out\nUsage: ${this.usage}`);
    if (!/\.(png|f32)$/i.test(out)) throw new UsageError('--out must end in .png or .f32');
    const output = await FileOutput.prepare(out, values.overwrite === true);
    const dataset = await vds.open(url, String(values.connection ?? '')).catch(async (error: unknown) => {
      await output.close();
      throw error;
    });
    try {
      const layout = vds.getLayout(dataset);
      const dims = layout.getDimensionality();
      const dim = integerOption(values, 'dim', -1, 0);
      if (dim < 0 || dim >= dims) throw new UsageError(`--dim must be 0…${dims - 1}`);
      const n = layout.getDimensionNumSamples(dim);
      const index = integerOption(values, 'index', -1, 0);
      if (index < 0 || index >= n) throw new UsageError(`--index must be 0…${n - 1} for dimension ${dim}`);
      const lod = integerOption(values, 'lod', 0, 0);
      const channel = integerOption(values, 'channel', 0, 0);
      const min = Array.from({ length: dims }, (_, d) => (d === dim ? index : 0));
      const max = Array.from({ length: dims }, (_, d) => (d === dim ? index + 1 : layout.getDimensionNumSamples(d)));
      const bar = new ProgressBar(`slice ${dim}:${index}`);
      const request = vds.getAccessManager(dataset).requestVolumeSubset(min, max, { lod, channel });
      request.subscribe({ next: (e) => { if (e.kind === 'progress') bar.update(e.completionFactor); }, error: () => undefined });
      if (!(await request.waitForCompletion())) throw new Error(request.errorMessage);
      bar.done();
      const data = request.data as Float32Array;
      if (out.toLowerCase().endsWith('.f32')) {
        await writeFile(output.temp, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      } else {
        // The two remaining dimensions, LOD-decimated: the lower one runs down the image.
        const [a, b] = [0, 1, 2].filter((d) => d !== dim).map((d) => ((max[d]! - min[d]! - 1) >> lod) + 1) as [number, number];
        const image = new Float32Array(a * b);
        for (let j = 0; j < b; j++) for (let i = 0; i < a; i++) image[j + i * b] = data[i + j * a]!;
        const clip = percentileClip(image);
        await writeFile(output.temp, sliceToPNG(image, b, a, -clip, clip));
      }
      await output.commit();
      console.log(`${out}: ${data.length} samples of ${redactUrl(url)} (dimension ${dim} = ${index}, LOD ${lod})`);
    } finally {
      await output.close();
      await vds.close(dataset, false);
    }
  },
};
