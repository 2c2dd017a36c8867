// Builds LOD 1…n while LOD 0 is written (format sheet 5.7): every written chunk is decimated into
// its parent; a parent is written (and decimated into its own parent) once all its children have
// arrived, so only the parents under construction are held in memory.
import type { VolumeDataLayer } from '../model/geometry/layers.js';
import { downsampleRegion, type DownsampleRegion } from './lodDownsample.js';

interface ParentUnderConstruction {
  bytes: Uint8Array;
  children: Set<number>;
  expected: number;
}

export type WriteChunk = (layer: VolumeDataLayer, chunkIndex: number, payload: Uint8Array) => void;

export class LODPyramid {
  private readonly pending = new Map<number, Map<number, ParentUnderConstruction>>();
  /** Per LOD, the chunks decimated into their parents so far in this session. */
  private readonly written = new Map<number, Set<number>>();

  /**
   * `layers[k]` is the layer of LOD k (LOD 0 first); `write` stores a finished parent chunk;
   * `unwritten` is the payload of a chunk nobody wrote, which a parent starts from.
   */
  constructor(private readonly layers: readonly VolumeDataLayer[], private readonly write: WriteChunk,
    private readonly unwritten: (layer: VolumeDataLayer, chunkIndex: number) => Uint8Array) {}

  /** Decimates a LOD 0 chunk into the layers above; call before the chunk's buffer is handed away. */
  addLOD0Chunk(chunkIndex: number, payload: Uint8Array): void {
    this.contribute(this.layers[0]!, chunkIndex, payload);
  }

  /**
   * Writes every parent still under construction, lowest LOD first. A child missing from its parent
   * is read back with `readStored` if it was written earlier in this session (the parent was
   * finished before the child was written again) or, with `readEveryChild` (ReadWrite), in any case;
   * otherwise its part of the parent keeps the never-written fill (the no-value, or 0), as in OpenVDS.
   */
  async finish(readStored: (layer: VolumeDataLayer, chunkIndex: number) => Promise<Uint8Array>, readEveryChild: boolean): Promise<void> {
    for (let lod = 1; lod < this.layers.length; lod++) {
      const level = this.pending.get(lod);
      if (!level) continue;
      const childLayer = this.layers[lod - 1]!;
      const written = this.written.get(lod - 1);
      for (const [chunkIndex, parent] of [...level]) {
        for (const child of childChunks(childLayer, this.layers[lod]!, chunkIndex)) {
          if (parent.children.has(child) || !(readEveryChild || written?.has(child))) continue;
          this.contribute(childLayer, child, await readStored(childLayer, child));
        }
        if (level.get(chunkIndex) === parent) {
          level.delete(chunkIndex);
          this.complete(this.layers[lod]!, chunkIndex, parent.bytes);
        }
      }
      this.pending.delete(lod);
    }
  }

  private contribute(child: VolumeDataLayer, childChunk: number, bytes: Uint8Array): void {
    const parentLayer = this.layers[child.lod + 1];
    if (!parentLayer) return;
    const parentChunk = parentIndex(child, parentLayer, childChunk);
    let level = this.pending.get(parentLayer.lod);
    if (!level) this.pending.set(parentLayer.lod, level = new Map());
    let parent = level.get(parentChunk);
    if (!parent) {
      // OpenVDS reads the parent page first; a parent never written reads as the no-value (or 0).
      parent = {
        bytes: this.unwritten(parentLayer, parentChunk),
        children: new Set(),
        expected: childCount(child, parentLayer, parentChunk),
      };
      level.set(parentChunk, parent);
    }
    const channel = child.channelDescriptor;
    downsampleRegion(
      { bytes: parent.bytes, size: parentLayer.blockShape(parentChunk).size },
      { bytes, size: child.blockShape(childChunk).size },
      lodRegion(child, childChunk, parentLayer, parentChunk),
      channel.format, channel.components, channel.noValue,
    );
    parent.children.add(childChunk);
    let written = this.written.get(child.lod);
    if (!written) this.written.set(child.lod, written = new Set());
    written.add(childChunk);
    if (parent.children.size === parent.expected) {
      level.delete(parentChunk);
      this.complete(parentLayer, parentChunk, parent.bytes);
    }
  }

  private complete(layer: VolumeDataLayer, chunkIndex: number, bytes: Uint8Array): void {
    this.contribute(layer, chunkIndex, bytes);
    this.write(layer, chunkIndex, bytes);
  }
}

function parentIndex(child: VolumeDataLayer, parent: VolumeDataLayer, childChunk: number): number {
  const index = child.partition.chunkIndexToIndexArray(childChunk);
  const p = child.partition;
  return parent.partition.indexArrayToChunkIndex(index.map((i, d) =>
    (p.isDimensionChunked(d) && p.isDimensionLODDecimated(d) ? i >> 1 : i)));
}

/** The chunks of `child` whose parent is `parentChunk`. */
function childChunks(child: VolumeDataLayer, parent: VolumeDataLayer, parentChunk: number): number[] {
  const index = parent.partition.chunkIndexToIndexArray(parentChunk);
  const p = child.partition;
  let chunks: number[][] = [[]];
  for (let d = 0; d < 6; d++) {
    const decimated = p.isDimensionChunked(d) && p.isDimensionLODDecimated(d);
    const options = decimated ? [2 * index[d]!, 2 * index[d]! + 1].filter((i) => i < p.chunksInDimension[d]!) : [index[d]!];
    chunks = chunks.flatMap((prefix) => options.map((i) => [...prefix, i]));
  }
  return chunks.map((indices) => p.indexArrayToChunkIndex(indices));
}

function childCount(child: VolumeDataLayer, parent: VolumeDataLayer, parentChunk: number): number {
  const index = parent.partition.chunkIndexToIndexArray(parentChunk);
  const p = child.partition;
  let count = 1;
  for (let d = 0; d < 6; d++) {
    if (!p.isDimensionChunked(d) || !p.isDimensionLODDecimated(d)) continue;
    count *= Math.min(2, p.chunksInDimension[d]! - 2 * index[d]!);
  }
  return count;
}

/** Where a child chunk lands in its parent: OpenVDS's WriteIntoLOD rule, per chunk dimension. */
function lodRegion(child: VolumeDataLayer, childChunk: number, parent: VolumeDataLayer, parentChunk: number): DownsampleRegion {
  const c = child.partition, p = parent.partition;
  const cAll = c.chunkMinMax(childChunk, true), cIn = c.chunkMinMax(childChunk, false);
  const pAll = p.chunkMinMax(parentChunk, true), pIn = p.chunkMinMax(parentChunk, false);
  const targetOffset: [number, number, number] = [0, 0, 0];
  const targetSize: [number, number, number] = [1, 1, 1];
  const sourceOffset: [number, number, number] = [0, 0, 0];
  let fullResolutionDimension = -1;
  c.chunkedDimensions.slice(0, 3).forEach((d, k) => {
    const sourceMin = cAll.min[d]! < pIn.min[d]! ? cAll.min[d]! : cIn.min[d]!;
    const sourceMax = cAll.max[d]! >= pIn.max[d]! ? cAll.max[d]! : cIn.max[d]!;
    const pMin = pAll.min[d]!, cMin = cAll.min[d]!;
    if (p.isDimensionLODDecimated(d)) {
      const mask = (1 << parent.lod) - 1;
      const from = pMin + (((sourceMin - pMin - 1) | mask) + 1);
      const to = pMin + (((sourceMax - pMin - 1) | mask) + 1);
      targetOffset[k] = (from - pMin) >> parent.lod;
      sourceOffset[k] = (from - cMin) >> child.lod;
      targetSize[k] = (to - from) >> parent.lod;
    } else {
      fullResolutionDimension = k;
      targetOffset[k] = sourceMin - pMin;
      sourceOffset[k] = sourceMin - cMin;
      targetSize[k] = sourceMax - sourceMin;
    }
  });
  return { targetOffset, targetSize, sourceOffset, fullResolutionDimension, dimensionality: Math.min(3, c.chunkedDimensions.length) };
}
