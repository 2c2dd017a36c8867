// The Amplitude channel keeps each SEG-Y sample format as OpenVDS's SEGYImport stores it (issue 11,
// item 7): 2-byte integers as U16 codes with integer offset −32768, 1-byte ones as U8, floats and
// 4-byte integers as R32; LODs decimate the stored codes; export gives the original samples back.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vds from '../src/index.js';
import { exportSegy } from '../src/segy/exportSegy.js';
import { Endianness } from '../src/segy/headerField.js';
import { importSegy, type ImportSegyOptions } from '../src/segy/importSegy.js';
import { segyFile, sha256 } from './support/testdata.js';
import { uniqueMemoryUrl } from './support/volumes.js';

const F = vds.VolumeDataFormat;
/** f3.sgy: 414 traces (23 inlines 111..133 × 18 crosslines 875..892) of 75 big-endian Int16 samples. */
const SAMPLES = 75, CROSSLINES = 18, INLINES = 23, TRACE_BYTES = 240 + SAMPLES * 2;

/** f3.sgy's samples as the dataset lays them out (sample fastest, then crossline, then inline), read with a plain DataView. */
function f3Samples(bytes: Uint8Array = readFileSync(segyFile('f3.sgy'))): Int16Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int16Array(SAMPLES * CROSSLINES * INLINES);
  for (let t = 0; t < CROSSLINES * INLINES; t++) {
    const at = 3600 + t * TRACE_BYTES;
    const [inline, crossline] = [view.getInt32(at + 188), view.getInt32(at + 192)];
    const voxel = ((inline - 111) * CROSSLINES + (crossline - 875)) * SAMPLES;
    for (let s = 0; s < SAMPLES; s++) out[voxel + s] = view.getInt16(at + 240 + s * 2);
  }
  return out;
}

async function withDataset<T>(url: string, body: (dataset: vds.VDS) => Promise<T>): Promise<T> {
  const dataset = await vds.open(url);
  try {
    return await body(dataset);
  } finally {
    await vds.close(dataset);
  }
}

async function readAll(dataset: vds.VDS, format: vds.VolumeDataFormat, lod = 0): Promise<vds.VolumeDataTypedArray> {
  const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], [SAMPLES, CROSSLINES, INLINES], { format, lod });
  expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
  return request.data;
}

/**
 * LOD 1 by the format sheet's rule (5.7) on U16 codes: voxel k takes code 2k; a picked code 0 (the
 * integer formats' no-value) is replaced by the first non-0 of +x, +y, +x+y, +z, +x+z, +y+z, +x+y+z.
 * f3's chunks start at even voxels and its dimension-0 chunk border (64) is even, so "inside the
 * chunk" is "inside the volume" for every neighbour looked at.
 */
function lod1Model(codes: Uint16Array): Uint16Array {
  const [nx, ny, nz] = [SAMPLES, CROSSLINES, INLINES];
  const [mx, my, mz] = [nx, ny, nz].map((n) => Math.ceil(n / 2)) as [number, number, number];
  const at = (x: number, y: number, z: number) => (x < nx && y < ny && z < nz ? codes[x + nx * (y + ny * z)]! : 0);
  const out = new Uint16Array(mx * my * mz);
  for (let z = 0; z < mz; z++) for (let y = 0; y < my; y++) for (let x = 0; x < mx; x++) {
    const [sx, sy, sz] = [2 * x, 2 * y, 2 * z];
    const order = [[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1], [1, 0, 1], [0, 1, 1], [1, 1, 1]];
    out[x + mx * (y + my * z)] = order.map(([dx, dy, dz]) => at(sx + dx!, sy + dy!, sz + dz!)).find((c) => c !== 0) ?? 0;
  }
  return out;
}

describe('SEG-Y import keeps the sample format as SEGYImport does', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'rxvds-segy-formats-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stores f3.sgy\'s Int16 samples as U16 codes with integer offset −32768, scale 1 and no no-value', async () => {
    const url = uniqueMemoryUrl('f3');
    const result = await importSegy(segyFile('f3.sgy'), url, { lodLevels: vds.LODLevels.LODLevels_None });
    // The value range: the 99.5 % range of the representative segment's 18 × 75 samples, i.e. the
    // 4th smallest and 4th largest (heap size ⌊0.005 · 1350 / 2⌋ + 1 = 4).
    const segment = result.geometry.representativeSegment;
    const raw = f3Samples();
    const first = (segment.primaryKey - 111) * CROSSLINES * SAMPLES;
    const sorted = [...raw.subarray(first, first + CROSSLINES * SAMPLES)].sort((a, b) => a - b);
    expect([sorted[3], sorted[sorted.length - 4]]).to.deep.equal([-6115, 5740]);
    await withDataset(url, async (dataset) => {
      const layout = vds.getLayout(dataset);
      const c = layout.getChannelDescriptor(0);
      expect([c.getName(), c.getFormat(), c.getComponents(), c.getMapping(), c.getFlags()])
        .to.deep.equal(['Amplitude', F.Format_U16, vds.VolumeDataComponents.Components_1, vds.VolumeDataMapping.Direct, vds.ChannelFlags.Default]);
      expect([c.getIntegerScale(), c.getIntegerOffset(), c.getValueRangeMin(), c.getValueRangeMax(), c.isUseNoValue(), c.getNoValue()])
        .to.deep.equal([1, -32768, -6115, 5740, false, 0]);

      const codes = await readAll(dataset, F.Format_U16) as Uint16Array;
      const values = await readAll(dataset, F.Format_R32) as Float32Array;
      // The last trace (inline 133, crossline 892), samples 30..33: 152, −280, 1328, 3991 in the file.
      const last = (22 * CROSSLINES + 17) * SAMPLES;
      expect([...codes.subarray(last + 30, last + 34)]).to.deep.equal([32920, 32488, 34096, 36759]);
      expect([...values.subarray(last + 30, last + 34)]).to.deep.equal([152, -280, 1328, 3991]);
      expect(codes.every((code, i) => code === raw[i]! + 32768)).to.equal(true);
      expect(values.every((value, i) => value === raw[i])).to.equal(true);
    });
  });

  it('generates f3\'s LOD 1 by decimating the codes, skipping only code 0 (raw −32768), not raw 0', async () => {
    // A copy of f3 with one sample at −32768 (code 0) where LOD 1 picks from: trace 412 (inline 133,
    // crossline 891: voxel [30, 16, 22]), sample 30 (−3380). LOD 1 voxel [15, 8, 11] must hold its +x
    // neighbour, sample 31 (539).
    const bytes = new Uint8Array(readFileSync(segyFile('f3.sgy')));
    const trace412 = 3600 + 412 * TRACE_BYTES + 240;
    expect([0, 1].map((s) => new DataView(bytes.buffer).getInt16(trace412 + (30 + s) * 2))).to.deep.equal([-3380, 539]);
    new DataView(bytes.buffer).setInt16(trace412 + 30 * 2, -32768);
    const path = join(dir, 'f3-min.sgy');
    writeFileSync(path, bytes);
    const url = uniqueMemoryUrl('f3lod');
    await importSegy(path, url, { lodLevels: vds.LODLevels.LODLevels_2 });
    const raw = f3Samples(bytes);
    const codes = Uint16Array.from(raw, (v) => v + 32768);
    const expected = lod1Model(codes);
    await withDataset(url, async (dataset) => {
      const lod1 = await readAll(dataset, F.Format_U16, 1) as Uint16Array;
      expect(lod1.length).to.equal(38 * 9 * 12);
      expect([...lod1]).to.deep.equal([...expected]);
      expect(lod1[15 + 38 * (8 + 9 * 11)]).to.equal(539 + 32768);
      // Raw zeros are data: kept where LOD 1 picks them (an R32 channel would have skipped them).
      const zeros = [...lod1].filter((c) => c === 32768).length;
      expect(zeros).to.equal(743);
      const decimatedZeros = [...lod1].map((_, i) => {
        const [x, y, z] = [i % 38, Math.floor(i / 38) % 9, Math.floor(i / 38 / 9)];
        return raw[2 * x + SAMPLES * (2 * y + CROSSLINES * 2 * z)];
      }).filter((v) => v === 0).length;
      expect(zeros).to.equal(decimatedZeros);
    });
  });

  it('writes only the metadata keys SEGYImport writes, with its timestamp precision', async () => {
    const url = uniqueMemoryUrl('f3meta');
    await importSegy(segyFile('f3.sgy'), url, { lodLevels: vds.LODLevels.LODLevels_None });
    await withDataset(url, async (dataset) => {
      const layout = vds.getLayout(dataset);
      expect(layout.getMetadataKeys().map((k) => `${k.category}.${k.name}`).sort()).to.deep.equal([
        'ImportInformation.DisplayName', 'ImportInformation.ImportTimeStamp', 'ImportInformation.InputFileName',
        'ImportInformation.InputFileSize', 'ImportInformation.InputTimeStamp',
        'SEGY.BinaryHeader', 'SEGY.DataSampleFormatCode', 'SEGY.Endianness', 'SEGY.TextHeader',
        'SurveyCoordinateSystem.CrosslineSpacing', 'SurveyCoordinateSystem.InlineSpacing', 'SurveyCoordinateSystem.Origin',
        'SurveyCoordinateSystem.Unit']);
      expect([layout.getMetadataInt('SEGY', 'Endianness'), layout.getMetadataInt('SEGY', 'DataSampleFormatCode')]).to.deep.equal([0, 3]);
      // SEGYImport formats a file's modification time (Linux) to whole seconds and the import time to milliseconds.
      const mtime = Math.floor(statSync(segyFile('f3.sgy')).mtimeMs / 1000) * 1000;
      expect(layout.getMetadataString('ImportInformation', 'InputTimeStamp')).to.equal(new Date(mtime).toISOString());
      expect(layout.getMetadataString('ImportInformation', 'InputTimeStamp')).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      expect(layout.getMetadataString('ImportInformation', 'ImportTimeStamp')).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });
  });

  it('maps every sample format as SEGYImport (and rxvds\'s extensions) and round-trips every multiformats file', async () => {
    // [format code, channel format, integer offset]; 4 (fixed point with gain) is refused by both.
    const table: [number, vds.VolumeDataFormat, number][] = [
      [1, F.Format_R32, 0], [2, F.Format_R32, 0], [3, F.Format_U16, -32768], [5, F.Format_R32, 0], [6, F.Format_R64, 0],
      [7, F.Format_R32, 0], [8, F.Format_U8, -128], [9, F.Format_R64, 0], [10, F.Format_R32, 0], [11, F.Format_U16, 0],
      [12, F.Format_R64, 0], [15, F.Format_R32, 0], [16, F.Format_U8, 0]];
    for (const [code, format, offset] of table) {
      for (const order of ['msb', 'lsb']) {
        const name = `Format${code}${order}.sgy`;
        const url = uniqueMemoryUrl('mf');
        await importSegy(segyFile(`multiformats/${name}`), url, { lodLevels: vds.LODLevels.LODLevels_None });
        await withDataset(url, async (dataset) => {
          const c = vds.getLayout(dataset).getChannelDescriptor(0);
          expect([c.getFormat(), c.getIntegerScale(), c.getIntegerOffset(), c.isUseNoValue()], name).to.deep.equal([format, 1, offset, false]);
        });
        const out = join(dir, `${name}.out`);
        await exportSegy(url, out);
        const original = readFileSync(segyFile(`multiformats/${name}`));
        const exported = readFileSync(out);
        if (code !== 10 && code !== 12) {
          expect(sha256(exported), name).to.equal(sha256(original));
          continue;
        }
        // UInt32 passes through R32 (as in SEGYImport) and UInt64 through R64: samples above 2^24
        // (2^53) come back rounded to the nearest float (double); headers come back unchanged.
        expect(exported.length, name).to.equal(original.length);
        const size = code === 10 ? 4 : 8;
        const little = order === 'lsb';
        const traceBytes = 240 + 75 * size;
        const view = (b: Buffer) => new DataView(b.buffer, b.byteOffset, b.byteLength);
        const [o, e] = [view(original), view(exported)];
        let rounded = 0;
        for (let t = 0; t < 414; t++) {
          const at = 3600 + t * traceBytes;
          expect(exported.subarray(at, at + 240).equals(original.subarray(at, at + 240)), `${name} header ${t}`).to.equal(true);
          for (let s = 0; s < 75; s++) {
            const p = at + 240 + s * size;
            const written: number | bigint = code === 10 ? o.getUint32(p, little) : o.getBigUint64(p, little);
            const read: number | bigint = code === 10 ? e.getUint32(p, little) : e.getBigUint64(p, little);
            // Rounding up past the type's top saturates (encodeSamples clamps).
            const expected: number | bigint = code === 10
              ? Math.min(Math.fround(Number(written)), 2 ** 32 - 1) : BigInt(Math.min(Number(written), 2 ** 64 - 2048));
            if (read !== expected) expect.fail(`${name} trace ${t} sample ${s}: ${read} is not ${expected}`);
            if (read !== written) rounded++;
          }
        }
        expect(rounded, name).to.be.above(0);
      }
    }
    for (const order of ['msb', 'lsb']) {
      const error = await importSegy(segyFile(`multiformats/Format4${order}.sgy`), uniqueMemoryUrl('mf')).then(() => undefined, (e: Error) => e);
      expect(error).to.be.instanceOf(vds.SegyFormatError);
      expect(error?.message).to.match(new RegExp(`^Format4${order}\\.sgy: SEG-Y binary header: data sample format code \\(bytes 3225-3226\\) is ` +
        `(4 big-endian / 1024 little-endian|1024 big-endian / 4 little-endian), not a supported format in either byte order`));
    }
  });

  it('records DataEndianness only for samples in the other byte order than the headers, and exports them so', async () => {
    // f3.sgy with big-endian headers and little-endian samples.
    const bytes = new Uint8Array(readFileSync(segyFile('f3.sgy')));
    for (let t = 0; t < 414; t++) {
      for (let s = 0; s < SAMPLES; s++) {
        const p = 3600 + t * TRACE_BYTES + 240 + s * 2;
        [bytes[p], bytes[p + 1]] = [bytes[p + 1]!, bytes[p]!];
      }
    }
    const path = join(dir, 'f3-mixed.sgy');
    writeFileSync(path, bytes);
    const url = uniqueMemoryUrl('mixed');
    const options: ImportSegyOptions = { dataEndianness: Endianness.LittleEndian, lodLevels: vds.LODLevels.LODLevels_None };
    await importSegy(path, url, options);
    await withDataset(url, async (dataset) => {
      const layout = vds.getLayout(dataset);
      expect([layout.getMetadataInt('SEGY', 'Endianness'), layout.getMetadataInt('SEGY', 'DataEndianness')]).to.deep.equal([0, 1]);
      const values = await readAll(dataset, F.Format_R32) as Float32Array;
      const raw = f3Samples();
      expect(values.every((v, i) => v === raw[i])).to.equal(true);
    });
    const out = join(dir, 'f3-mixed.out.sgy');
    await exportSegy(url, out);
    expect(sha256(readFileSync(out))).to.equal(sha256(bytes));
  });
});
