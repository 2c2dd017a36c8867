// The built-in URL schemes in a browser (package.json "browser" maps builtinSchemes.ts here): the
// same URLs and connection-string keys as in Node, read over fetch with no cloud SDK. What a page
// can read: http(s):// (Range requests; a query string such as an Azure SAS goes to every object),
// S3 buckets (public, or signed with AccessKeyId and SecretKey), public Cloud Storage buckets or with an OAuth Token,
// Azure with a SAS (azuresas://, or azure:// with SasToken) or a BearerToken, and inmemory://.
// What needs a signing key, a file system or an SDK is refused with what to use instead.
import { InvalidArgumentError, InvalidOperationError } from '../../src/model/errors.js';
import { HttpStore } from './httpStore.js';
import { MemoryStore } from './memoryStore.js';
import { GoogleCredentialsType, type DMSOpenOptions, type GoogleOpenOptions } from './openOptions.js';
import { withRemoteDefaults } from './remoteDefaults.js';
import { ACCESS_KEY_ID, azureSasUrl, disableInitApiUnsupported, type S3Fields, SECRET_KEY, splitLocation } from './schemeArguments.js';
import type { ReadableStore } from './store.js';
import { signS3Request } from './s3Signature.js';
import { registerStoreScheme, type StoreIntent, type StoreRequest } from './storeSchemes.js';
import type * as node from './builtinSchemes.js';

/** The Azure Blob REST version sent with bearer tokens (Azure requires one with OAuth). */
const AZURE_VERSION = '2021-08-06';

function needsNode(what: string, instead: string): InvalidOperationError {
  return new InvalidOperationError(`${what} cannot be read in a browser: ${instead}`);
}

// Seismic DMS hands out credentials for the clouds' SDK stores, which a page does not have.
function dmsNeedsNode(url: string): InvalidOperationError {
  return needsNode(`The Seismic DMS dataset ${url}`, 'serve it with rxvds serve, or copy it to storage the page can reach over https://');
}

export function dmsStoreFromOptions(options: DMSOpenOptions, _intent: StoreIntent): ReadableStore {
  throw dmsNeedsNode(options.datasetPath);
}

export function localPathUrl(path: string): string {
  throw needsNode(`The local path ${path}`, 'open the dataset by an http(s):// URL');
}

export function absolutePath(path: string): string {
  throw needsNode(`The .vds file ${path}`, 'copy it to a folder dataset on a web server (rxvds copy) and open that by URL');
}

/**
 * The S3 REST endpoint: a public bucket anonymously, a private one signed (Signature Version 4 on
 * Web Crypto) with the keys given. The bucket must allow the page's origin (CORS).
 */
export function s3FromFields(bucket: string, prefix: string, values: S3Fields): ReadableStore {
  if ((values.accessKeyId === undefined) !== (values.secretKey === undefined)) {
    throw new InvalidArgumentError('An S3 connection string needs both AccessKeyId and SecretKey, or neither (for a public bucket)');
  }
  const region = values.region ?? 'us-east-1';
  // Path-style where a dotted bucket name would not match the wildcard certificate.
  const base = values.endpoint !== undefined ? `${values.endpoint.replace(/\/+$/, '')}/${bucket}`
    : bucket.includes('.') ? `https://s3.${region}.amazonaws.com/${bucket}` : `https://${bucket}.s3.${region}.amazonaws.com`;
  const credentials = values.accessKeyId === undefined ? undefined
    : { accessKeyId: values.accessKeyId, secretAccessKey: values.secretKey!, sessionToken: values.sessionToken };
  return new HttpStore(joinPrefix(base, prefix), credentials && {
    sign: (method, url, headers) => signS3Request(method, url, headers, region, credentials),
  });
}

export function azureBearerStore(accountName: string, bearerToken: string, container: string, prefix: string, blobEndpoint?: string): ReadableStore {
  const endpoint = blobEndpoint ?? `https://${accountName}.blob.core.windows.net`;
  return new HttpStore(joinPrefix(`${endpoint.replace(/\/+$/, '')}/${encodeURIComponent(container)}`, prefix),
    { headers: { authorization: `Bearer ${bearerToken}`, 'x-ms-version': AZURE_VERSION } });
}

export function azureConnectionStringStore(_connectionString: string, _container: string, _prefix: string): ReadableStore {
  throw needsNode('An Azure dataset with an account key', 'use a SAS (azuresas://, or SasToken) or a BearerToken');
}

/** A container URL (`https://host/container/prefix`) whose requests all carry `suffix` (a SAS query). */
export function azurePresignedStore(baseUrl: string, suffix: string): ReadableStore {
  const base = azureSasUrl(baseUrl);
  if (base.pathname.split('/').every((s) => s === '')) throw new InvalidArgumentError('An azuresas:// URL needs a container');
  const query = suffix === '' || suffix.startsWith('?') ? suffix : `?${suffix}`;
  return new HttpStore(`${base.origin}${base.pathname}${query}`);
}

/** Cloud Storage's XML API: a public bucket, or an OAuth access token. */
export function googleStore(options: GoogleOpenOptions): ReadableStore {
  const { name: bucket } = splitLocation(options.bucket, 'GS', 'bucket');
  if (options.credentialsType === GoogleCredentialsType.AccessToken) return gcsHttpStore(bucket, options.pathPrefix, options.credentials);
  if (options.credentialsType === GoogleCredentialsType.Default) return gcsHttpStore(bucket, options.pathPrefix, undefined);
  throw needsNode(`GoogleOpenOptions with ${GoogleCredentialsType[options.credentialsType] ?? options.credentialsType} credentials`, 'use an access token');
}

function gcsHttpStore(bucket: string, prefix: string, token: string | undefined): ReadableStore {
  return new HttpStore(joinPrefix(`https://storage.googleapis.com/${bucket}`, prefix), token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
}

function joinPrefix(base: string, prefix: string): string {
  const path = prefix.split('/').filter((s) => s !== '').map(encodeURIComponent).join('/');
  return path === '' ? base : `${base}/${path}`;
}

function s3Store(request: StoreRequest): ReadableStore {
  const { name: bucket, prefix } = splitLocation(request.location, 'S3', 'bucket');
  const values = request.keys('S3', {
    region: ['region'], endpoint: ['endpointoverride', 'endpoint_override'], accessKeyId: ACCESS_KEY_ID, secretKey: SECRET_KEY,
    sessionToken: ['sessiontoken', 'session_token'], disableInitApi: ['disableinitapi', 'disable_init_api'],
  });
  if (values.disableInitApi !== undefined) throw disableInitApiUnsupported();
  return s3FromFields(bucket, prefix, values);
}

function azureStore(request: StoreRequest): ReadableStore {
  const { name: container, prefix } = splitLocation(request.location, 'Azure', 'container');
  if (!request.options.has('bearertoken') && !request.options.has('sastoken')) return azureConnectionStringStore(request.connectionString, container, prefix);
  const values = request.keys('Azure', { accountName: ['accountname'], bearerToken: ['bearertoken'], sasToken: ['sastoken'], blobEndpoint: ['blobendpoint'] });
  if (!values.accountName && !values.blobEndpoint) throw new InvalidArgumentError('An Azure connection string with a BearerToken or SasToken needs AccountName');
  const blobEndpoint = values.blobEndpoint ?? `https://${values.accountName}.blob.core.windows.net`;
  if (values.bearerToken) return azureBearerStore(values.accountName ?? '', values.bearerToken, container, prefix, blobEndpoint);
  const sas = values.sasToken!.replace(/^\?/, '');
  return new HttpStore(`${joinPrefix(`${blobEndpoint.replace(/\/+$/, '')}/${encodeURIComponent(container)}`, prefix)}?${sas}`);
}

function gcsStore(request: StoreRequest): ReadableStore {
  const { name: bucket, prefix } = splitLocation(request.location, 'GS', 'bucket');
  const values = request.keys('GS', {
    token: ['token'], credentialsFile: ['credentialsfile'], jsonCredentials: ['jsoncredentials'], accessKeyId: ACCESS_KEY_ID, secretKey: SECRET_KEY,
    signedUrl: ['signedurl'],
  });
  if (values.credentialsFile !== undefined || values.jsonCredentials !== undefined || values.accessKeyId !== undefined || values.signedUrl !== undefined) {
    throw needsNode('A gs:// dataset with a service account, HMAC key or signed URL', 'use a Token, or a public bucket');
  }
  return gcsHttpStore(bucket, prefix, values.token);
}

function azureSasStore(request: StoreRequest): ReadableStore {
  const { suffix = '' } = request.keys('AzureSAS', { suffix: ['suffix'] });
  return azurePresignedStore(`https://${request.location}`, suffix);
}

registerStoreScheme('file', (request) => { throw needsNode(request.url, 'open the dataset by an http(s):// URL'); });
registerStoreScheme('inmemory', (request) => { request.keys('InMemory', {}); return new MemoryStore(request.location); });
registerStoreScheme('s3', (request) => withRemoteDefaults(s3Store(request)));
registerStoreScheme('azure', (request) => withRemoteDefaults(azureStore(request)));
registerStoreScheme('az', (request) => withRemoteDefaults(azureStore(request)));
registerStoreScheme('azuresas', (request) => withRemoteDefaults(azureSasStore(request)));
registerStoreScheme('gs', (request) => withRemoteDefaults(gcsStore(request)));
registerStoreScheme('http', (request) => { request.keys('HTTP', {}); return withRemoteDefaults(new HttpStore(request.url)); });
registerStoreScheme('https', (request) => { request.keys('HTTP', {}); return withRemoteDefaults(new HttpStore(request.url)); });
registerStoreScheme('sd', (request) => { throw dmsNeedsNode(request.url); });

/** The Node module's functions, taking the same arguments (the stores they make are fetch-based here). */
type SameArguments<M> = { [K in keyof M]: M[K] extends (...args: infer A) => unknown ? (...args: A) => unknown : never };
({ localPathUrl, absolutePath, s3FromFields, azureBearerStore, azureConnectionStringStore, azurePresignedStore, googleStore, dmsStoreFromOptions }) satisfies SameArguments<typeof node>;
