import { expect } from 'chai';
import * as vds from '../src/index.js';
import { checkSampleChunks, sampleChunkLimit } from '../src/api/requestArguments.js';
import { rejection } from './support/rejection.js';
import { uniqueMemoryUrl, writeTestVolume } from './support/volumes.js';

const F = vds.VolumeDataFormat;
const D = vds.DimensionsND;
const value = (x: number, y: number, z: number) => x + 100 * y + 10_000 * z;

function layoutDescriptor(lodLevels = vds.LODLevels.LODLevels_None) {
  return new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_32, 0, 0, 1, lodLevels);
}
function axes(size: readonly number[], names = ['Sample', 'Crossline', 'Inline']) {
  return size.map((n, d) => new vds.VolumeDataAxisDescriptor(n, names[d]!, '', 0, n - 1));
}
function channel(name: string, unit = '') {
  return new vds.VolumeDataChannelDescriptor(F.Format_R32, vds.VolumeDataComponents.Components_1, name, unit, 0, 1);
}

/** Runs `action` and returns how long it took and how much the heap grew: huge requests must fail before allocating. */
function measured(action: () => void): { ms: number; heapGrowth: number } {
  global.gc?.();
  const heap = process.memoryUsage().heapUsed, start = performance.now();
  action();
  return { ms: performance.now() - start, heapGrowth: process.memoryUsage().heapUsed - heap };
}

describe('API arguments and limits (issue 12 items 3 and 9, issue 11 item 6)', function () {
  this.timeout(60_000);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  let url: string;
  let dataset: vds.VDS;
  let manager: vds.VolumeDataAccessManager;

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    // 40 × 30 × 20 with brick 32: LOD 0 has 2 × 1 × 1 chunks, so LOD 1 exists as a virtual layer.
    url = uniqueMemoryUrl('arguments');
    await writeTestVolume({ url, size: [40, 30, 20], format: F.Format_R32, value });
    dataset = await vds.open(url);
    manager = vds.getAccessManager(dataset);
  });

  after(async () => {
    await vds.close(dataset);
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled, 'unhandled rejections').to.deep.equal([]);
  });

  describe('huge requests fail at once, before allocating (12.3)', () => {
    let huge: vds.VDS;
    before(async () => {
      // 1e5³ voxels in 128³ bricks (782³ chunks) and 1024² 2D bricks: OpenVDS counts a layer's chunks in an int32.
      huge = await vds.create(uniqueMemoryUrl('huge'), '', new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_128, 0, 0, 8,
        vds.LODLevels.LODLevels_None), axes([1e5, 1e5, 1e5]), [channel('Amplitude')]);
      vds.getAccessManager(huge).createVolumeDataPageAccessor(D.Dimensions_012, 0, 0, 1, vds.AccessMode.AccessMode_CreateWithoutLODGeneration, 32768);
    });
    after(() => vds.close(huge, false));

    it('refuses a 1e5³ subset and a 16 GiB box with the size and the limit', () => {
      const hugeManager = vds.getAccessManager(huge);
      expect(vds.getRequestLimits().maxBufferBytes).to.equal(2 ** 32);
      const cost = measured(() => {
        expect(() => hugeManager.requestVolumeSubset([0, 0, 0], [1e5, 1e5, 1e5])).to.throw(vds.InvalidArgumentError,
          'The Format_R32 subset [0, 0, 0]…[100000, 100000, 100000] would need 4,000,000,000,000,000 bytes; ' +
          'the limit is 4,294,967,296 bytes (maxBufferBytes, see setRequestLimits)');
        expect(() => hugeManager.requestVolumeSubset([0, 0, 0], [2048, 2048, 1024])).to.throw(vds.InvalidArgumentError,
          /subset \[0, 0, 0\]…\[2048, 2048, 1024\] would need 17,179,869,184 bytes; the limit is 4,294,967,296 bytes/);
        expect(() => hugeManager.requestVolumeSubset([0, 0, 0], [1e5, 1e5, 1e5], { format: F.Format_1Bit })).to.throw(vds.InvalidArgumentError,
          /Format_1Bit subset .* would need 125,000,000,000,000 bytes/);
      });
      expect(cost.ms).to.be.below(500);
      expect(cost.heapGrowth).to.be.below(20e6);
      // Asking for the size allocates nothing, so it answers as OpenVDS does.
      expect(hugeManager.getVolumeSubsetBufferSize([0, 0, 0], [1e5, 1e5, 1e5])).to.equal(4e15);
    });

    it('refuses traces and projected subsets whose sample positions exceed the limit', () => {
      const hugeManager = vds.getAccessManager(huge);
      const traces = Array.from({ length: 1000 }, (_, i) => [0, i + 0.5, 0.5]);
      // 1000 traces × 1e5 samples × 48 bytes of position.
      expect(() => hugeManager.requestVolumeTraces(traces, 0)).to.throw(vds.InvalidArgumentError,
        'The sample positions of 1000 traces of 100000 samples would need 4,800,000,000 bytes; the limit is 4,294,967,296 bytes');
      expect(() => hugeManager.requestProjectedVolumeSubset([0, 0, 0], [1e5, 1e5, 1], {
        voxelPlane: [0, 0, 1, -0.5], projectedDimensions: D.Dimensions_01,
      })).to.throw(vds.InvalidArgumentError, /The Format_R32 projected subset .* would need 40,000,000,000 bytes/);
    });

    it('refuses at create a 1e6³ layout whose chunks OpenVDS could not count', async () => {
      const error = await rejection(vds.create(uniqueMemoryUrl('giant'), '', layoutDescriptor(), axes([1e6, 1e6, 1e6]), [channel('Amplitude')]));
      expect(error).to.be.instanceOf(vds.InvalidArgumentError);
      expect(error.message).to.match(/axisDescriptors give layer Dimensions_01LOD0 976562500000000 chunks, more than OpenVDS can count \(2147483647\)/);
    });

    it('opens a read-only page accessor on the largest layout lazily and refuses to produce a layer LayerStatus cannot list', async () => {
      // 1563 × 1563 × 782 chunks of 64³, just under OpenVDS's int32 chunk count (1024² 2D bricks keep the 2D groups under it too).
      const giant = await vds.create(uniqueMemoryUrl('giant'), '', new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_64, 0, 0, 16,
        vds.LODLevels.LODLevels_None), axes([1e5, 1e5, 5e4]), [channel('Amplitude')]);
      const giantManager = vds.getAccessManager(giant);
      const chunks = 1563 * 1563 * 782;
      let accessor: vds.VolumeDataPageAccessor | undefined;
      const cost = measured(() => {
        accessor = giantManager.createVolumeDataPageAccessor(D.Dimensions_012, 0, 0, 8, vds.AccessMode.AccessMode_ReadOnly);
        expect(() => giantManager.createVolumeDataPageAccessor(D.Dimensions_012, 0, 0, 8, vds.AccessMode.AccessMode_Create)).to.throw(
          vds.InvalidArgumentError, 'Dimensions_012LOD0 has 1,910,401,758 chunks: 1,865,627 chunk-metadata pages of 1024, ' +
          'more than the 1,048,576 a LayerStatus can list (use a larger chunkMetadataPageSize or brick size)');
      });
      expect(cost.ms).to.be.below(500);
      expect(cost.heapGrowth).to.be.below(20e6);
      expect(accessor!.getChunkCount()).to.equal(chunks);
      expect(accessor!.getChunkMinMax(chunks - 1)).to.deep.equal([[99968, 99968, 49984, 0, 0, 0], [1e5, 1e5, 5e4, 1, 1, 1]]);
      // The refused Create produced nothing: the layer is still unavailable, and a page of it has nothing to read.
      expect(giantManager.getVDSProduceStatus(D.Dimensions_012)).to.equal(vds.VDSProduceStatus.Unavailable);
      expect(() => accessor!.readPage(0)).to.throw(vds.InvalidOperationError, /Dimensions_012LOD0 is Unavailable/);
      await vds.close(giant, false);
    });

    it('refuses a page accessor whose pages would exceed the buffer limit', async () => {
      // Layouts whose chunks exceed OpenVDS's 2 GiB DataBlock are refused at create; a lowered limit still guards pages.
      const bricks = await rejection(vds.create(uniqueMemoryUrl('bricks'), '', new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_4096, 0, 0, 1,
        vds.LODLevels.LODLevels_None), axes([5000, 5000, 5000]), [channel('Amplitude')]));
      expect(bricks).to.be.instanceOf(vds.InvalidArgumentError);
      expect(bricks.message).to.match(/layoutDescriptor\.brickSize is BrickSize_4096: chunks of layer Dimensions_012LOD0 would take 274877906944 bytes/);
      vds.setRequestLimits({ maxBufferBytes: 1000 });
      try {
        // One chunk of the 40 × 30 × 20 volume: 32 × 30 × 20 R32 values.
        expect(() => manager.createVolumeDataPageAccessor(D.Dimensions_012, 0, 0, 1, vds.AccessMode.AccessMode_ReadOnly))
          .to.throw(vds.InvalidArgumentError, 'A page of Dimensions_012LOD0 would need 76,800 bytes; the limit is 1,000 bytes');
      } finally {
        vds.setRequestLimits({ maxBufferBytes: 2 ** 32, maxRequestChunks: 2 ** 24 });
      }
    });

    it('refuses 1e5 and 1e6 channels at create, naming the limit', async () => {
      for (const count of [1e5, 1e6]) {
        const channels = Array.from({ length: count }, (_, c) => channel(c ? `Attribute${c}` : 'Amplitude'));
        const start = performance.now();
        const error = await rejection(vds.create(uniqueMemoryUrl('channels'), '', layoutDescriptor(), axes([10, 10, 10]), channels));
        expect(error).to.be.instanceOf(vds.InvalidArgumentError);
        expect(error.message).to.match(new RegExp(`channelDescriptors has ${count} channels, expected 1 to 256`));
        // Most of it is building a million descriptors; the point is no crash or hang.
        expect(performance.now() - start).to.be.below(count * 2e-2);
      }
    });
  });

  describe('setRequestLimits', () => {
    afterEach(() => vds.setRequestLimits({ maxBufferBytes: 2 ** 32, maxRequestChunks: 2 ** 24 }));

    it('lowers the buffer limit: exactly at it the request runs, one element more is refused', async () => {
      vds.setRequestLimits({ maxBufferBytes: 1000 });
      const request = manager.requestVolumeSubset([0, 0, 0], [10, 5, 5]);
      expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
      expect((request.data as Float32Array)[9 + 10 * (4 + 5 * 4)]).to.equal(value(9, 4, 4));
      expect(() => manager.requestVolumeSubset([0, 0, 0], [11, 5, 5])).to.throw(vds.InvalidArgumentError,
        'would need 1,100 bytes; the limit is 1,000 bytes');
      // A caller's dataOut is not allocated by the request, so the limit does not apply to it.
      const own = manager.requestVolumeSubset([0, 0, 0], [11, 5, 5], { dataOut: new Float32Array(275) });
      expect(await own.waitForCompletion(), own.errorMessage).to.equal(true);
      expect(() => manager.requestVolumeSamples(Array.from({ length: 21 }, () => [1, 1, 1]))).to.throw(vds.InvalidArgumentError,
        'samplePositions (21 positions) would need 1,008 bytes; the limit is 1,000 bytes');
    });

    it('limits the chunks one subset touches', async () => {
      vds.setRequestLimits({ maxRequestChunks: 1 });
      expect(() => manager.requestVolumeSubset([30, 0, 0], [34, 4, 4])).to.throw(vds.InvalidArgumentError,
        'The subset touches 2 chunks; the limit is 1 (maxRequestChunks, see setRequestLimits)');
      const oneChunk = manager.requestVolumeSubset([0, 0, 0], [32, 4, 4]);
      expect(await oneChunk.waitForCompletion(), oneChunk.errorMessage).to.equal(true);
    });

    it('limits the chunks samples and traces touch, counted before planning (a Map of more than 2^24 chunks cannot be built)', async () => {
      vds.setRequestLimits({ maxRequestChunks: 1 });
      // x = 31.5 and 32.5 lie in the two chunks of the 40 × 30 × 20 volume (32³ bricks); so does every trace along x.
      expect(() => manager.requestVolumeSamples([[31.5, 1, 1], [32.5, 1, 1]])).to.throw(vds.InvalidArgumentError,
        'The samples touch 2 chunks; the limit is 1 (maxRequestChunks, see setRequestLimits)');
      expect(() => manager.requestVolumeTraces([[0, 1.5, 1.5]], 0)).to.throw(vds.InvalidArgumentError,
        'The traces touch 2 chunks; the limit is 1 (maxRequestChunks, see setRequestLimits)');
      const oneChunk = manager.requestVolumeSamples([[1.5, 2.5, 3.5], [31.5, 29.5, 19.5]], { interpolationMethod: vds.InterpolationMethod.Nearest });
      expect(await oneChunk.waitForCompletion(), oneChunk.errorMessage).to.equal(true);
      expect([...oneChunk.data]).to.deep.equal([value(1, 2, 3), value(31, 29, 19)]);
      // Above 2^24 the Map that groups samples by chunk is the limit, whatever maxRequestChunks says.
      vds.setRequestLimits({ maxRequestChunks: 2 ** 26 });
      expect(sampleChunkLimit()).to.equal(2 ** 24);
      expect(() => checkSampleChunks('samples', 2 ** 24 + 1)).to.throw(vds.InvalidArgumentError,
        'The samples touch 16,777,217 chunks; the limit is 16,777,216 (the most one request can group samples by)');
      expect(() => checkSampleChunks('samples', 2 ** 24)).not.to.throw();
    });

    it('refuses limits the runtime cannot honour', () => {
      expect(() => vds.setRequestLimits({ maxBufferBytes: 2 ** 53 })).to.throw(vds.InvalidArgumentError,
        /maxBufferBytes must be an integer in 1…\d+, got 9007199254740992/);
      expect(() => vds.setRequestLimits({ maxRequestChunks: 0 })).to.throw(vds.InvalidArgumentError, 'maxRequestChunks must be an integer in 1…67108864, got 0');
      expect(vds.getRequestLimits()).to.deep.equal({ maxBufferBytes: 2 ** 32, maxRequestChunks: 2 ** 24 });
    });
  });

  describe('argument validation (12.9)', () => {
    it('refuses box entries past the dimensionality unless they are the one voxel [0, 1), as OpenVDS pads them', async () => {
      expect(() => manager.requestVolumeSubset([0, 0, 0, 0], [1, 1, 1, 5])).to.throw(vds.InvalidArgumentError,
        'Invalid subset in dimension 3: [0, 5) must be [0, 1): the layout has 3 dimensions');
      expect(() => manager.requestVolumeSubset([0, 0, 0, 2], [1, 1, 1, 3])).to.throw(vds.InvalidArgumentError, /dimension 3: \[2, 3\)/);
      expect(() => manager.requestVolumeSubset([0, 0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1])).to.throw(vds.InvalidArgumentError,
        'min must be an array of 3 to 6 integers, got [0, 0, 0, 0, 0, 0, 0]');
      expect(() => manager.requestVolumeSubset(new Int32Array(3) as unknown as number[], [1, 1, 1])).to.throw(vds.InvalidArgumentError,
        'min must be an array of 3 to 6 integers, got an Int32Array');
      expect(() => manager.requestVolumeSubset([0, 0, 0.5], [1, 1, 1])).to.throw(vds.InvalidArgumentError, 'Invalid subset in dimension 2: [0.5, 1)');
      const padded = manager.requestVolumeSubset([0, 0, 3, 0, 0, 0], [2, 2, 4, 1, 1, 1]);
      expect(await padded.waitForCompletion(), padded.errorMessage).to.equal(true);
      expect([...(padded.data as Float32Array)]).to.deep.equal([value(0, 0, 3), value(1, 0, 3), value(0, 1, 3), value(1, 1, 3)]);
    });

    it('requires dataOut to be the typed array of the output format with enough elements', async () => {
      expect(() => manager.requestVolumeSubset([0, 0, 0], [2, 2, 2], { dataOut: new Uint8Array(32) })).to.throw(vds.InvalidArgumentError,
        'dataOut must be a Float32Array of at least 8 elements (Format_R32 output), got Uint8Array');
      expect(() => manager.requestVolumeSubset([0, 0, 0], [2, 2, 2], { format: F.Format_U16, dataOut: new Float32Array(8) }))
        .to.throw(vds.InvalidArgumentError, 'dataOut must be a Uint16Array of at least 8 elements (Format_U16 output), got Float32Array');
      expect(() => manager.requestVolumeSubset([0, 0, 0], [2, 2, 2], { format: F.Format_1Bit, dataOut: new Uint8Array(0) }))
        .to.throw(vds.InvalidArgumentError, 'dataOut must be a Uint8Array of at least 1 elements (Format_1Bit output), got 0 elements');
      expect(() => manager.requestVolumeSubset([0, 0, 0], [2, 2, 2], { dataOut: [] as unknown as Float32Array }))
        .to.throw(vds.InvalidArgumentError, 'dataOut must be a Float32Array of at least 8 elements (Format_R32 output), got []');
      expect(() => manager.requestVolumeSamples([[1, 1, 1], [2, 2, 2]], { dataOut: new Float64Array(2) as unknown as Float32Array }))
        .to.throw(vds.InvalidArgumentError, 'dataOut must be a Float32Array of at least 2 elements (Format_R32 output), got Float64Array');
      const out = new Uint16Array(9);
      const request = manager.requestVolumeSubset([0, 0, 0], [2, 2, 2], { format: F.Format_U16, dataOut: out });
      expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
      expect(request.data).to.equal(out);
    });

    it('refuses enum, integer and replacementNoValue arguments of the wrong type or range', () => {
      const create = (mode: unknown) => manager.createVolumeDataPageAccessor(D.Dimensions_012, 0, 0, 1, mode as vds.AccessMode);
      expect(() => create(99)).to.throw(vds.InvalidArgumentError, 'accessMode must be one of AccessMode (0…4), got 99');
      expect(() => create('AccessMode_ReadOnly')).to.throw(vds.InvalidArgumentError, 'accessMode must be one of AccessMode (0…4), got "AccessMode_ReadOnly"');
      expect(() => manager.requestVolumeSubset([0, 0, 0], [1, 1, 1], { format: 'Format_R32' as unknown as vds.VolumeDataFormat }))
        .to.throw(vds.InvalidArgumentError, 'format must be one of VolumeDataFormat (-1…6), got "Format_R32"');
      expect(() => manager.requestVolumeSubset([0, 0, 0], [1, 1, 1], { lod: '0' as unknown as number }))
        .to.throw(vds.InvalidArgumentError, 'lod must be an integer ≥ 0, got "0"');
      expect(() => manager.requestVolumeSubset([0, 0, 0], [1, 1, 1], { dimensionsND: 35 as vds.DimensionsND }))
        .to.throw(vds.InvalidArgumentError, 'dimensionsND must be one of DimensionsND (0…34), got 35');
      expect(() => manager.requestVolumeSamples([[1, 1, 1]], { interpolationMethod: 9 as vds.InterpolationMethod }))
        .to.throw(vds.InvalidArgumentError, 'interpolationMethod must be one of InterpolationMethod (0…4), got 9');
      const x = { replacementNoValue: 'x' as unknown as number };
      expect(() => manager.requestVolumeSubset([0, 0, 0], [1, 1, 1], x)).to.throw(vds.InvalidArgumentError, 'replacementNoValue must be a number, got "x"');
      expect(() => manager.requestVolumeSamples([[1, 1, 1]], x)).to.throw(vds.InvalidArgumentError, 'replacementNoValue must be a number, got "x"');
      expect(() => manager.requestProjectedVolumeSubset([0, 0, 0], [2, 2, 1], { ...x, voxelPlane: [0, 0, 1, -0.5], projectedDimensions: D.Dimensions_01 }))
        .to.throw(vds.InvalidArgumentError, 'replacementNoValue must be a number, got "x"');
      expect(() => manager.createVolumeDataPageAccessor(D.Dimensions_012, 0, 0, 0.5, vds.AccessMode.AccessMode_ReadOnly))
        .to.throw(vds.InvalidArgumentError, 'maxPages must be an integer ≥ 1, got 0.5');
    });

    it('refuses non-finite positions synchronously, naming the position and dimension', async () => {
      expect(() => manager.requestVolumeSamples([[1, 1, 1], [Infinity, 1, 1]])).to.throw(vds.InvalidArgumentError,
        'samplePositions[1] has a non-finite coordinate Infinity in dimension 0');
      expect(() => manager.requestVolumeSamples(new Float64Array([1, 1, 1, 0, 0, 0, 1, 1, NaN, 0, 0, 0]))).to.throw(vds.InvalidArgumentError,
        'samplePositions[1] has a non-finite coordinate NaN in dimension 2');
      expect(() => manager.requestVolumeTraces([[1, NaN, 1]], 0)).to.throw(vds.InvalidArgumentError,
        'tracePositions[0] has a non-finite coordinate NaN in dimension 1');
      expect(() => manager.requestVolumeSamples([[1, 1, 1, 5]])).to.throw(vds.InvalidArgumentError,
        'samplePositions[0] has coordinate 5 in dimension 3, which the layout (3 dimensions) does not have: it must be in [0, 1)');
      expect(() => manager.requestVolumeSamples(new Float32Array(7))).to.throw(vds.InvalidArgumentError, 'a flat position array holds 6 values per position, got 7 values');
      const flat = manager.requestVolumeSamples(new Float32Array([2.5, 3.5, 4.5, 0, 0, 0]), { interpolationMethod: vds.InterpolationMethod.Nearest });
      expect(await flat.waitForCompletion(), flat.errorMessage).to.equal(true);
      expect([...flat.data]).to.deep.equal([value(2, 3, 4)]);
    });

    it('refuses reads and flushes of a closed dataset', async () => {
      const handle = await vds.open(url);
      const handleManager = vds.getAccessManager(handle);
      const accessor = handleManager.createVolumeDataPageAccessor(D.Dimensions_012, 0, 0, 2, vds.AccessMode.AccessMode_ReadOnly);
      const page = await accessor.readPage(0);
      expect(page.getBuffer()[1]).to.equal(value(1, 0, 0));
      await page.release();
      await vds.close(handle);
      expect(() => accessor.readPage(1)).to.throw(vds.InvalidOperationError, `${url} is closed`);
      expect(await rejection(accessor.getChunkVolumeDataHash(1))).to.be.instanceOf(vds.InvalidOperationError);
      const flush = await rejection(handleManager.flush());
      expect(flush).to.be.instanceOf(vds.InvalidOperationError);
      expect(flush.message).to.equal(`${url} is closed`);
      expect(() => handleManager.requestVolumeSubset([0, 0, 0], [1, 1, 1])).to.throw(vds.InvalidOperationError, 'is closed');
      await vds.close(handle); // closing twice stays harmless
    });

    it('refuses page reads of an Unavailable layer, as OpenVDS does, and reads Remapped ones from their source', async () => {
      const empty = await vds.create(uniqueMemoryUrl('empty'), '', layoutDescriptor(), axes([40, 30, 20]), [channel('Amplitude')]);
      const unavailable = vds.getAccessManager(empty).createVolumeDataPageAccessor(D.Dimensions_012, 0, 0, 1, vds.AccessMode.AccessMode_ReadOnly);
      expect(() => unavailable.readPage(0)).to.throw(vds.InvalidOperationError,
        'Dimensions_012LOD0 is Unavailable: nothing was written to it and no produced layer can serve it, so it has no pages');
      await vds.close(empty);
      expect(manager.getVDSProduceStatus(D.Dimensions_01)).to.equal(vds.VDSProduceStatus.Remapped);
      const remapped = manager.createVolumeDataPageAccessor(D.Dimensions_01, 0, 0, 1, vds.AccessMode.AccessMode_ReadOnly);
      const page = await remapped.readPage(0);
      expect(page.getBuffer()[1]).to.equal(value(1, 0, 0));
      await page.release();
    });

    it('refuses at create channel names that would not round-trip as object keys, and NUL in axis names and units', async () => {
      const create = (axisList: vds.VolumeDataAxisDescriptor[], channels: vds.VolumeDataChannelDescriptor[]) =>
        rejection(vds.create(uniqueMemoryUrl('names'), '', layoutDescriptor(), axisList, channels));
      for (const name of ['../x', '/abs', 'a/b', 'a\\b', 'a\0b', 'tab\there', '\uD800']) {
        const error = await create(axes([4, 4, 4]), [channel('Amplitude'), channel(name)]);
        expect(error, JSON.stringify(name)).to.be.instanceOf(vds.InvalidArgumentError);
        // "/", "\\" and NUL break object keys, on open too (validateLayout); control characters and lone surrogates only at create.
        expect(error.message).to.match(/channelDescriptors\[1\]\.name is .*; a channel name cannot contain "\/", "\\" or NUL|Channel 1 name .* cannot be stored: channel names become part of object keys, so they may not contain control characters or unpaired surrogates/);
      }
      const axisError = await create(axes([4, 4, 4], ['Sample', 'Cross\0line', 'Inline']), [channel('Amplitude')]);
      expect(axisError).to.be.instanceOf(vds.InvalidArgumentError);
      expect(axisError.message).to.equal('Axis 1 name "Cross\\u0000line" cannot be stored: it must be a string without NUL characters or unpaired surrogates');
      expect((await create(axes([4, 4, 4]), [channel('Amplitude', 'm\0s')])).message).to.match(/^Channel 0 unit "m\\u0000s" cannot be stored/);
      expect((await create(axes([0, 4, 4]), [channel('Amplitude')])).message).to.equal('axisDescriptors[0].numSamples is 0, must be an integer in [1, 1000000]');
      const any = new vds.VolumeDataChannelDescriptor(F.Format_Any, vds.VolumeDataComponents.Components_1, 'Amplitude', '', 0, 1);
      expect((await create(axes([4, 4, 4]), [any])).message).to.equal('channelDescriptors[0].format is -1, not a stored VolumeDataFormat');
      // Dots, spaces and non-ASCII are fine: they stay inside one key segment.
      const fine = await vds.create(uniqueMemoryUrl('names'), '', layoutDescriptor(), axes([4, 4, 4]), [channel('Amplitude'), channel('..'), channel('Dip (°)')]);
      expect(vds.getLayout(fine).getChannelName(2)).to.equal('Dip (°)');
      await vds.close(fine);
    });
  });

  describe('status of layers the dataset does not store (11.6)', () => {
    it('answers Unavailable and the chunk count (0 where the layout has no such layer), as OpenVDS does', () => {
      // Stored: Dimensions_012 LOD 0 (2 chunks). LOD 1 is virtual (1 chunk); there is no LOD 2.
      expect(manager.getVDSChunkCount(D.Dimensions_012, 0, 0)).to.equal(2);
      expect(manager.getVDSProduceStatus(D.Dimensions_012, 0, 0)).to.equal(vds.VDSProduceStatus.Normal);
      expect(manager.getVDSChunkCount(D.Dimensions_012, 1, 0)).to.equal(1);
      expect(manager.getVDSProduceStatus(D.Dimensions_012, 1, 0)).to.equal(vds.VDSProduceStatus.Unavailable);
      expect(manager.getVDSChunkCount(D.Dimensions_012, 2, 0)).to.equal(0);
      expect(manager.getVDSProduceStatus(D.Dimensions_012, 2, 0)).to.equal(vds.VDSProduceStatus.Unavailable);
      // A 3D layout has no Dimensions_013; the 2D group 01 exists (2 × 1 chunks × 20 slices) and is Remapped.
      expect(manager.getVDSChunkCount(D.Dimensions_013)).to.equal(0);
      expect(manager.getVDSProduceStatus(D.Dimensions_013)).to.equal(vds.VDSProduceStatus.Unavailable);
      expect(manager.getVDSChunkCount(D.Dimensions_01)).to.equal(40);
      expect(manager.getVDSChunkCount(D.Dimensions_012, 0, 1)).to.equal(0);
      expect(manager.getVDSProduceStatus(D.Dimensions_012, 0, 1)).to.equal(vds.VDSProduceStatus.Unavailable);
    });

    it('still refuses malformed arguments', () => {
      expect(() => manager.getVDSChunkCount(D.Dimensions_012, -1)).to.throw(vds.InvalidArgumentError, 'lod must be an integer ≥ 0, got -1');
      expect(() => manager.getVDSProduceStatus(D.Dimensions_012, 0, 0.5)).to.throw(vds.InvalidArgumentError, 'channel must be an integer ≥ 0, got 0.5');
      expect(() => manager.getVDSProduceStatus(99 as vds.DimensionsND)).to.throw(vds.InvalidArgumentError, 'dimensionsND must be one of DimensionsND (0…34), got 99');
    });
  });
});
