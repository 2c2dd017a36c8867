import { expect } from 'chai';
import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderStore } from '../sources/stores/folderStore.js';
import { HttpStore } from '../sources/stores/httpStore.js';
import { MemoryStore } from '../sources/stores/memoryStore.js';
import { openStore } from '../sources/stores/openStore.js';
import { parseConnectionString } from '../sources/stores/connectionString.js';
import { redactConnectionString } from '../sources/stores/redact.js';
import { refuseWrites } from '../sources/stores/refuseWrites.js';
import type { ReadableStore, ReadOptions } from '../sources/stores/store.js';
import { registerStoreScheme, type StoreRequest } from '../sources/stores/storeSchemes.js';
import { InvalidArgumentError, InvalidOperationError, StoreError } from '../src/model/errors.js';
import * as vds from '../src/index.js';
import { rejection } from './support/rejection.js';
import { storeConformance } from './support/storeConformance.js';
import { writeTestVolume } from './support/volumes.js';

let memoryCount = 0;
storeConformance('in-memory', async () => {
  const name = `spec-${++memoryCount}`;
  return { store: new MemoryStore(name), cleanup: async () => MemoryStore.drop(name) };
}, { metadata: true });

storeConformance('folder', async () => {
  const root = await mkdtemp(join(tmpdir(), 'rxvds-store-'));
  return { store: new FolderStore(root), cleanup: () => rm(root, { recursive: true, force: true }) };
});

describe('folder store writes', () => {
  it('leaves no temporary files and replaces objects whole', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rxvds-store-'));
    try {
      const store = new FolderStore(root);
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.set('Layer/0', new Uint8Array(1000).fill(i))));
      const data = (await store.get('Layer/0'))!;
      expect(data.length).to.equal(1000);
      expect(new Set(data).size).to.equal(1);
      expect(await readdir(join(root, 'Layer'))).to.deep.equal(['0']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('refuses to write or delete through a layer folder linked outside the dataset; a linked root is fine', async () => {
    const base = await mkdtemp(join(tmpdir(), 'rxvds-links-'));
    try {
      const [root, outside] = [join(base, 'dataset'), join(base, 'outside')];
      await mkdir(root);
      await mkdir(outside);
      await symlink(outside, join(root, 'Dimensions_012LOD0'));
      const store = new FolderStore(root);
      const error = await rejection(store.set('Dimensions_012LOD0/0', new Uint8Array(4)));
      expect(error).to.be.instanceOf(StoreError);
      expect(error.message).to.equal(`Cannot write Dimensions_012LOD0/0 in ${root}: its folder is a symbolic link to ${outside}, outside the dataset`);
      await store.set('Other/0', new Uint8Array([7]));
      expect(await readdir(outside)).to.deep.equal([]);

      await symlink(join(root, 'Other', '0'), join(outside, '0'));
      expect((await rejection(store.delete('Dimensions_012LOD0/0'))).message).to.match(/^Cannot delete Dimensions_012LOD0\/0 .* outside the dataset$/);
      expect(await readdir(outside)).to.deep.equal(['0']);

      const linkedRoot = new FolderStore(join(base, 'link-to-dataset'));
      await symlink(root, join(base, 'link-to-dataset'));
      await linkedRoot.set('Other/1', new Uint8Array([9]));
      expect([...(await store.get('Other/1'))!]).to.deep.equal([9]);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});

describe('URLs and connection strings', () => {
  it('parses OpenVDS connection strings', () => {
    const options = parseConnectionString(' Region = eu-north-1 ;EndpointOverride=http://127.0.0.1:9000; ');
    expect(options.get('region')).to.equal('eu-north-1');
    expect(options.get('endpointoverride')).to.equal('http://127.0.0.1:9000');
    expect(() => parseConnectionString('Region')).to.throw(InvalidArgumentError, /Missing required = sign in part 1 of the connection string "\*\*\*"/);
    expect(() => parseConnectionString('=x')).to.throw(InvalidArgumentError, /Empty name/);
  });

  it('redacts secrets', () => {
    expect(redactConnectionString('AccessKeyId=AK;SecretKey=abc;Region=x')).to.equal('AccessKeyId=***;SecretKey=***;Region=x');
  });

  it('maps URLs to stores', () => {
    expect(openStore('/tmp/some/dataset').store).to.be.instanceOf(FolderStore);
    expect(openStore('file:///tmp/some/dataset').store).to.be.instanceOf(FolderStore);
    expect(openStore('inmemory://x').store).to.be.instanceOf(MemoryStore);
    expect(() => openStore('ftp://x/y')).to.throw(InvalidArgumentError, /Unknown URL scheme "ftp"/);
    expect(() => openStore('')).to.throw(InvalidArgumentError, /empty/);
  });
});

describe('URL schemes', () => {
  it('a registered scheme opens through open, create and openStore, with its own connection keys', async () => {
    const requests: StoreRequest[] = [];
    registerStoreScheme('RxVDS-Spec', (request) => {
      requests.push(request);
      const { shard } = request.keys('RxVDS-Spec', { shard: ['shard', 'shard_name'] });
      return new MemoryStore(`scheme-spec-${shard ?? ''}-${request.location}`);
    });
    const url = 'rxvds-spec://survey/one';
    const value = (x: number, y: number, z: number) => (x + 3 * y + 7 * z) % 251;
    await writeTestVolume({ url, size: [40, 30, 20], format: vds.VolumeDataFormat.Format_U8, value });
    const dataset = await vds.open(url, 'Shard_Name=;WaveletAdaptiveTolerance=2');
    try {
      expect(vds.getLayout(dataset).getDimensionNumSamples(2)).to.equal(20);
      const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], [40, 30, 20], { format: vds.VolumeDataFormat.Format_U8 });
      expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
      const data = request.data as Uint8Array;
      expect([data[0], data[39], data[40 * 29], data[40 * 30 * 19 + 40 * 29 + 39]]).to.deep.equal([0, value(39, 0, 0), value(0, 29, 0), value(39, 29, 19)]);
    } finally {
      await vds.close(dataset, false);
      MemoryStore.drop('scheme-spec--survey/one');
    }
    expect(requests.map((r) => [r.scheme, r.location, r.intent])).to.deep.equal([
      ['rxvds-spec', 'survey/one', 'create'], ['rxvds-spec', 'survey/one', 'open'],
    ]);
    expect(requests[1]!.options.get('waveletadaptivetolerance')).to.equal('2');
    expect(() => openStore(url, 'Colour=blue')).to.throw(InvalidArgumentError, 'Invalid key "colour" in RxVDS-Spec connection string.');
    expect(() => openStore(url, 'LogLevel=Trace')).to.throw(InvalidArgumentError, /LogLevel Trace is not supported/);
    expect(openStore(url, 'Shard=b').store.description).to.equal('inmemory://scheme-spec-b-survey/one');
  });

  it('refuses a read-only store for create and update, and a later registration replaces an earlier one', () => {
    registerStoreScheme('spec-readonly', (request) => ({ description: `spec-readonly://${request.location}`, get: async () => undefined }));
    expect(openStore('spec-readonly://a').store.description).to.equal('spec-readonly://a');
    expect(() => openStore('spec-readonly://a', '', 'create')).to.throw(InvalidOperationError, 'Cannot create a dataset in spec-readonly://a: the store is read-only');
    registerStoreScheme('spec-readonly', (request) => new MemoryStore(request.location));
    expect(openStore('spec-readonly://a', '', 'create').store).to.be.instanceOf(MemoryStore);
  });

  it('refuses scheme names that are not URL schemes, and keeps the unknown-scheme message', () => {
    for (const scheme of ['', '1abc', 's3://', 'a b']) {
      expect(() => registerStoreScheme(scheme, () => new MemoryStore('x')), scheme).to.throw(InvalidArgumentError, `Invalid URL scheme "${scheme}"`);
    }
    expect(() => openStore('ftp://user:pw@host/x')).to.throw(InvalidArgumentError, 'Unknown URL scheme "ftp" in ftp://***@host/x');
  });
});

describe('read-only stores', () => {
  it('HttpStore has no set, delete or list', async () => {
    const store = new HttpStore('http://127.0.0.1:9/survey');
    try {
      expect(['set', 'delete', 'list'].filter((member) => member in store)).to.deep.equal([]);
      // @ts-expect-error HttpStore cannot write
      expect(store.set).to.equal(undefined);
    } finally {
      await store.close();
    }
  });

  it('refuseWrites gives the engine a Store that names a read-only store on its first write', async () => {
    const readOnly: ReadableStore = { description: 'spec-readonly://b', get: async (key: string, _options?: ReadOptions) => (key === 'k' ? new Uint8Array([5]) : undefined) };
    const store = refuseWrites(readOnly);
    expect([...(await store.get('k'))!]).to.deep.equal([5]);
    const error = await rejection(store.set('LayerStatus', new Uint8Array(1)));
    expect(error).to.be.instanceOf(InvalidOperationError);
    expect(error.message).to.equal('Cannot write LayerStatus: spec-readonly://b is read-only');
    const memory = new MemoryStore('refuse-writes-spec');
    expect(refuseWrites(memory)).to.equal(memory);
  });
});
