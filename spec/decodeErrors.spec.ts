// A chunk that fails to decode gives one error on every read path — the request API (decoded on
// the worker pool, through the chunk cache), the page accessor (worker pool, no cache) and the
// copy's verification (main thread): same class, same OpenVDS code, a message naming the chunk.
import { expect } from 'chai';
import { lastValueFrom } from 'rxjs';
import { MemoryStore } from '../sources/stores/memoryStore.js';
import { VdsFileDataset } from '../sources/dataset/vdsFileDataset.js';
import type { ReadChunkOptions } from '../src/engine/datasetStore.js';
import type { VolumeDataLayer } from '../src/model/geometry/layers.js';
import { CompressionMethod, VolumeDataFormat } from '../src/model/enums.js';
import { chunkPool } from '../src/workers/pool.js';
import { fromErrorRecord, toErrorRecord } from '../src/workers/errorTransport.js';
import * as vds from '../src/index.js';
import { rejection } from './support/rejection.js';
import { InstrumentedStore } from './support/slowStore.js';
import { openvdsVector } from './support/testdata.js';
import { writeTestVolume } from './support/volumes.js';

type ErrorClass = abstract new (...args: never[]) => Error;

interface Expected {
  errorClass: ErrorClass;
  code: number;
  /** What the codec says; the chunk's name and store come before it. */
  problem: string;
}

/** Reads a 2-chunk-wide volume whose chunk 1 is `corrupt`ed, along every path, and checks each error. */
async function expectSameErrorEverywhere(store: InstrumentedStore | VdsFileDataset, chunk: number, size: readonly number[], expected: Expected,
  copyVerifies: boolean): Promise<void> {
  const message = `Cannot decode chunk Dimensions_012LOD0/${chunk} of ${store.description}: ${expected.problem}`;
  const check = (error: Error, path: string) => {
    expect(error, `${path}: ${error.stack}`).to.be.instanceOf(expected.errorClass);
    expect((error as vds.ReadError).code, path).to.equal(expected.code);
    expect(error.message, path).to.equal(message);
  };
  const dataset = await vds.open(store);
  try {
    const manager = vds.getAccessManager(dataset);
    // Twice: the chunk cache must not keep the failure nor hide it.
    for (const attempt of [1, 2]) {
      const request = manager.requestVolumeSubset([0, 0, 0], size);
      expect(await request.waitForCompletion()).to.equal(false);
      expect(request.isCanceled()).to.equal(true);
      expect(request.errorCode, `request ${attempt}`).to.equal(expected.code);
      expect(request.errorMessage, `request ${attempt}`).to.equal(message);
      check(await rejection(lastValueFrom(request.asObservable())), `request ${attempt}`);
    }
    const accessor = manager.createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 2, vds.AccessMode.AccessMode_ReadOnly);
    check(await rejection(accessor.readPage(chunk)), 'page accessor');
    if (copyVerifies) check(await rejection(vds.copyDataset(store, new MemoryStore(`decode-errors-copy-${process.pid}-${chunk}`))), 'copy');
  } finally {
    await vds.close(dataset);
  }
}

describe('decode errors across the worker boundary', function () {
  this.timeout(60_000);
  const size: [number, number, number] = [40, 36, 32];
  // Chunk 1 spans x 32…40, y 0…32, z 0…32: 8 × 32 × 32 R32 voxels.
  const chunkBytes = 8 * 32 * 32 * 4;

  async function corruptedVolume(method: CompressionMethod, corrupt: (bytes: Uint8Array) => Uint8Array): Promise<InstrumentedStore> {
    const volume = await writeTestVolume({ size, format: VolumeDataFormat.Format_R32, method, value: (x, y, z) => x * y + z });
    const store = new InstrumentedStore(new MemoryStore(volume.url.slice('inmemory://'.length)));
    store.corrupt = (key, bytes) => (key === 'Dimensions_012LOD0/1' ? corrupt(bytes) : bytes);
    return store;
  }

  it('Zip: a chunk that does not inflate', async () => {
    const store = await corruptedVolume(CompressionMethod.Zip, (bytes) => bytes.subarray(0, 100));
    await expectSameErrorEverywhere(store, 1, size,
      { errorClass: vds.ChunkFormatError, code: -1, problem: 'Zip chunk does not inflate: unexpected end of file' }, true);
  });

  it('RLE: a chunk cut before its RLE header', async () => {
    const store = await corruptedVolume(CompressionMethod.RLE, (bytes) => bytes.subarray(0, 30));
    await expectSameErrorEverywhere(store, 1, size,
      { errorClass: vds.ChunkFormatError, code: -1, problem: 'RLE chunk is truncated: no RLE header' }, true);
  });

  it('None: a chunk of the wrong size', async () => {
    const store = await corruptedVolume(CompressionMethod.None, (bytes) => bytes.subarray(0, 24 + 100));
    await expectSameErrorEverywhere(store, 1, size, { errorClass: vds.ChunkFormatError, code: -1,
      problem: `Required size of uncompressed chunk is not present: 100 payload bytes, expected ${chunkBytes}` }, true);
  });

  describe('wavelet (subset.vds, one 100³ chunk)', () => {
    /** subset.vds, whose LOD 0 amplitude chunk reads `corrupt`ed. */
    function corruptedSubset(corrupt: (bytes: Uint8Array) => void): VdsFileDataset {
      return new class extends VdsFileDataset {
        override async readChunk(layer: VolumeDataLayer, chunkIndex: number, options: ReadChunkOptions): Promise<Uint8Array> {
          const bytes = await super.readChunk(layer, chunkIndex, options);
          if (layer.name === 'Dimensions_012LOD0') corrupt(bytes);
          return bytes;
        }

        /** None: the corruption happens in readChunk, so no worker reads the file itself. */
        override chunkFile(): Promise<undefined> {
          return Promise.resolve(undefined);
        }
      }(openvdsVector('subset.vds'));
    }

    it('an invalid header is code 100', async () => {
      const store = corruptedSubset((bytes) => new DataView(bytes.buffer).setInt32(0, 670, true));
      // The copy does not decode wavelet chunks (they are verified by their size only).
      await expectSameErrorEverywhere(store, 0, [100, 100, 100],
        { errorClass: vds.ChunkFormatError, code: 100, problem: 'Invalid wavelet header: unknown version 670' }, false);
    });

    it('a corrupt body is code -1', async () => {
      const store = corruptedSubset((bytes) => bytes.fill(0xff, 24, 200));
      await expectSameErrorEverywhere(store, 0, [100, 100, 100],
        { errorClass: vds.ChunkFormatError, code: -1, problem: 'Wavelet chunk: zero-run block size -1 is below 4' }, false);
    });
  });

  it('the pool rebuilds the class and code a worker threw', async () => {
    const chunk = new Uint8Array(24);
    new DataView(chunk.buffer).setInt32(0, 999, true);
    const channel = { valueRangeMin: 0, valueRangeMax: 1, integerScale: 1, integerOffset: 0, useNoValue: false, noValue: 0 };
    const error = await rejection(chunkPool().run({ kind: 'decode', method: CompressionMethod.Wavelet, chunk, options: {
      shape: { dimensionality: 3, size: [4, 4, 4], components: 1, format: VolumeDataFormat.Format_R32 }, channel,
      targetFormat: VolumeDataFormat.Format_R32 } }, [chunk.buffer]));
    expect(error).to.be.instanceOf(vds.ChunkFormatError);
    expect(error).to.deep.include({ name: 'ChunkFormatError', code: 100, message: 'Invalid wavelet header: unknown version 999' });
    // The stack is the worker's: it shows where decoding failed.
    expect(error.stack).to.match(/readWaveletHeader/);
  });

  it('error records round-trip every error class, and pass other rejections through', () => {
    const cases: [Error, ErrorClass, number | undefined][] = [
      [new vds.RxvdsError('generic', 3), vds.RxvdsError, 3],
      [new vds.ChunkFormatError('bad chunk', 100), vds.ChunkFormatError, 100],
      [new vds.StoreError('unavailable', 503), vds.StoreError, 503],
      [new vds.NotFoundError('missing'), vds.NotFoundError, 404],
      [new vds.WriteError('refused', 403), vds.WriteError, 403],
      [new vds.ReadError('unreadable'), vds.ReadError, -1],
      [new vds.SegyFormatError('f.sgy: truncated'), vds.SegyFormatError, -1],
      [new vds.InvalidArgumentError('bad argument'), vds.InvalidArgumentError, -1],
      [new vds.InvalidOperationError('not now'), vds.InvalidOperationError, -1],
      [new vds.CanceledError(), vds.CanceledError, -2],
      [new RangeError('Offset is outside the bounds of the DataView'), RangeError, undefined],
      [new TypeError('not a function'), TypeError, undefined],
    ];
    // A class added to errors.ts without a case here (and a rebuild entry in errorTransport.ts) fails.
    const errorClasses = Object.values(vds).filter((value) => value === vds.RxvdsError || (value as { prototype?: unknown }).prototype instanceof vds.RxvdsError);
    expect(errorClasses).to.have.members(cases.map(([, errorClass]) => errorClass).filter((c) => c !== RangeError && c !== TypeError));
    for (const [thrown, errorClass, code] of cases) {
      // Through structured cloning, as between threads.
      const rebuilt = fromErrorRecord(structuredClone(toErrorRecord(thrown))) as Error;
      expect(rebuilt, thrown.name).to.be.instanceOf(errorClass);
      expect(rebuilt.constructor, thrown.name).to.equal(errorClass);
      expect(rebuilt.name).to.equal(thrown.name);
      expect(rebuilt.message).to.equal(thrown.message);
      expect((rebuilt as { code?: number }).code).to.equal(code);
    }
    const custom = Object.assign(new vds.ReadError('custom', 7), { name: 'VdsFileError' });
    expect(fromErrorRecord(structuredClone(toErrorRecord(custom)))).to.be.instanceOf(vds.ReadError).and.deep.include({ name: 'VdsFileError', code: 7 });
    const oddName = Object.assign(new Error('odd'), { name: 'constructor' });
    expect(fromErrorRecord(structuredClone(toErrorRecord(oddName)))).to.be.instanceOf(Error).and.deep.include({ name: 'constructor', message: 'odd' });
    expect(fromErrorRecord(structuredClone(toErrorRecord('a string')))).to.be.instanceOf(Error).and.have.property('message', 'a string');
    const workerDied = new Error('Worker terminated');
    expect(fromErrorRecord(workerDied)).to.equal(workerDied);
  });
});
