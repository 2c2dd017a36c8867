// The folders are the layers of the dataflow, and imports only run down them:
//   src/{model,async} → src/codecs → src/engine → src/workers   the model and the engine
//   sources/ (stores, the dataset layer, source operators)
//   operators/ (transforms)  →  sinks/ (assembly, write-back)
//   src/api (the OpenVDS facade)  →  src/{segy,render}, src/index.ts, src/browser.ts, src/stores.ts   applications and entry points
// A file may import its own layer or any below it. This spec reads the import lines of every
// library file and fails on an import that runs back up, so the rule cannot erode unnoticed.
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Layers from the ground up: a file's layer is the first whose prefix its path starts with. */
const LAYERS: [name: string, prefixes: string[]][] = [
  ['model', ['src/model/', 'src/async/']],
  ['codecs', ['src/codecs/']],
  ['engine', ['src/engine/']],
  ['workers', ['src/workers/']],
  ['sources', ['sources/']],
  ['operators', ['operators/']],
  ['sinks', ['sinks/']],
  ['api', ['src/api/']],
  ['applications', ['src/segy/', 'src/render/', 'src/serve/', 'src/distributed/', 'src/index.ts', 'src/browser.ts', 'src/stores.ts']],
];

function layerOf(path: string): number {
  const at = LAYERS.findIndex(([, prefixes]) => prefixes.some((p) => path === p || path.startsWith(p)));
  if (at < 0) throw new Error(`${path} is in no layer: add its folder to LAYERS`);
  return at;
}

function libraryFiles(folder: string): string[] {
  return readdirSync(join(root, folder)).flatMap((name) => {
    const path = `${folder}/${name}`;
    if (statSync(join(root, path)).isDirectory()) return libraryFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative module specifiers of a file: static imports and re-exports, dynamic imports, and module URLs. */
function importsOf(path: string): string[] {
  const text = readFileSync(join(root, path), 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'(\.\.?\/[^']+)'/g)].map((m) => m[1]!);
  return specifiers.map((s) => relative(root, normalize(join(root, dirname(path), s))).replace(/\.js$/, '.ts'));
}

describe('layering: imports run down the folders', () => {
  const files = ['src', 'sources', 'operators', 'sinks'].flatMap(libraryFiles);

  it('places every library file in a layer', () => {
    expect(files.length).to.be.greaterThan(100);
    for (const file of files) layerOf(file);
  });

  it('has no import from a lower layer into a higher one', () => {
    const upward: string[] = [];
    for (const file of files) {
      for (const target of importsOf(file)) {
        if (layerOf(target) > layerOf(file)) upward.push(`${file} (${LAYERS[layerOf(file)]![0]}) → ${target} (${LAYERS[layerOf(target)]![0]})`);
      }
    }
    expect(upward, upward.join('\n')).to.deep.equal([]);
  });
});
