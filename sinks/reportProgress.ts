// Sink operator: one progress event per chunk done, out of the request's `chunkCount` (OpenVDS's
// completion factor counts pages processed).
import { defer, map, type OperatorFunction } from 'rxjs';
import type { ProgressEvent } from '../src/engine/requestEvents.js';

export function reportProgress(chunkCount: number): OperatorFunction<unknown, ProgressEvent> {
  return (done) => defer(() => {
    let chunksDone = 0;
    return done.pipe(map((): ProgressEvent => {
      chunksDone++;
      return { kind: 'progress', completionFactor: chunksDone / chunkCount, chunksDone, chunkCount };
    }));
  });
}
