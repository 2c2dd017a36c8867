// Which chunk serves each interpolated sample, and where in that chunk: requestVolumeSamples and
// requestVolumeTraces (format sheet 5.4, 5.5) use the chunk whose interior holds floor(position),
// clamped to the volume; requestProjectedVolumeSubset (5.3) the chunk holding the output voxel
// and the plane's (f32) intersection with its column.
import type { VolumeDataLayer } from '../model/geometry/layers.js';
import type { Index6 } from '../model/geometry/partition.js';
import { requestMemory } from '../model/sharedMemory.js';

export interface SamplePlan {
  layer: VolumeDataLayer;
  /**
   * Sample indices grouped by chunk, chunks in ascending order: views of one array in shared
   * memory, so a worker that samples a chunk is handed its indices without a copy.
   */
  byChunk: Map<number, Int32Array>;
  /**
   * Sampler coordinates inside the chunk (margins included), 3 per sample, f32 as OpenVDS computes
   * them. Shared memory, so the workers that sample chunks read them without a copy per job.
   */
  local: Float32Array;
  count: number;
}

/**
 * Per-chunk tables are arrays indexed by chunk (a million-sample plan then does no Map lookup per
 * sample) when the layer has at most this many chunks per planned sample, so they never outweigh
 * the plan's own per-sample arrays; otherwise Maps over the chunks the samples meet.
 */
const DENSE_CHUNKS_PER_SAMPLE = 4;

/** Records the chunk serving each sample, with the local coordinates each chunk's sampler is handed, then groups the samples by chunk. */
class PlanBuilder {
  readonly local: Float32Array;
  /** The chunk serving each sample; −1 for a sample no chunk serves. */
  private readonly chunkOf: Float64Array;
  /** First voxel (margins included) of each chunk met so far, 6 per slot; a chunk's slot is its index in dense tables. */
  readonly origins: Float64Array;
  private readonly dense: boolean;
  private readonly slots = new Map<number, number>();

  constructor(readonly layer: VolumeDataLayer, readonly count: number) {
    this.local = new Float32Array(requestMemory(count * 3 * Float32Array.BYTES_PER_ELEMENT));
    this.chunkOf = new Float64Array(count).fill(-1);
    this.dense = layer.chunkCount <= DENSE_CHUNKS_PER_SAMPLE * count;
    this.origins = new Float64Array((this.dense ? layer.chunkCount : Math.min(count, layer.chunkCount)) * 6).fill(NaN);
  }

  /** Adds sample `i` to `chunk`; returns where the chunk's first voxel (margins included) starts in `origins`. */
  add(i: number, chunk: number): number {
    this.chunkOf[i] = chunk;
    let slot = chunk;
    if (!this.dense) {
      slot = this.slots.get(chunk) ?? this.slots.size;
      if (slot === this.slots.size) this.slots.set(chunk, slot);
    }
    const at = slot * 6;
    if (Number.isNaN(this.origins[at])) this.origins.set(this.layer.partition.chunkMinMax(chunk, true).min, at);
    return at;
  }

  plan(): SamplePlan {
    return { layer: this.layer, byChunk: groupByChunk(this.chunkOf, this.dense ? this.layer.chunkCount : undefined), local: this.local, count: this.count };
  }
}

/**
 * A counting sort of the sample indices by chunk: each chunk's indices in a view of one shared
 * array. Counts are kept in an array over the layer's `denseChunkCount` chunks when given.
 */
function groupByChunk(chunkOf: Float64Array, denseChunkCount: number | undefined): Map<number, Int32Array> {
  const counts = new Map<number, number>();
  const dense = denseChunkCount === undefined ? undefined : new Int32Array(denseChunkCount);
  let total = 0;
  for (let i = 0; i < chunkOf.length; i++) {
    const chunk = chunkOf[i]!;
    if (chunk < 0) continue;
    total++;
    if (dense) dense[chunk]!++;
    else counts.set(chunk, (counts.get(chunk) ?? 0) + 1);
  }
  if (dense) dense.forEach((count, chunk) => { if (count > 0) counts.set(chunk, count); });
  const chunks = [...counts.keys()].sort((a, b) => a - b);
  const sorted = new Int32Array(requestMemory(total * Int32Array.BYTES_PER_ELEMENT));
  const next = new Map<number, number>();
  const byChunk = new Map<number, Int32Array>();
  let start = 0;
  for (const chunk of chunks) {
    const count = counts.get(chunk)!;
    byChunk.set(chunk, sorted.subarray(start, start + count));
    if (dense) dense[chunk] = start;
    else next.set(chunk, start);
    start += count;
  }
  for (let i = 0; i < chunkOf.length; i++) {
    const chunk = chunkOf[i]!;
    if (chunk < 0) continue;
    if (dense) sorted[dense[chunk]!++] = i;
    else { const at = next.get(chunk)!; sorted[at] = i; next.set(chunk, at + 1); }
  }
  return byChunk;
}

/**
 * Positions are LOD0 continuous coordinates, 6 per sample (voxel k spans [k, k+1)). The third
 * sampler coordinate of a 2D layer is fixed: OpenVDS uses 0 for samples, 0.5 for traces.
 */
export function planSamples(layer: VolumeDataLayer, positions: Float32Array | Float64Array, unusedCoordinate = 0): SamplePlan {
  const p = layer.partition;
  const axes = p.chunkedDimensions.slice(0, 3);
  const builder = new PlanBuilder(layer, positions.length / 6);
  const { local, origins } = builder;
  const scales = axes.map((d) => Math.fround(1 / (1 << p.lodShift(d))));
  const chunks = p.chunkIndicesOfPositions(positions);
  for (let i = 0; i < builder.count; i++) {
    const origin = builder.add(i, chunks[i]!);
    local[i * 3 + 2] = unusedCoordinate;
    // OpenVDS takes positions as f32 and scales them in f32.
    for (let k = 0; k < axes.length; k++) {
      const d = axes[k]!;
      local[i * 3 + k] = Math.fround(Math.fround(Math.fround(positions[i * 6 + d]!) - origins[origin + d]!) * scales[k]!);
    }
  }
  return builder.plan();
}

/**
 * How many chunks `planSamples` groups the samples into, counted by sorting instead of in a Map
 * (V8's Maps hold at most 2^24 keys), so a request can be refused before it is planned.
 */
export function countSampleChunks(layer: VolumeDataLayer, positions: Float32Array | Float64Array): number {
  const chunks = layer.partition.chunkIndicesOfPositions(positions);
  chunks.sort();
  let count = 0;
  for (let i = 0; i < chunks.length; i++) if (i === 0 || chunks[i] !== chunks[i - 1]) count++;
  return count;
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
        const first = builder.origins[origin + d]!;
        builder.local[i * 3 + k] = d === z ? f(f(position - first) / (1 << shift)) : Math.floor((voxel[d]! - first) / (1 << shift)) + 0.5;
      });
    }
  }
  return builder.plan();
}

/**
 * Positions of every sample of `traceCount` traces along `traceDimension` (trace t, sample j at
 * index t·length + j): the centre of LOD voxel j along the trace, the trace's own position elsewhere.
 * Outside the chunk group the layer keeps every LOD0 slice, and sample j is slice j·2^LOD (as in a
 * subset read), so the position is that slice's centre.
 */
export function tracePositions(layer: VolumeDataLayer, traces: Float32Array | Float64Array, traceDimension: number): { positions: Float64Array; traceLength: number } {
  const p = layer.partition;
  const traceLength = p.requestLODSize(0, p.numSamples[traceDimension]!, traceDimension);
  const step = 1 << p.requestLODShift(traceDimension);
  const centre = (1 << p.lodShift(traceDimension)) / 2;
  const traceCount = traces.length / 6;
  const positions = new Float64Array(traceCount * traceLength * 6);
  for (let t = 0; t < traceCount; t++) {
    for (let j = 0; j < traceLength; j++) {
      const at = (t * traceLength + j) * 6;
      positions.set(traces.subarray(t * 6, t * 6 + 6), at);
      positions[at + traceDimension] = j * step + centre;
    }
  }
  return { positions, traceLength };
}
