// `rxvds import-segy FILE.sgy DST`: scans a SEG-Y file and writes it as a dataset the way OpenVDS's
// SEGYImport does, with SEGYImport's option names (`--url`, `--compression-method`, `-p`, `-s`, …).
import { readFile, writeFile } from 'node:fs/promises';
import { BrickSize, LODLevels } from '../../src/index.js';
import { compressionMethod, compressionTolerance } from '../lib/compression.js';
import { redactUrl } from '../../sources/stores/redact.js';
import { importSegy, type ImportSegyOptions, type ImportSegyResult } from '../../src/segy/importSegy.js';
import { Endianness, headerField, resolveTraceHeaderField, TRACE_HEADER_SIZE, type HeaderField } from '../../src/segy/headerField.js';
import type { SampleUnit } from '../../src/segy/geometry.js';
import { type SEGYScan, scanSegy } from '../../src/segy/scan.js';
import { fileInfoJson, scanFromFileInfo } from '../../src/segy/scanFile.js';
import { SEGYFile } from '../../src/segy/segyFile.js';
import { AcknowledgedWrites } from '../lib/acknowledgedWrites.js';
import { type Command, integerOption, type OptionValues, stringOption, UsageError } from '../lib/command.js';
import { DatasetOutput, overwriteOption, refuse } from '../lib/outputs.js';
import { type DistributedImportOptions, importJobId, startImportSegyDistributed } from '../../src/distributed/importSegyDistributed.js';
import { flowExists } from '../../src/distributed/flow.js';
import { openStore } from '../../sources/stores/openStore.js';
import { objectInfo } from '../../sources/stores/store.js';
import { ProgressBar } from '../lib/progress.js';
import { followRun } from '../lib/followRun.js';

export const importSegyCommand: Command = {
  usage: 'rxvds import-segy (FILE.sgy | URL.sgy) (DST | --url DST) [-p|--primary-key inline|crossline|NAME|BYTE:WIDTH] [-s|--secondary-key …]\n' +
    '  [--prestack] [--2d] [--header-field NAME=BYTE[:WIDTH]]… [--header-format FILE.json] [-l|--little-endian] [--scale N]\n' +
    '  [--sample-unit ms|m|ft] [--compression-method None|RLE|Zip|Wavelet|WaveletLossless] [--tolerance T] [-b|--brick-size 32|64|128|256] [--margin N] [--lod-levels N]\n' +
    '  [--scan [-i|--file-info OUT.json]] [-i|--file-info SCAN.json] [--attribute-name NAME] [--attribute-unit UNIT] [--crs-wkt WKT] [--persistentID HEX] [--ignore-warnings] [--overwrite]\n' +
    '  [-c|--connection|--url-connection STRING] [--input-connection STRING] [--single-connection] [-q|--quiet] [--progress bar|plain|json|none]\n' +
    '  [--distributed redis://HOST:PORT]   (the work goes to `rxvds worker` processes; input and output must be reachable by every worker)',
  options: {
    url: { type: 'string' }, vdsfile: { type: 'string' }, 'url-connection': { type: 'string' }, 'input-connection': { type: 'string' },
    'single-connection': { type: 'boolean' },
    'primary-key': { type: 'string', short: 'p' }, 'secondary-key': { type: 'string', short: 's' }, prestack: { type: 'boolean' },
    '2d': { type: 'boolean' }, 'header-field': { type: 'string', multiple: true }, 'header-format': { type: 'string' },
    'little-endian': { type: 'boolean', short: 'l' }, scale: { type: 'string' }, 'sample-unit': { type: 'string' },
    compression: { type: 'string' }, 'compression-method': { type: 'string' }, tolerance: { type: 'string' },
    'brick-size': { type: 'string', short: 'b' }, margin: { type: 'string' }, 'lod-levels': { type: 'string' },
    'attribute-name': { type: 'string' }, 'attribute-unit': { type: 'string' }, 'crs-wkt': { type: 'string' },
    scan: { type: 'boolean' }, 'file-info': { type: 'string', short: 'i' }, persistentID: { type: 'string' }, 'disable-persistentID': { type: 'boolean' }, 'ignore-warnings': { type: 'boolean' },
    distributed: { type: 'string' },
    ...overwriteOption,
  },
  async run(positionals, values) {
    const input = positionals[0];
    const urlFlag = stringOption(values, 'url', 'vdsfile');
    const url = datasetUrl(urlFlag ?? positionals[1], values);
    const scanOnly = values.scan === true;
    if (!input || (!url && !scanOnly) || positionals.length > (urlFlag === undefined && !scanOnly ? 2 : 1)) {
      throw new UsageError(`expected FILE.sgy and DST (or --url DST), or FILE.sgy --scan\nUsage: ${this.usage}`);
    }
    const connectionString = stringOption(values, 'connection', 'url-connection') ?? '';
    // SEGYImport's --single-connection: the output's connection string opens the input too.
    const inputConnectionString = values['single-connection'] ? connectionString : String(values['input-connection'] ?? '');
    const format = values['header-format'] === undefined ? undefined : await headerFormat(String(values['header-format']));
    const method = compressionMethod(values);
    const options: ImportSegyOptions = {
      connectionString,
      inputConnectionString,
      primaryKey: values['primary-key'] as string | undefined,
      secondaryKey: values['secondary-key'] as string | undefined,
      prestack: values.prestack === true,
      twoD: values['2d'] === true,
      headerFields: { ...format?.fields, ...headerFields(values['header-field']) },
      headerEndianness: values['little-endian'] ? Endianness.LittleEndian : format?.endianness,
      coordinateScaleOverride: numberOption(values, 'scale'),
      sampleUnit: sampleUnit(values['sample-unit']),
      compressionMethod: method,
      compressionTolerance: compressionTolerance(values, method),
      brickSize: brickSize(values),
      margin: integerOption(values, 'margin', 0, 0),
      lodLevels: lodLevels(values),
      attributeName: values['attribute-name'] as string | undefined,
      attributeUnit: values['attribute-unit'] as string | undefined,
      crsWkt: values['crs-wkt'] as string | undefined,
      ignoreWarnings: values['ignore-warnings'] === true,
    };
    const fileInfo = values['file-info'] === undefined ? undefined : String(values['file-info']);
    if (scanOnly) return writeScan(input, options, fileInfo, values.persistentID as string | undefined);

    const { size, scan } = await inspect(input, options, fileInfo);
    if (values.distributed !== undefined) {
      return importDistributed(input, url!, { ...options, scan, redis: String(values.distributed) }, values.overwrite === true);
    }
    const output = await DatasetOutput.prepare(url!, connectionString, values.overwrite === true);
    let result: ImportSegyResult;
    try {
      // Counted in bytes of SEG-Y whose traces are stored (a rate in MB/s); 100 % once the dataset is committed.
      const bar = new ProgressBar('import-segy', { total: size, unit: 'bytes' });
      const writes = new AcknowledgedWrites((f) => bar.update(f));
      result = await importSegy(input, writes.wrap(output.store), { ...options, scan, onProgress: (f) => writes.queued(f) });
      await output.commit();
      bar.done();
    } finally {
      await output.close();
    }
    const g = result.geometry;
    console.log(`imported ${input} → ${redactUrl(url!)}: ${g.segyType}, ${g.axes.map((a) => `${a.name} ${a.numSamples}`).join(' × ')}, ` +
      `${result.tracesWritten} traces (${g.missingTraceCount} grid positions empty${result.tracesIgnored ? `, ${result.tracesIgnored} off-grid traces left out` : ''}), ` +
      `value range [${g.valueRange.join(', ')}]`);
  },
};

/**
 * The import runs on the workers of the queue; this process plans it, enqueues it and follows it.
 * The dataset is written in place (every worker writes into it), and opens only once complete.
 */
async function importDistributed(input: string, url: string, options: DistributedImportOptions, overwrite: boolean): Promise<void> {
  const store = openStore(url, options.connectionString ?? '', 'open').store;
  const exists = await objectInfo(store, 'VolumeDataLayout').finally(() => store.close?.());
  // The same command run again follows its import, which may have published the dataset meanwhile.
  if (exists && !overwrite && !await flowExists(options.redis, importJobId(input, url, options))) refuse(redactUrl(url));
  // Interrupting this process leaves the import to the workers: the same command follows it again.
  const result = await followRun('import-segy', 'import', startImportSegyDistributed(input, url, options));
  console.log(`imported ${input} → ${redactUrl(url)} on the workers of ${redactUrl(options.redis)}: ${result.parts} parts, ` +
    `${result.tracesWritten} traces${result.tracesIgnored ? ` (${result.tracesIgnored} off-grid traces left out)` : ''}, ${result.chunksWritten} chunks`);
}

/** The input's size (for the progress total) and, from a --file-info file, its scan checked against it. */
async function inspect(input: string, options: ImportSegyOptions, fileInfo: string | undefined): Promise<{ size: number; scan?: SEGYScan }> {
  const text = fileInfo === undefined ? undefined : await readFile(fileInfo, 'utf8').catch((error: Error) => {
    throw new UsageError(`--file-info ${fileInfo}: ${error.message}`);
  });
  const file = await SEGYFile.open(input, options);
  try {
    return { size: file.fileSize, scan: text === undefined ? undefined : scanFromFileInfo(text, file, options, fileInfo!) };
  } finally {
    await file.close();
  }
}

/** SEGYImport's --scan: the file info as JSON, into the --file-info file or on stdout; nothing is imported. */
async function writeScan(input: string, options: ImportSegyOptions, fileInfo: string | undefined, persistentID: string | undefined): Promise<void> {
  if (persistentID !== undefined) checkPersistentID(persistentID);
  const file = await SEGYFile.open(input, options);
  let json: string;
  try {
    json = JSON.stringify(fileInfoJson(file, await scanSegy(file, options), persistentID?.toUpperCase()), null, 2);
  } finally {
    await file.close();
  }
  if (fileInfo === undefined) console.log(json);
  else await writeFile(fileInfo, `${json}\n`);
}

/** The value of the first of `names` given (SEGYImport's name and rxvds's alias must not both be). */
function numberOption(values: OptionValues, name: string): number | undefined {
  if (values[name] === undefined) return undefined;
  const value = Number(values[name]);
  if (!Number.isFinite(value)) throw new UsageError(`--${name} must be a number, got "${String(values[name])}"`);
  return value;
}

/**
 * SEGYImport writes a cloud dataset under URL/PERSISTENTID unless told --disable-persistentID; rxvds
 * writes to URL itself, and under URL/ID only when --persistentID ID is given.
 */
function datasetUrl(url: string | undefined, values: OptionValues): string | undefined {
  const id = values.persistentID;
  if (id === undefined || url === undefined) return url;
  if (values['disable-persistentID']) throw new UsageError('--persistentID and --disable-persistentID contradict each other');
  checkPersistentID(String(id));
  return `${url.replace(/\/+$/, '')}/${String(id).toUpperCase()}`;
}

function checkPersistentID(id: string): void {
  if (!/^[0-9A-Fa-f]{1,16}$/.test(id)) throw new UsageError(`--persistentID must be 1 to 16 hexadecimal digits, got "${id}"`);
}

function brickSize(values: OptionValues): BrickSize {
  const brick = integerOption(values, 'brick-size', 64, 32);
  const size = { 32: BrickSize.BrickSize_32, 64: BrickSize.BrickSize_64, 128: BrickSize.BrickSize_128, 256: BrickSize.BrickSize_256 }[brick];
  if (size === undefined) throw new UsageError('--brick-size must be 32, 64, 128 or 256');
  return size;
}

function lodLevels(values: OptionValues): LODLevels | undefined {
  const levels = values['lod-levels'] === undefined ? undefined : integerOption(values, 'lod-levels', 0, 0);
  if (levels !== undefined && LODLevels[levels] === undefined) throw new UsageError('--lod-levels must be 0…12');
  return levels;
}

function sampleUnit(raw: unknown): SampleUnit | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'ms' || raw === 'm' || raw === 'ft') return raw;
  throw new UsageError(`--sample-unit must be ms, m or ft, got "${String(raw)}"`);
}

function headerFields(specs: unknown): Record<string, HeaderField> {
  const fields: Record<string, HeaderField> = {};
  for (const spec of (specs as string[] | undefined) ?? []) {
    const match = /^([^=]+)=(\d+(?::[24])?)$/.exec(spec);
    if (!match) throw new UsageError(`--header-field must be NAME=BYTE[:WIDTH], got "${spec}"`);
    fields[match[1]!] = resolveTraceHeaderField(match[2]!);
  }
  return fields;
}

/**
 * SEGYImport's --header-format file: `{ "inline": [189, "FourByte"], …, "Endianness": "BigEndian" }`,
 * byte locations 1-based as in the SEG-Y standard.
 */
async function headerFormat(path: string): Promise<{ fields: Record<string, HeaderField>; endianness?: Endianness }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--header-format ${path}: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UsageError(`--header-format ${path}: expected a JSON object`);
  const fields: Record<string, HeaderField> = {};
  let endianness: Endianness | undefined;
  for (const [name, value] of Object.entries(json)) {
    if (name === 'Endianness') {
      if (value !== 'BigEndian' && value !== 'LittleEndian') throw new UsageError(`--header-format ${path}: Endianness must be "BigEndian" or "LittleEndian"`);
      endianness = value === 'BigEndian' ? Endianness.BigEndian : Endianness.LittleEndian;
      continue;
    }
    const [byte, width] = Array.isArray(value) ? value as unknown[] : [];
    if (!Number.isInteger(byte) || (width !== 'TwoByte' && width !== 'FourByte')) {
      throw new UsageError(`--header-format ${path}: "${name}" must be [BYTE, "TwoByte" | "FourByte"], got ${JSON.stringify(value)}`);
    }
    const bytes = width === 'TwoByte' ? 2 : 4;
    if ((byte as number) < 1 || (byte as number) + bytes - 1 > TRACE_HEADER_SIZE) {
      throw new UsageError(`--header-format ${path}: "${name}" at byte ${String(byte)} (${bytes} bytes) lies outside the ${TRACE_HEADER_SIZE}-byte trace header`);
    }
    fields[name] = headerField(byte as number, bytes);
  }
  return { fields, endianness };
}
