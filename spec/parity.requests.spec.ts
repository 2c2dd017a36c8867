// Parity with the OpenVDS Python API, request side (issue 14): VolumeDataAccessManager,
// VolumeDataRequest, VolumeDataPageAccessor and VolumeDataPage, member by member, on small
// datasets whose every voxel is a known function of its position.
import { expect } from 'chai';
import * as vds from '../src/index.js';
import { fillBox, uniqueMemoryUrl, writeTestVolume } from './support/volumes.js';

const F = vds.VolumeDataFormat;
const D = vds.DimensionsND;
const I = vds.InterpolationMethod;
const ReadOnly = vds.AccessMode.AccessMode_ReadOnly;
/** Not linear in x, so Cubic and Linear interpolation differ; exact in float32. */
const value = (x: number, y: number, z: number) => x * x + 10 * y + 1000 * z;
const SIZE: [number, number, number] = [40, 30, 20];

/** The data of a request, after checking it completed. */
async function dataOf<T>(request: vds.VolumeDataRequest<T>): Promise<T> {
  expect(await request.waitForCompletion(), request.getErrorMessage()).to.equal(true);
  return request.data;
}

function expectInvalidArgument(action: () => unknown, message: string | RegExp): void {
  expect(action).to.throw(vds.InvalidArgumentError, message);
}

describe('OpenVDS Python API parity: requests (issue 14)', function () {
  this.timeout(60_000);
  let dataset: vds.VDS;
  let manager: vds.VolumeDataAccessManager;

  before(async () => {
    // Brick 32 with a 2D multiplier of 1: Dimensions_012 has 2 × 1 × 1 chunks, the Remapped
    // Dimensions_01 has 2 × 1 × 20 (one slice each); LOD 1 is generated while writing.
    const { url } = await writeTestVolume({ size: SIZE, format: F.Format_R32, value, lodLevels: vds.LODLevels.LODLevels_1 });
    dataset = await vds.open(url);
    manager = vds.getAccessManager(dataset);
  });
  after(() => vds.close(dataset));

  describe('VolumeDataAccessManager', () => {
    const min = [8, 3, 2], max = [12, 6, 4];
    const boxValues = (lo: number[], hi: number[]) => {
      const out: number[] = [];
      for (let z = lo[2]!; z < hi[2]!; z++) for (let y = lo[1]!; y < hi[1]!; y++) for (let x = lo[0]!; x < hi[0]!; x++) out.push(value(x, y, z));
      return out;
    };

    it('requestVolumeSubset: defaults, the positional order and the options object give the same, real values', async () => {
      const expected = boxValues(min, max);
      const byDefault = await dataOf(manager.requestVolumeSubset(min, max));
      const positional = await dataOf(manager.requestVolumeSubset(min, max, null, D.Dimensions_012, 0, 0, F.Format_R32, null));
      const options = await dataOf(manager.requestVolumeSubset(min, max, { dimensionsND: D.Dimensions_012, lod: 0, channel: 0, format: F.Format_R32 }));
      for (const data of [byDefault, positional, options]) {
        expect(data).to.be.instanceOf(Float32Array);
        expect([...data as Float32Array]).to.deep.equal(expected);
      }
      const r64 = await dataOf(manager.requestVolumeSubset(min, max, undefined, D.Dimensions_012, 0, 0, F.Format_R64));
      expect(r64).to.be.instanceOf(Float64Array);
      expect([...r64 as Float64Array]).to.deep.equal(expected);
      // lod is honoured in either style (LOD 1 of [8, 12) × [3, 6) × [2, 4): 2 × 2 × 1 voxels).
      const lod1Positional = await dataOf(manager.requestVolumeSubset(min, max, null, D.Dimensions_012, 1));
      const lod1Options = await dataOf(manager.requestVolumeSubset(min, max, { lod: 1 }));
      expect(lod1Positional.length).to.equal(4);
      expect([...lod1Positional as Float32Array]).to.deep.equal([...lod1Options as Float32Array]);
      // dataOut in its positional slot is the buffer written and returned.
      const dataOut = new Float32Array(expected.length);
      const request = manager.requestVolumeSubset(min, max, dataOut, D.Dimensions_01);
      expect(request.buffer()).to.equal(dataOut);
      expect(await dataOf(request)).to.equal(dataOut);
      expect([...dataOut]).to.deep.equal(expected);
    });

    it('requestVolumeSamples: Cubic by default, in both calling styles', async () => {
      const positions = [[10.3, 5.5, 3.5], [20.9, 7.2, 10.5]];
      const byDefault = await dataOf(manager.requestVolumeSamples(positions));
      const cubic = await dataOf(manager.requestVolumeSamples(positions, { interpolationMethod: I.Cubic }));
      const positional = await dataOf(manager.requestVolumeSamples(positions, null, D.Dimensions_012, 0, 0, I.Cubic, null));
      const linear = await dataOf(manager.requestVolumeSamples(positions, undefined, D.Dimensions_012, 0, 0, I.Linear));
      const nearest = await dataOf(manager.requestVolumeSamples(positions, { interpolationMethod: I.Nearest }));
      expect([...byDefault]).to.deep.equal([...cubic]);
      expect([...positional]).to.deep.equal([...cubic]);
      expect([...nearest]).to.deep.equal([value(10, 5, 3), value(20, 7, 10)]);
      // Linear between voxel centres 9.5 and 10.5 (weight 0.8): 81 + 0.8 · 19 + 50 + 3000.
      expect(linear[0]).to.be.closeTo(81 + 0.8 * 19 + 50 + 3000, 1e-3);
      expect(byDefault[0]).to.not.be.closeTo(linear[0]!, 1e-3);
    });

    it('requestVolumeTraces: Cubic by default, in both calling styles', async () => {
      const traces = [[0, 5.5, 3.5], [0, 12.5, 19.5]];
      const byDefault = await dataOf(manager.requestVolumeTraces(traces, 0));
      const cubic = await dataOf(manager.requestVolumeTraces(traces, 0, { interpolationMethod: I.Cubic }));
      const positional = await dataOf(manager.requestVolumeTraces(traces, 0, null, D.Dimensions_012, 0, 0, I.Cubic));
      const nearest = await dataOf(manager.requestVolumeTraces(traces, 0, undefined, undefined, undefined, undefined, I.Nearest));
      expect([...byDefault]).to.deep.equal([...cubic]);
      expect([...positional]).to.deep.equal([...cubic]);
      expect([...nearest]).to.deep.equal([...Array.from({ length: 40 }, (_, x) => value(x, 5, 3)), ...Array.from({ length: 40 }, (_, x) => value(x, 12, 19))]);
    });

    it('requestProjectedVolumeSubset: voxelPlane [1, 1, 0, 0], Dimensions_12 and Cubic by default; the wrapper\'s positional order', async () => {
      const lo = [0, 0, 0], hi = [40, 30, 20];
      const byDefault = await dataOf(manager.requestProjectedVolumeSubset(lo, hi));
      const explicit = await dataOf(manager.requestProjectedVolumeSubset(lo, hi,
        { voxelPlane: [1, 1, 0, 0], projectedDimensions: D.Dimensions_12, interpolationMethod: I.Cubic, format: F.Format_R32 }));
      expect(byDefault.length).to.equal(30 * 20);
      expect([...byDefault as Float32Array]).to.deep.equal([...explicit as Float32Array]);
      // (min, max, dataOut, dimensionsND, lod, channel, voxelPlane, projectedDimensions, format, interpolationMethod, replacementNoValue)
      const sliceMin = [4, 6, 0], sliceMax = [8, 9, 20];
      const positional = await dataOf(manager.requestProjectedVolumeSubset(sliceMin, sliceMax, null, D.Dimensions_012, 0, 0,
        [0, 0, 1, -5.5], D.Dimensions_01, F.Format_R64, I.Nearest, null));
      const options = await dataOf(manager.requestProjectedVolumeSubset(sliceMin, sliceMax,
        { voxelPlane: [0, 0, 1, -5.5], projectedDimensions: D.Dimensions_01, format: F.Format_R64, interpolationMethod: I.Nearest }));
      expect(positional).to.be.instanceOf(Float64Array);
      expect([...positional as Float64Array]).to.deep.equal(boxValues([4, 6, 5], [8, 9, 6]));
      expect([...options as Float64Array]).to.deep.equal([...positional as Float64Array]);
    });

    it('buffer-size helpers and prefetchVolumeChunk take both calling styles', async () => {
      const cases: [string, () => number, number][] = [
        ['subset R64 positional', () => manager.getVolumeSubsetBufferSize(min, max, F.Format_R64, 0, 0), 24 * 8],
        ['subset R64 options', () => manager.getVolumeSubsetBufferSize(min, max, { format: F.Format_R64 }), 24 * 8],
        ['subset LOD 1', () => manager.getVolumeSubsetBufferSize(min, max, { lod: 1 }), 4 * 4],
        ['projected positional', () => manager.getProjectedVolumeSubsetBufferSize(min, max, D.Dimensions_01, F.Format_U8), 12],
        ['projected options', () => manager.getProjectedVolumeSubsetBufferSize(min, max, { projectedDimensions: D.Dimensions_01, format: F.Format_U8 }), 12],
        ['samples positional', () => manager.getVolumeSamplesBufferSize(10, 0), 40],
        ['samples options', () => manager.getVolumeSamplesBufferSize(10, { channel: 0 }), 40],
        ['traces positional', () => manager.getVolumeTracesBufferSize(3, 0, 1, 0), 3 * 20 * 4],
        ['traces options', () => manager.getVolumeTracesBufferSize(3, 0, { lod: 1 }), 3 * 20 * 4],
      ];
      for (const [name, call, bytes] of cases) expect(call(), name).to.equal(bytes);
      expect(await dataOf(manager.prefetchVolumeChunk(1))).to.equal(1);
      expect(await dataOf(manager.prefetchVolumeChunk(0, { dimensionsND: D.Dimensions_012, lod: 1 }))).to.equal(0);
      // A Remapped group counts its own chunks (2 × 1 × 20), not those of its source (2).
      expect(manager.getVDSChunkCount(D.Dimensions_01)).to.equal(40);
      expect(await dataOf(manager.prefetchVolumeChunk(39, D.Dimensions_01, 0, 0))).to.equal(39);
      expectInvalidArgument(() => manager.prefetchVolumeChunk(40, D.Dimensions_01), 'Chunk index 40 is outside 0…39 of Dimensions_01LOD0');
    });

    it('createVolumeDataPageAccessor takes the positional order or an options object', async () => {
      const positional = manager.createVolumeDataPageAccessor(D.Dimensions_012, 0, 0, 2, ReadOnly);
      const options = manager.createVolumeDataPageAccessor({ dimensionsND: D.Dimensions_012, lod: 0, channel: 0, maxPages: 2, accessMode: ReadOnly });
      for (const accessor of [positional, options]) {
        expect([accessor.getChunkCount(), accessor.getMaxPages(), accessor.getLOD(), accessor.accessMode]).to.deep.equal([2, 2, 0, ReadOnly]);
      }
      expectInvalidArgument(() => manager.createVolumeDataPageAccessor({ dimensionsND: D.Dimensions_012, lod: 0, channel: 0, maxPages: 2 } as never),
        'accessMode must be one of AccessMode (0…4), got undefined');
    });

    it('an argument that fits neither style is an InvalidArgumentError naming it', () => {
      // Calls TypeScript refuses (too many arguments), as plain JavaScript would make them.
      const loose = manager as unknown as Record<string, ((...args: unknown[]) => unknown) | undefined>;
      const cases: [() => unknown, string | RegExp][] = [
        [() => manager.requestVolumeSubset(min, max, { lods: 1 } as never),
          'requestVolumeSubset: unknown option "lods" (allowed: dataOut, dimensionsND, lod, channel, format, replacementNoValue, signal)'],
        [() => loose.requestVolumeSubset!(min, max, null, 0, 0, 0, 3, null, 'extra'),
          'requestVolumeSubset takes at most 6 optional arguments (dataOut, dimensionsND, lod, channel, format, replacementNoValue) or one options object, got 7'],
        [() => manager.requestVolumeSubset(min, max, null, D.Dimensions_012, '1' as never), 'lod must be an integer ≥ 0, got "1"'],
        [() => manager.requestVolumeSubset(min, max, null, { lod: 1 } as never), 'requestVolumeSubset: argument dimensionsND got an options object'],
        [() => manager.requestVolumeSubset(min, max, D.Dimensions_01 as never), 'dataOut must be a Float32Array of at least 24 elements (Format_R32 output), got 20'],
        [() => manager.requestVolumeSamples([[1, 1, 1]], null, D.Dimensions_012, 0, 0, 'Cubic' as never), 'interpolationMethod must be one of InterpolationMethod'],
        [() => manager.requestVolumeTraces([[0, 1, 1]], 0, { method: I.Cubic } as never), 'requestVolumeTraces: unknown option "method"'],
        [() => manager.requestProjectedVolumeSubset(min, max, null, D.Dimensions_012, 0, 0, [0, 0, 1] as never), 'voxelPlane must be 4 finite numbers'],
        [() => manager.getVolumeSubsetBufferSize(min, max, { format: F.Format_R32, dimensions: D.Dimensions_012 } as never), 'getVolumeSubsetBufferSize: unknown option "dimensions"'],
        [() => loose.getVolumeTracesBufferSize!(1, 0, 0, 0, 0), 'getVolumeTracesBufferSize takes at most 2 optional arguments'],
        [() => manager.prefetchVolumeChunk(0, { channel: 0, lod: 0, maxPages: 1 } as never), 'prefetchVolumeChunk: unknown option "maxPages"'],
        [() => loose.createVolumeDataPageAccessor!(D.Dimensions_012, 0, 0, 2, ReadOnly, 1024, 1),
          'createVolumeDataPageAccessor takes at most 6 optional arguments'],
      ];
      for (const [call, message] of cases) expectInvalidArgument(call, message);
    });

    it('reading an LOD or channel nobody produced is an error, never zeros; status and chunk count as OpenVDS answers', async () => {
      // Two channels, LOD levels 1, 70 × 40 × 20 (brick 32: 3 × 2 × 1 chunks); only LOD 0 of channel 0 is written.
      const url = uniqueMemoryUrl('unproduced');
      const amplitude = new vds.VolumeDataChannelDescriptor(F.Format_R32, vds.VolumeDataComponents.Components_1, 'Amplitude', '', 0, 1);
      const perTrace = new vds.VolumeDataChannelDescriptor(F.Format_U8, vds.VolumeDataComponents.Components_1, 'Trace', '', 0, 255,
        vds.VolumeDataMapping.PerTrace, 1, vds.ChannelFlags.DiscreteData);
      const handle = await vds.create(url, '', new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_32, 0, 0, 1, vds.LODLevels.LODLevels_1),
        [70, 40, 20].map((n, d) => new vds.VolumeDataAxisDescriptor(n, ['Sample', 'Crossline', 'Inline'][d]!, '', 0, n - 1)), [amplitude, perTrace]);
      const writer = vds.getAccessManager(handle).createVolumeDataPageAccessor(D.Dimensions_012, 0, 0, 8, vds.AccessMode.AccessMode_CreateWithoutLODGeneration);
      for (let chunk = 0; chunk < writer.getChunkCount(); chunk++) {
        const page = writer.createPage(chunk);
        const [lo, hi] = page.getMinMax();
        fillBox(page.getWritableBuffer(), F.Format_R32, 1, lo, hi, value);
        await page.release();
      }
      await writer.commit();
      await vds.close(handle);
      const sparse = await vds.open(url);
      try {
        const m = vds.getAccessManager(sparse);
        const S = vds.VDSProduceStatus;
        // As OpenVDS 3.4 answers (checked with the reference build): the status is the group's
        // (LayerStatus' LOD 0 entry), so LOD 1 and channel 1 report Normal though nobody wrote them.
        const table: [vds.DimensionsND, number, number, vds.VDSProduceStatus, number][] = [
          [D.Dimensions_012, 0, 0, S.Normal, 6], [D.Dimensions_012, 1, 0, S.Normal, 2], [D.Dimensions_012, 0, 1, S.Normal, 2],
          [D.Dimensions_01, 0, 0, S.Remapped, 3 * 2 * 20], [D.Dimensions_01, 0, 1, S.Remapped, 2 * 20],
          [D.Dimensions_012, 5, 0, S.Unavailable, 0],
        ];
        for (const [dims, lod, channel, status, chunks] of table) {
          const what = `${D[dims]} LOD ${lod} channel ${channel}`;
          expect(m.getVDSProduceStatus(dims, lod, channel), what).to.equal(status);
          expect(m.getVDSChunkCount(dims, lod, channel), what).to.equal(chunks);
        }
        expect([...await dataOf(m.requestVolumeSubset([68, 0, 0], [70, 1, 1]))]).to.deep.equal([value(68, 0, 0), value(69, 0, 0)]);
        // Reading them fails as OpenVDS's requests do: canceled with the missing object's 404, never zeros.
        const unproduced: [string, Pick<vds.VolumeDataRequest<unknown>, 'waitForCompletion' | 'isCanceled' | 'getErrorCode' | 'getErrorMessage'>][] = [
          ['Dimensions_012LOD1/0', m.requestVolumeSubset([0, 0, 0], [2, 2, 2], { lod: 1 })],
          ['TraceDimensions_012LOD0/0', m.requestVolumeSubset([0, 0, 0], [1, 2, 2], { channel: 1, format: F.Format_U8 })],
          ['Dimensions_012LOD1/0', m.requestVolumeSamples([[1, 1, 1]], { lod: 1 })],
          ['TraceDimensions_012LOD0/0', m.requestVolumeSubset([0, 0, 0], [1, 2, 2], null, D.Dimensions_01, 0, 1)],
          ['TraceDimensions_012LOD0/0', m.prefetchVolumeChunk(0, D.Dimensions_012, 0, 1)],
        ];
        for (const [object, request] of unproduced) {
          expect(await request.waitForCompletion(), object).to.equal(false);
          expect([request.isCanceled(), request.getErrorCode()], object).to.deep.equal([true, 404]);
          expect(request.getErrorMessage()).to.include(`Object: ${object} not found.`);
        }
        const traceAccessor = m.createVolumeDataPageAccessor(D.Dimensions_012, 0, 1, 1, ReadOnly);
        const pageError = await traceAccessor.readPage(0).then(() => undefined, (error: unknown) => error);
        expect(pageError).to.be.instanceOf(vds.ReadError).and.to.have.property('code', 404);
        expect(await traceAccessor.getChunkVolumeDataHash(0)).to.equal(0n);
        // PerTrace chunks span dimension 0 (3 chunks of channel 0) in one: OpenVDS's trace mapping.
        expect(traceAccessor.getChunkCount()).to.equal(2);
        expect([0, 1, 2, 3, 4, 5].map((c) => traceAccessor.getMappedChunkIndex(c))).to.deep.equal([0, 0, 0, 1, 1, 1]);
        expect([0, 1].map((c) => traceAccessor.getPrimaryChannelChunkIndex(c))).to.deep.equal([0, 3]);
        const primary = m.createVolumeDataPageAccessor(D.Dimensions_012, 0, 0, 1, ReadOnly);
        expect([primary.getMappedChunkIndex(4), primary.getPrimaryChannelChunkIndex(4)]).to.deep.equal([4, 4]);
        expectInvalidArgument(() => traceAccessor.getMappedChunkIndex(6), 'primaryChannelChunkIndex must be an integer in 0…5, got 6');
      } finally {
        await vds.close(sparse);
      }
    });
  });

  describe('VolumeDataRequest', () => {
    it('has the reference\'s methods and properties, with real values', async () => {
      const first = manager.requestVolumeSubset([0, 0, 0], [40, 30, 20], { format: F.Format_R64 });
      const second = manager.requestVolumeSamples([[1.5, 1.5, 1.5]], { interpolationMethod: I.Nearest });
      expect(first.requestID()).to.be.greaterThan(0);
      expect(second.requestID()).to.equal(first.requestID() + 1);
      first.validateRequest();
      // The buffer exists from the start, as OpenVDS's pointer does.
      const buffer = first.buffer() as Float64Array;
      expect(buffer).to.be.instanceOf(Float64Array);
      expect([first.bufferByteSize(), first.bufferDataType()]).to.deep.equal([40 * 30 * 20 * 8, F.Format_R64]);
      await dataOf(first);
      const members = <T>(r: vds.VolumeDataRequest<T>) => ({
        isCompleted: r.isCompleted(), completed: r.completed, isCanceled: r.isCanceled(), canceled: r.canceled,
        getCompletionFactor: r.getCompletionFactor(), completionFactor: r.completionFactor,
        getErrorCode: r.getErrorCode(), errorCode: r.errorCode, getErrorMessage: r.getErrorMessage(), errorMessage: r.errorMessage,
      });
      const done = { isCompleted: true, completed: true, isCanceled: false, canceled: false, getCompletionFactor: 1, completionFactor: 1,
        getErrorCode: 0, errorCode: 0, getErrorMessage: '', errorMessage: '' };
      expect(members(first)).to.deep.equal(done);
      expect(first.data).to.equal(buffer);
      expect(buffer[39 + 40 * 29 + 1200 * 19]).to.equal(value(39, 29, 19));
      expect([...await dataOf(second)]).to.deep.equal([value(1, 1, 1)]);
      expect([second.bufferByteSize(), second.bufferDataType()]).to.deep.equal([4, F.Format_R32]);
      const typed: vds.VolumeDataRequestFloat = second;
      expect(typed.buffer()).to.equal(second.data);

      const canceled = manager.requestVolumeSubset([0, 0, 0], [40, 30, 20]);
      await canceled.cancelAndWaitForCompletion();
      const message = canceled.getErrorMessage();
      expect(message).to.not.equal('');
      expect(members(canceled)).to.deep.equal({ ...done, isCompleted: false, completed: false, isCanceled: true, canceled: true,
        getCompletionFactor: canceled.completionFactor, completionFactor: canceled.getCompletionFactor(), getErrorCode: -2, errorCode: -2, getErrorMessage: message, errorMessage: message });

      const prefetch = manager.prefetchVolumeChunk(0);
      expect([prefetch.buffer(), prefetch.bufferByteSize(), prefetch.bufferDataType()]).to.deep.equal([undefined, 0, F.Format_U8]);
      expect(await dataOf(prefetch)).to.equal(0);
    });

    it('keeps the Observable side: events end with the data the request holds', async () => {
      const request = manager.requestVolumeSubset([0, 0, 0], [2, 1, 1]);
      const events: vds.RequestEvent<vds.VolumeDataTypedArray>[] = [];
      await new Promise<void>((resolve, reject) => request.subscribe({ next: (e) => events.push(e), error: reject, complete: resolve }));
      const last = events.at(-1)!;
      expect(last.kind).to.equal('data');
      expect(last.kind === 'data' && [...last.data as Float32Array]).to.deep.equal([value(0, 0, 0), value(1, 0, 0)]);
      const cold = manager.volumeSubset$([0, 0, 0], [2, 1, 1], null, D.Dimensions_012, 0, 0, F.Format_U16);
      const coldEvents: vds.RequestEvent<vds.VolumeDataTypedArray>[] = [];
      await new Promise<void>((resolve, reject) => cold.subscribe({ next: (e) => coldEvents.push(e), error: reject, complete: resolve }));
      expect(coldEvents.at(-1)!.kind === 'data' && coldEvents.at(-1)!.kind).to.equal('data');
      expect((coldEvents.at(-1) as vds.DataEvent<vds.VolumeDataTypedArray>).data).to.be.instanceOf(Uint16Array);
    });
  });

  describe('VolumeDataPageAccessor and VolumeDataPage', () => {
    it('answers every documented member with real values', async () => {
      expect(vds.VolumeDataPageAccessor.AccessMode).to.equal(vds.AccessMode);
      expect(vds.VolumeDataAccessManager.AccessMode.AccessMode_Create).to.equal(vds.AccessMode.AccessMode_Create);
      const accessor = manager.createVolumeDataPageAccessor(D.Dimensions_012, 0, 0, 2, ReadOnly);
      expect(accessor.getChannelDescriptor().getName()).to.equal('Value');
      expect(accessor.getChannelDescriptor()).to.equal(dataset.layout.getChannelDescriptor(0));
      expect([accessor.addReference(), accessor.addReference(), accessor.removeReference()]).to.deep.equal([2, 3, 2]);
      expect([accessor.getSuperChunkCount(), accessor.superChunkCount]).to.deep.equal([2, 2]);
      expect([0, 1].map((s) => accessor.getChunkIndicesInSuperChunk(s))).to.deep.equal([[0], [1]]);

      const min = new Int32Array(6), max: number[] = [];
      accessor.getChunkMinMax(1, min, [0, 0, 0, 0, 0, 0]);
      expect([...min]).to.deep.equal([32, 0, 0, 0, 0, 0]);
      const maxOut = [9, 9, 9, 9, 9, 9];
      accessor.getChunkMinMaxExcludingMargin(1, min, maxOut);
      expect([[...min], maxOut]).to.deep.equal([[32, 0, 0, 0, 0, 0], [40, 30, 20, 1, 1, 1]]);
      const numSamples = new Int32Array(6);
      accessor.getNumSamples(numSamples);
      expect([...numSamples]).to.deep.equal([40, 30, 20, 1, 1, 1]);
      expect(accessor.getChunkMinMax(1)).to.deep.equal([[32, 0, 0, 0, 0, 0], [40, 30, 20, 1, 1, 1]]);
      expectInvalidArgument(() => accessor.getChunkMinMax(1, new Int32Array(3), max), 'min must be an Int32Array or array of 6 entries, got an Int32Array');

      const page = await accessor.readPageAtPosition([35, 2, 3]);
      expect(page.getChunkIndex()).to.equal(1);
      expect(page.getVolumeDataPageAccessor()).to.equal(accessor);
      expect(page.getError()).to.equal(undefined);
      const pageMin = [0, 0, 0, 0, 0, 0], pageMax = new Int32Array(6);
      page.getMinMax(pageMin, pageMax);
      expect([pageMin, [...pageMax]]).to.deep.equal([[32, 0, 0, 0, 0, 0], [40, 30, 20, 1, 1, 1]]);
      page.getMinMaxExcludingMargin(pageMin, pageMax);
      expect([pageMin, [...pageMax]]).to.deep.equal([[32, 0, 0, 0, 0, 0], [40, 30, 20, 1, 1, 1]]);
      // Voxel (35, 2, 3) of a page over [32, 40) × [0, 30) × [0, 20).
      expect(page.getBuffer()[3 + 8 * 2 + 8 * 30 * 3]).to.equal(value(35, 2, 3));
      await page.release();
    });

    it('a Remapped group: its own chunk numbering, super-chunks over its source, pages with the real data', async () => {
      expect(manager.getVDSProduceStatus(D.Dimensions_01)).to.equal(vds.VDSProduceStatus.Remapped);
      const accessor = manager.createVolumeDataPageAccessor(D.Dimensions_01, 0, 0, 4, ReadOnly);
      expect(accessor.getChunkCount()).to.equal(40);
      // Super bricks are the larger of 32 × 32 × 1 (Dimensions_01) and 32³ (its source): 2 super-chunks of 20 chunks.
      expect(accessor.getSuperChunkCount()).to.equal(2);
      expect(accessor.getChunkIndicesInSuperChunk(1)).to.deep.equal(Array.from({ length: 20 }, (_, z) => 1 + 2 * z));
      // Chunk 5 = x chunk 1, z slice 2: [32, 40) × [0, 30) × [2, 3).
      expect(accessor.getChunkMinMax(5)).to.deep.equal([[32, 0, 2, 0, 0, 0], [40, 30, 3, 1, 1, 1]]);
      const page = await accessor.readPage(5);
      const expected = await dataOf(manager.requestVolumeSubset([32, 0, 2], [40, 30, 3]));
      expect([...page.getBuffer() as Float32Array]).to.deep.equal([...expected as Float32Array]);
      expect(page.getBuffer()[7 + 8 * 29]).to.equal(value(39, 29, 2));
      await page.release();
      const atPosition = await accessor.readPageAtPosition([1, 1, 19]);
      expect([atPosition.getChunkIndex(), atPosition.getBuffer()[0]]).to.deep.equal([38, value(0, 0, 19)]);
      await atPosition.release();
      // OpenVDS reads hashes of Normal layers only; a Remapped chunk's is unknown (0).
      expect(await accessor.getChunkVolumeDataHash(5)).to.equal(0n);
    });

    it('a Remapped 1Bit group: pages hold their rows padded to whole bytes, as written pages do', async () => {
      const bit = (x: number, y: number, z: number) => ((x * 7 + y * 3 + z) % 5 === 0 ? 1 : 0);
      const { url } = await writeTestVolume({ size: [37, 5, 3], format: F.Format_1Bit, value: bit });
      const bits = await vds.open(url);
      try {
        const accessor = vds.getAccessManager(bits).createVolumeDataPageAccessor(D.Dimensions_01, 0, 0, 2, ReadOnly);
        // Chunk 5 = x chunk 1, z slice 2: [32, 37) × [0, 5) × [2, 3): 5 rows of 5 bits, each in one byte.
        expect(accessor.getChunkMinMax(5)).to.deep.equal([[32, 0, 2, 0, 0, 0], [37, 5, 3, 1, 1, 1]]);
        const page = await accessor.readPage(5);
        const bytes = page.getBuffer() as Uint8Array;
        expect(bytes.length).to.equal(5);
        for (let y = 0; y < 5; y++) {
          for (let x = 0; x < 5; x++) expect((bytes[y]! >> x) & 1, `(${32 + x}, ${y}, 2)`).to.equal(bit(32 + x, y, 2));
          expect(bytes[y]! >> 5, `padding of row ${y}`).to.equal(0);
        }
        await page.release();
      } finally {
        await vds.close(bits);
      }
    });
  });
});
