// Maps an OpenVDS URL (plus connection string) to a Store. Remote stores come wrapped in
// withRetry and withConcurrencyLimit; the connection-string keys are OpenVDS's, per service.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConnectionString, type ConnectionOptions } from './connectionString.js';
import { LogLevel } from '../../src/model/enums.js';
import { InvalidArgumentError, InvalidOperationError } from '../../src/model/errors.js';
import {
  AWSOpenOptions, AzureOpenOptions, AzurePresignedOpenOptions, DMSOpenOptions, GoogleCredentialsType, GoogleOpenOptions,
  HttpOpenOptions, InMemoryOpenOptions, type OpenOptions, VDSFileOpenOptions,
} from './openOptions.js';
import type { AzureStore } from './azureStore.js';
import { FolderStore } from './folderStore.js';
import { parseServiceAccount, readServiceAccountFile, serviceAccountTokens } from './googleServiceAccount.js';
import type { GcsStore } from './gcsStore.js';
import { HttpStore } from './httpStore.js';
import { MemoryStore } from './memoryStore.js';
import { redactUrl } from './redact.js';
import type { S3Store } from './s3Store.js';
import { type VdsFileMode, VdsFileStore } from '../vdsFile/vdsFileStore.js';
import type { Store } from './store.js';
import { withConcurrencyLimit } from './withConcurrencyLimit.js';
import { withRetry, type RetryOptions } from './withRetry.js';
import { ENGINE_OPTION_KEYS } from '../../src/engine/engineOptions.js';

export interface OpenedStore {
  store: Store;
  /** Connection-string keys (lowercased) for the engine, e.g. `waveletadaptivetolerance`. */
  options: ReadonlyMap<string, string>;
}

/**
 * `create` opens a store for a new dataset (a new `.vds` file, say); `open` one that exists;
 * `update` one that may exist or not and is written to in place (a copy's destination, resumed).
 */
export type StoreIntent = 'open' | 'create' | 'update';

/** Requests a remote store has in flight at most (below the S3 client's 50 pooled sockets). */
export const REMOTE_CONCURRENCY = 32;
export const REMOTE_RETRY: RetryOptions = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 5000, attemptTimeoutMs: 120_000 };

/** Keys the engine reads itself; every backend accepts them (and `checkEngineKeys` checks them). */
const ENGINE_KEYS = new Set([
  'loglevel', 'log_level', 'requestthreadcount', 'request_thread_count', 'waveletadaptivetolerance', 'waveletadaptiveratio',
  ...Object.keys(ENGINE_OPTION_KEYS),
]);

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
  refuseServiceKeys(options, service);
}

/** For stores that take no keys of their own (local files, in-memory, HTTP). */
function refuseServiceKeys(options: ConnectionOptions, service: string): void {
  pick(options, service, {});
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

// The cloud SDKs are optional peer dependencies: a user of local files neither installs nor loads
// them. Their stores load (synchronously, so openStore stays synchronous) on the first URL that needs one.
const requireModule = createRequire(import.meta.url);
const AWS_SDK = '@aws-sdk/client-s3';
const AZURE_SDK = '@azure/storage-blob';

function cloudModule<T>(path: string, sdk: string, schemes: string): T {
  try {
    return requireModule(path) as T;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(`'${sdk}'`)) {
      throw new InvalidOperationError(`${schemes} datasets need the optional package ${sdk}, which is not installed: run "npm install ${sdk}" next to rxvds`);
    }
    throw error;
  }
}

const s3Module = () => cloudModule<typeof import('./s3Store.js')>('./s3Store.js', AWS_SDK, 's3:// and gs://');
const gcsModule = () => cloudModule<typeof import('./gcsStore.js')>('./gcsStore.js', AWS_SDK, 's3:// and gs://');
const azureModule = () => cloudModule<typeof import('./azureStore.js')>('./azureStore.js', AZURE_SDK, 'azure://, az:// and azuresas://');

export function openStore(url: string, connectionString = '', intent: StoreIntent = 'open'): OpenedStore {
  if (typeof url !== 'string' || url.trim() === '') throw new InvalidArgumentError('The dataset URL is empty');
  const options = parseConnectionString(connectionString);
  checkEngineKeyValues(options);
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  const rest = scheme === undefined ? '' : url.slice(scheme.length + 3);
  switch (scheme) {
    case undefined:
      refuseServiceKeys(options, 'file');
      return { store: localStore(resolve(url), intent), options };
    case 'file':
      refuseServiceKeys(options, 'file');
      return { store: localStore(fileURLToPath(url), intent), options };
    case 'inmemory':
      refuseServiceKeys(options, 'InMemory');
      return { store: new MemoryStore(rest), options };
    case 's3':
      return { store: remote(s3Store(rest, options)), options };
    case 'azure': case 'az':
      return { store: remote(azureStore(rest, options, connectionString)), options };
    case 'azuresas':
      return { store: remote(azureSasStore(rest, options)), options };
    case 'gs':
      return { store: remote(gcsStore(rest, options)), options };
    case 'http': case 'https':
      refuseServiceKeys(options, 'HTTP');
      return { store: remote(new HttpStore(url)), options };
    case 'sd':
      throw dmsUnsupported();
    default:
      throw new InvalidArgumentError(`Unknown URL scheme "${scheme}" in ${redactUrl(url)}`);
  }
}

function vdsFileMode(intent: StoreIntent): VdsFileMode {
  return intent === 'create' ? 'create' : intent === 'update' ? 'write' : 'read';
}

function localStore(path: string, intent: StoreIntent): Store {
  if (path.toLowerCase().endsWith('.vds')) return new VdsFileStore(path, vdsFileMode(intent));
  return new FolderStore(path);
}

function remote(store: Store, retry = REMOTE_RETRY): Store {
  return withConcurrencyLimit(withRetry(store, retry), REMOTE_CONCURRENCY);
}

function dmsUnsupported(): InvalidOperationError {
  return new InvalidOperationError('OSDU Seismic DMS (sd://, DMSOpenOptions) datasets are not supported yet');
}

/** `bucket/prefix` (or `container/prefix`). */
function splitLocation(rest: string, service: string, what: string): { name: string; prefix: string } {
  const slash = rest.indexOf('/');
  const name = slash < 0 ? rest : rest.slice(0, slash);
  if (name === '') throw new InvalidArgumentError(`${service} url is missing ${what}`);
  return { name, prefix: slash < 0 ? '' : rest.slice(slash + 1) };
}

const ACCESS_KEY_ID = ['accesskeyid', 'access_key_id', 'awsaccesskeyid', 'aws_access_key_id'];
const SECRET_KEY = [
  'secretkey', 'secretaccesskey', 'secret_key', 'secret_access_key', 'awssecretkey', 'awssecretaccesskey', 'aws_secret_key', 'aws_secret_access_key',
];

/** The values of the known keys, by field; any other key (besides the engine's) is an error. */
function pick<F extends string>(options: ConnectionOptions, service: string, fields: Record<F, readonly string[]>): Partial<Record<F, string>> {
  const byKey = new Map<string, F>();
  for (const [field, keys] of Object.entries(fields) as Array<[F, readonly string[]]>) for (const key of keys) byKey.set(key, field);
  const values: Partial<Record<F, string>> = {};
  for (const [key, value] of options) {
    const field = byKey.get(key);
    if (field) values[field] = value;
    else if (!ENGINE_KEYS.has(key)) throw new InvalidArgumentError(`Invalid key "${key}" in ${service} connection string.`);
  }
  return values;
}

function milliseconds(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) throw new InvalidArgumentError(`Invalid ${name} connection string parameter: "${value}"`);
  return ms;
}

function s3Store(rest: string, options: ConnectionOptions): S3Store {
  const { name: bucket, prefix } = splitLocation(rest, 'S3', 'bucket');
  const values = pick(options, 'S3', {
    region: ['region'],
    endpoint: ['endpointoverride', 'endpoint_override'],
    accessKeyId: ACCESS_KEY_ID,
    secretKey: SECRET_KEY,
    sessionToken: ['sessiontoken', 'session_token'],
    expiration: ['expiration'],
    connectionTimeoutMs: ['connectiontimeoutms', 'connection_timeout_ms'],
    requestTimeoutMs: ['requesttimeoutms', 'request_timeout_ms'],
    disableInitApi: ['disableinitapi', 'disable_init_api'],
  });
  if (values.disableInitApi !== undefined) throw disableInitApiUnsupported();
  return s3FromFields(bucket, prefix, {
    ...values,
    connectionTimeoutMs: milliseconds(values.connectionTimeoutMs, 'connectionTimeoutMs'),
    requestTimeoutMs: milliseconds(values.requestTimeoutMs, 'requestTimeoutMs'),
  });
}

// OpenVDS's DisableInitApi stops it calling Aws::InitAPI (for hosts that call it themselves); the
// AWS SDK for JavaScript has no such global initialization, so there is nothing the key could do.
function disableInitApiUnsupported(): InvalidArgumentError {
  return new InvalidArgumentError('DisableInitApi is not supported: the AWS SDK for JavaScript has no InitAPI to disable; leave it out');
}

interface S3Fields {
  region?: string; endpoint?: string; accessKeyId?: string; secretKey?: string; sessionToken?: string; expiration?: string;
  connectionTimeoutMs?: number; requestTimeoutMs?: number;
}

function s3FromFields(bucket: string, prefix: string, values: S3Fields): S3Store {
  if ((values.accessKeyId === undefined) !== (values.secretKey === undefined)) {
    throw new InvalidArgumentError('An S3 connection string needs both AccessKeyId and SecretKey, or neither (to use the AWS default credentials)');
  }
  const expiration = values.expiration === undefined ? undefined : new Date(values.expiration);
  if (expiration && Number.isNaN(expiration.getTime())) throw new InvalidArgumentError(`Invalid Expiration connection string parameter: "${values.expiration}"`);
  return new (s3Module().S3Store)({
    bucket,
    prefix,
    region: values.region,
    endpoint: values.endpoint,
    accessKeyId: values.accessKeyId,
    secretAccessKey: values.secretKey,
    sessionToken: values.sessionToken,
    expiration,
    connectionTimeoutMs: values.connectionTimeoutMs,
    requestTimeoutMs: values.requestTimeoutMs,
  });
}

/**
 * With `BearerToken` (and `AccountName`) the token authorizes; with `SasToken` (and
 * `AccountName`) a SAS does; otherwise the whole connection string is an Azure Storage one.
 */
function azureStore(rest: string, options: ConnectionOptions, connectionString: string): AzureStore {
  const { name: container, prefix } = splitLocation(rest, 'Azure', 'container');
  if (options.has('bearertoken') || options.has('sastoken')) {
    const values = pick(options, 'Azure', { accountName: ['accountname'], bearerToken: ['bearertoken'], sasToken: ['sastoken'], blobEndpoint: ['blobendpoint'] });
    if (!values.accountName && !values.blobEndpoint) throw new InvalidArgumentError('An Azure connection string with a BearerToken or SasToken needs AccountName');
    const blobEndpoint = values.blobEndpoint ?? `https://${values.accountName}.blob.core.windows.net`;
    const { AzureStore: Azure } = azureModule();
    if (values.bearerToken) return Azure.withBearerToken(values.accountName ?? '', values.bearerToken, container, prefix, { blobEndpoint });
    const sas = values.sasToken!.replace(/^\?/, '');
    return Azure.fromContainerUrl(`${blobEndpoint.replace(/\/+$/, '')}/${encodeURIComponent(container)}?${sas}`, prefix);
  }
  // The Azure SDK reads its connection string case-sensitively: pass the original text on.
  const azureConnection = connectionString.split(';')
    .filter((part) => part.trim() !== '' && !ENGINE_KEYS.has(part.slice(0, part.indexOf('=')).trim().toLowerCase()))
    .join(';');
  if (azureConnection === '') {
    throw new InvalidArgumentError('An Azure dataset needs a connection string: an Azure Storage one (AccountName=...;AccountKey=...), or AccountName with BearerToken or SasToken');
  }
  return azureModule().AzureStore.fromConnectionString(azureConnection, container, prefix);
}

/** `azuresas://host/container/prefix` with `Suffix=?<SAS>` appended to every URL. */
function azureSasStore(rest: string, options: ConnectionOptions): AzureStore {
  const { suffix = '' } = pick(options, 'AzureSAS', { suffix: ['suffix'] });
  return azurePresignedStore(`https://${rest}`, suffix);
}

/** A container URL (`https://host/container/prefix`) whose requests all carry `suffix` (a SAS query). */
function azurePresignedStore(baseUrl: string, suffix: string): AzureStore {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new InvalidArgumentError('Invalid azuresas:// URL');
  }
  const segments = base.pathname.split('/').filter((s) => s !== '');
  // Emulators and IP endpoints put the account name in the path.
  const accountSegments = /^(\d+\.\d+\.\d+\.\d+|\[[0-9a-f:.]+\]|localhost)$/i.test(base.hostname) ? 1 : 0;
  if (segments.length <= accountSegments) throw new InvalidArgumentError('An azuresas:// URL needs a container');
  const containerPath = segments.slice(0, accountSegments + 1).join('/');
  const query = suffix === '' || suffix.startsWith('?') ? suffix : `?${suffix}`;
  return azureModule().AzureStore.fromContainerUrl(`${base.origin}/${containerPath}${query}`, segments.slice(accountSegments + 1).join('/'));
}

// OpenVDS's Google credentials: an access token, or a service account's key (a credentials file or
// its JSON), which rxvds trades for access tokens. Signed URLs are the one form it does not take:
// Cloud Storage's XML API is reached with a bearer token or an HMAC key instead.
function gcsSignedUrlUnsupported(form: string): InvalidArgumentError {
  return new InvalidArgumentError(`"${form}" is not supported for gs:// datasets: rxvds authorizes with a bearer token instead of signed URLs; ` +
    'use CredentialsFile, JsonCredentials, Token or an HMAC key (AccessKeyId and SecretKey)');
}

function gcsStore(rest: string, options: ConnectionOptions): GcsStore {
  const { name: bucket, prefix } = splitLocation(rest, 'GS', 'bucket');
  if (options.has('signedurl')) throw gcsSignedUrlUnsupported('signedurl');
  const values = pick(options, 'GS', {
    token: ['token'], credentialsFile: ['credentialsfile'], jsonCredentials: ['jsoncredentials'],
    accessKeyId: ACCESS_KEY_ID, secretKey: SECRET_KEY, endpoint: ['endpointoverride', 'endpoint_override'],
  });
  if ((values.accessKeyId === undefined) !== (values.secretKey === undefined)) {
    throw new InvalidArgumentError('A GS connection string needs both AccessKeyId and SecretKey (an HMAC key), or neither');
  }
  const given = (['token', 'credentialsFile', 'jsonCredentials', 'accessKeyId'] as const).filter((key) => values[key] !== undefined);
  if (given.length > 1) throw new InvalidArgumentError('A GS connection string takes one of Token, CredentialsFile, JsonCredentials or an HMAC key');
  const account = values.credentialsFile !== undefined ? readServiceAccountFile(values.credentialsFile)
    : values.jsonCredentials !== undefined ? parseServiceAccount(values.jsonCredentials, 'JsonCredentials') : undefined;
  return new (gcsModule().GcsStore)({
    bucket, prefix, accessKeyId: values.accessKeyId, secretAccessKey: values.secretKey, endpoint: values.endpoint,
    token: account ? serviceAccountTokens(account) : values.token,
  });
}

function googleStore(options: GoogleOpenOptions): GcsStore {
  const type = options.credentialsType;
  if ((type & GoogleCredentialsType.SignedUrl) !== 0) throw gcsSignedUrlUnsupported(GoogleCredentialsType[type] ?? String(type));
  if (options.storageClass !== '' || options.region !== '') {
    throw new InvalidArgumentError('GoogleOpenOptions storageClass and region are not supported: rxvds writes with the bucket\'s defaults');
  }
  const { name: bucket } = splitLocation(options.bucket, 'GS', 'bucket');
  const token = (() => {
    switch (type) {
      case GoogleCredentialsType.Default: return undefined;
      case GoogleCredentialsType.AccessToken: return options.credentials;
      case GoogleCredentialsType.Path: return serviceAccountTokens(readServiceAccountFile(options.credentials));
      case GoogleCredentialsType.Json: return serviceAccountTokens(parseServiceAccount(options.credentials, 'GoogleCredentialsJson'));
      default: throw new InvalidArgumentError(`Invalid GoogleOpenOptions credentialsType ${type}`);
    }
  })();
  return new (gcsModule().GcsStore)({ bucket, prefix: options.pathPrefix, token });
}

/** A store for an OpenOptions object, and a URL-like name for messages (without secrets). */
export function openStoreFromOptions(options: OpenOptions, intent: StoreIntent = 'open'): { store: Store; url: string } {
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
    return { store: remote(store), url: `s3://${bucket}/${options.key}` };
  }
  if (options instanceof AzureOpenOptions) {
    const { name: container } = splitLocation(options.container, 'Azure', 'container');
    // OpenVDS's parallelism_factor splits one blob download into ranges; rxvds reads many chunks in parallel instead.
    if (options.parallelismFactor !== 4) throw new InvalidArgumentError('AzureOpenOptions parallelismFactor is not supported: rxvds reads many chunks at once instead; leave it at 4');
    const retry = { ...REMOTE_RETRY, attemptTimeoutMs: positiveMs(options.maxExecutionTime, 'maxExecutionTime') };
    const url = `azure://${container}/${options.blob}`;
    if (options.bearerToken !== '') {
      if (options.accountName === '') throw new InvalidArgumentError('AzureOpenOptions with a bearerToken needs accountName');
      return { store: remote(azureModule().AzureStore.withBearerToken(options.accountName, options.bearerToken, container, options.blob), retry), url };
    }
    if (options.connectionString === '') throw new InvalidArgumentError('AzureOpenOptions needs a connectionString, or accountName and bearerToken');
    return { store: remote(azureModule().AzureStore.fromConnectionString(options.connectionString, container, options.blob), retry), url };
  }
  if (options instanceof AzurePresignedOpenOptions) {
    return { store: remote(azurePresignedStore(options.baseUrl, options.urlSuffix)), url: redactUrl(options.baseUrl) };
  }
  if (options instanceof GoogleOpenOptions) return { store: remote(googleStore(options)), url: `gs://${options.bucket}/${options.pathPrefix}` };
  if (options instanceof HttpOpenOptions) return { store: remote(new HttpStore(options.url)), url: redactUrl(options.url) };
  if (options instanceof InMemoryOpenOptions) return { store: new MemoryStore(options.name), url: `inmemory://${options.name}` };
  if (options instanceof VDSFileOpenOptions) {
    if (options.fileName === '') throw new InvalidArgumentError('VDSFileOpenOptions needs a fileName');
    return { store: new VdsFileStore(resolve(options.fileName), vdsFileMode(intent)), url: options.fileName };
  }
  if (options instanceof DMSOpenOptions) throw dmsUnsupported();
  throw new InvalidArgumentError('Unknown OpenOptions: use AWSOpenOptions, AzureOpenOptions, AzurePresignedOpenOptions, GoogleOpenOptions, HttpOpenOptions, InMemoryOpenOptions or VDSFileOpenOptions');
}

function positiveMs(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new InvalidArgumentError(`Invalid ${name}: ${value} (a positive number of milliseconds)`);
  return value;
}
