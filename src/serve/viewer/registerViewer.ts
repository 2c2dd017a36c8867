// The web viewer's routes on a service app: the page at `/`, its scripts under `/viewer/`, and the
// colour maps as lookup tables (computed here from src/render's maps, so the viewer draws with the
// same colours as `rxvds slice`). The files are few and fixed, read once on the first request for
// one: no request path reaches the file system.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { colorAt, colorMapNames } from '../../render/colorMaps.js';
import { VIEWER_CSS, VIEWER_HTML } from './page.js';

const CLIENT_FOLDER = fileURLToPath(new URL('./client/', import.meta.url));

/** Entries of each colour map's lookup table. */
const LUT_SIZE = 256;

/**
 * The client modules by served name (`main.js`, …). A built package has the JavaScript tsc
 * compiled next to this file; run from the sources (tsx), the TypeScript is transpiled with esbuild
 * (a devDependency, present wherever the sources are).
 */
async function clientModules(): Promise<Map<string, string>> {
  const names = await readdir(CLIENT_FOLDER);
  const compiled = names.filter((name) => name.endsWith('.js'));
  if (compiled.length) return new Map(await Promise.all(compiled.map(async (name) => [name, await readFile(CLIENT_FOLDER + name, 'utf8')] as const)));
  const { transform } = await import('esbuild');
  const sources = names.filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'));
  return new Map(await Promise.all(sources.map(async (name) => {
    const { code } = await transform(await readFile(CLIENT_FOLDER + name, 'utf8'), { loader: 'ts', format: 'esm', target: 'es2022' });
    return [name.replace(/\.ts$/, '.js'), code] as const;
  })));
}

function colorMapTables(): Record<string, number[]> {
  return Object.fromEntries(colorMapNames.map((name) => [name, Array.from({ length: LUT_SIZE }, (_, i) => colorAt(name, i / (LUT_SIZE - 1))).flat()]));
}

// The page runs its own scripts and talks to its own origin only.
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

/** Adds the viewer's routes (`/`, `/viewer/…`) to a service app. */
export function registerViewer(app: FastifyInstance): void {
  let modules: Promise<Map<string, string>> | undefined;
  let colorMaps: string | undefined;
  app.get('/', (_request, reply) => reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(VIEWER_HTML));
  app.get('/viewer/viewer.css', (_request, reply) => reply.headers(PAGE_HEADERS).type('text/css; charset=utf-8').send(VIEWER_CSS));
  app.get('/viewer/colormaps.json', (_request, reply) => reply.headers(PAGE_HEADERS).type('application/json').send((colorMaps ??= JSON.stringify(colorMapTables()))));
  app.get<{ Params: { name: string } }>('/viewer/:name', async (request, reply) => {
    const code = (await (modules ??= clientModules())).get(request.params.name);
    if (code === undefined) return reply.code(404).send({ error: `the viewer has no file ${JSON.stringify(request.params.name)}` });
    return reply.headers(PAGE_HEADERS).type('text/javascript; charset=utf-8').send(code);
  });
}
