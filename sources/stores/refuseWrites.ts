// OpenVDS opens every dataset read-write and fails only when something is written; the engine keeps
// that contract over a Store. A read-only store (http://) handed to it becomes a Store whose writes
// are refused, naming the store; every other member is the store's own.
import { InvalidOperationError } from '../../src/model/errors.js';
import { isWritable, type ReadableStore, type Store } from './store.js';
import { wrapStore } from './wrapStore.js';

export function refuseWrites(store: ReadableStore): Store {
  if (isWritable(store)) return store;
  return {
    ...wrapStore(store, {}),
    set: async (key: string) => { throw new InvalidOperationError(`Cannot write ${key}: ${store.description} is read-only`); },
  };
}
