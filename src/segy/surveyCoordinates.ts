// The SurveyCoordinateSystem lattice (Origin, InlineSpacing, CrosslineSpacing) from the CDP X/Y of the
// first and last traces of the scanned segments, by the rules of OpenVDS's SEGYImport.
import { InvalidArgumentError } from '../model/errors.js';
import { MeasurementSystem } from './binaryHeader.js';
import type { BinInfo, SEGYSegment } from './scan.js';

export type Vector2 = [number, number];

export interface SurveyLattice {
  readonly origin: Vector2;
  readonly inlineSpacing: Vector2;
  readonly crosslineSpacing: Vector2;
}

const METERS_PER_FOOT = 0.3048;

/** Distances in the file's unit to the dataset's (only feet ↔ meters convert; unknown units pass through). */
export function distanceConverter(fileUnit: MeasurementSystem, datasetUnit: MeasurementSystem): (d: number) => number {
  if (fileUnit === datasetUnit || fileUnit === MeasurementSystem.Unknown || datasetUnit === MeasurementSystem.Unknown) return (d) => d;
  return fileUnit === MeasurementSystem.Feet ? (d) => d * METERS_PER_FOOT : (d) => d / METERS_PER_FOOT;
}

/**
 * Inline/crossline lattice of a binned survey. The secondary spacing is the mean over the
 * segments of (last − first position) / (last − first secondary key); the primary spacing comes
 * from the first traces of the first and last segments once the secondary offset between them is
 * removed (square bins when there is one segment). `crosslineSorted`: segments are crosslines.
 */
export function surveyLattice(segments: readonly SEGYSegment[], crosslineSorted: boolean, convert: (d: number) => number = (d) => d): SurveyLattice {
  if (segments.length === 0) throw new InvalidArgumentError('a survey lattice needs at least one segment');
  const primaryOf = (b: BinInfo): number => (crosslineSorted ? b.crossline : b.inline);
  const secondaryOf = (b: BinInfo): number => (crosslineSorted ? b.inline : b.crossline);

  let secondary: Vector2 = [0, 0];
  let counted = 0;
  for (const s of segments) {
    const keys = secondaryOf(s.stop) - secondaryOf(s.start);
    if (keys === 0 || primaryOf(s.start) !== primaryOf(s.stop)) continue;
    secondary = [secondary[0] + (s.stop.x - s.start.x) / keys, secondary[1] + (s.stop.y - s.start.y) / keys];
    counted++;
  }
  secondary = counted > 0 ? [secondary[0] / counted, secondary[1] / counted] : [0, 1];

  const first = segments[0]!.start;
  const last = segments[segments.length - 1]!.start;
  let primary: Vector2;
  const primaryDelta = primaryOf(last) - primaryOf(first);
  if (primaryDelta !== 0) {
    const secondaryDelta = secondaryOf(last) - secondaryOf(first);
    primary = [
      (last.x - first.x - secondary[0] * secondaryDelta) / primaryDelta,
      (last.y - first.y - secondary[1] * secondaryDelta) / primaryDelta,
    ];
  } else {
    primary = [secondary[1], -secondary[0]];
  }

  const inlineSpacing = crosslineSorted ? secondary : primary;
  let crosslineSpacing = crosslineSorted ? primary : secondary;
  // OpenVDS follows Headwave here: a single crossline with a vertical inline step gets crossline spacing (-1, 0).
  if (crosslineSpacing[0] === 0 && crosslineSpacing[1] === 1 && inlineSpacing[0] === 0) crosslineSpacing = [-1, 0];

  const origin: Vector2 = [
    first.x - inlineSpacing[0] * first.inline - crosslineSpacing[0] * first.crossline,
    first.y - inlineSpacing[1] * first.inline - crosslineSpacing[1] * first.crossline,
  ];
  const both = (v: Vector2): Vector2 => [convert(v[0]), convert(v[1])];
  return { origin: both(origin), inlineSpacing: both(inlineSpacing), crosslineSpacing: both(crosslineSpacing) };
}
