// The browser bundle, as a page's bundler makes it: esbuild from the TypeScript sources, platform
// browser (so package.json's "browser" map swaps in the browser forms), ES module. The browser
// specs bundle the entry (src/browser.ts) and the pool's worker (src/workers/webChunkWorker.ts).
// A bundle that reaches a Node built-in module, or Node's `Buffer` or `process` globals, is refused
// with the list of them, each with the file that uses it.
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface BrowserBundle {
  code: string;
  /** Bytes of `code`. */
  bytes: number;
  /** Bytes of `code` gzipped (zlib's default level, as web servers serve it). */
  gzipBytes: number;
}

const NODE_MODULE = new RegExp(`^(node:.*|${builtinModules.map((name) => name.replace(/[/]/g, '\\/')).join('|')})(\\/.*)?$`);
/** Node's globals, renamed by `define` so their uses can be found in the output (esbuild renames only unbound names). */
const NODE_GLOBALS = ['Buffer', 'process'];
const MARK = '__rxvdsNodeGlobal_';

export async function bundleBrowser(options: { minify?: boolean; entry?: string } = {}): Promise<BrowserBundle> {
  const { build } = await import('esbuild');
  const entry = options.entry ?? 'src/browser.ts';
  const bundle = async (minify: boolean, nodeUses: string[]) => (await build({
    entryPoints: [join(root, entry)], bundle: true, platform: 'browser', format: 'esm', target: 'es2022', write: false, minify,
    logLevel: 'silent', absWorkingDir: root,
    define: Object.fromEntries(NODE_GLOBALS.map((name) => [name, `globalThis.${MARK}${name}`])),
    plugins: [{
      name: 'find-node-modules',
      setup(build) {
        build.onResolve({ filter: NODE_MODULE }, (args) => {
          nodeUses.push(`${relative(root, args.importer)} imports ${args.path}`);
          return { path: args.path, external: true };
        });
      },
    }],
  })).outputFiles[0]!.text;
  const nodeUses: string[] = [];
  const readable = await bundle(false, nodeUses);
  // esbuild heads each module's code with a `// path` comment: the last one before a use names its file.
  for (const use of readable.matchAll(new RegExp(`${MARK}(\\w+)`, 'g'))) {
    const file = [...readable.slice(0, use.index).matchAll(/^\/\/ (\S+)$/gm)].pop()?.[1] ?? 'the bundle';
    nodeUses.push(`${file} uses ${use[1]}`);
  }
  if (nodeUses.length > 0) throw new Error(`The browser bundle of ${entry} needs Node:\n${[...new Set(nodeUses)].join('\n')}`);
  const code = options.minify ? await bundle(true, []) : readable;
  return { code, bytes: Buffer.byteLength(code), gzipBytes: gzipSync(code).byteLength };
}
