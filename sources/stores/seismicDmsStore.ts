// `sd://tenant/subproject/path/dataset`: a dataset kept by the OSDU Seismic Data Management Service
// (Seismic DMS, "sdms"), as OpenVDS's IOManagerDMSProxy reads and writes it. The service keeps the
// dataset's record (where its objects are, who has it locked, how big it is) and hands out
// short-lived storage credentials; the objects themselves go through the store of the cloud that
// holds them (AzureStore, S3Store or GcsStore), made with those credentials and made again when
// they are about to expire or are refused.
//
// The requests follow the Seismic DMS Service's OpenAPI document ("Seismic DMS Service" 3.0.0,
// `app/sdms/docs/api/openapi.osdu.yaml` of OSDU's seismic-store-service), under the service URL
// (`SdAuthorityUrl`, e.g. `https://host/api/seismic-store/v3`), each with the headers `appkey`
// (`SdApiKey`) and `authorization: Bearer <SdToken>`:
//   PUT   dataset/tenant/{t}/subproject/{s}/dataset/{d}/lock?openmode=read|write&path=P   dataset-lock
//   POST  dataset/tenant/{t}/subproject/{s}/dataset/{d}?path=P                             dataset-register (header `ltag`)
//   PATCH dataset/tenant/{t}/subproject/{s}/dataset/{d}?path=P&close=LOCKID                dataset-patch: unlocks, and after
//         writes records `filemetadata` {nobjects, size, type} and `last_modified_date`
//   GET   utility/gcs-access-token?sdpath=SDPATH&readonly=true|false                     utility-gcs-access-token
// Lock and register carry the session's lock id in `x-seismic-dms-lockid`, which `close=` names
// again. Their answer is the dataset record (`gcsurl`: the bucket or container and prefix of its
// objects; `access_policy`) with the cloud in the `service-provider` header; the access token is
// an Azure container SAS URL (azure), `key:secret:session` AWS credentials (aws, anthos, ibm) or a
// Google OAuth token (gcp), valid for `expires_in` seconds.
import { randomBytes } from 'node:crypto';
import { CanceledError, InvalidArgumentError, NotFoundError, StoreError, WriteError } from '../../src/model/errors.js';
import { parseLayerStatusJson } from '../../src/model/layout/layoutJson.js';
import { AzureStore } from './azureStore.js';
import { GcsStore } from './gcsStore.js';
import { DMSOpenOptions } from './openOptions.js';
import { redactSecrets, redactUrl, scrub } from './redact.js';
import { S3Store } from './s3Store.js';
import type { ByteRange, DeletableStore, ListableStore, ObjectInfo, ReadableStore, ReadOptions, Store, WriteOptions } from './store.js';
import { isWriteVerb, storeFailure, type StoreVerb } from './storeErrors.js';
import type { StoreIntent, StoreRequest } from './storeSchemes.js';

/** How long one service request may take. */
const SERVICE_TIMEOUT_MS = 30_000;
/** A token is renewed this long before it expires (OpenVDS's minute), or at half its life when that is shorter. */
const RENEWAL_MARGIN_MS = 60_000;
/** OpenVDS's assumption for a renewable SdToken whose expiry it cannot read; rxvds's for a storage credential without `expires_in`. */
const UNKNOWN_TOKEN_LIFETIME_MS = 3_600_000;
/** The object whose figures (OpenVDS's metadata status) make the dataset's `filemetadata`. */
const LAYER_STATUS_KEY = 'LayerStatus';

type LockMode = 'read' | 'write';
/** The stores of the clouds Seismic DMS keeps datasets in (GcsStore is an S3Store). */
type CloudStore = S3Store | AzureStore;

/** An sd:// URL split as OpenVDS's getSdPath splits it: tenant, subproject, folders, dataset. */
export interface SdPath {
  tenant: string;
  subproject: string;
  /** The folders between subproject and dataset, `/` when there are none. */
  path: string;
  dataset: string;
}

const SD_FORMAT = 'sd://<tenant>/<subproject>/<path>*/<dataset>';

export function parseSdPath(url: string): SdPath {
  const rest = /^sd:\/\/(.*)$/i.exec(url)?.[1]?.replace(/\/+$/, '');
  if (!rest) throw new InvalidArgumentError(`The sd:// URL ${redactUrl(url)} is empty: expected ${SD_FORMAT}`);
  const parts = rest.split('/').filter((part) => part !== '');
  if (parts.length < 2) throw new InvalidArgumentError(`The sd:// URL ${redactUrl(url)} is missing the subproject: expected ${SD_FORMAT}`);
  if (parts.length < 3) throw new InvalidArgumentError(`The sd:// URL ${redactUrl(url)} is missing the dataset: expected ${SD_FORMAT}`);
  const [tenant, subproject, ...tail] = parts as [string, string, ...string[]];
  const dataset = tail.pop()!;
  return { tenant, subproject, path: tail.length ? tail.join('/') : '/', dataset };
}

/** Where the SdToken comes from: given as it is, or from an OAuth token endpoint (OpenVDS's TokenRefresher). */
type TokenSource =
  | { kind: 'static'; token: string }
  | { kind: 'oauth'; url: string; clientId: string; clientSecret: string; refreshToken: string; scopes: string };

export interface SeismicDmsSettings {
  /** The dataset's sd:// URL. */
  datasetPath: string;
  /** The service URL, up to and including its version (`…/api/seismic-store/v3`). */
  authorityUrl: string;
  apiKey: string;
  token: TokenSource;
  /** The legal tag a newly registered dataset gets. */
  legalTag: string;
}

/** What a lock (or registration) gave: the dataset's record and the session to close. */
interface Session {
  mode: LockMode;
  lockId: string;
  /** `bucket/prefix` (gcp), `container/prefix` (azure) or `bucket$$prefix` (aws, anthos, ibm). */
  gcsurl: string;
  provider: string;
  accessPolicy: string;
}

/** A cloud store made with one storage credential, and when to stop using it. */
interface Storage {
  store: CloudStore;
  renewAt: number;
}

interface StorageEntry {
  session: Session;
  loaded: Promise<Storage>;
  /** Once loaded. */
  value?: Storage;
}

interface ServiceAnswer {
  body: Record<string, unknown>;
  headers: Headers;
}

/**
 * A Seismic DMS dataset as a store. The service is first asked on the first operation (a factory
 * is synchronous): `open` takes a read lock, `create` and `update` a write lock (registering the
 * dataset when the service has none), and a write through a read-locked store trades its lock for
 * a write lock first (OpenVDS's EnableWriting). `close` releases the lock, with the dataset's
 * object count and size when it was written to; it is what a failed or aborted create ends with
 * too (entryPoints closes the dataset), so no lock outlives its dataset handle.
 */
export class SeismicDmsStore implements Store, ListableStore, DeletableStore {
  readonly description: string;
  private readonly sd: SdPath;
  private session?: Promise<Session>;
  private sessionMode?: LockMode;
  private storage?: StorageEntry;
  /** Every cloud store made (one per credential), closed with this one: requests may still run on older ones. */
  private readonly cloudStores = new Set<CloudStore>();
  private wrote = false;
  private closing?: Promise<void>;
  private sdToken = '';
  private sdTokenRenewAt = 0;
  private sdTokenLoad?: Promise<string>;
  private readonly storageTokens = new Set<string>();

  constructor(private readonly settings: SeismicDmsSettings, private readonly intent: StoreIntent) {
    this.sd = parseSdPath(settings.datasetPath);
    this.description = `sd://${this.sd.tenant}/${this.sd.subproject}/${this.sd.path === '/' ? '' : `${this.sd.path}/`}${this.sd.dataset}`;
    if (settings.token.kind === 'static') {
      this.sdToken = settings.token.token;
      this.sdTokenRenewAt = Infinity;
    }
  }

  get(key: string, options?: ReadOptions): Promise<Uint8Array | undefined> {
    return this.onStorage('read', key, options?.signal, (store) => store.get(key, options));
  }

  getRange(key: string, range: ByteRange, options?: ReadOptions): Promise<Uint8Array | undefined> {
    return this.onStorage('read', key, options?.signal, (store) => store.getRange(key, range, options));
  }

  head(key: string, options?: ReadOptions): Promise<ObjectInfo | undefined> {
    return this.onStorage('read', key, options?.signal, (store) => store.head(key, options));
  }

  set(key: string, data: Uint8Array, options?: WriteOptions): Promise<void> {
    this.wrote = true;
    return this.onStorage('write', key, options?.signal, (store) => store.set(key, data, options));
  }

  delete(key: string, options?: ReadOptions): Promise<void> {
    this.wrote = true;
    return this.onStorage('delete', key, options?.signal, (store) => store.delete(key, options));
  }

  async *list(prefix?: string, options?: ReadOptions): AsyncIterable<string> {
    const storage = await this.currentStorage(await until(this.sessionFor('read'), options?.signal), options?.signal);
    yield* storage.store.list(prefix, options);
  }

  /**
   * Releases the lock (recording the dataset's size after writes) and the cloud stores. A store
   * used again after closing locks again, as others open new connections (a copy opens its source
   * twice through one store).
   */
  close(): Promise<void> {
    if (!this.closing) {
      const closing = this.release().finally(() => { if (this.closing === closing) this.closing = undefined; });
      this.closing = closing;
    }
    return this.closing;
  }

  /**
   * Runs `operation` on the cloud store; when the storage refuses the credential (401/403: it
   * expired early, or was revoked), once more with a fresh one.
   */
  private async onStorage<T>(verb: StoreVerb, key: string, signal: AbortSignal | undefined, operation: (store: CloudStore) => Promise<T>): Promise<T> {
    const session = await until(this.sessionFor(isWriteVerb(verb) ? 'write' : 'read'), signal);
    let storage = await this.currentStorage(session, signal);
    try {
      return await operation(storage.store);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      this.expire(storage);
    }
    storage = await this.currentStorage(session, signal);
    try {
      return await operation(storage.store);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const Failure = isWriteVerb(verb) ? WriteError : StoreError;
      throw new Failure(`Cannot ${verb} ${key} of ${this.description}: the storage refused the credentials Seismic DMS issued, ` +
        `fresh ones too (HTTP ${(error as StoreError).code})`, (error as StoreError).code, { cause: error });
    }
  }

  /** The session for `mode`, locking (or trading a read lock for a write lock) on first need. */
  private sessionFor(mode: LockMode): Promise<Session> {
    if (this.closing) return this.closing.catch(() => undefined).then(() => this.sessionFor(mode));
    const wanted: LockMode = this.intent === 'open' ? mode : 'write';
    if (this.session && (this.sessionMode === 'write' || wanted === 'read')) return this.session;
    const previous = this.session;
    const next = previous ? previous.then(async (held) => { await this.unlock(held); return this.lock('write'); }) : this.lock(wanted);
    this.session = next;
    this.sessionMode = wanted;
    // A failed lock is not kept: the next operation asks again (withRetry retries a busy service).
    next.catch(() => {
      if (this.session !== next) return;
      this.session = undefined;
      this.sessionMode = undefined;
    });
    return next;
  }

  /** The cloud store for `session`, made again once its credential is due for renewal. */
  private currentStorage(session: Session, signal: AbortSignal | undefined): Promise<Storage> {
    let entry = this.storage?.session === session ? this.storage : undefined;
    if (entry?.value && Date.now() >= entry.value.renewAt) entry = undefined;
    if (!entry) {
      const loading: StorageEntry = { session, loaded: this.loadStorage(session) };
      loading.loaded.then((storage) => { loading.value = storage; }, () => { if (this.storage === loading) this.storage = undefined; });
      entry = this.storage = loading;
    }
    return until(entry.loaded, signal);
  }

  /** Stops using a refused storage credential: the next operation asks for a new one (once, however many saw it refused). */
  private expire(storage: Storage): void {
    if (this.storage?.value === storage) this.storage = undefined;
  }

  private async loadStorage(session: Session): Promise<Storage> {
    const { tenant, subproject } = this.sd;
    // A subproject with the `dataset` access policy grants credentials per dataset; others per subproject.
    const sdpath = session.accessPolicy === 'dataset' ? this.description : `sd://${tenant}/${subproject}`;
    const readonly = session.mode === 'read' ? 'true' : 'false';
    const { body } = await this.call('GET', `utility/gcs-access-token?readonly=${readonly}&sdpath=${encodeURIComponent(sdpath)}`,
      `get storage credentials for ${this.description}`);
    const accessToken = body.access_token;
    const expiresIn = Number(body.expires_in);
    if (typeof accessToken !== 'string' || accessToken === '') throw this.badAnswer('gcs-access-token', 'no access_token');
    this.storageTokens.add(accessToken);
    const lifetimeMs = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : UNKNOWN_TOKEN_LIFETIME_MS;
    const store = this.cloudStore(session, accessToken);
    this.cloudStores.add(store);
    return { store, renewAt: Date.now() + lifetimeMs - Math.min(RENEWAL_MARGIN_MS, lifetimeMs / 2) };
  }

  /** The store of the cloud that holds the objects, as OpenVDS's Dms*IoManagerFactory makes it per provider. */
  private cloudStore(session: Session, accessToken: string): CloudStore {
    switch (session.provider) {
      case 'azure': {
        // A container URL with its SAS query; `gcsurl` is `container/prefix`.
        if (!/^https?:\/\/[^?]+\?./.test(accessToken)) throw this.badAnswer('gcs-access-token', 'an Azure access token that is no container SAS URL');
        return AzureStore.fromContainerUrl(accessToken, splitAt(session.gcsurl, '/')[1]);
      }
      case 'aws': case 'anthos': case 'ibm': {
        const [accessKeyId, secretAccessKey, ...rest] = accessToken.split(':');
        const sessionToken = rest.join(':');
        if (!accessKeyId || !secretAccessKey || !sessionToken) throw this.badAnswer('gcs-access-token', 'an AWS access token that is not key:secret:session');
        this.storageTokens.add(secretAccessKey).add(sessionToken);
        const [bucket, prefix] = splitAt(session.gcsurl, '$$');
        // Where OpenVDS finds the S3-compatible endpoints of these providers.
        const endpoint = session.provider === 'anthos' ? process.env.S3_ENDPOINT_OVERRIDE : session.provider === 'ibm' ? process.env.IBM_COS_URL : undefined;
        return new S3Store({ bucket, prefix, accessKeyId, secretAccessKey, sessionToken, endpoint: endpoint || undefined });
      }
      default: {
        const [bucket, prefix] = splitAt(session.gcsurl, '/');
        return new GcsStore({ bucket, prefix, token: accessToken });
      }
    }
  }

  /** Locks the dataset; a write lock on a dataset the service does not have registers it (create, update). */
  private async lock(mode: LockMode): Promise<Session> {
    const { tenant, subproject, dataset, path } = this.sd;
    const resource = `dataset/tenant/${encodeURIComponent(tenant)}/subproject/${encodeURIComponent(subproject)}/dataset/${encodeURIComponent(dataset)}`;
    const lockId = newLockId(mode);
    const lockHeader = { 'x-seismic-dms-lockid': lockId };
    let answer: ServiceAnswer;
    try {
      answer = await this.call('PUT', `${resource}/lock?openmode=${mode}&path=${encodeURIComponent(path)}`, `${mode}-lock ${this.description}`, { headers: lockHeader });
    } catch (error) {
      if (!(error instanceof NotFoundError) || mode === 'read' || this.intent === 'open') throw error;
      const ltag: Record<string, string> = this.settings.legalTag ? { ltag: this.settings.legalTag } : {};
      answer = await this.call('POST', `${resource}?path=${encodeURIComponent(path)}`, `register ${this.description}`, { headers: { ...lockHeader, ...ltag } });
    }
    const provider = answer.headers.get('service-provider');
    if (!provider) throw this.badAnswer('lock', 'no service-provider header');
    const gcsurl = answer.body.gcsurl;
    if (typeof gcsurl !== 'string' || gcsurl === '') throw this.badAnswer('lock', 'no gcsurl (storage location)');
    const accessPolicy = typeof answer.body.access_policy === 'string' ? answer.body.access_policy : 'uniform';
    return { mode, lockId, gcsurl, provider: provider.toLowerCase(), accessPolicy };
  }

  /** Closes the session: PATCH with `close=<lock id>`, with `filemetadata` when given. */
  private async unlock(session: Session, fileMetadata?: { nobjects: number; size: number }): Promise<void> {
    const { tenant, subproject, dataset, path } = this.sd;
    const body = fileMetadata && { filemetadata: { ...fileMetadata, type: 'GENERIC' }, last_modified_date: true };
    await this.call('PATCH', `dataset/tenant/${encodeURIComponent(tenant)}/subproject/${encodeURIComponent(subproject)}/dataset/` +
      `${encodeURIComponent(dataset)}?path=${encodeURIComponent(path)}&close=${session.lockId}`, `unlock ${this.description}`,
    { headers: { 'x-seismic-dms-lockid': session.lockId }, body });
  }

  private async release(): Promise<void> {
    const held = await this.session?.catch(() => undefined);
    try {
      if (held) await this.unlock(held, held.mode === 'write' && this.wrote ? await this.fileMetadata(held) : undefined);
    } finally {
      await this.storage?.loaded.catch(() => undefined);
      const stores: ReadableStore[] = [...this.cloudStores];
      this.cloudStores.clear();
      this.session = this.sessionMode = this.storage = undefined;
      this.wrote = false;
      await Promise.all(stores.map((store) => store.close?.().catch(() => undefined)));
    }
  }

  /**
   * What Seismic DMS records of a written VDS dataset, counted as OpenVDS's
   * VolumeDataStoreIOManager::Close counts it from its layers' metadata status: the layout and the
   * layer status, every chunk-metadata page and valid chunk; the serialized bytes of the chunks.
   * Read from the LayerStatus the dataset layer wrote last, the one record of them every writer
   * (create, page writes, copy) leaves. Undefined when there is none to read (an aborted create):
   * the record then keeps what it had.
   */
  private async fileMetadata(session: Session): Promise<{ nobjects: number; size: number } | undefined> {
    try {
      const bytes = await (await this.currentStorage(session, undefined)).store.get(LAYER_STATUS_KEY);
      if (!bytes) return undefined;
      let nobjects = 2;
      let size = 0;
      for (const { chunkMetadata } of parseLayerStatusJson(new TextDecoder().decode(bytes))) {
        if (!chunkMetadata) continue;
        nobjects += (chunkMetadata.pageDirectory ?? []).filter((page) => page !== -1).length + (chunkMetadata.validChunkCount ?? 0);
        size += chunkMetadata.serializedSize ?? 0;
      }
      return { nobjects, size };
    } catch {
      return undefined;
    }
  }

  /** The current SdToken, renewed from the OAuth endpoint when it is due. */
  private async currentSdToken(): Promise<string> {
    const source = this.settings.token;
    if (source.kind === 'static') {
      const expiry = tokenExpiry(source.token);
      if (expiry !== undefined && expiry <= Date.now()) {
        throw new StoreError(`Cannot use ${this.description}: its SdToken expired at ${new Date(expiry).toISOString()}; give a fresh one`, 401);
      }
      return source.token;
    }
    if (this.sdToken !== '' && Date.now() < this.sdTokenRenewAt) return this.sdToken;
    return (this.sdTokenLoad ??= this.renewSdToken(source).finally(() => { this.sdTokenLoad = undefined; }));
  }

  private async renewSdToken(source: Extract<TokenSource, { kind: 'oauth' }>): Promise<string> {
    const form = new URLSearchParams(source.refreshToken === ''
      ? { grant_type: 'client_credentials', client_id: source.clientId, client_secret: source.clientSecret, ...source.scopes && { scope: source.scopes } }
      : {
        grant_type: 'refresh_token', client_id: source.clientId, ...source.clientSecret && { client_secret: source.clientSecret },
        refresh_token: source.refreshToken, scope: source.scopes || 'openid email',
      });
    const response = await this.send(source.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() },
      `renew the SdToken of ${this.description} at ${redactUrl(source.url)}`);
    const body = await this.json(response, `renew the SdToken of ${this.description}`);
    if (typeof body.access_token !== 'string' || body.access_token === '') throw this.badAnswer('token endpoint', 'no access_token');
    // A rotated refresh token replaces the old one.
    if (typeof body.refresh_token === 'string' && body.refresh_token !== '') source.refreshToken = body.refresh_token;
    const expiry = tokenExpiry(body.access_token) ?? Date.now() + UNKNOWN_TOKEN_LIFETIME_MS;
    this.sdToken = body.access_token;
    this.sdTokenRenewAt = expiry - RENEWAL_MARGIN_MS;
    return this.sdToken;
  }

  /**
   * One service request. A refused token (401/403) is renewed and the request sent once more when
   * the token is renewable; otherwise, and the second time, it is a clear error naming the dataset.
   */
  private async call(method: string, route: string, action: string,
    { headers = {}, body }: { headers?: Record<string, string>; body?: unknown } = {}): Promise<ServiceAnswer> {
    const url = `${this.settings.authorityUrl.replace(/\/+$/, '')}/${route}`;
    for (let attempt = 1; ; attempt++) {
      const token = await this.currentSdToken();
      const response = await this.send(url, {
        method,
        headers: {
          'content-type': 'application/json', accept: 'application/json', appkey: this.settings.apiKey, authorization: `Bearer ${token}`, ...headers,
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      }, action);
      if ((response.status === 401 || response.status === 403) && attempt === 1 && this.settings.token.kind === 'oauth') {
        await response.body?.cancel();
        this.sdTokenRenewAt = 0;
        continue;
      }
      return { body: await this.json(response, action), headers: response.headers };
    }
  }

  private async send(url: string, init: RequestInit, action: string): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(SERVICE_TIMEOUT_MS) });
    } catch (error) {
      // fetch reports a refused or reset connection as a TypeError whose cause has the code withRetry knows.
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const failure = Object.assign(new Error(cause?.message ?? (error as Error).message), { code: cause?.code ?? (error as { name?: string }).name });
      throw storeFailure(failure, 'read', `Seismic DMS (${action})`, this.secrets(), undefined);
    }
  }

  /** The answer's JSON, or the error its status means. */
  private async json(response: Response, action: string): Promise<Record<string, unknown>> {
    const text = await response.text();
    if (!response.ok) throw this.serviceError(response.status, text, action);
    if (text.trim() === '') return {};
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === 'object' && value !== null ? value as Record<string, unknown> : {};
    } catch {
      throw new StoreError(`Cannot ${action}: Seismic DMS answered with no JSON`, -1);
    }
  }

  private serviceError(status: number, text: string, action: string): StoreError {
    const detail = this.clean(text.trim().slice(0, 300));
    const says = detail === '' ? '' : `: ${detail}`;
    switch (status) {
      case 401:
        return new StoreError(`Cannot ${action}: Seismic DMS refused the SdToken (HTTP 401, expired or invalid)${says}`, 401);
      case 403:
        return new StoreError(`Cannot ${action}: Seismic DMS denied it to this token's user (HTTP 403)${says}`, 403);
      case 404:
        return new NotFoundError(`Cannot ${action}: Seismic DMS has no dataset ${this.description} (HTTP 404)${says}`);
      case 423:
        return new StoreError(`Cannot ${action}: the dataset is locked by another session (HTTP 423)${says}`, 423);
      default:
        return new StoreError(`Cannot ${action}: Seismic DMS answered HTTP ${status}${says}`, status);
    }
  }

  private badAnswer(endpoint: string, what: string): StoreError {
    return new StoreError(`Seismic DMS's ${endpoint} answer for ${this.description} has ${what}`, -1);
  }

  /** Every credential this store knows, for scrubbing service answers. */
  private secrets(): string[] {
    const source = this.settings.token;
    const given = source.kind === 'static' ? [source.token] : [source.clientSecret, source.refreshToken];
    return [this.settings.apiKey, this.sdToken, ...given, ...this.storageTokens].filter((s) => s !== '');
  }

  private clean(text: string): string {
    return redactSecrets(scrub(text, this.secrets()));
  }
}

/** A storage failure that says the credential was refused. */
function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return error instanceof StoreError && !(error instanceof NotFoundError) && (code === 401 || code === 403);
}

/** `promise`, or CanceledError as soon as `signal` aborts (the work itself goes on: it is shared). */
function until<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new CanceledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CanceledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** OpenVDS's lock ids: R or W, then 15 hex digits. */
function newLockId(mode: LockMode): string {
  return `${mode === 'read' ? 'R' : 'W'}${randomBytes(8).toString('hex').slice(0, 15)}`;
}

/** `text` split at the first `separator`: what is before it, and what is after it without slashes at its ends ('' without one). */
function splitAt(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + separator.length).replace(/^\/+|\/+$/g, '')];
}

/** A JWT's `exp` in milliseconds, or undefined when the token is no JWT or has none. */
function tokenExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The settings of DMSOpenOptions (the environment's SD_SVC_URL and SD_SVC_API_KEY fill in an empty
 * service URL and key, as in OpenVDS). Refuses what rxvds cannot honour rather than ignoring it.
 */
export function seismicDmsSettings(options: DMSOpenOptions): SeismicDmsSettings {
  const authorityUrl = options.sdAuthorityUrl || process.env.SD_SVC_URL || '';
  if (authorityUrl === '') throw new InvalidArgumentError('A Seismic DMS dataset needs SdAuthorityUrl (the service URL, …/api/seismic-store/v3), or SD_SVC_URL in the environment');
  if (options.datasetPath === '') throw new InvalidArgumentError(`DMSOpenOptions needs a datasetPath (${SD_FORMAT})`);
  if (options.httpProxy !== '') throw new InvalidArgumentError('HttpProxy is not supported for sd:// datasets: rxvds connects directly (Node\'s fetch)');
  if (options.useFileNameForSingleFileDatasets) {
    throw new InvalidArgumentError('UseFileNameForSingleFileDatasets is not supported: rxvds reads sd:// datasets stored as objects, not single .vds files');
  }
  const oauth = options.authTokenUrl !== '' && options.clientId !== '' && (options.refreshToken !== '' || options.clientSecret !== '');
  if (!oauth && options.sdToken === '') {
    throw new InvalidArgumentError('A Seismic DMS dataset needs SdToken, or AuthTokenUrl and ClientId with RefreshToken or ClientSecret to get one');
  }
  return {
    datasetPath: options.datasetPath,
    authorityUrl,
    apiKey: options.sdApiKey || process.env.SD_SVC_API_KEY || '',
    token: oauth
      ? { kind: 'oauth', url: options.authTokenUrl, clientId: options.clientId, clientSecret: options.clientSecret, refreshToken: options.refreshToken, scopes: options.scopes }
      : { kind: 'static', token: options.sdToken },
    legalTag: options.legalTag,
  };
}

/** `sd://` URLs with OpenVDS's connection-string keys. */
export function seismicDmsStore(request: StoreRequest): SeismicDmsStore {
  const values = request.keys('DMS', {
    sdAuthorityUrl: ['sdauthorityurl', 'sd_authority_url'],
    sdApiKey: ['sdapikey', 'sd_api_key'],
    sdToken: ['sdtoken', 'sd_token'],
    authTokenUrl: ['authtokenurl', 'auth_token_url'],
    refreshToken: ['refreshtoken', 'refresh_token'],
    clientId: ['clientid', 'client_id'],
    clientSecret: ['clientsecret', 'client_secret'],
    scopes: ['scopes'],
    useFileNameForSingleFileDatasets: ['usefilenameforsinglefiledatasets', 'use_file_name_for_single_file_datasets', 'use_filename_for_single_file_datasets'],
    legalTag: ['legaltag', 'legal_tag'],
    httpProxy: ['httpproxy', 'http_proxy'],
  });
  const options = new DMSOpenOptions(values.sdAuthorityUrl, values.sdApiKey, values.sdToken, request.url, values.authTokenUrl,
    values.refreshToken, values.clientId, values.clientSecret, values.scopes, isTrue(values.useFileNameForSingleFileDatasets), values.legalTag, values.httpProxy);
  return new SeismicDmsStore(seismicDmsSettings(options), request.intent);
}

/** OpenVDS's isTrue: `true`, `yes`, `on` or `1`, in any case. */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(true|yes|on|1)$/i.test(value.trim());
}
