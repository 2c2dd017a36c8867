// One load shared by many callers, each with its own AbortSignal: a caller that aborts stops
// waiting at once, and the load itself is aborted when no caller is left waiting for it.
import { CanceledError } from '../model/errors.js';

export class SharedLoad<T> {
  private readonly controller = new AbortController();
  private readonly result: Promise<T>;
  private waiting = 0;
  private settled = false;

  /** `forget` runs when the load fails or is abandoned, so a cache can drop it. */
  constructor(load: (signal: AbortSignal) => Promise<T>, private readonly forget: () => void) {
    this.result = load(this.controller.signal);
    this.result.then(() => { this.settled = true; }, () => { this.settled = true; forget(); });
  }

  get isAbandoned(): boolean { return this.controller.signal.aborted; }

  /** The shared result; rejects with CanceledError as soon as `signal` aborts. */
  wait(signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(new CanceledError());
    this.waiting++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        reject(new CanceledError());
        if (--this.waiting === 0 && !this.settled) {
          this.controller.abort();
          this.forget();
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.result.then(resolve, reject).finally(() => {
        if (signal?.aborted) return;
        signal?.removeEventListener('abort', onAbort);
        this.waiting--;
      });
    });
  }
}
