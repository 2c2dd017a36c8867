// Which chunks a volume subset touches and where each chunk's interior lands in the output buffer
// (format sheet 5.2: output element j along a decimated dimension is LOD0 voxel min + j·2^LOD, the
// LOD voxel holding it in chunked dimensions; every dimension but the full-resolution one is decimated).
import type { VolumeDataLayer } from '../model/geometry/layers.js';
import type { Index6 } from '../model/geometry/partition.js';
import type { DenseBox } from '../model/geometry/denseBox.js';
import { VolumeDataFormat } from '../model/enums.js';
import { bufferByteSize } from '../model/formats.js';

export interface SubsetPlan {
  layer: VolumeDataLayer;
  min: Index6;
  max: Index6;
  /** Output elements per dimension. */
  outSize: Index6;
  /** Chunks whose interior holds output voxels, in chunk-index order. */
  chunks: number[];
  /** Each of those chunks' share of the output, worked out once while planning. */
  copies: ReadonlyMap<number, ChunkCopy>;
}

export interface ChunkCopy {
  /** Elements per dimension of the decoded chunk (margins included). */
  chunkSize: Index6;
  chunkStart: Index6;
  outStart: Index6;
  count: Index6;
}

/** The box of its decoded chunk that a copy reads. */
export function chunkBox({ chunkSize, chunkStart, count }: ChunkCopy): DenseBox {
  return { size: chunkSize, start: chunkStart, count };
}

/** Per dimension, the first and last chunk index whose interior intersects `[min, max)`. */
function chunkRanges(layer: VolumeDataLayer, min: Index6, max: Index6): (readonly [number, number])[] {
  const p = layer.partition;
  return [0, 1, 2, 3, 4, 5].map((d) => [p.voxelToIndex(min[d]!, d), p.voxelToIndex(max[d]! - 1, d)] as const);
}

/** How many chunks `planSubset` would list, without listing them. */
export function subsetChunkCount(layer: VolumeDataLayer, min: Index6, max: Index6): number {
  return chunkRanges(layer, min, max).reduce((n, [lo, hi]) => n * (hi - lo + 1), 1);
}

export function planSubset(layer: VolumeDataLayer, min: Index6, max: Index6): SubsetPlan {
  const p = layer.partition;
  const outSize = [0, 1, 2, 3, 4, 5].map((d) => p.requestLODSize(min[d]!, max[d]!, d)) as Index6;
  const copies = new Map<number, ChunkCopy>();
  const plan: SubsetPlan = { layer, min, max, outSize, chunks: [], copies };
  const ranges = chunkRanges(layer, min, max);
  const index = ranges.map(([lo]) => lo);
  for (;;) {
    const chunkIndex = p.indexArrayToChunkIndex(index);
    // At LOD > 0 the chunks of skipped slices (dimensions outside the chunk group) add nothing.
    const copy = chunkCopy(plan, chunkIndex);
    if (copy) {
      plan.chunks.push(chunkIndex);
      copies.set(chunkIndex, copy);
    }
    let d = 0;
    for (; d < 6; d++) {
      if (index[d]! < ranges[d]![1]) { index[d]!++; break; }
      index[d] = ranges[d]![0];
    }
    if (d === 6) break;
  }
  return plan;
}

/** The part of `chunkIndex` that belongs in the output, or undefined if it contributes nothing. */
function chunkCopy(plan: Pick<SubsetPlan, 'layer' | 'min' | 'max' | 'outSize'>, chunkIndex: number): ChunkCopy | undefined {
  const p = plan.layer.partition;
  const interior = p.chunkMinMax(chunkIndex, false);
  const withMargin = p.chunkMinMax(chunkIndex, true);
  const chunkSize = p.chunkVoxelSize(chunkIndex);
  const chunkStart = [0, 0, 0, 0, 0, 0] as Index6;
  const outStart = [0, 0, 0, 0, 0, 0] as Index6;
  const count = [0, 0, 0, 0, 0, 0] as Index6;
  for (let d = 0; d < 6; d++) {
    const step = 1 << p.requestLODShift(d);
    const lo = Math.max(interior.min[d]!, plan.min[d]!);
    const hi = Math.min(interior.max[d]!, plan.max[d]!);
    // Output elements j whose LOD0 position min + j·step lies in [lo, hi).
    const j0 = Math.ceil((lo - plan.min[d]!) / step);
    const j1 = Math.min(Math.ceil((hi - plan.min[d]!) / step), plan.outSize[d]!);
    if (j1 <= j0) return undefined;
    outStart[d] = j0;
    count[d] = j1 - j0;
    chunkStart[d] = Math.floor((plan.min[d]! + j0 * step - withMargin.min[d]!) / step);
  }
  return { chunkSize, chunkStart, outStart, count };
}

/** Bytes of the subset `[min, max)` of `layer` in `format`: components interleaved, 1Bit packed 8 voxels a byte. */
export function subsetByteSize(layer: VolumeDataLayer, min: Index6, max: Index6, format: VolumeDataFormat): number {
  const voxels = [0, 1, 2, 3, 4, 5].reduce((n, d) => n * layer.partition.requestLODSize(min[d]!, max[d]!, d), 1);
  return bufferByteSize(format, format === VolumeDataFormat.Format_1Bit ? voxels : voxels * layer.channelDescriptor.components);
}
