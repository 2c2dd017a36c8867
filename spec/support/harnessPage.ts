// The harness page: an empty page that loads harnessEntry.ts, so a spec drives rxvds in the
// browser with `page.evaluate(() => harness...)`.
import { fileURLToPath } from 'node:url';
import { bundlePage } from '../../examples/browser/bundle.js';
import type { Harness } from './harnessEntry.js';
import type { ServedFile } from './browserServer.js';

/** What page.evaluate callbacks see of the harness page's globals. */
export type HarnessGlobal = typeof globalThis & { harness: Harness };

/** `/harness.html`, `/harness.js` and the chunk worker. */
export async function harnessFiles(): Promise<Record<string, ServedFile>> {
  return {
    '/harness.html': { body: '<!doctype html><meta charset="utf-8"><title>rxvds harness</title><link rel="icon" href="data:,"><script type="module" src="harness.js"></script>', type: 'text/html; charset=utf-8' },
    ...await bundlePage('harness', fileURLToPath(new URL('harnessEntry.ts', import.meta.url)), { minify: false }),
  };
}
