// Slices: one 2D section of a 3D dataset read through `requestShapedSubset`, as rows × columns of
// float32 (the buffer the access manager fills, unchanged: dimension 0 runs fastest, so the rows are
// the higher of the two slice dimensions), with the annotation range of each of its axes.
import type { VoxelBox } from '../api/annotation.js';
import { requestShapedSubset, type ShapedSubset } from '../api/shapedSubset.js';
import type { VDS } from '../api/vds.js';
import { DimensionsND, VDSProduceStatus } from '../model/enums.js';
import type { Index6 } from '../model/geometry/partition.js';
import { subsetChunkCount } from '../engine/subsetPlan.js';

/** An axis of a slice: rows first, then columns. */
export interface SliceAxis {
  name: string;
  unit: string;
  /** Annotation coordinate of the first and last row (or column). */
  min: number;
  max: number;
  samples: number;
  step: number;
}

/** Where a slice lies: the sliced axis, the index read and its annotation (a time between samples snaps to the nearest). */
export interface SlicePlace {
  name: string;
  unit: string;
  index: number;
  annotation: number;
}

export interface Slice {
  lod: number;
  place: SlicePlace;
  shape: [rows: number, columns: number];
  axes: [rows: SliceAxis, columns: SliceAxis];
  data: Float32Array;
  shaped: ShapedSubset;
}

/** One slice read: its box and dimension from SurveyGeometry.sliceBox, the layer chosen. */
export interface SliceRead {
  box: VoxelBox;
  dimension: number;
  lod: number;
  channel: number;
}

/** Chunks a slice read touches: what its progress counts up to. */
export function sliceChunkCount(vds: VDS, read: SliceRead): number {
  let layer = vds.layers.get(DimensionsND.Dimensions_012, read.lod, read.channel)!;
  if (vds.layerProduceStatus(layer) === VDSProduceStatus.Remapped) layer = vds.remapSource(layer) ?? layer;
  const pad = (values: readonly number[], fill: number) => [0, 1, 2, 3, 4, 5].map((d) => values[d] ?? fill) as Index6;
  return subsetChunkCount(layer, pad(read.box.min, 0), pad(read.box.max, 1));
}

/**
 * Reads a slice; `progress` gets the chunks done so far. Aborting `signal` (the client went away)
 * cancels the request: its fetches stop and its queued decode jobs are dropped.
 */
export function readSlice(vds: VDS, read: SliceRead, signal: AbortSignal, progress?: (chunksDone: number) => void): Promise<Slice> {
  const request = requestShapedSubset(vds, read.box, { lod: read.lod, channel: read.channel, signal });
  return new Promise<Slice>((resolve, reject) => {
    request.subscribe({
      next: (event) => {
        if (event.kind === 'progress') progress?.(event.chunksDone);
        else resolve(sliceOf(event.data, read));
      },
      error: reject,
    });
  });
}

function sliceOf(shaped: ShapedSubset, read: SliceRead): Slice {
  // The two dimensions other than the sliced one (layerChecks admits 1-component channels only: no component axis).
  const spanning = shaped.axes.filter((a) => a.dimension >= 0 && a.dimension !== read.dimension);
  const [columns, rows] = spanning as [typeof spanning[0], typeof spanning[0]];
  const axis = (a: typeof rows): SliceAxis => ({ name: a.name, unit: a.unit, min: a.start, max: a.start + (a.count - 1) * a.step, samples: a.count, step: a.step });
  const sliced = shaped.axes.find((a) => a.dimension === read.dimension)!;
  const place = { name: sliced.name, unit: sliced.unit, index: read.box.min[read.dimension]!, annotation: sliced.start };
  return { lod: read.lod, place, shape: [rows.count, columns.count], axes: [axis(rows), axis(columns)], data: shaped.data, shaped };
}

/** The little-endian float32 bytes of a result (every platform Node runs on is little-endian). */
export function f32Bytes(data: Float32Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
