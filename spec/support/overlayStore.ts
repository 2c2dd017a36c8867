// A read-mostly view of another store with some objects replaced or removed: lets a spec open a
// corrupted variant of a dataset without copying the dataset.
import type { ByteRange, ObjectInfo, ReadOptions, Store, WriteOptions } from '../../src/index.js';
import type { FullStore } from './fullStore.js';

export class OverlayStore implements Store {
  readonly description: string;
  /** Replaced objects; `undefined` = removed. */
  private readonly changes = new Map<string, Uint8Array | undefined>();

  constructor(private readonly base: FullStore, label = 'overlay') {
    this.description = `${label} of ${base.description}`;
  }

  replace(key: string, data: Uint8Array | undefined): this {
    this.changes.set(key, data);
    return this;
  }

  async get(key: string, options?: ReadOptions): Promise<Uint8Array | undefined> {
    return this.changes.has(key) ? this.changes.get(key)?.slice() : this.base.get(key, options);
  }

  async getRange(key: string, range: ByteRange, options?: ReadOptions): Promise<Uint8Array | undefined> {
    if (!this.changes.has(key) && this.base.getRange) return this.base.getRange(key, range, options);
    const data = this.changes.has(key) ? this.changes.get(key) : await this.base.get(key, options);
    return data?.slice(range.offset, range.length === undefined ? undefined : range.offset + range.length);
  }

  async head(key: string, options?: ReadOptions): Promise<ObjectInfo | undefined> {
    if (!this.changes.has(key)) return this.base.head(key, options);
    const data = this.changes.get(key);
    return data && { size: data.length };
  }

  async set(key: string, data: Uint8Array, _options?: WriteOptions): Promise<void> {
    this.changes.set(key, data.slice());
  }

  async delete(key: string): Promise<void> {
    this.changes.set(key, undefined);
  }

  async *list(prefix = '', options?: ReadOptions): AsyncIterable<string> {
    for await (const key of this.base.list(prefix, options)) if (!this.changes.has(key)) yield key;
    for (const [key, data] of this.changes) if (data && key.startsWith(prefix)) yield key;
  }
}
