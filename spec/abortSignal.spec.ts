import { getEventListeners, setMaxListeners } from 'node:events';
import { expect } from 'chai';
import { firstValueFrom, lastValueFrom, type Observable } from 'rxjs';
import * as vds from '../src/index.js';
import { MemoryStore } from '../sources/stores/memoryStore.js';
import type { WriteOptions } from '../sources/stores/store.js';
import { rejection } from './support/rejection.js';
import { chunkJobsInFlight, delay, InstrumentedStore } from './support/slowStore.js';
import { uniqueMemoryUrl, writeTestVolume } from './support/volumes.js';

const F = vds.VolumeDataFormat;
const SENTINEL = -12345;
const value = (x: number, y: number, z: number) => x + 100 * y + 10_000 * z;

/** Reads the first `fastReads` objects at once, then stalls every read until its signal aborts; writes stall while `stallWrites`. */
class StallingStore extends InstrumentedStore {
  fastReads = Infinity;
  stallWrites = false;
  writes = 0;

  override get(key: string, options?: { signal?: AbortSignal }): Promise<Uint8Array | undefined> {
    this.delayMs = this.reads >= this.fastReads ? 60_000 : 0;
    return super.get(key, options);
  }

  override async set(key: string, data: Uint8Array, options?: WriteOptions): Promise<void> {
    this.writes++;
    this.activeReads++;
    try {
      if (this.stallWrites) await delay(60_000, options?.signal);
      await super.set(key, data, options);
    } finally {
      this.activeReads--;
    }
  }
}

async function waitUntil(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const grace = () => new Promise((r) => setTimeout(r, 150));

describe('AbortSignal', function () {
  this.timeout(60_000);
  let name: string;
  let store: StallingStore;
  let dataset: vds.VDS;
  let manager: vds.VolumeDataAccessManager;

  before(async () => {
    // 64³ voxels in 32³ bricks: 8 chunks, so every request below touches several.
    const url = uniqueMemoryUrl('abort');
    name = url.slice('inmemory://'.length);
    await writeTestVolume({ url, size: [64, 64, 64], format: F.Format_R32, method: vds.CompressionMethod.Zip, value, valueRange: [0, 700_000] });
    store = new StallingStore(new MemoryStore(name));
    dataset = await vds.open(store);
    manager = vds.getAccessManager(dataset);
  });
  after(async () => { await vds.close(dataset, false); });
  beforeEach(() => {
    dataset.chunkCache.setMaxBytes(0);
    store.fastReads = Infinity;
    store.stallWrites = false;
  });

  /** Samples at the centre of each of the 8 chunks. */
  const chunkCentres = [0, 1].flatMap((k) => [0, 1].flatMap((j) => [0, 1].map((i) => [16 + 32 * i, 16 + 32 * j, 16 + 32 * k])));

  /** What the tests look at of a request, whatever its result type. */
  interface StartedRequest {
    isCanceled(): boolean;
    readonly errorCode: number;
    readonly errorMessage: string;
    waitForCompletion(): Promise<boolean>;
    asObservable(): Observable<unknown>;
  }
  type Started = { request: StartedRequest; buffer?: ArrayLike<number> };
  const kinds: Record<string, { fastReads: number; start: (signal: AbortSignal) => Started }> = {
    requestVolumeSubset: { fastReads: 4, start: (signal) => {
      const dataOut = new Float32Array(new SharedArrayBuffer(64 ** 3 * 4)).fill(SENTINEL);
      return { request: manager.requestVolumeSubset([0, 0, 0], [64, 64, 64], { dataOut, signal }), buffer: dataOut };
    } },
    requestVolumeSamples: { fastReads: 4, start: (signal) => {
      const dataOut = new Float32Array(8).fill(SENTINEL);
      return { request: manager.requestVolumeSamples(chunkCentres, { dataOut, signal, interpolationMethod: vds.InterpolationMethod.Nearest }), buffer: dataOut };
    } },
    requestVolumeTraces: { fastReads: 4, start: (signal) => {
      const dataOut = new Float32Array(4 * 64).fill(SENTINEL);
      const traces = [[0, 10, 10], [0, 40, 10], [0, 10, 40], [0, 40, 40]];
      return { request: manager.requestVolumeTraces(traces, 0, { dataOut, signal }), buffer: dataOut };
    } },
    requestProjectedVolumeSubset: { fastReads: 2, start: (signal) => {
      const dataOut = new Float32Array(64 * 64).fill(SENTINEL);
      const request = manager.requestProjectedVolumeSubset([0, 0, 0], [64, 64, 64], { dataOut, signal, voxelPlane: [1, 0, 0, -31.5] });
      return { request, buffer: dataOut };
    } },
    prefetchVolumeChunk: { fastReads: 0, start: (signal) => ({ request: manager.prefetchVolumeChunk(7, { signal }) }) },
    requestShapedSubset: { fastReads: 4, start: (signal) => ({
      request: vds.requestShapedSubset(dataset, { min: [0, 0, 0], max: [64, 64, 64] }, { signal }),
    }) },
  };

  for (const [kind, { fastReads, start }] of Object.entries(kinds)) {
    it(`${kind}: aborting mid-flight cancels it (code −2), stops the store reads and leaves the buffer as it was`, async () => {
      store.fastReads = store.reads + fastReads;
      const controller = new AbortController();
      const { request, buffer } = start(controller.signal);
      const failure = rejection(lastValueFrom(request.asObservable()));
      // Mid-flight: the fast reads are done and decoded, and a stalled one is pending. (With a
      // worker copying into the buffer right then, the request would be canceled once that copy ended.)
      await waitUntil(() => store.reads > store.fastReads && store.activeReads > 0 && chunkJobsInFlight() === 0, 'a stalled read');
      expect(request.isCanceled()).to.equal(false);
      controller.abort();
      const snapshot = buffer && Array.from(buffer);
      const readsAtAbort = store.reads;
      expect(request.isCanceled()).to.equal(true);
      expect(request.errorCode).to.equal(-2);
      expect(request.errorMessage).to.equal('Request was canceled');
      expect(await failure).to.be.instanceOf(vds.CanceledError);
      expect(await request.waitForCompletion()).to.equal(false);
      await grace();
      expect(store.reads, 'store reads after the abort').to.equal(readsAtAbort);
      expect(store.activeReads, 'reads still pending').to.equal(0);
      // Decode jobs already running on a worker finish (their results are dropped); none is left queued.
      await waitUntil(() => chunkJobsInFlight() === 0, 'running decode jobs to finish', 10_000);
      if (buffer) expect(Array.from(buffer), 'buffer written after the abort').to.deep.equal(snapshot);
      expect(getEventListeners(controller.signal, 'abort')).to.have.length(0);
    });
  }

  it('requestVolumeSubset: chunks delivered before the abort stay, the rest keep their old contents', async () => {
    store.fastReads = store.reads + 4;
    const controller = new AbortController();
    const dataOut = new Float32Array(new SharedArrayBuffer(64 ** 3 * 4)).fill(SENTINEL);
    const request = manager.requestVolumeSubset([0, 0, 0], [64, 64, 64], { dataOut, signal: controller.signal });
    // Four reads (chunks, and the metadata page unless already cached) pass at once; wait until a chunk is in the buffer.
    await waitUntil(() => request.completionFactor > 0 && store.activeReads > 0 && chunkJobsInFlight() === 0, 'a delivered chunk');
    controller.abort();
    const snapshot = dataOut.slice();
    await grace();
    await waitUntil(() => chunkJobsInFlight() === 0, 'running decode jobs to finish', 10_000);
    expect(Buffer.from(dataOut.buffer).equals(Buffer.from(snapshot.buffer)), 'buffer written after the abort').to.equal(true);
    const written = dataOut.filter((v) => v !== SENTINEL).length;
    expect(written % 32 ** 3, 'whole chunks only').to.equal(0);
    // Of 8 chunks: at least the one awaited, at most the 4 read before the reads stalled.
    expect(written).to.be.within(32 ** 3, 4 * 32 ** 3);
    dataOut.forEach((v, i) => {
      if (v !== SENTINEL) expect(v).to.equal(value(i % 64, Math.floor(i / 64) % 64, Math.floor(i / 4096)));
    });
  });

  it('a signal aborted before the request cancels it at once, with no store read', async () => {
    const readsBefore = store.reads;
    const signal = AbortSignal.abort();
    const dataOut = new Float32Array(8).fill(SENTINEL);
    const request = manager.requestVolumeSamples(chunkCentres, { dataOut, signal });
    expect(request.isCanceled()).to.equal(true);
    expect(request.errorCode).to.equal(-2);
    expect(request.buffer()).to.equal(dataOut);
    const prefetch = manager.prefetchVolumeChunk(0, { signal });
    expect(prefetch.isCanceled()).to.equal(true);
    expect(vds.requestShapedSubset(dataset, { min: [0, 0, 0], max: [8, 8, 8] }, { signal }).getErrorCode()).to.equal(-2);
    await grace();
    expect(store.reads).to.equal(readsBefore);
    expect(Array.from(dataOut)).to.deep.equal(new Array(8).fill(SENTINEL));
  });

  it('the Observable forms end with CanceledError on abort, and do not start when already aborted', async () => {
    store.fastReads = store.reads + 2;
    const controller = new AbortController();
    const forms: Observable<unknown>[] = [
      manager.volumeSubset$([0, 0, 0], [64, 64, 64], { signal: controller.signal }),
      manager.volumeSamples$(chunkCentres, { signal: controller.signal }),
      manager.volumeTraces$([[0, 5, 5]], 0, { signal: controller.signal }),
      manager.projectedVolumeSubset$([0, 0, 0], [64, 64, 64], { signal: controller.signal, voxelPlane: [1, 0, 0, -10] }),
    ];
    const readsBeforeSubscribing = store.reads;
    await grace();
    expect(store.reads, 'cold: no read before subscription').to.equal(readsBeforeSubscribing);
    const failures = forms.map((form) => rejection(lastValueFrom(form)));
    await waitUntil(() => store.activeReads > 0, 'a stalled read');
    controller.abort();
    for (const error of await Promise.all(failures)) expect(error).to.be.instanceOf(vds.CanceledError);
    const readsAtAbort = store.reads;
    await grace();
    expect(store.reads).to.equal(readsAtAbort);
    expect(store.activeReads).to.equal(0);
    expect(getEventListeners(controller.signal, 'abort')).to.have.length(0);

    const error = await rejection(firstValueFrom(manager.volumeSubset$([0, 0, 0], [8, 8, 8], { signal: controller.signal })));
    expect(error).to.be.instanceOf(vds.CanceledError);
    expect(store.reads).to.equal(readsAtAbort);
  });

  it('a signal left alone changes nothing: the request completes with the right values', async () => {
    const controller = new AbortController();
    const request = manager.requestVolumeSamples([[3.5, 40.5, 63.5]], { signal: controller.signal, interpolationMethod: vds.InterpolationMethod.Nearest });
    expect(await request.waitForCompletion()).to.equal(true);
    expect(Array.from(request.data)).to.deep.equal([value(3, 40, 63)]);
    const shaped = vds.requestShapedSubset(dataset, { min: [1, 2, 3], max: [3, 3, 4] }, { signal: controller.signal });
    expect(await shaped.waitForCompletion()).to.equal(true);
    expect(Array.from(shaped.data.data)).to.deep.equal([value(1, 2, 3), value(2, 2, 3)]);
  });

  it('refuses a signal that is not an AbortSignal, and a signal in the positional form', () => {
    const controller = new AbortController();
    expect(() => manager.requestVolumeSubset([0, 0, 0], [8, 8, 8], { signal: controller as unknown as AbortSignal }))
      .to.throw(vds.InvalidArgumentError, 'signal must be an AbortSignal (e.g. an AbortController\'s signal), got an AbortController');
    expect(() => manager.requestVolumeSamples([[1, 1, 1]], { signal: 'abort' as unknown as AbortSignal }))
      .to.throw(vds.InvalidArgumentError, 'signal must be an AbortSignal (e.g. an AbortController\'s signal), got "abort"');
    expect(() => manager.requestVolumeTraces([[1, 1, 1]], 0, { signal: true as unknown as AbortSignal }))
      .to.throw(vds.InvalidArgumentError, 'got true');
    expect(() => manager.projectedVolumeSubset$([0, 0, 0], [8, 8, 8], { signal: {} as AbortSignal, voxelPlane: [1, 0, 0, -1] }))
      .to.throw(vds.InvalidArgumentError, 'got an Object');
    expect(() => manager.prefetchVolumeChunk(0, { signal: 1 as unknown as AbortSignal })).to.throw(vds.InvalidArgumentError, 'got 1');
    expect(() => vds.requestShapedSubset(dataset, { min: [0, 0, 0], max: [8, 8, 8] }, { signal: null as unknown as AbortSignal }))
      .to.throw(vds.InvalidArgumentError, 'got null');
    // OpenVDS's positional order has no slot for a signal: a seventh argument is one too many.
    const positional = [null, vds.DimensionsND.Dimensions_012, 0, 0, F.Format_R32, null, controller.signal] as unknown as [];
    expect(() => manager.requestVolumeSubset([0, 0, 0], [8, 8, 8], ...positional))
      .to.throw(vds.InvalidArgumentError, 'requestVolumeSubset takes at most 6 optional arguments');
    expect(() => manager.getVolumeSubsetBufferSize([0, 0, 0], [8, 8, 8], { signal: controller.signal } as object))
      .to.throw(vds.InvalidArgumentError, 'getVolumeSubsetBufferSize: unknown option "signal" (allowed: format, lod, channel, dimensionsND)');
  });

  it('listeners are removed when requests end: 10,000 requests on one long-lived signal leave none', async () => {
    dataset.chunkCache.setMaxBytes(64 * 1024 * 1024);
    const controller = new AbortController();
    const { signal } = controller;
    // 100 requests at a time share it: more than Node's default of 10 listeners before it warns.
    setMaxListeners(100, signal);
    let most = 0;
    for (let batch = 0; batch < 100; batch++) {
      const requests = Array.from({ length: 100 }, (_, i) => (i % 10 === 9
        ? manager.requestVolumeSamples([[i % 64, batch % 64, 5]], { signal, interpolationMethod: vds.InterpolationMethod.Nearest })
        : manager.requestVolumeSubset([i % 60, batch % 60, 0], [(i % 60) + 2, (batch % 60) + 2, 1], { signal })));
      most = Math.max(most, getEventListeners(signal, 'abort').length);
      // A few canceled ones too: cancel() must drop the listener as well.
      requests[0]!.cancel();
      const done = await Promise.all(requests.map((r) => r.waitForCompletion()));
      expect(done.filter((d) => !d)).to.have.length(1);
    }
    expect(most).to.be.within(1, 100);
    expect(getEventListeners(signal, 'abort')).to.have.length(0);
    // And once everything ended, aborting the signal touches nothing.
    controller.abort();
  });

  describe('open and create', () => {
    it('open rejects with CanceledError while the layout read stalls, and stops its reads', async () => {
      const stalled = new StallingStore(new MemoryStore(name));
      stalled.fastReads = 0;
      const controller = new AbortController();
      const opening = vds.open(stalled, { signal: controller.signal });
      await waitUntil(() => stalled.activeReads === 2, 'the VolumeDataLayout and LayerStatus reads');
      controller.abort();
      const error = await rejection(opening);
      expect(error).to.be.instanceOf(vds.CanceledError);
      expect(error.message).to.equal(`Opening instrumented ${new MemoryStore(name).description} was canceled`);
      expect((error as vds.CanceledError).code).to.equal(-2);
      expect(stalled.activeReads).to.equal(0);
      expect(stalled.reads).to.equal(2);
      expect(getEventListeners(controller.signal, 'abort')).to.have.length(0);
    });

    it('every open form takes { signal } last; an aborted one rejects before any read', async () => {
      const signal = AbortSignal.abort();
      const counted = new StallingStore(new MemoryStore(name));
      const url = `inmemory://${name}`;
      const forms: [string, Promise<unknown>][] = [
        ['url', vds.open(url, { signal })],
        ['url + connection string', vds.open(url, '', { signal })],
        ['OpenOptions', vds.open(new vds.InMemoryOpenOptions(name), { signal })],
        ['IOManager', vds.open(counted, { signal })],
        ['IOManager + logLevel', vds.open(counted, vds.LogLevel.None, { signal })],
        ['adaptive tolerance', vds.openWithAdaptiveCompressionTolerance(counted, '', 0.5, { signal })],
        ['adaptive ratio', vds.openWithAdaptiveCompressionRatio(url, '', 10, { signal })],
      ];
      for (const [form, promise] of forms) expect(await rejection(promise), form).to.be.instanceOf(vds.CanceledError);
      expect(counted.reads).to.equal(0);
      // Not aborted: opens as before.
      const opened = await vds.open(url, '', { signal: new AbortController().signal });
      expect(opened.layout.getDimensionality()).to.equal(3);
      await vds.close(opened, false);
    });

    it('open refuses a wrong signal or an unknown option with InvalidArgumentError', async () => {
      const url = `inmemory://${name}`;
      const wrong = await rejection(vds.open(url, { signal: new AbortController() as unknown as AbortSignal }));
      expect(wrong).to.be.instanceOf(vds.InvalidArgumentError);
      expect(wrong.message).to.equal('signal must be an AbortSignal (e.g. an AbortController\'s signal), got an AbortController');
      const unknown = await rejection(vds.open(url, '', { signal: new AbortController().signal, timeout: 5 } as never));
      expect(unknown).to.be.instanceOf(vds.InvalidArgumentError);
      expect(unknown.message).to.equal('open: unknown option "timeout" in its last argument (allowed: signal)');
      // Without a signal key an extra object is not AbortOptions: still OpenVDS's VDSError out-parameter, refused.
      const misspelt = await rejection(vds.open(url, '', { sginal: AbortSignal.abort() } as never));
      expect(misspelt.message).to.equal('open got 1 argument(s) too many from argument 3: rxvds throws its errors instead of filling a VDSError');
    });

    it('create rejects with CanceledError when aborted during its writes, or before them', async () => {
      const { layoutDescriptor, axes, channels } = newLayout();
      const target = new StallingStore(new MemoryStore(uniqueMemoryUrl('abort-create').slice('inmemory://'.length)));
      target.stallWrites = true;
      const controller = new AbortController();
      const creating = vds.create(target, layoutDescriptor, axes, channels, new vds.MetadataContainer(), { signal: controller.signal });
      await waitUntil(() => target.activeReads === 1, 'the LayerStatus write (create writes it before VolumeDataLayout)');
      controller.abort();
      const error = await rejection(creating);
      expect(error).to.be.instanceOf(vds.CanceledError);
      expect(error.message).to.match(/^Creating instrumented .* was canceled$/);
      await grace();
      expect(target.writes, 'no VolumeDataLayout write after the abort').to.equal(1);
      expect(target.activeReads).to.equal(0);
      expect(await target.get('LayerStatus')).to.equal(undefined);
      expect(await target.get('VolumeDataLayout')).to.equal(undefined);

      const untouched = new StallingStore(new MemoryStore(uniqueMemoryUrl('abort-create').slice('inmemory://'.length)));
      const url = uniqueMemoryUrl('abort-create');
      for (const promise of [
        vds.create(untouched, layoutDescriptor, axes, channels, new vds.MetadataContainer(), { signal: AbortSignal.abort() }),
        vds.create(url, '', layoutDescriptor, axes, channels, new vds.MetadataContainer(), vds.CompressionMethod.Zip, 0, { signal: AbortSignal.abort() }),
      ]) expect(await rejection(promise)).to.be.instanceOf(vds.CanceledError);
      expect(untouched.writes).to.equal(0);
      expect(await rejection(vds.open(url))).to.be.instanceOf(vds.ReadError);

      const wrong = await rejection(vds.create(untouched, layoutDescriptor, axes, channels, new vds.MetadataContainer(), { signal: 'now' as unknown as AbortSignal }));
      expect(wrong).to.be.instanceOf(vds.InvalidArgumentError);
      expect(wrong.message).to.equal('signal must be an AbortSignal (e.g. an AbortController\'s signal), got "now"');
    });
  });
});

function newLayout() {
  return {
    layoutDescriptor: new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_32, 0, 0, 1, vds.LODLevels.LODLevels_None),
    axes: [new vds.VolumeDataAxisDescriptor(8, 'Sample', 'ms', 0, 7), new vds.VolumeDataAxisDescriptor(8, 'Crossline', '', 0, 7),
      new vds.VolumeDataAxisDescriptor(8, 'Inline', '', 0, 7)],
    channels: [new vds.VolumeDataChannelDescriptor(F.Format_R32, vds.VolumeDataComponents.Components_1, 'Value', '', 0, 1)],
  };
}
