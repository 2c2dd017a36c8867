// A stand-in OSDU Seismic DMS service on 127.0.0.1, for the sd:// specs: the endpoints of the
// Seismic DMS Service OpenAPI document (seismic-store-service `app/sdms/docs/api/openapi.osdu.yaml`)
// that rxvds's SeismicDmsStore uses — dataset register, get, lock and patch (close), and
// utility/gcs-access-token — plus an OAuth token endpoint. Datasets live in a real Azurite
// container (provider `azure`: a container SAS signed with Azurite's key, read-only when asked
// readonly) or a real S3-compatible bucket (provider `anthos`: `key:secret:session` credentials,
// the endpoint from S3_ENDPOINT_OVERRIDE). It keeps locks as the service does (one writer, or
// readers), records every call, and can be told to misbehave.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ContainerClient, generateBlobSASQueryParameters, ContainerSASPermissions, StorageSharedKeyCredential } from '@azure/storage-blob';
import { AZURITE_ACCOUNT, AZURITE_KEY, type AzuriteServer, type RunningServer } from './servers.js';

export const SERVICE_PATH = '/api/seismic-store/v3';

export interface DatasetRecord {
  name: string;
  tenant: string;
  subproject: string;
  path: string;
  gcsurl: string;
  ltag: string;
  access_policy: string;
  filemetadata?: { nobjects: number; size: number; type: string };
  last_modified_date?: string;
  /** Lock ids: the writer's, or the readers'. */
  writeLock?: string;
  readLocks: Set<string>;
}

export interface ServiceCall {
  method: string;
  /** `lock`, `register`, `patch`, `get`, `gcs-access-token` or `token`. */
  route: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  status: number;
}

export type StorageBackend = { provider: 'azure'; azurite: AzuriteServer } | { provider: 'anthos'; s3: RunningServer };

export interface DmsServiceOptions {
  storage: StorageBackend;
  apiKey: string;
  /** SdTokens accepted as given. */
  staticTokens?: string[];
  /** The OAuth endpoint's client (refresh-token or client-credentials grant); its tokens are JWTs valid for `tokenSeconds`. */
  oauth?: { clientId: string; refreshToken: string; clientSecret: string };
}

export class SeismicDmsService implements RunningServer {
  readonly calls: ServiceCall[] = [];
  readonly datasets = new Map<string, DatasetRecord>();
  /** The next N storage credentials carry a wrong signature (azure). */
  badCredentials = 0;
  /** Storage credentials are read-only whatever is asked (azure). */
  readOnlyCredentials = false;
  /** The next N dataset/utility requests answer 401, as for a revoked token. */
  refuseTokens = 0;
  /** The next N dataset/utility requests answer 503, as a busy service does. */
  busy = 0;
  /** The access policy of datasets registered from now on (`uniform`: credentials per subproject; `dataset`: per dataset). */
  accessPolicy = 'uniform';
  /** How long the OAuth endpoint's tokens are valid. */
  tokenSeconds = 3600;
  /** `expires_in` of storage credentials. */
  credentialSeconds = 3600;
  /** Called with every request as it arrives (before it is answered). */
  onCall?: (call: ServiceCall) => void;
  /** Tokens the OAuth endpoint issued, in order. */
  readonly issued: string[] = [];
  private readonly container = `sdms-${randomUUID().slice(0, 8)}`;

  private constructor(private readonly server: ReturnType<typeof createServer>, readonly origin: string, private readonly options: DmsServiceOptions) {}

  /** `http://127.0.0.1:PORT/api/seismic-store/v3`: the SdAuthorityUrl. */
  get url(): string { return `${this.origin}${SERVICE_PATH}`; }
  get tokenUrl(): string { return `${this.origin}/oauth/token`; }
  get provider(): string { return this.options.storage.provider; }
  /** Where datasets' objects go: the container or the bucket. */
  get storageName(): string { return this.container; }

  static async start(options: DmsServiceOptions): Promise<SeismicDmsService> {
    let service: SeismicDmsService | undefined;
    const server = createServer((req, res) => { void service!.handle(req, res); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    service = new SeismicDmsService(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, options);
    await service.createStorage();
    return service;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => { this.server.closeAllConnections(); this.server.close(() => resolve()); });
  }

  /** The calls to one route. */
  callsTo(route: string): ServiceCall[] {
    return this.calls.filter((call) => call.route === route);
  }

  record(tenant: string, subproject: string, name: string, path = '/'): DatasetRecord | undefined {
    return this.datasets.get(`${tenant}/${subproject}/${path}/${name}`);
  }

  private async createStorage(): Promise<void> {
    const { storage } = this.options;
    if (storage.provider === 'azure') {
      await new ContainerClient(`${storage.azurite.blobEndpoint}/${this.container}`, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY)).create();
    } else {
      const client = new S3Client({ endpoint: storage.s3.url, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'admin', secretAccessKey: 'admin' } });
      await client.send(new CreateBucketCommand({ Bucket: this.container }));
      client.destroy();
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.origin);
    const call: ServiceCall = { method: req.method ?? '', route: '', query: url.searchParams, headers: req.headers, body, status: 0 };
    this.calls.push(call);
    const answer = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      res.writeHead(status, { 'content-type': typeof value === 'string' ? 'text/plain' : 'application/json', ...headers });
      res.end(typeof value === 'string' ? value : JSON.stringify(value));
    };
    if (url.pathname === '/oauth/token') {
      call.route = 'token';
      this.onCall?.(call);
      return this.token(new URLSearchParams(body), answer);
    }
    const route = url.pathname.startsWith(SERVICE_PATH) ? url.pathname.slice(SERVICE_PATH.length) : '';
    const dataset = /^\/dataset\/tenant\/([^/]+)\/subproject\/([^/]+)\/dataset\/([^/]+)(\/lock)?$/.exec(route);
    call.route = dataset ? (dataset[4] ? 'lock' : ({ POST: 'register', GET: 'get', PATCH: 'patch' } as Record<string, string>)[call.method] ?? 'dataset')
      : route === '/utility/gcs-access-token' ? 'gcs-access-token' : 'unknown';
    this.onCall?.(call);
    if (this.busy > 0) {
      this.busy--;
      return answer(503, 'Service Unavailable');
    }
    const refusal = this.authorize(req);
    if (refusal) return answer(401, refusal);
    if (call.route === 'gcs-access-token') return this.accessToken(url.searchParams, answer);
    if (!dataset) return answer(404, 'no such route');
    const [tenant, subproject, name] = dataset.slice(1, 4).map(decodeURIComponent) as [string, string, string];
    const key = `${tenant}/${subproject}/${url.searchParams.get('path') ?? '/'}/${name}`;
    const lockId = String(req.headers['x-seismic-dms-lockid'] ?? '');
    const record = this.datasets.get(key);
    const withProvider = { 'service-provider': this.options.storage.provider };
    switch (call.route) {
      case 'register': {
        if (record) return answer(409, `The dataset ${key} already exists`);
        const prefix = `${tenant}/${subproject}/${randomUUID()}`;
        const gcsurl = this.options.storage.provider === 'azure' ? `${this.container}/${prefix}` : `${this.container}$$${prefix}`;
        const created: DatasetRecord = {
          name, tenant, subproject, path: url.searchParams.get('path') ?? '/', gcsurl, ltag: String(req.headers.ltag ?? ''),
          access_policy: this.accessPolicy, writeLock: lockId, readLocks: new Set(),
        };
        this.datasets.set(key, created);
        return answer(200, view(created), withProvider);
      }
      case 'lock': {
        if (!record) return answer(404, `The dataset ${key} does not exist`);
        const mode = url.searchParams.get('openmode') ?? 'read';
        if (record.writeLock) return answer(423, `The dataset ${key} is write locked [RCODE:WL3600]`);
        if (mode === 'write' && record.readLocks.size > 0) return answer(423, `The dataset ${key} is read locked [RCODE:RL3600]`);
        if (mode === 'write') record.writeLock = lockId;
        else record.readLocks.add(lockId);
        return answer(200, view(record), withProvider);
      }
      case 'patch': {
        if (!record) return answer(404, `The dataset ${key} does not exist`);
        const close = url.searchParams.get('close');
        if (close !== null) {
          if (record.writeLock === close) record.writeLock = undefined;
          else if (!record.readLocks.delete(close)) return answer(423, `The dataset ${key} cannot be unlocked [RCODE:UL]`);
        }
        if (body !== '') {
          const patch = JSON.parse(body) as { filemetadata?: DatasetRecord['filemetadata']; last_modified_date?: boolean };
          if (patch.filemetadata) record.filemetadata = patch.filemetadata;
          if (patch.last_modified_date) record.last_modified_date = new Date().toISOString();
        }
        return answer(200, view(record), withProvider);
      }
      case 'get':
        return record ? answer(200, view(record), withProvider) : answer(404, `The dataset ${key} does not exist`);
      default:
        return answer(405, 'method not allowed');
    }
  }

  /** Why a request is refused (echoing the token, as careless services do, to test that rxvds scrubs it), or undefined. */
  private authorize(req: IncomingMessage): string | undefined {
    const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
    if (req.headers.appkey !== this.options.apiKey) return `Unauthorized: appkey ${String(req.headers.appkey)} is not valid`;
    if (this.refuseTokens > 0) {
      this.refuseTokens--;
      return `Unauthorized: token ${token} was revoked`;
    }
    if (this.options.staticTokens?.includes(token)) return undefined;
    const index = this.issued.indexOf(token);
    if (index < 0) return `Unauthorized: token ${token} is not valid`;
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number };
    return exp * 1000 <= Date.now() ? `Unauthorized: token ${token} expired` : undefined;
  }

  private token(form: URLSearchParams, answer: (status: number, value: unknown) => void): void {
    const oauth = this.options.oauth;
    const granted = form.get('grant_type') === 'refresh_token' ? form.get('refresh_token') === oauth?.refreshToken
      : form.get('grant_type') === 'client_credentials' && form.get('client_secret') === oauth?.clientSecret;
    if (!oauth || form.get('client_id') !== oauth.clientId || !granted) {
      return answer(400, { error: 'invalid_grant' });
    }
    const exp = Math.floor(Date.now() / 1000) + this.tokenSeconds;
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${part({ alg: 'none' })}.${part({ exp, n: this.issued.length })}.signature${this.issued.length}`;
    this.issued.push(token);
    answer(200, { access_token: token, token_type: 'Bearer', expires_in: this.tokenSeconds });
  }

  private accessToken(query: URLSearchParams, answer: (status: number, value: unknown) => void): void {
    const sdpath = query.get('sdpath') ?? '';
    // A subproject, or a dataset of the `dataset` access policy.
    const perDataset = [...this.datasets.values()].some((d) => d.access_policy === 'dataset' &&
      sdpath === `sd://${d.tenant}/${d.subproject}/${d.path === '/' ? '' : `${d.path}/`}${d.name}`);
    if (!perDataset && !/^sd:\/\/[^/]+\/[^/]+$/.test(sdpath)) return answer(400, `sdpath ${sdpath} is neither a subproject nor a dataset with the dataset access policy`);
    const readonly = query.get('readonly') !== 'false' || this.readOnlyCredentials;
    const expiresIn = this.credentialSeconds;
    const { storage } = this.options;
    if (storage.provider === 'anthos') return answer(200, { access_token: 'dmskey:dmssecret:dmssession', expires_in: expiresIn, token_type: 'Bearer' });
    const sas = generateBlobSASQueryParameters({
      containerName: this.container,
      permissions: ContainerSASPermissions.parse(readonly ? 'rl' : 'racwdl'),
      expiresOn: new Date(Date.now() + 3_600_000),
    }, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY)).toString();
    const signed = this.badCredentials > 0 ? sas.replace(/sig=[^&]+/, 'sig=Zm9yZ2VkLXNpZ25hdHVyZQ%3D%3D') : sas;
    if (this.badCredentials > 0) this.badCredentials--;
    answer(200, { access_token: `${storage.azurite.blobEndpoint}/${this.container}?${signed}`, expires_in: expiresIn, token_type: 'Bearer' });
  }
}

/** The record as the service shows it (without its lock bookkeeping). */
function view(record: DatasetRecord): Record<string, unknown> {
  const { writeLock: _w, readLocks: _r, ...shown } = record;
  return { ...shown, sbit: record.writeLock ?? null };
}
