// The registry of URL schemes openStore knows: each scheme has a factory that makes its store from
// the URL and the connection string. The built-in schemes register through the same call
// (builtinSchemes.ts), so a new store is its own file plus one `registerStoreScheme` line.
import { InvalidArgumentError } from '../../src/model/errors.js';
import { type ConnectionOptions, pickConnectionKeys } from './connectionString.js';
import type { ReadableStore } from './store.js';

/**
 * `create` opens a store for a new dataset (a new `.vds` file, say); `open` one that exists;
 * `update` one that may exist or not and is written to in place (a copy's destination, resumed).
 * openStore refuses a read-only store for `create` and `update`.
 */
export type StoreIntent = 'open' | 'create' | 'update';

/** What a factory is asked to open. */
export interface StoreRequest {
  /** The URL as given, credentials included: pass it through `redactUrl` before quoting it. */
  readonly url: string;
  /** The scheme, in lower case (`s3`). */
  readonly scheme: string;
  /** What follows `scheme://` (`bucket/prefix`). */
  readonly location: string;
  /** The connection string as given (keys in their own case, for SDKs that read it themselves). */
  readonly connectionString: string;
  /** The connection string's keys (in lower case) and values; the engine's keys are checked already. */
  readonly options: ConnectionOptions;
  readonly intent: StoreIntent;
  /**
   * The values of the keys this store takes, by field, each with its accepted spellings in lower
   * case: `keys('S3', { region: ['region'] })`. Any other key, besides the engine's, is refused
   * with a message naming `service`; a store that takes none calls `keys(service, {})`.
   */
  keys<F extends string>(service: string, fields: Record<F, readonly string[]>): Partial<Record<F, string>>;
}

/**
 * Makes the store for a URL, synchronously (an SDK is loaded with `createRequire` when the first
 * URL needs it); a remote store usually comes wrapped in `withRemoteDefaults`. Throws
 * InvalidArgumentError for a URL or key it cannot use.
 */
export type StoreFactory = (request: StoreRequest) => ReadableStore;

const factories = new Map<string, StoreFactory>();
const SCHEME = /^[a-z][a-z0-9+.-]*$/i;

/**
 * Makes `scheme://…` URLs open through `factory` (in open, create, IOManager, openStore and the
 * CLI alike). A later registration of the same scheme replaces the earlier one, built-ins included.
 */
export function registerStoreScheme(scheme: string, factory: StoreFactory): void {
  if (!SCHEME.test(scheme)) throw new InvalidArgumentError(`Invalid URL scheme "${scheme}": a letter, then letters, digits, +, - or .`);
  if (typeof factory !== 'function') throw new InvalidArgumentError(`The store factory of "${scheme}" must be a function`);
  factories.set(scheme.toLowerCase(), factory);
}

/** The factory registered for a (lower-case) scheme. */
export function storeFactory(scheme: string): StoreFactory | undefined {
  return factories.get(scheme);
}

export function storeRequest(url: string, scheme: string, connectionString: string, options: ConnectionOptions, intent: StoreIntent): StoreRequest {
  return {
    url, scheme, location: url.slice(scheme.length + 3), connectionString, options, intent,
    keys: (service, fields) => pickConnectionKeys(options, service, fields),
  };
}
