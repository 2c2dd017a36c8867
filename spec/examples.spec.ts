// Every program in examples/ runs as its header says, on F3 where it reads a survey, and prints
// short lines whose numbers match an independent computation from the SEG-Y file.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as vds from '../src/index.js';
import { buildCli, rxvds } from './support/cli.js';
import { useTempFolder } from './support/tempFolder.js';
import { segyFile } from './support/testdata.js';

const exec = promisify(execFile);
const EXAMPLES = fileURLToPath(new URL('../examples/', import.meta.url));
const node = (args: string[]) => exec(process.execPath, ['--import=tsx', ...args], { env: { ...process.env, NODE_V8_COVERAGE: '' } });
const nodeFailing = (args: string[]) => node(args).then(() => undefined, (error: { code: number; stderr: string }) => error);

/** F3 (format 3: big-endian int16, 75 samples per trace), inline-major: inline 111 + i is traces 18·i … 18·i + 17. */
const F3 = segyFile('f3.sgy');
function f3Inline(inline: number): number[] {
  const segy = readFileSync(F3);
  const values: number[] = [];
  for (let t = (inline - 111) * 18; t < (inline - 110) * 18; t++) for (let s = 0; s < 75; s++) values.push(segy.readInt16BE(3600 + t * 390 + 240 + s * 2));
  return values;
}
/** The examples the tests below run; a new one must join them. */
const TESTED = ['quickstart.ts', 'rms-per-inline.ts', 'inline-picture.ts'] as const;
/** Examples tested by specs of their own: the browser demo page (browser.spec.ts). */
const TESTED_ELSEWHERE = ['browser'];
const rms = (values: number[]) => Math.sqrt(values.reduce((sum, v) => sum + v * v, 0) / values.length);

function shortLines(text: string): string[] {
  const lines = text.trimEnd().split('\n');
  for (const line of lines) expect(line.length, line.slice(0, 80)).to.be.lessThan(200);
  return lines;
}

describe('examples and CLI run as documented', function () {
  this.timeout(120_000);
  const inFolder = useTempFolder('examples');
  let f3 = '';
  const example = (name: (typeof TESTED)[number]) => `examples/${name}`;

  before(async () => {
    await buildCli();
    f3 = inFolder('f3');
    await vds.segy.importSegy(F3, f3);
  });

  it('every program in examples/ has a test here', () => {
    expect(readdirSync(EXAMPLES).sort()).to.deep.equal([...TESTED, ...TESTED_ELSEWHERE].sort());
  });

  it('quickstart writes a survey that rms-per-inline, rxvds info and rxvds copy then read', async () => {
    const survey = inFolder('survey');
    const quick = await node([example('quickstart.ts'), survey]);
    shortLines(quick.stdout);
    expect(quick.stdout).to.match(/Sample 256 × Crossline 200 × Inline 100/);
    expect(quick.stdout).to.match(/LOD 1: 640000 samples/);
    const curve = await node([example('rms-per-inline.ts'), survey]);
    expect(shortLines(curve.stdout).filter((l) => l.startsWith('Inline')).length).to.equal(25);
    const info = JSON.parse((await rxvds(['info', survey, '--json'], inFolder())).stdout);
    expect(info.axes.map((a: { numSamples: number }) => a.numSamples)).to.deep.equal([256, 200, 100]);
    expect(info.layers.find((l: { name: string }) => l.name === 'Dimensions_012LOD1').produceStatus).to.equal('Normal');
    const copy = await rxvds(['copy', survey, inFolder('copy')], inFolder());
    expect(copy.stdout).to.match(/copied .* chunks \(0 already there\)/);
  });

  it('rms-per-inline on F3 prints the RMS of every inline as the SEG-Y gives it, with bars that fit a line', async () => {
    const { stdout } = await node([example('rms-per-inline.ts'), f3]);
    const lines = shortLines(stdout);
    expect(lines[0]).to.equal('RMS Amplitude per Inline, 18 × 75 samples each');
    const rows = lines.slice(1).map((line) => /^Inline +(\d+) +rms +([\d.]+) +(#*)$/.exec(line)!);
    expect(rows.map((r) => Number(r[1]))).to.deep.equal(Array.from({ length: 23 }, (_, i) => 111 + i));
    const expected = rows.map((r) => rms(f3Inline(Number(r[1]))));
    rows.forEach((r, i) => expect(Number(r[2]), r[0]).to.be.closeTo(expected[i]!, expected[i]! * 1e-5));
    const largest = Math.max(...expected);
    rows.forEach((r, i) => expect(r[3]!.length, r[0]).to.equal(Math.round((expected[i]! / largest) * 50)));
  });

  it('inline-picture draws F3 inline 120 from its annotation number and reports its axes and values', async () => {
    const out = inFolder('inline-120.png');
    const { stdout } = await node([example('inline-picture.ts'), f3, '120', out]);
    const values = f3Inline(120);
    expect(shortLines(stdout)).to.deep.equal([
      'Sample        75 samples from 4 step 4 ms',
      'Crossline     18 samples from 875 step 1 unitless',
      'Inline         1 samples from 120 step 1 unitless',
      `values ${Math.min(...values)} … ${Math.max(...values)}, rms ${rms(values).toPrecision(6)}`,
      `wrote ${out}: ${readFileSync(out).length} bytes`,
    ]);
    const png = readFileSync(out);
    expect(png.subarray(1, 4).toString()).to.equal('PNG');
    expect(png.readUInt32BE(16)).to.equal(640);

    const outside = await nodeFailing([example('inline-picture.ts'), f3, '999', inFolder('none.png')]);
    expect(outside?.code).to.equal(1);
    expect(outside?.stderr).to.contain('Inline 999 is outside 111..133 (step 1)');
  });

  it('fails with one line and exit code 1 (2 for usage errors)', async () => {
    const missing = await rxvds(['info', inFolder('nothing')], inFolder());
    expect(missing.code).to.equal(1);
    expect(missing.stderr.trim().split('\n')).to.have.length(1);
    expect(missing.stderr).to.match(/Cannot open .*nothing: it has no VolumeDataLayout/);
    const usage = await rxvds(['copy', 'only-one'], inFolder());
    expect(usage.code).to.equal(2);
  });
});
