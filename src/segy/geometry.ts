// Survey geometry from a segment scan: key ranges and steps, fold and offsets, the value range, and the
// VDS axes OpenVDS's SEGYImport would create (Sample, [Trace (offset)], Crossline, Inline).
import { InvalidArgumentError, SegyFormatError } from '../model/errors.js';
import { readHeaderField } from './headerField.js';
import { decodeSamples } from './sampleFormat.js';
import { is2D, isUnbinned, type SEGYScan, type SEGYSegment, SEGYType } from './scan.js';
import type { SEGYFile } from './segyFile.js';
import { ValueRangeEstimator } from './valueRange.js';

export interface KeyRange {
  readonly min: number;
  readonly max: number;
  /** Positive: the axis always runs from min to max (OpenVDS's default, not --keep-original-order). */
  readonly step: number;
  readonly count: number;
}

export interface AxisGeometry {
  readonly name: string;
  readonly unit: string;
  readonly numSamples: number;
  readonly coordinateMin: number;
  readonly coordinateMax: number;
}

export type SampleUnit = 'ms' | 'm' | 'ft';

export interface SurveyGeometry {
  readonly segyType: SEGYType;
  /** "Inline", "Crossline" or the primary key field name of gathers. */
  readonly primaryKey: string;
  readonly sampleCount: number;
  readonly sampleIntervalMilliseconds: number;
  readonly startTimeMilliseconds: number;
  readonly inline: KeyRange;
  readonly crossline: KeyRange;
  /** Traces per gather (1 post-stack). */
  readonly fold: number;
  /** Offsets of the longest gather of the representative segment (pre-stack only). */
  readonly offsets: readonly number[];
  readonly traceCount: number;
  /** Trace positions of the VDS grid (product of the lateral axes). */
  readonly gridTraceCount: number;
  /** Grid positions no trace fills: sparse surveys, ragged line ends. */
  readonly missingTraceCount: number;
  readonly valueRange: readonly [number, number];
  readonly axes: readonly AxisGeometry[];
  /** The segment the fold, steps and value range were measured on. */
  readonly representativeSegment: SEGYSegment;
}

export interface GeometryOptions {
  sampleUnit?: SampleUnit;
  /** Value range percentile (OpenVDS and Petrel use 99.5). */
  valueRangePercentile?: number;
  /** Memory bound for reading the representative segment. */
  maxBatchBytes?: number;
}

/**
 * The step between consecutive keys: the smallest in magnitude, ignoring the last step (often
 * anomalous) when there are others; 1 when there is no step at all.
 */
export function keyStep(keys: readonly number[]): number {
  const steps: number[] = [];
  for (let i = 1; i < keys.length; i++) if (keys[i] !== keys[i - 1]) steps.push(keys[i]! - keys[i - 1]!);
  const considered = steps.length > 1 ? steps.slice(0, -1) : steps;
  if (considered.length === 0) return 1;
  return considered.reduce((best, s) => (Math.abs(s) < Math.abs(best) ? s : best));
}

function keyRange(values: readonly number[], signedStep: number): KeyRange {
  // A loop, not Math.min(...values): a spread of 100k+ keys overflows the call stack.
  let min = Infinity, max = -Infinity;
  for (const v of values) { if (v < min) min = v; if (v > max) max = v; }
  const step = Math.abs(signedStep) || 1;
  // Round max up to the grid so that (max - min) is a whole number of steps.
  const remainder = (max - min) % step;
  if (remainder !== 0) max += step - remainder;
  return { min, max, step, count: (max - min) / step + 1 };
}

/** OpenVDS picks the longest segment, favouring those in the middle of the survey by up to 50 %. */
export function representativeSegment(segments: readonly SEGYSegment[]): SEGYSegment {
  if (segments.length === 0) throw new InvalidArgumentError('a representative segment needs at least one segment to choose from');
  let best = segments[0]!;
  let bestScore = -1;
  segments.forEach((segment, i) => {
    const traces = segment.traceStop - segment.traceStart + 1;
    const score = traces * (1.5 - Math.abs(i - segments.length / 2) / segments.length);
    if (score > bestScore) {
      bestScore = score;
      best = segment;
    }
  });
  return best;
}

interface SegmentAnalysis {
  fold: number;
  secondaryStep: number;
  offsets: number[];
  valueRange: [number, number];
}

/** Reads every trace of `segment` (in bounded batches): gather fold, secondary step, offsets and value range. */
async function analyzeSegment(file: SEGYFile, scan: SEGYScan, segment: SEGYSegment, options: GeometryOptions = {}): Promise<SegmentAnalysis> {
  const traces = segment.traceStop - segment.traceStart + 1;
  const estimator = new ValueRangeEstimator(traces * file.sampleCount, options.valueRangePercentile ?? 99.5);
  const samples = new Float32Array(file.sampleCount);
  const endianness = file.headerEndianness;
  const gatherKeys: number[] = [];
  const gatherOffsets: number[][] = [];
  let fold = 1;
  for await (const batch of file.traceBatches(segment.traceStart, segment.traceStop + 1, options.maxBatchBytes)) {
    for (let t = 0; t < batch.count; t++) {
      const trace = batch.bytes.subarray(t * file.traceByteSize, (t + 1) * file.traceByteSize);
      const header = trace.subarray(0, 240);
      const secondary = isUnbinned(scan.segyType) ? batch.first + t - segment.traceStart + 1 : readHeaderField(header, scan.fields.secondaryKey, endianness);
      if (gatherKeys.length === 0 || gatherKeys[gatherKeys.length - 1] !== secondary) {
        gatherKeys.push(secondary);
        gatherOffsets.push([]);
      }
      const offsets = gatherOffsets[gatherOffsets.length - 1]!;
      offsets.push(readHeaderField(header, scan.fields.offset, endianness));
      fold = Math.max(fold, offsets.length);
      decodeSamples(trace.subarray(240), file.dataSampleFormatCode, file.dataEndianness, samples);
      estimator.update(samples);
    }
  }
  const longest = gatherOffsets.reduce((a, b) => (b.length > a.length ? b : a), [] as number[]);
  return { fold, secondaryStep: keyStep(gatherKeys), offsets: longest, valueRange: estimator.valueRange() };
}

function sampleAxis(file: SEGYFile, unit: SampleUnit): AxisGeometry {
  const interval = file.sampleIntervalMilliseconds;
  return { name: 'Sample', unit, numSamples: file.sampleCount, coordinateMin: file.startTime, coordinateMax: file.startTime + (file.sampleCount - 1) * interval };
}

const unitless = 'unitless';

/** The geometry of a scanned file; reads the representative segment once. */
export async function surveyGeometry(file: SEGYFile, scan: SEGYScan, options: GeometryOptions = {}): Promise<SurveyGeometry> {
  const segments = scan.segments;
  if (segments.length === 0) throw new SegyFormatError(`${file.name} has no traces`);
  const representative = representativeSegment(segments);
  const analysis = await analyzeSegment(file, scan, representative, options);
  const type = scan.segyType;
  const prestack = type === SEGYType.Prestack || type === SEGYType.Prestack2D;
  if ((type === SEGYType.Poststack || type === SEGYType.Poststack2D) && analysis.fold > 1) {
    throw new SegyFormatError(`${file.name}: found ${analysis.fold} traces with the same ${scan.primaryKeyName} and secondary key: the header byte locations ` +
      'or primary key are wrong, or the data is binned pre-stack (import it as prestack)');
  }
  if (prestack && analysis.fold <= 1) {
    throw new SegyFormatError(`${file.name}: pre-stack import found one trace per gather: the data is post-stack or the header byte locations are wrong`);
  }
  const axes: AxisGeometry[] = [sampleAxis(file, options.sampleUnit ?? 'ms')];
  const fold = isUnbinned(type) ? segments.reduce((most, s) => Math.max(most, s.traceStop - s.traceStart + 1), 0) : analysis.fold;
  if (fold > 1 || isUnbinned(type)) axes.push({ name: 'Trace (offset)', unit: unitless, numSamples: fold, coordinateMin: 1, coordinateMax: fold });

  let inline: KeyRange;
  let crossline: KeyRange;
  let primaryKey: string;
  if (isUnbinned(type)) {
    primaryKey = scan.primaryKeyName;
    inline = { min: 1, max: segments.length, step: 1, count: segments.length };
    crossline = { min: 1, max: fold, step: 1, count: fold };
    axes.push({ name: 'Gather', unit: unitless, numSamples: segments.length, coordinateMin: 1, coordinateMax: segments.length });
  } else if (is2D(type)) {
    primaryKey = 'CDP';
    const cdps = [representative.start.crossline, representative.stop.crossline];
    crossline = keyRange(cdps, analysis.secondaryStep);
    inline = { min: 0, max: 0, step: 1, count: 1 };
    axes.push({ name: 'CDP', unit: unitless, numSamples: crossline.count, coordinateMin: crossline.min, coordinateMax: crossline.max });
  } else {
    const crosslineSorted = scan.primaryKeyName === 'crosslinenumber';
    primaryKey = crosslineSorted ? 'Crossline' : 'Inline';
    const primaryStep = keyStep(segments.map((s) => s.primaryKey));
    const bins = segments.flatMap((s) => [s.start, s.stop]);
    inline = keyRange(bins.map((b) => b.inline), crosslineSorted ? analysis.secondaryStep : primaryStep);
    crossline = keyRange(bins.map((b) => b.crossline), crosslineSorted ? primaryStep : analysis.secondaryStep);
    axes.push({ name: 'Crossline', unit: unitless, numSamples: crossline.count, coordinateMin: crossline.min, coordinateMax: crossline.max });
    axes.push({ name: 'Inline', unit: unitless, numSamples: inline.count, coordinateMin: inline.min, coordinateMax: inline.max });
  }
  const gridTraceCount = axes.slice(1).reduce((n, a) => n * a.numSamples, 1);
  return {
    segyType: type,
    primaryKey,
    sampleCount: file.sampleCount,
    sampleIntervalMilliseconds: file.sampleIntervalMilliseconds,
    startTimeMilliseconds: file.startTime,
    inline,
    crossline,
    fold,
    offsets: prestack || isUnbinned(type) ? analysis.offsets : [],
    traceCount: scan.traceCount,
    gridTraceCount,
    missingTraceCount: Math.max(0, gridTraceCount - scan.traceCount),
    valueRange: analysis.valueRange,
    axes,
    representativeSegment: representative,
  };
}
