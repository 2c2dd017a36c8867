import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, NotFoundError, SegyFormatError } from '../src/model/errors.js';
import { detectEndianness, parseBinaryHeader } from '../src/segy/binaryHeader.js';
import { keyStep, surveyGeometry } from '../src/segy/geometry.js';
import {
  Endianness, headerField, readHeaderField, resolveTraceHeaderField, TraceHeaderFields, writeHeaderField,
} from '../src/segy/headerField.js';
import {
  DataSampleFormatCode, decodeSamples, encodeSamples, floatToIbm, formatSize, ibmToFloat,
} from '../src/segy/sampleFormat.js';
import { scanSegy, SEGYType } from '../src/segy/scan.js';
import { SEGYFile } from '../src/segy/segyFile.js';
import { surveyLattice } from '../src/segy/surveyCoordinates.js';
import { detectTextEncoding, TextEncoding, textHeaderFromString, textHeaderToString } from '../src/segy/textHeader.js';
import { ValueRangeEstimator } from '../src/segy/valueRange.js';
import { segyFile } from './support/testdata.js';
import { rejection } from './support/rejection.js';

const BE = Endianness.BigEndian;
const LE = Endianness.LittleEndian;

async function withFile<T>(name: string, use: (file: SEGYFile) => Promise<T>, path = segyFile(name)): Promise<T> {
  const file = await SEGYFile.open(path);
  try {
    return await use(file);
  } finally {
    await file.close();
  }
}


/** A SEG-Y file made of small.sgy's file headers and the given traces of it, in the given order. */
function rewriteSmall(dir: string, name: string, traces: number[]): string {
  const bytes = readFileSync(segyFile('small.sgy'));
  const traceBytes = 240 + 50 * 4;
  const parts = [bytes.subarray(0, 3600), ...traces.map((t) => bytes.subarray(3600 + t * traceBytes, 3600 + (t + 1) * traceBytes))];
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

describe('SEG-Y headers', () => {
  it('reads and writes 2- and 4-byte signed fields in both byte orders', () => {
    const header = new Uint8Array(240);
    writeHeaderField(header, TraceHeaderFields.inlinenumber, -123456, BE);
    writeHeaderField(header, TraceHeaderFields.coordinatescale, -100, LE);
    expect([...header.subarray(188, 192)]).to.deep.equal([0xff, 0xfe, 0x1d, 0xc0]);
    expect([...header.subarray(70, 72)]).to.deep.equal([0x9c, 0xff]);
    expect(readHeaderField(header, TraceHeaderFields.inlinenumber, BE)).to.equal(-123456);
    expect(readHeaderField(header, TraceHeaderFields.coordinatescale, LE)).to.equal(-100);
    expect(() => readHeaderField(header, headerField(239, 4), BE)).to.throw(InvalidArgumentError, 'header field at byte 239 (4 bytes) lies outside a 240-byte header');
    expect(() => headerField(0, 4)).to.throw(InvalidArgumentError, 'header field byte location must be an integer ≥ 1, got 0');
    expect(() => headerField(9, 3 as 4)).to.throw(InvalidArgumentError, 'header field width must be 2 or 4 bytes, got 3');
  });

  it('resolves OpenVDS field names, aliases, BYTE:WIDTH and user byte locations', () => {
    expect(resolveTraceHeaderField('inline')).to.deep.equal({ byteLocation: 189, width: 4 });
    expect(resolveTraceHeaderField('CrosslineNumber')).to.deep.equal({ byteLocation: 193, width: 4 });
    expect(resolveTraceHeaderField('cdp-x')).to.deep.equal({ byteLocation: 181, width: 4 });
    expect(resolveTraceHeaderField('scalar')).to.deep.equal({ byteLocation: 71, width: 2 });
    expect(resolveTraceHeaderField('offset')).to.deep.equal({ byteLocation: 37, width: 4 });
    expect(resolveTraceHeaderField('9:4')).to.deep.equal({ byteLocation: 9, width: 4 });
    expect(resolveTraceHeaderField('inline', { inlinenumber: headerField(17, 4) })).to.deep.equal({ byteLocation: 17, width: 4 });
    expect(() => resolveTraceHeaderField('bogus')).to.throw(InvalidArgumentError, 'unknown trace header field "bogus"');
  });

  it('detects EBCDIC and ASCII textual headers and converts them to text', async () => {
    await withFile('small.sgy', async (file) => {
      expect(detectTextEncoding(file.textHeader)).to.equal(TextEncoding.EBCDIC);
      const lines = textHeaderToString(file.textHeader).split('\n');
      expect(lines).to.have.length(40);
      expect(lines[0]!.startsWith('C 1 DATE')).to.equal(true);
    });
    await withFile('delay-scalar.sgy', async (file) => {
      expect(detectTextEncoding(file.textHeader)).to.equal(TextEncoding.ASCII);
      expect(textHeaderToString(file.textHeader).split('\n')[0]).to.match(/^C 1 CLIENT\s+COMPANY\s+CREW NO$/);
    });
    const roundTrip = textHeaderFromString('C 1 RXVDS {TEST} [1/2] 100% <a@b.c>');
    expect(detectTextEncoding(roundTrip)).to.equal(TextEncoding.EBCDIC);
    expect(textHeaderToString(roundTrip).split('\n')[0]).to.equal('C 1 RXVDS {TEST} [1/2] 100% <a@b.c>');
  });

  it('reads extended textual headers and starts the traces after them', async () => {
    await withFile('multi-text.sgy', async (file) => {
      expect(file.binaryHeaderInfo.extendedTextualHeaderCount).to.equal(4);
      expect(file.extendedTextHeaders).to.have.length(4);
      expect(textHeaderToString(file.extendedTextHeaders[3]!).split('\n')[1]).to.equal('C 2 AN INCREASE IN AMPLITUDE EQUALS AN INCREASE IN ACOUSTIC IMPEDANCE');
      expect(file.dataOffset).to.equal(3600 + 4 * 3200);
      expect([file.traceCount, file.sampleCount, file.traceByteSize]).to.deep.equal([1, 1, 244]);
    });
  });

  it('detects the byte order and reads the binary header fields', async () => {
    const expected = { dataSampleFormatCode: 1, sampleCount: 50, sampleInterval: 4000, extendedTextualHeaderCount: 0 };
    for (const [name, endianness] of [['small.sgy', BE], ['small-lsb.sgy', LE]] as const) {
      await withFile(name, async (file) => {
        expect(detectEndianness(file.binaryHeader)).to.equal(endianness);
        expect(parseBinaryHeader(file.binaryHeader)).to.include({ endianness, ...expected });
        expect([file.traceCount, file.traceByteSize, file.dataOffset]).to.deep.equal([25, 440, 3600]);
      });
    }
    await withFile('f3-lsb.sgy', async (file) => {
      expect(file.binaryHeaderInfo).to.include({ endianness: LE, dataSampleFormatCode: 3, sampleCount: 75, sampleInterval: 4000, revision: 1 });
      expect(file.startTime).to.equal(4);
    });
    expect(() => detectEndianness(new Uint8Array(400))).to.throw(SegyFormatError, 'not a supported format in either byte order');
    expect(() => parseBinaryHeader(new Uint8Array(399))).to.throw(InvalidArgumentError, 'SEG-Y binary header must be 400 bytes, got 399');
  });

  it('scales the first sample time by the time scalar (bytes 215-216)', async () => {
    await withFile('delay-scalar.sgy', async (file) => {
      const header = await file.readTraceHeader(0);
      expect(readHeaderField(header, TraceHeaderFields.starttime, BE)).to.equal(10000);
      expect(readHeaderField(header, TraceHeaderFields.timescalar, BE)).to.equal(-10);
      expect(file.startTime).to.equal(1000);
    });
  });
});

describe('SEG-Y sample formats', () => {
  it('converts IBM floats exactly in the shared range, with IEEE overflow and underflow rules', () => {
    expect(floatToIbm(1)).to.equal(0x41100000);
    expect(floatToIbm(-118.625)).to.equal(0xc276a000);
    expect(ibmToFloat(0xc276a000)).to.equal(-118.625);
    expect(ibmToFloat(0x7fffffff)).to.equal(Infinity);
    expect(ibmToFloat(0x00100000)).to.equal(0);
    for (const v of [0.1, 1.2, 3.14159, 1e-30, 6e30, -2.5e-7]) {
      const f = Math.fround(v);
      expect(Math.abs(ibmToFloat(floatToIbm(f)) - f)).to.be.at.most(Math.abs(f) * 2 ** -20);
    }
    expect(formatSize(DataSampleFormatCode.Int24)).to.equal(3);
  });

  it('decodes every format in both byte orders to the F3 values they were written from', async function () {
    this.timeout(20000);
    const reference = await withFile('f3.sgy', async (file) => {
      const values = new Float64Array(file.traceCount * file.sampleCount);
      const traces = await file.readTraces(0, file.traceCount);
      for (let t = 0; t < file.traceCount; t++) {
        decodeSamples(traces.subarray(t * file.traceByteSize + 240), 3, BE, values, file.sampleCount, t * file.sampleCount);
      }
      return values;
    });
    const wrap = (v: number, bits: number, signed: boolean): number => {
      const n = BigInt.asUintN(bits, BigInt(v));
      return Number(signed ? BigInt.asIntN(bits, n) : n);
    };
    const casts: Record<number, (v: number) => number> = {
      1: (v) => v, 2: (v) => v, 3: (v) => v, 5: (v) => v, 6: (v) => v, 7: (v) => v, 9: (v) => v,
      8: (v) => wrap(v, 8, true), 10: (v) => wrap(v, 32, false), 11: (v) => wrap(v, 16, false),
      12: (v) => wrap(v, 64, false), 15: (v) => wrap(v, 24, false), 16: (v) => wrap(v, 8, false),
    };
    expect(reference.slice(30 + 413 * 75, 34 + 413 * 75)).to.deep.equal(new Float64Array([152, -280, 1328, 3991]));
    for (const code of Object.keys(casts).map(Number)) {
      for (const order of ['msb', 'lsb']) {
        await withFile(`multiformats/Format${code}${order}.sgy`, async (file) => {
          expect([file.dataSampleFormatCode, file.headerEndianness, file.traceCount]).to.deep.equal([code, order === 'msb' ? BE : LE, 414]);
          const traces = await file.readTraces(0, file.traceCount);
          const decoded = new Float64Array(file.sampleCount);
          let mismatches = 0;
          for (let t = 0; t < file.traceCount; t++) {
            decodeSamples(traces.subarray(t * file.traceByteSize + 240), code, file.dataEndianness, decoded);
            decoded.forEach((v, s) => { if (v !== casts[code]!(reference[t * 75 + s]!)) mismatches++; });
          }
          expect(mismatches, `Format${code}${order}`).to.equal(0);
          // Encoding the decoded values reproduces the sample bytes (not UInt64: its wrapped values exceed 2^53).
          if (code === DataSampleFormatCode.UInt64) return;
          const first = traces.subarray(240, file.traceByteSize);
          decodeSamples(first, code, file.dataEndianness, decoded);
          const encoded = new Uint8Array(first.length);
          encodeSamples(decoded, code, file.dataEndianness, encoded);
          expect(Buffer.from(encoded).equals(Buffer.from(first)), `Format${code}${order} re-encoded`).to.equal(true);
        });
      }
    }
  });

  it('decodes small.sgy IBM floats to inline + crossline/100 + sample/100000', async () => {
    await withFile('small.sgy', async (file) => {
      const trace = await file.readTraces(7, 1);
      const header = trace.subarray(0, 240);
      const samples = new Float32Array(50);
      decodeSamples(trace.subarray(240), file.dataSampleFormatCode, file.dataEndianness, samples);
      expect([readHeaderField(header, TraceHeaderFields.inlinenumber, BE), readHeaderField(header, TraceHeaderFields.crosslinenumber, BE)]).to.deep.equal([2, 22]);
      // The IBM words 0x4123851e, 0x41238529, 0x41238720, converted exactly.
      expect([samples[0], samples[1], samples[49]]).to.deep.equal([2.219999313354492, 2.2200098037719727, 2.220489501953125]);
      samples.forEach((v, s) => expect(v).to.be.closeTo(2 + 22 / 100 + s / 100000, 1e-5));
    });
  });
});

describe('SEG-Y scan and geometry', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'rxvds-segy-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the inline segments of small.sgy with few header reads and the 5×5 grid', async () => {
    await withFile('small.sgy', async (file) => {
      const scan = await scanSegy(file);
      expect(scan.segyType).to.equal(SEGYType.Poststack);
      expect(scan.segments.map((s) => [s.primaryKey, s.traceStart, s.traceStop, s.start.crossline, s.stop.crossline])).to.deep.equal(
        [[1, 0, 4, 20, 24], [2, 5, 9, 20, 24], [3, 10, 14, 20, 24], [4, 15, 19, 20, 24], [5, 20, 24, 20, 24]]);
      const geometry = await surveyGeometry(file, scan);
      expect(geometry).to.deep.include({ primaryKey: 'Inline', fold: 1, sampleCount: 50, sampleIntervalMilliseconds: 4, traceCount: 25, missingTraceCount: 0 });
      expect(geometry.inline).to.deep.equal({ min: 1, max: 5, step: 1, count: 5 });
      expect(geometry.crossline).to.deep.equal({ min: 20, max: 24, step: 1, count: 5 });
      expect(geometry.axes).to.deep.equal([
        { name: 'Sample', unit: 'ms', numSamples: 50, coordinateMin: 0, coordinateMax: 196 },
        { name: 'Crossline', unit: 'unitless', numSamples: 5, coordinateMin: 20, coordinateMax: 24 },
        { name: 'Inline', unit: 'unitless', numSamples: 5, coordinateMin: 1, coordinateMax: 5 },
      ]);
      // The representative segment is inline 3: its 99.5 % range keeps the extremes of 250 samples.
      expect(geometry.representativeSegment.primaryKey).to.equal(3);
      expect(geometry.valueRange).to.deep.equal([3.1999998092651367, 3.240489959716797]);
    });
  });

  it('scans the little-endian copy to the same geometry', async () => {
    const [big, little] = await Promise.all(['small.sgy', 'small-lsb.sgy'].map((n) => withFile(n, async (f) => {
      const g = await surveyGeometry(f, await scanSegy(f));
      return { ...g, representativeSegment: undefined };
    })));
    expect(little).to.deep.equal(big);
  });

  it('finds the F3 survey: inlines 111..133, crosslines 875..892, 75 samples at 4 ms from 4 ms', async () => {
    for (const name of ['f3.sgy', 'f3-lsb.sgy']) {
      await withFile(name, async (file) => {
        const scan = await scanSegy(file);
        expect(scan.segments).to.have.length(23);
        expect(scan.detectedCoordinateScale).to.equal(-10);
        const first = scan.segments[0]!;
        expect(first.start).to.deep.equal({ inline: 111, crossline: 875, x: 6201972 * 0.1, y: 60742329 * 0.1 });
        const geometry = await surveyGeometry(file, scan);
        expect(geometry.inline).to.deep.equal({ min: 111, max: 133, step: 1, count: 23 });
        expect(geometry.crossline).to.deep.equal({ min: 875, max: 892, step: 1, count: 18 });
        expect(geometry.axes[0]).to.deep.equal({ name: 'Sample', unit: 'ms', numSamples: 75, coordinateMin: 4, coordinateMax: 300 });
        expect(geometry.valueRange).to.deep.equal([-6115, 5740]);
      });
    }
  });

  it('scans crossline-sorted files and reports missing traces of sparse surveys', async () => {
    // small.sgy reordered crossline by crossline, with (inline 2, crossline 21) and all of crossline 24 but inline 5 left out.
    const order: number[] = [];
    for (let xl = 0; xl < 5; xl++) for (let il = 0; il < 5; il++) order.push(il * 5 + xl);
    const kept = order.filter((t) => t !== 6 && !(t % 5 === 4 && t < 20));
    const path = rewriteSmall(dir, 'xl-sorted.sgy', kept);
    await withFile('', async (file) => {
      const scan = await scanSegy(file, { primaryKey: 'crossline', secondaryKey: 'inline' });
      expect(scan.segments.map((s) => [s.primaryKey, s.traceStop - s.traceStart + 1])).to.deep.equal([[20, 5], [21, 4], [22, 5], [23, 5], [24, 1]]);
      const geometry = await surveyGeometry(file, scan);
      expect(geometry.primaryKey).to.equal('Crossline');
      expect(geometry.inline).to.deep.equal({ min: 1, max: 5, step: 1, count: 5 });
      expect(geometry.crossline).to.deep.equal({ min: 20, max: 24, step: 1, count: 5 });
      expect([geometry.traceCount, geometry.gridTraceCount, geometry.missingTraceCount]).to.deep.equal([20, 25, 5]);
    }, path);
  });

  it('derives the key steps from every other line', async () => {
    expect(keyStep([1, 3, 5, 7, 8])).to.equal(2);
    expect(keyStep([10, 8, 6])).to.equal(-2);
    expect(keyStep([4])).to.equal(1);
    const path = rewriteSmall(dir, 'every-other-crossline.sgy', [0, 2, 4, 10, 12, 14, 20, 22, 24]);
    await withFile('', async (file) => {
      const geometry = await surveyGeometry(file, await scanSegy(file));
      expect(geometry.inline).to.deep.equal({ min: 1, max: 5, step: 2, count: 3 });
      expect(geometry.crossline).to.deep.equal({ min: 20, max: 24, step: 2, count: 3 });
    }, path);
  });

  it('refuses unsorted primary keys', async () => {
    const path = rewriteSmall(dir, 'unsorted.sgy', [0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 5, 6, 7, 8, 9]);
    const error = await withFile('', (file) => rejection(scanSegy(file)), path);
    expect(error).to.be.instanceOf(SegyFormatError).and.have.property('code', -1);
    // Trace 10 starts after the 3600 bytes of file headers and 10 traces of 240 + 50 × 4 bytes.
    expect(error.message).to.equal('unsorted.sgy: primary key (inlinenumber) values are not sorted: 2 at trace 10 (byte 8000) follows 3 (traces 5-9); ' +
      'choose another primary key or check the header byte locations');
  });

  it('finds pre-stack gathers: fold, offsets and a 4th dimension', async () => {
    await withFile('small-ps.sgy', async (file) => {
      const geometry = await surveyGeometry(file, await scanSegy(file, { prestack: true }));
      expect(geometry.segyType).to.equal(SEGYType.Prestack);
      expect([geometry.fold, geometry.offsets]).to.deep.equal([2, [1, 2]]);
      expect(geometry.axes.map((a) => [a.name, a.numSamples, a.coordinateMin, a.coordinateMax])).to.deep.equal(
        [['Sample', 10, 0, 36], ['Trace (offset)', 2, 1, 2], ['Crossline', 3, 1, 3], ['Inline', 4, 1, 4]]);
    });
    const degenerate: Record<string, [number, number]> = { '1x1.sgy': [1, 1], '1xN.sgy': [1, 6], 'Mx1.sgy': [6, 1] };
    for (const [name, [inlines, crosslines]] of Object.entries(degenerate)) {
      await withFile(name, async (file) => {
        const geometry = await surveyGeometry(file, await scanSegy(file, { prestack: true }));
        expect([geometry.inline.count, geometry.crossline.count, geometry.fold, geometry.offsets], name).to.deep.equal([inlines, crosslines, 4, [0, 1, 2, 3]]);
      });
    }
    const error = await withFile('small-ps.sgy', async (file) => rejection(surveyGeometry(file, await scanSegy(file))));
    expect(error).to.be.instanceOf(SegyFormatError);
    expect(error.message).to.contain('small-ps.sgy: found 2 traces with the same inlinenumber and secondary key');
  });

  it('groups unbinned shot gathers by field record number', async () => {
    await withFile('shot-gather.sgy', async (file) => {
      const scan = await scanSegy(file, { primaryKey: 'fieldrecord' });
      expect(scan.segyType).to.equal(SEGYType.ShotGathers);
      expect(scan.segments.map((s) => [s.primaryKey, s.traceStop - s.traceStart + 1])).to.deep.equal([[2, 10], [3, 12], [5, 13], [8, 26]]);
      const geometry = await surveyGeometry(file, scan);
      expect(geometry.axes.map((a) => [a.name, a.numSamples])).to.deep.equal([['Sample', 25], ['Trace (offset)', 26], ['Gather', 4]]);
      expect([geometry.gridTraceCount, geometry.missingTraceCount]).to.deep.equal([104, 43]);
    });
  });

  it('reads a 2D line with the CDP number as its only lateral key', async () => {
    const path = rewriteSmall(dir, 'line.sgy', [10, 11, 12, 13, 14]);
    await withFile('', async (file) => {
      const geometry = await surveyGeometry(file, await scanSegy(file, { twoD: true, secondaryKey: 'crossline' }));
      expect(geometry.segyType).to.equal(SEGYType.Poststack2D);
      expect(geometry.axes.map((a) => [a.name, a.numSamples, a.coordinateMin, a.coordinateMax])).to.deep.equal([['Sample', 50, 0, 196], ['CDP', 5, 20, 24]]);
    }, path);
  });

  it('opens a file of headers only as a survey without traces', async () => {
    await withFile('text.sgy', async (file) => {
      expect([file.traceCount, file.fileSize]).to.deep.equal([0, 3600]);
      const scan = await scanSegy(file);
      expect(scan.segments).to.deep.equal([]);
      const error = await rejection(surveyGeometry(file, scan));
      expect(error).to.be.instanceOf(SegyFormatError).and.have.property('message', 'text.sgy has no traces');
    });
  });

  it('refuses truncated files and files whose trace headers are missing', async () => {
    const broken = await rejection(SEGYFile.open(segyFile('broken.sgy')));
    expect(broken).to.be.instanceOf(SegyFormatError);
    expect(broken.message).to.equal('broken.sgy: truncated or inconsistent: 836 bytes of traces after byte 10000 are 3 traces of 256 bytes ' +
      '(240-byte header + 4 samples × 4 bytes) and 68 bytes over');
    const long = await withFile('long.sgy', async (file) => {
      expect([file.sampleCount, file.traceCount]).to.deep.equal([60000, 3]);
      return rejection(scanSegy(file));
    });
    expect(long).to.be.instanceOf(SegyFormatError);
    expect(long.message).to.equal('long.sgy: trace 1 (byte 243840) has a header declaring a 16448 µs sample interval but the file\'s is 1000 µs: ' +
      'the trace headers are missing or not 240240 bytes apart (60000 samples per trace is wrong)');
    const missing = await rejection(SEGYFile.open(join(dir, 'nothing.sgy')));
    expect(missing).to.be.instanceOf(NotFoundError).and.have.property('code', 404);
    expect(missing.message).to.match(/^cannot open SEG-Y file .*nothing\.sgy: no such file$/);
    writeFileSync(join(dir, 'short.sgy'), new Uint8Array(1000));
    const short = await rejection(SEGYFile.open(join(dir, 'short.sgy')));
    expect(short).to.be.instanceOf(SegyFormatError);
    expect(short.message).to.equal('short.sgy: 1000 bytes is shorter than the 3600-byte SEG-Y textual and binary headers');
  });

  it('reads traces in bounded batches', async () => {
    await withFile('f3.sgy', async (file) => {
      const batches: number[] = [];
      for await (const batch of file.traceBatches(0, file.traceCount, 100 * file.traceByteSize)) batches.push(batch.count);
      expect(batches).to.deep.equal([100, 100, 100, 100, 14]);
      const outside = await rejection(file.readTraces(410, 5));
      expect(outside).to.be.instanceOf(InvalidArgumentError).and.have.property('message', 'f3.sgy: traces 410..414 are outside the file\'s 414 traces');
    });
  });

  it('estimates percentile value ranges with bounded heaps', () => {
    const estimator = new ValueRangeEstimator(1000, 99);
    const values = Float32Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    estimator.update(values);
    estimator.update([NaN]);
    expect(estimator.valueRange()).to.deep.equal([5, 994]);
    expect(estimator.nanCount).to.equal(1);
    const constant = new ValueRangeEstimator(3);
    constant.update([2, 2, 2]);
    expect(constant.valueRange()).to.deep.equal([2, 3]);
    // OpenVDS sizes the heaps in single precision: ⌊f32(f32(0.1 / 100) · 68001) / 2⌋ + 1 = 34, where
    // double precision gives 35; the 34th smallest of 0…68000 is 33.
    const fine = new ValueRangeEstimator(68001, 99.9);
    fine.update(Float64Array.from({ length: 68001 }, (_, i) => i));
    expect(fine.valueRange()).to.deep.equal([33, 68000 - 33]);
  });
});

describe('SEG-Y survey coordinates', () => {
  it('derives origin and spacings from CDP X/Y with the coordinate scalar', async () => {
    const normal = await withFile('normal-small.sgy', async (file) => surveyLattice((await scanSegy(file)).segments, false));
    expect(normal).to.deep.equal({ origin: [-10, -200], inlineSpacing: [10, 0], crosslineSpacing: [0, 10] });
    const acute = await withFile('acute-small.sgy', async (file) => surveyLattice((await scanSegy(file)).segments, false));
    expect(acute.inlineSpacing.map((v) => +v.toFixed(12))).to.deep.equal([0.1, -0.1]);
    expect(acute.crosslineSpacing.map((v) => +v.toFixed(12))).to.deep.equal([0.1, 0.1]);
    expect(acute.origin.map((v) => +v.toFixed(12))).to.deep.equal([-2.1, 8.1]);
  });
});
