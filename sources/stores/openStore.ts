// Maps an OpenVDS URL (plus connection string), or OpenOptions, to a store. URL schemes are looked
// up in the registry (storeSchemes.ts, filled by builtinSchemes.ts and by users); OpenOptions are
// OpenVDS's closed set of classes. Remote stores come wrapped in withRetry and withConcurrencyLimit.
import { ENGINE_KEYS, parseConnectionString, pickConnectionKeys, type ConnectionOptions } from './connectionString.js';
import { LogLevel } from '../../src/model/enums.js';
import { InvalidArgumentError, InvalidOperationError } from '../../src/model/errors.js';
import {
  AWSOpenOptions, AzureOpenOptions, AzurePresignedOpenOptions, DMSOpenOptions, GoogleOpenOptions, HttpOpenOptions, InMemoryOpenOptions,
  type OpenOptions, VDSFileOpenOptions,
} from './openOptions.js';
import {
  absolutePath, azureBearerStore, azureConnectionStringStore, azurePresignedStore, googleStore, localPathUrl, s3FromFields,
} from './builtinSchemes.js';
import { disableInitApiUnsupported, dmsUnsupported, splitLocation, vdsFileIsNoStore } from './schemeArguments.js';
import { HttpStore } from './httpStore.js';
import { MemoryStore } from './memoryStore.js';
import { redactUrl } from './redact.js';
import { REMOTE_RETRY, withRemoteDefaults } from './remoteDefaults.js';
import { isWritable, type ReadableStore, type Store } from './store.js';
import { storeFactory, storeRequest, type StoreIntent } from './storeSchemes.js';

export type { StoreIntent };

export interface OpenedStore<S extends ReadableStore = ReadableStore> {
  store: S;
  /** Connection-string keys (lowercased) for the engine, e.g. `waveletadaptivetolerance`. */
  options: ReadonlyMap<string, string>;
}

/**
 * OpenVDS's LogLevel and RequestThreadCount, which rxvds can only honour at their defaults: it
 * writes no log (errors are thrown) and decodes on one process-wide worker pool. Anything else is
 * refused rather than silently ignored.
 */
export function checkEngineSettings(logLevel: LogLevel, requestThreadCount: number): void {
  if (logLevel !== LogLevel.None) {
    throw new InvalidArgumentError(`LogLevel ${LogLevel[logLevel] ?? logLevel} is not supported: rxvds writes no log (it throws its errors); use LogLevel None`);
  }
  if (requestThreadCount !== -1) {
    throw new InvalidArgumentError(`RequestThreadCount ${requestThreadCount} is not supported: rxvds decodes on one process-wide worker pool, ` +
      'sized by the RXVDS_WORKERS environment variable; use -1');
  }
}

/** Checks the engine's keys of a connection string (values as OpenVDS parses them), and refuses any other key. */
export function checkEngineKeys(options: ConnectionOptions, service: string): void {
  checkEngineKeyValues(options);
  pickConnectionKeys(options, service, {});
}

/**
 * The engine's part of a connection string (LogLevel, WaveletAdaptiveTolerance, …), for opening a
 * Store that was already made from the rest: its service keys would be refused there.
 */
export function engineConnectionString(connectionString: string): string {
  return [...parseConnectionString(connectionString)].filter(([key]) => ENGINE_KEYS.has(key)).map(([key, value]) => `${key}=${value}`).join(';');
}

function checkEngineKeyValues(options: ConnectionOptions): void {
  const logLevelText = options.get('loglevel') ?? options.get('log_level');
  let logLevel = LogLevel.None;
  if (logLevelText !== undefined) {
    const name = Object.keys(LogLevel).find((n) => n.toLowerCase() === logLevelText.toLowerCase() && Number.isNaN(Number(n)));
    if (name === undefined) throw new InvalidArgumentError(`Not recognized LogLevel "${logLevelText}": use None, Error, Warning, Info or Trace`);
    logLevel = LogLevel[name as keyof typeof LogLevel];
  }
  const threadsText = options.get('requestthreadcount') ?? options.get('request_thread_count');
  const threads = threadsText === undefined ? -1 : Number(threadsText);
  if (!Number.isInteger(threads)) throw new InvalidArgumentError(`RequestThreadCount must be an integer, got "${threadsText}"`);
  checkEngineSettings(logLevel, threads);
}

/**
 * The store for a URL (or a path) and an OpenVDS connection string, by the URL's scheme. For
 * `create` and `update` the store is writable, or openStore throws InvalidOperationError.
 */
export function openStore(url: string, connectionString?: string, intent?: 'open'): OpenedStore;
export function openStore(url: string, connectionString: string, intent: 'create' | 'update'): OpenedStore<Store>;
export function openStore(url: string, connectionString?: string, intent?: StoreIntent): OpenedStore;
export function openStore(url: string, connectionString = '', intent: StoreIntent = 'open'): OpenedStore {
  if (typeof url !== 'string' || url.trim() === '') throw new InvalidArgumentError('The dataset URL is empty');
  const options = parseConnectionString(connectionString);
  checkEngineKeyValues(options);
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  // A path is a file:// URL without the scheme.
  const request = scheme === undefined
    ? storeRequest(localPathUrl(url), 'file', connectionString, options, intent)
    : storeRequest(url, scheme, connectionString, options, intent);
  const factory = storeFactory(request.scheme);
  if (!factory) throw new InvalidArgumentError(`Unknown URL scheme "${scheme}" in ${redactUrl(url)}`);
  return { store: checkIntent(factory(request), intent), options };
}

/** A read-only store cannot take a new dataset, or an update of one. */
function checkIntent(store: ReadableStore, intent: StoreIntent): ReadableStore {
  if (intent === 'open' || isWritable(store)) return store;
  void store.close?.().catch(() => undefined);
  throw new InvalidOperationError(`Cannot ${intent} a dataset in ${store.description}: the store is read-only`);
}

/** A store for an OpenOptions object, and a URL-like name for messages (without secrets). */
export function openStoreFromOptions(options: OpenOptions, intent: StoreIntent = 'open'): { store: ReadableStore; url: string } {
  const { store, url } = storeFromOptions(options, intent);
  return { store: checkIntent(store, intent), url };
}

function storeFromOptions(options: OpenOptions, _intent: StoreIntent): { store: ReadableStore; url: string } {
  checkEngineSettings(options.logLevel, options.requestThreadCount);
  if (options instanceof AWSOpenOptions) {
    if (options.disableInitApi) throw disableInitApiUnsupported();
    const { name: bucket } = splitLocation(options.bucket, 'S3', 'bucket');
    const store = s3FromFields(bucket, options.key, {
      region: options.region || undefined,
      endpoint: options.endpointOverride || undefined,
      accessKeyId: options.accessKeyId || undefined,
      secretKey: options.secretKey || undefined,
      sessionToken: options.sessionToken || undefined,
      expiration: options.expiration || undefined,
      connectionTimeoutMs: positiveMs(options.connectionTimeoutMs, 'connectionTimeoutMs'),
      requestTimeoutMs: positiveMs(options.requestTimeoutMs, 'requestTimeoutMs'),
    });
    return { store: withRemoteDefaults(store), url: `s3://${bucket}/${options.key}` };
  }
  if (options instanceof AzureOpenOptions) {
    const { name: container } = splitLocation(options.container, 'Azure', 'container');
    // OpenVDS's parallelism_factor splits one blob download into ranges; rxvds reads many chunks in parallel instead.
    if (options.parallelismFactor !== 4) throw new InvalidArgumentError('AzureOpenOptions parallelismFactor is not supported: rxvds reads many chunks at once instead; leave it at 4');
    const retry = { ...REMOTE_RETRY, attemptTimeoutMs: positiveMs(options.maxExecutionTime, 'maxExecutionTime') };
    const url = `azure://${container}/${options.blob}`;
    if (options.bearerToken !== '') {
      if (options.accountName === '') throw new InvalidArgumentError('AzureOpenOptions with a bearerToken needs accountName');
      return { store: withRemoteDefaults(azureBearerStore(options.accountName, options.bearerToken, container, options.blob), retry), url };
    }
    if (options.connectionString === '') throw new InvalidArgumentError('AzureOpenOptions needs a connectionString, or accountName and bearerToken');
    return { store: withRemoteDefaults(azureConnectionStringStore(options.connectionString, container, options.blob), retry), url };
  }
  if (options instanceof AzurePresignedOpenOptions) {
    return { store: withRemoteDefaults(azurePresignedStore(options.baseUrl, options.urlSuffix)), url: redactUrl(options.baseUrl) };
  }
  if (options instanceof GoogleOpenOptions) return { store: withRemoteDefaults(googleStore(options)), url: `gs://${options.bucket}/${options.pathPrefix}` };
  if (options instanceof HttpOpenOptions) return { store: withRemoteDefaults(new HttpStore(options.url)), url: redactUrl(options.url) };
  if (options instanceof InMemoryOpenOptions) return { store: new MemoryStore(options.name), url: `inmemory://${options.name}` };
  if (options instanceof VDSFileOpenOptions) {
    if (options.fileName === '') throw new InvalidArgumentError('VDSFileOpenOptions needs a fileName');
    throw vdsFileIsNoStore(absolutePath(options.fileName));
  }
  if (options instanceof DMSOpenOptions) throw dmsUnsupported();
  throw new InvalidArgumentError('Unknown OpenOptions: use AWSOpenOptions, AzureOpenOptions, AzurePresignedOpenOptions, GoogleOpenOptions, HttpOpenOptions, InMemoryOpenOptions or VDSFileOpenOptions');
}

function positiveMs(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new InvalidArgumentError(`Invalid ${name}: ${value} (a positive number of milliseconds)`);
  return value;
}
