// Bundles the demo page with esbuild, in memory: the page as it is, its app with rxvds's browser
// build. Used by serve.ts, the browser spec and the browser benchmark.
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';

export interface PageFile {
  readonly body: string | Uint8Array;
  readonly type: string;
}

/** The demo's files by path: `/index.html` and `/app.js`. */
export async function bundleDemo(options: { minify?: boolean } = {}): Promise<Record<string, PageFile>> {
  const here = new URL('.', import.meta.url);
  const result = await build({
    entryPoints: [new URL('app.ts', here).pathname], bundle: true, write: false, format: 'esm', platform: 'browser',
    target: 'es2022', minify: options.minify ?? true, logLevel: 'silent',
  });
  return {
    '/index.html': { body: await readFile(new URL('index.html', here)), type: 'text/html; charset=utf-8' },
    '/app.js': { body: result.outputFiles[0]!.contents, type: 'text/javascript' },
  };
}
