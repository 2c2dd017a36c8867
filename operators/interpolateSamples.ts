// Transform operator: the interpolate stage (format sheet 5.3–5.5). Each decoded chunk's samples
// land in the request's result, interpolated by the worker that decoded the chunk (a
// SampleDelivery) or here by the same code; out come the indices of the chunks whose samples are in.
// Chunks arrive in the channel's own format (SamplingRules.decodeFormat), margins included.
import { map, type OperatorFunction } from 'rxjs';
import type { DecodedChunk, DeliveredChunk } from '../src/engine/chunkDestination.js';
import type { SampleDestination } from '../src/engine/sampleDestination.js';

export function interpolateSamples(destination: SampleDestination): OperatorFunction<DecodedChunk | DeliveredChunk, number> {
  return map((chunk) => {
    destination.receive(chunk);
    return chunk.chunkIndex;
  });
}
