// Which chunk serves each interpolated sample of requestVolumeSamples / requestVolumeTraces
// (format sheet 5.4, 5.5): the chunk whose interior holds floor(position), clamped to the volume.
import type { VolumeDataLayer } from '../geometry/layers.js';

export interface SamplePlan {
  layer: VolumeDataLayer;
  /** LOD0 continuous positions, 6 per sample (voxel k spans [k, k+1)). */
  positions: Float64Array;
  /** Sample indices grouped by chunk. */
  byChunk: Map<number, number[]>;
  count: number;
  /** Third sampler coordinate for 2D layers: OpenVDS uses 0 for samples, 0.5 for traces. */
  unusedCoordinate: number;
}

export function planSamples(layer: VolumeDataLayer, positions: Float64Array, unusedCoordinate = 0): SamplePlan {
  const p = layer.partition;
  const count = positions.length / 6;
  const byChunk = new Map<number, number[]>();
  const voxel = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < 6; d++) {
      const n = p.numSamples[d]!;
      voxel[d] = Math.min(Math.max(Math.floor(positions[i * 6 + d]!), 0), n - 1);
    }
    const chunk = p.chunkIndexOfVoxel(voxel);
    let list = byChunk.get(chunk);
    if (!list) byChunk.set(chunk, list = []);
    list.push(i);
  }
  return { layer, positions, byChunk, count, unusedCoordinate };
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
