// An interpolating request's result: the one owner of "interpolate a decoded chunk's samples into
// the result" (format sheet 5.3–5.5). Workers sample each chunk as they decode it, straight into a
// shared result (SampleDelivery), so interpolation runs on the pool and the main thread only
// schedules; the chunks they did not deliver here are sampled on the main thread by the same code,
// so where a chunk is sampled never changes a bit.
import type { ChunkDestination, DecodedChunk, DeliveredChunk } from './chunkDestination.js';
import { undeliveredChunkError } from './chunkDestination.js';
import { closeGate, createDeliveryGate } from './deliveryGate.js';
import type { SamplePlan } from './samplePlan.js';
import { isSharedMemory } from '../model/sharedMemory.js';
import { type ChunkSampling, sampleChunk } from './sampleRules.js';

/** What a worker needs to sample one chunk into the result: plain data. */
export interface SampleDelivery {
  kind: 'samples';
  /** The request's results: f32 (samples, traces) or f64 (projected subsets), one per sample. */
  buffer: ArrayBufferLike;
  byteOffset: number;
  length: number;
  double: boolean;
  /** Closed by the request when it ends: no sampling may start after that. */
  gate: Int32Array;
  /** The chunk's sampler block size (its first three chunked dimensions, margins included). */
  size: [number, number, number];
  sampling: ChunkSampling;
  /** The samples this chunk serves (SamplePlan.byChunk). */
  indices: ArrayLike<number>;
  /** SamplePlan.local, in shared memory. */
  local: Float32Array;
}

/** Interpolates the samples a decoded chunk (margins included, in `sampling.decodeFormat`) serves into the result. */
export function sampleShare(bytes: Uint8Array, delivery: SampleDelivery): void {
  const { buffer, byteOffset, length } = delivery;
  const out = delivery.double ? new Float64Array(buffer, byteOffset, length) : new Float32Array(buffer, byteOffset, length);
  sampleChunk(bytes, delivery.size, delivery.sampling, delivery.indices, delivery.local, out);
}

const NO_SAMPLES = new Int32Array(0);

export class SampleDestination implements ChunkDestination<SampleDelivery> {
  readonly buffer: ArrayBufferLike;
  private readonly gate = createDeliveryGate();

  /**
   * `values`, one per sample: Float32Array for samples and traces (OpenVDS writes (float)value),
   * Float64Array where the sampler's double results must survive (projected subsets).
   */
  constructor(readonly plan: SamplePlan, readonly values: Float32Array | Float64Array, private readonly sampling: ChunkSampling) {
    this.buffer = values.buffer;
  }

  deliveryFor(chunkIndex: number): SampleDelivery | undefined {
    return isSharedMemory(this.buffer) ? this.share(chunkIndex, this.indices(chunkIndex)) : undefined;
  }

  receive(chunk: DecodedChunk | DeliveredChunk): void {
    if (chunk.deliveredTo === this.buffer) return;
    if (!chunk.bytes) throw undeliveredChunkError(chunk);
    sampleShare(chunk.bytes, this.share(chunk.chunkIndex, this.indices(chunk.chunkIndex)));
  }

  close(): Promise<void> | undefined {
    return closeGate(this.gate);
  }

  private indices(chunkIndex: number): Int32Array {
    return this.plan.byChunk.get(chunkIndex) ?? NO_SAMPLES;
  }

  private share(chunkIndex: number, indices: ArrayLike<number>): SampleDelivery {
    const { values } = this;
    return { kind: 'samples', buffer: values.buffer, byteOffset: values.byteOffset, length: values.length, double: values instanceof Float64Array,
      gate: this.gate, size: samplerSize(this.plan, chunkIndex), sampling: this.sampling, indices, local: this.plan.local };
  }
}

/** The sampler's block size of a chunk: its first three chunked dimensions, margins included (1 for absent ones). */
function samplerSize(plan: SamplePlan, chunkIndex: number): [number, number, number] {
  const p = plan.layer.partition;
  const size = p.chunkVoxelSize(chunkIndex);
  const blockSize: [number, number, number] = [1, 1, 1];
  p.chunkedDimensions.slice(0, 3).forEach((d, i) => { blockSize[i] = size[d]!; });
  return blockSize;
}
