// The read path's joins: one function reads a chunk (metadata once, the cache, cancellation, the
// pool) for requests and page reads alike; one destination per request delivers decoded chunks,
// from a worker or from the main thread by the same code; its gate closes without blocking, and
// a request settles only once it closed; convert and projection are stages of their own.
import { expect } from 'chai';
import { lastValueFrom, of, Subject, toArray } from 'rxjs';
import * as vds from '../src/index.js';
import { MemoryStore } from '../sources/stores/memoryStore.js';
import type { LayerReader } from '../src/engine/layerReader.js';
import type { VolumeDataLayer } from '../src/model/geometry/layers.js';
import type { Index6 } from '../src/model/geometry/partition.js';
import { closeGate, createDeliveryGate, throughGate } from '../src/engine/deliveryGate.js';
import type { ChunkDestination } from '../src/engine/chunkDestination.js';
import { SubsetDestination } from '../src/engine/subsetDestination.js';
import { planSubset, subsetByteSize } from '../src/engine/subsetPlan.js';
import { planSamples, type SamplePlan } from '../src/engine/samplePlan.js';
import { seededRandom } from './support/random.js';
import { projectedByteSize, projectionAxes, projectionOf } from '../src/engine/projectionPlan.js';
import { readChunks } from '../operators/readChunks.js';
import { convertSamples } from '../operators/convertSamples.js';
import { untilAborted } from '../operators/untilAborted.js';
import { closesDestination } from '../sinks/closesDestination.js';
import { VolumeDataRequest } from '../src/api/request.js';
import { InstrumentedStore } from './support/slowStore.js';
import { zipCodec } from '../src/codecs/zip.js';
import { uniqueMemoryUrl, writeTestVolume } from './support/volumes.js';

const F = vds.VolumeDataFormat;
const value = (x: number, y: number, z: number) => x + 100 * y + 10_000 * z;
const lo = (...v: number[]) => [...v, 0, 0, 0].slice(0, 6) as Index6;
const hi = (...v: number[]) => [...v, 1, 1, 1].slice(0, 6) as Index6;
const flushed = () => new Promise((resolve) => setImmediate(resolve));

describe('the read path', function () {
  this.timeout(60_000);
  let store: InstrumentedStore;
  let dataset: vds.VDS;
  let layer: VolumeDataLayer;

  before(async () => {
    // 64³ voxels in 32³ bricks, no margins: 8 chunks.
    const url = uniqueMemoryUrl('chunk-path');
    await writeTestVolume({ url, size: [64, 64, 64], format: F.Format_R32, method: vds.CompressionMethod.Zip, value, valueRange: [0, 700_000] });
    store = new InstrumentedStore(new MemoryStore(url.slice('inmemory://'.length)));
    dataset = await vds.open(store);
    layer = dataset.layers.get(vds.DimensionsND.Dimensions_012, 0, 0)!;
  });
  after(async () => { await vds.close(dataset, false); });

  describe('reading a chunk', () => {
    function counting(): { reader: LayerReader; calls: number[] } {
      const reader = dataset.reader(layer);
      const calls: number[] = [];
      return { calls, reader: { ...reader, chunkMetadata: (i, signal) => { calls.push(i); return reader.chunkMetadata(i, signal); } } };
    }

    for (const cached of [false, true]) {
      it(`reads each chunk's metadata once (${cached ? 'through' : 'without'} the chunk cache)`, async () => {
        dataset.chunkCache.setMaxBytes(0);
        const { reader, calls } = counting();
        const cache = cached ? dataset.chunkCache : undefined;
        const chunks = await lastValueFrom(of(0, 1, 2, 3, 4, 5, 6, 7).pipe(readChunks(reader, { format: F.Format_R32 }, cache), toArray()));
        expect(chunks.map((c) => c.chunkIndex).sort()).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
        expect(calls.sort()).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
        const chunk7 = new Float32Array(chunks.find((c) => c.chunkIndex === 7)!.bytes.buffer);
        expect(chunk7[0]).to.equal(value(32, 32, 32));
      });
    }

    it('keeps a chunk the second time it is wanted (by default), and serves it from then on', async () => {
      dataset.chunkCache.setMaxBytes(64 * 1024 * 1024);
      dataset.chunkCache.clear();
      const manager = vds.getAccessManager(dataset);
      const readsOf = async () => {
        const before = store.reads;
        const request = manager.requestVolumeSubset([32, 0, 0], [64, 32, 32], { format: F.Format_R32 });
        expect(await request.waitForCompletion()).to.equal(true);
        expect((request.data as Float32Array)[0]).to.equal(value(32, 0, 0));
        return store.reads - before;
      };
      const first = await readsOf();
      expect(first, 'the first read fetches its chunk').to.be.greaterThan(0);
      expect(dataset.chunkCache.cachedBytes, 'a chunk wanted once is not kept').to.equal(0);
      expect(await readsOf(), 'the second read fetches it again, and keeps it').to.equal(first);
      expect(dataset.chunkCache.cachedBytes).to.be.greaterThan(0);
      expect(await readsOf(), 'the third is served from the cache').to.equal(0);
      dataset.chunkCache.setMaxBytes(0);
    });

    it('serves page reads from the chunk cache, into bytes of their own', async () => {
      dataset.chunkCache.setMaxBytes(64 * 1024 * 1024);
      dataset.chunkCache.clear();
      dataset.chunkCache.admission = 'first-use';
      const manager = vds.getAccessManager(dataset);
      const request = manager.requestVolumeSubset([32, 0, 0], [64, 32, 32], { format: F.Format_R32 });
      expect(await request.waitForCompletion()).to.equal(true);
      const reads = store.reads;
      const accessor = manager.createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 2, vds.AccessMode.AccessMode_ReadOnly);
      const page = await accessor.readPage(1);
      expect(store.reads, 'store reads for a cached chunk').to.equal(reads);
      const values = page.getBuffer() as Float32Array;
      expect(values[0]).to.equal(value(32, 0, 0));
      expect(values[31 + 32 * (31 + 32 * 31)]).to.equal(value(63, 31, 31));
      values[0] = -1;
      await page.release();
      const again = manager.requestVolumeSubset([32, 0, 0], [33, 1, 1], { format: F.Format_R32 });
      expect(await again.waitForCompletion()).to.equal(true);
      expect(Array.from(again.data as Float32Array)).to.deep.equal([value(32, 0, 0)]);
      dataset.chunkCache.setMaxBytes(0);
      dataset.chunkCache.admission = 'second-use';
    });
  });

  it('copy verification decodes every chunk on the pool, none on the main thread', async () => {
    const decode = zipCodec.decode;
    let mainThreadDecodes = 0;
    zipCodec.decode = (...args) => { mainThreadDecodes++; return decode(...args); };
    try {
      const copy = new MemoryStore(`chunk-path-copy-${process.pid}`);
      const progress = await vds.copyDataset(store, copy, { verify: true });
      // 8 chunks, then the metadata.
      expect(progress.objectCount).to.equal(8 + 1);
      expect(mainThreadDecodes).to.equal(0);
    } finally {
      zipCodec.decode = decode;
    }
  });

  describe('SubsetDestination', () => {
    // [16, 48)³: a quarter of each chunk's interior, 32³ output voxels.
    const plan = () => planSubset(layer, lo(16, 16, 16), hi(48, 48, 48));
    const chunkBytes = (chunkIndex: number) => {
      const { min } = layer.partition.chunkMinMax(chunkIndex, true);
      const bytes = new Float32Array(32 ** 3).map((_, i) => value(min[0]! + (i % 32), min[1]! + (Math.floor(i / 32) % 32), min[2]! + Math.floor(i / 1024)));
      return new Uint8Array(bytes.buffer);
    };

    it('copies a chunk\'s share into the output, and leaves the rest', () => {
      const p = plan();
      expect(p.chunks).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
      const out = new Float32Array(32 ** 3).fill(-1);
      const destination = new SubsetDestination(p, new Uint8Array(out.buffer), F.Format_R32);
      destination.receive({ chunkIndex: 7, bytes: chunkBytes(7) });
      const at = (x: number, y: number, z: number) => out[(x - 16) + 32 * ((y - 16) + 32 * (z - 16))];
      expect(at(32, 32, 32)).to.equal(value(32, 32, 32));
      expect(at(47, 47, 47)).to.equal(value(47, 47, 47));
      expect(at(31, 47, 47)).to.equal(-1);
      expect(out.filter((v) => v !== -1).length).to.equal(16 ** 3);
    });

    it('gives workers a delivery only for a shared, byte-addressed buffer and a chunk that adds voxels', () => {
      // Chunk 3 is chunk (1, 1, 0): voxels [32, 64) × [32, 64) × [0, 32).
      const p = plan();
      const shared = new Uint8Array(new SharedArrayBuffer(subsetByteSize(layer, p.min, p.max, F.Format_R32)));
      expect(shared.byteLength).to.equal(32 ** 3 * 4);
      const delivery = new SubsetDestination(p, shared, F.Format_R32).deliveryFor(3);
      expect(delivery).to.include({ kind: 'subset', buffer: shared.buffer, byteOffset: 0, byteLength: 32 ** 3 * 4, format: F.Format_R32, components: 1 });
      expect(delivery!.copy).to.deep.include({ chunkStart: [0, 0, 16, 0, 0, 0], outStart: [16, 16, 0, 0, 0, 0], count: [16, 16, 16, 1, 1, 1] });
      expect(new SubsetDestination(p, shared, F.Format_R32).deliveryFor(8)).to.equal(undefined);
      expect(new SubsetDestination(p, new Uint8Array(32 ** 3 * 4), F.Format_R32).deliveryFor(3)).to.equal(undefined);
      // 1Bit: neighbouring chunks share output bytes, so only the main thread writes them.
      expect(new SubsetDestination(p, new Uint8Array(new SharedArrayBuffer(4096)), F.Format_1Bit).deliveryFor(3)).to.equal(undefined);
    });

    it('skips a chunk a worker delivered into it, and refuses one delivered elsewhere without its bytes', () => {
      const out = new Uint8Array(new SharedArrayBuffer(32 ** 3 * 4));
      const destination = new SubsetDestination(plan(), out, F.Format_R32);
      destination.receive({ chunkIndex: 0, deliveredTo: out.buffer });
      expect(out.every((b) => b === 0)).to.equal(true);
      expect(() => destination.receive({ chunkIndex: 0, deliveredTo: new SharedArrayBuffer(8) }))
        .to.throw(vds.InvalidOperationError, 'Chunk 0 arrived without its bytes and was not delivered here');
    });
  });

  describe('the delivery gate', () => {
    it('closes at once when no copy is under way, and refuses later copies', () => {
      const gate = createDeliveryGate();
      let copies = 0;
      expect(throughGate(gate, () => copies++)).to.equal(true);
      expect(closeGate(gate)).to.equal(undefined);
      expect(throughGate(gate, () => copies++)).to.equal(false);
      expect(copies).to.equal(1);
    });

    it('without blocking, resolves when the copy under way ends', async () => {
      const gate = createDeliveryGate();
      // A worker inside throughGate, as another thread would be.
      Atomics.add(gate, 0, 1);
      let quiet = false;
      const closing = closeGate(gate);
      expect(closing).to.be.instanceOf(Promise);
      void closing!.then(() => { quiet = true; });
      expect(throughGate(gate, () => { throw new Error('a copy after the close'); })).to.equal(false);
      await flushed();
      expect(quiet, 'before the copy ended').to.equal(false);
      // The worker leaves, as throughGate does.
      Atomics.sub(gate, 0, 1);
      Atomics.notify(gate, 0);
      await closing;
      expect(quiet).to.equal(true);
    });
  });

  describe('settling after the destination closed', () => {
    function slowDestination(): { destination: ChunkDestination<never>; closes: number[]; open: () => void } {
      let open!: () => void;
      const closing = new Promise<void>((resolve) => { open = resolve; });
      const closes: number[] = [];
      const destination: ChunkDestination<never> = {
        buffer: new ArrayBuffer(0), deliveryFor: () => undefined, receive: () => undefined,
        close: () => { closes.push(Date.now()); return closing; },
      };
      return { destination, closes, open };
    }

    it('holds completion and errors until the destination closed', async () => {
      for (const end of ['complete', 'error'] as const) {
        const { destination, open } = slowDestination();
        const source = new Subject<number>();
        const seen: string[] = [];
        source.pipe(closesDestination(destination)).subscribe({ next: (v) => seen.push(`${v}`), complete: () => seen.push('complete'), error: () => seen.push('error') });
        source.next(1);
        if (end === 'complete') source.complete(); else source.error(new Error('x'));
        await flushed();
        expect(seen).to.deep.equal(['1']);
        open();
        await flushed();
        expect(seen).to.deep.equal(['1', end]);
      }
    });

    it('a request canceled while a worker writes into its buffer is canceled once the write ended', async () => {
      const { destination, open } = slowDestination();
      const request = new VolumeDataRequest<number>((cancel) => new Subject<vds.RequestEvent<number>>().pipe(untilAborted(cancel), closesDestination(destination)));
      request.cancel();
      expect(request.isCanceled()).to.equal(false);
      open();
      expect(await request.waitForCompletion()).to.equal(false);
      expect(request.isCanceled()).to.equal(true);
      expect(request.errorCode).to.equal(-2);
    });
  });

  describe('projection plan', () => {
    it('projects along the group dimension outside the projected pair, with the plane reordered as OpenVDS does', () => {
      const plane = [1, 2, 3, 4] as const;
      const axes01 = projectionAxes(layer, vds.DimensionsND.Dimensions_01);
      expect(axes01).to.deep.equal({ projected: [0, 1], projection: 2 });
      expect(projectionOf(layer, lo(0, 0, 0), hi(64, 64, 64), axes01, plane).plane).to.deep.equal([1, 2, 3, 4]);
      const axes02 = projectionAxes(layer, vds.DimensionsND.Dimensions_02);
      expect(axes02).to.deep.equal({ projected: [0, 2], projection: 1 });
      expect(projectionOf(layer, lo(0, 0, 0), hi(64, 64, 64), axes02, plane).plane).to.deep.equal([1, 3, 2, 4]);
      expect(projectedByteSize(layer, lo(0, 0, 0), hi(10, 64, 20), axes02, F.Format_R32)).to.equal(10 * 20 * 4);
      expect(projectedByteSize(layer, lo(0, 0, 0), hi(10, 64, 20), axes02, F.Format_1Bit)).to.equal(Math.ceil(200 / 8));
    });

    it('refuses a 2D group outside the layer\'s, a plane parallel to the projection and a malformed plane', () => {
      expect(() => projectionAxes(layer, vds.DimensionsND.Dimensions_13)).to.throw(vds.InvalidArgumentError,
        'projectedDimensions Dimensions_13 must be a 2D group inside the 3D group Dimensions_012');
      const axes = projectionAxes(layer, vds.DimensionsND.Dimensions_12);
      expect(() => projectionOf(layer, lo(0, 0, 0), hi(8, 8, 8), axes, [0, 1, 1, 0])).to.throw(vds.InvalidArgumentError,
        'voxelPlane has no component along the projected dimension 0');
      expect(() => projectionOf(layer, lo(0, 0, 0), hi(8, 8, 8), axes, [1, NaN, 1, 0])).to.throw(vds.InvalidArgumentError,
        'voxelPlane must be 4 finite numbers [X, Y, Z, T]');
    });
  });

  describe('sample plan', () => {
    const positionsOf = (points: number[][]) => Float64Array.from(points.flatMap((p) => [...p, 0, 0, 0]));

    it('groups samples by chunk in ascending chunk order, with the same chunk and local coordinates from its array and its Map tables', () => {
      // 100 samples on 8 chunks: tables indexed by chunk; 1 sample: a Map over the chunks met.
      const next = seededRandom(3);
      const points = Array.from({ length: 100 }, () => [0, 1, 2].map(() => Math.fround(next() * 64)));
      const many = planSamples(layer, positionsOf(points));
      expect([...many.byChunk.keys()]).to.deep.equal([...many.byChunk.keys()].sort((a, b) => a - b));
      expect([...many.byChunk.values()].reduce((n, indices) => n + indices.length, 0)).to.equal(100);
      for (const [chunk, indices] of many.byChunk) {
        for (const i of indices) {
          const one = planSamples(layer, positionsOf([points[i]!]));
          expect([...one.byChunk.entries()].map(([c, v]) => [c, [...v]]), `sample ${i}`).to.deep.equal([[chunk, [0]]]);
          expect([...one.local], `sample ${i}`).to.deep.equal([...many.local.subarray(i * 3, i * 3 + 3)]);
          expect(layer.partition.chunkIndexOfVoxel(points[i]!.map(Math.floor).concat([0, 0, 0])), `sample ${i}`).to.equal(chunk);
        }
      }
    });
  });

  describe('convertSamples', () => {
    it('converts the samples of each chunk that comes through, and only those', async () => {
      const plan = { layer, byChunk: new Map([[5, Int32Array.of(0, 2)], [7, Int32Array.of(1)]]), local: new Float32Array(9), count: 3 } as SamplePlan;
      const values = new Float64Array([0.4, 2.6, 3]);
      const data = new Uint8Array([9, 9, 9]);
      await lastValueFrom(of(5).pipe(convertSamples(plan, values, data, F.Format_U8, (v) => Math.round(v))));
      expect(Array.from(data)).to.deep.equal([0, 9, 3]);
      // 1Bit: one bit per sample, the others kept.
      const bits = new Uint8Array([0b010]);
      await lastValueFrom(of(5).pipe(convertSamples(plan, values, bits, F.Format_1Bit, (v) => (v > 1 ? 1 : 0))));
      expect(bits[0]).to.equal(0b110);
    });
  });
});
