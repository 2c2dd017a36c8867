// Bridges promise-returning work that takes an AbortSignal into an Observable: unsubscribing
// aborts the signal, so IO and queued worker jobs really stop.
import { Observable } from 'rxjs';

export function fromAbortable<T>(work: (signal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    work(controller.signal).then(
      (value) => { subscriber.next(value); subscriber.complete(); },
      (error: unknown) => { if (!controller.signal.aborted) subscriber.error(error); },
    );
    return () => controller.abort();
  });
}
