// Maps an OpenVDS URL (plus connection string) to a Store. Remote stores come wrapped in
// withRetry and withConcurrencyLimit; the connection-string keys are OpenVDS's, per service.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConnectionString, type ConnectionOptions } from '../src/connectionString.js';
import { InvalidArgumentError, InvalidOperationError } from '../src/errors.js';
import type { AzureStore } from './azureStore.js';
import { FolderStore } from './folderStore.js';
import type { GcsStore } from './gcsStore.js';
import { HttpStore } from './httpStore.js';
import { MemoryStore } from './memoryStore.js';
import { redactUrl } from './redact.js';
import type { S3Store } from './s3Store.js';
import { VdsFileStore } from './vdsFileStore.js';
import type { Store } from './store.js';
import { withConcurrencyLimit } from './withConcurrencyLimit.js';
import { withRetry, type RetryOptions } from './withRetry.js';

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

/** Keys the engine reads itself; every backend accepts them. */
const ENGINE_KEYS = new Set([
  'loglevel', 'log_level', 'requestthreadcount', 'request_thread_count', 'waveletadaptivetolerance', 'waveletadaptiveratio',
]);

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
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  const rest = scheme === undefined ? '' : url.slice(scheme.length + 3);
  switch (scheme) {
    case undefined:
      return { store: localStore(resolve(url), intent), options };
    case 'file':
      return { store: localStore(fileURLToPath(url), intent), options };
    case 'inmemory':
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
      return { store: remote(new HttpStore(url)), options };
    default:
      throw new InvalidArgumentError(`Unknown URL scheme "${scheme}" in ${redactUrl(url)}`);
  }
}

function localStore(path: string, intent: StoreIntent): Store {
  if (path.toLowerCase().endsWith('.vds')) return new VdsFileStore(path, intent === 'create' ? 'create' : intent === 'update' ? 'write' : 'read');
  return new FolderStore(path);
}

function remote(store: Store): Store {
  return withConcurrencyLimit(withRetry(store, REMOTE_RETRY), REMOTE_CONCURRENCY);
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
    connectionTimeoutMs: milliseconds(values.connectionTimeoutMs, 'connectionTimeoutMs'),
    requestTimeoutMs: milliseconds(values.requestTimeoutMs, 'requestTimeoutMs'),
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
  let base: URL;
  try {
    base = new URL(`https://${rest}`);
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

const GCS_UNSUPPORTED = ['credentialsfile', 'jsoncredentials', 'signedurl'];

function gcsStore(rest: string, options: ConnectionOptions): GcsStore {
  const { name: bucket, prefix } = splitLocation(rest, 'GS', 'bucket');
  const unsupported = GCS_UNSUPPORTED.find((key) => options.has(key));
  if (unsupported) {
    throw new InvalidArgumentError(`"${unsupported}" is not supported for gs:// datasets: use an HMAC key (AccessKeyId and SecretKey) or an OAuth access Token`);
  }
  const values = pick(options, 'GS', { token: ['token'], accessKeyId: ACCESS_KEY_ID, secretKey: SECRET_KEY, endpoint: ['endpointoverride', 'endpoint_override'] });
  if ((values.accessKeyId === undefined) !== (values.secretKey === undefined)) {
    throw new InvalidArgumentError('A GS connection string needs both AccessKeyId and SecretKey (an HMAC key), or neither');
  }
  return new (gcsModule().GcsStore)({
    bucket, prefix, accessKeyId: values.accessKeyId, secretAccessKey: values.secretKey, token: values.token, endpoint: values.endpoint,
  });
}
