import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSegyCommand } from '../bin/commands/exportSegy.js';
import { importSegyCommand } from '../bin/commands/importSegy.js';
import { IJKCoordinateTransformer } from '../src/model/coordinates.js';
import * as vds from '../src/index.js';
import { exportSegy } from '../src/segy/exportSegy.js';
import { Endianness, readHeaderField, scaleFactor, TraceHeaderFields } from '../src/segy/headerField.js';
import { importSegy, type ImportSegyOptions } from '../src/segy/importSegy.js';
import { decodeSamples } from '../src/segy/sampleFormat.js';
import { SEGYFile } from '../src/segy/segyFile.js';
import { segyFile, sha256 } from './support/testdata.js';
import { uniqueMemoryUrl } from './support/volumes.js';

const F = vds.VolumeDataFormat;

/** Every trace of a file: header, samples as f32 and its keys. */
async function fileTraces(path: string): Promise<{ header: Uint8Array; samples: Float32Array; inline: number; crossline: number }[]> {
  const file = await SEGYFile.open(path);
  try {
    const bytes = await file.readTraces(0, file.traceCount);
    return Array.from({ length: file.traceCount }, (_, t) => {
      const trace = bytes.subarray(t * file.traceByteSize, (t + 1) * file.traceByteSize);
      const samples = new Float32Array(file.sampleCount);
      decodeSamples(trace.subarray(240), file.dataSampleFormatCode, file.dataEndianness, samples);
      const header = trace.slice(0, 240);
      return { header, samples, inline: readHeaderField(header, TraceHeaderFields.inlinenumber, file.headerEndianness),
        crossline: readHeaderField(header, TraceHeaderFields.crosslinenumber, file.headerEndianness) };
    });
  } finally {
    await file.close();
  }
}

async function read(dataset: vds.VDS, channel: number, samples: number, format = F.Format_R32): Promise<vds.VolumeDataTypedArray> {
  const layout = vds.getLayout(dataset);
  const max = Array.from({ length: layout.getDimensionality() }, (_, d) => (d === 0 ? samples : layout.getDimensionNumSamples(d)));
  const request = vds.getAccessManager(dataset).requestVolumeSubset(max.map(() => 0), max, { channel, format });
  expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
  return request.data;
}

async function roundTrip(name: string, dir: string, options: ImportSegyOptions = {}, path = segyFile(name)): Promise<{ original: Buffer; exported: Buffer }> {
  const url = uniqueMemoryUrl('segy');
  await importSegy(path, url, { lodLevels: vds.LODLevels.LODLevels_None, ...options });
  const out = join(dir, `${name.replace('/', '_')}.out.sgy`);
  await exportSegy(url, out);
  return { original: readFileSync(path), exported: readFileSync(out) };
}

/** small.sgy's file headers with the given traces of it, in the given order. */
function rewriteSmall(dir: string, name: string, traces: number[]): string {
  const bytes = readFileSync(segyFile('small.sgy'));
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([bytes.subarray(0, 3600), ...traces.map((t) => bytes.subarray(3600 + t * 440, 3600 + (t + 1) * 440))]));
  return path;
}

describe('SEG-Y import and export', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'rxvds-segy-import-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes small.sgy as OpenVDS does: axes, channels, metadata, samples, headers and trace flags', async () => {
    const url = uniqueMemoryUrl('small');
    const result = await importSegy(segyFile('small.sgy'), url);
    expect([result.tracesWritten, result.tracesIgnored]).to.deep.equal([25, 0]);
    const dataset = await vds.open(url);
    try {
      const layout = vds.getLayout(dataset);
      const axes = [0, 1, 2].map((d) => layout.getAxisDescriptor(d)).map((a) => [a.getName(), a.getUnit(), a.getNumSamples(), a.getCoordinateMin(), a.getCoordinateMax()]);
      expect(axes).to.deep.equal([['Sample', 'ms', 50, 0, 196], ['Crossline', 'unitless', 5, 20, 24], ['Inline', 'unitless', 5, 1, 5]]);
      expect(layout.getLayoutDescriptor().getLODLevels()).to.equal(vds.LODLevels.LODLevels_4);
      const channels = [0, 1, 2].map((c) => layout.getChannelDescriptor(c));
      expect(channels.map((c) => [c.getName(), c.getFormat(), c.getMapping(), c.getMappedValueCount()])).to.deep.equal([
        ['Amplitude', F.Format_R32, vds.VolumeDataMapping.Direct, 1], ['Trace', F.Format_U8, vds.VolumeDataMapping.PerTrace, 1],
        ['SEGYTraceHeader', F.Format_U8, vds.VolumeDataMapping.PerTrace, 240]]);
      expect([channels[0]!.getValueRangeMin(), channels[0]!.getValueRangeMax()]).to.deep.equal([3.1999998092651367, 3.240489959716797]);

      const original = readFileSync(segyFile('small.sgy'));
      expect(sha256(layout.getMetadataBLOB('SEGY', 'TextHeader'))).to.equal(sha256(original.subarray(0, 3200)));
      expect(sha256(layout.getMetadataBLOB('SEGY', 'BinaryHeader'))).to.equal(sha256(original.subarray(3200, 3600)));
      expect([layout.getMetadataInt('SEGY', 'Endianness'), layout.getMetadataInt('SEGY', 'DataSampleFormatCode')]).to.deep.equal([0, 1]);
      // Inline is the last dimension and the samples share the headers' byte order: nothing for SEGYExport to be told.
      expect(['DataEndianness', 'PrimaryKey'].map((name) => layout.getMetadataKeys().some((k) => k.category === 'SEGY' && k.name === name)))
        .to.deep.equal([false, false]);
      expect(layout.getMetadataString('ImportInformation', 'InputFileName')).to.equal('small.sgy');
      expect(layout.getMetadataDouble('ImportInformation', 'InputFileSize')).to.equal(14600);
      expect(layout.getMetadataString('ImportInformation', 'ImportTimeStamp')).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(layout.getMetadataString('SurveyCoordinateSystem', 'Unit')).to.equal('m');

      const traces = await fileTraces(segyFile('small.sgy'));
      const amplitude = await read(dataset, 0, 50) as Float32Array;
      const headers = await read(dataset, 2, 240, F.Format_U8) as Uint8Array;
      const flags = await read(dataset, 1, 1, F.Format_U8) as Uint8Array;
      expect([...flags]).to.deep.equal(new Array(25).fill(1));
      for (const t of traces) {
        const index = (t.crossline - 20) + 5 * (t.inline - 1);
        expect(amplitude.subarray(index * 50, index * 50 + 50)).to.deep.equal(t.samples);
        expect(headers.subarray(index * 240, index * 240 + 240)).to.deep.equal(t.header);
      }
      expect(amplitude[0]).to.equal(1.1999998092651367);
    } finally {
      await vds.close(dataset);
    }
  });

  // Every file of multiformats/ (each sample format, both byte orders) is round-tripped in segyFormats.spec.ts.
  it('exports byte for byte what it imported, in both byte orders and with extended headers, gathers and shots', async function () {
    this.timeout(60_000);
    for (const name of ['small.sgy', 'small-lsb.sgy', 'f3.sgy', 'f3-lsb.sgy', 'multi-text.sgy']) {
      const { original, exported } = await roundTrip(name, dir, { ignoreWarnings: name === 'multi-text.sgy' });
      expect(sha256(exported), name).to.equal(sha256(original));
    }
    for (const [name, options] of [['small-ps.sgy', { prestack: true }], ['shot-gather.sgy', { primaryKey: 'fieldrecord', ignoreWarnings: true }]] as const) {
      const { original, exported } = await roundTrip(name, dir, options);
      expect(sha256(exported), name).to.equal(sha256(original));
    }
  });

  it('imports crossline-sorted and sparse files and exports them in their own order', async () => {
    const order: number[] = [];
    for (let xl = 0; xl < 5; xl++) for (let il = 0; il < 5; il++) order.push(il * 5 + xl);
    const kept = order.filter((t) => t !== 6 && t !== 18);
    const path = rewriteSmall(dir, 'xl-sparse.sgy', kept);
    const url = uniqueMemoryUrl('xl');
    const result = await importSegy(path, url, { primaryKey: 'crossline', secondaryKey: 'inline', lodLevels: vds.LODLevels.LODLevels_None });
    expect([result.tracesWritten, result.geometry.missingTraceCount]).to.deep.equal([23, 2]);
    const dataset = await vds.open(url);
    try {
      const layout = vds.getLayout(dataset);
      expect([0, 1, 2].map((d) => layout.getAxisDescriptor(d).getName())).to.deep.equal(['Sample', 'Crossline', 'Inline']);
      expect(layout.getMetadataString('SEGY', 'PrimaryKey')).to.equal('Crossline');
      const flags = await read(dataset, 1, 1, F.Format_U8) as Uint8Array;
      // Trace 6 is inline 2 / crossline 21 and trace 18 inline 4 / crossline 23.
      expect([...flags].map((f, i) => (f ? -1 : i))).to.deep.equal(Array.from({ length: 25 }, (_, i) => (i === 6 || i === 18 ? i : -1)));
      const amplitude = await read(dataset, 0, 50) as Float32Array;
      expect(amplitude.subarray(6 * 50, 7 * 50).every((v) => v === 0)).to.equal(true);
      expect(amplitude[7 * 50]).to.be.closeTo(2.22, 1e-5);
    } finally {
      await vds.close(dataset);
    }
    const out = join(dir, 'xl-sparse.out.sgy');
    expect(await exportSegy(url, out)).to.deep.equal({ tracesWritten: 23, bytesWritten: 3600 + 23 * 440 });
    expect(sha256(readFileSync(out))).to.equal(sha256(readFileSync(path)));
  });

  it('imports a 2D line into Sample × CDP and exports it back', async () => {
    const path = rewriteSmall(dir, 'line2d.sgy', [10, 11, 12, 13, 14]);
    const { original, exported } = await roundTrip('line2d.sgy', dir, { twoD: true, secondaryKey: 'crossline' }, path);
    expect(sha256(exported)).to.equal(sha256(original));
  });

  it('keeps memory bounded: one trace per read gives the same dataset', async () => {
    const reference = uniqueMemoryUrl('f3a');
    const bounded = uniqueMemoryUrl('f3b');
    await importSegy(segyFile('f3.sgy'), reference, { lodLevels: vds.LODLevels.LODLevels_None, brickSize: vds.BrickSize.BrickSize_32 });
    await importSegy(segyFile('f3.sgy'), bounded, { lodLevels: vds.LODLevels.LODLevels_None, brickSize: vds.BrickSize.BrickSize_32, maxReadBytes: 1 });
    const sums: string[] = [];
    for (const url of [reference, bounded]) {
      const dataset = await vds.open(url);
      sums.push(sha256(await read(dataset, 0, 75)), sha256(await read(dataset, 2, 240, F.Format_U8)));
      expect(vds.getAccessManager(dataset).getVDSChunkCount(vds.DimensionsND.Dimensions_012)).to.equal(3 * 1 * 1);
      await vds.close(dataset);
    }
    expect(sums[2]).to.equal(sums[0]);
    expect(sums[3]).to.equal(sums[1]);
  });

  it('refuses broken, headerless and doubtful files with clear SegyFormatErrors', async () => {
    const attempt = (name: string, options: ImportSegyOptions = {}) => importSegy(segyFile(name), uniqueMemoryUrl('bad'), options).then(
      () => { throw new Error(`${name} was imported`); }, (error: Error) => {
        expect(error, name).to.be.instanceOf(vds.SegyFormatError).and.have.property('code', -1);
        return error.message;
      });
    expect(await attempt('broken.sgy')).to.contain('broken.sgy: truncated or inconsistent');
    expect(await attempt('long.sgy')).to.contain('the trace headers are missing or not 240240 bytes apart');
    expect(await attempt('text.sgy')).to.equal('text.sgy has no traces to import');
    expect(await attempt('delay-scalar.sgy')).to.contain('there is only one inlinenumber segment');
    expect(await attempt('shot-gather.sgy', { ignoreWarnings: true })).to.contain('shot-gather.sgy: found 61 traces with the same inlinenumber and secondary key');
    const corners = rewriteSmall(dir, 'corners.sgy', [0, 24]);
    const sparse = await importSegy(corners, uniqueMemoryUrl('bad')).then(() => undefined, (error: Error) => error);
    expect(sparse).to.be.instanceOf(vds.SegyFormatError);
    expect(sparse?.message).to.equal('corners.sgy: 80.0 % of the 10 traces of the grid would be empty: the header byte locations ' +
      'or primary key are probably wrong; set ignoreWarnings to import it anyway');
  });

  it('places the corner traces of normal-small and acute-small at their CDP X/Y', async () => {
    for (const name of ['normal-small.sgy', 'acute-small.sgy']) {
      const url = uniqueMemoryUrl('grid');
      await importSegy(segyFile(name), url, { lodLevels: vds.LODLevels.LODLevels_None });
      const dataset = await vds.open(url);
      try {
        const transformer = IJKCoordinateTransformer.fromLayout(vds.getLayout(dataset));
        expect(transformer.grid.dimensionMap).to.deep.equal([2, 1, 0]);
        const traces = await fileTraces(segyFile(name));
        for (const t of [traces[0]!, traces[4]!, traces[20]!, traces[24]!]) {
          const scale = scaleFactor(readHeaderField(t.header, TraceHeaderFields.coordinatescale, Endianness.BigEndian));
          const x = readHeaderField(t.header, TraceHeaderFields.ensemblexcoordinate, Endianness.BigEndian) * scale;
          const y = readHeaderField(t.header, TraceHeaderFields.ensembleycoordinate, Endianness.BigEndian) * scale;
          const voxel: [number, number, number] = [0, t.crossline - 20, t.inline - 1];
          const world = transformer.voxelPositionToWorld(voxel);
          expect(world[0], `${name} x of ${t.inline}/${t.crossline}`).to.be.closeTo(x, 1e-9);
          expect(world[1], `${name} y of ${t.inline}/${t.crossline}`).to.be.closeTo(y, 1e-9);
          expect(transformer.voxelPositionToAnnotation(voxel)).to.deep.equal([t.inline, t.crossline, 0]);
          expect(transformer.worldToAnnotation([x, y, -8]).map((v) => +v.toFixed(9))).to.deep.equal([t.inline, t.crossline, 8]);
          expect(transformer.annotationToVoxelPosition([t.inline, t.crossline, 8]).map((v) => +v.toFixed(9))).to.deep.equal([2, t.crossline - 20, t.inline - 1]);
        }
      } finally {
        await vds.close(dataset);
      }
    }
  });

  it('runs as the import-segy and export-segy commands', async () => {
    const target = join(dir, 'cli-dataset');
    const out = join(dir, 'cli.sgy');
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => { lines.push(line); };
    try {
      // parseArgs gives an array for the repeatable --header-field.
      const values = { compression: 'Zip', 'lod-levels': '0', 'header-field': ['inline=189:4'] } as unknown as Record<string, string>;
      await importSegyCommand.run([segyFile('tiny.sgy'), target], values);
      await exportSegyCommand.run([target, out], {});
    } finally {
      console.log = log;
    }
    expect(lines).to.deep.equal([
      `imported ${segyFile('tiny.sgy')} → ${target}: Poststack, Sample 4 × Crossline 2 × Inline 3, 6 traces (0 grid positions empty), value range [2.1999998092651367, 2.2100296020507812]`,
      `exported ${target} → ${out}: 6 traces, 5136 bytes`]);
    expect(sha256(readFileSync(out))).to.equal(sha256(readFileSync(segyFile('tiny.sgy'))));
    // Wavelet at tolerance 1: every sample within 1/255 of the value range of the Zip import's.
    const wavelet = join(dir, 'cli-wavelet');
    console.log = () => undefined;
    try {
      await importSegyCommand.run([segyFile('tiny.sgy'), wavelet], { compression: 'Wavelet', tolerance: '1', 'lod-levels': '0' });
    } finally {
      console.log = log;
    }
    const [exactValues, waveletValues] = await Promise.all([target, wavelet].map(async (url) => {
      const dataset = await vds.open(url);
      const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], [4, 2, 3]);
      expect(await request.waitForCompletion()).to.equal(true);
      await vds.close(dataset);
      return request.data as Float32Array;
    }));
    const bound = (2.2100296020507812 - 2.1999998092651367) / 255;
    expect(Math.max(...waveletValues!.map((v, i) => Math.abs(v - exactValues![i]!)))).to.be.at.most(bound);
  });
});
