import { expect } from 'chai';
import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderStore } from '../sources/stores/folderStore.js';
import { MemoryStore } from '../sources/stores/memoryStore.js';
import { openStore } from '../sources/stores/openStore.js';
import { parseConnectionString } from '../sources/stores/connectionString.js';
import { redactConnectionString } from '../sources/stores/redact.js';
import { InvalidArgumentError, StoreError } from '../src/model/errors.js';
import { rejection } from './support/rejection.js';
import { storeConformance } from './support/storeConformance.js';

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
