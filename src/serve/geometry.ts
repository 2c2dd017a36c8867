// A dataset's geometry as the service speaks of it: the inline (I), crossline (J) and sample (K)
// dimensions, slice boxes by annotation line number or index, and the voxel positions of points
// given in world, annotation or index coordinates (for traces and samples).
import { annotationPosition, annotationSlice, type VoxelBox } from '../api/annotation.js';
import { IJKCoordinateTransformer } from '../model/coordinates.js';
import { InvalidArgumentError } from '../model/errors.js';
import type { VolumeDataLayout } from '../model/layout/volumeDataLayout.js';
import { badRequest, forParameter } from './httpErrors.js';

export const DIRECTIONS = ['inline', 'crossline', 'time', 'depth', 'sample', 'i', 'j', 'k'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const COORDINATE_SYSTEMS = ['world', 'annotation', 'index'] as const;
export type CoordinateSystem = (typeof COORDINATE_SYSTEMS)[number];

/** One annotated axis: its dimension in the dataset, name, unit, samples and annotation range. */
export interface AxisInfo {
  dimension: number;
  name: string;
  unit: string;
  samples: number;
  min: number;
  max: number;
  step: number;
}

export class SurveyGeometry {
  readonly axes: readonly AxisInfo[];
  readonly transformer: IJKCoordinateTransformer;
  /** The dataset dimensions of I (inline), J (crossline) and K (sample), as OpenVDS's IJK grid maps them. */
  readonly ijk: readonly [number, number, number];

  constructor(readonly layout: VolumeDataLayout) {
    this.axes = Array.from({ length: layout.getDimensionality() }, (_, dimension): AxisInfo => {
      const axis = layout.getAxisDescriptor(dimension);
      const samples = axis.getNumSamples();
      const [min, max] = [axis.getCoordinateMin(), axis.getCoordinateMax()];
      return { dimension, name: axis.getName(), unit: axis.getUnit(), samples, min, max, step: samples > 1 ? (max - min) / (samples - 1) : 0 };
    });
    this.transformer = IJKCoordinateTransformer.fromLayout(layout);
    this.ijk = this.transformer.grid.dimensionMap as unknown as [number, number, number];
  }

  /** Slices, traces and points are served for 3D datasets (a 4D one needs a fourth coordinate the routes have no place for). */
  assertVolume(parameter: string): void {
    if (this.axes.length !== 3) throw badRequest(parameter, `this dataset has ${this.axes.length} dimensions; slices, fences and samples are served for 3D datasets`);
  }

  private axisOf(ijk: 0 | 1 | 2, parameter: string): AxisInfo {
    const dimension = this.ijk[ijk];
    if (dimension < 0) throw badRequest(parameter, `this dataset has no ${['inline', 'crossline', 'sample'][ijk]} dimension`);
    return this.axes[dimension]!;
  }

  /** The box of one slice: `lineno` an annotation value for inline…sample, an index for i/j/k; the sliced dimension. */
  sliceBox(direction: Direction, lineno: number): { box: VoxelBox; dimension: number } {
    this.assertVolume('direction');
    const index = ['i', 'j', 'k'].indexOf(direction);
    if (index >= 0) {
      const axis = this.axisOf(index as 0 | 1 | 2, 'direction');
      if (!Number.isInteger(lineno)) throw badRequest('lineno', `direction ${direction} takes an index (an integer), got ${lineno}`);
      if (lineno < 0 || lineno >= axis.samples) {
        throw badRequest('lineno', `index ${lineno} is outside 0…${axis.samples - 1} of ${axis.name} (direction ${direction} takes indices)`);
      }
      const min = this.axes.map((a) => (a === axis ? lineno : 0));
      return { box: { min, max: this.axes.map((a) => (a === axis ? lineno + 1 : a.samples)) }, dimension: axis.dimension };
    }
    // inline, crossline and sample name the I, J and K axes whatever the layout calls them; time and
    // depth are checked against the sample axis's name or unit (annotation.ts).
    const role = ({ inline: 0, crossline: 1, sample: 2 } as const)[direction as 'inline' | 'crossline' | 'sample'];
    const axisName = role === undefined ? direction : this.axisOf(role, 'direction').name;
    let box: VoxelBox;
    try {
      box = annotationSlice(this.layout, { [axisName]: lineno });
    } catch (error) {
      // annotation.ts names the axis at fault: an unknown one is the direction's, an out-of-range value the line number's.
      if (error instanceof InvalidArgumentError) throw badRequest(/\baxis "/.test(error.message) ? 'direction' : 'lineno', error.message);
      throw error;
    }
    // annotationSlice narrows only the named axis, to one sample.
    const dimension = this.axes.findIndex((a) => box.max[a.dimension]! - box.min[a.dimension]! < a.samples);
    return { box, dimension: dimension >= 0 ? dimension : this.axes.findIndex((a) => a.samples === 1) };
  }

  /**
   * The voxel position (k + 0.5 is voxel k's centre) of an (x, y[, z]) point: world X/Y or
   * inline/crossline annotation (z an annotation value of the sample axis: time or depth), or
   * I/J/K indices. Without z the sample coordinate is that of the first sample.
   */
  position(system: CoordinateSystem, point: readonly number[], parameter: string): number[] {
    const [x, y, z] = point as [number, number, number?];
    const [i, j, k] = [this.axisOf(0, parameter), this.axisOf(1, parameter), this.axisOf(2, parameter)];
    if (system === 'index') {
      const position = [0, 0, 0];
      const indices: [AxisInfo, number][] = [[i, x], [j, y], [k, z ?? 0]];
      for (const [axis, value] of indices) {
        // Index v is voxel v's centre; its bin spans half a voxel either side.
        if (!(Number.isFinite(value) && value >= -0.5 && value <= axis.samples - 0.5)) {
          throw badRequest(parameter, `${axis.name} index ${value} is outside 0…${axis.samples - 1}`);
        }
        position[axis.dimension] = value + 0.5;
      }
      return position;
    }
    const vertical = z ?? k.min;
    const selection = system === 'world' ? { worldX: x, worldY: y, [k.name]: vertical } : { [i.name]: x, [j.name]: y, [k.name]: vertical };
    return forParameter(parameter, () => annotationPosition(this.layout, selection));
  }

  /** The voxel coordinate along K of a sample-axis value (annotation, or index for the index system); undefined outside the axis. */
  verticalPosition(system: CoordinateSystem, value: number): number | undefined {
    const k = this.axes[this.ijk[2]]!;
    const index = system === 'index' ? value : k.step === 0 ? 0 : (value - k.min) / k.step;
    const tolerance = 1e-6;
    return index >= -tolerance && index <= k.samples - 1 + tolerance ? Math.min(k.samples - 1, Math.max(0, index)) + 0.5 : undefined;
  }

  /** The K axis (time, depth or sample); every 3D layout has one (assertVolume first). */
  get verticalAxis(): AxisInfo {
    return this.axisOf(2, 'coordinates');
  }
}
