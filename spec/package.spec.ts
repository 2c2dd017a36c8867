// The package as npm ships it: what `npm pack` puts in, and the packed CLI run the way an install
// runs it, with only the runtime dependencies and without the optional cloud SDKs.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildCli, REPO, type CliResult } from './support/cli.js';
import { useTempFolder } from './support/tempFolder.js';
import { segyFile } from './support/testdata.js';

const run = promisify(execFile);
/** Left out of the simulated install: the optional cloud SDKs, and the TypeScript tool chain. */
const NOT_INSTALLED = ['@aws-sdk', '@azure', 'tsx', 'typescript'];

describe('the npm package', function () {
  this.timeout(120_000);
  const inFolder = useTempFolder('package');
  let files: string[] = [];
  let installed = '';

  before(async () => {
    await buildCli();
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', inFolder()], { cwd: REPO });
    const [manifest] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    files = manifest!.files.map((f) => f.path);
    // An install: the tarball unpacked, next to the runtime dependencies but not the cloud SDKs or tsx.
    await run('tar', ['-xzf', manifest!.filename], { cwd: inFolder() });
    installed = inFolder('package');
    await mkdir(join(installed, 'node_modules'));
    for (const name of readdirSync(join(REPO, 'node_modules'))) {
      if (!NOT_INSTALLED.includes(name) && !name.startsWith('.')) await symlink(join(REPO, 'node_modules', name), join(installed, 'node_modules', name));
    }
  });

  it('ships the compiled library, workers and CLI, the licence and changelog, and no specs, benches or sources', () => {
    for (const file of ['bin/rxvds.js', 'dist/bin/rxvds.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/workers/chunkWorker.js',
      'dist/src/workers/decodeJob.js', 'dist/src/workers/encodeJob.js', 'dist/src/workers/decimateJob.js',
      'LICENSE', 'CHANGELOG.md', 'README.md', 'package.json']) expect(files).to.include(file);
    expect(files.filter((f) => /^(spec|bench|examples)\/|^dist\/(spec|bench|examples)\/|\.tsbuildinfo$|(?<!\.d)\.ts$/.test(f))).to.deep.equal([]);
  });

  it('ships a worker bundle that require() refuses, so Piscina imports it (Node 20 can abort when a worker is terminated inside require() of an ES module)', () => {
    expect(files).to.include('dist/src/workers/chunkWorker.bundle.js');
    const bundle = join(installed, 'dist/src/workers/chunkWorker.bundle.js');
    expect(() => createRequire(import.meta.url)(bundle)).to.throw().that.has.property('code').oneOf(['ERR_REQUIRE_ASYNC_MODULE', 'ERR_REQUIRE_ESM']);
  });

  it('runs from the install without TypeScript or the cloud SDKs, and says what to install for s3:// and azure://', async () => {
    const cli = (args: string[]) => run(process.execPath, [join(installed, 'bin', 'rxvds.js'), ...args], {
      cwd: inFolder(), env: { ...process.env, NODE_OPTIONS: '', NODE_V8_COVERAGE: '', RXVDS_WORKERS: '1' },
    }).then((r) => ({ ...r, code: 0 }), (e: CliResult) => e);
    const version = await cli(['--version']);
    expect(version.stdout.trim()).to.match(/^\d+\.\d+\.\d+/);
    // Zip-compressed, so chunks go through the worker pool from the installed dist/.
    const imported = await cli(['import-segy', segyFile('f3.sgy'), 'f3.vds', '--compression', 'Zip']);
    expect(imported.code, imported.stderr).to.equal(0);
    const slice = await cli(['slice', 'f3.vds', '--dim', '2', '--index', '5', '--out', 'inline.png']);
    expect(slice.code, slice.stderr).to.equal(0);
    expect(slice.stdout).to.equal('inline.png: 1350 samples of f3.vds (Inline 116, LOD 0)\n');

    const s3 = await cli(['info', 's3://bucket/survey']);
    expect([s3.code, s3.stderr]).to.deep.equal([1, 'rxvds: s3:// and gs:// datasets need the optional package @aws-sdk/client-s3, ' +
      'which is not installed: run "npm install @aws-sdk/client-s3" next to rxvds\n']);
    const azure = await cli(['info', 'az://container/survey', '-c', 'AccountName=a;AccountKey=a2V5']);
    expect([azure.code, azure.stderr]).to.deep.equal([1, 'rxvds: azure://, az:// and azuresas:// datasets need the optional package ' +
      '@azure/storage-blob, which is not installed: run "npm install @azure/storage-blob" next to rxvds\n']);
  });

  it('exports the store toolkit as rxvds/stores, importable without the cloud SDKs', async () => {
    // A project next to the install, importing rxvds by its name.
    await mkdir(inFolder('node_modules'), { recursive: true });
    await symlink(installed, inFolder('node_modules', 'rxvds'));
    const script = `
      const stores = await import('rxvds/stores');
      const root = await import('rxvds');
      const sdkless = (make) => { try { make(); return 'constructed'; } catch (error) { return error.constructor.name + ': ' + error.message; } };
      const memory = new stores.MemoryStore('package-spec');
      await memory.set('a', new Uint8Array([7]));
      const wrapped = stores.withConcurrencyLimit(stores.withRetry(memory), 2);
      console.log(JSON.stringify({
        exports: Object.keys(stores).sort(),
        s3: sdkless(() => new stores.S3Store({ bucket: 'b' })),
        azure: sdkless(() => stores.AzureStore.fromConnectionString('AccountName=a;AccountKey=a2V5', 'c')),
        read: [...await wrapped.get('a')],
        http: Object.keys(stores.withRetry(new stores.HttpStore('http://127.0.0.1:9/x'))).sort(),
        sameOpenStore: root.openStore === stores.openStore,
      }));
      process.exit(0);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: inFolder(), env: { ...process.env, NODE_OPTIONS: '', NODE_V8_COVERAGE: '' },
    });
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result.exports).to.deep.equal([
      'AzureStore', 'FolderStore', 'GcsStore', 'HttpStore', 'MemoryStore', 'REMOTE_CONCURRENCY', 'REMOTE_RETRY', 'S3Store', 'isDeletable',
      'isListable', 'isTransientStoreError', 'isWritable', 'objectInfo', 'openStore', 'registerStoreScheme', 'withConcurrencyLimit',
      'withRemoteDefaults', 'withRetry', 'withSignal', 'wrapStore',
    ]);
    expect(result.s3).to.equal('InvalidOperationError: s3:// and gs:// datasets need the optional package @aws-sdk/client-s3, ' +
      'which is not installed: run "npm install @aws-sdk/client-s3" next to rxvds');
    expect(result.azure).to.match(/^InvalidOperationError: azure:\/\/, az:\/\/ and azuresas:\/\/ datasets need the optional package @azure\/storage-blob/);
    expect(result.read).to.deep.equal([7]);
    expect(result.http).to.deep.equal(['close', 'description', 'get', 'getRange', 'head']);
    expect(result.sameOpenStore).to.equal(true);
    expect(files).to.include.members(['dist/src/stores.js', 'dist/src/stores.d.ts']);
  });

  it('exports the service as rxvds/serve, with its web viewer compiled into the package', async () => {
    // Runs after the import above wrote f3.vds and linked node_modules/rxvds.
    const script = `
      const { createServer } = await import('rxvds/serve');
      const server = createServer({ datasets: [{ id: 'f3', url: 'f3.vds' }], log: () => {} });
      const { url } = await server.listen({ port: 0 });
      const listing = await (await fetch(url + '/datasets')).json();
      const page = await fetch(url + '/');
      const slice = await fetch(url + '/datasets/f3/slice?direction=i&lineno=5');
      console.log(JSON.stringify({ listing, page: [page.status, (await page.text()).includes('<canvas')],
        shape: slice.headers.get('x-shape'), bytes: (await slice.arrayBuffer()).byteLength }));
      await server.close();
      process.exit(0);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: inFolder(), env: { ...process.env, NODE_OPTIONS: '', NODE_V8_COVERAGE: '', RXVDS_WORKERS: '1' },
    });
    const result = JSON.parse(stdout) as { listing: unknown; page: unknown; shape: string; bytes: number };
    expect(result.listing).to.deep.equal({ datasets: [{ id: 'f3' }] });
    expect(result.page).to.deep.equal([200, true]);
    const [rows, cols] = JSON.parse(result.shape) as [number, number];
    expect(result.bytes).to.equal(rows * cols * 4);
    expect(files).to.include.members(['dist/src/serve/index.js', 'dist/src/serve/index.d.ts', 'dist/src/serve/viewer/client/main.js']);
  });
});
