// Sink operator: interpolates every sample planned for a decoded chunk into the result (format
// sheet 5.3–5.5). Chunks arrive in the channel's own format (SamplingRules.decodeFormat), margins
// included; `out` is Float32Array for samples and traces (OpenVDS writes (float)value) and
// Float64Array where the sampler's double results must survive (projected subsets).
import { defer, map, type OperatorFunction } from 'rxjs';
import { createVolumeSampler } from '../src/engine/volumeSampler.js';
import type { SamplePlan } from '../src/engine/samplePlan.js';
import { samplerBlock, type SamplingRules } from '../src/engine/sampleRules.js';
import type { ProgressEvent } from '../src/request.js';
import type { DecodedChunk } from '../operators/decodeChunks.js';

export function assembleSamples(plan: SamplePlan, out: Float32Array | Float64Array, rules: SamplingRules): OperatorFunction<DecodedChunk, ProgressEvent> {
  const layer = plan.layer;
  const channel = layer.channelDescriptor;
  const p = layer.partition;
  const axes = p.chunkedDimensions.slice(0, 3);
  const { local } = plan;
  return (decoded) => defer(() => {
    let done = 0;
    return decoded.pipe(map((chunk): ProgressEvent => {
      const size = p.chunkVoxelSize(chunk.chunkIndex);
      const blockSize: [number, number, number] = [1, 1, 1];
      axes.forEach((d, i) => { blockSize[i] = size[d]!; });
      const sample = createVolumeSampler(samplerBlock(chunk.bytes, blockSize, rules, channel), {
        method: rules.method,
        noValue: rules.noValue,
        valueRangeMin: channel.valueRangeMin, valueRangeMax: channel.valueRangeMax,
      });
      for (const i of plan.byChunk.get(chunk.chunkIndex) ?? []) out[i] = sample(local[i * 3]!, local[i * 3 + 1]!, local[i * 3 + 2]!);
      done++;
      return { kind: 'progress', completionFactor: done / plan.byChunk.size, chunksDone: done, chunkCount: plan.byChunk.size };
    }));
  });
}
