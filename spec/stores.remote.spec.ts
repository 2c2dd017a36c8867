import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ContainerClient, ContainerSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential } from '@azure/storage-blob';
import { expect } from 'chai';
import { AzureStore } from '../sources/stores/azureStore.js';
import { FolderStore } from '../sources/stores/folderStore.js';
import { GcsStore } from '../sources/stores/gcsStore.js';
import { HttpStore } from '../sources/stores/httpStore.js';
import { MemoryStore } from '../sources/stores/memoryStore.js';
import { chunkMetadataFrom } from '../sources/stores/metadataHeaders.js';
import { openStore } from '../sources/stores/openStore.js';
import { S3Store } from '../sources/stores/s3Store.js';
import type { ReadableStore, Store } from '../sources/stores/store.js';
import { withRetry } from '../sources/stores/withRetry.js';
import { CanceledError, InvalidArgumentError, InvalidOperationError, StoreError } from '../src/model/errors.js';
import * as vds from '../src/index.js';
import {
  AZURITE_ACCOUNT, AZURITE_KEY, FaultProxy, startAzurite, startS3Server, startStaticServer, type AzuriteServer, type RunningServer,
} from './support/servers.js';
import { rejection } from './support/rejection.js';
import { fullStore } from './support/fullStore.js';
import { collect, storeConformance } from './support/storeConformance.js';
import { sha256 } from './support/testdata.js';

const BUCKET = 'rxvds-spec';
const CONTAINER = 'rxvds-spec';
const S3_KEY_ID = 'AKIDRXVDSSPEC';
const S3_SECRET = 'S3-secret-never-printed';
const HTTP_TOKEN = 'http-token-never-printed';
const PAGE = 7;

describe('remote stores', function () {
  this.timeout(30_000);
  let s3: RunningServer;
  let azurite: AzuriteServer;
  let s3Proxy: FaultProxy;
  let azureProxy: FaultProxy;
  let httpRoot: string;
  let http: RunningServer;
  let httpProxy: FaultProxy;
  let sas: string;
  let datasets = 0;
  /** The current test's dataset prefix, fresh for every test. */
  let prefix = '';
  const opened: ReadableStore[] = [];
  const track = <T extends ReadableStore>(store: T): T => { opened.push(store); return store; };

  before(async () => {
    [s3, azurite] = await Promise.all([startS3Server(), startAzurite()]);
    const admin = new S3Client({ region: 'us-east-1', endpoint: s3.url, forcePathStyle: true, credentials: { accessKeyId: S3_KEY_ID, secretAccessKey: S3_SECRET } });
    await admin.send(new CreateBucketCommand({ Bucket: BUCKET }));
    admin.destroy();
    await new ContainerClient(azurite.connectionString(), CONTAINER).create();
    sas = generateBlobSASQueryParameters({
      containerName: CONTAINER, permissions: ContainerSASPermissions.parse('racwdl'), expiresOn: new Date(Date.now() + 3_600_000),
    }, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY)).toString();
    httpRoot = await mkdtemp(join(tmpdir(), 'rxvds-http-'));
    http = await startStaticServer(new FolderStore(httpRoot), { basePath: '/data', requiredQuery: `sig=${HTTP_TOKEN}` });
    [s3Proxy, azureProxy, httpProxy] = await Promise.all([FaultProxy.start(s3.url), FaultProxy.start(azurite.url), FaultProxy.start(http.url)]);
  });

  beforeEach(() => { prefix = `dataset-${++datasets}`; });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close?.()));
    for (const proxy of [s3Proxy, azureProxy, httpProxy]) proxy.clear();
  });

  after(async () => {
    await Promise.all([s3Proxy, azureProxy, httpProxy, http].map((server) => server?.stop()));
    await Promise.all([s3?.stop(), azurite?.stop()]);
    if (httpRoot) await rm(httpRoot, { recursive: true, force: true });
  });

  const s3Store = (endpoint: string, listPageSize?: number) => track(new S3Store({
    bucket: BUCKET, prefix, endpoint, accessKeyId: S3_KEY_ID, secretAccessKey: S3_SECRET, region: 'us-east-1', listPageSize,
  }));
  const s3Connection = (endpoint: string) => `Region=us-east-1;EndpointOverride=${endpoint};AccessKeyId=${S3_KEY_ID};SecretKey=${S3_SECRET}`;
  const azureStore = (blobEndpoint: string, listPageSize?: number) =>
    track(AzureStore.fromConnectionString(azurite.connectionString(blobEndpoint), CONTAINER, prefix, { listPageSize }));
  const httpUrl = (server: string) => `${server}/data/${prefix}?sig=${HTTP_TOKEN}`;
  const fixture = (store: ReadableStore, writer?: Store) => ({ store, writer, cleanup: async () => undefined });
  /** Every request for the current dataset answers `status`. */
  const failAll = (proxy: FaultProxy, status: number) => proxy.inject({ path: new RegExp(`/${prefix}/`), fault: { status } });

  describe('conformance', () => {
    storeConformance('S3 (fauxqs)', async () => fixture(s3Store(s3.url, PAGE)), {
      metadata: true, listPageSize: PAGE, secrets: [S3_SECRET],
      failing: (_, status) => { failAll(s3Proxy, status); return s3Store(s3Proxy.url); },
    });

    storeConformance('s3:// from openStore', async () => fixture(track(openStore(`s3://${BUCKET}/${prefix}`, s3Connection(s3.url)).store)), {
      metadata: true, secrets: [S3_SECRET],
      failing: (_, status) => { failAll(s3Proxy, status); return track(openStore(`s3://${BUCKET}/${prefix}`, s3Connection(s3Proxy.url)).store); },
    });

    storeConformance('gs:// (HMAC, S3 XML API on fauxqs)', async () => fixture(track(new GcsStore({
      bucket: BUCKET, prefix, accessKeyId: S3_KEY_ID, secretAccessKey: S3_SECRET, endpoint: s3.url, listPageSize: PAGE,
    }))), { metadata: true, listPageSize: PAGE });

    storeConformance('Azure (Azurite)', async () => fixture(azureStore(azurite.blobEndpoint, PAGE)), {
      metadata: true, listPageSize: PAGE, secrets: [AZURITE_KEY],
      failing: (_, status) => { failAll(azureProxy, status); return azureStore(`${azureProxy.url}/${AZURITE_ACCOUNT}`); },
    });

    storeConformance('az:// from openStore', async () => fixture(track(openStore(`az://${CONTAINER}/${prefix}`, azurite.connectionString()).store)), {
      metadata: true, secrets: [AZURITE_KEY],
    });

    storeConformance('Azure with a SAS container URL', async () =>
      fixture(track(AzureStore.fromContainerUrl(`${azurite.blobEndpoint}/${CONTAINER}?${sas}`, prefix, { listPageSize: PAGE }))), {
      metadata: true, listPageSize: PAGE, secrets: [new URLSearchParams(sas).get('sig')!],
      failing: (_, status) => {
        failAll(azureProxy, status);
        return track(AzureStore.fromContainerUrl(`${azureProxy.url}/${AZURITE_ACCOUNT}/${CONTAINER}?${sas}`, prefix));
      },
    });

    storeConformance('HTTP (static server over a folder)', async () =>
      fixture(track(new HttpStore(httpUrl(http.url))), new FolderStore(join(httpRoot, prefix))), {
      readOnly: true, secrets: [HTTP_TOKEN],
      failing: (_, status) => { failAll(httpProxy, status); return track(new HttpStore(httpUrl(httpProxy.url))); },
    });

    storeConformance('https?:// from openStore', async () =>
      fixture(track(openStore(httpUrl(http.url)).store), new FolderStore(join(httpRoot, prefix))), { readOnly: true, secrets: [HTTP_TOKEN] });
  });

  describe('headers and ranges', () => {
    it('accepts any header name ending with vdschunkmetadata, and the legacy VDS-Chunk-Metadata', () => {
      expect(chunkMetadataFrom({ 'x-goog-meta-vdschunkmetadata': 'AQ==' })).to.deep.equal({ vdschunkmetadata: 'AQ==' });
      expect(chunkMetadataFrom({ 'x-amz-meta-VDSChunkMetadata': 'Ag==' })).to.deep.equal({ vdschunkmetadata: 'Ag==' });
      expect(chunkMetadataFrom({ 'VDS-Chunk-Metadata': 'Aw==' })).to.deep.equal({ vdschunkmetadata: 'Aw==' });
      expect(chunkMetadataFrom({ 'x-amz-meta-other': 'BA==', 'content-length': '3' })).to.equal(undefined);
    });

    it('reads the record over HTTP from an x-goog-meta- header', async () => {
      const memory = new MemoryStore(`http-metadata-${prefix}`);
      const server = await startStaticServer(memory, { metadataHeaderPrefix: 'x-goog-meta-' });
      const store = track(new HttpStore(server.url));
      try {
        await memory.set('Dimensions_012LOD0/0', new Uint8Array(5), { metadata: { vdschunkmetadata: 'AAECAwQFBgc=' } });
        expect(await store.head('Dimensions_012LOD0/0')).to.deep.equal({ size: 5, metadata: { vdschunkmetadata: 'AAECAwQFBgc=' } });
      } finally {
        await store.close();
        await server.stop();
        MemoryStore.drop(`http-metadata-${prefix}`);
      }
    });

    it('cuts ranges out of whole answers from HTTP servers without range support', async () => {
      const memory = new MemoryStore(`http-ranges-${prefix}`);
      const server = await startStaticServer(memory, { ignoreRanges: true });
      const store = track(new HttpStore(`${server.url}/`));
      try {
        await memory.set('Dimensions_012LOD0/1', new Uint8Array([1, 2, 3, 4, 5]));
        expect([...(await store.getRange('Dimensions_012LOD0/1', { offset: 1, length: 3 }))!]).to.deep.equal([2, 3, 4]);
        expect([...(await store.getRange('Dimensions_012LOD0/1', { offset: 3 }))!]).to.deep.equal([4, 5]);
      } finally {
        await store.close();
        await server.stop();
        MemoryStore.drop(`http-ranges-${prefix}`);
      }
    });

    it('uploads chunks with x-amz-meta-vdschunkmetadata, Content-Type and Content-Disposition as OpenVDS does', async () => {
      const store = s3Store(s3Proxy.url);
      await store.set('Dimensions_012LOD0/3', new Uint8Array(2), { metadata: { vdschunkmetadata: 'AAAAAAAAAAA=' } });
      await store.set('VolumeDataLayout', new Uint8Array(2));
      const [chunk, layout] = s3Proxy.requests.map((r) => r.headers);
      expect(chunk!['x-amz-meta-vdschunkmetadata']).to.equal('AAAAAAAAAAA=');
      expect(chunk!['content-type']).to.equal('application/octet-stream');
      expect(chunk!['content-disposition']).to.equal('attachment; filename="Dimensions_012LOD0_3"');
      expect(layout!['content-type']).to.equal('application/json');
      expect(s3Proxy.requests.map((r) => r.url.split('?')[0])).to.deep.equal([
        `/${BUCKET}/${prefix}/Dimensions_012LOD0/3`, `/${BUCKET}/${prefix}/VolumeDataLayout`,
      ]);
    });
  });

  describe('gs:// requests', () => {
    it('HMAC keys sign like AWS keys, without the SDK checksum headers Cloud Storage does not know', async () => {
      const store = track(new GcsStore({ bucket: BUCKET, prefix, accessKeyId: S3_KEY_ID, secretAccessKey: S3_SECRET, endpoint: s3Proxy.url }));
      expect(store.description).to.equal(`gs://${BUCKET}/${prefix} at ${s3Proxy.url}`);
      await store.set('a', new Uint8Array([7]));
      const headers = s3Proxy.requests[0]!.headers;
      expect(headers.authorization).to.match(new RegExp(`^AWS4-HMAC-SHA256 Credential=${S3_KEY_ID}/`));
      expect(Object.keys(headers).filter((name) => name.startsWith('x-amz-checksum'))).to.deep.equal([]);
    });

    it('an OAuth Token is sent as a bearer token, with user metadata as x-goog-meta-*', async () => {
      const store = track(new GcsStore({ bucket: BUCKET, prefix, token: 'ya29.spec-token', endpoint: s3Proxy.url }));
      await store.set('Dimensions_012LOD0/0', new Uint8Array([1, 2]), { metadata: { vdschunkmetadata: 'AQI=' } });
      expect([...(await store.get('Dimensions_012LOD0/0'))!]).to.deep.equal([1, 2]);
      const headers = s3Proxy.requests[0]!.headers;
      expect(headers.authorization).to.equal('Bearer ya29.spec-token');
      expect(headers['x-goog-meta-vdschunkmetadata']).to.equal('AQI=');
      expect(Object.keys(headers).filter((name) => name.startsWith('x-amz-'))).to.deep.equal([]);
    });
  });

  describe('faults, through withRetry', () => {
    const retrying = <S extends ReadableStore>(store: S) => withRetry(store, { maxAttempts: 3, baseDelayMs: 1, attemptTimeoutMs: 400 });
    const payload = randomBytes(1 << 20);
    const backends = [
      { name: 'S3', proxy: () => s3Proxy, direct: () => s3Store(s3.url), proxied: () => s3Store(s3Proxy.url, 3) },
      { name: 'Azure', proxy: () => azureProxy, direct: () => azureStore(azurite.blobEndpoint), proxied: () => azureStore(`${azureProxy.url}/${AZURITE_ACCOUNT}`, 3) },
      { name: 'HTTP', proxy: () => httpProxy, direct: () => new FolderStore(join(httpRoot, prefix)), proxied: () => track(new HttpStore(httpUrl(httpProxy.url))) },
    ];

    for (const backend of backends) {
      describe(backend.name, () => {
        const chunk = 'Dimensions_012LOD0/5';
        beforeEach(() => backend.direct().set(chunk, payload));
        const gets = () => backend.proxy().requests.filter((r) => r.method === 'GET').length;

        it('retries 503s and returns the right bytes', async () => {
          backend.proxy().inject({ method: 'GET', times: 2, fault: { status: 503 } });
          expect(sha256((await retrying(backend.proxied()).get(chunk))!)).to.equal(sha256(payload));
          expect(gets()).to.equal(3);
        });

        it('retries a connection reset in the middle of the body: whole data or nothing', async () => {
          backend.proxy().inject({ method: 'GET', times: 1, fault: { reset: 'mid-body' } });
          const store = backend.proxied();
          const error = await rejection(store.get(chunk));
          expect(error).to.be.instanceOf(StoreError);
          expect((error as StoreError).code).to.equal(-1);
          backend.proxy().inject({ method: 'GET', times: 1, fault: { reset: 'mid-body' } });
          expect(sha256((await retrying(store).get(chunk))!)).to.equal(sha256(payload));
          const range = (await retrying(store).getRange!(chunk, { offset: 1000, length: 5000 }))!;
          expect(sha256(range)).to.equal(sha256(payload.subarray(1000, 6000)));
        });

        it('retries a connection reset before the response', async () => {
          backend.proxy().inject({ method: 'HEAD', times: 1, fault: { reset: 'before-response' } });
          expect((await retrying(backend.proxied()).head!(chunk))!.size).to.equal(payload.length);
        });

        it('gives up with the HTTP status, the key and the attempt count', async () => {
          backend.proxy().inject({ fault: { status: 503 } });
          const error = await rejection(retrying(backend.proxied()).get(chunk));
          expect(error).to.be.instanceOf(StoreError);
          expect((error as StoreError).code).to.equal(503);
          expect(error.message).to.match(new RegExp(`^Cannot read ${chunk} in .*${prefix}.*HTTP 503.*\\(gave up after 3 attempts\\)$`));
          for (const secret of [S3_SECRET, AZURITE_KEY, HTTP_TOKEN]) expect(error.message).not.to.contain(secret);
          expect(gets()).to.equal(3);
        });

        it('does not retry what is not transient: 404 is undefined, 403 an error at once', async () => {
          const store = retrying(backend.proxied());
          expect(await store.get('Dimensions_012LOD0/404')).to.equal(undefined);
          backend.proxy().inject({ fault: { status: 403 } });
          expect(((await rejection(store.get(chunk))) as StoreError).code).to.equal(403);
          expect(gets()).to.equal(2);
        });

        it('aborts a stalled attempt after attemptTimeoutMs and retries it', async () => {
          backend.proxy().inject({ method: 'GET', times: 1, fault: { delayMs: 5000 } });
          const started = Date.now();
          expect(sha256((await retrying(backend.proxied()).get(chunk))!)).to.equal(sha256(payload));
          expect(Date.now() - started).to.be.below(2500);
          backend.proxy().inject({ method: 'GET', fault: { delayMs: 5000 } });
          const error = await rejection(retrying(backend.proxied()).get(chunk));
          expect(error.message).to.match(new RegExp(`^Cannot read ${chunk} in .*: no answer within 400 ms \\(gave up after 3 attempts\\)$`));
        });

        it('cancels an HTTP call in flight: CanceledError at once, and its connection is closed', async () => {
          backend.proxy().inject({ method: 'GET', fault: { delayMs: 10_000 } });
          const store = retrying(backend.proxied());
          const controller = new AbortController();
          const pending = rejection(store.get(chunk, { signal: controller.signal }));
          await until(() => backend.proxy().requests.length === 1);
          const started = Date.now();
          controller.abort();
          expect(await pending).to.be.instanceOf(CanceledError);
          expect(Date.now() - started).to.be.below(200);
          await until(() => backend.proxy().activeRequests === 0);
        });

        if (backend.name !== 'HTTP') {
          it('retries a failed upload, and a failed listing page without repeating keys', async () => {
            backend.proxy().inject({ method: 'PUT', times: 1, fault: { status: 500 } });
            const store = fullStore(retrying(backend.proxied()));
            await store.set('LayerStatus', new Uint8Array([91, 93]));
            expect([...(await backend.direct().get('LayerStatus'))!]).to.deep.equal([91, 93]);
            // Keys of one letter case: fauxqs sorts pages by localeCompare but resumes in byte order.
            const more = ['Dimensions_012LOD1/0', 'Dimensions_012LOD1/1', 'Dimensions_012LOD1/2', 'Dimensions_012LOD1/3'];
            await Promise.all(more.map((key) => backend.direct().set(key, new Uint8Array(1))));
            for (const fault of [{ status: 503 }, { reset: 'before-response' as const }]) {
              backend.proxy().inject({ method: 'GET', path: /continuation-token=|marker=/, times: 1, fault });
              expect(await collect(store.list())).to.deep.equal([chunk, ...more, 'LayerStatus']);
            }
            expect(backend.proxy().requests.filter((r) => r.fault).map((r) => r.method)).to.deep.equal(['PUT', 'GET', 'GET']);
          });
        }
      });
    }
  });

  describe('datasets', () => {
    /** Creates a 100×80×70 Zip dataset with every chunk filled with its index. */
    async function write(url: string, connection: string): Promise<void> {
      const layoutDescriptor = new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_64, 0, 0, 4,
        vds.LODLevels.LODLevels_1, vds.LayoutOptions.Options_None);
      const axes = [
        new vds.VolumeDataAxisDescriptor(100, 'Sample', 'ms', 0, 396),
        new vds.VolumeDataAxisDescriptor(80, 'Crossline', 'unitless', 1, 80),
        new vds.VolumeDataAxisDescriptor(70, 'Inline', 'unitless', 1, 70),
      ];
      const channels = [new vds.VolumeDataChannelDescriptor(vds.VolumeDataFormat.Format_R32, vds.VolumeDataComponents.Components_1, 'Amplitude', '', -1, 1)];
      const created = await vds.create(url, connection, layoutDescriptor, axes, channels, new vds.MetadataContainer(), vds.CompressionMethod.Zip);
      const accessor = vds.getAccessManager(created).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 16, vds.AccessMode.AccessMode_Create);
      for (let chunk = 0; chunk < accessor.getChunkCount(); chunk++) {
        const page = accessor.createPage(chunk);
        (page.getWritableBuffer() as Float32Array).fill(chunk);
        await page.release();
      }
      await accessor.commit();
      await vds.close(created);
    }

    async function read(url: string, connection: string): Promise<{ sum: number; hash: bigint }> {
      const dataset = await vds.open(url, connection);
      try {
        const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], [100, 80, 70]);
        expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
        return { sum: (request.data as Float32Array).reduce((a, b) => a + b, 0), hash: vds.getLayout(dataset).getContentsHash() };
      } finally {
        await vds.close(dataset);
      }
    }

    it('a dataset written to s3:// and az:// (or a folder served over http://) reads back like one in memory', async () => {
      const roundTrip = async (url: string, connection = '') => { await write(url, connection); return read(url, connection); };
      const expected = await roundTrip(`inmemory://remote-spec-${prefix}`);
      MemoryStore.drop(`remote-spec-${prefix}`);
      expect(await roundTrip(`s3://${BUCKET}/${prefix}`, s3Connection(s3.url))).to.deep.equal(expected);
      expect(await roundTrip(`az://${CONTAINER}/${prefix}`, azurite.connectionString())).to.deep.equal(expected);
      await write(join(httpRoot, prefix), '');
      expect(await read(httpUrl(http.url), '')).to.deep.equal(expected);
      const chunkHead = await s3Store(s3.url).head('Dimensions_012LOD0/0');
      expect(Buffer.from(chunkHead!.metadata!.vdschunkmetadata!, 'base64').length).to.equal(8);
    });
  });

  describe('openStore URLs and connection strings', () => {
    const open = (url: string, connection = '') => track(openStore(url, connection).store);

    it('s3://bucket/prefix takes the OpenVDS S3 keys and refuses others', () => {
      expect(open(`s3://${BUCKET}/a/b`, s3Connection('http://127.0.0.1:9'))).to.include({ description: `s3://${BUCKET}/a/b at http://127.0.0.1:9` });
      expect(open(`s3://${BUCKET}`, 'Region=eu-north-1;ConnectionTimeoutMs=500;RequestTimeoutMs=1000;WaveletAdaptiveTolerance=2').description).to.equal(`s3://${BUCKET}`);
      expect(() => open('s3://', s3Connection('http://x'))).to.throw(InvalidArgumentError, 'S3 url is missing bucket');
      expect(() => open('s3://b/p', 'Colour=blue')).to.throw(InvalidArgumentError, 'Invalid key "colour" in S3 connection string.');
      expect(() => open('s3://b/p', 'AccessKeyId=x')).to.throw(InvalidArgumentError, /both AccessKeyId and SecretKey/);
      expect(() => open('s3://b/p', 'RequestTimeoutMs=soon')).to.throw(InvalidArgumentError, /requestTimeoutMs/);
    });

    it('azure:// and az:// take an Azure connection string, or AccountName with BearerToken or SasToken', () => {
      expect(open(`azure://${CONTAINER}/a/b`, azurite.connectionString()).description).to.equal(`${azurite.blobEndpoint}/${CONTAINER}/a/b`);
      expect(open('az://survey/x', 'AccountName=acct;BearerToken=eyJ0b2tlbg').description).to.equal('https://acct.blob.core.windows.net/survey/x');
      const sasStore = open('az://survey/x', 'AccountName=acct;SasToken=?sv=2024&sig=SeCrEtSiG');
      expect(sasStore.description).to.equal('https://acct.blob.core.windows.net/survey/x');
      expect(() => open('az://c/p', 'BearerToken=t')).to.throw(InvalidArgumentError, /needs AccountName/);
      expect(() => open('az://c/p', 'BearerToken=t;AccountName=a;Region=x')).to.throw(InvalidArgumentError, 'Invalid key "region" in Azure connection string.');
      expect(() => open('az://c/p')).to.throw(InvalidArgumentError, /needs a connection string/);
      expect(() => open('az:///p', azurite.connectionString())).to.throw(InvalidArgumentError, 'Azure url is missing container');
      const error = (() => { try { open('az://c/p', 'AccountName=a;AccountKey=NotAKey=='); } catch (e) { return e as Error; } return undefined; })();
      expect(error).to.be.instanceOf(InvalidArgumentError);
      expect(error!.message).to.match(/^Invalid Azure connection string/).and.not.contain('NotAKey');
    });

    it('azuresas://host/path appends Suffix to every URL and keeps it out of the description', () => {
      expect(open('azuresas://acct.blob.core.windows.net/survey/a/b', 'Suffix=?sv=2024&sig=SeCrEt').description)
        .to.equal('https://acct.blob.core.windows.net/survey/a/b');
      expect(open('azuresas://127.0.0.1:10000/devstoreaccount1/survey/a', 'suffix=sv=1&sig=x').description)
        .to.equal('https://127.0.0.1:10000/devstoreaccount1/survey/a');
      expect(() => open('azuresas://acct.blob.core.windows.net/', 'Suffix=?x=1')).to.throw(InvalidArgumentError, /needs a container/);
      expect(() => open('azuresas://h/c', 'Token=x')).to.throw(InvalidArgumentError, 'Invalid key "token" in AzureSAS connection string.');
    });

    it('gs://bucket/prefix takes an HMAC key or a Token, and names what it cannot do', () => {
      expect(open('gs://bkt/survey', 'AccessKeyId=GOOG1E;SecretKey=s').description).to.equal('gs://bkt/survey at https://storage.googleapis.com');
      expect(open('gs://bkt', 'Token=ya29.x').description).to.equal('gs://bkt at https://storage.googleapis.com');
      expect(() => open('gs://bkt/p', 'SignedUrl=true')).to.throw(InvalidArgumentError, /"signedurl" is not supported for gs:\/\/ datasets/);
      expect(() => open('gs://', 'Token=x')).to.throw(InvalidArgumentError, 'GS url is missing bucket');
      expect(() => open('gs://b', 'Region=x')).to.throw(InvalidArgumentError, 'Invalid key "region" in GS connection string.');
    });

    it('http(s):// datasets are read-only (no set, delete or list), and the query string stays out of the description', () => {
      const store = open('https://example.invalid/surveys/one/?X-Sig=abc');
      expect(store.description).to.equal('https://example.invalid/surveys/one');
      expect(['set', 'delete', 'list'].filter((member) => member in store)).to.deep.equal([]);
      expect(typeof store.getRange).to.equal('function');
      for (const intent of ['create', 'update'] as const) {
        expect(() => openStore('https://example.invalid/surveys/one/?X-Sig=abc', '', intent)).to.throw(InvalidOperationError,
          `Cannot ${intent} a dataset in https://example.invalid/surveys/one: the store is read-only`);
      }
    });
  });
});

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
