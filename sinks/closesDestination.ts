// Ends a request's pipeline with its destination closed: however the request ends (done, failed,
// canceled through its signal), the terminal notification waits until no worker can write into
// the destination any more, so whoever sees the request settle sees its buffer final. The wait
// never blocks the main thread, and is almost always empty (the closing found no copy under way),
// in which case the notification passes at once. Unsubscribing closes too, but nobody is left to
// wait: requests cancel through a signal (see VolumeDataRequest.cancel) to keep that guarantee.
import { type MonoTypeOperatorFunction, Observable } from 'rxjs';
import type { ChunkDestination } from '../src/engine/chunkDestination.js';

export function closesDestination<T>(destination: ChunkDestination<unknown>): MonoTypeOperatorFunction<T> {
  return (source) => new Observable<T>((subscriber) => {
    const settle = (end: () => void) => {
      const closing = destination.close();
      if (closing) void closing.then(end);
      else end();
    };
    const work = source.subscribe({
      next: (value) => subscriber.next(value),
      error: (error: unknown) => settle(() => subscriber.error(error)),
      complete: () => settle(() => subscriber.complete()),
    });
    return () => {
      work.unsubscribe();
      void destination.close();
    };
  });
}
