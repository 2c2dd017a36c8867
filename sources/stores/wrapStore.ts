// The one way a store wrapper is built: it states what it changes about a call (retry it, queue
// it, bind a signal to it) and wrapStore forwards every member the inner store has, and no other.
// So a wrapped read-only store stays read-only, and a wrapper never re-implements the interface.
import {
  type ByteRange, type DeletableStore, isDeletable, isListable, isWritable, type ListableStore, type ReadableStore, type ReadOptions,
  type WritableStore, type WriteOptions,
} from './store.js';

/** The store operations that are one promise each. */
export type StoreOperation = 'get' | 'getRange' | 'head' | 'set' | 'delete';

/** The members of a store interface; a wrapper offers those of them that its inner store `S` offers. */
type StoreMember = keyof ReadableStore | keyof WritableStore | keyof ListableStore | keyof DeletableStore;

/** The store interface of `S` (a class's own extras, such as `S3Store.bucket`, left out). */
export type StoreMembers<S extends ReadableStore> = Pick<S, Extract<keyof S, StoreMember>>;

export interface StoreAround {
  /** The wrapped store's description (default: the inner store's). */
  description?: string;
  /**
   * Runs one operation; `run` performs it on the inner store with the options it is handed
   * (`{ ...options, signal }` to give it another signal). Default: `run(options)`.
   */
  call?<O extends { signal?: AbortSignal }, T>(operation: StoreOperation, key: string, options: O | undefined,
    run: (options: O | undefined) => Promise<T>): Promise<T>;
  /** Runs a listing; `list` starts the inner store's with the options it is handed. Default: `list(options)`. */
  list?(prefix: string | undefined, options: ReadOptions | undefined, list: (options: ReadOptions | undefined) => AsyncIterable<string>): AsyncIterable<string>;
}

export function wrapStore<S extends ReadableStore>(store: S, around: StoreAround): StoreMembers<S> {
  const call: NonNullable<StoreAround['call']> = around.call?.bind(around) ?? ((_operation, _key, options, run) => run(options));
  const wrapped: Partial<WritableStore & ListableStore & DeletableStore> & { description: string } = {
    description: around.description ?? store.description,
    get: (key: string, o?: ReadOptions) => call('get', key, o, (options) => store.get(key, options)),
  };
  if (store.getRange) wrapped.getRange = (key: string, range: ByteRange, o?: ReadOptions) => call('getRange', key, o, (options) => store.getRange!(key, range, options));
  if (store.localFile) wrapped.localFile = (key: string) => store.localFile!(key);
  if (store.head) wrapped.head = (key: string, o?: ReadOptions) => call('head', key, o, (options) => store.head!(key, options));
  if (isWritable(store)) wrapped.set = (key: string, data: Uint8Array, o?: WriteOptions) => call('set', key, o, (options) => store.set(key, data, options));
  if (isDeletable(store)) wrapped.delete = (key: string, o?: ReadOptions) => call('delete', key, o, (options) => store.delete(key, options));
  if (isListable(store)) {
    wrapped.list = (prefix?: string, o?: ReadOptions) =>
      (around.list ? around.list(prefix, o, (options) => store.list(prefix, options)) : store.list(prefix, o));
  }
  if (store.close) wrapped.close = () => store.close!();
  return wrapped as unknown as StoreMembers<S>;
}
