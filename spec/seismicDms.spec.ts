// sd:// datasets (OSDU Seismic DMS), against a stand-in service (spec/support/seismicDmsService.ts)
// in front of the real Azurite and S3-compatible servers: datasets written and read back value for
// value, the locks taken and released (also when a write fails or is aborted), the dataset's size
// recorded on close, token renewal and the single retry, the CLI, and errors that name the dataset
// and never a credential.
import { expect } from 'chai';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vds from '../src/index.js';
import { CanceledError, InvalidArgumentError, WriteError } from '../src/model/errors.js';
import { AzureStore } from '../sources/stores/azureStore.js';
import { openStore } from '../sources/stores/openStore.js';
import type { DeletableStore, ListableStore } from '../sources/stores/store.js';
import { S3Store } from '../sources/stores/s3Store.js';
import { buildCli, rxvds } from './support/cli.js';
import { rejection } from './support/rejection.js';
import { type DatasetRecord, SeismicDmsService } from './support/seismicDmsService.js';
import { type AzuriteServer, type RunningServer, startAzurite, startS3Server } from './support/servers.js';
import { useTempFolder } from './support/tempFolder.js';

const API_KEY = 'dms-appkey-51c9e7';
const STATIC_TOKEN = 'sdtoken-static-8d41f0c2';
const CLIENT_ID = 'rxvds-spec';
const REFRESH_TOKEN = 'refresh-token-6b3e22a9';
const CLIENT_SECRET = 'client-secret-93ad10f4';
const SIZE = [40, 36, 20] as const;
/** Every voxel's value: a function of its position, exact in float32. */
const valueAt = (x: number, y: number, z: number) => x + 100 * y + 10_000 * z;
/** The page accessor's chunks of a 40×36×20 volume in 32-sample bricks. */
const CHUNKS = 4;

describe('sd:// (OSDU Seismic DMS)', function () {
  this.timeout(60_000);
  const inFolder = useTempFolder('dms');
  let azurite: AzuriteServer;
  let s3: RunningServer;
  let azure: SeismicDmsService;
  let anthos: SeismicDmsService;
  let previousEndpoint: string | undefined;
  /** Every error message and CLI output of this spec, checked for secrets at the end. */
  const printed: string[] = [];
  let datasetCount = 0;

  before(async () => {
    [azurite, s3] = await Promise.all([startAzurite(), startS3Server()]);
    const oauth = { clientId: CLIENT_ID, refreshToken: REFRESH_TOKEN, clientSecret: CLIENT_SECRET };
    [azure, anthos] = await Promise.all([
      SeismicDmsService.start({ storage: { provider: 'azure', azurite }, apiKey: API_KEY, staticTokens: [STATIC_TOKEN], oauth }),
      SeismicDmsService.start({ storage: { provider: 'anthos', s3 }, apiKey: API_KEY, staticTokens: [STATIC_TOKEN], oauth }),
    ]);
    // OpenVDS's anthos provider reaches its S3-compatible storage at S3_ENDPOINT_OVERRIDE.
    previousEndpoint = process.env.S3_ENDPOINT_OVERRIDE;
    process.env.S3_ENDPOINT_OVERRIDE = s3.url;
  });

  after(async () => {
    if (previousEndpoint === undefined) delete process.env.S3_ENDPOINT_OVERRIDE;
    else process.env.S3_ENDPOINT_OVERRIDE = previousEndpoint;
    await Promise.all([azure?.stop(), anthos?.stop(), azurite?.stop(), s3?.stop()]);
  });

  beforeEach(() => {
    for (const service of [azure, anthos]) {
      service.calls.length = 0;
      Object.assign(service, { busy: 0, accessPolicy: 'uniform', badCredentials: 0, readOnlyCredentials: false, refuseTokens: 0, tokenSeconds: 3600, credentialSeconds: 3600, onCall: undefined });
    }
  });

  const newDataset = () => `sd://tenant1/seismic/surveys/north/dataset-${process.pid}-${++datasetCount}`;
  const datasetName = (url: string) => url.slice(url.lastIndexOf('/') + 1);
  const recordOf = (service: SeismicDmsService, url: string) => service.record('tenant1', 'seismic', datasetName(url), 'surveys/north');
  const connection = (service: SeismicDmsService, token = STATIC_TOKEN) => `SdAuthorityUrl=${service.url};SdApiKey=${API_KEY};SdToken=${token}`;
  const oauthConnection = (service: SeismicDmsService) =>
    `sdauthorityurl=${service.url};sdapikey=${API_KEY};AuthTokenUrl=${service.tokenUrl};ClientId=${CLIENT_ID};RefreshToken=${REFRESH_TOKEN};LogLevel=None`;

  async function failure(promise: Promise<unknown>): Promise<Error & { code?: number }> {
    const error = await rejection(promise);
    printed.push(error.message);
    return error as Error & { code?: number };
  }

  function layout() {
    const channel = new vds.VolumeDataChannelDescriptor(vds.VolumeDataFormat.Format_R32, vds.VolumeDataComponents.Components_1, 'Amplitude', '', 0, 400_000);
    return [
      new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_32, 0, 0, 4, vds.LODLevels.LODLevels_None),
      SIZE.map((n, i) => new vds.VolumeDataAxisDescriptor(n, ['Sample', 'Crossline', 'Inline'][i]!, '', 0, n - 1)),
      [channel],
    ] as const;
  }

  /** Creates the dataset with every chunk written through a page accessor (Zip). */
  async function write(dataset: string | vds.DMSOpenOptions, connectionString?: string): Promise<void> {
    const [descriptor, axes, channels] = layout();
    const handle = typeof dataset === 'string'
      ? await vds.create(dataset, connectionString!, descriptor, axes, channels, new vds.MetadataContainer(), vds.CompressionMethod.Zip)
      : await vds.create(dataset, descriptor, axes, channels, new vds.MetadataContainer(), vds.CompressionMethod.Zip);
    const accessor = vds.getAccessManager(handle).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 8, vds.AccessMode.AccessMode_Create);
    expect(accessor.getChunkCount()).to.equal(CHUNKS);
    for (let chunk = 0; chunk < CHUNKS; chunk++) {
      const page = accessor.createPage(chunk);
      const [min, max] = page.getMinMax();
      const buffer = page.getWritableBuffer() as Float32Array;
      let i = 0;
      for (let z = min[2]!; z < max[2]!; z++) for (let y = min[1]!; y < max[1]!; y++) for (let x = min[0]!; x < max[0]!; x++) buffer[i++] = valueAt(x, y, z);
      await page.release();
    }
    await accessor.commit();
    await vds.close(handle);
  }

  /** Reads the whole volume and counts the voxels that differ from valueAt. */
  async function wrongVoxels(dataset: string | vds.DMSOpenOptions, connectionString?: string): Promise<number> {
    const handle = typeof dataset === 'string' ? await vds.open(dataset, connectionString!) : await vds.open(dataset);
    try {
      const request = vds.getAccessManager(handle).requestVolumeSubset([0, 0, 0], [...SIZE]);
      expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
      const data = request.data as Float32Array;
      expect(data.length).to.equal(SIZE[0] * SIZE[1] * SIZE[2]);
      let wrong = 0;
      let i = 0;
      for (let z = 0; z < SIZE[2]; z++) for (let y = 0; y < SIZE[1]; y++) for (let x = 0; x < SIZE[0]; x++) if (data[i++] !== valueAt(x, y, z)) wrong++;
      return wrong;
    } finally {
      await vds.close(handle);
    }
  }

  /** The stored chunk objects' sizes, read straight from the cloud storage under the record's location. */
  async function chunkBytes(service: SeismicDmsService, record: DatasetRecord): Promise<number> {
    const store = service.provider === 'azure'
      ? AzureStore.fromConnectionString(azurite.connectionString(), service.storageName, record.gcsurl.slice(record.gcsurl.indexOf('/') + 1))
      : new S3Store({ bucket: service.storageName, prefix: record.gcsurl.split('$$')[1], endpoint: s3.url, accessKeyId: 'admin', secretAccessKey: 'admin' });
    let total = 0;
    for (let chunk = 0; chunk < CHUNKS; chunk++) total += (await store.head(`Dimensions_012LOD0/${chunk}`))!.size;
    return total;
  }

  const unlocked = (record: DatasetRecord | undefined) => ({ write: record?.writeLock, readers: record?.readLocks.size });

  for (const provider of ['azure', 'anthos'] as const) {
    it(`${provider}: creates through sd://, writes pages, closes with the dataset's size recorded, and reads the same values back`, async () => {
      const service = provider === 'azure' ? azure : anthos;
      const url = newDataset();
      await write(url, connection(service));
      // Create: a write lock on a dataset the service does not have registers it, with the same lock id.
      const [lock, register, credentials] = [service.callsTo('lock')[0]!, service.callsTo('register')[0]!, service.callsTo('gcs-access-token')[0]!];
      expect([lock.status, lock.query.get('openmode'), lock.query.get('path')]).to.deep.equal([404, 'write', 'surveys/north']);
      const lockId = String(register.headers['x-seismic-dms-lockid']);
      expect(lockId).to.match(/^W[0-9a-f]{15}$/);
      expect([register.status, register.headers.appkey, register.headers.authorization]).to.deep.equal([200, API_KEY, `Bearer ${STATIC_TOKEN}`]);
      expect([credentials.query.get('readonly'), credentials.query.get('sdpath')]).to.deep.equal(['false', 'sd://tenant1/seismic']);
      const closes = service.callsTo('patch');
      expect(closes.map((c) => c.query.get('close'))).to.deep.equal([lockId]);
      const record = recordOf(service, url)!;
      // OpenVDS's count: layout + layer status + one metadata page + the valid chunks; the chunks' bytes.
      expect(record.filemetadata).to.deep.equal({ nobjects: 2 + 1 + CHUNKS, size: await chunkBytes(service, record), type: 'GENERIC' });
      expect(record.last_modified_date).to.be.a('string');
      expect(unlocked(record)).to.deep.equal({ write: undefined, readers: 0 });

      service.calls.length = 0;
      expect(await wrongVoxels(url, connection(service))).to.equal(0);
      const readLock = service.callsTo('lock')[0]!;
      expect([readLock.status, readLock.query.get('openmode')]).to.deep.equal([200, 'read']);
      expect(String(readLock.headers['x-seismic-dms-lockid'])).to.match(/^R[0-9a-f]{15}$/);
      expect(service.callsTo('gcs-access-token').map((c) => c.query.get('readonly'))).to.deep.equal(['true']);
      // A reader unlocks without touching the record.
      expect(service.callsTo('patch').map((c) => [c.query.get('close'), c.body])).to.deep.equal([[readLock.headers['x-seismic-dms-lockid'], '']]);
      expect(unlocked(recordOf(service, url))).to.deep.equal({ write: undefined, readers: 0 });
    });
  }

  it('DMSOpenOptions create and open the same dataset, the SdToken got with the OAuth refresh token', async () => {
    const url = newDataset();
    const options = new vds.DMSOpenOptions(azure.url, API_KEY, '', url, azure.tokenUrl, REFRESH_TOKEN, CLIENT_ID);
    await write(options);
    expect(await wrongVoxels(options)).to.equal(0);
    const serviceCalls = azure.calls.filter((c) => c.route !== 'token');
    // One token per DMSOpenOptions use (each lasts an hour), sent with every request.
    expect(azure.issued.slice(-2).map((t) => serviceCalls.filter((c) => c.headers.authorization === `Bearer ${t}`).length))
      .to.deep.equal([serviceCalls.length - 3, 3]);
    expect(azure.callsTo('token').map((c) => new URLSearchParams(c.body).get('grant_type'))).to.deep.equal(['refresh_token', 'refresh_token']);
  });

  it('renews an SdToken about to expire before each request (the OpenVDS minute)', async () => {
    const url = newDataset();
    await write(url, connection(azure));
    azure.calls.length = 0;
    azure.tokenSeconds = 30;
    const issuedBefore = azure.issued.length;
    expect(await wrongVoxels(url, oauthConnection(azure))).to.equal(0);
    const serviceCalls = azure.calls.filter((c) => c.route !== 'token');
    expect(serviceCalls.map((c) => c.route)).to.deep.equal(['lock', 'gcs-access-token', 'patch']);
    // Each request with a token of its own, the one issued just before it.
    expect(serviceCalls.map((c) => c.headers.authorization)).to.deep.equal(azure.issued.slice(issuedBefore).map((t) => `Bearer ${t}`));
  });

  it('a refused SdToken is renewed and the request sent once more; refused twice, it is an error naming the dataset', async () => {
    const url = newDataset();
    await write(url, connection(azure));
    azure.calls.length = 0;
    azure.refuseTokens = 1;
    expect(await wrongVoxels(url, oauthConnection(azure))).to.equal(0);
    expect(azure.calls.map((c) => `${c.route} ${c.status}`).slice(0, 4)).to.deep.equal(['token 200', 'lock 401', 'token 200', 'lock 200']);

    azure.calls.length = 0;
    azure.refuseTokens = 2;
    const error = await failure(vds.open(url, oauthConnection(azure)));
    expect(error.code).to.equal(401);
    expect(error.message).to.equal(`Cannot open ${url}: Cannot read-lock ${url}: Seismic DMS refused the SdToken (HTTP 401, expired or invalid): ` +
      'Unauthorized: token *** was revoked');
    expect(azure.callsTo('lock').map((c) => c.status)).to.deep.equal([401, 401]);
  });

  it('a static SdToken that is refused or has expired is a clear error, without retry and without the token', async () => {
    const url = newDataset();
    await write(url, connection(azure));
    azure.calls.length = 0;
    azure.refuseTokens = 1;
    const refused = await failure(vds.open(url, connection(azure)));
    expect(refused).to.be.instanceOf(vds.ReadError);
    expect(refused.code).to.equal(401);
    expect(refused.message).to.equal(`Cannot open ${url}: Cannot read-lock ${url}: Seismic DMS refused the SdToken (HTTP 401, expired or invalid): ` +
      'Unauthorized: token *** was revoked');
    expect(azure.callsTo('lock')).to.have.length(1);

    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const expired = `${part({ alg: 'RS256' })}.${part({ exp: 1_700_000_000 })}.c2lnbmF0dXJl`;
    azure.calls.length = 0;
    const error = await failure(vds.open(url, connection(azure, expired)));
    expect(error.code).to.equal(401);
    expect(error.message).to.equal(`Cannot open ${url}: Cannot use ${url}: its SdToken expired at 2023-11-14T22:13:20.000Z; give a fresh one`);
    expect(azure.calls).to.have.length(0);
  });

  it('renews storage credentials before they expire (at half their life when it is short)', async () => {
    const url = newDataset();
    await write(url, connection(azure));
    azure.calls.length = 0;
    azure.credentialSeconds = 1;
    const handle = await vds.open(url, connection(azure));
    try {
      expect(azure.callsTo('gcs-access-token')).to.have.length(1);
      await new Promise((resolve) => setTimeout(resolve, 600));
      const request = vds.getAccessManager(handle).requestVolumeSubset([0, 0, 0], [...SIZE]);
      expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
      expect((request.data as Float32Array)[1 + 40 * 2 + 40 * 36 * 3]).to.equal(valueAt(1, 2, 3));
      // The four chunk reads shared one new credential.
      expect(azure.callsTo('gcs-access-token')).to.have.length(2);
    } finally {
      await vds.close(handle);
    }
  });

  it('a storage credential the storage refuses is replaced once; refused again, the error names the dataset, not the SAS', async () => {
    const url = newDataset();
    await write(url, connection(azure));
    azure.calls.length = 0;
    azure.badCredentials = 1;
    expect(await wrongVoxels(url, connection(azure))).to.equal(0);
    expect(azure.callsTo('gcs-access-token')).to.have.length(2);

    azure.calls.length = 0;
    azure.badCredentials = 2;
    const error = await failure(vds.open(url, connection(azure)));
    expect(error.code).to.equal(403);
    expect(error.message).to.match(new RegExp(`^Cannot open ${url}: Cannot read (VolumeDataLayout|LayerStatus) of ${url}: ` +
      'the storage refused the credentials Seismic DMS issued, fresh ones too \\(HTTP 403\\)$'));
    expect(azure.callsTo('gcs-access-token')).to.have.length(2);
    expect(unlocked(recordOf(azure, url))).to.deep.equal({ write: undefined, readers: 0 });
  });

  it('asks for credentials of the dataset when its subproject grants them per dataset, and asks a busy service again', async () => {
    const url = newDataset();
    azure.accessPolicy = 'dataset';
    await write(url, connection(azure));
    azure.calls.length = 0;
    azure.busy = 2;
    expect(await wrongVoxels(url, connection(azure))).to.equal(0);
    expect(azure.calls.map((c) => `${c.route} ${c.status}`)).to.deep.equal(['lock 503', 'lock 503', 'lock 200', 'gcs-access-token 200', 'patch 200']);
    expect(azure.callsTo('gcs-access-token')[0]!.query.get('sdpath')).to.equal(url);
  });

  it('offers head, getRange, list and delete through the cloud store, with a client-credentials SdToken', async () => {
    const url = newDataset();
    await write(url, connection(anthos));
    anthos.calls.length = 0;
    const { store } = openStore(url, `SdAuthorityUrl=${anthos.url};SdApiKey=${API_KEY};AuthTokenUrl=${anthos.tokenUrl};ClientId=${CLIENT_ID};` +
      `ClientSecret=${CLIENT_SECRET};Scopes=openid`, 'update');
    try {
      const layoutBytes = (await store.get('VolumeDataLayout'))!;
      expect((await store.head!('VolumeDataLayout'))!.size).to.equal(layoutBytes.length);
      expect(await store.getRange!('VolumeDataLayout', { offset: 2, length: 5 })).to.deep.equal(layoutBytes.subarray(2, 7));
      const keys: string[] = [];
      for await (const key of (store as unknown as ListableStore).list('Dimensions_012LOD0/')) keys.push(key);
      expect(keys.sort()).to.deep.equal(['Dimensions_012LOD0/0', 'Dimensions_012LOD0/1', 'Dimensions_012LOD0/2', 'Dimensions_012LOD0/3',
        'Dimensions_012LOD0/ChunkMetadata/0']);
      await (store as unknown as DeletableStore).delete('Dimensions_012LOD0/3');
      expect(await store.head!('Dimensions_012LOD0/3')).to.equal(undefined);
    } finally {
      await store.close!();
    }
    const grant = new URLSearchParams(anthos.callsTo('token')[0]!.body);
    expect([grant.get('grant_type'), grant.get('scope')]).to.deep.equal(['client_credentials', 'openid']);
    expect(anthos.callsTo('lock').map((c) => c.query.get('openmode'))).to.deep.equal(['write']);
    // Written to (a delete), but no LayerStatus changed: the record gets OpenVDS's count of what LayerStatus lists.
    expect(recordOf(anthos, url)!.filemetadata!.nobjects).to.equal(2 + 1 + CHUNKS);
    expect(unlocked(recordOf(anthos, url))).to.deep.equal({ write: undefined, readers: 0 });
  });

  it('an unreachable service is a StoreError naming the dataset', async () => {
    const url = newDataset();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const { store } = openStore(url, `SdAuthorityUrl=http://127.0.0.1:${port}/api/seismic-store/v3;SdToken=${STATIC_TOKEN}`, 'open');
    const error = await failure(store.get('VolumeDataLayout'));
    expect(error).to.be.instanceOf(vds.StoreError);
    expect(error.message).to.match(new RegExp(`^Cannot read Seismic DMS \\(read-lock ${url}\\): .*ECONNREFUSED`));
    expect(error.message).to.contain('after 5 attempts');
  });

  it('an unknown dataset is a 404 naming it', async () => {
    const url = 'sd://tenant1/seismic/surveys/north/no-such-dataset';
    const error = await failure(vds.open(url, connection(azure)));
    expect(error).to.be.instanceOf(vds.ReadError);
    expect(error.code).to.equal(404);
    expect(error.message).to.equal(`Cannot open ${url}: Cannot read-lock ${url}: Seismic DMS has no dataset ${url} (HTTP 404): ` +
      'The dataset tenant1/seismic/surveys/north/no-such-dataset does not exist');
    expect(azure.callsTo('register')).to.have.length(0);
  });

  it('a denied lock (423) names the dataset and the service\'s reason; the other session\'s lock stays', async () => {
    const url = newDataset();
    await write(url, connection(azure));
    const record = recordOf(azure, url)!;
    azure.calls.length = 0;
    record.writeLock = 'Wf00000000000000';
    const reading = await failure(vds.open(url, connection(azure)));
    expect(reading.code).to.equal(423);
    expect(reading.message).to.equal(`Cannot open ${url}: Cannot read-lock ${url}: the dataset is locked by another session (HTTP 423): ` +
      `The dataset tenant1/seismic/surveys/north/${datasetName(url)} is write locked [RCODE:WL3600]`);
    record.writeLock = undefined;
    record.readLocks.add('R000000000000000');
    const writing = await failure(write(url, connection(azure)));
    expect(writing).to.be.instanceOf(WriteError);
    expect(writing.code).to.equal(423);
    expect(writing.message).to.contain(`Cannot write-lock ${url}: the dataset is locked by another session (HTTP 423)`).and.contain('[RCODE:RL3600]');
    expect([...record.readLocks]).to.deep.equal(['R000000000000000']);
    expect(azure.callsTo('patch').filter((c) => c.status === 200)).to.have.length(0);
  });

  it('releases the write lock when a write fails, and when a create is aborted', async () => {
    const failed = newDataset();
    azure.readOnlyCredentials = true;
    const error = await failure(write(failed, connection(azure)));
    expect(error).to.be.instanceOf(WriteError);
    expect(error.code).to.equal(403);
    // create writes the empty LayerStatus first.
    expect(error.message).to.equal(`Cannot create ${failed}: Cannot write LayerStatus of ${failed}: ` +
      'the storage refused the credentials Seismic DMS issued, fresh ones too (HTTP 403)');
    const lockId = String(azure.callsTo('register')[0]!.headers['x-seismic-dms-lockid']);
    // Unlocked, with no size: nothing was stored.
    expect(azure.callsTo('patch').map((c) => [c.query.get('close'), c.status, c.body])).to.deep.equal([[lockId, 200, '']]);
    expect(unlocked(recordOf(azure, failed))).to.deep.equal({ write: undefined, readers: 0 });

    azure.readOnlyCredentials = false;
    azure.calls.length = 0;
    const aborted = newDataset();
    const controller = new AbortController();
    azure.onCall = (call) => { if (call.route === 'register') controller.abort(); };
    const [descriptor, axes, channels] = layout();
    const canceled = await failure(vds.create(aborted, connection(azure), descriptor, axes, channels, new vds.MetadataContainer(),
      vds.CompressionMethod.None, 0, { signal: controller.signal }));
    expect(canceled).to.be.instanceOf(CanceledError);
    const abortedLock = String(azure.callsTo('register')[0]!.headers['x-seismic-dms-lockid']);
    expect(azure.callsTo('patch').map((c) => [c.query.get('close'), c.status])).to.deep.equal([[abortedLock, 200]]);
    expect(unlocked(recordOf(azure, aborted))).to.deep.equal({ write: undefined, readers: 0 });
  });

  it('writing to a dataset opened for reading trades the read lock for a write lock, as OpenVDS\'s EnableWriting', async () => {
    const url = newDataset();
    await write(url, connection(azure));
    azure.calls.length = 0;
    const handle = await vds.open(url, connection(azure));
    const accessor = vds.getAccessManager(handle).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 8, vds.AccessMode.AccessMode_ReadWrite);
    const page = await accessor.readPage(0);
    (page.getWritableBuffer() as Float32Array)[0] = -1;
    await page.release();
    await accessor.commit();
    await vds.close(handle);
    const locks = azure.callsTo('lock').map((c) => [c.query.get('openmode'), String(c.headers['x-seismic-dms-lockid'])]);
    expect(locks.map(([mode]) => mode)).to.deep.equal(['read', 'write']);
    expect(azure.callsTo('patch').map((c) => [c.query.get('close'), c.body === '' ? 'unlock' : 'record'])).to.deep.equal([[locks[0]![1], 'unlock'], [locks[1]![1], 'record']]);
    expect(recordOf(azure, url)!.filemetadata!.nobjects).to.equal(2 + 1 + CHUNKS);
    expect(await wrongVoxels(url, connection(azure))).to.equal(1);
  });

  it('takes OpenVDS\'s connection-string keys and refuses what it cannot honour, naming the key', async () => {
    const url = 'sd://tenant1/seismic/dataset';
    const open = (connectionString: string, dataset = url) => () => openStore(dataset, connectionString);
    expect(openStore(url, `sd_authority_url=${azure.url};sd_api_key=k;sd_token=t`).store.description).to.equal(url);
    expect(open(`SdAuthorityUrl=${azure.url};SdToken=t;Region=eu`)).to.throw(InvalidArgumentError, 'Invalid key "region" in DMS connection string.');
    expect(open('SdToken=t')).to.throw(InvalidArgumentError, 'A Seismic DMS dataset needs SdAuthorityUrl');
    expect(open(`SdAuthorityUrl=${azure.url}`)).to.throw(InvalidArgumentError,
      'A Seismic DMS dataset needs SdToken, or AuthTokenUrl and ClientId with RefreshToken or ClientSecret to get one');
    expect(open(`SdAuthorityUrl=${azure.url};SdToken=t;HttpProxy=http://proxy:3128`)).to.throw(InvalidArgumentError, 'HttpProxy is not supported');
    expect(open(`SdAuthorityUrl=${azure.url};SdToken=t;LogLevel=Trace`)).to.throw(InvalidArgumentError, 'LogLevel Trace is not supported');
    expect(open(`SdAuthorityUrl=${azure.url};SdToken=t`, 'sd://tenant1/seismic')).to.throw(InvalidArgumentError,
      'The sd:// URL sd://tenant1/seismic is missing the dataset: expected sd://<tenant>/<subproject>/<path>*/<dataset>');
    expect(open(`SdAuthorityUrl=${azure.url};SdToken=t`, 'sd://tenant1')).to.throw(InvalidArgumentError, 'is missing the subproject');
    const options = new vds.DMSOpenOptions(azure.url, 'k', 't', url);
    options.useFileNameForSingleFileDatasets = true;
    const error = await failure(vds.open(options));
    expect(error).to.be.instanceOf(InvalidArgumentError);
    expect(error.message).to.equal('UseFileNameForSingleFileDatasets is not supported: rxvds reads sd:// datasets stored as objects, not single .vds files');
  });

  describe('the compiled CLI', () => {
    before(async () => { await buildCli(); });

    it('copies a dataset to sd:// and back, and prints its info', async () => {
      const cwd = inFolder('cli');
      await mkdir(cwd);
      const url = newDataset();
      await write(url, connection(anthos));
      const env = { S3_ENDPOINT_OVERRIDE: s3.url };
      const toLocal = await rxvds(['copy', url, 'local', '--connection', connection(anthos), '--destination-connection', ''], cwd, { env });
      printed.push(toLocal.stdout, toLocal.stderr);
      expect(toLocal.code, toLocal.stderr).to.equal(0);
      expect(toLocal.stdout).to.match(new RegExp(`^copied ${url} → local: ${CHUNKS} chunks \\(0 already there\\)`));

      const copy = newDataset();
      const toDms = await rxvds(['copy', 'local', copy, '--destination-connection', connection(azure)], cwd);
      printed.push(toDms.stdout, toDms.stderr);
      expect(toDms.code, toDms.stderr).to.equal(0);
      const record = recordOf(azure, copy)!;
      expect(record.filemetadata).to.deep.equal({ nobjects: 2 + 1 + CHUNKS, size: await chunkBytes(azure, record), type: 'GENERIC' });
      expect(unlocked(record)).to.deep.equal({ write: undefined, readers: 0 });
      expect(await wrongVoxels(copy, connection(azure))).to.equal(0);
      // Again: the finished copy is checked chunk by chunk under a write lock on the registered dataset.
      azure.calls.length = 0;
      const again = await rxvds(['copy', 'local', copy, '--destination-connection', connection(azure)], cwd);
      printed.push(again.stdout, again.stderr);
      expect(again.code, again.stderr).to.equal(0);
      expect(again.stdout).to.match(new RegExp(`^copied local → ${copy}: ${CHUNKS} chunks \\(${CHUNKS} already there\\)`));
      expect(azure.callsTo('lock').map((c) => `${c.query.get('openmode')} ${c.status}`)).to.deep.equal(['write 200']);
      expect(azure.callsTo('register')).to.have.length(0);
      expect(unlocked(recordOf(azure, copy))).to.deep.equal({ write: undefined, readers: 0 });

      const info = await rxvds(['info', copy, '--connection', connection(azure), '--json'], cwd);
      printed.push(info.stdout, info.stderr);
      expect(info.code, info.stderr).to.equal(0);
      const parsed = JSON.parse(info.stdout) as { axes: { name: string; numSamples: number }[]; sizeOnDisk: { objects: number; bytes: number } };
      expect(parsed.axes.map((a) => [a.name, a.numSamples])).to.deep.equal([['Sample', 40], ['Crossline', 36], ['Inline', 20]]);
      expect(parsed.sizeOnDisk.objects).to.equal(2 + 1 + CHUNKS);
      expect(unlocked(recordOf(azure, copy))).to.deep.equal({ write: undefined, readers: 0 });

      const refused = await rxvds(['info', copy, '--connection', connection(azure, 'sdtoken-wrong-0d9a3b7c')], cwd);
      printed.push(refused.stdout, refused.stderr);
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.contain(`Cannot open ${copy}: Cannot read-lock ${copy}: Seismic DMS refused the SdToken (HTTP 401, expired or invalid)`);
      expect(refused.stderr).not.to.contain('sdtoken-wrong-0d9a3b7c');
    });
  });

  // A suite of its own, so that it runs after the CLI's.
  describe('afterwards', () => {
    it('no message or output of this spec holds a token, key, SAS signature or secret', () => {
      expect(printed.length).to.be.at.least(20);
      const secrets = [STATIC_TOKEN, API_KEY, REFRESH_TOKEN, CLIENT_SECRET, ...azure.issued, ...anthos.issued, 'Zm9yZ2VkLXNpZ25hdHVyZQ', 'dmssecret', 'dmssession', 'sig='];
      for (const text of printed) for (const secret of secrets) expect(text, text).not.to.contain(secret);
    });
  });
});
