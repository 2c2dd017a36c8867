// Hostile datasets: seeded mutations of the layout JSON, LayerStatus, metadata pages and chunks of
// folder datasets (None, RLE, Zip), of OpenVDS's JSON test vectors and of subset.vds (read side).
// Every case must end in success or a clean rxvds error — never another exception type, a hang or
// a crash. The cases run in a child process with a 512 MB heap (support/hostileDatasetsChild.ts);
// a child that dies or stalls fails the case it was on, and the run resumes after it.
// RXVDS_FUZZ_CASES sets the number of cases (default 2,000), RXVDS_FUZZ_SEED the seed and
// RXVDS_FUZZ_FIRST the first case: `RXVDS_FUZZ_FIRST=123 RXVDS_FUZZ_CASES=1` replays case 123.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as vds from '../src/index.js';
import type { CaseReport, FuzzConfig, FuzzDataset, Outcome } from './support/hostileDatasetsChild.js';
import { useTempFolder } from './support/tempFolder.js';
import { openvdsVector } from './support/testdata.js';
import { writeTestVolume } from './support/volumes.js';

const CHILD = fileURLToPath(new URL('./support/hostileDatasetsChild.ts', import.meta.url));
/** A case that prints nothing for this long hung the child (a case's own operations time out after 10 s). */
const STALL_MS = 60_000;

interface Failure { case: number; what: string; problem: string }
interface RunResult { reports: Extract<CaseReport, { outcome: Outcome }>[]; failures: Failure[]; workerErrorsKeepClass?: boolean }

/** Runs cases [first, end) in children, starting a new child after each one that dies or stalls. */
async function runCases(config: Omit<FuzzConfig, 'first' | 'count'>, first: number, end: number, configPath: string): Promise<RunResult> {
  const result: RunResult = { reports: [], failures: [] };
  let next = first;
  while (next < end) {
    writeFileSync(configPath, JSON.stringify({ ...config, first: next, count: end - next }));
    // No coverage from the child (NODE_V8_COVERAGE off, as for every tsx child): `node --import=tsx
    // script.ts` compiles the sources as ES modules, while mocha and the pool workers require() them
    // as CommonJS, and c8 adds up V8 byte ranges per file URL, so the two shapes of one file corrupt
    // its coverage.
    const child = spawn(process.execPath, ['--max-old-space-size=512', '--import=tsx', CHILD, configPath],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_V8_COVERAGE: '', RXVDS_WORKERS: '1' } });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => { stderr = (stderr + data.toString()).slice(-20_000); });
    let current: { case: number; what: string } | undefined;
    let stalled = false;
    let watchdog = setTimeout(() => { stalled = true; child.kill('SIGKILL'); }, STALL_MS);
    for await (const line of createInterface({ input: child.stdout })) {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => { stalled = true; child.kill('SIGKILL'); }, STALL_MS);
      const report = JSON.parse(line) as CaseReport;
      if ('probe' in report) result.workerErrorsKeepClass = report.workerErrorsKeepClass;
      else if ('start' in report) {
        current = report;
        stderr = '';
      }
      else {
        result.reports.push(report);
        if (report.outcome === 'bad-error' || report.outcome === 'timeout') {
          result.failures.push({ case: report.case, what: report.what, problem: `${report.outcome} ${report.class}: ${report.message}` });
        }
        current = undefined;
        next = report.case + 1;
      }
    }
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve([child.exitCode, child.signalCode]);
      else child.once('exit', (c, s) => resolve([c, s]));
    });
    clearTimeout(watchdog);
    if (code === 0 && next >= end) break;
    if (current) {
      result.failures.push({ case: current.case, what: current.what,
        problem: stalled ? `no progress for ${STALL_MS / 1000} s (hang)` : `child died (exit ${code}, signal ${signal}): ${deathCause(stderr)}` });
      next = current.case + 1;
    } else if (code !== 0) {
      // Died outside a case (loading the corpus): nothing to resume.
      throw new Error(`fuzz child failed before case ${next} (exit ${code}, signal ${signal}): ${stderr}`);
    }
  }
  return result;
}

/** V8's fatal line (e.g. heap out of memory) if there is one, else the start of what the child wrote. */
function deathCause(stderr: string): string {
  return /^.*FATAL ERROR.*$/m.exec(stderr)?.[0] ?? stderr.trim().slice(0, 500);
}

describe('hostile datasets (fuzz)', function () {
  this.timeout(300_000);
  const total = Number(process.env.RXVDS_FUZZ_CASES ?? 2000);
  const seed = Number(process.env.RXVDS_FUZZ_SEED ?? 12);
  const first = Number(process.env.RXVDS_FUZZ_FIRST ?? 0);
  const inFolder = useTempFolder('fuzz');
  const datasets: FuzzDataset[] = [];

  before(async () => {
    const F = vds.VolumeDataFormat;
    const value = (x: number, y: number, z: number) => (x * 7 + y * 3 + z) % 200;
    await writeTestVolume({ url: inFolder('none'), size: [40, 36, 20], format: F.Format_R32, method: vds.CompressionMethod.None,
      lodLevels: vds.LODLevels.LODLevels_1, value });
    await writeTestVolume({ url: inFolder('rle'), size: [34, 33, 20], format: F.Format_U16, valueRange: [0, 1000], margin: 2,
      method: vds.CompressionMethod.RLE, value });
    await writeTestVolume({ url: inFolder('zip'), size: [40, 20, 36], format: F.Format_U8, valueRange: [0, 254], noValue: 255,
      method: vds.CompressionMethod.Zip, lodLevels: vds.LODLevels.LODLevels_1, value: (x, y, z) => (x > 30 ? 255 : value(x, y, z)) });
    datasets.push(
      { name: 'folder-none', kind: 'folder', path: inFolder('none') },
      { name: 'folder-rle', kind: 'folder', path: inFolder('rle') },
      { name: 'folder-zip', kind: 'folder', path: inFolder('zip') },
      { name: 'openvds-json', kind: 'json', layoutPath: openvdsVector('VolumeDataLayout.json'), statusPath: openvdsVector('LayerStatus.json') },
      { name: 'subset.vds', kind: 'vds', path: openvdsVector('subset.vds') },
    );
  });

  it(`opens, walks and reads ${total} mutated datasets: success or a clean rxvds error, never a crash or a hang`, async () => {
    const started = Date.now();
    const { reports, failures, workerErrorsKeepClass } = await runCases({ seed, datasets, scratch: inFolder() }, first, first + total, inFolder('config.json'));
    const seconds = (Date.now() - started) / 1000;
    const outcomes = new Map<string, number>();
    for (const r of reports) {
      const key = r.outcome === 'error' || r.outcome === 'plain-error' ? `${r.outcome}:${r.class}` : r.outcome;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    const slowest = reports.reduce((a, b) => (b.ms > a.ms ? b : a), reports[0]!);
    console.log(`      ${reports.length} cases (seed ${seed}) in ${seconds.toFixed(1)} s: ${[...outcomes].sort().map(([k, n]) => `${k} ${n}`).join(', ')}; ` +
      `slowest case ${slowest?.case} ${slowest?.ms.toFixed(0)} ms; ${reports.reduce((n, r) => n + (r.skipped ?? 0), 0)} reads skipped as too large` +
      (workerErrorsKeepClass ? '' : '; the worker pool strips error classes (issue 12.7): bare Errors from reads counted as plain-error'));
    expect(failures.map((f) => `case ${f.case} (RXVDS_FUZZ_SEED=${seed} RXVDS_FUZZ_FIRST=${f.case} RXVDS_FUZZ_CASES=1) ${f.what}: ${f.problem}`).slice(0, 20))
      .to.deep.equal([]);
    expect(reports.length).to.equal(total);
    if (total >= 500) {
      expect(outcomes.get('ok') ?? 0, 'cases that still open and read').to.be.above(total / 20);
      expect(reports.filter((r) => r.outcome !== 'ok').length, 'cases refused').to.be.above(total / 5);
    }
  });
});
