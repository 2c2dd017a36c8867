// Ends an Observable with CanceledError when an AbortSignal aborts. The error unsubscribes the
// source, which is how every request is canceled (`cancel()` and unsubscribe do the same): pending
// fetches are aborted, queued decode jobs dropped, delivery gates closed, so nothing is written
// after the abort event returns. The listener lives exactly as long as the subscription, so one
// long-lived signal shared by many requests collects no listeners.
import { identity, type MonoTypeOperatorFunction, Observable } from 'rxjs';
import { CanceledError } from '../src/model/errors.js';

export function untilAborted<T>(signal: AbortSignal | undefined): MonoTypeOperatorFunction<T> {
  if (!signal) return identity;
  return (source) => new Observable<T>((subscriber) => {
    // Already aborted: fail before the source starts any work.
    if (signal.aborted) return subscriber.error(new CanceledError());
    const onAbort = () => subscriber.error(new CanceledError());
    signal.addEventListener('abort', onAbort, { once: true });
    const work = source.subscribe({
      next: (value) => subscriber.next(value),
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    return () => {
      signal.removeEventListener('abort', onAbort);
      work.unsubscribe();
    };
  });
}
