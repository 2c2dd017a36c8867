// `rxvds slice URL --inline N | --crossline N | --time T | … | --dim D --index I`: one slice as an
// annotated PNG or raw float32 file.
import { writeFile } from 'node:fs/promises';
import { redactUrl } from '../../sources/stores/redact.js';
import * as vds from '../../src/index.js';
import { type Command, integerOption, type OptionValues, UsageError } from '../lib/command.js';
import { FileOutput, overwriteOption } from '../lib/outputs.js';
import { ProgressBar } from '../lib/progress.js';

/** Options naming an annotation value, by the axis names (and, for a `Sample` axis, its unit) of the layout. */
const annotationFlags = ['inline', 'crossline', 'time', 'depth', 'sample'] as const;

function numberOption(values: OptionValues, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value)) throw new UsageError(`--${name} must be a number, got "${String(raw)}"`);
  return value;
}

/** The annotation selection of the command line: the axis flags and `--at NAME=VALUE` for any other axis. */
function annotationSelection(values: OptionValues): vds.AnnotationSelection {
  const selection: Record<string, number> = {};
  for (const flag of annotationFlags) {
    const value = numberOption(values, flag);
    if (value !== undefined) selection[flag] = value;
  }
  for (const raw of [values.at ?? []].flat()) {
    const match = /^(.+)=(.+)$/.exec(String(raw));
    const value = match ? Number(match[2]) : Number.NaN;
    if (!match || !Number.isFinite(value)) throw new UsageError(`--at must be NAME=VALUE with a number, got "${String(raw)}"`);
    selection[match[1]!] = value;
  }
  return selection;
}

/** `--dim D --index I`: one voxel index of one dimension, the rest whole. */
function voxelSlice(layout: vds.VolumeDataLayout, values: OptionValues): vds.VoxelBox {
  const dims = layout.getDimensionality();
  const dim = integerOption(values, 'dim', -1, 0);
  if (dim < 0 || dim >= dims) throw new UsageError(`--dim must be 0…${dims - 1}`);
  const n = layout.getDimensionNumSamples(dim);
  const index = integerOption(values, 'index', -1, 0);
  if (index < 0 || index >= n) throw new UsageError(`--index must be 0…${n - 1} for dimension ${dim}`);
  return {
    min: Array.from({ length: dims }, (_, d) => (d === dim ? index : 0)),
    max: Array.from({ length: dims }, (_, d) => (d === dim ? index + 1 : layout.getDimensionNumSamples(d))),
  };
}

/** The annotation coordinate of voxel `index` of dimension `d`, with its unit. */
function annotationText(layout: vds.VolumeDataLayout, d: number, index: number): string {
  const unit = layout.getDimensionUnit(d);
  const value = +layout.getAxisDescriptor(d).sampleIndexToCoordinate(index).toPrecision(7);
  return unit && unit !== 'unitless' ? `${value} ${unit}` : `${value}`;
}

function pictureOptions(values: OptionValues): vds.SlicePictureOptions {
  const colorMap = values.colormap === undefined ? undefined : String(values.colormap) as vds.ColorMapName;
  if (colorMap !== undefined && !vds.colorMapNames.includes(colorMap)) throw new UsageError(`--colormap must be one of ${vds.colorMapNames.join(', ')}`);
  const width = values.width === undefined ? undefined : integerOption(values, 'width', 0, 1);
  const height = values.height === undefined ? undefined : integerOption(values, 'height', 0, 1);
  return { colorMap, clip: numberOption(values, 'clip'), percentile: numberOption(values, 'percentile'), gain: numberOption(values, 'gain'), width, height };
}

export const sliceCommand: Command = {
  usage: 'rxvds slice URL (--inline N | --crossline N | --time T | --depth Z | --sample S | --at AXIS=VALUE … | --dim D --index I) ' +
    '[--lod L] [--channel C] --out FILE.png|FILE.f32 [--colormap seismic|grey|viridis] [--clip V | --percentile P] [--gain G] ' +
    '[--width W] [--height H] [--overwrite] [--connection STRING]',
  options: {
    dim: { type: 'string' }, index: { type: 'string' }, lod: { type: 'string' }, channel: { type: 'string' },
    out: { type: 'string', short: 'o' }, ...overwriteOption,
    inline: { type: 'string' }, crossline: { type: 'string' }, time: { type: 'string' }, depth: { type: 'string' }, sample: { type: 'string' },
    at: { type: 'string', multiple: true },
    colormap: { type: 'string' }, clip: { type: 'string' }, percentile: { type: 'string' }, gain: { type: 'string' },
    width: { type: 'string' }, height: { type: 'string' },
  },
  async run(positionals, values) {
    const [url] = positionals;
    const out = values.out === undefined ? undefined : String(values.out);
    if (!url || positionals.length > 1 || !out) throw new UsageError(`expected a URL and --out\nUsage: ${this.usage}`);
    if (!/\.(png|f32)$/i.test(out)) throw new UsageError('--out must end in .png or .f32');
    const selection = annotationSelection(values);
    const byVoxel = values.dim !== undefined || values.index !== undefined;
    if (byVoxel === (Object.keys(selection).length > 0)) {
      throw new UsageError(`choose the slice by annotation (--inline, --crossline, --time, --depth, --sample, --at) or by --dim/--index\nUsage: ${this.usage}`);
    }
    const picture = pictureOptions(values);
    const output = await FileOutput.prepare(out, values.overwrite === true);
    const dataset = await vds.open(url, String(values.connection ?? '')).catch(async (error: unknown) => {
      await output.close();
      throw error;
    });
    try {
      const layout = vds.getLayout(dataset);
      const box = byVoxel ? voxelSlice(layout, values) : vds.annotationSlice(layout, selection);
      const lod = integerOption(values, 'lod', 0, 0);
      const channel = integerOption(values, 'channel', 0, 0);
      const where = box.min.flatMap((lo, d) => (box.max[d] === lo + 1 && layout.getDimensionNumSamples(d) > 1
        ? [`${layout.getDimensionName(d)} ${annotationText(layout, d, lo)}`] : [])).join(', ');
      const bar = new ProgressBar(`slice ${where}`);
      const request = vds.requestShapedSubset(dataset, box, { lod, channel });
      request.subscribe({ next: (e) => { if (e.kind === 'progress') bar.update(e.completionFactor); }, error: () => undefined });
      if (!(await request.waitForCompletion())) throw new vds.ReadError(request.errorMessage, request.errorCode);
      bar.done();
      const { data } = request.data;
      if (out.toLowerCase().endsWith('.f32')) {
        await writeFile(output.temp, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      } else {
        const unit = layout.getChannelUnit(channel);
        const valueLabel = `${layout.getChannelName(channel)}${unit && unit !== 'unitless' ? ` (${unit})` : ''}`;
        const png = (() => {
          try {
            return vds.slicePNG(request.data, { ...picture, title: where, valueLabel });
          } catch (error) {
            // A 4D slice needs one more coordinate: say which flag gives it.
            if (error instanceof vds.InvalidArgumentError && /two axes/.test(error.message)) throw new UsageError(`${error.message} (add --at AXIS=VALUE)`);
            throw error;
          }
        })();
        await writeFile(output.temp, png);
      }
      await output.commit();
      console.log(`${out}: ${data.length} samples of ${redactUrl(url)} (${where}, LOD ${lod})`);
    } finally {
      await output.close();
      await vds.close(dataset, false);
    }
  },
};
