// The conformance suite every store runs: write, read back (whole, ranges, to the end), user
// metadata, missing objects, errors, listing across pages, delete, ownership of bytes, abort. A
// read-only store is checked to offer no set, delete or list at all; every other store, all of them.
import { expect } from 'chai';
import { isDeletable, isListable, isWritable, type ReadableStore, type Store } from '../../sources/stores/store.js';
import { fullStore } from './fullStore.js';
import { CanceledError, InvalidArgumentError, StoreError, WriteError } from '../../src/model/errors.js';
import { rejection } from './rejection.js';

export interface StoreFixture {
  store: ReadableStore;
  /** Writes the objects `store` then reads, when `store` itself is read-only. */
  writer?: Store;
  cleanup(): Promise<void>;
}

export interface StoreTraits {
  /** The store has no `set`, `delete` or `list`; objects are written through the fixture's writer. */
  readOnly?: boolean;
  /** User metadata (`vdschunkmetadata`) comes back from `head`. */
  metadata?: boolean;
  /** Listing pages hold this many keys (the suite writes more than two pages). */
  listPageSize?: number;
  /** A store over the same objects whose every request is answered with `status`. */
  failing?: (fixture: StoreFixture, status: number) => ReadableStore;
  /** Values that must never appear in an error message. */
  secrets?: readonly string[];
}

export async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of iterable) keys.push(key);
  return keys.sort();
}


const CHUNK = 'Dimensions_012LOD0/17';

export function storeConformance(name: string, makeFixture: () => Promise<StoreFixture>, capabilities: StoreTraits = {}): void {
  describe(`${name} store`, () => {
    let fixture: StoreFixture;
    /** The store with the reads every store here has: getRange and head. */
    let store: ReadableStore & Required<Pick<ReadableStore, 'getRange' | 'head'>>;
    let writer: Store;
    beforeEach(async () => {
      fixture = await makeFixture();
      const { getRange, head } = fixture.store;
      if (!getRange || !head) throw new Error(`${name} has no getRange or head`);
      store = fixture.store as typeof store;
      writer = fixture.writer ?? (isWritable(fixture.store) ? fixture.store : fullStore(fixture.store));
    });
    afterEach(async () => fixture.cleanup());

    it('reads back what was written: whole, ranges, ranges to the end, empty objects', async () => {
      const bytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      await writer.set(CHUNK, bytes, { metadata: { vdschunkmetadata: 'AAAAAAAAAAA=' } });
      await writer.set('VolumeDataLayout', new Uint8Array([123, 125]), { contentType: 'application/json' });
      await writer.set('Dimensions_012LOD0/18', new Uint8Array(0));
      expect([...(await store.get(CHUNK))!]).to.deep.equal([...bytes]);
      expect([...(await store.get('VolumeDataLayout'))!]).to.deep.equal([123, 125]);
      expect([...(await store.getRange(CHUNK, { offset: 2, length: 3 }))!]).to.deep.equal([3, 4, 5]);
      expect([...(await store.getRange(CHUNK, { offset: 0, length: 1 }))!]).to.deep.equal([1]);
      expect([...(await store.getRange(CHUNK, { offset: 7 }))!]).to.deep.equal([8, 9]);
      expect([...(await store.getRange(CHUNK, { offset: 6, length: 100 }))!]).to.deep.equal([7, 8, 9]);
      expect([...(await store.getRange(CHUNK, { offset: 9 }))!]).to.deep.equal([]);
      expect([...(await store.getRange(CHUNK, { offset: 4, length: 0 }))!]).to.deep.equal([]);
      expect([...(await store.get('Dimensions_012LOD0/18'))!]).to.deep.equal([]);
      expect([...(await store.getRange('Dimensions_012LOD0/18', { offset: 0, length: 16 }))!]).to.deep.equal([]);
      expect((await store.head(CHUNK))!.size).to.equal(9);
      expect((await store.head('Dimensions_012LOD0/18'))!.size).to.equal(0);
    });

    it(capabilities.metadata ? 'returns vdschunkmetadata from head' : 'accepts vdschunkmetadata it cannot keep', async () => {
      await writer.set(CHUNK, new Uint8Array([1, 2, 3]), { metadata: { vdschunkmetadata: 'AQIDBAUGBwg=' } });
      const info = await store.head(CHUNK);
      expect(info!.size).to.equal(3);
      if (capabilities.metadata) expect(info!.metadata).to.deep.equal({ vdschunkmetadata: 'AQIDBAUGBwg=' });
    });

    it('reports missing objects as undefined', async () => {
      expect(await store.get('Dimensions_012LOD0/99')).to.equal(undefined);
      expect(await store.head('Dimensions_012LOD0/99')).to.equal(undefined);
      expect(await store.getRange('Dimensions_012LOD0/99', { offset: 0 })).to.equal(undefined);
      expect(await store.getRange('Dimensions_012LOD0/99', { offset: 0, length: 4 })).to.equal(undefined);
      expect(await store.getRange('Dimensions_012LOD0/99', { offset: 0, length: 0 })).to.equal(undefined);
    });

    it('hands out bytes the caller owns, in a buffer of their own', async () => {
      const bytes = new Uint8Array([1, 2, 3]);
      await writer.set('a', bytes);
      bytes[0] = 9;
      const read = (await store.get('a'))!;
      read[1] = 9;
      expect([...(await store.get('a'))!]).to.deep.equal([1, 2, 3]);
      const range = (await store.getRange('a', { offset: 1 }))!;
      // Whole ArrayBuffers can be moved to a worker without taking a pool's neighbours along.
      for (const view of [read, range]) expect(view.buffer.byteLength, 'own ArrayBuffer').to.equal(view.byteLength);
    });

    it('refuses keys that escape the dataset', async () => {
      for (const key of ['../x', '/abs', 'a//b', 'a/./b', '']) {
        const error = await rejection(isWritable(store) ? store.set(key, new Uint8Array(1)) : store.get(key));
        expect(error, key).to.be.instanceOf(InvalidArgumentError);
        expect(error.message, key).to.contain(`Invalid object key "${key}"`);
      }
    });

    it('rejects with CanceledError when the signal is aborted', async () => {
      await writer.set('a', new Uint8Array(10));
      const controller = new AbortController();
      controller.abort();
      const signal = controller.signal;
      expect(await rejection(store.get('a', { signal }))).to.be.instanceOf(CanceledError);
      expect(await rejection(store.getRange('a', { offset: 1 }, { signal }))).to.be.instanceOf(CanceledError);
      expect(await rejection(store.head('a', { signal }))).to.be.instanceOf(CanceledError);
      if (isWritable(store)) {
        expect(await rejection(store.set('b', new Uint8Array(1), { signal }))).to.be.instanceOf(CanceledError);
        expect(await store.get('b')).to.equal(undefined);
      }
    });

    if (capabilities.failing) {
      const failing = capabilities.failing;
      it('fails with StoreError (WriteError for writes): HTTP status as code, a message naming store and key, no credentials', async () => {
        await writer.set(CHUNK, new Uint8Array(4));
        const broken = failing(fixture, 403);
        try {
          for (const attempt of [() => broken.get(CHUNK), () => broken.head!(CHUNK), () => broken.getRange!(CHUNK, { offset: 1 })]) {
            const error = await rejection(attempt());
            expect(error).to.be.instanceOf(StoreError).and.not.be.instanceOf(WriteError);
            expect((error as StoreError).code).to.equal(403);
            expect(error.message).to.contain(`Cannot read ${CHUNK} in ${broken.description}`);
            for (const secret of capabilities.secrets ?? []) expect(error.message).not.to.contain(secret);
          }
          if (isWritable(broken)) {
            const error = await rejection(broken.set(CHUNK, new Uint8Array(1)));
            expect(error).to.be.instanceOf(WriteError);
            expect((error as WriteError).code).to.equal(403);
            expect(error.message).to.contain(`Cannot write ${CHUNK} in ${broken.description}`);
          }
        } finally {
          await broken.close?.();
        }
      });
    }

    if (capabilities.readOnly) {
      it('has no set, delete or list, so writing to it is a type error', () => {
        expect([isWritable(store), isDeletable(store), isListable(store)]).to.deep.equal([false, false, false]);
        expect(['set', 'delete', 'list'].filter((member) => member in store)).to.deep.equal([]);
      });
      return;
    }

    it('sets, deletes and lists', () => {
      expect([isWritable(store), isDeletable(store), isListable(store)]).to.deep.equal([true, true, true]);
    });

    it('lists keys under a prefix, across pages', async () => {
      const store = fullStore(fixture.store);
      const chunks = Array.from({ length: 3 * (capabilities.listPageSize ?? 10) + 1 }, (_, i) => `Dimensions_012LOD0/${i}`);
      const others = ['VolumeDataLayout', 'LayerStatus', 'Dimensions_012LOD0/ChunkMetadata/0', 'Dimensions_012LOD1/0'];
      await Promise.all([...chunks, ...others].map((key) => store.set(key, new Uint8Array([1]))));
      expect(await collect(store.list())).to.deep.equal([...chunks, ...others].sort());
      expect(await collect(store.list('Dimensions_012LOD0/'))).to.deep.equal([...chunks, 'Dimensions_012LOD0/ChunkMetadata/0'].sort());
      expect(await collect(store.list('Dimensions_012LOD0/ChunkMetadata/'))).to.deep.equal(['Dimensions_012LOD0/ChunkMetadata/0']);
      expect(await collect(store.list('Nothing'))).to.deep.equal([]);
    });

    it('replaces objects whole and deletes them (deleting a missing key succeeds)', async () => {
      const store = fullStore(fixture.store);
      await store.set(CHUNK, new Uint8Array(100).fill(1));
      await store.set(CHUNK, new Uint8Array([2, 2]));
      expect([...(await store.get(CHUNK))!]).to.deep.equal([2, 2]);
      await store.delete(CHUNK);
      await store.delete(CHUNK);
      expect(await store.get(CHUNK)).to.equal(undefined);
      expect(await store.head(CHUNK)).to.equal(undefined);
      expect(await collect(store.list())).to.deep.equal([]);
    });
  });
}
