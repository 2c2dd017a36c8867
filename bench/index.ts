// `npm run bench`: runs every suite but the long ones (or those named on the command line), prints a
// table and one JSON line. Each figure stands next to a baseline measured in the same run. Options after the
// suite names (`npm run bench -- serve --soak 300`) go to the suites that take them.
import { destroyChunkPool } from '../src/index.js';
import type { BenchRow, BenchSuite } from './bench.js';

const suites: Record<string, () => Promise<{ default: BenchSuite }>> = {
  read: () => import('./read.js'),
  write: () => import('./write.js'),
  wavelet: () => import('./wavelet.js'),
  'wavelet-encode': () => import('./waveletEncode.js'),
  copy: () => import('./copy.js'),
  segy: () => import('./segy.js'),
  s3: () => import('./s3.js'),
  serve: () => import('./serve.js'),
  distributed: () => import('./distributed.js'),
  browser: () => import('./browser.js'),
  'browser-zip': () => import('./browserZip.js'),

};
/** Suites that write a ≥ 1 GiB input first and run for minutes: only when named. */
const LONG = new Set(['serve', 'distributed']);

const args = process.argv.slice(2);
const firstOption = args.findIndex((arg) => arg.startsWith('--'));
const names = firstOption < 0 ? args : args.slice(0, firstOption);
const options = firstOption < 0 ? [] : args.slice(firstOption);
const selected = names.length ? names : Object.keys(suites).filter((name) => !LONG.has(name));
const rows: (BenchRow & { suite: string })[] = [];
for (const name of selected) {
  const load = suites[name];
  if (!load) throw new Error(`unknown bench suite "${name}" (have: ${Object.keys(suites).join(', ')})`);
  const suite = (await load()).default;
  for (const row of await suite(options)) rows.push({ suite: name, ...row });
}
await destroyChunkPool();

const table = rows.map((r) => [
  r.suite, r.name, `${r.value.toFixed(1)} ${r.unit}`,
  r.baseline ? `${r.baseline.value.toFixed(1)} ${r.unit} (${r.baseline.name})` : '',
  r.baseline ? (r.value / r.baseline.value).toFixed(2) : '', r.notes ?? '',
]);
const header = ['suite', 'measure', 'value', 'baseline', 'ratio', 'notes'];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));
console.log(JSON.stringify({ bench: 'rxvds', date: new Date().toISOString(), rows }));
