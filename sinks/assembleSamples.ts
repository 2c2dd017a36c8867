// Sink operator: interpolates every sample planned for a decoded chunk into the Float32 result
// (format sheet 5.4). Chunks arrive as physical R32 values, margins included, no-values kept.
import { defer, map, type OperatorFunction } from 'rxjs';
import { InterpolationMethod } from '../src/enums.js';
import { createVolumeSampler } from '../src/engine/volumeSampler.js';
import type { SamplePlan } from '../src/engine/samplePlan.js';
import type { ProgressEvent } from '../src/request.js';
import type { DecodedChunk } from '../operators/decodeChunks.js';

export interface SampleTarget {
  method: InterpolationMethod;
  /** Value written where the result is no-value (only when the channel uses no-value). */
  replacementNoValue: number;
}

export function assembleSamples(plan: SamplePlan, out: Float32Array, target: SampleTarget): OperatorFunction<DecodedChunk, ProgressEvent> {
  const layer = plan.layer;
  const channel = layer.channelDescriptor;
  const p = layer.partition;
  const axes = p.chunkedDimensions.slice(0, 3);
  const method = channel.isDiscrete() ? InterpolationMethod.Nearest : target.method;
  return (decoded) => defer(() => {
    let done = 0;
    return decoded.pipe(map((chunk): ProgressEvent => {
      const size = p.chunkVoxelSize(chunk.chunkIndex);
      const blockSize: [number, number, number] = [1, 1, 1];
      axes.forEach((d, i) => { blockSize[i] = size[d]!; });
      const data = new Float32Array(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength / 4);
      const sample = createVolumeSampler({ data, size: blockSize }, {
        method,
        noValue: channel.useNoValue ? { noValue: channel.noValue, replacementNoValue: target.replacementNoValue } : undefined,
        valueRangeMin: channel.valueRangeMin, valueRangeMax: channel.valueRangeMax,
      });
      const origin = p.chunkMinMax(chunk.chunkIndex, true).min;
      // OpenVDS takes positions as f32 and scales them in f32; a 2D layer's third coordinate is fixed.
      const local = [0, 0, plan.unusedCoordinate];
      for (const i of plan.byChunk.get(chunk.chunkIndex) ?? []) {
        axes.forEach((d, k) => {
          local[k] = Math.fround(Math.fround(Math.fround(plan.positions[i * 6 + d]!) - origin[d]!) * Math.fround(1 / (1 << p.lodShift(d))));
        });
        out[i] = sample(local[0]!, local[1]!, local[2]!);
      }
      done++;
      return { kind: 'progress', completionFactor: done / plan.byChunk.size, chunksDone: done, chunkCount: plan.byChunk.size };
    }));
  });
}
