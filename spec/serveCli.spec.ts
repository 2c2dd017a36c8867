// `rxvds serve` as a user runs it: the compiled CLI started from another folder answers over HTTP
// and stops cleanly on SIGINT and SIGTERM, keeping the config's credentials to itself.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import * as vds from '../src/index.js';
import { buildCli, rxvds, startCli } from './support/cli.js';
import { startStaticServer, type RunningServer } from './support/servers.js';
import { segyFile } from './support/testdata.js';
import { useTempFolder } from './support/tempFolder.js';

const SECRETS = ['PASSw0rd-9f3', 'SIGsecret-77a', 'tok-3b9e51d7'];

/** Starts `rxvds serve …` in `cwd` and resolves with the child and its base URL once it listens. */
async function serve(args: string[], cwd: string) {
  const child = startCli(['serve', ...args, '--port', '0'], cwd);
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void child.result.then((result) => reject(new Error(`rxvds serve exited: ${result.stderr}`)));
  });
  return { child, url };
}

describe('rxvds serve (CLI)', function () {
  this.timeout(120_000);
  const inFolder = useTempFolder('serve-cli');
  let static$: RunningServer;

  before(async () => {
    await Promise.all([buildCli(), vds.segy.importSegy(segyFile('f3.sgy'), inFolder('f3'), { lodLevels: vds.LODLevels.LODLevels_None })]);
    static$ = await startStaticServer(new vds.FolderStore(inFolder('f3')), { requiredQuery: 'sig=SIGsecret-77a', basePath: '/ds' });
  });
  after(async () => { await static$.stop(); });

  it('serves a folder under its base name and stops on SIGINT (exit 130)', async () => {
    const { child, url } = await serve(['f3'], inFolder());
    expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${url}/datasets`)).json()).to.deep.equal({ datasets: [{ id: 'f3' }] });
    const slice = await fetch(`${url}/datasets/f3/slice?direction=inline&lineno=120`);
    expect(slice.headers.get('x-shape')).to.equal('[18,75]');
    expect((await slice.arrayBuffer()).byteLength).to.equal(18 * 75 * 4);
    child.kill('SIGINT');
    const result = await child.result;
    expect(result.code).to.equal(130);
    expect(result.stdout).to.equal(`rxvds serve: listening on ${url} (datasets: f3)\n`);
    expect(result.stderr).to.equal('rxvds: interrupted by SIGINT\n');
  });

  it('--config names the datasets and --token-file guards them; SIGTERM stops it (exit 143); no credential is printed', async () => {
    writeFileSync(inFolder('token'), 'tok-3b9e51d7\n');
    const host = static$.url.replace('http://', '');
    writeFileSync(inFolder('serve.json'), JSON.stringify({ datasets: { survey: { url: `http://reader:PASSw0rd-9f3@${host}/ds?sig=SIGsecret-77a` } } }));
    const { child, url } = await serve(['--config', 'serve.json', '--token-file', 'token'], inFolder());
    expect((await fetch(`${url}/datasets`)).status).to.equal(401);
    const listed = await fetch(`${url}/datasets`, { headers: { authorization: 'Bearer tok-3b9e51d7' } });
    const text = await listed.text();
    expect(JSON.parse(text)).to.deep.equal({ datasets: [{ id: 'survey' }] });
    const metadata = await (await fetch(`${url}/datasets/survey/metadata`, { headers: { authorization: 'Bearer tok-3b9e51d7' } })).text();
    expect(JSON.parse(metadata)).to.deep.include({ id: 'survey', lods: [0] });
    child.kill('SIGTERM');
    const result = await child.result;
    expect(result.code).to.equal(143);
    expect(result.stderr).to.equal('rxvds: interrupted by SIGTERM\n');
    for (const secret of SECRETS) expect(result.stdout + result.stderr + text + metadata).not.to.contain(secret);
  });

  it('refuses a bad command line or config with one line, before listening', async () => {
    const none = await rxvds(['serve'], inFolder());
    expect(none.code).to.equal(2);
    expect(none.stderr).to.contain('rxvds: expected a dataset (PATH_OR_URL) or --config FILE');
    writeFileSync(inFolder('bad.json'), JSON.stringify({ datasets: { '../up': { url: 'f3' } } }));
    const badId = await rxvds(['serve', '--config', 'bad.json'], inFolder());
    expect(badId.code).to.equal(1);
    expect(badId.stderr).to.equal('rxvds: bad.json: dataset id "../up" must be 1…128 letters, digits, ".", "_" or "-", not starting with "."\n');
    const missing = await rxvds(['serve', 'nowhere', '--port', '0'], inFolder());
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.match(/^rxvds: Cannot open nowhere: /);
  });
});
