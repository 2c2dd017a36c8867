// Ctrl-C (SIGINT) and SIGTERM in the middle of long CLI work: the compiled CLI stops, removes its
// temporary output and writer lock, says what state the output is in, and exits with 130 or 143.
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FolderStore } from '../sources/stores/folderStore.js';
import { buildCli, rxvds, startCli } from './support/cli.js';
import { FaultProxy, startStaticServer, type RunningServer } from './support/servers.js';
import { useTempFolder } from './support/tempFolder.js';
import { segyFile } from './support/testdata.js';
import { tiledF3 } from './support/tiledF3.js';

const F3 = segyFile('f3.sgy');


async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const entries = (folder: string) => (existsSync(folder) ? readdirSync(folder, { recursive: true }).map(String).sort() : []);

describe('rxvds CLI: Ctrl-C and SIGTERM during long work', function () {
  this.timeout(120_000);
  const inFolder = useTempFolder('cli-signals');
  let cwd = '';

  before(async () => {
    await buildCli();
    cwd = inFolder('work');
    await mkdir(cwd);
  });

  it('import-segy to a .vds: SIGINT leaves no file, temporary file or lock, and says so (exit 130)', async () => {
    const folder = join(cwd, 'import');
    await mkdir(folder);
    await writeFile(join(folder, 'big.sgy'), tiledF3(100));
    const child = startCli(['import-segy', 'big.sgy', 'big.vds'], folder);
    await until(() => entries(folder).some((f) => f.startsWith('.big.rxvds-partial-')), 'the temporary .vds');
    child.kill('SIGINT');
    const result = await child.result;
    expect(result.code, result.stderr).to.equal(130);
    expect(result.stderr).to.equal('rxvds: interrupted by SIGINT\nrxvds: big.vds was not created\n');
    expect(entries(folder)).to.deep.equal(['big.sgy']);
  });

  it('demo: SIGTERM removes the half-written survey and names every output (exit 143)', async () => {
    const child = startCli(['demo', '--out', 'demo', '--size', '256'], cwd);
    const demo = join(cwd, 'demo');
    await until(() => entries(demo).some((f) => /^\.survey\.rxvds-partial-\d+\/Dimensions_012LOD0\//.test(f)), 'the first chunk');
    child.kill('SIGTERM');
    const result = await child.result;
    expect(result.code, result.stderr).to.equal(143);
    expect(result.stderr.split('\n')).to.deep.equal(['rxvds: interrupted by SIGTERM',
      ...['inline.png', 'crossline.png', 'timeslice.png', 'survey'].map((name) => `rxvds: ${join(demo, name)} was not created`), '']);
    expect(entries(demo)).to.deep.equal([]);
  });

  describe('from a slow HTTP source', () => {
    let server: RunningServer;
    let proxy: FaultProxy;
    before(async () => {
      expect((await rxvds(['import-segy', F3, 'f3'], cwd)).code).to.equal(0);
      server = await startStaticServer(new FolderStore(join(cwd, 'f3')));
      proxy = await FaultProxy.start(server.url);
    });
    after(async () => {
      await proxy.stop();
      await server.stop();
    });
    afterEach(() => proxy.clear());

    it('copy: SIGINT leaves a partial copy that the same command then completes', async () => {
      proxy.inject({ method: 'GET', path: /^\/Dimensions_\w+\/\d+$/, fault: { delayMs: 1500 } });
      const args = ['copy', proxy.url, 'f3-copy', '--concurrency', '1'];
      const child = startCli(args, cwd);
      const copy = join(cwd, 'f3-copy');
      await until(() => entries(copy).some((f) => /^Dimensions_\w+\/\d+$/.test(f)), 'the first copied chunk');
      child.kill('SIGINT');
      const result = await child.result;
      expect(result.code, result.stderr).to.equal(130);
      expect(result.stderr).to.equal(`rxvds: interrupted by SIGINT\nrxvds: copy interrupted: f3-copy is partial but resumable: run the same command again\n`);
      expect(entries(copy)).not.to.include('VolumeDataLayout');
      expect(entries(copy).filter((f) => f.includes('rxvds-tmp'))).to.deep.equal([]);

      proxy.clear();
      const resumed = await rxvds(args, cwd);
      expect(resumed.code, resumed.stderr).to.equal(0);
      const [, skipped] = /\((\d+) already there\)/.exec(resumed.stdout)!;
      expect(Number(skipped)).to.be.greaterThan(0);
      expect((await rxvds(['export-segy', 'f3-copy', 'copy.sgy'], cwd)).code).to.equal(0);
      expect(Buffer.compare(readFileSync(join(cwd, 'copy.sgy')), readFileSync(F3))).to.equal(0);
    });

    it('export-segy: SIGTERM leaves no truncated .sgy (exit 143)', async () => {
      proxy.inject({ method: 'GET', path: /^\/Dimensions_\w+\/\d+$/, fault: { delayMs: 10_000 } });
      const child = startCli(['export-segy', proxy.url, 'slow.sgy'], cwd);
      // exportSegy writes its own partial file beside the command's temporary name, which it renames into place when whole.
      await until(() => entries(cwd).some((f) => f.includes('.slow.sgy.rxvds-partial-')), 'the partial .sgy');
      const start = Date.now();
      child.kill('SIGTERM');
      const result = await child.result;
      expect(result.code, result.stderr).to.equal(143);
      expect(result.stderr).to.equal('rxvds: interrupted by SIGTERM\nrxvds: slow.sgy was not created\n');
      // The stalled request was cancelled, not waited for.
      expect(Date.now() - start).to.be.lessThan(8000);
      expect(entries(cwd).filter((f) => f.includes('slow.sgy'))).to.deep.equal([]);
    });
  });
});
