// `rxvds import-segy FILE.sgy DST`: scans a SEG-Y file and writes it as a dataset the way OpenVDS's SEGYImport does.
import { BrickSize, CompressionMethod, isWaveletCompression, LODLevels } from '../../src/index.js';
import { redactUrl } from '../../sources/redact.js';
import { importSegy, type ImportSegyOptions, type ImportSegyResult } from '../../src/segy/importSegy.js';
import { Endianness, resolveTraceHeaderField, type HeaderField } from '../../src/segy/headerField.js';
import { type Command, integerOption, UsageError } from '../lib/command.js';
import { DatasetOutput, overwriteOption } from '../lib/outputs.js';
import { ProgressBar } from '../lib/progress.js';

export const importSegyCommand: Command = {
  usage: 'rxvds import-segy FILE.sgy DST [--primary-key inline|crossline|NAME|BYTE:WIDTH] [--secondary-key …] [--prestack] [--2d]\n' +
    '  [--header-field NAME=BYTE:WIDTH]… [--little-endian] [--compression None|RLE|Zip] [--brick-size 32|64|128|256] [--margin N]\n' +
    '  [--lod-levels N] [--ignore-warnings] [--overwrite] [--connection STRING]',
  options: {
    'primary-key': { type: 'string' }, 'secondary-key': { type: 'string' }, prestack: { type: 'boolean' }, '2d': { type: 'boolean' },
    'header-field': { type: 'string', multiple: true }, 'little-endian': { type: 'boolean' }, compression: { type: 'string' },
    'brick-size': { type: 'string' }, margin: { type: 'string' }, 'lod-levels': { type: 'string' }, 'ignore-warnings': { type: 'boolean' },
    ...overwriteOption,
  },
  async run(positionals, values) {
    const [input, url] = positionals;
    if (!input || !url || positionals.length > 2) throw new UsageError(`expected FILE.sgy and DST\nUsage: ${this.usage}`);
    const compression = CompressionMethod[String(values.compression ?? 'None') as keyof typeof CompressionMethod];
    if (compression === undefined || isWaveletCompression(compression)) throw new UsageError('--compression must be None, RLE or Zip');
    const brick = integerOption(values, 'brick-size', 64, 32);
    const brickSize = { 32: BrickSize.BrickSize_32, 64: BrickSize.BrickSize_64, 128: BrickSize.BrickSize_128, 256: BrickSize.BrickSize_256 }[brick];
    if (brickSize === undefined) throw new UsageError('--brick-size must be 32, 64, 128 or 256');
    const lodLevels = values['lod-levels'] === undefined ? undefined : integerOption(values, 'lod-levels', 0, 0);
    if (lodLevels !== undefined && LODLevels[lodLevels] === undefined) throw new UsageError('--lod-levels must be 0…12');
    const bar = new ProgressBar('import-segy ');
    const options: ImportSegyOptions = {
      connectionString: String(values.connection ?? ''),
      primaryKey: values['primary-key'] as string | undefined,
      secondaryKey: values['secondary-key'] as string | undefined,
      prestack: values.prestack === true,
      twoD: values['2d'] === true,
      headerFields: headerFields(values['header-field']),
      headerEndianness: values['little-endian'] ? Endianness.LittleEndian : undefined,
      compressionMethod: compression,
      brickSize,
      margin: integerOption(values, 'margin', 0, 0),
      lodLevels,
      ignoreWarnings: values['ignore-warnings'] === true,
      onProgress: (f) => bar.update(f),
    };
    const output = await DatasetOutput.prepare(url, options.connectionString!, values.overwrite === true);
    let result: ImportSegyResult;
    try {
      result = await importSegy(input, output.store, options);
      await output.commit();
    } finally {
      await output.close();
    }
    bar.done();
    const g = result.geometry;
    console.log(`imported ${input} → ${redactUrl(url)}: ${g.segyType}, ${g.axes.map((a) => `${a.name} ${a.numSamples}`).join(' × ')}, ` +
      `${result.tracesWritten} traces (${g.missingTraceCount} grid positions empty${result.tracesIgnored ? `, ${result.tracesIgnored} off-grid traces left out` : ''}), ` +
      `value range [${g.valueRange.join(', ')}]`);
  },
};

function headerFields(specs: unknown): Record<string, HeaderField> {
  const fields: Record<string, HeaderField> = {};
  for (const spec of (specs as string[] | undefined) ?? []) {
    const match = /^([^=]+)=(\d+(?::[24])?)$/.exec(spec);
    if (!match) throw new UsageError(`--header-field must be NAME=BYTE[:WIDTH], got "${spec}"`);
    fields[match[1]!] = resolveTraceHeaderField(match[2]!);
  }
  return fields;
}
