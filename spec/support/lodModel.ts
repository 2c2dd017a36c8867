// An independent model of what OpenVDS stores and returns at every LOD when LOD 0 is written
// through a page accessor with LOD generation, written from the format sheet alone (2.2–2.3 chunk
// geometry, 5.2 subset reads, 5.7 decimation) with plain loops: nothing here calls rxvds code,
// so the specs compare two separate derivations of the same rules.
//
// Rules modelled, for a volume whose LOD 0 chunks are each either written whole (margins too) with
// `value(position)` or never written:
// * a chunk never written, and a LOD chunk none of whose LOD 0 descendants was written, reads as the
//   fill: the no-value if the channel uses one, else 0;
// * a LOD L chunk starts as the fill; each existing child at LOD L − 1 writes into it the parent
//   grid points inside the child's interior, plus those in the parent's margins next to it;
// * a parent grid point takes the child's voxel at the same LOD0 position; if that equals the
//   marker (float formats: the channel's no-value even without `useNoValue`; integers: 0) the first
//   of +x, +y, +x+y, +z, +x+z, +y+z, +x+y+z (chunk dimensions, inside the child block) that differs
//   replaces it; 1Bit: the OR of those voxels;
// * a subset read at LOD L returns, along a chunk-group dimension, LOD voxel ⌊(min + j·2^L)/2^L⌋
//   (LOD0 position ×2^L) from the chunk whose interior holds it; along any other dimension the LOD0
//   slice min + j·2^L (every dimension is decimated in requests; no full-resolution dimension here).

export type Value = number | bigint;

export interface ModelVolume {
  /** Samples per dimension (2 to 6 entries). */
  size: readonly number[];
  /** Dimensions of the chunk group written (e.g. [0, 1, 2]). */
  group: readonly number[];
  /** Brick size without margins at LOD 0 (2D groups: already multiplied). */
  internalBrick: number;
  margin: number;
  lodLevels: number;
  /** What a never-written voxel reads as. */
  fill: Value;
  /** The value decimation skips (5.7). */
  marker: Value;
  /** 1Bit: decimation ORs the group of voxels. */
  bits: boolean;
  /** Whether the LOD 0 chunk with these indices (one per dimension) is written. */
  written(indices: readonly number[]): boolean;
  value(position: readonly number[]): Value;
}

export class LODModel {
  private readonly existing = new Map<string, boolean>();

  constructor(readonly volume: ModelVolume) {}

  private inGroup(d: number): boolean { return this.volume.group.includes(d); }

  /** Brick (LOD0 voxels) and chunk count along `d` at `lod`. */
  private grid(lod: number, d: number): { brick: number; count: number } {
    const n = this.volume.size[d]!;
    if (!this.inGroup(d)) return { brick: 1, count: n };
    const m = this.volume.margin;
    const brick = Math.min(this.volume.internalBrick * 2 ** lod, n);
    return { brick, count: Math.max(1, Math.floor((n - 1 - 2 * m) / brick) + 1) };
  }

  /** [min, max) along `d` of chunk `i` at `lod`, interior or with margins. */
  extent(lod: number, d: number, i: number, withMargin: boolean): [number, number] {
    const n = this.volume.size[d]!;
    if (!this.inGroup(d)) return [i, i + 1];
    const m = this.volume.margin;
    const { brick, count } = this.grid(lod, d);
    if (withMargin) return [i * brick, Math.min((i + 1) * brick + 2 * m, n)];
    return [i === 0 ? 0 : i * brick + m, i === count - 1 ? n : (i + 1) * brick + m];
  }

  /** Index along `d` of the chunk at `lod` whose interior holds LOD0 position `x`. */
  chunkOf(lod: number, d: number, x: number): number {
    if (!this.inGroup(d)) return x;
    const { brick, count } = this.grid(lod, d);
    return Math.min(Math.max(Math.floor((x - this.volume.margin) / brick), 0), count - 1);
  }

  /** A chunk exists at `lod` if it was written (LOD 0) or any of its children exists. */
  exists(lod: number, indices: readonly number[]): boolean {
    const key = `${lod}:${indices.join(',')}`;
    let known = this.existing.get(key);
    if (known === undefined) {
      known = lod === 0 ? this.volume.written(indices) : this.children(lod, indices).some((c) => this.exists(lod - 1, c));
      this.existing.set(key, known);
    }
    return known;
  }

  private children(lod: number, indices: readonly number[]): number[][] {
    let out: number[][] = [[]];
    indices.forEach((i, d) => {
      const options = this.inGroup(d) ? [2 * i, 2 * i + 1].filter((c) => c < this.grid(lod - 1, d).count) : [i];
      out = out.flatMap((prefix) => options.map((c) => [...prefix, c]));
    });
    return out;
  }

  /** What chunk `indices` at `lod` holds at LOD0 position `x` (on its grid, margins included). */
  content(lod: number, indices: readonly number[], x: readonly number[]): Value {
    if (!this.exists(lod, indices)) return this.volume.fill;
    if (lod === 0) return this.volume.value(x);
    // The child that writes this grid point: the one whose interior holds it, or the child next
    // to the parent's margin that holds it.
    const child = indices.map((i, d) => {
      if (!this.inGroup(d)) return i;
      const [lo, hi] = this.extent(lod, d, i, false);
      if (x[d]! < lo) return 2 * i;
      if (x[d]! >= hi) return Math.min(2 * i + 1, this.grid(lod - 1, d).count - 1);
      return this.chunkOf(lod - 1, d, x[d]!);
    });
    if (!this.exists(lod - 1, child)) return this.volume.fill;
    return this.decimated(lod - 1, child, x);
  }

  /** The value chunk `indices` of `lod` contributes at grid point `x` of its parent (5.7). */
  private decimated(lod: number, indices: readonly number[], x: readonly number[]): Value {
    const step = 2 ** lod;
    const dims = this.volume.group;
    // Neighbour order +x, +y, +x+y, +z, +x+z, +y+z, +x+y+z over the chunk dimensions.
    const offsets: number[][] = [];
    for (let k = 1; k < 2 ** dims.length; k++) offsets.push(dims.map((_, i) => (k >> i) & 1));
    const inBlock = (offset: readonly number[]) => dims.every((d, i) =>
      x[d]! + offset[i]! * step < this.extent(lod, d, indices[d]!, true)[1]);
    const at = (offset: readonly number[]) => {
      const y = [...x];
      dims.forEach((d, i) => { y[d] = x[d]! + offset[i]! * step; });
      return this.content(lod, indices, y);
    };
    let v = this.content(lod, indices, x);
    if (this.volume.bits) {
      for (const offset of offsets) if (inBlock(offset) && at(offset)) v = 1;
      return v;
    }
    for (const offset of offsets) {
      if (v !== this.volume.marker) break;
      if (inBlock(offset)) v = at(offset);
    }
    return v;
  }

  /** Elements of a subset read of `[min, max)` at `lod`, dimension 0 fastest (5.2). */
  subset(lod: number, min: readonly number[], max: readonly number[]): Value[] {
    const dims = this.volume.size.length;
    const step = 2 ** lod;
    const counts = min.map((lo, d) => Math.floor((max[d]! - lo - 1) / step) + 1);
    const out: Value[] = [];
    const j = new Array<number>(dims).fill(0);
    for (;;) {
      const x = j.map((k, d) => {
        const y = min[d]! + k * step;
        return this.inGroup(d) ? Math.floor(y / step) * step : y;
      });
      const indices = x.map((v, d) => this.chunkOf(lod, d, v));
      out.push(this.content(lod, indices, x));
      let d = 0;
      for (; d < dims; d++) {
        if (++j[d]! < counts[d]!) break;
        j[d] = 0;
      }
      if (d === dims) return out;
    }
  }
}
