// Annotation coordinates (inline, crossline, time, depth, sample … and world X/Y) turned into the voxel
// boxes and positions the access manager takes, so users can address data the way they think of it.
//
// Rules (chosen so a request never silently reads something else than asked):
// - An axis is named by its layout name in any case, ignoring spaces and punctuation ('inline',
//   'Crossline', 'time'), or by one word of it ('offset' for 'Trace (offset)'); a `Sample` axis also
//   answers to 'time' or 'depth' when its unit is one of time or of length.
// - Annotation values must lie within the axis's annotation range [coordinateMin, coordinateMax];
//   anything outside is an InvalidArgumentError quoting that range and its step.
// - Boxes snap a value between two samples to the nearest sample, a value halfway to the higher one
//   (OpenVDS's IJKCoordinateTransformer::ConvertIJKPositionToIndex rule). Times and depths often fall
//   between samples (1201 ms on a 4 ms grid), and the box reports exactly what it selects (see
//   `requestShapedSubset`'s axes), so snapping is more useful than refusing.
// - Positions do not snap: they are continuous, for interpolated sampling (voxel k's centre is k + 0.5).
// - World X/Y (`worldX`, `worldY`) go through IJKCoordinateTransformer to inline/crossline: boxes take
//   the trace whose bin holds the point; a point outside every bin is an error.
import { IJKCoordinateTransformer, type Vector3 } from '../model/coordinates.js';
import { InvalidArgumentError } from '../model/errors.js';
import type { VolumeDataLayout } from '../model/layout/volumeDataLayout.js';

/** LOD0 voxel indices per dimension of the layout, `max` exclusive: the arguments of `requestVolumeSubset`. */
export interface VoxelBox {
  readonly min: number[];
  readonly max: number[];
}

/** One annotation value, or an inclusive `[first, last]` range of them. */
export type AnnotationValue = number | readonly [first: number, last: number];

/**
 * Annotation values by axis name (`{ inline: 120, time: [1000, 1500] }`), plus optional `worldX`/`worldY`
 * (survey coordinates) in place of inline and crossline.
 */
export interface AnnotationSelection {
  readonly [axis: string]: AnnotationValue | undefined;
  readonly worldX?: number;
  readonly worldY?: number;
}

/** An axis as annotation arithmetic needs it. */
interface Axis {
  readonly dimension: number;
  readonly name: string;
  readonly unit: string;
  readonly count: number;
  readonly first: number;
  readonly last: number;
  readonly step: number;
}

/** SEG-Y imports name the vertical axis `Sample` whatever it measures; its unit says whether that is time or depth. */
const verticalByUnit: Record<string, string> = { ms: 'time', s: 'time', us: 'time', m: 'depth', ft: 'depth', usft: 'depth' };

const normalized = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

function axesOf(layout: VolumeDataLayout): Axis[] {
  return Array.from({ length: layout.getDimensionality() }, (_, dimension) => {
    const axis = layout.getAxisDescriptor(dimension);
    const count = axis.getNumSamples();
    const first = axis.getCoordinateMin(), last = axis.getCoordinateMax();
    return { dimension, name: axis.getName(), unit: axis.getUnit(), count, first, last, step: count > 1 ? (last - first) / (count - 1) : 0 };
  });
}

const withUnit = (value: number, unit: string): string => (unit && unit !== 'unitless' ? `${value} ${unit}` : `${value}`);

/** "100..750 (step 1)", the way errors quote an axis's valid annotation range. */
function rangeText(axis: Axis): string {
  return `${withUnit(axis.first, axis.unit)}..${withUnit(axis.last, axis.unit)} (step ${withUnit(axis.step, axis.unit)})`;
}

/** Fractional sample index of an annotation value, checked against the axis's annotation range. */
function sampleIndex(axis: Axis, value: number): number {
  if (!Number.isFinite(value)) throw new InvalidArgumentError(`${axis.name} must be a finite number, got ${value}`);
  const tolerance = Math.abs(axis.step) * 1e-6;
  const lo = Math.min(axis.first, axis.last), hi = Math.max(axis.first, axis.last);
  if (value < lo - tolerance || value > hi + tolerance) {
    throw new InvalidArgumentError(`${axis.name} ${withUnit(value, axis.unit)} is outside ${rangeText(axis)}`);
  }
  return axis.step === 0 ? 0 : Math.min(axis.count - 1, Math.max(0, (value - axis.first) / axis.step));
}

/** Nearest sample, halves up (ConvertIJKPositionToIndex). */
const nearest = (index: number): number => Math.floor(index + 0.5);

/** Matches selection keys to axes; world X/Y are returned apart. */
function resolve(layout: VolumeDataLayout, selection: AnnotationSelection): { axes: Axis[]; values: Map<Axis, AnnotationValue>; world?: [number, number] } {
  if (typeof selection !== 'object' || selection === null) throw new InvalidArgumentError('the annotation selection must be an object such as { inline: 120 }');
  const axes = axesOf(layout);
  const byAlias = new Map<string, Axis[]>();
  for (const axis of axes) {
    const words = axis.name.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
    const vertical = normalized(axis.name) === 'sample' ? verticalByUnit[axis.unit] : undefined;
    for (const alias of new Set([normalized(axis.name), ...words, ...(vertical ? [vertical] : [])])) {
      byAlias.set(alias, [...(byAlias.get(alias) ?? []), axis]);
    }
  }
  const values = new Map<Axis, AnnotationValue>();
  const { worldX, worldY, ...rest } = selection;
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    const matches = byAlias.get(normalized(key)) ?? [];
    if (matches.length !== 1) {
      throw new InvalidArgumentError(`${matches.length ? 'ambiguous' : 'no'} axis "${key}" in this layout (axes: ${axes.map((a) => a.name).join(', ')})`);
    }
    const axis = matches[0]!;
    if (values.has(axis)) throw new InvalidArgumentError(`${axis.name} is given twice`);
    values.set(axis, value);
  }
  if ((worldX === undefined) !== (worldY === undefined)) throw new InvalidArgumentError('worldX and worldY go together');
  if (worldX === undefined || worldY === undefined) return { axes, values };
  if (!Number.isFinite(worldX) || !Number.isFinite(worldY)) throw new InvalidArgumentError(`worldX/worldY must be finite numbers, got ${worldX}, ${worldY}`);
  return { axes, values, world: [worldX, worldY] };
}

/**
 * Fractional sample index of world X/Y along the inline (I) and crossline (J) dimensions, through the
 * layout's IJK grid; `values` must not name those axes as well.
 */
function worldIndices(layout: VolumeDataLayout, axes: Axis[], values: Map<Axis, AnnotationValue>, world: [number, number]): Map<Axis, number> {
  const transformer = IJKCoordinateTransformer.fromLayout(layout);
  const [iDimension, jDimension] = transformer.grid.dimensionMap;
  if (iDimension < 0 || jDimension < 0) throw new InvalidArgumentError('worldX/worldY need a layout with inline and crossline axes');
  const ij = [axes[iDimension]!, axes[jDimension]!];
  for (const axis of ij) if (values.has(axis)) throw new InvalidArgumentError(`give either worldX/worldY or ${axis.name}, not both`);
  // I and J steps lie in the XY plane, so world Z does not move them.
  const ijk: Vector3 = transformer.worldToIJKPosition([world[0], world[1], 0]);
  const result = new Map<Axis, number>();
  ij.forEach((axis, n) => {
    const index = ijk[n]!;
    // A sample's bin spans half a step either side of it (OpenVDS's IJK range rule).
    if (!(index >= -0.5 && index <= axis.count - 0.5)) {
      const annotations = ij.map((a, m) => `${a.name} ${+(a.first + ijk[m]! * a.step).toFixed(3)}`).join(', ');
      throw new InvalidArgumentError(`world X/Y (${world[0]}, ${world[1]}) is outside the survey: it falls at ${annotations}; ` +
        `valid ${ij.map((a) => `${a.name} ${rangeText(a)}`).join(', ')}`);
    }
    result.set(axis, index);
  });
  return result;
}

/**
 * The voxel box selecting the given annotation values: a single value selects one sample (a slice),
 * `[first, last]` an inclusive range, and axes not named span their whole length.
 * `annotationSlice(layout, { inline: 120 })` is inline 120, ready for `requestVolumeSubset(box.min, box.max)`.
 */
export function annotationSlice(layout: VolumeDataLayout, selection: AnnotationSelection): VoxelBox {
  const { axes, values, world } = resolve(layout, selection);
  const min = axes.map(() => 0);
  const max = axes.map((axis) => axis.count);
  for (const [axis, value] of values) {
    const [first, last] = typeof value === 'number' ? [value, value] : checkedRange(axis, value);
    const a = nearest(sampleIndex(axis, first)), b = nearest(sampleIndex(axis, last));
    min[axis.dimension] = Math.min(a, b);
    max[axis.dimension] = Math.max(a, b) + 1;
  }
  if (world) {
    for (const [axis, index] of worldIndices(layout, axes, values, world)) {
      const trace = Math.min(axis.count - 1, nearest(index));
      min[axis.dimension] = trace;
      max[axis.dimension] = trace + 1;
    }
  }
  return { min, max };
}

function checkedRange(axis: Axis, value: AnnotationValue): readonly [number, number] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new InvalidArgumentError(`${axis.name} must be a number or a [first, last] pair, got ${JSON.stringify(value)}`);
  }
  return value as readonly [number, number];
}

/**
 * The continuous voxel position (one coordinate per dimension, voxel k's centre at k + 0.5) of an
 * annotation point, for `requestVolumeSamples`/`requestVolumeTraces`. Every axis needs a value (world
 * X/Y may stand for inline and crossline); values are not snapped, so interpolation sees them as given.
 * This is `IJKCoordinateTransformer.annotationToVoxelPosition` + 0.5: OpenVDS's IJK positions put
 * sample k at k, its sampling requests at k + 0.5.
 */
export function annotationPosition(layout: VolumeDataLayout, selection: AnnotationSelection): number[] {
  const { axes, values, world } = resolve(layout, selection);
  const indices = new Map<Axis, number>(world ? worldIndices(layout, axes, values, world) : []);
  for (const [axis, value] of values) {
    if (typeof value !== 'number') throw new InvalidArgumentError(`${axis.name} must be a single number for a position, got ${JSON.stringify(value)}`);
    indices.set(axis, sampleIndex(axis, value));
  }
  const missing = axes.filter((axis) => !indices.has(axis));
  if (missing.length) throw new InvalidArgumentError(`a position needs a value for every axis; missing ${missing.map((a) => a.name).join(', ')}`);
  return axes.map((axis) => indices.get(axis)! + 0.5);
}
