// `npm run bench`: runs every suite (or those named on the command line), prints a table and one
// JSON line. Each figure stands next to a baseline measured in the same run.
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
  browser: () => import('./browser.js'),
  'browser-zip': () => import('./browserZip.js'),

};

const selected = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(suites);
const rows: (BenchRow & { suite: string })[] = [];
for (const name of selected) {
  const load = suites[name];
  if (!load) throw new Error(`unknown bench suite "${name}" (have: ${Object.keys(suites).join(', ')})`);
  const suite = (await load()).default;
  for (const row of await suite()) rows.push({ suite: name, ...row });
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
