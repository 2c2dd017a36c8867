// Runs a per-item pipeline for up to `limit` items at a time. This is the backpressure point of
// every request: at most `limit` chunks are fetched, decoded or held at once.
import { mergeMap, of, type OperatorFunction } from 'rxjs';

export function inFlight<T, R>(limit: number, perItem: OperatorFunction<T, R>): OperatorFunction<T, R> {
  return mergeMap((item: T) => of(item).pipe(perItem), limit);
}

