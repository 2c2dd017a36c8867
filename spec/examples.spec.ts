import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { buildCli, rxvds } from './support/cli.js';
import { useTempFolder } from './support/tempFolder.js';

const run = promisify(execFile);
const node = (args: string[]) => run(process.execPath, ['--import=tsx', ...args], { env: { ...process.env, NODE_V8_COVERAGE: '' } });

describe('examples and CLI run as documented', function () {
  this.timeout(120_000);
  const inFolder = useTempFolder('examples');
  before(() => buildCli());

  it('quickstart writes a survey that rms-per-inline, rxvds info and rxvds copy then read', async () => {
    const survey = inFolder('survey');
    const quick = await node(['examples/quickstart.ts', survey]);
    expect(quick.stdout).to.match(/Sample 256 × Crossline 200 × Inline 100/);
    expect(quick.stdout).to.match(/LOD 1: 640000 samples/);
    const rms = await node(['examples/rms-per-inline.ts', survey]);
    expect(rms.stdout.split('\n').filter((l) => l.startsWith('inline')).length).to.be.greaterThan(10);
    const info = JSON.parse((await rxvds(['info', survey, '--json'], inFolder())).stdout);
    expect(info.axes.map((a: { numSamples: number }) => a.numSamples)).to.deep.equal([256, 200, 100]);
    expect(info.layers.find((l: { name: string }) => l.name === 'Dimensions_012LOD1').produceStatus).to.equal('Normal');
    const copy = await rxvds(['copy', survey, inFolder('copy')], inFolder());
    expect(copy.stdout).to.match(/copied .* objects/);
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
