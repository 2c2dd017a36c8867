// The geometry of a projected subset (format sheet 5.3): which two dimensions of the layer's 3D
// group the output spans, which one the plane is projected along, the plane's coefficients in the
// order OpenVDS's kernel takes them, and the output's size. The samples themselves are planned by
// `planProjection` (samplePlan.ts) from what this returns.
import { DimensionsND, VolumeDataFormat } from '../model/enums.js';
import { InvalidArgumentError } from '../model/errors.js';
import { bufferByteSize } from '../model/formats.js';
import { dimensionsOf } from '../model/geometry/dimensionGroup.js';
import type { VolumeDataLayer } from '../model/geometry/layers.js';
import type { Index6 } from '../model/geometry/partition.js';
import type { Projection } from './samplePlan.js';

/** The plane X·a + Y·b + Z·c + T = 0 over the 1st, 2nd and 3rd dimension of the layer's group (voxel coordinates). */
export type VoxelPlane = readonly [number, number, number, number];

export interface ProjectionAxes {
  /** The two dimensions the output spans, lower first. */
  projected: [number, number];
  /** The dimension of the layer's group the plane is projected along. */
  projection: number;
}

/** The axes of projecting `layer`'s 3D group onto the 2D group `projectedDimensions` (a checked enum value). */
export function projectionAxes(layer: VolumeDataLayer, projectedDimensions: DimensionsND): ProjectionAxes {
  const group = dimensionsOf(layer.dimensionsND);
  const projected = [...dimensionsOf(projectedDimensions)];
  if (group.length !== 3 || projected.length !== 2 || !projected.every((d) => group.includes(d))) {
    throw new InvalidArgumentError(`projectedDimensions ${DimensionsND[projectedDimensions]} must be a 2D group inside the 3D group ${DimensionsND[layer.dimensionsND]}`);
  }
  return { projected: projected as [number, number], projection: group.find((d) => !projected.includes(d))! };
}

/** Output elements along each projected dimension of the box `[min, max)`. */
export function projectedSize(layer: VolumeDataLayer, min: Index6, max: Index6, { projected }: ProjectionAxes): [number, number] {
  const [a, b] = projected;
  return [layer.partition.lodSize(min[a]!, max[a]!, a), layer.partition.lodSize(min[b]!, max[b]!, b)];
}

/** Bytes of the projected subset in `format` (1Bit packed 8 voxels a byte, components interleaved otherwise). */
export function projectedByteSize(layer: VolumeDataLayer, min: Index6, max: Index6, axes: ProjectionAxes, format: VolumeDataFormat): number {
  const [na, nb] = projectedSize(layer, min, max, axes);
  return bufferByteSize(format, format === VolumeDataFormat.Format_1Bit ? na * nb : na * nb * layer.channelDescriptor.components);
}

/** The projection `planProjection` samples: the plane checked and its coefficients reordered as OpenVDS does. */
export function projectionOf(layer: VolumeDataLayer, min: Index6, max: Index6, axes: ProjectionAxes, plane: VoxelPlane): Projection {
  if (!Array.isArray(plane) || plane.length !== 4 || plane.some((v) => !Number.isFinite(v))) {
    throw new InvalidArgumentError('voxelPlane must be 4 finite numbers [X, Y, Z, T]');
  }
  const group = dimensionsOf(layer.dimensionsND);
  const coefficient = (d: number) => plane[group.indexOf(d)]!;
  const { projected: [a, b], projection } = axes;
  if (coefficient(projection) === 0) throw new InvalidArgumentError(`voxelPlane has no component along the projected dimension ${projection}`);
  return { min, max, projected: [a, b], projection, plane: [coefficient(a), coefficient(b), coefficient(projection), plane[3]] };
}
