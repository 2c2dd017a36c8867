// A store wrapper that retries transient failures (throttling, 409/5xx, connection resets,
// truncated bodies, attempt timeouts) with exponential backoff and full jitter. Every store
// operation is idempotent (whole-object puts, deletes of absent keys succeed), so each may be
// repeated; the caller's AbortSignal reaches every attempt and cuts backoff short.
import { CanceledError, StoreError, WriteError } from '../../src/model/errors.js';
import { throwIfAborted } from '../../src/async/abort.js';
import type { ReadableStore, ReadOptions } from './store.js';
import { isWriteVerb, type StoreVerb, TRUNCATED_BODY } from './storeErrors.js';
import { type StoreMembers, type StoreOperation, wrapStore } from './wrapStore.js';

export interface RetryOptions {
  /** Attempts per operation, the first one included (default 4). */
  maxAttempts?: number;
  /** Backoff before retry `n` is a random time below `min(maxDelayMs, baseDelayMs · 2^(n-1))` (default 100). */
  baseDelayMs?: number;
  /** The longest backoff, however many attempts failed (default 5000). */
  maxDelayMs?: number;
  /** An attempt (or, for `list`, the wait for one key) that takes longer is aborted and retried. */
  attemptTimeoutMs?: number;
  /** Which failures deserve another attempt (default `isTransientStoreError`). */
  isRetryable?: (error: unknown) => boolean;
  /** Told about every retry before its backoff, e.g. for logging. */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  operation: StoreOperation | 'list';
  key: string;
  /** The attempt that failed (1 = the first). */
  attempt: number;
  error: unknown;
  delayMs: number;
}

/** Throttling, 408/409/429/5xx answers: worth another attempt. */
const TRANSIENT_STATUS = new Set([408, 409, 429, 500, 502, 503, 504]);
/** Socket-level failures and service codes that mean "try again". */
const TRANSIENT_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH',
  'UND_ERR_SOCKET', 'TimeoutError', 'RequestTimeout', 'SlowDown', 'ServerBusy', 'OperationTimedOut', 'InternalError',
  TRUNCATED_BODY,
]);

export function isTransientStoreError(error: unknown): boolean {
  if (error instanceof CanceledError) return false;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'number' && TRANSIENT_STATUS.has(code)) return true;
  for (let e = error as { code?: unknown; name?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (TRANSIENT_CODES.has(String(e.code)) || TRANSIENT_CODES.has(String(e.name))) return true;
  }
  return false;
}

const VERB: Record<RetryEvent['operation'], StoreVerb> = { get: 'read', getRange: 'read', head: 'read', set: 'write', delete: 'delete', list: 'list' };

export function withRetry<S extends ReadableStore>(store: S, options: RetryOptions = {}): StoreMembers<S> {
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 4));
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  const isRetryable = options.isRetryable ?? isTransientStoreError;
  const timeoutMs = options.attemptTimeoutMs;

  const timedOut = (operation: RetryEvent['operation'], key: string) => new (isWriteVerb(VERB[operation]) ? WriteError : StoreError)(
    `Cannot ${VERB[operation]} ${key} in ${store.description}: no answer within ${timeoutMs} ms`, -1,
    { cause: Object.assign(new Error('attempt timed out'), { code: 'ETIMEDOUT' }) },
  );

  /** Waits before retry `attempt + 1`, or throws the error to give up with. */
  async function backoff(operation: RetryEvent['operation'], key: string, attempt: number, error: unknown, signal?: AbortSignal): Promise<void> {
    if (error instanceof CanceledError || signal?.aborted) throw signal?.aborted ? new CanceledError() : error;
    if (!isRetryable(error)) throw error;
    if (attempt >= maxAttempts) {
      if (!(error instanceof StoreError) || maxAttempts === 1) throw error;
      const GaveUp = error instanceof WriteError ? WriteError : StoreError;
      throw new GaveUp(`${error.message} (gave up after ${attempt} attempts)`, error.code, { cause: error });
    }
    const delayMs = Math.round(Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
    options.onRetry?.({ operation, key, attempt, error, delayMs });
    await sleep(delayMs, signal);
  }

  async function retry<T>(operation: RetryEvent['operation'], key: string, signal: AbortSignal | undefined,
    run: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal);
      try {
        return await withDeadline(run, signal, timeoutMs, () => timedOut(operation, key));
      } catch (error) {
        await backoff(operation, key, attempt, error, signal);
      }
    }
  }

  async function* list(prefix = '', listOptions: ReadOptions | undefined,
    inner: (options: ReadOptions | undefined) => AsyncIterable<string>): AsyncGenerator<string> {
    const signal = listOptions?.signal;
    // A listing restarted after a failure skips what was already handed out.
    const seen = new Set<string>();
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal);
      const listing = linkedController(signal);
      const keys = inner({ ...listOptions, signal: listing.signal })[Symbol.asyncIterator]();
      let failed = false;
      try {
        for (;;) {
          const step = await withDeadline(() => keys.next(), signal, timeoutMs, () => timedOut('list', prefix || 'objects'));
          if (step.done) return;
          if (seen.has(step.value)) continue;
          seen.add(step.value);
          yield step.value;
        }
      } catch (error) {
        failed = true;
        listing.abort();
        await backoff('list', prefix || 'objects', attempt, error, signal);
      } finally {
        listing.release();
        // Ends the inner listing when the caller stops early; after a failure it is abandoned.
        if (!failed) await keys.return?.();
      }
    }
  }

  return wrapStore(store, {
    call: (operation, key, o, run) => retry(operation, key, o?.signal, (signal) => run({ ...o, signal } as typeof o)),
    list,
  });
}

/**
 * Runs one attempt with its own signal; past `timeoutMs` the attempt's signal is aborted and the
 * attempt rejects with `timeout()` even if the store ignores signals.
 */
async function withDeadline<T>(run: (signal: AbortSignal | undefined) => Promise<T>, signal: AbortSignal | undefined,
  timeoutMs: number | undefined, timeout: () => Error): Promise<T> {
  if (timeoutMs === undefined) return run(signal);
  const attempt = linkedController(signal);
  let hasExpired = false;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => { hasExpired = true; attempt.abort(); reject(timeout()); }, timeoutMs);
  });
  try {
    return await Promise.race([run(attempt.signal), expired]);
  } catch (error) {
    // The store's own rejection for the aborted attempt (a CanceledError) means "timed out".
    if (hasExpired && !signal?.aborted) throw timeout();
    throw error;
  } finally {
    clearTimeout(timer);
    attempt.release();
  }
}

/**
 * An AbortController that also aborts with `parent`; `release()` unhooks it again. (Not
 * AbortSignal.any: a long-lived request signal would collect one follower per attempt.)
 */
function linkedController(parent: AbortSignal | undefined): { signal: AbortSignal; abort(): void; release(): void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (parent?.aborted) abort();
  else parent?.addEventListener('abort', abort, { once: true });
  return { signal: controller.signal, abort, release: () => parent?.removeEventListener('abort', abort) };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => { clearTimeout(timer); reject(new CanceledError()); };
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
