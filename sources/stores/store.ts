// The store interfaces, shaped as zarrita.js shapes them: every store reads (`get`, and `getRange`
// and `head` when it can); a writable one also stores (`set`); listing and deleting are
// capabilities of their own. Keys are the OpenVDS object keys (`VolumeDataLayout`, `LayerStatus`,
// `<layer>/<chunk>`, `<layer>/ChunkMetadata/<page>`). A store offers only what it can do, so
// asking a read-only store to write is a type error, not a rejection at run time.

import type { FileExtent } from '../../src/engine/datasetStore.js';

export interface ByteRange {
  offset: number;
  /** Number of bytes; reads to the end of the object when omitted. */
  length?: number;
}

export interface ReadOptions {
  signal?: AbortSignal;
  /**
   * Where `get` may put the object: called with its size, returns a buffer of that length which
   * the caller owns (reused buffers, no allocation per object). Stores that learn the size before
   * reading use it; others ignore it.
   */
  into?: (size: number) => Uint8Array;
}

export interface WriteOptions {
  signal?: AbortSignal;
  contentType?: string;
  /** User metadata stored with the object (e.g. `vdschunkmetadata`); backends without it ignore it. */
  metadata?: Record<string, string>;
}

export interface ObjectInfo {
  size: number;
  metadata?: Record<string, string>;
}

export interface ReadableStore {
  /** The object's bytes (the caller owns them), or `undefined` when it does not exist. */
  get(key: string, options?: ReadOptions): Promise<Uint8Array | undefined>;
  /** Part of an object (for prefix reads of wavelet chunks); `undefined` when it does not exist. */
  getRange?(key: string, range: ByteRange, options?: ReadOptions): Promise<Uint8Array | undefined>;
  /**
   * The local file that holds the object, when the store keeps objects as files (whether it
   * exists is not checked): a pool worker can then read it without the main thread, and without
   * `get`, so a store whose `get` changes the bytes must not offer it.
   */
  localFile?(key: string): FileExtent;
  /** Size and user metadata without the bytes, or `undefined` when it does not exist. */
  head?(key: string, options?: ReadOptions): Promise<ObjectInfo | undefined>;
  /** Releases connections and handles. */
  close?(): Promise<void>;
  /** A printable location, without credentials. */
  readonly description: string;
}

export interface WritableStore extends ReadableStore {
  /** Stores an object; once the promise resolves a reader sees all of it or nothing of it. */
  set(key: string, data: Uint8Array, options?: WriteOptions): Promise<void>;
}

export interface ListableStore {
  /** Keys under a prefix, in no particular order. */
  list(prefix?: string, options?: ReadOptions): AsyncIterable<string>;
}

export interface DeletableStore {
  /** Removes an object; removing one that does not exist succeeds. */
  delete(key: string, options?: ReadOptions): Promise<void>;
}

/**
 * What the engine writes datasets through: a readable, writable store (`head` when it has one).
 * An interface, not an alias, so that messages and declaration merging name it as before.
 */
export interface Store extends WritableStore {}

export function isWritable<S extends ReadableStore>(store: S): store is S & WritableStore {
  return typeof (store as Partial<WritableStore>).set === 'function';
}

export function isListable<S extends ReadableStore>(store: S): store is S & ListableStore {
  return typeof (store as Partial<ListableStore>).list === 'function';
}

export function isDeletable<S extends ReadableStore>(store: S): store is S & DeletableStore {
  return typeof (store as Partial<DeletableStore>).delete === 'function';
}

/**
 * An object's size and user metadata: `head` when the store has one, else the size of what `get`
 * returns (a whole read, and no user metadata).
 */
export async function objectInfo(store: ReadableStore, key: string, options?: ReadOptions): Promise<ObjectInfo | undefined> {
  if (store.head) return store.head(key, options);
  const bytes = await store.get(key, options);
  return bytes && { size: bytes.byteLength };
}
