// A static HTTP server for the browser specs, the browser benchmark and the demo page: folder
// datasets under `/datasets/NAME/` (GET and HEAD with byte ranges), a page and its bundles from
// memory, and a count of the requests per path so a spec can see that cancellation stopped them.
// Under `/isolated/` the same content comes with the COOP/COEP headers that make a page
// cross-origin isolated (SharedArrayBuffer); everywhere else it comes without.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { FolderStore } from '../../sources/stores/folderStore.js';
import { listen, type RunningServer, serveObject } from './servers.js';

export interface ServedFile {
  readonly body: string | Uint8Array;
  /** The Content-Type, e.g. `text/javascript`. */
  readonly type: string;
}

export interface BrowserServerOptions {
  /** Folder datasets by name, served under `/datasets/NAME/`. */
  datasets?: Readonly<Record<string, string>>;
  /** Files by path (`/index.html`, `/app.js`); `/` serves `/index.html`. */
  files?: Readonly<Record<string, ServedFile>>;
  /** Port on 127.0.0.1 (default 0: a free one). */
  port?: number;
}

export interface BrowserServer extends RunningServer {
  /** GET requests whose path (without `/isolated`) starts with `prefix`, since start or `resetCounts`. */
  requestCount(prefix: string): number;
  /** Of those, the ones whose client went away before the response ended: aborted fetches. */
  abortedCount(prefix: string): number;
  resetCounts(): void;
  /** Milliseconds every dataset object waits before its answer (default 0), to catch requests in flight. */
  objectDelayMs: number;
  /** Replaces or adds a served file (a page under test). */
  setFile(path: string, file: ServedFile): void;
}

const ISOLATED = '/isolated';
const DATASETS = '/datasets/';

export async function startBrowserServer(options: BrowserServerOptions = {}): Promise<BrowserServer> {
  const stores = new Map(Object.entries(options.datasets ?? {}).map(([name, folder]) => [name, new FolderStore(folder)]));
  const files = new Map(Object.entries(options.files ?? {}));
  const requested: string[] = [];
  const aborted: string[] = [];
  const state = { objectDelayMs: 0 };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === ISOLATED || path.startsWith(`${ISOLATED}/`)) {
      path = path.slice(ISOLATED.length) || '/';
      res.setHeader('cross-origin-opener-policy', 'same-origin');
      res.setHeader('cross-origin-embedder-policy', 'require-corp');
    }
    if (req.method === 'GET') {
      requested.push(path);
      res.once('close', () => { if (!res.writableFinished) aborted.push(path); });
    }
    if (path.startsWith(DATASETS)) {
      const name = decodeURIComponent(path.slice(DATASETS.length).split('/')[0]!);
      const store = stores.get(name);
      if (!store) return void res.writeHead(404).end(`no dataset ${name}`);
      if (state.objectDelayMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, state.objectDelayMs));
        if (res.destroyed) return;
      }
      // serveObject reads the path from req.url: give it the one without the /isolated prefix.
      req.url = path;
      return serveObject(store, `${DATASETS}${encodeURIComponent(name)}/`, {}, req, res);
    }
    const file = files.get(path === '/' ? '/index.html' : path);
    if (!file) return void res.writeHead(404).end('Not Found');
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500).end(error.message);
      else res.destroy();
    });
  });
  const running = await listen(server, options.port ?? 0);
  const count = (paths: string[], prefix: string) => paths.reduce((n, p) => n + (p.startsWith(prefix) ? 1 : 0), 0);
  return {
    url: running.url,
    stop: running.stop,
    requestCount: (prefix) => count(requested, prefix),
    abortedCount: (prefix) => count(aborted, prefix),
    resetCounts: () => { requested.length = 0; aborted.length = 0; },
    get objectDelayMs() { return state.objectDelayMs; },
    set objectDelayMs(ms: number) { state.objectDelayMs = ms; },
    setFile: (path, file) => { files.set(path, file); },
  };
}
