// How openStore wraps every remote store: retries of transient failures, then a cap on requests in
// flight. For stores registered by users too, so theirs behave as the built-in ones do.
import type { ReadableStore } from './store.js';
import { withConcurrencyLimit } from './withConcurrencyLimit.js';
import { withRetry, type RetryOptions } from './withRetry.js';
import type { StoreMembers } from './wrapStore.js';

/** Requests a remote store has in flight at most (below the S3 client's 50 pooled sockets). */
export const REMOTE_CONCURRENCY = 32;
export const REMOTE_RETRY: RetryOptions = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 5000, attemptTimeoutMs: 120_000 };

export function withRemoteDefaults<S extends ReadableStore>(store: S, retry: RetryOptions = REMOTE_RETRY): StoreMembers<S> {
  return withConcurrencyLimit(withRetry(store, retry), REMOTE_CONCURRENCY);
}
