// Bridges promise-returning work that takes an AbortSignal into an Observable: unsubscribing
// aborts the signal, so IO and queued worker jobs really stop.
import { Observable } from 'rxjs';

export function fromAbortable<T>(work: (signal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    let settled = false;
    work(controller.signal).then(
      (value) => { settled = true; subscriber.next(value); subscriber.complete(); },
      (error: unknown) => { settled = true; if (!controller.signal.aborted) subscriber.error(error); },
    );
    // Aborting settled work would only cost an AbortError's stack trace.
    return () => { if (!settled) controller.abort(); };
  });
}
