// The browser build: src/browser.ts and the pool's worker bundle with esbuild for the browser
// without any Node built-in module or Node global, within the size budget, and package.json sends
// browsers (and bundlers targeting them) there.
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as browserEntry from '../src/browser.js';
import * as indexEntry from '../src/index.js';
import * as storesEntry from '../src/stores.js';
import { bundleBrowser } from './support/browserBundle.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const KB = 1024;
/** The read path without cloud SDKs, min+gzip: issue 17's budget. */
const BUDGET_BYTES = 150 * KB;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder)).flatMap((name) => {
    const path = `${folder}/${name}`;
    return statSync(join(root, path)).isDirectory() ? sourceFiles(path) : [path];
  });
}

describe('the browser bundle', () => {
  it('bundles the entry and the pool worker with no Node built-in, Buffer or process, and no SDK or Piscina', async () => {
    for (const entry of ['src/browser.ts', 'src/workers/webChunkWorker.ts']) {
      const { code } = await bundleBrowser({ entry });
      expect(code, entry).not.to.match(/@aws-sdk|@azure\/storage-blob|piscina|node:/);
    }
    const { code } = await bundleBrowser();
    // The browser forms, not the Node ones: fflate's inflate, Web Workers, the fetch-based schemes.
    expect(code).to.include('new Worker(new URL("./webChunkWorker.js", import.meta.url), { type: "module" })');
    expect(code).to.include('cannot be read in a browser');
    expect(code).not.to.include('FolderStore');
  });

  it('refuses a module that needs Node, naming each built-in and global it uses', async () => {
    const error = await bundleBrowser({ entry: 'spec/support/nodeOnlyModule.ts' }).catch((e: unknown) => e);
    expect((error as Error).message).to.equal('The browser bundle of spec/support/nodeOnlyModule.ts needs Node:\n' +
      'spec/support/nodeOnlyModule.ts imports node:fs\nspec/support/nodeOnlyModule.ts imports path\n' +
      'spec/support/nodeOnlyModule.ts uses Buffer\nspec/support/nodeOnlyModule.ts uses process');
  });

  it(`keeps the read path (entry + worker, minified and gzipped) under ${BUDGET_BYTES / KB} KB`, async () => {
    const main = await bundleBrowser({ minify: true });
    const worker = await bundleBrowser({ minify: true, entry: 'src/workers/webChunkWorker.ts' });
    const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;
    console.log(`      browser bundle: ${kb(main.bytes)} min, ${kb(main.gzipBytes)} min+gzip; ` +
      `worker ${kb(worker.bytes)} min, ${kb(worker.gzipBytes)} min+gzip`);
    expect(main.gzipBytes).to.be.above(20 * KB).and.below(main.bytes);
    expect(main.gzipBytes + worker.gzipBytes).to.be.below(BUDGET_BYTES);
  });

  it('package.json sends the browser condition to dist/src/browser.js, exports the worker as rxvds/worker, and maps every browser form', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, Record<string, unknown>>; browser: Record<string, string>;
    };
    expect(pkg.exports['.']).to.deep.equal({
      browser: { types: './dist/src/browser.d.ts', default: './dist/src/browser.js' },
      node: { types: './dist/src/index.d.ts', default: './dist/src/index.js' },
      types: './dist/src/index.d.ts',
      default: './dist/src/index.js',
    });
    // The pool's worker, for bundlers that do not follow `new Worker(new URL(…))` (esbuild): browsers only.
    expect(pkg.exports['./worker']).to.deep.equal({ browser: './dist/src/workers/webChunkWorker.js' });
    const browserForms = ['src', 'sources'].flatMap(sourceFiles).filter((path) => path.endsWith('.browser.ts'));
    expect(browserForms.length).to.equal(6);
    const expected: Record<string, string> = {};
    for (const form of browserForms) {
      const nodeForm = form.replace(/\.browser\.ts$/, '.ts');
      expect(statSync(join(root, nodeForm)).isFile(), nodeForm).to.equal(true);
      expected[`./${nodeForm.replace(/\.ts$/, '.js')}`] = `./${form.replace(/\.ts$/, '.js')}`;
      expected[`./dist/${nodeForm.replace(/\.ts$/, '.js')}`] = `./dist/${form.replace(/\.ts$/, '.js')}`;
    }
    expect(pkg.browser).to.deep.equal(expected);
  });

  it('exports from the browser entry what the Node entries export under the same names, plus the worker URL and memory helpers', () => {
    // Static imports: a dynamic one would compile the sources a second way in this process (checkCoverageData.mjs).
    const [browser, index, stores] = [browserEntry, indexEntry, storesEntry] as Record<string, unknown>[];
    const browserOnly = Object.keys(browser).filter((name) => !(name in index) && !(name in stores));
    expect(browserOnly.sort()).to.deep.equal(['canShareMemory', 'setChunkWorkerUrl']);
    for (const name of Object.keys(browser).filter((n) => !browserOnly.includes(n))) {
      expect(browser[name], name).to.equal(name in index ? index[name] : stores[name]);
    }
    // What the page cannot use is left out.
    for (const name of ['FolderStore', 'segy', 'create', 'copyDataset', 'S3Store', 'AzureStore', 'VDSFileOpenOptions']) {
      expect(browser, name).not.to.have.property(name);
    }
  });
});
