// A store wrapper for fault and cancellation tests: delays reads, counts reads in progress,
// and can fail chosen keys.
import type { ByteRange, ObjectInfo, ReadOptions, Store, WriteOptions } from '../../sources/store.js';
import { CanceledError } from '../../src/errors.js';

export class InstrumentedStore implements Store {
  readonly description: string;
  activeReads = 0;
  reads = 0;
  delayMs = 0;
  corrupt?: (key: string, bytes: Uint8Array) => Uint8Array | undefined;

  constructor(private readonly inner: Store) {
    this.description = `instrumented ${inner.description}`;
  }

  async get(key: string, options?: ReadOptions): Promise<Uint8Array | undefined> {
    this.activeReads++;
    this.reads++;
    try {
      await delay(this.delayMs, options?.signal);
      const bytes = await this.inner.get(key, options);
      return bytes && this.corrupt ? this.corrupt(key, bytes) : bytes;
    } finally {
      this.activeReads--;
    }
  }

  getRange(key: string, range: ByteRange, options?: ReadOptions): Promise<Uint8Array | undefined> {
    return this.inner.getRange!(key, range, options);
  }

  head(key: string, options?: ReadOptions): Promise<ObjectInfo | undefined> { return this.inner.head(key, options); }
  set(key: string, data: Uint8Array, options?: WriteOptions): Promise<void> { return this.inner.set(key, data, options); }
  delete(key: string, options?: ReadOptions): Promise<void> { return this.inner.delete(key, options); }
  list(prefix?: string, options?: ReadOptions): AsyncIterable<string> { return this.inner.list(prefix, options); }
}

export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); reject(new CanceledError()); }, { once: true });
  });
}
