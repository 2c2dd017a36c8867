// Annotation (inline/crossline/time) ↔ IJK/voxel index ↔ world X/Y/Z for a dataset, from its axes and the
// SurveyCoordinateSystem metadata, following OpenVDS's VDSIJKGridDefinition and IJKCoordinateTransformer.
import { KnownMetadata } from './metadata/knownMetadata.js';
import type { MetadataReadAccess } from './metadata/metadataContainer.js';
import { InvalidOperationError } from './errors.js';

export type Vector3 = [number, number, number];

export interface AxisLike {
  getName(): string;
  getNumSamples(): number;
  getCoordinateMin(): number;
  getCoordinateMax(): number;
}

/** What the grid definition needs of a VolumeDataLayout. */
export interface LayoutLike extends MetadataReadAccess {
  getDimensionality(): number;
  getAxisDescriptor(dimension: number): AxisLike;
}

/** World origin and per-index step vectors of I, J, K, and which voxel dimension each of I, J, K is. */
export interface VDSIJKGridDefinition {
  readonly origin: Vector3;
  readonly iUnitStep: Vector3;
  readonly jUnitStep: Vector3;
  readonly kUnitStep: Vector3;
  readonly dimensionMap: Vector3;
}

const add = (a: Vector3, b: Vector3): Vector3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const scale = (a: Vector3, s: number): Vector3 => [a[0] * s, a[1] * s, a[2] * s];
const cross = (a: Vector3, b: Vector3): Vector3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const length = (a: Vector3): number => Math.hypot(a[0], a[1], a[2]);

function vector2(layout: MetadataReadAccess, key: ReturnType<typeof KnownMetadata.surveyCoordinateSystemOrigin>): [number, number] | undefined {
  return layout.getMetadata(key) as [number, number] | undefined;
}

function vector3(layout: MetadataReadAccess, key: ReturnType<typeof KnownMetadata.surveyCoordinateSystemIJKOrigin>): Vector3 {
  return (layout.getMetadata(key) as Vector3 | undefined) ?? [0, 0, 0];
}

const inlineNames = new Set(['Inline', 'I']);
const crosslineNames = new Set(['Crossline', 'J']);
const verticalNames = new Set(['Time', 'Depth', 'Sample', 'K']);

function axisStep(axis: AxisLike): number {
  const n = axis.getNumSamples();
  return n > 1 ? (axis.getCoordinateMax() - axis.getCoordinateMin()) / (n - 1) : 0;
}

/**
 * The grid definition of a layout: Inline/I, Crossline/J, Time/Depth/Sample/K axes by name (other
 * axes fill the unmatched slots), steps from the inline/crossline spacing (or 3D IJK step vectors),
 * vertical axes pointing down (−Z), and the origin moved to the first sample of each axis.
 */
export function getVDSIJKGridDefinitionFromMetadata(layout: LayoutLike): VDSIJKGridDefinition {
  const latticeOrigin = vector2(layout, KnownMetadata.surveyCoordinateSystemOrigin());
  let inlineSpacing = vector2(layout, KnownMetadata.surveyCoordinateSystemInlineSpacing()) ?? [0, 0];
  let crosslineSpacing = vector2(layout, KnownMetadata.surveyCoordinateSystemCrosslineSpacing()) ?? [0, 0];
  if (inlineSpacing[0] === 0 && inlineSpacing[1] === 0) inlineSpacing = [1, 0];
  if (crosslineSpacing[0] === 0 && crosslineSpacing[1] === 0) crosslineSpacing = [0, 1];
  const isInlineCrosslineSystem = latticeOrigin !== undefined;
  let origin: Vector3 = latticeOrigin ? [latticeOrigin[0], latticeOrigin[1], 0] : vector3(layout, KnownMetadata.surveyCoordinateSystemIJKOrigin());
  const stepVectors: Record<string, Vector3> = {
    Inline: [inlineSpacing[0], inlineSpacing[1], 0],
    Crossline: [crosslineSpacing[0], crosslineSpacing[1], 0],
    Time: [0, 0, -1], Depth: [0, 0, -1], Sample: [0, 0, -1],
    I: vector3(layout, KnownMetadata.surveyCoordinateSystemIStepVector()),
    J: vector3(layout, KnownMetadata.surveyCoordinateSystemJStepVector()),
    K: vector3(layout, KnownMetadata.surveyCoordinateSystemKStepVector()),
    X: [1, 0, 0], Y: [0, 1, 0], Z: [0, 0, 1],
  };

  const dimensions = layout.getDimensionality();
  const map: Vector3 = [-1, -1, -1];
  const unused: number[] = [];
  for (let d = 0; d < dimensions; d++) {
    const name = layout.getAxisDescriptor(d).getName();
    if (inlineNames.has(name)) map[0] = d;
    else if (crosslineNames.has(name)) map[1] = d;
    else if (verticalNames.has(name)) map[2] = d;
    else unused.push(d);
  }
  if (dimensions >= 3 && map[2] === -1 && unused.length) map[2] = unused.shift()!;
  if (map[1] === -1 && unused.length) map[1] = unused.shift()!;
  if (map[0] === -1 && unused.length) map[0] = unused.shift()!;

  const steps: Vector3[] = [];
  for (let ijk = 0; ijk < 3; ijk++) {
    const dimension = map[ijk]!;
    if (dimension === -1) {
      // A missing K (2D data): straight down, or perpendicular to I and J scaled to their mean length.
      if (isInlineCrosslineSystem) steps.push([0, 0, -1]);
      else {
        const [i, j] = [steps[0]!, steps[1]!];
        steps.push(scale(cross(j, i), (length(i) + length(j)) / (2 * length(i) * length(j))));
      }
      continue;
    }
    const axis = layout.getAxisDescriptor(dimension);
    const unit = stepVectors[axis.getName()] ?? [0, 0, 0];
    origin = add(origin, scale(unit, axis.getCoordinateMin()));
    const step = axisStep(axis);
    steps.push(step !== 0 ? scale(unit, step) : unit);
  }
  return { origin, iUnitStep: steps[0]!, jUnitStep: steps[1]!, kUnitStep: steps[2]!, dimensionMap: map };
}

function invert3x3(columns: [Vector3, Vector3, Vector3]): [Vector3, Vector3, Vector3] | undefined {
  const [a, b, c] = columns;
  const det = a[0] * (b[1] * c[2] - c[1] * b[2]) - b[0] * (a[1] * c[2] - c[1] * a[2]) + c[0] * (a[1] * b[2] - b[1] * a[2]);
  if (det === 0 || !Number.isFinite(det)) return undefined;
  // Rows of the inverse: world → ijk is ijk_n = row_n · (world − origin).
  return [scale(cross(b, c), 1 / det), scale(cross(c, a), 1 / det), scale(cross(a, b), 1 / det)];
}

/** Transforms between IJK positions, voxel positions, annotation coordinates and world coordinates. */
export class IJKCoordinateTransformer {
  private readonly worldToIJKRows: [Vector3, Vector3, Vector3] | undefined;

  constructor(
    readonly grid: VDSIJKGridDefinition,
    readonly ijkSize: Vector3,
    readonly annotationStart: Vector3 = [0, 0, 0],
    readonly annotationEnd: Vector3 = [0, 0, 0],
  ) {
    this.worldToIJKRows = invert3x3([grid.iUnitStep, grid.jUnitStep, grid.kUnitStep]);
  }

  static fromLayout(layout: LayoutLike): IJKCoordinateTransformer {
    const grid = getVDSIJKGridDefinitionFromMetadata(layout);
    const axis = (ijk: number): AxisLike | undefined => (grid.dimensionMap[ijk]! >= 0 ? layout.getAxisDescriptor(grid.dimensionMap[ijk]!) : undefined);
    const pick = (f: (a: AxisLike) => number, fallback: number): Vector3 =>
      [0, 1, 2].map((ijk) => { const a = axis(ijk); return a ? f(a) : fallback; }) as Vector3;
    return new IJKCoordinateTransformer(grid, pick((a) => a.getNumSamples(), 1), pick((a) => a.getCoordinateMin(), 0), pick((a) => a.getCoordinateMax(), 0));
  }

  get annotationsDefined(): boolean {
    return this.annotationStart.some((v, i) => v !== this.annotationEnd[i]);
  }

  ijkPositionToWorld(ijk: Vector3): Vector3 {
    const g = this.grid;
    return add(add(add(g.origin, scale(g.iUnitStep, ijk[0])), scale(g.jUnitStep, ijk[1])), scale(g.kUnitStep, ijk[2]));
  }

  worldToIJKPosition(world: Vector3): Vector3 {
    if (!this.worldToIJKRows) throw new InvalidOperationError('the IJK grid is degenerate (its step vectors are not independent); world positions cannot be inverted');
    const d: Vector3 = [world[0] - this.grid.origin[0], world[1] - this.grid.origin[1], world[2] - this.grid.origin[2]];
    return this.worldToIJKRows.map((row) => row[0] * d[0] + row[1] * d[1] + row[2] * d[2]) as Vector3;
  }

  ijkPositionToAnnotation(ijk: Vector3): Vector3 {
    if (!this.annotationsDefined) return [...this.annotationStart];
    return [0, 1, 2].map((n) => {
      const factor = ijk[n] === 0 ? 0 : ijk[n]! / (this.ijkSize[n]! - 1);
      return this.annotationStart[n]! + factor * (this.annotationEnd[n]! - this.annotationStart[n]!);
    }) as Vector3;
  }

  annotationToIJKPosition(annotation: Vector3): Vector3 {
    if (!this.annotationsDefined) throw new InvalidOperationError('the annotation coordinates of this grid are undefined');
    return [0, 1, 2].map((n) => {
      const range = this.annotationEnd[n]! - this.annotationStart[n]!;
      return range === 0 ? 0 : ((annotation[n]! - this.annotationStart[n]!) / range) * (this.ijkSize[n]! - 1);
    }) as Vector3;
  }

  /** Voxel position (dimension 0, 1, 2 of the dataset) of an IJK position. */
  ijkPositionToVoxelPosition(ijk: Vector3): Vector3 {
    const voxel: Vector3 = [0, 0, 0];
    this.grid.dimensionMap.forEach((dimension, n) => { if (dimension >= 0 && dimension < 3) voxel[dimension] = ijk[n]!; });
    return voxel;
  }

  voxelPositionToIJKPosition(voxel: Vector3): Vector3 {
    return this.grid.dimensionMap.map((dimension) => (dimension >= 0 && dimension < 3 ? voxel[dimension]! : 0)) as Vector3;
  }

  annotationToWorld(annotation: Vector3): Vector3 { return this.ijkPositionToWorld(this.annotationToIJKPosition(annotation)); }
  worldToAnnotation(world: Vector3): Vector3 { return this.ijkPositionToAnnotation(this.worldToIJKPosition(world)); }
  voxelPositionToWorld(voxel: Vector3): Vector3 { return this.ijkPositionToWorld(this.voxelPositionToIJKPosition(voxel)); }
  worldToVoxelPosition(world: Vector3): Vector3 { return this.ijkPositionToVoxelPosition(this.worldToIJKPosition(world)); }
  voxelPositionToAnnotation(voxel: Vector3): Vector3 { return this.ijkPositionToAnnotation(this.voxelPositionToIJKPosition(voxel)); }
  annotationToVoxelPosition(annotation: Vector3): Vector3 { return this.ijkPositionToVoxelPosition(this.annotationToIJKPosition(annotation)); }
}
