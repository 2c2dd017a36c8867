import { expect } from 'chai';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderStore } from '../sources/folderStore.js';
import { MemoryStore } from '../sources/memoryStore.js';
import { openStore } from '../sources/openStore.js';
import type { Store } from '../sources/store.js';
import { parseConnectionString, redactConnectionString } from '../src/connectionString.js';
import { CanceledError, InvalidArgumentError } from '../src/errors.js';

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of iterable) keys.push(key);
  return keys.sort();
}

function conformance(name: string, makeStore: () => Promise<{ store: Store; cleanup(): Promise<void> }>): void {
  describe(`${name} store`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeEach(async () => ({ store, cleanup } = await makeStore()));
    afterEach(async () => cleanup());

    it('stores, reads, ranges, lists and deletes objects', async () => {
      const bytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      await store.set('Dimensions_012LOD0/17', bytes, { metadata: { vdschunkmetadata: 'AAAAAAAAAAA=' } });
      await store.set('VolumeDataLayout', new Uint8Array([123, 125]));
      expect([...(await store.get('Dimensions_012LOD0/17'))!]).to.deep.equal([...bytes]);
      expect([...(await store.getRange!('Dimensions_012LOD0/17', { offset: 2, length: 3 }))!]).to.deep.equal([3, 4, 5]);
      expect([...(await store.getRange!('Dimensions_012LOD0/17', { offset: 7 }))!]).to.deep.equal([8, 9]);
      expect((await store.head('Dimensions_012LOD0/17'))!.size).to.equal(9);
      expect(await collect(store.list())).to.deep.equal(['Dimensions_012LOD0/17', 'VolumeDataLayout']);
      expect(await collect(store.list('Dimensions_'))).to.deep.equal(['Dimensions_012LOD0/17']);
      await store.delete('Dimensions_012LOD0/17');
      expect(await store.get('Dimensions_012LOD0/17')).to.equal(undefined);
      expect(await store.head('Dimensions_012LOD0/17')).to.equal(undefined);
      expect(await store.getRange!('missing', { offset: 0 })).to.equal(undefined);
    });

    it('hands out bytes the caller owns', async () => {
      const bytes = new Uint8Array([1, 2, 3]);
      await store.set('a', bytes);
      bytes[0] = 9;
      const read = (await store.get('a'))!;
      read[1] = 9;
      expect([...(await store.get('a'))!]).to.deep.equal([1, 2, 3]);
    });

    it('refuses keys that escape the dataset', async () => {
      for (const key of ['../x', '/abs', 'a//b', 'a/./b', '']) {
        let failed = false;
        try { await store.set(key, new Uint8Array(1)); } catch { failed = true; }
        expect(failed, key).to.equal(true);
      }
    });

    it('rejects with CanceledError when the signal is aborted', async () => {
      await store.set('a', new Uint8Array(10));
      const controller = new AbortController();
      controller.abort();
      let error: unknown;
      try { await store.get('a', { signal: controller.signal }); } catch (e) { error = e; }
      expect(error).to.be.instanceOf(CanceledError);
    });
  });
}

let memoryCount = 0;
conformance('in-memory', async () => {
  const name = `spec-${++memoryCount}`;
  return { store: new MemoryStore(name), cleanup: async () => MemoryStore.drop(name) };
});

conformance('folder', async () => {
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
});

describe('URLs and connection strings', () => {
  it('parses OpenVDS connection strings', () => {
    const options = parseConnectionString(' Region = eu-north-1 ;EndpointOverride=http://127.0.0.1:9000; ');
    expect(options.get('region')).to.equal('eu-north-1');
    expect(options.get('endpointoverride')).to.equal('http://127.0.0.1:9000');
    expect(() => parseConnectionString('Region')).to.throw(InvalidArgumentError, /Missing required = sign for name Region/);
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
