// The compiled `rxvds` run as a user runs it: `node <repo>/bin/rxvds.js …` from a folder outside
// the repository, no TypeScript loader. Commands, usage errors, refusing to overwrite, temporary
// outputs, and what a secret-laden URL or connection string can make it print.
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FolderStore } from '../sources/stores/folderStore.js';
import { buildCli, REPO, rxvds } from './support/cli.js';
import { startStaticServer, type RunningServer } from './support/servers.js';
import { useTempFolder } from './support/tempFolder.js';
import { segyFile } from './support/testdata.js';

const F3 = segyFile('f3.sgy');
const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

/** Files in a folder named like rxvds's temporary outputs or writer locks. */
function leftovers(folder: string): string[] {
  return readdirSync(folder, { recursive: true }).map(String).filter((f) => /rxvds-partial|rxvds-tmp|\.lock$/.test(f));
}

describe('rxvds CLI, compiled, run from another folder', function () {
  this.timeout(120_000);
  const inFolder = useTempFolder('cli');
  let cwd = '';

  before(async () => {
    await buildCli();
    cwd = inFolder('work');
    await mkdir(cwd);
  });

  it('--help, --version and usage errors', async () => {
    const help = await rxvds(['--help'], cwd);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/^rxvds: OpenVDS volume data stores/);
    for (const command of ['demo', 'info', 'slice', 'copy', 'import-segy', 'export-segy']) expect(help.stdout).to.contain(`\n  ${command} `);
    expect((await rxvds(['--version'], cwd)).stdout).to.equal(`${version}\n`);

    const bare = await rxvds([], cwd);
    expect(bare.code).to.equal(2);
    expect(bare.stdout).to.contain('Usage: rxvds <command>');
    const unknown = await rxvds(['frobnicate'], cwd);
    expect([unknown.code, unknown.stderr]).to.deep.equal([2, 'rxvds: unknown command "frobnicate"; run rxvds --help\n']);
    const copy = await rxvds(['copy', 'only-one'], cwd);
    expect(copy.code).to.equal(2);
    expect(copy.stderr).to.contain('expected SRC and DST').and.contain('Usage: rxvds copy SRC DST');
    const option = await rxvds(['slice', 'x', '--frobnicate'], cwd);
    expect(option.code).to.equal(2);
    expect(option.stderr).to.contain("Unknown option '--frobnicate'").and.contain('Usage: rxvds slice URL');
    const commandHelp = await rxvds(['export-segy', '--help'], cwd);
    expect(commandHelp.code).to.equal(0);
    expect(commandHelp.stdout).to.contain('Usage: rxvds export-segy SRC FILE.sgy [--overwrite]');
  });

  it('import-segy, info, slice, copy and export-segy round-trip F3 byte for byte', async () => {
    const imported = await rxvds(['import-segy', F3, 'f3'], cwd);
    expect(imported.code, imported.stderr).to.equal(0);
    expect(imported.stdout).to.contain('Poststack, Sample 75 × Crossline 18 × Inline 23, 414 traces');

    const info = JSON.parse((await rxvds(['info', 'f3', '--json'], cwd)).stdout) as { axes: { name: string; numSamples: number; coordinateMin: number; coordinateMax: number }[] };
    expect(info.axes.map((a) => [a.name, a.numSamples, a.coordinateMin, a.coordinateMax])).to.deep.equal([
      ['Sample', 75, 4, 300], ['Crossline', 18, 875, 892], ['Inline', 23, 111, 133]]);

    // Inline 111 is the first 18 traces of the file: 2-byte big-endian integers (format 3), 75 per trace.
    const slice = await rxvds(['slice', 'f3', '--dim', '2', '--index', '0', '--out', 'inline111.f32'], cwd);
    expect(slice.code, slice.stderr).to.equal(0);
    const samples = new Float32Array(new Uint8Array(await readFile(join(cwd, 'inline111.f32'))).buffer);
    const segy = readFileSync(F3);
    const expected = Float32Array.from({ length: 18 * 75 }, (_, i) => segy.readInt16BE(3600 + Math.floor(i / 75) * 390 + 240 + (i % 75) * 2));
    expect(samples).to.deep.equal(expected);

    const copy = await rxvds(['copy', 'f3', 'f3-copy'], cwd);
    expect(copy.code, copy.stderr).to.equal(0);
    expect(copy.stdout).to.match(/^copied f3 → f3-copy: \d+ chunks \(0 already there\)/);

    const exported = await rxvds(['export-segy', 'f3-copy', 'back.sgy'], cwd);
    expect(exported.code, exported.stderr).to.equal(0);
    expect(exported.stdout).to.equal('exported f3-copy → back.sgy: 414 traces, 165060 bytes\n');
    expect(Buffer.compare(readFileSync(join(cwd, 'back.sgy')), segy)).to.equal(0);

    const vdsFile = await rxvds(['import-segy', F3, 'f3.vds'], cwd);
    expect(vdsFile.code, vdsFile.stderr).to.equal(0);
    expect((await rxvds(['export-segy', 'f3.vds', 'from-vds.sgy'], cwd)).code).to.equal(0);
    expect(Buffer.compare(readFileSync(join(cwd, 'from-vds.sgy')), segy)).to.equal(0);
    expect(leftovers(cwd)).to.deep.equal([]);
  });

  it('copy creates a .vds, checks a finished copy, and replaces a different dataset only with --overwrite', async () => {
    const segy = readFileSync(F3);
    const toVds = await rxvds(['copy', 'f3', 'f3-copied.vds'], cwd);
    expect(toVds.code, toVds.stderr).to.equal(0);
    const [, objects] = /: (\d+) chunks \(0 already there\)/.exec(toVds.stdout)!;
    expect((await rxvds(['export-segy', 'f3-copied.vds', 'from-copy.sgy'], cwd)).code).to.equal(0);
    expect(Buffer.compare(readFileSync(join(cwd, 'from-copy.sgy')), segy)).to.equal(0);
    // Again: every chunk is there already (only the metadata is written again).
    const again = await rxvds(['copy', 'f3', 'f3-copied.vds'], cwd);
    expect(again.stdout).to.contain(`: ${objects} chunks (${objects} already there)`);

    for (const other of ['other', 'other.vds']) {
      expect((await rxvds(['import-segy', segyFile('small.sgy'), other], cwd)).code).to.equal(0);
      const refused = await rxvds(['copy', 'f3', other], cwd);
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.match(new RegExp(`^rxvds: ${other.replace('.', '\\.')} holds a different dataset \\(layout hash \\d+, ` +
        "the source's is \\d+\\): pass --overwrite to replace it\n$"));
      const replaced = await rxvds(['copy', 'f3', other, '--overwrite'], cwd);
      expect(replaced.code, replaced.stderr).to.equal(0);
      expect((await rxvds(['export-segy', other, `${other}.sgy`], cwd)).code).to.equal(0);
      expect(Buffer.compare(readFileSync(join(cwd, `${other}.sgy`)), segy), other).to.equal(0);
    }
    expect(leftovers(cwd)).to.deep.equal([]);
  });

  it('demo writes a survey and three PNGs into --out', async () => {
    const demo = await rxvds(['demo', '--out', 'demo', '--size', '32'], cwd);
    expect(demo.code, demo.stderr).to.equal(0);
    expect(demo.stdout).to.match(/^wrote .*demo\/survey: 32×32×32 R32 Zip/);
    for (const name of ['inline', 'crossline', 'timeslice']) {
      const png = readFileSync(join(cwd, 'demo', `${name}.png`));
      expect(png.subarray(1, 4).toString()).to.equal('PNG');
      // Annotated pictures (axes, colour bar) 800 pixels wide, not one pixel per sample.
      expect(png.readUInt32BE(16)).to.equal(800);
      expect(png.readUInt32BE(20)).to.be.within(400, 900);
    }
    expect(leftovers(join(cwd, 'demo'))).to.deep.equal([]);
  });

  describe('existing outputs are refused unless --overwrite', () => {
    it('slice, export-segy and import-segy name the path and the flag, and leave it as it was', async () => {
      await mkdir(join(cwd, 'keep'));
      await writeFile(join(cwd, 'keep', 'out.sgy'), 'mine');
      await writeFile(join(cwd, 'keep', 'out.f32'), 'mine');
      const exported = await rxvds(['export-segy', 'f3', 'keep/out.sgy'], cwd);
      expect([exported.code, exported.stderr]).to.deep.equal([1, 'rxvds: keep/out.sgy exists: pass --overwrite to replace it\n']);
      const slice = await rxvds(['slice', 'f3', '--dim', '0', '--index', '3', '--out', 'keep/out.f32'], cwd);
      expect([slice.code, slice.stderr]).to.deep.equal([1, 'rxvds: keep/out.f32 exists: pass --overwrite to replace it\n']);
      expect(readFileSync(join(cwd, 'keep', 'out.sgy'), 'utf8')).to.equal('mine');
      expect(readFileSync(join(cwd, 'keep', 'out.f32'), 'utf8')).to.equal('mine');

      const layout = readFileSync(join(cwd, 'f3', 'VolumeDataLayout'));
      const imported = await rxvds(['import-segy', segyFile('small.sgy'), 'f3'], cwd);
      expect([imported.code, imported.stderr]).to.deep.equal([1, 'rxvds: f3 exists: pass --overwrite to replace it\n']);
      expect(readFileSync(join(cwd, 'f3', 'VolumeDataLayout'))).to.deep.equal(layout);

      expect((await rxvds(['export-segy', 'f3', 'keep/out.sgy', '--overwrite'], cwd)).code).to.equal(0);
      expect(readFileSync(join(cwd, 'keep', 'out.sgy')).length).to.equal(165060);
      expect((await rxvds(['slice', 'f3', '--dim', '0', '--index', '3', '--out', 'keep/out.f32', '--overwrite'], cwd)).code).to.equal(0);
      expect(readFileSync(join(cwd, 'keep', 'out.f32')).length).to.equal(18 * 23 * 4);
      expect(leftovers(cwd)).to.deep.equal([]);
    });

    it('import-segy --overwrite replaces a dataset but never deletes a folder that is not one', async () => {
      const replaced = await rxvds(['import-segy', F3, 'f3-copy', '--overwrite'], cwd);
      expect(replaced.code, replaced.stderr).to.equal(0);
      expect(readdirSync(cwd).filter((f) => f.includes('f3-copy'))).to.deep.equal(['f3-copy']);

      await mkdir(join(cwd, 'photos'));
      await writeFile(join(cwd, 'photos', 'cat.jpg'), 'meow');
      const refused = await rxvds(['import-segy', F3, 'photos', '--overwrite'], cwd);
      expect([refused.code, refused.stderr]).to.deep.equal([1, 'rxvds: photos exists and is not a dataset: choose another destination\n']);
      expect(readdirSync(join(cwd, 'photos'))).to.deep.equal(['cat.jpg']);
    });

    it('demo --out refuses an existing survey or picture and deletes nothing', async () => {
      const picture = readFileSync(join(cwd, 'demo', 'inline.png'));
      const again = await rxvds(['demo', '--out', 'demo', '--size', '16'], cwd);
      expect(again.code).to.equal(1);
      expect(again.stderr).to.match(/^rxvds: .*demo\/inline\.png exists: pass --overwrite to replace it\n$/);
      expect(readFileSync(join(cwd, 'demo', 'inline.png'))).to.deep.equal(picture);

      await mkdir(join(cwd, 'mine', 'survey'), { recursive: true });
      await writeFile(join(cwd, 'mine', 'survey', 'notes.txt'), 'precious');
      const mine = await rxvds(['demo', '--out', 'mine', '--size', '16', '--overwrite'], cwd);
      expect(mine.code).to.equal(1);
      expect(mine.stderr).to.match(/mine\/survey exists and is not a dataset: choose another destination\n$/);
      expect(readFileSync(join(cwd, 'mine', 'survey', 'notes.txt'), 'utf8')).to.equal('precious');

      const replaced = await rxvds(['demo', '--out', 'demo', '--size', '16', '--overwrite'], cwd);
      expect(replaced.code, replaced.stderr).to.equal(0);
      expect(Buffer.compare(readFileSync(join(cwd, 'demo', 'inline.png')), picture)).not.to.equal(0);
    });

    it('a failed import prints one line, exits 1 and leaves neither the output nor a temporary one', async () => {
      const broken = await rxvds(['import-segy', segyFile('broken.sgy'), 'broken.vds'], cwd);
      expect(broken.code).to.equal(1);
      expect(broken.stderr).to.equal('rxvds: broken.sgy: truncated or inconsistent: 836 bytes of traces after byte 10000 are 3 traces of 256 bytes ' +
        '(240-byte header + 4 samples × 4 bytes) and 68 bytes over\n');
      expect(existsSync(join(cwd, 'broken.vds'))).to.equal(false);
      expect(leftovers(cwd)).to.deep.equal([]);
      // A format rxvds cannot read names the file, the bytes and both byte orders it tried.
      const unsupported = await rxvds(['import-segy', segyFile('multiformats/Format4msb.sgy'), 'fixed.vds'], cwd);
      expect([unsupported.code, unsupported.stderr]).to.deep.equal([1, 'rxvds: Format4msb.sgy: SEG-Y binary header: data sample format code ' +
        '(bytes 3225-3226) is 4 big-endian / 1024 little-endian, not a supported format in either byte order; this is not a SEG-Y file or ' +
        'its binary header is damaged\n']);
      expect(existsSync(join(cwd, 'fixed.vds'))).to.equal(false);
    });
  });

  describe('secrets on the command line never reach the output', () => {
    const SECRETS = ['PASSw0rd-9f3', 'SIGsecret-77a', 'AMZsig-4c1d', 'AMZcred-8e2', 'AMZtoken-51b', 'wJalrSecret-3d', 'AccountKeySecret-0c', 'SasSecret-6b'];
    const QUERY = 'sv=2024-01-01&sig=SIGsecret-77a&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AMZcred-8e2&X-Amz-Signature=AMZsig-4c1d' +
      '&X-Amz-Security-Token=AMZtoken-51b';
    let server: RunningServer;
    before(async () => {
      expect((await rxvds(['import-segy', F3, 'served'], cwd)).code).to.equal(0);
      // Only requests with exactly this query get data; any other gets 403 at once (no retries, no waiting).
      server = await startStaticServer(new FolderStore(join(cwd, 'served')), { requiredQuery: QUERY, basePath: '/ds' });
    });
    after(async () => { await server.stop(); });

    it('in URLs that work: every command succeeds and prints the URL without them', async () => {
      const url = `http://reader:PASSw0rd-9f3@${server.url.replace('http://', '')}/ds?${QUERY}`;
      const redacted = `http://***@${server.url.replace('http://', '')}/ds?sv=2024-01-01&sig=***&X-Amz-Algorithm=AWS4-HMAC-SHA256` +
        '&X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***';
      const runs = [['info', url], ['info', url, '--json'], ['slice', url, '--dim', '1', '--index', '2', '--out', 'served.png'],
        ['copy', url, 'served-copy'], ['export-segy', url, 'served.sgy']];
      const results = await Promise.all(runs.map((args) => rxvds(args, cwd)));
      results.forEach((result, i) => {
        expect(result.code, `${runs[i]!.join(' ')}: ${result.stderr}`).to.equal(0);
        expect(result.stdout, runs[i]!.join(' ')).to.contain(redacted);
        for (const secret of SECRETS) expect(result.stdout + result.stderr, runs[i]!.join(' ')).not.to.contain(secret);
      });
      expect(Buffer.compare(readFileSync(join(cwd, 'served.sgy')), readFileSync(F3))).to.equal(0);
    });

    it('in URLs and connection strings that fail: every command fails with a message without them', async () => {
      const host = server.url.replace('http://', '');
      // One URL with every kind of credential, through every command that takes a URL; 403 for a missing `x=1`.
      const url = (path: string) => `http://reader:PASSw0rd-9f3@${host}/${path}?${QUERY}&x=1`;
      const runs: string[][] = [
        ['info', `http://reader:PASSw0rd-9f3@${host}/ds`], ['info', `http://${host}/ds?sv=2024-01-01&sig=SIGsecret-77a`],
        ['info', url('ds'), '--json'], ['slice', url('ds'), '--dim', '0', '--index', '0', '--out', 'secret.png'],
        ['copy', url('ds'), 'secret-copy'], ['copy', 'f3', url('dst')], ['export-segy', url('ds'), 'secret.sgy'],
        ['import-segy', F3, url('new')],
        ['info', 's3://bucket/ds', '--connection', 'AccessKeyId=AKIAEXAMPLE;wJalrSecret-3d'],
        ['info', `s3://bucket/ds`, '--connection', `EndpointOverride=${server.url};AccessKeyId=AKIAEXAMPLE;SecretKey=wJalrSecret-3d`],
        ['info', 'az://container/ds', '-c', 'AccountName=acct;AccountKey=AccountKeySecret-0c'],
        ['info', 'az://container/ds', '--connection=AccountName=acct;SasToken=sv=1&sig=SasSecret-6b;Colour=blue'],
        ['import-segy', F3, 's3://bucket/new', '-c', `EndpointOverride=${server.url};AccessKeyId=AKIAEXAMPLE;SecretKey=wJalrSecret-3d`],
        ['info', `ftp://reader:PASSw0rd-9f3@${host}/ds`],
      ];
      const results = await Promise.all(runs.map((args) => rxvds(args, cwd)));
      results.forEach((result, i) => {
        const printed = result.stdout + result.stderr;
        expect(result.code, `${runs[i]!.join(' ')}: ${printed}`).to.equal(1);
        expect(printed, runs[i]!.join(' ')).to.match(/^rxvds: \S/);
        for (const secret of SECRETS) expect(printed, runs[i]!.join(' ')).not.to.contain(secret);
      });
      expect(results[0]!.stderr).to.contain(`Cannot open http://***@${host}/ds: `);
      expect(results[1]!.stderr).to.contain(`Cannot open http://${host}/ds?sv=2024-01-01&sig=***: `);
      expect(results[8]!.stderr).to.equal('rxvds: Missing required = sign in part 2 of the connection string "AccessKeyId=***;***". ' +
        'Every key has to have a = sign next to it.\n');
      expect(leftovers(cwd)).to.deep.equal([]);
    });
  });
});
