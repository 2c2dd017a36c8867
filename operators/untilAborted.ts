// Ends an Observable with CanceledError when any of its AbortSignals aborts. The error unsubscribes
// the source, which is how every request is canceled (its `signal` option, `cancel()`, its last
// subscriber leaving): pending fetches are aborted, queued decode jobs dropped, and, downstream,
// its destination closed (sinks/closesDestination), so nothing is written after the request ends.
// The listeners live exactly as long as the subscription, so one long-lived signal shared by many
// requests collects no listeners.
import { identity, type MonoTypeOperatorFunction, Observable } from 'rxjs';
import { CanceledError } from '../src/model/errors.js';

export function untilAborted<T>(...maybeSignals: (AbortSignal | undefined)[]): MonoTypeOperatorFunction<T> {
  const signals = maybeSignals.filter((signal) => signal !== undefined);
  if (signals.length === 0) return identity;
  return (source) => new Observable<T>((subscriber) => {
    // Already aborted: fail before the source starts any work.
    if (signals.some((signal) => signal.aborted)) return subscriber.error(new CanceledError());
    const onAbort = () => subscriber.error(new CanceledError());
    for (const signal of signals) signal.addEventListener('abort', onAbort, { once: true });
    const work = source.subscribe({
      next: (value) => subscriber.next(value),
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    return () => {
      for (const signal of signals) signal.removeEventListener('abort', onAbort);
      work.unsubscribe();
    };
  });
}
