// Which chunk serves each interpolated sample, and where in that chunk: requestVolumeSamples and
// requestVolumeTraces (format sheet 5.4, 5.5) use the chunk whose interior holds floor(position),
// clamped to the volume; requestProjectedVolumeSubset (5.3) the chunk holding the output voxel
// and the plane's (f32) intersection with its column.
import type { VolumeDataLayer } from '../model/geometry/layers.js';
import type { Index6 } from '../model/geometry/partition.js';
import { requestMemory } from '../model/sharedMemory.js';

export interface SamplePlan {
  layer: VolumeDataLayer;
  /** Sample indices grouped by chunk. */
  byChunk: Map<number, number[]>;
  /**
   * Sampler coordinates inside the chunk (margins included), 3 per sample, f32 as OpenVDS computes
   * them. Shared memory, so the workers that sample chunks read them without a copy per job.
   */
  local: Float32Array;
  count: number;
}

/** Groups samples by chunk, with the local coordinates each chunk's sampler is handed. */
class PlanBuilder {
  readonly byChunk = new Map<number, number[]>();
  readonly local: Float32Array;
  private readonly origins = new Map<number, Index6>();

  constructor(readonly layer: VolumeDataLayer, readonly count: number) {
    this.local = new Float32Array(requestMemory(count * 3 * Float32Array.BYTES_PER_ELEMENT));
  }

  /** Adds sample `i` to `chunk`; returns the chunk's first voxel including margins. */
  add(i: number, chunk: number): Index6 {
    let list = this.byChunk.get(chunk);
    if (!list) this.byChunk.set(chunk, list = []);
    list.push(i);
    let origin = this.origins.get(chunk);
    if (!origin) this.origins.set(chunk, origin = this.layer.partition.chunkMinMax(chunk, true).min);
    return origin;
  }

  plan(): SamplePlan {
    return { layer: this.layer, byChunk: this.byChunk, local: this.local, count: this.count };
  }
}

/**
 * Positions are LOD0 continuous coordinates, 6 per sample (voxel k spans [k, k+1)). The third
 * sampler coordinate of a 2D layer is fixed: OpenVDS uses 0 for samples, 0.5 for traces.
 */
export function planSamples(layer: VolumeDataLayer, positions: Float64Array, unusedCoordinate = 0): SamplePlan {
  const p = layer.partition;
  const axes = p.chunkedDimensions.slice(0, 3);
  const builder = new PlanBuilder(layer, positions.length / 6);
  const voxel = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < builder.count; i++) {
    for (let d = 0; d < 6; d++) {
      voxel[d] = Math.min(Math.max(Math.floor(positions[i * 6 + d]!), 0), p.numSamples[d]! - 1);
    }
    const origin = builder.add(i, p.chunkIndexOfVoxel(voxel));
    builder.local[i * 3 + 2] = unusedCoordinate;
    // OpenVDS takes positions as f32 and scales them in f32.
    axes.forEach((d, k) => {
      builder.local[i * 3 + k] = Math.fround(Math.fround(Math.fround(positions[i * 6 + d]!) - origin[d]!) * Math.fround(1 / (1 << p.lodShift(d))));
    });
  }
  return builder.plan();
}

export interface Projection {
  /** [min, max) of the request (LOD0 voxels, 6 dimensions). */
  min: Index6;
  max: Index6;
  /** The plane [X, Y, Z, T] reordered as OpenVDS does: X, Y for the projected dimensions (lower first), Z for the projection dimension. */
  plane: readonly [number, number, number, number];
  /** The two projected dimensions (lower first) and the projection dimension. */
  projected: [number, number];
  projection: number;
}

/**
 * One sample per output voxel (lower projected dimension fastest): the plane's coordinate along
 * the projection dimension, z = −(T + X·(a + h) + Y·(b + h)) / Z in f32 with h = 2^LOD / 2,
 * clamped to [0.5, N − 0.5], at the centre of the voxel's LOD voxel in the projected dimensions.
 * Each output voxel is served by the chunk whose interior holds it (margins only widen what a
 * chunk could serve; OpenVDS lets the last of those chunks win).
 */
export function planProjection(layer: VolumeDataLayer, projection: Projection): SamplePlan {
  const p = layer.partition;
  const f = Math.fround;
  const [a, b] = projection.projected, z = projection.projection;
  const na = p.lodSize(projection.min[a], projection.max[a], a), nb = p.lodSize(projection.min[b], projection.max[b], b);
  const [coefficientA, coefficientB, coefficientZ, constant] = projection.plane.map(f) as [number, number, number, number];
  const divisor = -coefficientZ;
  const half = f((1 << p.lod) / 2);
  const top = f(p.numSamples[z]! - 0.5);
  const axes = p.chunkedDimensions.slice(0, 3);
  const builder = new PlanBuilder(layer, na * nb);
  const voxel = [...projection.min];
  for (let jb = 0; jb < nb; jb++) {
    for (let ja = 0; ja < na; ja++) {
      const i = ja + jb * na;
      voxel[a] = projection.min[a] + (ja << p.lod);
      voxel[b] = projection.min[b] + (jb << p.lod);
      let position = f(constant + f(coefficientA * f(voxel[a]! + half)));
      position = f(f(position + f(coefficientB * f(voxel[b]! + half))) / divisor);
      if (position < 0.5) position = 0.5;
      else if (position > top) position = top;
      // A NaN plane position lies in no chunk: OpenVDS leaves that output voxel untouched.
      if (Number.isNaN(position)) continue;
      voxel[z] = Math.trunc(position);
      const origin = builder.add(i, p.chunkIndexOfVoxel(voxel));
      axes.forEach((d, k) => {
        const shift = p.lodShift(d);
        builder.local[i * 3 + k] = d === z ? f(f(position - origin[d]!) / (1 << shift)) : Math.floor((voxel[d]! - origin[d]!) / (1 << shift)) + 0.5;
      });
    }
  }
  return builder.plan();
}

/**
 * Positions of every sample of `traceCount` traces along `traceDimension` (trace t, sample j at
 * index t·length + j): the centre of LOD voxel j along the trace, the trace's own position elsewhere.
 */
export function tracePositions(layer: VolumeDataLayer, traces: Float64Array, traceDimension: number): { positions: Float64Array; traceLength: number } {
  const p = layer.partition;
  const traceLength = p.lodSize(0, p.numSamples[traceDimension]!, traceDimension);
  const step = 1 << p.lodShift(traceDimension);
  const traceCount = traces.length / 6;
  const positions = new Float64Array(traceCount * traceLength * 6);
  for (let t = 0; t < traceCount; t++) {
    for (let j = 0; j < traceLength; j++) {
      const at = (t * traceLength + j) * 6;
      positions.set(traces.subarray(t * 6, t * 6 + 6), at);
      positions[at + traceDimension] = (j + 0.5) * step;
    }
  }
  return { positions, traceLength };
}
