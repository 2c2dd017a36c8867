// Builds LOD 1…n while LOD 0 is written (format sheet 5.7): every written chunk is decimated into
// its parent; a parent is written (and decimated into its own parent) once all its children have
// arrived, so only the parents under construction are held in memory. The decimations themselves
// run wherever `decimate` sends them (the worker pool): the blocks move there and back, and the
// decimations into one parent run one after another. The bookkeeping (which children a parent
// has, when it is complete) stays here and happens at once, in the order chunks are added.
import { throwIfAborted } from '../async/abort.js';
import type { VolumeDataLayer } from '../model/geometry/layers.js';
import type { Decimation, DownsampleRegion } from './lodDownsample.js';

interface ParentUnderConstruction {
  /** The parent's block: moved away for each decimation, replaced by the one that comes back. */
  bytes: Uint8Array;
  children: Set<number>;
  expected: number;
  /** The decimations into it so far, one after another; never rejects. */
  work: Promise<void>;
  /** Set when a decimation into it failed: its block is gone (the failing chunk's write reports why). */
  lost?: boolean;
}

/** Stores a chunk of a layer above LOD 0 once its payload (a promise: it may still be decimating) is ready. */
export type WriteChunk = (layer: VolumeDataLayer, chunkIndex: number, payload: Promise<Uint8Array>) => void;

/** Runs one decimation; the blocks may be moved to run it, and come back in the reply. */
export type Decimate = (decimation: Decimation) => Promise<{ parent: Uint8Array; child: Uint8Array }>;

export class LODPyramid {
  private readonly pending = new Map<number, Map<number, ParentUnderConstruction>>();
  /** Per LOD, the chunks decimated into their parents so far in this session. */
  private readonly written = new Map<number, Set<number>>();
  /** Per parent chunk, the completion of the latest parent built for it: one built again later is written after it. */
  private readonly completions = new Map<string, Promise<void>>();
  /** Decimations and completions still running. */
  private readonly busy = new Set<Promise<void>>();

  /**
   * `layers[k]` is the layer of LOD k (LOD 0 first); `write` stores a finished parent chunk;
   * `unwritten` is the payload of a chunk nobody wrote, which a parent starts from; `decimate` runs
   * one decimation.
   */
  constructor(private readonly layers: readonly VolumeDataLayer[], private readonly write: WriteChunk,
    private readonly unwritten: (layer: VolumeDataLayer, chunkIndex: number) => Uint8Array,
    private readonly decimate: Decimate) {}

  /**
   * Decimates a LOD 0 chunk into the layers above. Resolves to its payload again (it may have been
   * moved away and back): hand the payload away only then.
   */
  addLOD0Chunk(chunkIndex: number, payload: Uint8Array): Promise<Uint8Array> {
    return this.contribute(this.layers[0]!, chunkIndex, payload);
  }

  /**
   * Writes every parent still under construction, lowest LOD first. A child missing from its parent
   * is read back with `readStored` if it was written earlier in this session (the parent was
   * finished before the child was written again) or, with `readEveryChild` (ReadWrite), in any case;
   * otherwise its part of the parent keeps the never-written fill (the no-value, or 0), as in OpenVDS.
   */
  async finish(readStored: (layer: VolumeDataLayer, chunkIndex: number, signal?: AbortSignal) => Promise<Uint8Array>,
    readEveryChild: boolean, signal?: AbortSignal): Promise<void> {
    for (let lod = 1; lod < this.layers.length; lod++) {
      // Every parent of the level below is complete and has been added here.
      await this.idle();
      throwIfAborted(signal);
      const level = this.pending.get(lod);
      if (!level) continue;
      const childLayer = this.layers[lod - 1]!;
      const written = this.written.get(lod - 1);
      for (const [chunkIndex, parent] of [...level]) {
        for (const child of childChunks(childLayer, this.layers[lod]!, chunkIndex)) {
          if (parent.children.has(child) || !(readEveryChild || written?.has(child))) continue;
          throwIfAborted(signal);
          await this.contribute(childLayer, child, await readStored(childLayer, child, signal));
        }
        if (level.get(chunkIndex) === parent) {
          level.delete(chunkIndex);
          this.completeWhenBuilt(this.layers[lod]!, chunkIndex, parent);
        }
      }
      this.pending.delete(lod);
    }
    await this.idle();
  }

  private contribute(child: VolumeDataLayer, childChunk: number, bytes: Uint8Array): Promise<Uint8Array> {
    const parentLayer = this.layers[child.lod + 1];
    if (!parentLayer) return Promise.resolve(bytes);
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
        work: this.completions.get(parentKey(parentLayer, parentChunk)) ?? Promise.resolve(),
      };
      level.set(parentChunk, parent);
    }
    const target = parent;
    const channel = child.channelDescriptor;
    const decimation = {
      region: lodRegion(child, childChunk, parentLayer, parentChunk),
      format: channel.format, components: channel.components, noValue: channel.noValue,
    };
    const decimated = target.work.then(async () => {
      // A lost parent takes no more children; each can still be written itself.
      if (target.lost) return bytes;
      try {
        const back = await this.decimate({
          ...decimation,
          parent: { bytes: target.bytes, size: parentLayer.blockShape(parentChunk).size },
          child: { bytes, size: child.blockShape(childChunk).size },
        });
        target.bytes = back.parent;
        return back.child;
      } catch (error) {
        target.lost = true;
        throw error;
      }
    });
    target.work = this.track(decimated.then(() => undefined, () => undefined));
    target.children.add(childChunk);
    let written = this.written.get(child.lod);
    if (!written) this.written.set(child.lod, written = new Set());
    written.add(childChunk);
    if (target.children.size === target.expected) {
      level.delete(parentChunk);
      this.completeWhenBuilt(parentLayer, parentChunk, target);
    }
    return decimated;
  }

  /** Once every decimation into `parent` is done: decimates it into its own parent, and writes it. */
  private completeWhenBuilt(layer: VolumeDataLayer, chunkIndex: number, parent: ParentUnderConstruction): void {
    const key = parentKey(layer, chunkIndex);
    const completion = this.track(parent.work.then(() => {
      if (!parent.lost) this.write(layer, chunkIndex, this.contribute(layer, chunkIndex, parent.bytes));
    }));
    this.completions.set(key, completion);
    void completion.then(() => { if (this.completions.get(key) === completion) this.completions.delete(key); });
  }

  private track(work: Promise<void>): Promise<void> {
    this.busy.add(work);
    const done = () => this.busy.delete(work);
    void work.then(done, done);
    return work;
  }

  /** Waits until no decimation or completion is running (including those started meanwhile). */
  private async idle(): Promise<void> {
    while (this.busy.size > 0) await Promise.allSettled([...this.busy]);
  }
}

function parentKey(layer: VolumeDataLayer, chunkIndex: number): string {
  return `${layer.lod}/${chunkIndex}`;
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
