// A store wrapper bound to one AbortSignal: once it aborts, every operation (running or new)
// fails with CanceledError. Lets a caller stop work that takes no signal of its own (an import
// writing through a page accessor, say) at its next store operation.
import { throwIfAborted } from '../../src/async/abort.js';
import type { ReadableStore, ReadOptions } from './store.js';
import { type StoreMembers, wrapStore } from './wrapStore.js';

export function withSignal<S extends ReadableStore>(store: S, signal: AbortSignal): StoreMembers<S> {
  const bound = <O extends { signal?: AbortSignal }>(options: O | undefined): O => {
    throwIfAborted(signal);
    return { ...options, signal: options?.signal ? AbortSignal.any([options.signal, signal]) : signal } as O;
  };
  async function* list(_prefix: string | undefined, options: ReadOptions | undefined,
    inner: (options: ReadOptions | undefined) => AsyncIterable<string>): AsyncGenerator<string> {
    for await (const key of inner(bound(options))) {
      throwIfAborted(signal);
      yield key;
    }
  }
  return wrapStore(store, { call: async (_operation, _key, o, run) => run(bound(o)), list });
}
