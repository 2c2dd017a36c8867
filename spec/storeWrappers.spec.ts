import { expect } from 'chai';
import {
  type ByteRange, isDeletable, isListable, isWritable, type ObjectInfo, type ReadableStore, type ReadOptions, type Store, type WriteOptions,
} from '../sources/stores/store.js';
import { withConcurrencyLimit } from '../sources/stores/withConcurrencyLimit.js';
import { isTransientStoreError, withRetry, type RetryEvent } from '../sources/stores/withRetry.js';
import { withSignal } from '../sources/stores/withSignal.js';
import { wrapStore } from '../sources/stores/wrapStore.js';
import { CanceledError, InvalidArgumentError, StoreError, WriteError } from '../src/model/errors.js';
import { rejection } from './support/rejection.js';
import { collect } from './support/storeConformance.js';

/** What a call to the scripted store does before it answers normally. */
type Step = Error | 'stall' | 'deaf';

/** A store whose calls follow a script: fail, stall until aborted, or hang ignoring the signal. */
class ScriptedStore implements Store {
  readonly description = 'scripted://spec';
  readonly objects = new Map<string, Uint8Array>([['k', new Uint8Array([1, 2, 3])]]);
  readonly calls: Array<{ operation: string; key: string; signal?: AbortSignal }> = [];
  script: Step[] = [];
  delayMs = 0;
  inFlight = 0;
  maxInFlight = 0;
  closed = false;
  /** `list` fails once after yielding this many keys. */
  listFailsAfter?: number;

  async get(key: string, options?: ReadOptions): Promise<Uint8Array | undefined> {
    await this.step('get', key, options?.signal);
    return this.objects.get(key)?.slice();
  }

  async head(key: string, options?: ReadOptions): Promise<ObjectInfo | undefined> {
    await this.step('head', key, options?.signal);
    const data = this.objects.get(key);
    return data && { size: data.length };
  }

  async set(key: string, data: Uint8Array, options?: WriteOptions): Promise<void> {
    await this.step('set', key, options?.signal);
    this.objects.set(key, data.slice());
  }

  async delete(key: string, options?: ReadOptions): Promise<void> {
    await this.step('delete', key, options?.signal);
    this.objects.delete(key);
  }

  async *list(prefix = '', options?: ReadOptions): AsyncIterable<string> {
    let yielded = 0;
    for (const key of [...this.objects.keys()].filter((k) => k.startsWith(prefix))) {
      await this.step('list', key, options?.signal);
      if (this.listFailsAfter === yielded) {
        this.listFailsAfter = undefined;
        throw new StoreError('Cannot list objects in scripted://spec: HTTP 503', 503);
      }
      yielded++;
      yield key;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private async step(operation: string, key: string, signal: AbortSignal | undefined): Promise<void> {
    this.calls.push({ operation, key, signal });
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    try {
      if (signal?.aborted) throw new CanceledError();
      const step = this.script.shift();
      if (step instanceof Error) throw step;
      if (step === 'deaf') await new Promise(() => undefined);
      if (step === 'stall' || this.delayMs > 0) await sleep(step === 'stall' ? 60_000 : this.delayMs, signal);
    } finally {
      this.inFlight--;
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); reject(new CanceledError()); }, { once: true });
  });
}

const status = (code: number, name = 'Failure') => new StoreError(`Cannot read k in scripted://spec: HTTP ${code} ${name}`, code);
const reset = () => new StoreError('Cannot read k in scripted://spec: ECONNRESET', -1, { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });

describe('withRetry', () => {
  it('retries transient failures with exponential, jittered backoff, then succeeds', async () => {
    const inner = new ScriptedStore();
    inner.script = [status(503, 'SlowDown'), status(500), reset()];
    const events: RetryEvent[] = [];
    const store = withRetry(inner, { maxAttempts: 5, baseDelayMs: 20, onRetry: (event) => events.push(event) });
    expect([...(await store.get('k'))!]).to.deep.equal([1, 2, 3]);
    expect(inner.calls.length).to.equal(4);
    expect(events.map((e) => [e.operation, e.key, e.attempt, (e.error as StoreError).code])).to.deep.equal([
      ['get', 'k', 1, 503], ['get', 'k', 2, 500], ['get', 'k', 3, -1],
    ]);
    events.forEach((event, i) => expect(event.delayMs).to.be.within(0, 20 * 2 ** i));
  });

  it('gives up after maxAttempts with the last status and the number of attempts', async () => {
    const inner = new ScriptedStore();
    inner.script = [status(503), status(502), status(503, 'SlowDown')];
    const error = await rejection(withRetry(inner, { maxAttempts: 3, baseDelayMs: 1 }).get('k'));
    expect(error).to.be.instanceOf(StoreError);
    expect((error as StoreError).code).to.equal(503);
    expect(error.message).to.equal('Cannot read k in scripted://spec: HTTP 503 SlowDown (gave up after 3 attempts)');
    expect(inner.calls.length).to.equal(3);
  });

  it('does not retry permanent failures or cancellation', async () => {
    for (const failure of [status(403), status(404), status(400), new Error('boom'), new InvalidArgumentError('Invalid object key "../x"'), new CanceledError()]) {
      const inner = new ScriptedStore();
      inner.script = [failure];
      expect(await rejection(withRetry(inner, { baseDelayMs: 1 }).get('k'))).to.equal(failure);
      expect(inner.calls.length, failure.message).to.equal(1);
    }
  });

  it('classifies failures: throttling, 409 and 5xx, resets, timeouts and short bodies are transient', () => {
    for (const code of [408, 409, 429, 500, 502, 503, 504]) expect(isTransientStoreError(status(code)), String(code)).to.equal(true);
    for (const code of [400, 401, 403, 404, 412, 416, -1]) expect(isTransientStoreError(status(code)), String(code)).to.equal(false);
    for (const code of ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ERR_TRUNCATED_BODY', 'SlowDown', 'ServerBusy']) {
      expect(isTransientStoreError(new StoreError('x', -1, { cause: Object.assign(new Error('y'), { code }) })), code).to.equal(true);
    }
    expect(isTransientStoreError(Object.assign(new Error('raw'), { code: 'ECONNRESET' }))).to.equal(true);
    expect(isTransientStoreError(new CanceledError())).to.equal(false);
    expect(isTransientStoreError(new Error('ENOENT'))).to.equal(false);
  });

  it('hands the caller signal to every attempt, and an abort cuts the backoff short', async () => {
    const inner = new ScriptedStore();
    inner.script = [status(503)];
    const controller = new AbortController();
    const pending = rejection(withRetry(inner, { baseDelayMs: 60_000, maxDelayMs: 60_000 }).get('k', { signal: controller.signal }));
    while (inner.calls.length === 0) await sleep(1);
    await sleep(5);
    const started = Date.now();
    controller.abort();
    expect(await pending).to.be.instanceOf(CanceledError);
    expect(Date.now() - started).to.be.below(50);
    expect(inner.calls[0]!.signal).to.equal(controller.signal);
  });

  it('aborts a stalled attempt after attemptTimeoutMs, also in a store that ignores its signal', async () => {
    const inner = new ScriptedStore();
    inner.script = ['deaf', 'stall'];
    const started = Date.now();
    const store = withRetry(inner, { attemptTimeoutMs: 40, baseDelayMs: 1 });
    expect([...(await store.get('k'))!]).to.deep.equal([1, 2, 3]);
    expect(Date.now() - started).to.be.within(75, 1000);
    expect(inner.calls.map((c) => c.signal!.aborted)).to.deep.equal([true, true, false]);
    inner.script = ['stall', 'stall'];
    const error = await rejection(withRetry(inner, { attemptTimeoutMs: 20, maxAttempts: 2, baseDelayMs: 1 }).set('k', new Uint8Array(1)));
    expect(error.message).to.equal('Cannot write k in scripted://spec: no answer within 20 ms (gave up after 2 attempts)');
    // A write that never got through is a WriteError (still a StoreError), a read a plain StoreError.
    expect(error).to.be.instanceOf(WriteError);
    inner.script = ['stall'];
    const readError = await rejection(withRetry(inner, { attemptTimeoutMs: 20, maxAttempts: 1 }).get('k'));
    expect(readError).to.be.instanceOf(StoreError).and.not.be.instanceOf(WriteError);
    expect(readError.message).to.equal('Cannot read k in scripted://spec: no answer within 20 ms');
  });

  it('gives up on a failing write with a WriteError that keeps the last status', async () => {
    const inner = new ScriptedStore();
    inner.script = [new WriteError('Cannot write k in scripted://spec: HTTP 503', 503), new WriteError('Cannot write k in scripted://spec: HTTP 500', 500)];
    const error = await rejection(withRetry(inner, { maxAttempts: 2, baseDelayMs: 1 }).set('k', new Uint8Array(1)));
    expect(error).to.be.instanceOf(WriteError).and.deep.include({ code: 500, message: 'Cannot write k in scripted://spec: HTTP 500 (gave up after 2 attempts)' });
  });

  it('retries writes and deletes, which are idempotent', async () => {
    const inner = new ScriptedStore();
    inner.script = [status(500), reset()];
    const store = withRetry(inner, { baseDelayMs: 1 });
    await store.set('LayerStatus', new Uint8Array([91, 93]));
    inner.script = [status(409)];
    await store.delete('k');
    expect([...inner.objects.keys()]).to.deep.equal(['LayerStatus']);
    expect(inner.calls.map((c) => c.operation)).to.deep.equal(['set', 'set', 'set', 'delete', 'delete']);
  });

  it('restarts a failed listing without handing out any key twice', async () => {
    const inner = new ScriptedStore();
    for (const key of ['a', 'b', 'c', 'd']) inner.objects.set(key, new Uint8Array(1));
    inner.listFailsAfter = 2;
    const keys: string[] = [];
    for await (const key of withRetry(inner, { baseDelayMs: 1 }).list()) keys.push(key);
    expect(keys).to.deep.equal(['k', 'a', 'b', 'c', 'd']);
  });

  it('keeps the description, passes close on, and offers getRange only when the store has it', async () => {
    const inner = new ScriptedStore();
    const store = withRetry(inner);
    expect(store.description).to.equal('scripted://spec');
    expect('getRange' in store).to.equal(false);
    await store.close();
    expect(inner.closed).to.equal(true);
  });
});

describe('withConcurrencyLimit', () => {
  it('lets at most n operations reach the store, the others in arrival order', async () => {
    const inner = new ScriptedStore();
    inner.delayMs = 10;
    const store = withConcurrencyLimit(inner, 3);
    const keys = Array.from({ length: 10 }, (_, i) => `Dimensions_012LOD0/${i}`);
    await Promise.all(keys.map((key) => store.head(key)));
    expect(inner.maxInFlight).to.equal(3);
    expect(inner.calls.map((c) => c.key)).to.deep.equal(keys);
  });

  it('a waiting caller whose signal aborts leaves the queue without reaching the store', async () => {
    const inner = new ScriptedStore();
    inner.delayMs = 30;
    const store = withConcurrencyLimit(inner, 1);
    const controller = new AbortController();
    const first = store.get('k');
    const waiting = rejection(store.get('waiting', { signal: controller.signal }));
    const third = store.get('k');
    controller.abort();
    expect(await waiting).to.be.instanceOf(CanceledError);
    await Promise.all([first, third]);
    expect(inner.calls.map((c) => c.key)).to.deep.equal(['k', 'k']);
    expect(await rejection(store.get('k', { signal: controller.signal }))).to.be.instanceOf(CanceledError);
  });

  it('holds a slot only while a listing fetches, not while its consumer works', async () => {
    const inner = new ScriptedStore();
    inner.objects.set('a', new Uint8Array([4]));
    const store = withConcurrencyLimit(inner, 1);
    const read: number[] = [];
    for await (const key of store.list()) read.push((await store.get(key))![0]!);
    expect(read).to.deep.equal([1, 4]);
    expect(await collect(store.list())).to.deep.equal(['a', 'k']);
  });

  it('refuses a limit that is not a positive integer', () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      expect(() => withConcurrencyLimit(new ScriptedStore(), limit)).to.throw(InvalidArgumentError, /positive integer/);
    }
  });
});

/** A read-only store with ranged reads and nothing else: no head, set, delete, list or close. */
class ReadOnlyStore implements ReadableStore {
  readonly description = 'readonly://spec';
  readonly calls: string[] = [];
  async get(key: string, options?: ReadOptions): Promise<Uint8Array | undefined> {
    if (options?.signal?.aborted) throw new CanceledError();
    this.calls.push(`get ${key}`);
    return key === 'k' ? new Uint8Array([1, 2, 3]) : undefined;
  }
  async getRange(key: string, range: ByteRange): Promise<Uint8Array | undefined> {
    this.calls.push(`getRange ${key}`);
    return (await this.get(key))?.slice(range.offset, range.length === undefined ? undefined : range.offset + range.length);
  }
}

const MEMBERS = ['get', 'getRange', 'head', 'set', 'delete', 'list', 'close'] as const;
const membersOf = (store: object) => MEMBERS.filter((member) => typeof (store as Record<string, unknown>)[member] === 'function');

describe('wrapStore and the wrappers built on it', () => {
  const wrappers = {
    wrapStore: <S extends ReadableStore>(store: S) => wrapStore(store, {}),
    withRetry: <S extends ReadableStore>(store: S) => withRetry(store, { baseDelayMs: 1 }),
    withConcurrencyLimit: <S extends ReadableStore>(store: S) => withConcurrencyLimit(store, 2),
    withSignal: <S extends ReadableStore>(store: S) => withSignal(store, new AbortController().signal),
  };

  for (const [name, wrap] of Object.entries(wrappers)) {
    it(`${name} offers exactly the members of the store it wraps`, async () => {
      const readOnly = wrap(new ReadOnlyStore());
      expect(membersOf(readOnly)).to.deep.equal(['get', 'getRange']);
      expect([isWritable(readOnly), isListable(readOnly), isDeletable(readOnly)]).to.deep.equal([false, false, false]);
      expect(readOnly.description).to.equal('readonly://spec');
      expect([...(await readOnly.getRange('k', { offset: 1 }))!]).to.deep.equal([2, 3]);
      const full = wrap(new ScriptedStore());
      expect(membersOf(full)).to.deep.equal(['get', 'head', 'set', 'delete', 'list', 'close']);
      await full.set('a', new Uint8Array([7]));
      await full.delete('k');
      expect(await collect(full.list())).to.deep.equal(['a']);
      expect((await full.head('a'))!.size).to.equal(1);
    });
  }

  it('types a wrapped store by what its inner store offers', () => {
    const readOnly = withConcurrencyLimit(withRetry(new ReadOnlyStore()), 1);
    // @ts-expect-error a wrapped read-only store has no set
    expect(readOnly.set).to.equal(undefined);
    // @ts-expect-error nor list
    expect(readOnly.list).to.equal(undefined);
    const writable: Store = withSignal(withRetry(new ScriptedStore()), new AbortController().signal);
    expect(typeof writable.set).to.equal('function');
  });

  it('hands every operation to `call` with its key and options, and the options `call` passes on to the store', async () => {
    const inner = new ScriptedStore();
    const seen: string[] = [];
    const replaced = new AbortController().signal;
    const store = wrapStore(inner, {
      description: 'traced scripted://spec',
      call: (operation, key, options, run) => { seen.push(`${operation} ${key}`); return run({ ...options, signal: replaced } as typeof options); },
    });
    expect(store.description).to.equal('traced scripted://spec');
    await store.get('k');
    await store.head('k');
    await store.set('b', new Uint8Array(1), { contentType: 'application/json' });
    await store.delete('b');
    expect(await collect(store.list())).to.deep.equal(['k']);
    expect(seen).to.deep.equal(['get k', 'head k', 'set b', 'delete b']);
    expect(inner.calls.filter((c) => c.operation !== 'list').map((c) => c.signal === replaced)).to.deep.equal([true, true, true, true]);
  });

  it('withSignal: once its signal aborts, calls and listings fail with CanceledError', async () => {
    const inner = new ScriptedStore();
    inner.objects.set('a', new Uint8Array(1));
    const controller = new AbortController();
    const store = withSignal(inner, controller.signal);
    const keys: string[] = [];
    const listing = (async () => { for await (const key of store.list()) { keys.push(key); controller.abort(); } })();
    expect(await rejection(listing)).to.be.instanceOf(CanceledError);
    expect(keys).to.deep.equal(['k']);
    expect(await rejection(store.get('k'))).to.be.instanceOf(CanceledError);
    expect(inner.calls.filter((c) => c.operation === 'get')).to.deep.equal([]);
  });
});
