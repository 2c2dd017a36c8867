// The browser bundle, as a page's bundler makes it: esbuild from the TypeScript sources, platform
// browser (so package.json's "browser" map swaps in the browser forms), ES module. The browser
// specs bundle the entry (src/browser.ts) and the pool's worker (src/workers/webChunkWorker.ts).
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface BrowserBundle {
  code: string;
  /** Bytes of `code`. */
  bytes: number;
  /** Bytes of `code` gzipped (level 9, as servers and CDNs serve it). */
  gzipBytes: number;
}

export async function bundleBrowser(options: { minify?: boolean; entry?: string } = {}): Promise<BrowserBundle> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(root, options.entry ?? 'src/browser.ts')],
    bundle: true, platform: 'browser', format: 'esm', target: 'es2022', write: false, minify: options.minify ?? false,
    logLevel: 'silent', absWorkingDir: root,
  });
  const code = result.outputFiles[0]!.text;
  const bytes = Buffer.byteLength(code);
  return { code, bytes, gzipBytes: gzipSync(code, { level: 9 }).byteLength };
}
