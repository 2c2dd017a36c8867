// A store wrapper that lets at most `limit` operations reach the store at once; the others wait
// in arrival order. A waiting caller whose signal aborts leaves the queue at once.
import { CanceledError, InvalidArgumentError } from '../../src/model/errors.js';
import type { ReadableStore, ReadOptions } from './store.js';
import { type StoreMembers, wrapStore } from './wrapStore.js';

export function withConcurrencyLimit<S extends ReadableStore>(store: S, limit: number): StoreMembers<S> {
  if (!Number.isInteger(limit) || limit < 1) throw new InvalidArgumentError(`The concurrency limit must be a positive integer, not ${limit}`);
  const slots = new Slots(limit);
  const limited = async <T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> => {
    await slots.acquire(signal);
    try {
      return await run();
    } finally {
      slots.release();
    }
  };

  async function* list(_prefix: string | undefined, options: ReadOptions | undefined,
    inner: (options: ReadOptions | undefined) => AsyncIterable<string>): AsyncGenerator<string> {
    // A slot per page request: a consumer that is slow between keys holds none.
    const keys = inner(options)[Symbol.asyncIterator]();
    try {
      for (;;) {
        const step = await limited(options?.signal, () => keys.next());
        if (step.done) return;
        yield step.value;
      }
    } finally {
      await keys.return?.();
    }
  }

  return wrapStore(store, { call: (_operation, _key, o, run) => limited(o?.signal, () => run(o)), list });
}

class Slots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(new CanceledError());
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(grant), 1);
        reject(new CanceledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  /** Hands the slot to the next waiter, who then counts as active in its place. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
