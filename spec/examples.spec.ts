import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { useTempFolder } from './support/tempFolder.js';

const run = promisify(execFile);
const node = (args: string[]) => run(process.execPath, ['--import=tsx', ...args], { env: { ...process.env, NODE_V8_COVERAGE: '' } });

describe('examples and CLI run as documented', function () {
  this.timeout(120_000);
  const inFolder = useTempFolder('examples');

  it('quickstart writes a survey that rms-per-inline, rxvds info and rxvds copy then read', async () => {
    const survey = inFolder('survey');
    const quick = await node(['examples/quickstart.ts', survey]);
    expect(quick.stdout).to.match(/Sample 256 × Crossline 200 × Inline 100/);
    expect(quick.stdout).to.match(/LOD 1: 640000 samples/);
    const rms = await node(['examples/rms-per-inline.ts', survey]);
    expect(rms.stdout.split('\n').filter((l) => l.startsWith('inline')).length).to.be.greaterThan(10);
    const info = JSON.parse((await node(['bin/rxvds.ts', 'info', survey, '--json'])).stdout);
    expect(info.axes.map((a: { numSamples: number }) => a.numSamples)).to.deep.equal([256, 200, 100]);
    expect(info.layers.find((l: { name: string }) => l.name === 'Dimensions_012LOD1').produceStatus).to.equal('Normal');
    const copy = await node(['bin/rxvds.ts', 'copy', survey, inFolder('copy')]);
    expect(copy.stdout).to.match(/copied .* objects/);
  });

  it('fails with one line and exit code 1 (2 for usage errors)', async () => {
    const missing = await node(['bin/rxvds.ts', 'info', inFolder('nothing')]).catch((e: { code: number; stderr: string }) => e);
    expect((missing as { code: number }).code).to.equal(1);
    expect((missing as { stderr: string }).stderr.trim().split('\n')).to.have.length(1);
    expect((missing as { stderr: string }).stderr).to.match(/Cannot open .*nothing: it has no VolumeDataLayout/);
    const usage = await node(['bin/rxvds.ts', 'copy', 'only-one']).catch((e: { code: number }) => e);
    expect((usage as { code: number }).code).to.equal(2);
  });
});
