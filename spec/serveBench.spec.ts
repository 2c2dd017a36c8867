// The serve bench's workload on a small survey, in-process: its random requests stay inside the
// survey, the baseline (rxvds API) returns exactly the values the service sends for each kind, the
// client runner keeps N in flight and counts failures, a streamed slice is timed and can be
// abandoned, and the bench's options are checked.
import { expect } from 'chai';
import * as vds from '../src/index.js';
import { createServer, type RxvdsServer } from '../src/serve/index.js';
import { SyntheticSurvey, writeSyntheticSurvey } from '../bin/lib/syntheticSurvey.js';
import { parseServeBenchArgs } from '../bench/serve.js';
import { BENCH_DATASET_ID, FENCE_POINTS, inProcess, overHttp, quantile, randomRequests, runClients, seededRandom, streamSlice,
  type SurveyAxis } from '../bench/serveWorkload.js';
import { BIG_SURVEY } from '../bench/serveDataset.js';
import { uniqueMemoryUrl } from './support/volumes.js';

const [SAMPLES, CROSSLINES, INLINES] = [80, 48, 40];

describe('bench serve: the workload', () => {
  let server: RxvdsServer;
  let base: string;
  let dataset: vds.VDS;
  let axes: SurveyAxis[];

  before(async () => {
    const url = uniqueMemoryUrl('serve-bench');
    await writeSyntheticSurvey(url, new SyntheticSurvey(SAMPLES, CROSSLINES, INLINES), vds.CompressionMethod.Zip, undefined, vds.LODLevels.LODLevels_1);
    server = createServer({ datasets: [{ id: BENCH_DATASET_ID, url }], log: () => undefined });
    ({ url: base } = await server.listen());
    dataset = await vds.open(url);
    axes = ((await (await fetch(`${base}/datasets/${BENCH_DATASET_ID}/metadata`)).json()) as { axes: SurveyAxis[] }).axes;
  });

  after(async () => {
    await server?.close();
    if (dataset) await vds.close(dataset, false);
  });

  it('asks for the four kinds in turn, inside the survey, the same list for the same seed', () => {
    const requests = randomRequests(axes, 12, seededRandom(7));
    expect(requests.map((r) => r.kind)).to.deep.equal(Array.from({ length: 3 }, () => ['inline', 'crossline', 'time', 'fence']).flat());
    expect(randomRequests(axes, 12, seededRandom(7))).to.deep.equal(requests);
    const ranges = { inline: [2000, 2000 + INLINES - 1], crossline: [1000, 1000 + CROSSLINES - 1], time: [0, 4 * (SAMPLES - 1)] };
    for (const request of requests) {
      if (request.kind === 'fence') {
        expect(request.coordinates).to.have.length(FENCE_POINTS);
        for (const [il, xl] of request.coordinates) {
          expect(il).to.be.within(...ranges.inline as [number, number]);
          expect(xl).to.be.within(...ranges.crossline as [number, number]);
        }
      } else {
        expect(request.lineno).to.be.within(...ranges[request.kind] as [number, number]);
        if (request.kind === 'time') expect(request.lineno % 4).to.equal(0);
      }
    }
  });

  it('gets the same values in-process as over HTTP, for every kind', async () => {
    const sizes = { inline: SAMPLES * CROSSLINES, crossline: SAMPLES * INLINES, time: CROSSLINES * INLINES, fence: FENCE_POINTS * SAMPLES };
    for (const request of randomRequests(axes, 8, seededRandom(3))) {
      const [served, local] = [await overHttp(base, BENCH_DATASET_ID, request), await inProcess(dataset, axes, request)];
      expect(served.length, request.kind).to.equal(sizes[request.kind]);
      expect(Buffer.from(served.buffer).equals(Buffer.from(local.buffer, local.byteOffset, local.byteLength)), request.kind).to.equal(true);
      expect(served.some((v) => v !== 0)).to.equal(true);
    }
  });

  it('keeps N requests in flight and counts failures without stopping', async () => {
    let [inFlight, most] = [0, 0];
    const requests = randomRequests(axes, 10, seededRandom(1));
    const result = await runClients(requests, 3, async (request) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      if (request.kind === 'fence') throw new Error('refused');
    });
    expect(most).to.equal(3);
    expect(result.timings.map((t) => t.kind).sort()).to.deep.equal(['crossline', 'crossline', 'crossline', 'inline', 'inline', 'inline', 'time', 'time']);
    expect(result.failures).to.deep.equal(['fence: refused', 'fence: refused']);
    expect(quantile([5, 1, 4, 2, 3], 0.5)).to.equal(3);
    expect(quantile(Array.from({ length: 100 }, (_, i) => i + 1), 0.95)).to.equal(95);
  });

  it('times a streamed slice to its coarse picture and its end, and abandons one midway', async () => {
    const timing = await streamSlice(base, BENCH_DATASET_ID, { kind: 'inline', lineno: 2010 });
    expect(timing!.firstMs).to.be.above(0).and.at.most(timing!.endMs);
    expect(await streamSlice(base, BENCH_DATASET_ID, { kind: 'crossline', lineno: 1010 }, true)).to.equal(undefined);
  });

  it('takes its options after the suite name, with defaults, and names a bad one', () => {
    expect(parseServeBenchArgs([])).to.include({ requests: 48, soakSeconds: 0, soakClients: 8 });
    expect(parseServeBenchArgs([]).clients).to.deep.equal([1, 8, 32]);
    expect(parseServeBenchArgs([]).survey).to.deep.equal([...BIG_SURVEY]);
    const options = parseServeBenchArgs(['--clients', '2,4', '--survey', '64x48x40', '--soak', '60', '--data', '/tmp/x']);
    expect(options).to.deep.include({ clients: [2, 4], survey: [64, 48, 40], soakSeconds: 60, data: '/tmp/x' });
    expect(() => parseServeBenchArgs(['--clients', '1,x'])).to.throw('--clients: "x" is not a positive integer');
    expect(() => parseServeBenchArgs(['--survey', '64x48'])).to.throw('--survey: give samples x crosslines x inlines');
    expect(() => parseServeBenchArgs(['--port', '1'])).to.throw(/port/);
  });
});
