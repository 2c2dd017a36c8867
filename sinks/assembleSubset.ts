// Sink operator: each decoded chunk's share of a subset into the destination buffer (copied by the
// worker that decoded it, or here), then the request's progress. Chunks arrive already converted
// to the output format.
import { type OperatorFunction, pipe, tap } from 'rxjs';
import type { DecodedChunk, DeliveredChunk } from '../src/engine/chunkDestination.js';
import type { ProgressEvent } from '../src/engine/requestEvents.js';
import type { SubsetDestination } from '../src/engine/subsetDestination.js';
import { reportProgress } from './reportProgress.js';

export function assembleSubset(destination: SubsetDestination, chunkCount: number): OperatorFunction<DecodedChunk | DeliveredChunk, ProgressEvent> {
  return pipe(tap((chunk) => destination.receive(chunk)), reportProgress(chunkCount));
}
