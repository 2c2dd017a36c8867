// VolumeDataPage: one chunk's voxels (margins included) held by a page accessor.
import type { Index6 } from '../model/geometry/partition.js';
import type { VolumeDataTypedArray } from '../model/formats.js';
import type { ReadError } from '../model/errors.js';
import type { SignalOptions } from '../engine/datasetStore.js';
import type { VolumeDataPageAccessor } from './pageAccessor.js';
import { type Index6Out, minMaxResult } from './requestArguments.js';

export class VolumeDataPage {
  /** Set by `getWritableBuffer`: the page must be written back. */
  isDirty = false;
  /** Region written, in LOD0 voxels, for margin copies; empty until `updateWrittenRegion`. */
  writtenMin: Index6 | undefined;
  writtenMax: Index6 | undefined;

  constructor(
    private readonly owner: VolumeDataPageAccessor,
    readonly chunkIndex: number,
    readonly min: Index6,
    readonly max: Index6,
    readonly minExcludingMargin: Index6,
    readonly maxExcludingMargin: Index6,
    /** Elements per dimension of the buffer (decimated at LOD > 0). */
    readonly size: Index6,
    private buffer: VolumeDataTypedArray,
  ) {}

  getChunkIndex(): number { return this.chunkIndex; }

  getVolumeDataPageAccessor(): VolumeDataPageAccessor { return this.owner; }

  /**
   * Always undefined: a page exists only once its chunk was read, since a failed read rejects
   * `readPage` with the ReadError (code and message) that OpenVDS would keep here.
   */
  getError(): ReadError | undefined { return undefined; }

  /**
   * LOD0 voxel range of the buffer, margins included, `[min, max)`, 6 entries each as in the reference
   * (`[0, 1)` past the dimensionality): returned, or written into the caller's `min` and `max`.
   */
  getMinMax(): [number[], number[]];
  getMinMax(min: Index6Out, max: Index6Out): void;
  getMinMax(min?: Index6Out, max?: Index6Out): [number[], number[]] | void {
    return minMaxResult(this.min, this.max, min, max);
  }

  getMinMaxExcludingMargin(): [number[], number[]];
  getMinMaxExcludingMargin(minExcludingMargin: Index6Out, maxExcludingMargin: Index6Out): void;
  getMinMaxExcludingMargin(min?: Index6Out, max?: Index6Out): [number[], number[]] | void {
    return minMaxResult(this.minExcludingMargin, this.maxExcludingMargin, min, max);
  }

  /** Dense voxels over `getMinMax()`, dimension 0 fastest, components interleaved. */
  getBuffer(): VolumeDataTypedArray {
    return this.buffer;
  }

  /** The buffer, for writing; the page is written back on eviction or commit. */
  getWritableBuffer(): VolumeDataTypedArray {
    this.owner.assertWritable();
    this.isDirty = true;
    return this.buffer;
  }

  updateWrittenRegion(writtenMin: readonly number[], writtenMax: readonly number[]): void {
    this.owner.assertWritable();
    const lo = [0, 0, 0, 0, 0, 0] as Index6, hi = [1, 1, 1, 1, 1, 1] as Index6;
    for (let d = 0; d < 6; d++) {
      lo[d] = Math.min(writtenMin[d] ?? 0, this.writtenMin?.[d] ?? Infinity);
      hi[d] = Math.max(writtenMax[d] ?? 1, this.writtenMax?.[d] ?? -Infinity);
    }
    this.writtenMin = lo;
    this.writtenMax = hi;
    this.isDirty = true;
  }

  /**
   * Hands the page back to its accessor. The promise resolves when the accessor has room again:
   * awaiting it bounds the memory a fast writer can fill with pages waiting to be written.
   * Aborting `signal` stops that wait (CanceledError) and the writes of pages this call evicted.
   */
  release(options?: SignalOptions): Promise<void> {
    return this.owner.releasePage(this, options);
  }

  /** Takes the buffer away (for a transfer to a worker); the page is unusable afterwards. */
  detachBuffer(): VolumeDataTypedArray {
    const buffer = this.buffer;
    this.buffer = buffer.subarray(0, 0) as VolumeDataTypedArray;
    return buffer;
  }
}
