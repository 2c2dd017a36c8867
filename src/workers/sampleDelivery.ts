// A decode job's other delivery: instead of copying the decoded chunk's share of a box, the worker
// interpolates the request's samples that fall in the chunk (format sheet 5.3–5.5) and writes them
// straight into the request's shared result, so interpolation runs on the pool and the main thread
// only schedules. Behind the same delivery gate as box copies: nothing is written after the
// request ends.
import { type ChunkSampling, sampleChunk } from '../engine/sampleRules.js';

export interface SampleDelivery {
  /** The request's results: f32 (samples, traces) or f64 (projected subsets), one per sample. */
  buffer: SharedArrayBuffer;
  byteOffset: number;
  length: number;
  double: boolean;
  /** Closed by the request when it ends: no sampling may start after that. */
  gate: Int32Array;
  /** The chunk's sampler block size (its first three chunked dimensions, margins included). */
  size: [number, number, number];
  sampling: ChunkSampling;
  /** The samples this chunk serves (SamplePlan.byChunk). */
  indices: Int32Array;
  /** SamplePlan.local, in shared memory. */
  local: Float32Array;
}

export function deliverSamples(bytes: Uint8Array, delivery: SampleDelivery): void {
  const { buffer, byteOffset, length } = delivery;
  const out = delivery.double ? new Float64Array(buffer, byteOffset, length) : new Float32Array(buffer, byteOffset, length);
  sampleChunk(bytes, delivery.size, delivery.sampling, delivery.indices, delivery.local, out);
}
