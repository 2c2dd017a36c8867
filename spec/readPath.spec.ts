import { expect } from 'chai';
import { mkdir, writeFile } from 'node:fs/promises';
import * as vds from '../src/index.js';
import { FolderStore } from '../sources/stores/folderStore.js';
import { BufferPool } from '../src/workers/chunkBuffers.js';
import { InstrumentedStore } from './support/slowStore.js';
import { rejection } from './support/rejection.js';
import { useTempFolder } from './support/tempFolder.js';
import { writeTestVolume } from './support/volumes.js';

const F = vds.VolumeDataFormat;
const KiB = 1024;
const value = (x: number, y: number, z: number) => Math.fround(x * 0.5 + y * 100 - z * 3);

describe('read path buffers (issue 15)', function () {
  this.timeout(60_000);
  const temp = useTempFolder('readpath');

  describe('BufferPool', () => {
    it('hands out views of exactly the asked size over buffers rounded up to 64 KiB, and knows its own', () => {
      const pool = new BufferPool(1024 * KiB);
      const view = pool.take(1000);
      expect([view.byteOffset, view.byteLength, view.buffer.byteLength]).to.deep.equal([0, 1000, 64 * KiB]);
      expect(pool.issuedBuffer(view.buffer)).to.equal(true);
      expect(pool.issuedBuffer(new ArrayBuffer(64 * KiB))).to.equal(false);
      expect(pool.issuedBuffer(new SharedArrayBuffer(8))).to.equal(false);
      expect(pool.take(0).buffer.byteLength).to.equal(64 * KiB);
    });

    it('reuses a given-back buffer that fits, but not one more than twice the size (plus 64 KiB)', () => {
      const pool = new BufferPool(4096 * KiB);
      const big = new ArrayBuffer(1024 * KiB);
      pool.give(big);
      // 1000 bytes would pin 1 MiB: a new 64 KiB buffer instead.
      expect(pool.take(1000).buffer).to.not.equal(big);
      const reused = pool.take(500 * KiB);
      expect(reused.buffer).to.equal(big);
      expect(reused.byteLength).to.equal(500 * KiB);
      expect(pool.issuedBuffer(big)).to.equal(true);
      // Taken, so not handed out twice.
      expect(pool.take(500 * KiB).buffer).to.not.equal(big);
    });

    it('keeps at most its byte budget, dropping the oldest buffers first', () => {
      const pool = new BufferPool(128 * KiB);
      const [a, b, c] = [new ArrayBuffer(64 * KiB), new ArrayBuffer(64 * KiB), new ArrayBuffer(64 * KiB)];
      pool.give(a); pool.give(b); pool.give(c);
      pool.give(new ArrayBuffer(256 * KiB)); // over the whole budget: not kept
      pool.give(new ArrayBuffer(0));
      expect([pool.take(60 * KiB).buffer, pool.take(60 * KiB).buffer]).to.deep.equal([b, c]);
      const fresh = pool.take(60 * KiB).buffer;
      expect(fresh).to.not.equal(a);
      expect(fresh.byteLength).to.equal(64 * KiB);
    });
  });

  describe('FolderStore.get into a caller buffer', () => {
    it('reads the object into the buffer `into` returns, asking once with the object size', async () => {
      const store = new FolderStore(temp('into'));
      const object = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 13) & 255);
      await store.set('Layer/7', object);
      const sizes: number[] = [];
      const target = new Uint8Array(new ArrayBuffer(80_000));
      const bytes = await store.get('Layer/7', { into: (size) => { sizes.push(size); return target.subarray(0, size); } });
      expect(sizes).to.deep.equal([70_000]);
      expect(bytes!.buffer).to.equal(target.buffer);
      expect(Buffer.from(bytes!).equals(Buffer.from(object))).to.equal(true);
    });

    it('answers undefined for a missing object without asking for a buffer, and keeps its errors', async () => {
      const store = new FolderStore(temp('into-errors'));
      let asked = 0;
      const into = (size: number) => { asked++; return new Uint8Array(size); };
      expect(await store.get('Layer/404', { into })).to.equal(undefined);
      expect(asked).to.equal(0);
      await store.set('Layer/1', new Uint8Array(10));
      const aborted = AbortSignal.abort();
      expect(await rejection(store.get('Layer/1', { into, signal: aborted }))).to.be.instanceOf(vds.CanceledError);
      await mkdir(temp('into-errors', 'Layer', 'dir'), { recursive: true });
      const error = await rejection(store.get('Layer/dir', { into }));
      expect(error).to.be.instanceOf(vds.StoreError);
      expect(error.message).to.match(/^Cannot read Layer\/dir in .*EISDIR/);
      await writeFile(temp('into-errors', 'Layer', 'empty'), new Uint8Array(0));
      expect((await store.get('Layer/empty', { into }))!.byteLength).to.equal(0);
    });
  });

  describe('subsets with the chunk cache off (delivered chunks stay in the workers)', () => {
    for (const method of [vds.CompressionMethod.Zip, vds.CompressionMethod.None]) {
      it(`reads exact values from a ${vds.CompressionMethod[method]} folder dataset, also for requests sharing a decode`, async () => {
        const url = temp(`volume-${method}`);
        await writeTestVolume({ url, size: [70, 40, 33], format: F.Format_R32, method, value, margin: 2 });
        const store = new InstrumentedStore(new FolderStore(url));
        const dataset = await vds.open(store);
        dataset.chunkCache.setMaxBytes(0);
        const manager = vds.getAccessManager(dataset);
        const boxes: [number[], number[]][] = [[[0, 0, 0], [70, 40, 33]], [[3, 5, 7], [69, 38, 30]], [[31, 0, 32], [33, 40, 33]]];
        // Eight requests for the same box at once: the later ones join the first one's decodes,
        // whose bytes stay in the workers, and decode those chunks again for themselves.
        const requests = [...boxes, ...Array.from({ length: 7 }, () => boxes[1]!)].map(([min, max]) => ({ min, max, request: manager.requestVolumeSubset(min, max) }));
        for (const { min, max, request } of requests) {
          expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
          const data = request.data as Float32Array;
          let i = 0, wrong = 0;
          for (let z = min[2]!; z < max[2]!; z++) for (let y = min[1]!; y < max[1]!; y++) for (let x = min[0]!; x < max[0]!; x++) {
            if (data[i++] !== value(x, y, z)) wrong++;
          }
          expect(wrong, `box ${min} – ${max}`).to.equal(0);
          expect(i).to.equal(data.length);
        }
        expect(dataset.chunkCache.cachedBytes).to.equal(0);
        await vds.close(dataset);
      });
    }
  });
});
