// The URL schemes rxvds knows out of the box, each turned into a store the way OpenVDS reads its
// URL and connection string: local paths and file://, inmemory://, s3://, azure:// (az://),
// azuresas://, gs://, http(s):// and sd:// (seismicDmsStore.ts). They register through registerStoreScheme like any
// other, at the end of this file. The store makers also serve OpenOptions (openStore.ts). A browser
// bundle gets builtinSchemes.browser.ts instead (package.json "browser"): the same schemes on fetch.
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InvalidArgumentError } from '../../src/model/errors.js';
import { AzureStore } from './azureStore.js';
import { ENGINE_KEYS } from './connectionString.js';
import { FolderStore } from './folderStore.js';
import { GcsStore } from './gcsStore.js';
import { parseServiceAccount, readServiceAccountFile, serviceAccountTokens } from './googleServiceAccount.js';
import { HttpStore } from './httpStore.js';
import { MemoryStore } from './memoryStore.js';
import { GoogleCredentialsType, type DMSOpenOptions, type GoogleOpenOptions } from './openOptions.js';
import {
  ACCESS_KEY_ID, azureSasUrl, disableInitApiUnsupported, milliseconds, type S3Fields, SECRET_KEY, splitLocation, vdsFileIsNoStore,
} from './schemeArguments.js';
import { withRemoteDefaults } from './remoteDefaults.js';
import { S3Store } from './s3Store.js';
import { SeismicDmsStore, seismicDmsSettings, seismicDmsStore } from './seismicDmsStore.js';
import type { Store } from './store.js';
import { registerStoreScheme, type StoreIntent, type StoreRequest } from './storeSchemes.js';

/** The `file://` URL of a path (relative to the working directory). */
export function localPathUrl(path: string): string {
  return pathToFileURL(resolve(path)).href;
}

/** A path as messages name it: absolute. */
export function absolutePath(path: string): string {
  return resolve(path);
}

/** A path: a folder of objects. */
function localStore(path: string): Store {
  if (path.toLowerCase().endsWith('.vds')) throw vdsFileIsNoStore(path);
  return new FolderStore(path);
}

function s3Store(request: StoreRequest): S3Store {
  const { name: bucket, prefix } = splitLocation(request.location, 'S3', 'bucket');
  const values = request.keys('S3', {
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

export function s3FromFields(bucket: string, prefix: string, values: S3Fields): S3Store {
  if ((values.accessKeyId === undefined) !== (values.secretKey === undefined)) {
    throw new InvalidArgumentError('An S3 connection string needs both AccessKeyId and SecretKey, or neither (to use the AWS default credentials)');
  }
  const expiration = values.expiration === undefined ? undefined : new Date(values.expiration);
  if (expiration && Number.isNaN(expiration.getTime())) throw new InvalidArgumentError(`Invalid Expiration connection string parameter: "${values.expiration}"`);
  return new S3Store({
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
function azureStore(request: StoreRequest): AzureStore {
  const { name: container, prefix } = splitLocation(request.location, 'Azure', 'container');
  if (request.options.has('bearertoken') || request.options.has('sastoken')) {
    const values = request.keys('Azure', { accountName: ['accountname'], bearerToken: ['bearertoken'], sasToken: ['sastoken'], blobEndpoint: ['blobendpoint'] });
    if (!values.accountName && !values.blobEndpoint) throw new InvalidArgumentError('An Azure connection string with a BearerToken or SasToken needs AccountName');
    const blobEndpoint = values.blobEndpoint ?? `https://${values.accountName}.blob.core.windows.net`;
    if (values.bearerToken) return AzureStore.withBearerToken(values.accountName ?? '', values.bearerToken, container, prefix, { blobEndpoint });
    const sas = values.sasToken!.replace(/^\?/, '');
    return AzureStore.fromContainerUrl(`${blobEndpoint.replace(/\/+$/, '')}/${encodeURIComponent(container)}?${sas}`, prefix);
  }
  // The Azure SDK reads its connection string case-sensitively: pass the original text on.
  const azureConnection = request.connectionString.split(';')
    .filter((part) => part.trim() !== '' && !ENGINE_KEYS.has(part.slice(0, part.indexOf('=')).trim().toLowerCase()))
    .join(';');
  if (azureConnection === '') {
    throw new InvalidArgumentError('An Azure dataset needs a connection string: an Azure Storage one (AccountName=...;AccountKey=...), or AccountName with BearerToken or SasToken');
  }
  return AzureStore.fromConnectionString(azureConnection, container, prefix);
}

export function azureBearerStore(accountName: string, bearerToken: string, container: string, prefix: string): AzureStore {
  return AzureStore.withBearerToken(accountName, bearerToken, container, prefix);
}

export function azureConnectionStringStore(connectionString: string, container: string, prefix: string): AzureStore {
  return AzureStore.fromConnectionString(connectionString, container, prefix);
}

/** `azuresas://host/container/prefix` with `Suffix=?<SAS>` appended to every URL. */
function azureSasStore(request: StoreRequest): AzureStore {
  const { suffix = '' } = request.keys('AzureSAS', { suffix: ['suffix'] });
  return azurePresignedStore(`https://${request.location}`, suffix);
}

/** A container URL (`https://host/container/prefix`) whose requests all carry `suffix` (a SAS query). */
/** DMSOpenOptions (openStore.ts): the service's dataset, read and written with the credentials it issues. */
export function dmsStoreFromOptions(options: DMSOpenOptions, intent: StoreIntent): SeismicDmsStore {
  return new SeismicDmsStore(seismicDmsSettings(options), intent);
}

export function azurePresignedStore(baseUrl: string, suffix: string): AzureStore {
  const base = azureSasUrl(baseUrl);
  const segments = base.pathname.split('/').filter((s) => s !== '');
  // Emulators and IP endpoints put the account name in the path.
  const accountSegments = /^(\d+\.\d+\.\d+\.\d+|\[[0-9a-f:.]+\]|localhost)$/i.test(base.hostname) ? 1 : 0;
  if (segments.length <= accountSegments) throw new InvalidArgumentError('An azuresas:// URL needs a container');
  const containerPath = segments.slice(0, accountSegments + 1).join('/');
  const query = suffix === '' || suffix.startsWith('?') ? suffix : `?${suffix}`;
  return AzureStore.fromContainerUrl(`${base.origin}/${containerPath}${query}`, segments.slice(accountSegments + 1).join('/'));
}

// OpenVDS's Google credentials: an access token, or a service account's key (a credentials file or
// its JSON), which rxvds trades for access tokens. Signed URLs are the one form it does not take:
// Cloud Storage's XML API is reached with a bearer token or an HMAC key instead.
function gcsSignedUrlUnsupported(form: string): InvalidArgumentError {
  return new InvalidArgumentError(`"${form}" is not supported for gs:// datasets: rxvds authorizes with a bearer token instead of signed URLs; ` +
    'use CredentialsFile, JsonCredentials, Token or an HMAC key (AccessKeyId and SecretKey)');
}

function gcsStore(request: StoreRequest): GcsStore {
  const { name: bucket, prefix } = splitLocation(request.location, 'GS', 'bucket');
  if (request.options.has('signedurl')) throw gcsSignedUrlUnsupported('signedurl');
  const values = request.keys('GS', {
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
  return new GcsStore({
    bucket, prefix, accessKeyId: values.accessKeyId, secretAccessKey: values.secretKey, endpoint: values.endpoint,
    token: account ? serviceAccountTokens(account) : values.token,
  });
}

export function googleStore(options: GoogleOpenOptions): GcsStore {
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
  return new GcsStore({ bucket, prefix: options.pathPrefix, token });
}

/** Paths and `file://` URLs: refuse service keys, then a folder (a `.vds` file is refused). */
function fileStore(request: StoreRequest): Store {
  request.keys('file', {});
  return localStore(fileURLToPath(request.url));
}

function httpStore(request: StoreRequest) {
  request.keys('HTTP', {});
  return withRemoteDefaults(new HttpStore(request.url));
}

// One line per scheme; a new store adds its own here (or its user calls registerStoreScheme).
registerStoreScheme('file', fileStore);
registerStoreScheme('inmemory', (request) => { request.keys('InMemory', {}); return new MemoryStore(request.location); });
registerStoreScheme('s3', (request) => withRemoteDefaults(s3Store(request)));
registerStoreScheme('azure', (request) => withRemoteDefaults(azureStore(request)));
registerStoreScheme('az', (request) => withRemoteDefaults(azureStore(request)));
registerStoreScheme('azuresas', (request) => withRemoteDefaults(azureSasStore(request)));
registerStoreScheme('gs', (request) => withRemoteDefaults(gcsStore(request)));
registerStoreScheme('http', httpStore);
registerStoreScheme('https', httpStore);
registerStoreScheme('sd', (request) => withRemoteDefaults(seismicDmsStore(request)));
