// The serve bench's requests: random inlines, crosslines, time slices and fences of a survey, each
// done either over HTTP against the service or in-process through the rxvds API (the baseline),
// by N clients at a time.
import * as vds from '../src/index.js';

type Role = 'inline' | 'crossline' | 'sample';

/** The survey's id on the bench's service. */
export const BENCH_DATASET_ID = 'survey';

/** An axis as GET /datasets/{id}/metadata gives it. */
export interface SurveyAxis {
  dimension: number;
  name: string;
  samples: number;
  min: number;
  step: number;
  role: Role | null;
}

export type SliceKind = 'inline' | 'crossline' | 'time';
export type BenchRequest =
  | { kind: SliceKind; lineno: number }
  | { kind: 'fence'; coordinates: [number, number][] };
export type RequestKind = BenchRequest['kind'];
export const REQUEST_KINDS: readonly RequestKind[] = ['inline', 'crossline', 'time', 'fence'];

/** Points of a fence: vds-slice's clients ask for polylines of a few hundred traces. */
export const FENCE_POINTS = 128;

export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function axisOf(axes: readonly SurveyAxis[], role: Role): SurveyAxis {
  const axis = axes.find((a) => a.role === role);
  if (!axis) throw new Error(`the survey has no ${role} axis`);
  return axis;
}

/** `count` requests, the four kinds in turn, at random lines (annotation values) and random straight fences. */
export function randomRequests(axes: readonly SurveyAxis[], count: number, random: () => number): BenchRequest[] {
  const annotation = (axis: SurveyAxis) => axis.min + Math.floor(random() * axis.samples) * axis.step;
  const [inline, crossline, sample] = [axisOf(axes, 'inline'), axisOf(axes, 'crossline'), axisOf(axes, 'sample')];
  return Array.from({ length: count }, (_, n): BenchRequest => {
    const kind = REQUEST_KINDS[n % REQUEST_KINDS.length]!;
    if (kind !== 'fence') return { kind, lineno: annotation(kind === 'inline' ? inline : kind === 'crossline' ? crossline : sample) };
    const [from, to] = [[annotation(inline), annotation(crossline)], [annotation(inline), annotation(crossline)]];
    return { kind, coordinates: Array.from({ length: FENCE_POINTS }, (_, k) => {
      const t = k / (FENCE_POINTS - 1);
      return [from[0]! + (to[0]! - from[0]!) * t, from[1]! + (to[1]! - from[1]!) * t];
    }) };
  });
}

/** Does one request over HTTP; resolves to the float32 values received, after checking their count against X-Shape. */
export async function overHttp(base: string, id: string, request: BenchRequest): Promise<Float32Array> {
  const path = `${base}/datasets/${id}`;
  const response = request.kind === 'fence'
    ? await fetch(`${path}/fence`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ coordinateSystem: 'annotation', coordinates: request.coordinates, interpolation: 'linear' }) })
    : await fetch(`${path}/slice?direction=${request.kind}&lineno=${request.lineno}&format=f32`);
  const body = await response.arrayBuffer();
  if (!response.ok) throw new Error(`${response.status}: ${new TextDecoder().decode(body)}`);
  const values = (JSON.parse(response.headers.get('x-shape') ?? '[]') as number[]).reduce((a, b) => a * b, 1);
  if (body.byteLength !== values * 4) throw new Error(`${body.byteLength} bytes for X-Shape ${response.headers.get('x-shape')}`);
  return new Float32Array(body);
}

/** The same request in-process: the annotation → voxel steps the service takes, then the access manager's request. */
export async function inProcess(dataset: vds.VDS, axes: readonly SurveyAxis[], request: BenchRequest): Promise<Float32Array> {
  const layout = vds.getLayout(dataset);
  const manager = vds.getAccessManager(dataset);
  if (request.kind !== 'fence') {
    const box = vds.annotationSlice(layout, { [request.kind]: request.lineno });
    const subset = manager.requestVolumeSubset(box.min, box.max);
    if (!(await subset.waitForCompletion())) throw new Error(subset.errorMessage);
    return subset.data as Float32Array;
  }
  const [inline, crossline, sample] = [axisOf(axes, 'inline'), axisOf(axes, 'crossline'), axisOf(axes, 'sample')];
  const positions = request.coordinates.map(([il, xl]) => vds.annotationPosition(layout, { [inline.name]: il, [crossline.name]: xl, [sample.name]: sample.min }));
  const traces = manager.requestVolumeTraces(positions, sample.dimension, { interpolationMethod: vds.InterpolationMethod.Linear });
  if (!(await traces.waitForCompletion())) throw new Error(traces.errorMessage);
  return traces.data!;
}

export interface Timed {
  kind: RequestKind;
  ms: number;
}

export interface RunResult {
  timings: Timed[];
  failures: string[];
  wallMs: number;
}

/** Runs `requests` with `clients` of them in flight at a time (each client asks for the next when its answer is in). */
export async function runClients(requests: readonly BenchRequest[], clients: number, run: (request: BenchRequest) => Promise<unknown>): Promise<RunResult> {
  const timings: Timed[] = [];
  const failures: string[] = [];
  let next = 0;
  const started = performance.now();
  const client = async () => {
    while (next < requests.length) {
      const request = requests[next++]!;
      const start = performance.now();
      try {
        await run(request);
        timings.push({ kind: request.kind, ms: performance.now() - start });
      } catch (error) {
        failures.push(`${request.kind}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return { timings, failures, wallMs: performance.now() - started };
}

/** The q-quantile (nearest rank) of some values. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

export interface StreamTiming {
  /** Until the first (coarse LOD) picture arrived. */
  firstMs: number;
  /** Until the end event (full resolution). */
  endMs: number;
}

/**
 * Streams one slice (Accept: text/event-stream) and times its first `slice` event and its `end`;
 * with `abandon`, the client goes away after the first progress event (the service must cancel the
 * read) and resolves to undefined.
 */
export async function streamSlice(base: string, id: string, request: { kind: SliceKind; lineno: number }, abandon = false): Promise<StreamTiming | undefined> {
  const controller = new AbortController();
  const start = performance.now();
  const response = await fetch(`${base}/datasets/${id}/slice?direction=${request.kind}&lineno=${request.lineno}`,
    { headers: { accept: 'text/event-stream' }, signal: controller.signal });
  if (!response.ok || !response.body) throw new Error(`${response.status}: ${await response.text()}`);
  const decoder = new TextDecoder();
  let text = '';
  let firstMs: number | undefined;
  try {
    for await (const chunk of response.body) {
      text += decoder.decode(chunk, { stream: true });
      if (abandon && text.includes('event: progress')) {
        controller.abort();
        return undefined;
      }
      if (text.includes('event: error')) throw new Error(`error event: ${text.slice(text.indexOf('event: error'), text.indexOf('event: error') + 300)}`);
      if (firstMs === undefined && text.includes('event: slice')) firstMs = performance.now() - start;
      if (text.includes('event: end')) return { firstMs: firstMs ?? Number.NaN, endMs: performance.now() - start };
      // Only the tail can still hold the start of an event name.
      if (text.length > 64) text = text.slice(-64);
    }
  } catch (error) {
    if (abandon && controller.signal.aborted) return undefined;
    throw error;
  }
  throw new Error('the stream ended without an end event');
}
