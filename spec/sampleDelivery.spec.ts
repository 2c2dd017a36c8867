import { expect } from 'chai';
import * as vds from '../src/index.js';
import { MemoryStore } from '../sources/stores/memoryStore.js';
import { seededRandom } from './support/random.js';
import { chunkJobsInFlight, InstrumentedStore, whenQuiet } from './support/slowStore.js';
import { writeTestVolume } from './support/volumes.js';

const I = vds.InterpolationMethod;
const size: [number, number, number] = [70, 50, 40];
/** Not linear, so every interpolation method gives its own bits. */
const wave = (x: number, y: number, z: number) => Math.sin(x * 0.37) * 40 + Math.cos(y * 0.21 + z * 0.13) * 25;

/** The bits of f32/f64 results, so -0 and NaN compare exactly. */
const bits = (data: Float32Array | Float64Array | Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex');

/** Positions anywhere, and on or within 1e-3 of the 32-voxel chunk borders (neighbour voxels come from margins or clamping). */
function positions(count: number, seed: number): Float64Array {
  const next = seededRandom(seed);
  const out = new Float64Array(count * 6);
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < 3; d++) {
      const border = 32 * Math.floor(next() * Math.ceil(size[d]! / 32)) + [-1e-3, 0, 1e-3, 0.5, -0.5][i % 5]!;
      out[i * 6 + d] = i % 2 ? Math.min(Math.max(border, 0), size[d]!) : next() * size[d]!;
    }
  }
  return out;
}

async function completed<T extends vds.VolumeDataTypedArray>(request: vds.VolumeDataRequest<T>): Promise<T> {
  expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
  return request.data;
}

describe('interpolation on the worker pool (SampleDelivery)', function () {
  this.timeout(60_000);
  for (const margin of [0, 4]) {
    describe(`margins ${margin}`, () => {
      let dataset: vds.VDS;
      let manager: vds.VolumeDataAccessManager;
      before(async () => {
        const { url } = await writeTestVolume({ size, format: vds.VolumeDataFormat.Format_R32, method: vds.CompressionMethod.Zip, value: wave,
          margin, valueRange: [-70, 70] });
        dataset = await vds.open(url);
        dataset.chunkCache.setMaxBytes(0);
        manager = vds.getAccessManager(dataset);
      });
      after(() => vds.close(dataset));

      for (const method of [I.Nearest, I.Linear, I.Cubic, I.Angular, I.Triangular]) {
        it(`${I[method]} samples sampled by the workers (shared result) have the bits of the main thread's (unshared dataOut)`, async () => {
          const at = positions(3000, 11 + method);
          const onWorkers = await completed(manager.requestVolumeSamples(at, { interpolationMethod: method }));
          expect(onWorkers.buffer).to.be.an.instanceOf(SharedArrayBuffer);
          const onMain = await completed(manager.requestVolumeSamples(at, { interpolationMethod: method, dataOut: new Float32Array(3000) }));
          expect(bits(onWorkers)).to.equal(bits(onMain));
          if (method === I.Nearest) {
            for (let i = 0; i < 3000; i++) {
              const voxel = [0, 1, 2].map((d) => Math.min(Math.floor(at[i * 6 + d]!), size[d]! - 1));
              expect(onWorkers[i], `sample ${i}`).to.equal(Math.fround(wave(voxel[0]!, voxel[1]!, voxel[2]!)));
            }
          }
        });
      }

      it('traces sampled by the workers have the bits of the main thread\'s', async () => {
        const traces = positions(40, 5);
        const count = 40 * size[0];
        const onWorkers = await completed(manager.requestVolumeTraces(traces, 0, { interpolationMethod: I.Cubic }));
        const onMain = await completed(manager.requestVolumeTraces(traces, 0, { interpolationMethod: I.Cubic, dataOut: new Float32Array(count) }));
        expect(bits(onWorkers)).to.equal(bits(onMain));
        // Trace 0, sample j: the centre of voxel j along dimension 0; Nearest would give the voxel itself.
        const nearest = await completed(manager.requestVolumeTraces(traces, 0, { interpolationMethod: I.Nearest }));
        const [y, z] = [Math.min(Math.floor(traces[1]!), size[1] - 1), Math.min(Math.floor(traces[2]!), size[2] - 1)];
        for (let j = 0; j < size[0]; j++) expect(nearest[j]).to.equal(Math.fround(wave(j, y, z)));
      });
    });
  }

  it('a chunk served from the chunk cache is sampled on the main thread with the same bits (samples, projected subsets)', async () => {
    const { url } = await writeTestVolume({ size, format: vds.VolumeDataFormat.Format_R32, method: vds.CompressionMethod.Zip, value: wave, margin: 4 });
    const dataset = await vds.open(url);
    try {
      const manager = vds.getAccessManager(dataset);
      const at = positions(2000, 21);
      const first = await completed(manager.requestVolumeSamples(at));
      const second = await completed(manager.requestVolumeSamples(at));
      expect(bits(first)).to.equal(bits(second));
      const plane = { voxelPlane: [0.1, -0.2, 1, -20] as const, interpolationMethod: I.Cubic };
      const projected = [0, 1].map(() => manager.requestProjectedVolumeSubset([0, 0, 0], size, plane));
      const [a, b] = await Promise.all(projected.map(completed));
      expect(bits(a as Float32Array)).to.equal(bits(b as Float32Array));
    } finally {
      await vds.close(dataset);
    }
  });

  it('cancelled sample requests leave no worker job and no write into their result after cancel returns', async () => {
    const { url } = await writeTestVolume({ url: 'inmemory://sample-cancel-' + process.pid, size, format: vds.VolumeDataFormat.Format_R32,
      method: vds.CompressionMethod.Zip, value: wave });
    const store = new InstrumentedStore(new MemoryStore(url.slice('inmemory://'.length)));
    const dataset = await vds.open(store);
    dataset.chunkCache.setMaxBytes(0);
    const manager = vds.getAccessManager(dataset);
    const next = seededRandom(7);
    const canceled: { out: Float32Array; snapshot: Float32Array }[] = [];
    try {
      for (let batch = 0; batch < 10; batch++) {
        store.delayMs = Math.floor(next() * 3);
        await Promise.all(Array.from({ length: 20 }, async (_, k) => {
          const out = new Float32Array(new SharedArrayBuffer(4000 * 4)).fill(-12345);
          const request = manager.requestVolumeSamples(positions(4000, batch * 20 + k), { dataOut: out, interpolationMethod: I.Cubic });
          await new Promise((resolve) => setTimeout(resolve, next() * 6));
          request.cancel();
          if (request.isCanceled()) canceled.push({ out, snapshot: out.slice() });
        }));
      }
      await whenQuiet(store);
    } finally {
      await vds.close(dataset, false);
    }
    expect(chunkJobsInFlight()).to.equal(0);
    expect(canceled.length).to.be.greaterThan(100);
    const written = canceled.filter(({ out, snapshot }) => bits(out) !== bits(snapshot));
    expect(written.length, 'results written after cancel returned').to.equal(0);
  });
});
