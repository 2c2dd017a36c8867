// Bundles a page's script for the browser with esbuild, in memory, the way an application would:
// its entry and rxvds's chunk worker (here src/workers/webChunkWorker.ts; in an application the
// package's `rxvds/worker`), which the browser build's pool starts from `webChunkWorker.js` next
// to the bundle (esbuild does not follow `new Worker(new URL(…))` itself). esbuild picks rxvds's
// browser modules by the package.json "browser" field (platform: 'browser'). Used by serve.ts, the
// browser spec and the browser benchmark.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface PageFile {
  readonly body: string | Uint8Array;
  readonly type: string;
}

const CHUNK_WORKER = fileURLToPath(new URL('../../src/workers/webChunkWorker.ts', import.meta.url));

/** `/NAME.js` (the bundle of `entry`) and `/webChunkWorker.js`, to be served from one folder. */
export async function bundlePage(name: string, entry: string, options: { minify?: boolean } = {}): Promise<Record<string, PageFile>> {
  const result = await build({
    entryPoints: { [name]: entry, webChunkWorker: CHUNK_WORKER }, outdir: '/', bundle: true, write: false, format: 'esm',
    platform: 'browser', target: 'es2022', minify: options.minify ?? true, logLevel: 'silent',
  });
  return Object.fromEntries(result.outputFiles.map((file) => [file.path, { body: file.contents, type: 'text/javascript' }]));
}

/** The demo's files by path: `/index.html`, `/app.js` and `/webChunkWorker.js`. */
export async function bundleDemo(options: { minify?: boolean } = {}): Promise<Record<string, PageFile>> {
  return {
    '/index.html': { body: await readFile(new URL('index.html', import.meta.url)), type: 'text/html; charset=utf-8' },
    ...await bundlePage('app', fileURLToPath(new URL('app.ts', import.meta.url)), options),
  };
}
