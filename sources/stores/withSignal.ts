// A store wrapper bound to one AbortSignal: once it aborts, every operation (running or new)
// fails with CanceledError. Lets a caller stop work that takes no signal of its own (an import
// writing through a page accessor, say) at its next store operation.
import { throwIfAborted } from '../../src/async/abort.js';
import type { ByteRange, ReadOptions, Store, WriteOptions } from './store.js';

export function withSignal(store: Store, signal: AbortSignal): Store {
  const bound = <O extends ReadOptions>(options: O | undefined): O => {
    throwIfAborted(signal);
    return { ...options, signal: options?.signal ? AbortSignal.any([options.signal, signal]) : signal } as O;
  };
  async function* list(prefix?: string, options?: ReadOptions): AsyncGenerator<string> {
    for await (const key of store.list(prefix, bound(options))) {
      throwIfAborted(signal);
      yield key;
    }
  }
  return {
    description: store.description,
    get: async (key, o?: ReadOptions) => store.get(key, bound(o)),
    ...(store.getRange && { getRange: async (key: string, range: ByteRange, o?: ReadOptions) => store.getRange!(key, range, bound(o)) }),
    head: async (key, o?: ReadOptions) => store.head(key, bound(o)),
    set: async (key, data, o?: WriteOptions) => store.set(key, data, bound(o)),
    delete: async (key, o?: ReadOptions) => store.delete(key, bound(o)),
    list,
    close: async () => { await store.close?.(); },
  };
}
