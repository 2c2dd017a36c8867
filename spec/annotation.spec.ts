// Annotation coordinates ↔ voxels and shaped results, on the F3 cut imported from SEG-Y. Expected
// values come from the SEG-Y trace headers (inline at byte 189, crossline at 193, CDP X/Y at 181/185
// with scalar −10) and samples (16-bit integers), read here independently of the importer.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vds from '../src/index.js';
import { segyFile } from './support/testdata.js';

const f3 = readFileSync(segyFile('f3.sgy'));
const SAMPLES = 75, TRACE_BYTES = 240 + SAMPLES * 2;
const traceCount = (f3.length - 3600) / TRACE_BYTES;
const header = (trace: number, byte: number): number => f3.readInt32BE(3600 + trace * TRACE_BYTES + byte - 1);
const sample = (trace: number, k: number): number => f3.readInt16BE(3600 + trace * TRACE_BYTES + 240 + 2 * k);

function errorOf(f: () => unknown): Error {
  try { f(); } catch (error) { return error as Error; }
  throw new Error('expected an error');
}

describe('annotation coordinates and shaped results (F3)', () => {
  let dir: string;
  let dataset: vds.VDS;
  let layout: vds.VolumeDataLayout;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rxvds-annotation-'));
    await vds.segy.importSegy(segyFile('f3.sgy'), join(dir, 'f3'), { lodLevels: vds.LODLevels.LODLevels_1 });
    dataset = await vds.open(join(dir, 'f3'), '');
    layout = vds.getLayout(dataset);
  });
  after(async () => {
    await vds.close(dataset, false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('maps the inline/crossline of the first and last trace (SEG-Y headers) to the corner voxels', () => {
    const [firstInline, firstCrossline] = [header(0, 189), header(0, 193)];
    const [lastInline, lastCrossline] = [header(traceCount - 1, 189), header(traceCount - 1, 193)];
    expect([firstInline, firstCrossline, lastInline, lastCrossline]).to.deep.equal([111, 875, 133, 892]);
    expect(vds.annotationSlice(layout, { inline: firstInline, crossline: firstCrossline }))
      .to.deep.equal({ min: [0, 0, 0], max: [75, 1, 1] });
    expect(vds.annotationSlice(layout, { Inline: lastInline, CROSSLINE: lastCrossline }))
      .to.deep.equal({ min: [0, 17, 22], max: [75, 18, 23] });
    // The Sample axis is in ms, so it answers to "time"; 4 ms is the first sample, 300 ms the last.
    expect(vds.annotationSlice(layout, { time: 4 })).to.deep.equal({ min: [0, 0, 0], max: [1, 18, 23] });
    expect(vds.annotationSlice(layout, { sample: [100, 300] })).to.deep.equal({ min: [24, 0, 0], max: [75, 18, 23] });
    expect(vds.annotationSlice(layout, { inline: [133, 120] })).to.deep.equal({ min: [0, 0, 9], max: [75, 18, 23] });
  });

  it('snaps values between samples to the nearest one, halves up', () => {
    expect(vds.annotationSlice(layout, { time: 101 }).min[0]).to.equal(24); // 100 ms is sample 24
    expect(vds.annotationSlice(layout, { time: 102 }).min[0]).to.equal(25); // halfway: up
    expect(vds.annotationSlice(layout, { time: 105.9 }).min[0]).to.equal(25);
    expect(vds.annotationSlice(layout, { inline: 111.49 }).min[2]).to.equal(0);
  });

  it('turns world X/Y (CDP X/Y of a trace) into that trace, through the IJK grid', () => {
    for (const trace of [0, 17, 18, traceCount - 1]) {
      const [x, y] = [header(trace, 181) / 10, header(trace, 185) / 10];
      const inline = header(trace, 189), crossline = header(trace, 193);
      expect(vds.annotationSlice(layout, { worldX: x, worldY: y }), `trace ${trace}`)
        .to.deep.equal(vds.annotationSlice(layout, { inline, crossline }));
    }
    // OpenVDS 3.4 (Python, on this dataset) puts the last trace's CDP at inline 133.00126, crossline 891.99864.
    const [inline, crossline] = vds.IJKCoordinateTransformer.fromLayout(layout).worldToAnnotation([620606.7, 6074794.5, 0]);
    expect(inline).to.be.closeTo(133.00126, 1e-4);
    expect(crossline).to.be.closeTo(891.99864, 1e-4);
    const error = errorOf(() => vds.annotationSlice(layout, { worldX: 0, worldY: 0 }));
    expect(error).to.be.instanceOf(vds.InvalidArgumentError);
    expect(error.message).to.match(/^world X\/Y \(0, 0\) is outside the survey: it falls at Inline .*valid Inline 111\.\.133 \(step 1\), Crossline 875\.\.892 \(step 1\)$/);
  });

  it('gives continuous voxel positions (centre of voxel k at k + 0.5) for samples', () => {
    expect(vds.annotationPosition(layout, { inline: 120, crossline: 880, time: 200 })).to.deep.equal([49.5, 5.5, 9.5]);
    expect(vds.annotationPosition(layout, { inline: 120.5, crossline: 892, time: 202 })).to.deep.equal([50, 17.5, 10]);
    // OpenVDS 3.4 (Python, on this dataset): IJKCoordinateTransformer(layout).annotationToVoxelPosition((120, 880, 200)) == (49, 5, 9).
    expect(vds.IJKCoordinateTransformer.fromLayout(layout).annotationToVoxelPosition([120, 880, 200])).to.deep.equal([49, 5, 9]);
    const [x, y] = [header(0, 181) / 10, header(0, 185) / 10];
    const position = vds.annotationPosition(layout, { worldX: x, worldY: y, time: 4 });
    expect(position[0]).to.equal(0.5);
    expect(position[1]).to.be.closeTo(0.5, 0.02);
    expect(position[2]).to.be.closeTo(0.5, 0.02);
  });

  it('reads back the SEG-Y samples through annotation + world coordinates', async () => {
    const [x, y] = [header(18, 181) / 10, header(18, 185) / 10];
    const request = vds.getAccessManager(dataset).requestVolumeSamples([vds.annotationPosition(layout, { worldX: x, worldY: y, time: 40 })]);
    expect(await request.waitForCompletion()).to.equal(true);
    expect(request.data[0]).to.be.closeTo(sample(18, 9), Math.abs(sample(18, 9)) * 0.02 + 1);
  });

  it('rejects values outside the annotation range, quoting range and step', () => {
    const cases: [vds.AnnotationSelection, string][] = [
      [{ inline: 5000 }, 'Inline 5000 is outside 111..133 (step 1)'],
      [{ crossline: 874 }, 'Crossline 874 is outside 875..892 (step 1)'],
      [{ time: 1200 }, 'Sample 1200 ms is outside 4 ms..300 ms (step 4 ms)'],
      [{ time: [0, 100] }, 'Sample 0 ms is outside 4 ms..300 ms (step 4 ms)'],
      [{ offset: 1 }, 'no axis "offset" in this layout (axes: Sample, Crossline, Inline)'],
      [{ depth: 10 }, 'no axis "depth" in this layout (axes: Sample, Crossline, Inline)'],
      [{ inline: Number.NaN }, 'Inline must be a finite number, got NaN'],
      [{ worldX: 1 }, 'worldX and worldY go together'],
      [{ worldX: 620197.2, worldY: 6074232.9, inline: 111 }, 'give either worldX/worldY or Inline, not both'],
      [{ inline: 111, Inline: 112 }, 'Inline is given twice'],
    ];
    for (const [selection, message] of cases) {
      const error = errorOf(() => vds.annotationSlice(layout, selection));
      expect(error, JSON.stringify(selection)).to.be.instanceOf(vds.InvalidArgumentError);
      expect(error.message).to.equal(message);
    }
    expect(errorOf(() => vds.annotationPosition(layout, { inline: 120 })).message).to.equal('a position needs a value for every axis; missing Sample, Crossline');
    expect(errorOf(() => vds.annotationPosition(layout, { inline: [120, 121], crossline: 880, time: 8 })).message)
      .to.equal('Inline must be a single number for a position, got [120,121]');
  });

  it('delivers an inline as a shaped Float32Array with strides and annotated axes', async () => {
    const request = vds.requestShapedSubset(dataset, vds.annotationSlice(layout, { inline: 112 }));
    expect(await request.waitForCompletion()).to.equal(true);
    const { data, shape, strides, axes } = request.data;
    const typed: Float32Array = data; // R32 by default, no cast
    expect(typed).to.be.instanceOf(Float32Array);
    expect(shape).to.deep.equal([75, 18, 1]);
    expect(strides).to.deep.equal([1, 75, 1350]);
    expect(axes).to.deep.equal([
      { name: 'Sample', unit: 'ms', dimension: 0, count: 75, start: 4, step: 4 },
      { name: 'Crossline', unit: 'unitless', dimension: 1, count: 18, start: 875, step: 1 },
      { name: 'Inline', unit: 'unitless', dimension: 2, count: 1, start: 112, step: 1 },
    ]);
    // Inline 112, crossline 875 + j is SEG-Y trace 18 + j.
    for (const [j, k] of [[0, 0], [0, 40], [7, 33], [17, 74]] as const) {
      expect(data[k * strides[0]! + j * strides[1]!], `crossline ${875 + j}, sample ${k}`).to.equal(sample(18 + j, k));
    }
  });

  it('types the data by format and reports LOD steps', async () => {
    const u8 = vds.requestShapedSubset(dataset, vds.annotationSlice(layout, { inline: [111, 114] }), { format: vds.VolumeDataFormat.Format_U8, lod: 1 });
    expect(await u8.waitForCompletion()).to.equal(true);
    const bytes: Uint8Array = u8.data.data;
    expect(bytes).to.be.instanceOf(Uint8Array);
    expect(u8.data.shape).to.deep.equal([38, 9, 2]);
    expect(u8.data.strides).to.deep.equal([1, 38, 342]);
    expect(u8.data.axes.map((a) => [a.start, a.step])).to.deep.equal([[4, 8], [875, 2], [111, 2]]);
    expect(bytes.length).to.equal(38 * 9 * 2);
    expect(() => vds.requestShapedSubset(dataset, { min: [0, 0, 0], max: [1, 1, 1] }, { format: vds.VolumeDataFormat.Format_1Bit as vds.ShapedFormat }))
      .to.throw(vds.InvalidArgumentError, 'Format_1Bit');
    expect(() => vds.requestShapedSubset(dataset, { min: [0, 0, 0], max: [76, 1, 1] })).to.throw(vds.InvalidArgumentError);
  });
});
