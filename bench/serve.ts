// `npm run bench -- serve [--clients 1,8,32] [--requests 48] [--data DIR] [--survey 1024x512x576] [--soak SECONDS]`:
// the service on loopback under N concurrent clients asking random inlines, crosslines, time slices
// and fences of a ≥ 1 GiB Zip survey (generated once into DIR), against the same requests done
// in-process through the rxvds API by the same number of concurrent callers: p50/p95 latency,
// throughput and peak RSS of each side (each in a child process of its own, so its memory is its
// own), plus the time to the first (coarse LOD) picture of a streamed slice. `--soak` then runs
// the service for that long (loopback only, streams abandoned midway among the requests) and
// checks that no request failed and that its RSS stopped growing once the chunk cache was full.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BenchRow, median } from './bench.js';
import type { ChildMessage, ChildReply } from './serveChild.js';
import { BIG_SURVEY, defaultDataFolder, ensureSurveyDataset } from './serveDataset.js';
import { BENCH_DATASET_ID, type BenchRequest, overHttp, quantile, randomRequests, REQUEST_KINDS, type RunResult, runClients, seededRandom,
  streamSlice, type SurveyAxis } from './serveWorkload.js';

const MB = 1024 * 1024;

export interface ServeBenchOptions {
  /** Folder of the cached survey. */
  data: string;
  /** Samples × crosslines × inlines of the survey. */
  survey: readonly number[];
  clients: readonly number[];
  /** Requests per client count (the same list for the service and the baseline). */
  requests: number;
  /** Seconds of soak after the load runs; 0: none. */
  soakSeconds: number;
  soakClients: number;
}

export function parseServeBenchArgs(args: readonly string[]): ServeBenchOptions {
  const { values } = parseArgs({ args: [...args], strict: true, options: {
    data: { type: 'string' }, survey: { type: 'string' }, clients: { type: 'string' }, requests: { type: 'string' },
    soak: { type: 'string' }, 'soak-clients': { type: 'string' },
  } });
  const integers = (text: string, name: string, separator: string) => text.split(separator).map((part) => {
    const n = Number(part);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name}: "${part}" is not a positive integer`);
    return n;
  });
  const survey = values.survey ? integers(values.survey, 'survey', 'x') : [...BIG_SURVEY];
  if (survey.length !== 3) throw new Error('--survey: give samples x crosslines x inlines, e.g. 1024x512x576');
  return {
    data: values.data ?? defaultDataFolder(),
    survey,
    clients: values.clients ? integers(values.clients, 'clients', ',') : [1, 8, 32],
    requests: values.requests ? integers(values.requests, 'requests', ',')[0]! : 48,
    soakSeconds: values.soak ? integers(values.soak, 'soak', ',')[0]! : 0,
    soakClients: values['soak-clients'] ? integers(values['soak-clients'], 'soak-clients', ',')[0]! : 8,
  };
}

/** Resident and peak resident bytes of a process (Linux /proc). */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kB('VmRSS'), hwm: kB('VmHWM') };
}

/** Samples a process's RSS while `work` runs: its peak and the samples with their times. */
async function sampledRss<T>(pid: number, everyMs: number, work: () => Promise<T>): Promise<{ value: T; peak: number; samples: [number, number][] }> {
  const samples: [number, number][] = [];
  const start = performance.now();
  const sample = () => samples.push([(performance.now() - start) / 1000, memoryOf(pid).rss]);
  sample();
  const timer = setInterval(sample, everyMs);
  try {
    const value = await work();
    sample();
    return { value, peak: Math.max(...samples.map(([, rss]) => rss)), samples };
  } finally {
    clearInterval(timer);
  }
}

/** A bench child process (serveChild.ts) and its one answer at a time. */
class Child {
  private constructor(private readonly process: ChildProcess, readonly url: string | undefined) {}

  static async start(mode: 'server' | 'inprocess', dataset: string): Promise<Child> {
    const child = fork(fileURLToPath(new URL('./serveChild.ts', import.meta.url)), [mode, dataset], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const reply = await Child.reply(child);
    if (!('ready' in reply)) throw new Error(`the ${mode} child did not start`);
    return new Child(child, reply.url);
  }

  private static reply(child: ChildProcess): Promise<ChildReply> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the bench child exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (reply: ChildReply) => { child.off('exit', onExit); resolve(reply); });
    });
  }

  get pid(): number {
    return this.process.pid!;
  }

  async run(requests: readonly BenchRequest[], clients: number, axes: readonly SurveyAxis[]): Promise<RunResult> {
    const reply = Child.reply(this.process);
    this.process.send({ run: requests, clients, axes } satisfies ChildMessage);
    const answer = await reply;
    if (!('result' in answer)) throw new Error('the in-process child answered no result');
    return answer.result;
  }

  async stop(): Promise<void> {
    const stopped = Child.reply(this.process).catch(() => undefined);
    this.process.send('stop' satisfies ChildMessage);
    await stopped;
  }
}

const ms = (values: readonly number[], q: number) => quantile(values, q);
const latencies = (run: RunResult, kind?: string) => run.timings.filter((t) => !kind || t.kind === kind).map((t) => t.ms);

function failureNote(...runs: RunResult[]): string {
  const failures = runs.flatMap((run) => run.failures);
  if (failures.length) process.exitCode = 1;
  return failures.length ? `, ${failures.length} FAILED (first: ${failures[0]})` : ', none failed';
}

type Measured = { value: RunResult; peak: number };

/**
 * Runs the requests on both sides in alternating rounds (as many as keep every client busy, up to
 * 4), so that both see the same load from the rest of a shared machine; the rounds' results joined.
 */
async function alternately(requests: readonly BenchRequest[], clients: number, served: (part: readonly BenchRequest[]) => Promise<Measured>,
  local: (part: readonly BenchRequest[]) => Promise<Measured>): Promise<{ served: Measured; local: Measured }> {
  const rounds = Math.min(4, Math.max(1, Math.floor(requests.length / (2 * clients))));
  const size = Math.ceil(requests.length / rounds);
  const joined = (parts: Measured[]): Measured => ({
    value: { timings: parts.flatMap((p) => p.value.timings), failures: parts.flatMap((p) => p.value.failures), wallMs: parts.reduce((t, p) => t + p.value.wallMs, 0) },
    peak: Math.max(...parts.map((p) => p.peak)),
  });
  const [servedParts, localParts]: Measured[][] = [[], []];
  for (let start = 0; start < requests.length; start += size) {
    const part = requests.slice(start, start + size);
    servedParts.push(await served(part));
    localParts.push(await local(part));
  }
  return { served: joined(servedParts), local: joined(localParts) };
}

/** The survey's axes from the service's metadata route. */
async function surveyAxes(base: string): Promise<SurveyAxis[]> {
  const response = await fetch(`${base}/datasets/${BENCH_DATASET_ID}/metadata`);
  if (!response.ok) throw new Error(`metadata: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { axes: SurveyAxis[] }).axes;
}

export async function serveBench(options: ServeBenchOptions): Promise<BenchRow[]> {
  const dataset = await ensureSurveyDataset(options.data, options.survey);
  const server = await Child.start('server', dataset);
  const baseline = await Child.start('inprocess', dataset);
  const rows: BenchRow[] = [];
  try {
    const base = server.url!;
    const axes = await surveyAxes(base);
    const random = seededRandom(18);
    const size = options.survey.join('×');
    // Worker pools started, code compiled, file pages cached on both sides before anything is timed.
    const warmUp = randomRequests(axes, 8, random);
    await runClients(warmUp, 2, (request) => overHttp(base, BENCH_DATASET_ID, request));
    await baseline.run(warmUp, 2, axes);

    for (const clients of options.clients) {
      const requests = randomRequests(axes, Math.max(options.requests, clients), random);
      const { served, local } = await alternately(requests, clients,
        (part) => sampledRss(server.pid, 100, () => runClients(part, clients, (request) => overHttp(base, BENCH_DATASET_ID, request))),
        (part) => sampledRss(baseline.pid, 100, () => baseline.run(part, clients, axes)));
      const label = `${clients} client${clients > 1 ? 's' : ''}`;
      const notes = `${requests.length} requests (inline, crossline, time, fence of ${size} Zip in turn)${failureNote(served.value, local.value)}`;
      const [s, l] = [latencies(served.value), latencies(local.value)];
      rows.push(
        { name: `${label}: p50 latency`, value: ms(s, 0.5), unit: 'ms', baseline: { name: 'in-process', value: ms(l, 0.5) }, notes },
        { name: `${label}: p95 latency`, value: ms(s, 0.95), unit: 'ms', baseline: { name: 'in-process', value: ms(l, 0.95) } },
        { name: `${label}: throughput`, value: served.value.timings.length / (served.value.wallMs / 1000), unit: 'req/s',
          baseline: { name: 'in-process', value: local.value.timings.length / (local.value.wallMs / 1000) } },
        { name: `${label}: peak RSS`, value: served.peak / MB, unit: 'MB', baseline: { name: 'in-process', value: local.peak / MB },
          notes: 'sampled every 100 ms; each side in a process of its own, chunk cache 256 MiB' },
      );
      if (clients === 1) {
        for (const kind of REQUEST_KINDS) {
          const [sk, lk] = [latencies(served.value, kind), latencies(local.value, kind)];
          rows.push({ name: `1 client: ${kind} p50 latency`, value: ms(sk, 0.5), unit: 'ms', baseline: { name: 'in-process', value: ms(lk, 0.5) },
            notes: `p95 ${ms(sk, 0.95).toFixed(0)} ms (in-process ${ms(lk, 0.95).toFixed(0)} ms), ${sk.length} requests` });
        }
      }
    }

    // Progressive LOD: a streamed inline's first picture (LOD 2) against its full resolution.
    const streams: { firstMs: number; endMs: number }[] = [];
    for (const request of randomRequests(axes, 24, random).filter((r) => r.kind === 'inline')) {
      streams.push((await streamSlice(base, BENCH_DATASET_ID, request as { kind: 'inline'; lineno: number }))!);
    }
    rows.push({ name: 'streamed inline: first (coarse) picture', value: median(streams.map((t) => t.firstMs)), unit: 'ms',
      baseline: { name: 'full resolution (end event)', value: median(streams.map((t) => t.endMs)) }, notes: `median of ${streams.length}, 1 client` });

    if (options.soakSeconds > 0) rows.push(...await soak(server, base, axes, options));
  } finally {
    await Promise.all([server.stop(), baseline.stop()]);
  }
  return rows;
}

/**
 * The service under `soakClients` clients for `soakSeconds`: random requests, and every 8th a
 * streamed slice the client abandons after its first progress event. Fails (exit code 1) when a
 * request failed or the RSS grew after the first half (the chunk cache fills in the first minutes;
 * after that a growing RSS is a leak).
 */
async function soak(server: Child, base: string, axes: readonly SurveyAxis[], options: ServeBenchOptions): Promise<BenchRow[]> {
  const random = seededRandom(300);
  const deadline = performance.now() + options.soakSeconds * 1000;
  let [done, abandoned] = [0, 0];
  const failures: string[] = [];
  const client = async () => {
    while (performance.now() < deadline) {
      const [request] = randomRequests(axes, 4, random).slice(Math.floor(random() * 4));
      try {
        if (random() < 1 / 8 && request!.kind !== 'fence') {
          await streamSlice(base, BENCH_DATASET_ID, request!, true);
          abandoned++;
        } else {
          await overHttp(base, BENCH_DATASET_ID, request!);
        }
        done++;
      } catch (error) {
        failures.push(`${request!.kind}: ${(error as Error).message}`);
      }
    }
  };
  const run = await sampledRss(server.pid, 1000, () => Promise.all(Array.from({ length: options.soakClients }, client)));
  const half = run.samples.filter(([t]) => t <= options.soakSeconds / 2);
  const rest = run.samples.filter(([t]) => t > options.soakSeconds / 2);
  const peak = (samples: [number, number][]) => Math.max(...samples.map(([, rss]) => rss));
  // Growth allowed after the first half: allocator noise, not a trend (10 % or 64 MB).
  const bounded = peak(rest) <= Math.max(peak(half) * 1.1, peak(half) + 64 * MB);
  if (failures.length || !bounded) process.exitCode = 1;
  const trend = [0.1, 0.25, 0.5, 0.75, 1].map((f) => {
    const [t, rss] = run.samples[Math.min(run.samples.length - 1, Math.round(f * (run.samples.length - 1)))]!;
    return `${t.toFixed(0)} s ${(rss / MB).toFixed(0)} MB`;
  }).join(', ');
  return [
    { name: `soak ${options.soakSeconds} s, ${options.soakClients} clients: requests`, value: done, unit: 'requests',
      notes: `${abandoned} streams abandoned midway, ${failures.length ? `${failures.length} FAILED (first: ${failures[0]})` : 'none failed'}` },
    { name: `soak ${options.soakSeconds} s: peak RSS, second half`, value: peak(rest) / MB, unit: 'MB', baseline: { name: 'first half', value: peak(half) / MB },
      notes: `${bounded ? 'bounded' : 'GROWING'}; RSS at ${trend}` },
  ];
}

export default function serveSuite(args: readonly string[] = []): Promise<BenchRow[]> {
  return serveBench(parseServeBenchArgs(args));
}
