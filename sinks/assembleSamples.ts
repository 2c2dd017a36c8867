// Sink operator: interpolates every sample planned for a decoded chunk into the result (format
// sheet 5.3–5.5), unless a worker already did (a SampleDelivery into this result). Chunks arrive
// in the channel's own format (SamplingRules.decodeFormat), margins included; `out` is
// Float32Array for samples and traces (OpenVDS writes (float)value) and Float64Array where the
// sampler's double results must survive (projected subsets).
import { defer, map, type OperatorFunction } from 'rxjs';
import { InvalidOperationError } from '../src/model/errors.js';
import type { SamplePlan } from '../src/engine/samplePlan.js';
import { type ChunkSampling, sampleChunk } from '../src/engine/sampleRules.js';
import type { ProgressEvent } from '../src/engine/requestEvents.js';
import type { SampleDelivery } from '../src/workers/sampleDelivery.js';
import type { DecodedChunk, DeliveredChunk } from '../operators/decodeChunks.js';

export function assembleSamples(plan: SamplePlan, out: Float32Array | Float64Array, sampling: ChunkSampling): OperatorFunction<DecodedChunk | DeliveredChunk, ProgressEvent> {
  return (decoded) => defer(() => {
    let done = 0;
    return decoded.pipe(map((chunk): ProgressEvent => {
      if (chunk.deliveredTo !== out.buffer) {
        // readChunks hands a chunk without its bytes only to the request it was delivered to.
        if (!chunk.bytes) throw new InvalidOperationError(`Chunk ${chunk.chunkIndex} arrived without its bytes and was not sampled here`);
        sampleChunk(chunk.bytes, samplerSize(plan, chunk.chunkIndex), sampling, plan.byChunk.get(chunk.chunkIndex) ?? [], plan.local, out);
      }
      done++;
      return { kind: 'progress', completionFactor: done / plan.byChunk.size, chunksDone: done, chunkCount: plan.byChunk.size };
    }));
  });
}

/**
 * Where workers sample each chunk straight into `out`: only when `out` is shared memory; `gate`
 * is the request's delivery gate.
 */
export function sampleDeliveries(plan: SamplePlan, out: Float32Array | Float64Array, sampling: ChunkSampling,
  gate: Int32Array): ((chunkIndex: number) => SampleDelivery) | undefined {
  const buffer = out.buffer;
  if (!(buffer instanceof SharedArrayBuffer)) return undefined;
  const { byteOffset, length } = out;
  const double = out instanceof Float64Array;
  return (chunkIndex) => ({
    buffer, byteOffset, length, double, gate, sampling, local: plan.local,
    size: samplerSize(plan, chunkIndex),
    indices: Int32Array.from(plan.byChunk.get(chunkIndex) ?? []),
  });
}

/** The sampler's block size of a chunk: its first three chunked dimensions, margins included (1 for absent ones). */
function samplerSize(plan: SamplePlan, chunkIndex: number): [number, number, number] {
  const p = plan.layer.partition;
  const size = p.chunkVoxelSize(chunkIndex);
  const blockSize: [number, number, number] = [1, 1, 1];
  p.chunkedDimensions.slice(0, 3).forEach((d, i) => { blockSize[i] = size[d]!; });
  return blockSize;
}
