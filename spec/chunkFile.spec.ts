import { expect } from 'chai';
import { mkdir, rm, truncate, writeFile } from 'node:fs/promises';
import * as vds from '../src/index.js';
import { FolderStore } from '../sources/stores/folderStore.js';
import { wrapStore, type StoreOperation } from '../sources/stores/wrapStore.js';
import { VdsFileDataset } from '../sources/dataset/vdsFileDataset.js';
import { readChunkFile } from '../src/workers/readChunkFile.js';
import { noneCodec } from '../src/codecs/none.js';
import { HERE_BYTES, servesHere } from '../operators/deliverHere.js';
import { type ChunkCopy, planSubset, type SubsetPlan } from '../src/engine/subsetPlan.js';
import type { DecodeOptions } from '../src/model/block.js';
import type { DenseBox } from '../src/model/geometry/denseBox.js';
import { lastValueFrom } from 'rxjs';
import { layersOf } from '../src/model/layout/volumeDataLayout.js';
import { rejection } from './support/rejection.js';
import { useTempFolder } from './support/tempFolder.js';
import { openvdsVector } from './support/testdata.js';
import { writeTestVolume } from './support/volumes.js';

const F = vds.VolumeDataFormat;
const size: [number, number, number] = [37, 29, 23];
const value = (x: number, y: number, z: number) => x + 40 * y + 1200 * z;

/** A folder store that logs every operation but localFile, which it forwards as wrappers do. */
function loggedFolder(path: string): { store: FolderStore; log: string[] } {
  const log: string[] = [];
  const store = wrapStore(new FolderStore(path), {
    call: (operation: StoreOperation, key, options, run) => {
      log.push(`${operation} ${key}`);
      return run(options);
    },
  }) as FolderStore;
  return { store, log };
}

async function readSubset(store: vds.IOManager | string, min: number[], max: number[], options: vds.VolumeSubsetOptions = {}) {
  const dataset = await vds.open(store);
  dataset.chunkCache.setMaxBytes(0);
  try {
    const request = vds.getAccessManager(dataset).requestVolumeSubset(min, max, options);
    if (!(await request.waitForCompletion())) await lastValueFrom(request.asObservable());
    return request.data;
  } finally {
    await vds.close(dataset, false);
  }
}

/** The expected subset, dimension 0 fastest, `components` interleaved (value + c, as the volume was written). */
function expected(min: number[], max: number[], components = 1, map = (v: number) => v): number[] {
  const out: number[] = [];
  for (let z = min[2]!; z < max[2]!; z++) for (let y = min[1]!; y < max[1]!; y++) for (let x = min[0]!; x < max[0]!; x++) {
    for (let c = 0; c < components; c++) out.push(map(value(x, y, z) + c));
  }
  return out;
}

describe('chunk objects read by the pool workers from their local files (issue 15)', function () {
  this.timeout(60_000);
  const temp = useTempFolder('chunkfile');

  describe('readChunkFile', () => {
    it('reads an extent inside a larger file, or a whole file from an offset', async () => {
      await mkdir(temp('raw'), { recursive: true });
      const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 255);
      await writeFile(temp('raw', 'file'), bytes);
      expect([...(await readChunkFile({ path: temp('raw', 'file'), offset: 1000, length: 300 }))!]).to.deep.equal([...bytes.subarray(1000, 1300)]);
      expect([...(await readChunkFile({ path: temp('raw', 'file'), offset: 4990 }))!]).to.deep.equal([...bytes.subarray(4990)]);
      expect((await readChunkFile({ path: temp('raw', 'file'), offset: 5000 }))!.byteLength).to.equal(0);
    });

    it('with a part, reads the head and the span it leads to, and no other byte', async () => {
      await mkdir(temp('raw'), { recursive: true });
      const first = Uint8Array.from({ length: 4000 }, () => 0xaa);
      const second = Uint8Array.from({ length: 4000 }, (_, i) => (i * 13) & 255);
      await writeFile(temp('raw', 'first'), first);
      await writeFile(temp('raw', 'second'), second);
      readChunkFile({ path: temp('raw', 'first'), offset: 0 });
      const heads: number[][] = [];
      const bytes = readChunkFile({ path: temp('raw', 'second'), offset: 0 }, {
        headBytes: 24, spanOf: (head) => (heads.push([...head]), { start: 1000, end: 1500 }),
      })!;
      expect(heads).to.deep.equal([[...second.subarray(0, 24)]]);
      expect(bytes.byteLength).to.equal(4000);
      expect([...bytes.subarray(0, 24)]).to.deep.equal([...second.subarray(0, 24)]);
      expect([...bytes.subarray(1000, 1500)]).to.deep.equal([...second.subarray(1000, 1500)]);
      // The rest is what the worker's buffer held before: it was never read.
      expect([...bytes.subarray(24, 1000), ...bytes.subarray(1500)].every((b) => b === 0xaa)).to.equal(true);
      // No span, or one outside the object: the whole object.
      for (const span of [undefined, { start: 10, end: 100 }, { start: 3000, end: 4001 }]) {
        const whole = readChunkFile({ path: temp('raw', 'second'), offset: 0 }, { headBytes: 24, spanOf: () => span })!;
        expect(Buffer.from(whole).equals(second)).to.equal(true);
      }
    });

    it('None names the span of a box: from its first sample to its last, after the 24-byte descriptor', () => {
      const shape = { dimensionality: 3 as const, size: [40, 30, 20] as [number, number, number], format: F.Format_R32, components: 1 };
      const options = { shape, channel: { valueRange: [0, 1], noValue: undefined }, targetFormat: F.Format_R32 } as unknown as DecodeOptions;
      const head = noneCodec.encode!(new Uint8Array(40 * 30 * 20 * 4), { shape, channel: options.channel, tolerance: 0 }).bytes.subarray(0, 24);
      const box = (start: number[], count: number[], size = [40, 30, 20]) =>
        ({ size: [...size, 1, 1, 1], start: [...start, 0, 0, 0], count: [...count, 1, 1, 1] }) as DenseBox;
      const span = (start: number[], count: number[]) => noneCodec.part!.spanOf(head, options, box(start, count));
      const plane = 40 * 30 * 4;
      expect(span([0, 0, 7], [40, 30, 1])).to.deep.equal({ start: 24 + 7 * plane, end: 24 + 8 * plane });
      expect(span([3, 2, 1], [1, 1, 1])).to.deep.equal({ start: 24 + (3 + 40 * 2) * 4 + plane, end: 24 + (4 + 40 * 2) * 4 + plane });
      expect(span([0, 0, 0], [40, 30, 20])).to.deep.equal({ start: 24, end: 24 + 20 * plane });
      expect(span([39, 0, 0], [1, 30, 20])).to.deep.equal({ start: 24 + 39 * 4, end: 24 + 20 * plane });
      // A head that is not the chunk's descriptor: the whole object, so that decode says what is wrong.
      expect(noneCodec.part!.spanOf(new Uint8Array(24), options, box([0, 0, 0], [1, 1, 1]))).to.equal(undefined);
      // A chunk of a 2D group (Dimensions_02): dimension 1 has size 1, the block's second is dimension 2.
      const flat = { ...shape, dimensionality: 2 as const, size: [40, 20, 1] as [number, number, number] };
      const flatHead = noneCodec.encode!(new Uint8Array(40 * 20 * 4), { shape: flat, channel: options.channel, tolerance: 0 }).bytes.subarray(0, 24);
      expect(noneCodec.part!.spanOf(flatHead, { ...options, shape: flat }, box([2, 0, 5], [3, 1, 4], [40, 1, 20])))
        .to.deep.equal({ start: 24 + (2 + 40 * 5) * 4, end: 24 + (4 + 40 * 8) * 4 + 4 });
    });

    it('gives undefined (read it the usual way) for a missing file, an extent past the end, a folder', async () => {
      await mkdir(temp('raw'), { recursive: true });
      await writeFile(temp('raw', 'short'), new Uint8Array(100));
      expect(await readChunkFile({ path: temp('raw', 'missing'), offset: 0 })).to.equal(undefined);
      expect(await readChunkFile({ path: temp('raw', 'short'), offset: 50, length: 51 })).to.equal(undefined);
      expect(await readChunkFile({ path: temp('raw', 'short'), offset: 101 })).to.equal(undefined);
      expect(await readChunkFile({ path: temp('raw'), offset: 0 })).to.equal(undefined);
    });
  });

  describe('folder datasets', () => {
    const cases: { name: string; method: vds.CompressionMethod; format: vds.VolumeDataFormat; components?: vds.VolumeDataComponents; margin?: number }[] = [
      { name: 'None R32, 4-sample margins', method: vds.CompressionMethod.None, format: F.Format_R32, margin: 4 },
      { name: 'Zip R32', method: vds.CompressionMethod.Zip, format: F.Format_R32 },
      { name: 'RLE U16, 2 components', method: vds.CompressionMethod.RLE, format: F.Format_U16, components: vds.VolumeDataComponents.Components_2 },
    ];
    for (const c of cases) {
      it(`${c.name}: workers read every chunk file (the store is asked for none) and the subset is exact`, async () => {
        const path = temp(c.name.replace(/\W+/g, '-'));
        await writeTestVolume({ url: path, size, format: c.format, method: c.method, value, margin: c.margin, components: c.components,
          valueRange: [0, 65535] });
        const { store, log } = loggedFolder(path);
        const min = [3, 1, 2], max = [36, 29, 21];
        const data = await readSubset(store, min, max);
        expect(Array.from(data as ArrayLike<number>)).to.deep.equal(expected(min, max, c.components ?? 1));
        expect(log.filter((entry) => /LOD0\/\d+$/.test(entry))).to.deep.equal([]);
      });
    }

    it('None: the calling thread or a worker that only delivers a box reads just its span of the chunk file, for every box shape', async () => {
      const cases: { format: vds.VolumeDataFormat; components?: vds.VolumeDataComponents; margin?: number; out?: vds.VolumeDataFormat }[] = [
        { format: F.Format_R32, margin: 4 },
        { format: F.Format_U16, components: vds.VolumeDataComponents.Components_2 },
        { format: F.Format_R64 },
        { format: F.Format_U8, out: F.Format_R32 },
        { format: F.Format_1Bit, out: F.Format_1Bit },
      ];
      // Whole, an inline, a crossline, a time slice, one voxel, boxes across chunk borders.
      const boxes = [
        [[0, 0, 0], size], [[0, 0, 17], [37, 29, 18]], [[0, 11, 0], [37, 12, 23]], [[5, 0, 0], [6, 29, 23]],
        [[36, 28, 22], [37, 29, 23]], [[30, 2, 11], [35, 27, 13]], [[31, 21, 0], [33, 22, 23]],
      ];
      for (const c of cases) {
        const bit = c.format === F.Format_1Bit;
        const code = (x: number, y: number, z: number) => (bit ? Number((x * 3 + y + z) % 3 === 0) : (x * 3 + y * 5 + z * 7) % 200);
        const path = temp(`span-${c.format}-${c.components ?? 1}`);
        await writeTestVolume({ url: path, size, format: c.format, method: vds.CompressionMethod.None, value: code, margin: c.margin,
          components: c.components, valueRange: bit ? [0, 1] : [0, 255] });
        for (const [min, max] of boxes) {
          const want: number[] = [];
          for (let z = min![2]!; z < max![2]!; z++) for (let y = min![1]!; y < max![1]!; y++) for (let x = min![0]!; x < max![0]!; x++) {
            for (let k = 0; k < (c.components ?? 1); k++) want.push(code(x, y, z) + k);
          }
          // As stored, a subset this small is served on the calling thread (deliverHere); with a
          // replacement no-value (the channel has none, so values are the same) the workers serve it.
          for (const options of [{ format: c.out }, { format: c.out, replacementNoValue: 0 }]) {
            const { store, log } = loggedFolder(path);
            const data = await readSubset(store, min!, max!, options);
            const got = bit ? want.map((_, i) => ((data as Uint8Array)[i >> 3]! >> (i & 7)) & 1) : Array.from(data as ArrayLike<number>);
            const bad = got.findIndex((v, i) => v !== want[i]);
            expect(bad, `format ${c.format}, box ${min} – ${max}, ${JSON.stringify(options)}: ${got.slice(bad, bad + 8)} for ${want.slice(bad, bad + 8)}`).to.equal(-1);
            expect(log.filter((entry) => /LOD0\/\d+$/.test(entry))).to.deep.equal([]);
          }
        }
      }
    });

    it('None subsets of little work are served on the calling thread: local files, as stored, within HERE_BYTES', async () => {
      const path = temp('here');
      await writeTestVolume({ url: path, size, format: F.Format_R32, method: vds.CompressionMethod.None, value, margin: 2 });
      const zip = temp('here-zip');
      await writeTestVolume({ url: zip, size, format: F.Format_R32, method: vds.CompressionMethod.Zip, value });
      const memory = (await writeTestVolume({ size, format: F.Format_R32, method: vds.CompressionMethod.None, value })).url;
      const verdict = async (url: string, format = F.Format_R32, replacement?: number) => {
        const dataset = await vds.open(url);
        try {
          const layer = layersOf(dataset.layout).byLayerName('Dimensions_012LOD0')!;
          return servesHere(dataset.reader(layer), planSubset(layer, [0, 0, 0, 0, 0, 0], [...size, 1, 1, 1]), format, replacement);
        } finally {
          await vds.close(dataset, false);
        }
      };
      expect(await verdict(path)).to.equal(true);
      expect(await verdict(path, F.Format_U8), 'a conversion').to.equal(false);
      expect(await verdict(path, F.Format_R32, -1), 'a replacement no-value').to.equal(false);
      expect(await verdict(zip), 'Zip').to.equal(false);
      expect(await verdict(memory), 'no local files').to.equal(false);
      // Work beyond HERE_BYTES: 24 MiB of R32 copies go to the pool; a slice reading 64 chunks almost whole stays here.
      const dataset = await vds.open(path);
      try {
        const layer = layersOf(dataset.layout).byLayerName('Dimensions_012LOD0')!;
        const reader = dataset.reader(layer);
        const full = { chunkSize: [64, 64, 64, 1, 1, 1], chunkStart: [0, 0, 0, 0, 0, 0], count: [64, 64, 64, 1, 1, 1] } as unknown as ChunkCopy;
        const thin = { ...full, chunkStart: [0, 31, 0, 0, 0, 0], count: [64, 1, 64, 1, 1, 1] } as unknown as ChunkCopy;
        const plan = (copy: ChunkCopy, n: number) => ({ copies: new Map(Array.from({ length: n }, (_, i) => [i, copy])) }) as unknown as SubsetPlan;
        expect(servesHere(reader, plan(full, Math.floor(HERE_BYTES / (1.25 * 2 ** 20))), F.Format_R32, undefined)).to.equal(true);
        expect(servesHere(reader, plan(full, Math.ceil(HERE_BYTES / (1.25 * 2 ** 20)) + 1), F.Format_R32, undefined)).to.equal(false);
        expect(servesHere(reader, plan(thin, 64), F.Format_R32, undefined)).to.equal(true);
      } finally {
        await vds.close(dataset, false);
      }
    });

    it('converts in the worker too: U8 codes read as R32 through integer scale and offset', async () => {
      const path = temp('u8');
      const code = (x: number, y: number, z: number) => (x * 3 + y * 5 + z * 7) % 251;
      await writeTestVolume({ url: path, size, format: F.Format_U8, method: vds.CompressionMethod.None, value: code,
        valueRange: [10, 10 + 0.5 * 255], integerScale: 0.5, integerOffset: 10 });
      const { store, log } = loggedFolder(path);
      const data = await readSubset(store, [0, 0, 0], size, { format: F.Format_R32 });
      const out: number[] = [];
      for (let z = 0; z < size[2]; z++) for (let y = 0; y < size[1]; y++) for (let x = 0; x < size[0]; x++) out.push(Math.fround(10 + Math.fround(0.5 * code(x, y, z))));
      expect([...data as Float32Array]).to.deep.equal(out);
      expect(log.filter((entry) => /LOD0\/\d+$/.test(entry))).to.deep.equal([]);
    });

    for (const method of [vds.CompressionMethod.Zip, vds.CompressionMethod.None]) it(`a ${vds.CompressionMethod[method]} chunk file that is gone is the NotFoundError of a read through the store`, async () => {
      const path = temp(`gone-${method}`);
      await writeTestVolume({ url: path, size, format: F.Format_R32, method, value });
      await rm(temp(`gone-${method}`, 'Dimensions_012LOD0', '1'));
      const { store, log } = loggedFolder(path);
      const error = await rejection(readSubset(store, [0, 0, 0], size));
      expect(error).to.be.instanceOf(vds.NotFoundError);
      expect(error.message).to.contain(`Chunk Dimensions_012LOD0/1 is missing from ${path}`);
      // Only the missing chunk was fetched through the store, after its reader (a worker, or here) found no file.
      expect(log.filter((entry) => /LOD0\/\d+$/.test(entry))).to.deep.equal(['get Dimensions_012LOD0/1']);
    });

    it('a None chunk file cut short fails with the codec\'s size error, as through the store', async () => {
      const path = temp('short');
      await writeTestVolume({ url: path, size, format: F.Format_R32, method: vds.CompressionMethod.None, value });
      await truncate(temp('short', 'Dimensions_012LOD0', '0'), 24 + 100);
      const error = await rejection(readSubset(path, [0, 0, 0], size));
      expect(error).to.be.instanceOf(vds.ChunkFormatError);
      expect(error.message).to.equal(`Cannot decode chunk Dimensions_012LOD0/0 of ${path}: ` +
        `Required size of uncompressed chunk is not present: 100 payload bytes, expected ${32 * 29 * 23 * 4}`);
    });
  });

  describe('.vds files', () => {
    /** subset.vds read only through readChunk (what every read did before). */
    class ThroughReadChunk extends VdsFileDataset {
      override chunkFile(): Promise<undefined> {
        return Promise.resolve(undefined);
      }
    }

    it('chunkFile names the extent readChunk reads, at full quality and as an adaptive-level prefix', async () => {
      const dataset = new VdsFileDataset(openvdsVector('subset.vds'));
      const layout = await dataset.open();
      try {
        const layer = layersOf(layout).byLayerName('Dimensions_012LOD0')!;
        const metadata = await dataset.chunkMetadata(layer, 0);
        for (const adaptiveLevel of [-1, 2]) {
          const file = (await dataset.chunkFile(layer, 0, { metadata, adaptiveLevel }))!;
          const bytes = await dataset.readChunk(layer, 0, { metadata, adaptiveLevel });
          expect(file.path).to.equal(openvdsVector('subset.vds'));
          expect(file.length).to.equal(bytes.byteLength);
          expect(Buffer.from((await readChunkFile(file))!).equals(bytes)).to.equal(true);
        }
      } finally {
        await dataset.close();
      }
    });

    it('subsets read by the workers from the file equal those read through readChunk, bit for bit', async () => {
      for (const tolerance of [undefined, 1]) {
        const open = (store: VdsFileDataset) => (tolerance === undefined ? vds.open(store) : vds.openWithAdaptiveCompressionTolerance(store, '', tolerance));
        const read = async (store: VdsFileDataset) => {
          const dataset = await open(store);
          dataset.chunkCache.setMaxBytes(0);
          const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], [100, 100, 100]);
          expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
          await vds.close(dataset, false);
          return new Uint32Array((request.data as Float32Array).slice().buffer);
        };
        const viaFile = await read(new VdsFileDataset(openvdsVector('subset.vds')));
        const viaReadChunk = await read(new ThroughReadChunk(openvdsVector('subset.vds')));
        expect(viaFile.length).to.equal(1_000_000);
        expect(viaFile.every((word, i) => word === viaReadChunk[i]), `tolerance ${tolerance}`).to.equal(true);
      }
    });
  });
});
