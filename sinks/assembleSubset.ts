// Sink operator: copies each decoded chunk's share of a subset into the destination buffer and
// reports progress. Runs on the main thread; chunks arrive already converted to the output format.
import { defer, map, type OperatorFunction } from 'rxjs';
import { VolumeDataFormat } from '../src/model/enums.js';
import { InvalidOperationError } from '../src/model/errors.js';
import { copyBitBox, copyBox } from '../src/engine/boxCopy.js';
import { chunkCopy, type SubsetPlan } from '../src/engine/subsetPlan.js';
import { formatByteSize } from '../src/model/formats.js';
import type { ProgressEvent } from '../src/engine/requestEvents.js';
import type { DecodedChunk, DeliveredChunk } from '../operators/decodeChunks.js';

export function assembleSubset(plan: SubsetPlan, out: Uint8Array, format: VolumeDataFormat): OperatorFunction<DecodedChunk | DeliveredChunk, ProgressEvent> {
  const components = plan.layer.channelDescriptor.components;
  return (decoded) => defer(() => {
    let chunksDone = 0;
    return decoded.pipe(map((chunk): ProgressEvent => {
      const copy = chunkCopy(plan, chunk.chunkIndex);
      if (copy && chunk.deliveredTo !== out.buffer) {
        // readChunks hands a chunk without its bytes only to the request it was delivered to.
        if (!chunk.bytes) throw new InvalidOperationError(`Chunk ${chunk.chunkIndex} arrived without its bytes and was not delivered here`);
        if (format === VolumeDataFormat.Format_1Bit) {
          copyBitBox({ bytes: chunk.bytes, size: copy.chunkSize, rowBits: Math.ceil(copy.chunkSize[0] / 8) * 8 }, copy.chunkStart,
            { bytes: out, size: plan.outSize, rowBits: plan.outSize[0] }, copy.outStart, copy.count);
        } else {
          copyBox({ bytes: chunk.bytes, size: copy.chunkSize }, copy.chunkStart, { bytes: out, size: plan.outSize },
            copy.outStart, copy.count, formatByteSize(format) * components);
        }
      }
      chunksDone++;
      return { kind: 'progress', completionFactor: chunksDone / plan.chunks.length, chunksDone, chunkCount: plan.chunks.length };
    }));
  });
}
