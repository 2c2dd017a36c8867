// rxvds serve: every route's answer checked against the library read in-process (bit for bit), an
// independent computation (horizon attributes), or the exact refusal; streaming, cancellation on
// disconnect (store reads counted), shared chunk work, auth, limits, and credentials kept out.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import * as vds from '../src/index.js';
import { createServer, readConfigFile, type RxvdsServer } from '../src/serve/index.js';
import { FolderStore } from '../src/index.js';
import { fullStore } from './support/fullStore.js';
import { startStaticServer, type RunningServer } from './support/servers.js';
import { chunkJobsInFlight, delay, InstrumentedStore, whenQuiet } from './support/slowStore.js';
import { segyFile } from './support/testdata.js';
import { useTempFolder } from './support/tempFolder.js';
import { writeTestVolume } from './support/volumes.js';

const SECRETS = ['PASSw0rd-9f3', 'SIGsecret-77a'];
const QUERY = 'sv=2024-01-01&sig=SIGsecret-77a';
const TOKEN = 'spec-token-5e1b7c';
/** The synthetic volume: 96 samples × 64 crosslines × 256 inlines in 32³ bricks, so a time slice spans 2 × 8 chunks. */
const SLOW_SIZE: [number, number, number] = [96, 64, 256];
const TIME_SLICE_CHUNKS = 16;

/** Every response of the spec, to check that no credential ever left the server. */
const seen: string[] = [];
const logged: string[] = [];

interface Reply { statusCode: number; headers: Record<string, unknown>; body: Buffer; json<T = Record<string, unknown>>(): T }

async function call(server: RxvdsServer, url: string, options: { method?: 'GET' | 'POST'; payload?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
  const response = await server.app.inject({ method: options.method ?? 'GET', url, payload: options.payload as object, headers: options.headers });
  seen.push(JSON.stringify(response.headers), response.body);
  return { statusCode: response.statusCode, headers: response.headers, body: response.rawPayload, json: () => response.json() };
}

const f32 = (body: Buffer): Float32Array => new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
const bytes = (data: ArrayBufferView): Buffer => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

/** `event`/`data` pairs of a Server-Sent Events body. */
function sseEvents(text: string): { event: string; data: Record<string, unknown> }[] {
  return text.split('\n\n').filter((block) => block.trim() !== '').map((block) => {
    const event = /^event: (.*)$/m.exec(block)![1]!;
    return { event, data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as Record<string, unknown> };
  });
}

describe('rxvds serve', function () {
  this.timeout(60_000);
  const inFolder = useTempFolder('serve');
  let server: RxvdsServer;
  let f3: vds.VDS;
  let slowStore: InstrumentedStore;
  let static$: RunningServer;
  const chunkReads = new Map<string, number>();

  before(async () => {
    await vds.segy.importSegy(segyFile('f3.sgy'), inFolder('f3'), { lodLevels: vds.LODLevels.LODLevels_2, brickSize: vds.BrickSize.BrickSize_32 });
    const slow = await writeTestVolume({ size: SLOW_SIZE, format: vds.VolumeDataFormat.Format_R32, value: (x, y, z) => x + 100 * y + 10_000 * z });
    slowStore = new InstrumentedStore(fullStore(vds.openStore(slow.url, '').store));
    slowStore.corrupt = (key, data) => { chunkReads.set(key, (chunkReads.get(key) ?? 0) + 1); return data; };
    static$ = await startStaticServer(new FolderStore(inFolder('f3')), { requiredQuery: QUERY, basePath: '/ds' });
    const host = static$.url.replace('http://', '');
    server = createServer({
      datasets: [
        { id: 'f3', url: inFolder('f3') },
        // Two chunks in flight, so cancellation shows before the slice is done.
        { id: 'slow', store: slowStore, connection: 'ChunksInFlight=2' },
        { id: 'served', url: `http://reader:PASSw0rd-9f3@${host}/ds?${QUERY}` },
        { id: 'denied', url: `http://reader:PASSw0rd-9f3@${host}/ds?sv=2024-01-01&sig=SIGsecret-77a&x=1` },
      ],
      log: (line) => logged.push(line),
    });
    f3 = await vds.open(inFolder('f3'), '');
  });

  after(async () => {
    await server.close();
    await vds.close(f3, false);
    await static$.stop();
    for (const text of [...seen, ...logged]) for (const secret of SECRETS) expect(text).not.to.contain(secret);
  });

  /** The library's own read of a slice box. */
  async function inProcess(box: vds.VoxelBox, lod = 0): Promise<vds.ShapedSubset> {
    const request = vds.requestShapedSubset(f3, box, { lod });
    expect(await request.waitForCompletion()).to.equal(true);
    return request.data;
  }

  it('GET /datasets lists the ids, and nothing else of the configuration', async () => {
    const reply = await call(server, '/datasets');
    expect(reply.statusCode).to.equal(200);
    expect(reply.json()).to.deep.equal({ datasets: [{ id: 'f3' }, { id: 'slow' }, { id: 'served' }, { id: 'denied' }] });
  });

  it('GET /datasets/{id}/metadata: axes with annotation ranges, the survey corners, channels and LODs', async () => {
    const reply = await call(server, '/datasets/f3/metadata');
    expect(reply.statusCode).to.equal(200);
    const metadata = reply.json<{ axes: unknown[]; boundingBox: { world: number[][]; annotation: number[][]; index: number[][] }; channels: unknown[]; lods: number[]; crs: string }>();
    expect(metadata.axes).to.deep.equal([
      { dimension: 0, name: 'Sample', unit: 'ms', samples: 75, min: 4, max: 300, step: 4, role: 'sample' },
      { dimension: 1, name: 'Crossline', unit: 'unitless', samples: 18, min: 875, max: 892, step: 1, role: 'crossline' },
      { dimension: 2, name: 'Inline', unit: 'unitless', samples: 23, min: 111, max: 133, step: 1, role: 'inline' },
    ]);
    expect(metadata.lods).to.deep.equal([0, 1, 2]);
    expect(metadata.crs).to.equal('');
    expect(metadata.boundingBox.annotation).to.deep.equal([[111, 875], [133, 875], [133, 892], [111, 892]]);
    expect(metadata.boundingBox.index).to.deep.equal([[0, 0], [22, 0], [22, 17], [0, 17]]);
    // F3's first trace (inline 111, crossline 875) is at CDP X/Y 620197.2, 6074232.9 in its SEG-Y header; each
    // world corner maps back to its annotation corner.
    expect(metadata.boundingBox.world[0]![0]).to.be.closeTo(620197.2, 1e-6);
    expect(metadata.boundingBox.world[0]![1]).to.be.closeTo(6074232.9, 1e-6);
    const transformer = vds.IJKCoordinateTransformer.fromLayout(vds.getLayout(f3));
    metadata.boundingBox.world.forEach(([x, y], n) => {
      const annotation = transformer.worldToAnnotation([x!, y!, 0]);
      expect(annotation[0]).to.be.closeTo(metadata.boundingBox.annotation[n]![0]!, 1e-6);
      expect(annotation[1]).to.be.closeTo(metadata.boundingBox.annotation[n]![1]!, 1e-6);
    });
    expect(metadata.channels[0]).to.deep.equal({ name: 'Amplitude', unit: '', format: 'U16', valueRange: [-6115, 5740], noValue: null });
  });

  describe('GET /datasets/{id}/slice', () => {
    const cases: [query: string, selection: vds.AnnotationSelection | [dimension: number, index: number], rows: string, cols: string][] = [
      ['direction=inline&lineno=120', { inline: 120 }, 'Crossline', 'Sample'],
      ['direction=crossline&lineno=880', { crossline: 880 }, 'Inline', 'Sample'],
      ['direction=time&lineno=100', { time: 100 }, 'Inline', 'Crossline'],
      // 201 ms lies between samples: the slice is the nearest one, 200 ms, and X-Slice says so.
      ['direction=sample&lineno=201', { sample: 201 }, 'Inline', 'Crossline'],
      ['direction=i&lineno=9', [2, 9], 'Crossline', 'Sample'],
      ['direction=j&lineno=17', [1, 17], 'Inline', 'Sample'],
      ['direction=k&lineno=0', [0, 0], 'Inline', 'Crossline'],
    ];
    for (const [query, selection, rows, cols] of cases) {
      it(`${query}: float32 equal bit for bit to the in-process read, with its shape and axes`, async () => {
        const layout = vds.getLayout(f3);
        const box = Array.isArray(selection)
          ? { min: [0, 1, 2].map((d) => (d === selection[0] ? selection[1] : 0)), max: [0, 1, 2].map((d) => (d === selection[0] ? selection[1] + 1 : layout.getDimensionNumSamples(d))) }
          : vds.annotationSlice(layout, selection);
        const expected = await inProcess(box);
        const reply = await call(server, `/datasets/f3/slice?${query}&format=f32`);
        expect(reply.statusCode, reply.body.toString()).to.equal(200);
        expect(reply.headers['content-type']).to.equal('application/octet-stream');
        expect(bytes(expected.data).equals(reply.body)).to.equal(true);
        const spanning = expected.axes.filter((a) => box.max[a.dimension]! - box.min[a.dimension]! > 1);
        expect(JSON.parse(reply.headers['x-shape'] as string)).to.deep.equal([spanning[1]!.count, spanning[0]!.count]);
        const axes = JSON.parse(reply.headers['x-axes'] as string) as { name: string; min: number; max: number }[];
        expect(axes.map((a) => a.name)).to.deep.equal([rows, cols]);
        const range = (name: string) => vds.getLayout(f3).axisDescriptors.find((a) => a.getName() === name)!;
        for (const axis of axes) expect([axis.min, axis.max]).to.deep.equal([range(axis.name).getCoordinateMin(), range(axis.name).getCoordinateMax()]);
        const sliced = expected.axes.find((a) => box.max[a.dimension]! - box.min[a.dimension]! === 1)!;
        expect(JSON.parse(reply.headers['x-slice'] as string)).to.deep.equal({ name: sliced.name, unit: sliced.unit, index: box.min[sliced.dimension], annotation: sliced.start });
      });
    }

    it('POST with the parameters in a JSON body answers as GET does; a picture is not streamed', async () => {
      const got = await call(server, '/datasets/f3/slice?direction=crossline&lineno=881');
      const posted = await call(server, '/datasets/f3/slice', { method: 'POST', payload: { direction: 'crossline', lineno: 881 } });
      expect(posted.statusCode).to.equal(200);
      expect(posted.headers['x-shape']).to.equal('[23,75]');
      expect(posted.body.equals(got.body)).to.equal(true);
      const png = await call(server, '/datasets/f3/slice?direction=k&lineno=3&format=png', { headers: { accept: 'text/event-stream' } });
      expect(png.json()).to.deep.equal({ error: 'format: a stream carries float32 slices: ask format=f32 (or no Accept: text/event-stream) for a picture' });
      const refused = await call(server, '/datasets/f3/slice', { method: 'POST', payload: { direction: 'crossline', lineno: 'abc' } });
      expect(refused.json()).to.deep.equal({ error: 'lineno: must be number' });
    });

    it('X-Slice tells where a snapped slice lies', async () => {
      const reply = await call(server, '/datasets/f3/slice?direction=time&lineno=202.5');
      expect(JSON.parse(reply.headers['x-slice'] as string)).to.deep.equal({ name: 'Sample', unit: 'ms', index: 50, annotation: 204 });
    });

    it('lod=1 is the LOD 1 read, with the decimated shape and steps', async () => {
      const expected = await inProcess(vds.annotationSlice(vds.getLayout(f3), { inline: 120 }), 1);
      const reply = await call(server, '/datasets/f3/slice?direction=inline&lineno=120&lod=1');
      expect(bytes(expected.data).equals(reply.body)).to.equal(true);
      expect(reply.headers['x-shape']).to.equal('[9,38]');
      expect(JSON.parse(reply.headers['x-axes'] as string)).to.deep.equal([
        { name: 'Crossline', unit: 'unitless', min: 875, max: 891, samples: 9, step: 2 },
        { name: 'Sample', unit: 'ms', min: 4, max: 300, samples: 38, step: 8 },
      ]);
    });

    it('format=png is the library\'s picture of that slice, at the width asked for', async () => {
      const reply = await call(server, '/datasets/f3/slice?direction=inline&lineno=120&format=png&width=320&colormap=grey&clip=3000');
      expect(reply.statusCode).to.equal(200);
      expect(reply.headers['content-type']).to.equal('image/png');
      expect(reply.body.subarray(1, 4).toString()).to.equal('PNG');
      expect(reply.body.readUInt32BE(16)).to.equal(320);
      const picture = vds.renderSlice(await inProcess(vds.annotationSlice(vds.getLayout(f3), { inline: 120 })),
        { width: 320, colorMap: 'grey', clip: 3000, title: 'f3: Inline 120', valueLabel: 'Amplitude' });
      expect(reply.body.readUInt32BE(20)).to.equal(picture.height);
      expect(reply.body.equals(Buffer.from(vds.encodePNG(picture)))).to.equal(true);
    });

    it('Accept: text/event-stream streams progress up to the total, the coarsest LOD, then full resolution, then end', async () => {
      const reply = await call(server, '/datasets/f3/slice?direction=crossline&lineno=884', { headers: { accept: 'text/event-stream' } });
      expect(reply.statusCode).to.equal(200);
      expect(reply.headers['content-type']).to.equal('text/event-stream; charset=utf-8');
      const events = sseEvents(reply.body.toString());
      expect(events.at(-1)).to.deep.equal({ event: 'end', data: {} });
      const progress = events.filter((e) => e.event === 'progress').map((e) => e.data as { done: number; total: number });
      // LOD 2: one chunk; LOD 0: the crossline crosses 3 sample chunks of the single inline chunk.
      expect(progress[0]).to.deep.equal({ done: 0, total: 4 });
      progress.forEach((p, n) => { expect(p.total).to.equal(4); if (n) expect(p.done).to.be.at.least(progress[n - 1]!.done); });
      expect(progress.at(-1)!.done).to.equal(4);
      const slices = events.filter((e) => e.event === 'slice').map((e) => e.data as { lod: number; shape: number[]; data: string });
      expect(slices.map((s) => [s.lod, s.shape])).to.deep.equal([[2, [6, 19]], [0, [23, 75]]]);
      const box = vds.annotationSlice(vds.getLayout(f3), { crossline: 884 });
      expect(Buffer.from(slices[0]!.data, 'base64').equals(bytes((await inProcess(box, 2)).data))).to.equal(true);
      expect(Buffer.from(slices[1]!.data, 'base64').equals(bytes((await inProcess(box)).data))).to.equal(true);
      // The full-resolution slice comes after the coarse one, and after all progress.
      const order = events.map((e) => (e.event === 'slice' ? `slice${(e.data as { lod: number }).lod}` : e.event));
      expect(order.indexOf('slice2')).to.be.lessThan(order.indexOf('slice0'));
      expect(order.lastIndexOf('progress')).to.be.lessThan(order.indexOf('slice0'));
    });

    it('Accept: application/x-ndjson sends the same events, one JSON object a line', async () => {
      const reply = await call(server, '/datasets/f3/slice?direction=k&lineno=3&lod=2', { headers: { accept: 'application/x-ndjson' } });
      expect(reply.headers['content-type']).to.equal('application/x-ndjson; charset=utf-8');
      const lines = reply.body.toString().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.map((l) => l.event)).to.deep.equal(['progress', 'progress', 'slice', 'end']);
      expect(lines[1]).to.deep.equal({ event: 'progress', done: 1, total: 1 });
      const expected = await inProcess({ min: [3, 0, 0], max: [4, 18, 23] }, 2);
      expect(lines[2]).to.include({ lod: 2 });
      expect(Buffer.from(lines[2]!.data as string, 'base64').equals(bytes(expected.data))).to.equal(true);
    });
  });

  describe('POST fence, samples and attributes', () => {
    /** The voxel position of annotation (inline, crossline, time) in F3. */
    const f3Position = (inline: number, crossline: number, time = 4): number[] => [(time - 4) / 4 + 0.5, crossline - 875 + 0.5, inline - 111 + 0.5];

    async function traces(positions: number[][], method: vds.InterpolationMethod): Promise<Float32Array> {
      const request = vds.getAccessManager(f3).requestVolumeTraces(positions, 0, { interpolationMethod: method });
      expect(await request.waitForCompletion()).to.equal(true);
      return request.data;
    }

    it('fence in annotation coordinates equals the in-process trace request, [points, samples]', async () => {
      const coordinates = [[111, 875], [120.5, 880.25], [133, 892]];
      const reply = await call(server, '/datasets/f3/fence', { method: 'POST', payload: { coordinateSystem: 'annotation', coordinates, interpolation: 'linear' } });
      expect(reply.statusCode, reply.body.toString()).to.equal(200);
      expect(reply.headers['x-shape']).to.equal('[3,75]');
      const expected = await traces(coordinates.map(([il, xl]) => f3Position(il!, xl!)), vds.InterpolationMethod.Linear);
      expect(bytes(expected).equals(reply.body)).to.equal(true);
    });

    it('fence in index and world coordinates: the same traces as their annotation', async () => {
      const byAnnotation = await call(server, '/datasets/f3/fence', { method: 'POST', payload: { coordinateSystem: 'annotation', coordinates: [[116, 878], [130, 890]], interpolation: 'nearest' } });
      const byIndex = await call(server, '/datasets/f3/fence', { method: 'POST', payload: { coordinateSystem: 'index', coordinates: [[5, 3], [19, 15]], interpolation: 'nearest' } });
      const transformer = vds.IJKCoordinateTransformer.fromLayout(vds.getLayout(f3));
      const world = [[116, 878], [130, 890]].map(([il, xl]) => transformer.annotationToWorld([il!, xl!, 0]).slice(0, 2));
      const byWorld = await call(server, '/datasets/f3/fence', { method: 'POST', payload: { coordinateSystem: 'world', coordinates: world, interpolation: 'nearest' } });
      const expected = await traces([f3Position(116, 878), f3Position(130, 890)], vds.InterpolationMethod.Nearest);
      for (const reply of [byAnnotation, byIndex, byWorld]) expect(bytes(expected).equals(reply.body)).to.equal(true);
    });

    it('a streamed fence sends progress up to its chunk count, the fence, then end; a refused one is a plain 400', async () => {
      const payload = { coordinateSystem: 'index', coordinates: [[0, 0], [22, 17]], interpolation: 'cubic' };
      const plain = await call(server, '/datasets/f3/fence', { method: 'POST', payload });
      const streamed = await call(server, '/datasets/f3/fence', { method: 'POST', payload, headers: { accept: 'application/x-ndjson' } });
      const lines = streamed.body.toString().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.map((l) => l.event)).to.deep.equal([...lines.slice(0, -2).map(() => 'progress'), 'fence', 'end']);
      const progress = lines.slice(0, -2) as unknown as { done: number; total: number }[];
      progress.forEach((p, n) => expect(p.done).to.equal(n + 1));
      expect(progress.at(-1)!.done).to.equal(progress.at(-1)!.total);
      const result = lines.at(-2)!;
      expect(result.shape).to.deep.equal([2, 75]);
      expect(JSON.stringify(result.axes)).to.equal(plain.headers['x-axes']);
      expect(Buffer.from(result.data as string, 'base64').equals(plain.body)).to.equal(true);
      const refused = await call(server, '/datasets/f3/fence', { method: 'POST', payload: { coordinateSystem: 'index', coordinates: [[0, 99]] },
        headers: { accept: 'text/event-stream' } });
      expect(refused.statusCode).to.equal(400);
      expect(refused.json()).to.deep.equal({ error: 'coordinates[0]: Crossline index 99 is outside 0…17' });
    });

    it('samples at (inline, crossline, time) points equal the in-process sample request', async () => {
      const points = [[120, 880, 100], [115.5, 877.25, 150.5], [133, 892, 300]];
      const reply = await call(server, '/datasets/f3/samples', { method: 'POST', payload: { coordinateSystem: 'annotation', points, interpolation: 'cubic' } });
      expect(reply.statusCode, reply.body.toString()).to.equal(200);
      expect(reply.headers['x-shape']).to.equal('[3]');
      const request = vds.getAccessManager(f3).requestVolumeSamples(points.map(([il, xl, t]) => f3Position(il!, xl!, t)), { interpolationMethod: vds.InterpolationMethod.Cubic });
      expect(await request.waitForCompletion()).to.equal(true);
      expect(bytes(request.data).equals(reply.body)).to.equal(true);
    });

    it('attributes of a window around a horizon equal a direct computation over the trace', async () => {
      const coordinates = [[116, 878], [121, 882], [125, 880], [112, 876]];
      const horizon = [100, 200, null, 4];
      const names = ['min', 'max', 'mean', 'rms', 'sumpos', 'sumneg'];
      const reply = await call(server, '/datasets/f3/attributes', {
        method: 'POST', payload: { coordinateSystem: 'annotation', coordinates, horizon, above: 8, below: 12, attributes: names },
      });
      expect(reply.statusCode, reply.body.toString()).to.equal(200);
      expect(reply.headers['x-shape']).to.equal('[6,4]');
      expect(reply.headers['x-attributes']).to.equal(JSON.stringify(names));
      const values = f32(reply.body);
      for (const [n, [il, xl]] of coordinates.entries()) {
        const h = horizon[n];
        if (h === null) {
          names.forEach((_, a) => expect(values[a * 4 + n]).to.be.NaN);
          continue;
        }
        const trace = (await inProcess({ min: [0, xl! - 875, il! - 111], max: [75, xl! - 874, il! - 110] })).data;
        // Samples from 8 ms above to 12 ms below the horizon, 4 ms apart, inside 4…300 ms.
        const window = [...trace].filter((_, s) => 4 + 4 * s >= h! - 8 && 4 + 4 * s <= h! + 12);
        expect(window.length).to.equal(h === 4 ? 4 : 6);
        const sum = window.reduce((a, b) => a + b, 0);
        const expected = [Math.min(...window), Math.max(...window), sum / window.length, Math.sqrt(window.reduce((a, v) => a + v * v, 0) / window.length),
          window.filter((v) => v > 0).reduce((a, b) => a + b, 0), window.filter((v) => v < 0).reduce((a, b) => a + b, 0)];
        expected.forEach((value, a) => expect(values[a * 4 + n], `${names[a]} at point ${n}`).to.equal(Math.fround(value)));
      }
    });

    it('attributes in index coordinates (horizon and window in samples) match those in annotation coordinates', async () => {
      const attributes = ['rms', 'sumneg'];
      const byIndex = await call(server, '/datasets/f3/attributes', {
        method: 'POST', payload: { coordinateSystem: 'index', coordinates: [[5, 3]], horizon: [24], above: 2, below: 3, attributes },
      });
      const byAnnotation = await call(server, '/datasets/f3/attributes', {
        method: 'POST', payload: { coordinateSystem: 'annotation', coordinates: [[116, 878]], horizon: [100], above: 8, below: 12, attributes },
      });
      expect(byIndex.headers['x-shape']).to.equal('[2,1]');
      expect(byIndex.body.equals(byAnnotation.body)).to.equal(true);
      expect(f32(byIndex.body).every(Number.isFinite)).to.equal(true);
    });
  });

  describe('refusals', () => {
    const refusals: [url: string, status: number, error: string, body?: unknown][] = [
      ['/datasets/f3/slice?direction=diagonal&lineno=1', 400, 'direction: must be one of inline, crossline, time, depth, sample, i, j, k'],
      ['/datasets/f3/slice?direction=inline', 400, 'lineno: is required'],
      ['/datasets/f3/slice?direction=inline&lineno=abc', 400, 'lineno: must be number'],
      ['/datasets/f3/slice?direction=inline&lineno=5000', 400, 'lineno: Inline 5000 is outside 111..133 (step 1)'],
      ['/datasets/f3/slice?direction=i&lineno=23', 400, 'lineno: index 23 is outside 0…22 of Inline (direction i takes indices)'],
      ['/datasets/f3/slice?direction=depth&lineno=100', 400, 'direction: no axis "depth" in this layout (axes: Sample, Crossline, Inline)'],
      ['/datasets/f3/slice?direction=inline&lineno=120&lod=3', 400, 'lod: LOD 3 is not available (this dataset has LOD 0, 1, 2)'],
      ['/datasets/f3/slice?direction=inline&lineno=120&channel=3', 400, 'channel: channel 3 does not exist (this dataset has 3: 0…2)'],
      ['/datasets/f3/slice?direction=inline&lineno=120&channel=1', 400, 'channel: channel 1 (Trace) has one value per trace, not per sample'],
      ['/datasets/f3/slice?direction=inline&lineno=120&format=jpg', 400, 'format: must be one of f32, png'],
      ['/datasets/f3/slice?direction=inline&lineno=120&format=png&width=10', 400, 'width: must be >= 64'],
      ['/datasets/f3/slice?direction=inline&lineno=120&colormap=grey', 400, 'colormap: is a parameter of format=png'],
      ['/datasets/f3/slice?direction=j&lineno=2.5', 400, 'lineno: direction j takes an index (an integer), got 2.5'],
      ['/datasets/f3/slice?direction=inline&lineno=120&path=/etc/passwd', 400, 'path: is not a parameter of this route'],
      ['/datasets/f3/fence', 400, 'coordinates: is required', { coordinateSystem: 'index' }],
      ['/datasets/f3/fence', 400, 'coordinateSystem: must be one of world, annotation, index', { coordinateSystem: 'polar', coordinates: [[1, 2]] }],
      ['/datasets/f3/fence', 400, 'coordinates[0]: must NOT have fewer than 2 items', { coordinateSystem: 'index', coordinates: [[1]] }],
      ['/datasets/f3/fence', 400, 'interpolation: must be one of nearest, linear, cubic, angular, triangular', { coordinateSystem: 'index', coordinates: [[1, 2]], interpolation: 'spline' }],
      ['/datasets/f3/fence', 400, 'coordinates[1]: Crossline 2000 is outside 875..892 (step 1)', { coordinateSystem: 'annotation', coordinates: [[111, 875], [111, 2000]] }],
      ['/datasets/f3/fence', 400, 'coordinates[0]: Inline index 23 is outside 0…22', { coordinateSystem: 'index', coordinates: [[23, 0]] }],
      ['/datasets/f3/samples', 400, 'points[0]: Sample 301 ms is outside 4 ms..300 ms (step 4 ms)', { coordinateSystem: 'annotation', points: [[111, 875, 301]] }],
      ['/datasets/f3/attributes', 400, 'horizon: has 1 values for 2 coordinates: give one per point (null where there is none)',
        { coordinateSystem: 'index', coordinates: [[1, 2], [3, 4]], horizon: [10], attributes: ['min'] }],
      ['/datasets/f3/attributes', 400, 'attributes[0]: must be one of min, max, mean, rms, sumpos, sumneg',
        { coordinateSystem: 'index', coordinates: [[1, 2]], horizon: [10], attributes: ['median'] }],
      ['/datasets/nope/metadata', 404, 'id: no dataset "nope" on this server (GET /datasets lists them)'],
      ['/datasets/..%2F..%2Fetc%2Fpasswd/metadata', 404, 'id: no dataset "../../etc/passwd" on this server (GET /datasets lists them)'],
      ['/elsewhere', 404, 'no route GET /elsewhere'],
    ];
    for (const [url, status, error, body] of refusals) {
      it(`${status} ${error}`, async () => {
        const reply = await call(server, url, body === undefined ? {} : { method: 'POST', payload: body });
        expect(reply.statusCode).to.equal(status);
        expect(reply.json()).to.deep.equal({ error });
      });
    }

    it('400 for a world point outside the survey and for a body that is not JSON, 415 for another media type', async () => {
      const outside = await call(server, '/datasets/f3/fence', { method: 'POST', payload: { coordinateSystem: 'world', coordinates: [[0, 0]] } });
      expect(outside.statusCode).to.equal(400);
      expect(outside.json<{ error: string }>().error).to.match(/^coordinates\[0\]: world X\/Y \(0, 0\) is outside the survey/);
      const garbled = await call(server, '/datasets/f3/fence', { method: 'POST', payload: '{"coordinateSystem": ', headers: { 'content-type': 'application/json' } });
      expect(garbled.statusCode).to.equal(400);
      expect(garbled.json()).to.deep.equal({ error: 'body: Body is not valid JSON but content-type is set to \'application/json\'' });
      const form = await call(server, '/datasets/f3/fence', { method: 'POST', payload: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(form.statusCode).to.equal(415);
      expect(form.json()).to.deep.equal({ error: 'body: Unsupported Media Type (send application/json)' });
    });

    it('401 without the bearer token or with another; /health needs none', async () => {
      const guarded = createServer({ datasets: [{ id: 'f3', url: inFolder('f3') }], token: TOKEN });
      try {
        const none = await call(guarded, '/datasets');
        expect(none.statusCode).to.equal(401);
        expect(none.headers['www-authenticate']).to.equal('Bearer');
        expect(none.json()).to.deep.equal({ error: 'authorization: this server needs a bearer token (Authorization: Bearer …)' });
        const wrong = await call(guarded, '/datasets/f3/metadata', { headers: { authorization: `Bearer ${TOKEN}x` } });
        expect(wrong.json()).to.deep.equal({ error: 'authorization: the bearer token is not valid' });
        expect((await call(guarded, '/datasets', { headers: { authorization: 'Basic abc' } })).json()).to.deep.equal({ error: 'authorization: expected "Bearer <token>"' });
        expect((await call(guarded, '/datasets', { headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).to.equal(200);
        // The route decides, not the spelling of the URL.
        for (const url of ['/%64atasets', '/./datasets', '/datasets/x/../f3/metadata']) expect((await call(guarded, url)).statusCode, url).to.equal(401);
        expect((await call(guarded, '/health')).json()).to.deep.equal({ status: 'ok' });
      } finally {
        await guarded.close();
      }
      expect(() => createServer({ datasets: [], token: 'short' })).to.throw(vds.InvalidArgumentError, 'token must hold a token of at least 8 characters');
    });

    it('413 over the point, value and body limits', async () => {
      const limited = createServer({ datasets: [{ id: 'f3', url: inFolder('f3') }], limits: { maxPoints: 3, maxValues: 200, bodyBytes: 1024 } });
      try {
        const points = await call(limited, '/datasets/f3/fence', { method: 'POST', payload: { coordinateSystem: 'index', coordinates: [[0, 0], [1, 1], [2, 2], [3, 3]] } });
        expect(points.statusCode).to.equal(413);
        expect(points.json()).to.deep.equal({ error: 'coordinates: 4 points are over this server\'s limit of 3' });
        const values = await call(limited, '/datasets/f3/fence', { method: 'POST', payload: { coordinateSystem: 'index', coordinates: [[0, 0], [1, 1], [2, 2]] } });
        expect(values.json()).to.deep.equal({ error: 'coordinates: 225 values are over this server\'s limit of 200 per request' });
        const body = await call(limited, '/datasets/f3/samples', { method: 'POST', payload: { coordinateSystem: 'index', points: Array.from({ length: 100 }, () => [1.25, 2.5, 3.75]) } });
        expect(body.statusCode).to.equal(413);
        expect(body.json()).to.deep.equal({ error: 'body: over this server\'s limit of 1024 bytes' });
      } finally {
        await limited.close();
      }
    });
  });

  describe('credentials', () => {
    it('a dataset behind a URL with a password and a signature serves like the local one, saying neither', async () => {
      const local = await call(server, '/datasets/f3/slice?direction=inline&lineno=125');
      const served = await call(server, '/datasets/served/slice?direction=inline&lineno=125');
      expect(served.statusCode).to.equal(200);
      expect(served.body.equals(local.body)).to.equal(true);
      const metadata = await call(server, '/datasets/served/metadata');
      expect(metadata.json()).to.deep.include({ id: 'served', lods: [0, 1, 2] });
    });

    it('a dataset that fails to open answers 500 with the reason, its credentials redacted, in the reply and the log', async () => {
      const reply = await call(server, '/datasets/denied/metadata');
      expect(reply.statusCode).to.equal(500);
      const { error } = reply.json<{ error: string }>();
      expect(error).to.match(/^Cannot open http:\/\/\*\*\*@127\.0\.0\.1:\d+\/ds\?sv=2024-01-01&sig=\*\*\*&x=1: /);
      expect(logged.some((line) => line.startsWith('rxvds serve: Cannot open http://***@'))).to.equal(true);
      // (The after hook checks every reply and log line of this spec for the secrets.)
    });
  });

  describe('configuration', () => {
    it('reads a config file: datasets, a token file beside it, the cache budget and limits', () => {
      writeFileSync(inFolder('token.txt'), 'tok-8c1f2e9a\nignored second line\n');
      writeFileSync(inFolder('serve.json'), JSON.stringify({
        datasets: { f3: { url: '/data/f3' }, survey: { url: 's3://bucket/survey', connection: 'Region=eu-north-1' } },
        tokenFile: 'token.txt', cacheBytes: 1 << 30, limits: { maxPoints: 10 },
      }));
      expect(readConfigFile(inFolder('serve.json'))).to.deep.equal({
        datasets: [{ id: 'f3', url: '/data/f3', connection: undefined }, { id: 'survey', url: 's3://bucket/survey', connection: 'Region=eu-north-1' }],
        token: 'tok-8c1f2e9a', cacheBytes: 1 << 30, limits: { maxPoints: 10, maxValues: 64 * 1024 * 1024, bodyBytes: 8 * 1024 * 1024 },
      });
    });

    it('refuses a config file naming what is wrong', () => {
      const refusal = (config: unknown) => {
        writeFileSync(inFolder('bad.json'), JSON.stringify(config));
        return () => readConfigFile(inFolder('bad.json'));
      };
      const at = inFolder('bad.json');
      expect(refusal({ datasets: {}, port: 80 })).to.throw(vds.InvalidArgumentError, `${at}: unknown key "port" (known: datasets, token, tokenFile, cacheBytes, limits)`);
      expect(refusal({ datasets: [] })).to.throw(vds.InvalidArgumentError, `${at}: "datasets" must be an object of id → { "url": …, "connection"?: … }`);
      expect(refusal({ datasets: { '.hidden': { url: 'x' } } })).to.throw(vds.InvalidArgumentError, 'dataset id ".hidden" must be 1…128 letters');
      expect(refusal({ datasets: { a: { url: '' } } })).to.throw(vds.InvalidArgumentError, `${at}: datasets.a.url must be a non-empty string`);
      expect(refusal({ datasets: { a: { url: 'x', sas: 'y' } } })).to.throw(vds.InvalidArgumentError, `${at}: datasets.a has an unknown key "sas" (known: url, connection)`);
      expect(refusal({ datasets: {}, token: 'tok-12345678', tokenFile: 't' })).to.throw(vds.InvalidArgumentError, `${at}: give "token" or "tokenFile", not both`);
      expect(refusal({ datasets: {}, token: 'short' })).to.throw(vds.InvalidArgumentError, `${at}: "token" must hold a token of at least 8 characters`);
      expect(refusal({ datasets: {}, tokenFile: 'missing.txt' })).to.throw(vds.InvalidArgumentError, `cannot read the token file ${inFolder('missing.txt')}: ENOENT`);
      expect(refusal({ datasets: {}, limits: { maxPoints: 0 } })).to.throw(vds.InvalidArgumentError, 'limits.maxPoints must be a positive integer, got 0');
      expect(refusal({ datasets: {}, limits: { points: 5 } })).to.throw(vds.InvalidArgumentError, 'limits.points is not a limit (known: maxPoints, maxValues, bodyBytes)');
      writeFileSync(inFolder('bad.json'), '{ "datasets": ');
      expect(() => readConfigFile(at)).to.throw(vds.InvalidArgumentError, `cannot read the config file ${at}: `);
      expect(() => createServer({ datasets: [{ id: 'a', url: 'x' }, { id: 'a', url: 'y' }] })).to.throw(vds.InvalidArgumentError, 'datasets: the id "a" is given twice');
    });

    it('listen() opens every dataset first: it listens on a free port, or fails with the reason', async () => {
      const good = createServer({ datasets: [{ id: 'f3', url: inFolder('f3') }] });
      try {
        const { url, port } = await good.listen();
        expect(url).to.equal(`http://127.0.0.1:${port}`);
        const response = await fetch(`${url}/datasets/f3/slice?direction=k&lineno=2`);
        expect(response.headers.get('x-shape')).to.equal('[23,18]');
        expect((await response.arrayBuffer()).byteLength).to.equal(23 * 18 * 4);
      } finally {
        await good.close();
      }
      const bad = createServer({ datasets: [{ id: 'nowhere', url: inFolder('nowhere') }] });
      const error = await bad.listen().then(() => undefined, (e: unknown) => e as Error);
      expect(error?.message).to.match(/^Cannot open .*nowhere: /);
      await bad.close();
    });
  });

  describe('shared work and cancellation', () => {
    const chunkKeys = () => [...chunkReads.keys()].filter((key) => /LOD0\/\d+$/.test(key));

    it('concurrent requests for the same slice fetch each chunk once; a later one reads nothing', async () => {
      const [a, b] = await Promise.all([1, 2].map(() => call(server, '/datasets/slow/slice?direction=k&lineno=5')));
      expect(a!.statusCode).to.equal(200);
      expect(a!.body.equals(b!.body)).to.equal(true);
      const values = f32(a!.body);
      expect(a!.headers['x-shape']).to.equal(`[${SLOW_SIZE[2]},${SLOW_SIZE[1]}]`);
      expect([values[0], values[1], values[SLOW_SIZE[1]]]).to.deep.equal([5, 105, 10_005]);
      expect(chunkKeys()).to.have.length(TIME_SLICE_CHUNKS);
      for (const key of chunkKeys()) expect(chunkReads.get(key), key).to.equal(1);
      const readsBefore = slowStore.reads;
      expect((await call(server, '/datasets/slow/slice?direction=k&lineno=6')).body.length).to.equal(SLOW_SIZE[1] * SLOW_SIZE[2] * 4);
      expect(slowStore.reads).to.equal(readsBefore);
    });

    it('the cache budget is the server\'s: with cacheBytes 0 a repeated slice is read from the store again', async () => {
      const uncached = new InstrumentedStore(fullStore(slowStore));
      const budgetless = createServer({ datasets: [{ id: 'slow', store: uncached }], cacheBytes: 0 });
      try {
        const first = await call(budgetless, '/datasets/slow/slice?direction=i&lineno=3');
        const reads = uncached.reads;
        const again = await call(budgetless, '/datasets/slow/slice?direction=i&lineno=3');
        expect(again.body.equals(first.body)).to.equal(true);
        // An inline of 96 × 64 samples spans 3 × 2 chunks.
        expect(uncached.reads - reads).to.equal(6);
      } finally {
        await budgetless.close();
      }
    });

    it('a read that fails mid-stream ends the stream with an error event (and no end)', async () => {
      const count = slowStore.corrupt!;
      // Every chunk read from here on is garbage: the first chunk of the slice fails to decode.
      slowStore.corrupt = (key, data) => (/LOD0\/\d+$/.test(key) ? new Uint8Array(data.length).fill(0xab) : count(key, data));
      try {
        const reply = await call(server, '/datasets/slow/slice?direction=k&lineno=90', { headers: { accept: 'text/event-stream' } });
        expect(reply.statusCode).to.equal(200);
        const events = sseEvents(reply.body.toString());
        expect(events.map((e) => e.event)).to.deep.equal(['progress', 'error']);
        expect((events[1]!.data as { message: string }).message).to.match(/Dimensions_012LOD0\/\d+/);
      } finally {
        slowStore.corrupt = count;
      }
    });

    /** A real HTTP request to the listening server, destroyed once `until` says so. */
    function abandon(base: string, path: string, accept: string, until: (received: string) => boolean): Promise<void> {
      return new Promise((resolve, reject) => {
        const request = httpRequest(`${base}${path}`, { headers: { accept } }, (response: IncomingMessage) => {
          let received = '';
          response.on('data', (chunk: Buffer) => {
            received += chunk.toString();
            if (until(received)) { request.destroy(); resolve(); }
          });
          response.on('end', () => reject(new Error('the response ended before the client left')));
        });
        request.on('error', () => undefined);
        request.end();
      });
    }

    it('a client that disconnects cancels its slice: store reads stop short of the slice\'s chunks', async () => {
      // The app itself: listen() would first open every dataset, and 'denied' does not open.
      const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
      slowStore.delayMs = 100;
      try {
        const readsBefore = slowStore.reads;
        // SSE: leave after the first chunk is in.
        await abandon(url, '/datasets/slow/slice?direction=k&lineno=40', 'text/event-stream', (text) => text.includes('"done":1'));
        await whenQuiet(slowStore);
        const afterStream = slowStore.reads - readsBefore;
        await delay(400);
        expect(slowStore.reads - readsBefore, 'reads after the client left').to.equal(afterStream);
        // No decode job queued or running for it either (each decode follows a read, so none of the unread chunks is decoded).
        expect(chunkJobsInFlight()).to.equal(0);
        expect(afterStream).to.be.greaterThan(0).and.lessThan(TIME_SLICE_CHUNKS);
        // Plain float32: leave while the chunks are being fetched.
        const before = slowStore.reads;
        const request = httpRequest(`${url}/datasets/slow/slice?direction=k&lineno=70`);
        request.on('error', () => undefined);
        request.end();
        await delay(250);
        request.destroy();
        await whenQuiet(slowStore);
        const afterPlain = slowStore.reads - before;
        await delay(400);
        expect(slowStore.reads - before).to.equal(afterPlain);
        expect(chunkJobsInFlight()).to.equal(0);
        expect(afterPlain).to.be.greaterThan(0).and.lessThan(TIME_SLICE_CHUNKS);
      } finally {
        slowStore.delayMs = 0;
      }
    });
  });
});
