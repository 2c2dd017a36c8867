// `inmemory://name`: a process-local store, shared by every handle opened with the same name.
import type { ByteRange, DeletableStore, ListableStore, ObjectInfo, ReadOptions, Store, WriteOptions } from './store.js';
import { throwIfAborted } from '../../src/async/abort.js';
import { assertSafeKey } from './keys.js';

interface MemoryObject {
  data: Uint8Array;
  metadata?: Record<string, string>;
}

const namedStores = new Map<string, Map<string, MemoryObject>>();

export class MemoryStore implements Store, ListableStore, DeletableStore {
  readonly description: string;
  private readonly objects: Map<string, MemoryObject>;

  /** Stores with the same name share their objects for the life of the process. */
  constructor(readonly name: string) {
    this.description = `inmemory://${name}`;
    let objects = namedStores.get(name);
    if (!objects) namedStores.set(name, objects = new Map());
    this.objects = objects;
  }

  /** Forgets every object of a named store. */
  static drop(name: string): void {
    namedStores.delete(name);
  }

  async get(key: string, options?: ReadOptions): Promise<Uint8Array | undefined> {
    throwIfAborted(options?.signal);
    // A copy: callers own what they get (and may move it to a worker).
    return this.objects.get(key)?.data.slice();
  }

  async getRange(key: string, range: ByteRange, options?: ReadOptions): Promise<Uint8Array | undefined> {
    throwIfAborted(options?.signal);
    const data = this.objects.get(key)?.data;
    if (!data) return undefined;
    const end = range.length === undefined ? data.length : Math.min(data.length, range.offset + range.length);
    return data.slice(Math.min(range.offset, data.length), end);
  }

  async head(key: string, options?: ReadOptions): Promise<ObjectInfo | undefined> {
    throwIfAborted(options?.signal);
    const object = this.objects.get(key);
    return object && { size: object.data.length, metadata: object.metadata };
  }

  async set(key: string, data: Uint8Array, options?: WriteOptions): Promise<void> {
    throwIfAborted(options?.signal);
    assertSafeKey(key);
    // Own the bytes: a caller reusing its buffer must not change what was stored.
    this.objects.set(key, { data: data.slice(), metadata: options?.metadata && { ...options.metadata } });
  }

  async delete(key: string, options?: ReadOptions): Promise<void> {
    throwIfAborted(options?.signal);
    this.objects.delete(key);
  }

  async *list(prefix = '', options?: ReadOptions): AsyncIterable<string> {
    for (const key of [...this.objects.keys()]) {
      throwIfAborted(options?.signal);
      if (key.startsWith(prefix)) yield key;
    }
  }
}
