// A store wrapper for fault and cancellation tests: delays reads, counts reads in progress and
// every call (to show that work stopped), and can fail chosen keys.
import type { ByteRange, ObjectInfo, ReadOptions, Store, WriteOptions } from '../../sources/stores/store.js';
import type { FullStore } from './fullStore.js';
import { CanceledError } from '../../src/model/errors.js';
import { chunkPool } from '../../src/workers/pool.js';

export class InstrumentedStore implements Store {
  readonly description: string;
  activeReads = 0;
  reads = 0;
  /** Every get, getRange, head, set and delete started so far. */
  calls = 0;
  delayMs = 0;
  /** Delay of every `set`, cut short (CanceledError) by its signal. */
  writeDelayMs = 0;
  corrupt?: (key: string, bytes: Uint8Array) => Uint8Array | undefined;

  constructor(private readonly inner: FullStore) {
    this.description = `instrumented ${inner.description}`;
  }

  async get(key: string, options?: ReadOptions): Promise<Uint8Array | undefined> {
    this.activeReads++;
    this.reads++;
    this.calls++;
    try {
      await delay(this.delayMs, options?.signal);
      const bytes = await this.inner.get(key, options);
      return bytes && this.corrupt ? this.corrupt(key, bytes) : bytes;
    } finally {
      this.activeReads--;
    }
  }

  getRange(key: string, range: ByteRange, options?: ReadOptions): Promise<Uint8Array | undefined> {
    this.calls++;
    return this.inner.getRange!(key, range, options);
  }

  head(key: string, options?: ReadOptions): Promise<ObjectInfo | undefined> { this.calls++; return this.inner.head(key, options); }
  async set(key: string, data: Uint8Array, options?: WriteOptions): Promise<void> {
    this.calls++;
    await delay(this.writeDelayMs, options?.signal);
    return this.inner.set(key, data, options);
  }
  delete(key: string, options?: ReadOptions): Promise<void> { this.calls++; return this.inner.delete(key, options); }
  list(prefix?: string, options?: ReadOptions): AsyncIterable<string> { return this.inner.list(prefix, options); }
}

export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); reject(new CanceledError()); }, { once: true });
  });
}

/**
 * Waits (up to 10 s) until no worker job and no read of `store` is in flight, then 50 ms more, so a
 * spec can check that nothing was written after its requests were cancelled.
 */
export async function whenQuiet(store: InstrumentedStore): Promise<void> {
  const end = Date.now() + 10_000;
  while ((chunkJobsInFlight() > 0 || store.activeReads > 0) && Date.now() < end) await delay(10);
  await delay(50);
}

/** Jobs of the process-wide pool submitted and not settled (queued or running): 0 once cancelled work has drained. */
export function chunkJobsInFlight(): number {
  const { queued, running } = chunkPool().stats();
  return queued + running;
}
