// How one layer is cut into chunks (format sheet 2.2–2.4): chunk counts, indices and extents.
// All coordinates are LOD0 voxel indices over 6 dimensions (unused dimensions have 1 sample).
import { Dimensionality_Max } from '../enums.js';

export type Index6 = [number, number, number, number, number, number];

export interface PartitionSpec {
  lod: number;
  /** Samples per dimension of this layer (dimension 0 = mapped value count for PerTrace). */
  numSamples: Index6;
  /** Dimensions chunked by bricks; the others have one chunk per sample. */
  chunkedDimensions: readonly number[];
  /** Brick size per chunked dimension in LOD0 voxels, excluding margins (before clamping). */
  brickSize: Index6;
  /** Render margins, in LOD0 voxels, applied to every chunked dimension. */
  negativeMargin: number;
  positiveMargin: number;
  /** Chunked dimensions halved at each LOD. */
  decimatedDimensions: readonly number[];
  /** The layout's dimension that is never decimated (-1 or absent: none). */
  fullResolutionDimension?: number;
}

export interface ChunkExtent {
  min: Index6;
  max: Index6;
}

export class VolumeDataPartition {
  readonly lod: number;
  readonly numSamples: Index6;
  readonly brickSize: Index6;
  readonly chunksInDimension: Index6;
  readonly chunkCount: number;
  readonly chunkedDimensions: readonly number[];
  readonly negativeMargin: number;
  readonly positiveMargin: number;
  private readonly chunked: boolean[];
  private readonly decimated: boolean[];
  private readonly fullResolutionDimension: number;
  private readonly pitch: Index6;

  constructor(spec: PartitionSpec) {
    this.lod = spec.lod;
    this.numSamples = [...spec.numSamples] as Index6;
    this.negativeMargin = spec.negativeMargin;
    this.positiveMargin = spec.positiveMargin;
    this.chunkedDimensions = [...spec.chunkedDimensions];
    this.chunked = range6().map((d) => spec.chunkedDimensions.includes(d));
    this.decimated = range6().map((d) => spec.decimatedDimensions.includes(d));
    this.fullResolutionDimension = spec.fullResolutionDimension ?? -1;
    this.brickSize = range6().map((d) =>
      this.chunked[d] ? Math.min(spec.brickSize[d]!, this.numSamples[d]!) : 1) as Index6;
    this.chunksInDimension = range6().map((d) => {
      if (!this.chunked[d]) return Math.max(1, this.numSamples[d]!);
      const n = Math.trunc((this.numSamples[d]! - 1 - this.negativeMargin - this.positiveMargin) / this.brickSize[d]!) + 1;
      return Math.max(1, n);
    }) as Index6;
    let modulo = 1;
    this.pitch = range6().map((d) => {
      const p = modulo;
      modulo *= this.chunksInDimension[d]!;
      return p;
    }) as Index6;
    this.chunkCount = modulo;
  }

  isDimensionChunked(dimension: number): boolean { return this.chunked[dimension]!; }
  isDimensionLODDecimated(dimension: number): boolean { return this.decimated[dimension]!; }

  chunkIndexToIndexArray(chunkIndex: number): Index6 {
    return range6().map((d) => Math.floor(chunkIndex / this.pitch[d]!) % this.chunksInDimension[d]!) as Index6;
  }

  indexArrayToChunkIndex(indices: readonly number[]): number {
    let index = 0;
    for (let d = 0; d < Dimensionality_Max; d++) index += (indices[d] ?? 0) * this.pitch[d]!;
    return index;
  }

  /** Index along `dimension` of the chunk whose interior holds `voxel`. */
  voxelToIndex(voxel: number, dimension: number): number {
    if (!this.chunked[dimension]) return voxel;
    const i = Math.floor((voxel - this.negativeMargin) / this.brickSize[dimension]!);
    return Math.min(Math.max(i, 0), this.chunksInDimension[dimension]! - 1);
  }

  /** The chunk holding a LOD0 voxel position (interior, not margins). */
  chunkIndexOfVoxel(position: readonly number[]): number {
    let index = 0;
    for (let d = 0; d < Dimensionality_Max; d++) index += this.voxelToIndex(position[d] ?? 0, d) * this.pitch[d]!;
    return index;
  }

  /**
   * The chunk holding floor(position) clamped to the volume (interior, not margins), for each
   * position of 6 coordinates: chunkIndexOfVoxel over a million positions without an array each.
   */
  chunkIndicesOfPositions(positions: Float32Array | Float64Array): Float64Array {
    const count = positions.length / Dimensionality_Max;
    const chunks = new Float64Array(count);
    // Only dimensions with more than one voxel can contribute: the others always give chunk 0.
    const dims = range6().filter((d) => this.numSamples[d]! > 1);
    const top = dims.map((d) => this.numSamples[d]! - 1), pitch = dims.map((d) => this.pitch[d]!);
    const brick = dims.map((d) => (this.chunked[d] ? this.brickSize[d]! : 1)), margin = dims.map((d) => (this.chunked[d] ? this.negativeMargin : 0));
    const last = dims.map((d) => this.chunksInDimension[d]! - 1);
    for (let i = 0; i < count; i++) {
      let index = 0;
      for (let k = 0; k < dims.length; k++) {
        const voxel = Math.min(Math.max(Math.floor(positions[i * Dimensionality_Max + dims[k]!]!), 0), top[k]!);
        index += Math.min(Math.max(Math.floor((voxel - margin[k]!) / brick[k]!), 0), last[k]!) * pitch[k]!;
      }
      chunks[i] = index;
    }
    return chunks;
  }

  /** LOD0 extent of a chunk, with or without the margins it shares with its neighbours. */
  chunkMinMax(chunkIndex: number, includeMargin: boolean): ChunkExtent {
    const indices = this.chunkIndexToIndexArray(chunkIndex);
    const min = [0, 0, 0, 0, 0, 0] as Index6;
    const max = [1, 1, 1, 1, 1, 1] as Index6;
    for (let d = 0; d < Dimensionality_Max; d++) {
      const i = indices[d]!;
      if (!this.chunked[d]) {
        min[d] = i;
        max[d] = i + 1;
        continue;
      }
      const s = this.brickSize[d]!;
      let lo = i * s + this.negativeMargin;
      let hi = (i + 1) * s + this.negativeMargin;
      if (includeMargin || i === 0) lo -= this.negativeMargin;
      if (includeMargin || i === this.chunksInDimension[d]! - 1) hi += this.positiveMargin;
      min[d] = lo;
      max[d] = Math.min(hi, this.numSamples[d]!);
    }
    return { min, max };
  }

  /** Stored voxel count along each dimension of a chunk (margins included, decimated at LOD > 0). */
  chunkVoxelSize(chunkIndex: number): Index6 {
    const { min, max } = this.chunkMinMax(chunkIndex, true);
    return range6().map((d) => this.lodSize(min[d]!, max[d]!, d)) as Index6;
  }

  /** Number of LOD voxels covering the LOD0 range `[min, max)` along `dimension`. */
  lodSize(min: number, max: number, dimension: number): number {
    const shift = this.decimated[dimension] ? this.lod : 0;
    return ((max - min - 1) >> shift) + 1;
  }

  /** log2 of the LOD step along `dimension`: `lod` if decimated, else 0. */
  lodShift(dimension: number): number {
    return this.decimated[dimension] ? this.lod : 0;
  }

  /**
   * log2 of the step between the LOD0 voxels a request at this LOD returns along `dimension`.
   * Requests decimate every dimension but the full-resolution one (OpenVDS's
   * `VolumeDataLayout::IsDimensionLODDecimated`), also dimensions outside the chunk group, whose
   * chunks hold one LOD0 slice each: LOD 1 of `[40,30,20,5]` read through `Dimensions_012` has the
   * slices w = 0, 2, 4 (format sheet 5.2).
   */
  requestLODShift(dimension: number): number {
    return dimension === this.fullResolutionDimension ? 0 : this.lod;
  }

  /** Voxels a request over the LOD0 range `[min, max)` returns along `dimension` (`GetLODSize`). */
  requestLODSize(min: number, max: number, dimension: number): number {
    return ((max - min - 1) >> this.requestLODShift(dimension)) + 1;
  }
}

function range6(): number[] {
  return [0, 1, 2, 3, 4, 5];
}
