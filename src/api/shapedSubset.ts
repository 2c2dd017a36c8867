// Shaped subsets: `requestVolumeSubset`'s flat buffer with its shape, strides and annotated axes, and
// typed by the requested format so an R32 read is a Float32Array without a cast.
import { map } from 'rxjs';
import type { VoxelBox } from './annotation.js';
import type { VolumeSubsetOptions } from './accessManager.js';
import { getAccessManager } from './entryPoints.js';
import { DimensionsND, VolumeDataFormat, VolumeDataMapping } from '../model/enums.js';
import { InvalidArgumentError } from '../model/errors.js';
import type { VolumeDataTypedArray } from '../model/formats.js';
import { type RequestEvent, VolumeDataRequest } from './request.js';
import type { VDS } from './vds.js';
import { untilAborted } from '../../operators/untilAborted.js';

/** The typed array each output format is delivered in. */
export interface VolumeDataFormatArray {
  [VolumeDataFormat.Format_Any]: VolumeDataTypedArray;
  [VolumeDataFormat.Format_U8]: Uint8Array;
  [VolumeDataFormat.Format_U16]: Uint16Array;
  [VolumeDataFormat.Format_R32]: Float32Array;
  [VolumeDataFormat.Format_U32]: Uint32Array;
  [VolumeDataFormat.Format_R64]: Float64Array;
  [VolumeDataFormat.Format_U64]: BigUint64Array;
}

/** Formats a shaped result can hold: 1Bit packs eight samples per byte, which no element stride can address. */
export type ShapedFormat = keyof VolumeDataFormatArray;

/** One axis of a shaped result. */
export interface ShapedAxis {
  /** The layout's axis name (`Inline`, `Crossline`, `Time`…), or `Component` for a multi-component channel. */
  readonly name: string;
  readonly unit: string;
  /** The dataset dimension, or -1 for the component axis. */
  readonly dimension: number;
  /** Samples along the axis in `data`. */
  readonly count: number;
  /** Annotation coordinate of the first sample. */
  readonly start: number;
  /** Annotation step from one sample of `data` to the next (the axis step times the LOD decimation). */
  readonly step: number;
}

/**
 * A subset as an n-dimensional array. Axis n has `shape[n]` samples; the sample at indices `i` is
 * `data[Σ i[n]·strides[n]]`. Axes run in dimension order, dimension 0 fastest (as OpenVDS lays out
 * `data`), after a leading `Component` axis when the channel has more than one component.
 */
export interface ShapedSubset<T extends VolumeDataTypedArray = Float32Array> {
  readonly data: T;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly axes: readonly ShapedAxis[];
}

export interface ShapedSubsetOptions<F extends ShapedFormat> extends Omit<VolumeSubsetOptions, 'format' | 'dataOut'> {
  /** Output format; `Format_R32` by default. The result's `data` type follows it. */
  format?: F;
}

/**
 * `requestVolumeSubset(box.min, box.max, options)` delivered as a `ShapedSubset`, e.g.
 * `requestShapedSubset(dataset, annotationSlice(layout, { inline: 120 }))`. Arguments are checked
 * at once, as `requestVolumeSubset` does; aborting `options.signal` cancels the request as `cancel()` does.
 */
export function requestShapedSubset<F extends ShapedFormat = VolumeDataFormat.Format_R32>(
  vds: VDS, box: VoxelBox, options: ShapedSubsetOptions<F> = {},
): VolumeDataRequest<ShapedSubset<VolumeDataFormatArray[F]>> {
  if ((options.format as VolumeDataFormat | undefined) === VolumeDataFormat.Format_1Bit) {
    throw new InvalidArgumentError('a shaped result cannot hold Format_1Bit (8 samples per byte); request Format_U8 or use requestVolumeSubset');
  }
  const { min, max } = box;
  const events = getAccessManager(vds).volumeSubset$(min, max, options);
  const { shape, strides, axes } = shapeOf(vds, min, max, options);
  // Canceled outside the subset's pipeline: its buffer is handed out only when complete.
  return new VolumeDataRequest((cancel) => events.pipe(untilAborted(cancel), map((event): RequestEvent<ShapedSubset<VolumeDataFormatArray[F]>> =>
    (event.kind === 'data' ? { kind: 'data', data: { data: event.data as VolumeDataFormatArray[F], shape, strides, axes } } : event))));
}

/** Shape, strides and axes of a subset already validated by the access manager. */
function shapeOf(vds: VDS, min: readonly number[], max: readonly number[], options: ShapedSubsetOptions<ShapedFormat>) {
  const { dimensionsND = DimensionsND.Dimensions_012, lod = 0, channel = 0 } = options;
  const layout = vds.layout;
  if (layout.getChannelMapping(channel) === VolumeDataMapping.PerTrace) {
    throw new InvalidArgumentError(`channel ${channel} is mapped per trace, which has no annotated sample axis; use requestVolumeSubset`);
  }
  // The layer whose geometry sizes the output, as getVolumeSubsetBufferSize sizes it.
  const partition = vds.layers.get(dimensionsND, lod, channel)!.partition;
  const axes: ShapedAxis[] = [];
  const components = layout.getChannelComponents(channel) as number;
  if (components > 1) axes.push({ name: 'Component', unit: '', dimension: -1, count: components, start: 0, step: 1 });
  for (let dimension = 0; dimension < layout.getDimensionality(); dimension++) {
    const axis = layout.getAxisDescriptor(dimension);
    const n = axis.getNumSamples();
    const step = n > 1 ? (axis.getCoordinateMax() - axis.getCoordinateMin()) / (n - 1) : 0;
    axes.push({
      name: axis.getName(), unit: axis.getUnit(), dimension,
      count: partition.lodSize(min[dimension]!, max[dimension]!, dimension),
      start: axis.getCoordinateMin() + min[dimension]! * step,
      step: step * (1 << partition.lodShift(dimension)),
    });
  }
  const shape = axes.map((a) => a.count);
  const strides = shape.map((_, n) => shape.slice(0, n).reduce((a, b) => a * b, 1));
  return { shape, strides, axes };
}
