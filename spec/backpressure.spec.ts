import { expect } from 'chai';
import { concatMap, lastValueFrom, map, range, timer, toArray } from 'rxjs';
import * as vds from '../src/index.js';
import { useTempFolder } from './support/tempFolder.js';
import { writeTestVolume } from './support/volumes.js';

const MB = 1024 * 1024;

describe('backpressure', function () {
  this.timeout(180_000);
  const inFolder = useTempFolder('stream');

  it('streams a 128 MB volume through a slow consumer within a 32 MB memory cap', async () => {
    const url = inFolder('big');
    const size: [number, number, number] = [256, 256, 512];
    await writeTestVolume({ url, size, format: vds.VolumeDataFormat.Format_R32, brickSize: vds.BrickSize.BrickSize_64,
      value: (x, y, z) => x + y + z, maxPages: 4 });
    const dataset = await vds.open(url);
    dataset.chunkCache.setMaxBytes(0);
    const layer = dataset.layers.get(vds.DimensionsND.Dimensions_012, 0, 0)!;
    const reader = dataset.reader(layer);
    const base = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().arrayBuffers - base); }, 2);
    let sum = 0;
    const chunks = await lastValueFrom(range(0, layer.chunkCount).pipe(
      vds.inFlight(4, (indices) => indices.pipe(
        vds.fetchChunks(reader),
        vds.decodeChunks(reader, { format: vds.VolumeDataFormat.Format_R32 }),
        // The slow consumer sits inside the bounded stage: at most 4 chunks exist at once.
        concatMap((chunk) => timer(3).pipe(map(() => {
          const values = new Float32Array(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength / 4);
          sum += values[0]!;
          // Collect what earlier chunks left behind, so the peak measures what is really held.
          (globalThis as { gc?: () => void }).gc?.();
          return chunk.chunkIndex;
        }))),
      )),
      toArray(),
    ));
    clearInterval(sampler);
    await vds.close(dataset);
    expect(chunks.length).to.equal(layer.chunkCount);
    expect(layer.chunkCount * 64 ** 3 * 4).to.equal(128 * MB);
    expect(sum).to.be.greaterThan(0);
    expect(peak / MB, `peak ${(peak / MB).toFixed(1)} MB`).to.be.lessThan(32);
  });
});
