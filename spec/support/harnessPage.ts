// The harness page: an empty page that loads harnessEntry.ts, so a spec drives rxvds in the
// browser with `page.evaluate(() => harness...)`.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Harness } from './harnessEntry.js';
import type { ServedFile } from './browserServer.js';

/** What page.evaluate callbacks see of the harness page's globals. */
export type HarnessGlobal = typeof globalThis & { harness: Harness };

/** `/harness.html` and `/harness.js`. */
export async function harnessFiles(): Promise<Record<string, ServedFile>> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('harnessEntry.ts', import.meta.url))], bundle: true, write: false, format: 'esm',
    platform: 'browser', target: 'es2022', logLevel: 'silent',
  });
  return {
    '/harness.html': { body: '<!doctype html><meta charset="utf-8"><title>rxvds harness</title><script type="module" src="harness.js"></script>', type: 'text/html; charset=utf-8' },
    '/harness.js': { body: result.outputFiles[0]!.contents, type: 'text/javascript' },
  };
}
