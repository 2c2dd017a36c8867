// Test servers on 127.0.0.1, started and stopped by the specs: fauxqs (S3) in-process, Azurite
// (Azure blobs) as a child process, a static HTTP server over any Store, and a fault-injecting
// reverse proxy that can answer with an error status, reset the connection or stall.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { objectInfo, type Store } from '../../sources/stores/store.js';

// The SDK warns once per process that its 2027 releases need Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface RunningServer {
  /** Base URL, `http://127.0.0.1:PORT`. */
  readonly url: string;
  stop(): Promise<void>;
}

export async function startS3Server(): Promise<RunningServer> {
  const { buildApp } = await import('fauxqs');
  const app = buildApp({ logger: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, stop: async () => { await app.close(); } };
}

/** Azurite's well-known development account. */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteServer extends RunningServer {
  /** `http://127.0.0.1:PORT/devstoreaccount1`. */
  readonly blobEndpoint: string;
  connectionString(blobEndpoint?: string): string;
}

export async function startAzurite(): Promise<AzuriteServer> {
  const main = join(dirname(createRequire(import.meta.url).resolve('azurite/package.json')), 'dist/src/blob/main.js');
  const child = spawn(process.execPath, [
    main, '--blobHost', '127.0.0.1', '--blobPort', '0', '--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry', '--silent',
  ], { env: { ...process.env, NODE_V8_COVERAGE: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`Azurite did not start: ${output}`)), 20_000);
    const fail = (error: Error) => { clearTimeout(timer); child.kill('SIGTERM'); reject(error); };
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /successfully listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) { clearTimeout(timer); resolve(Number(match[1])); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => fail(new Error(`Azurite exited with ${code}: ${output}`)));
    child.once('error', fail);
  });
  child.stdout.resume();
  child.stderr.resume();
  const blobEndpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  return {
    url: `http://127.0.0.1:${port}`,
    blobEndpoint,
    connectionString: (endpoint = blobEndpoint) =>
      `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${endpoint}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.removeAllListeners('exit');
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface StaticServerOptions {
  /** Objects are served under this path (`/datasets/survey`). */
  basePath?: string;
  /** When set, requests without exactly this query string get 403. */
  requiredQuery?: string;
  /** Header prefix for user metadata (`x-amz-meta-`, `x-goog-meta-`...). */
  metadataHeaderPrefix?: string;
  /** Answer range requests with the whole object, as servers without range support do. */
  ignoreRanges?: boolean;
}

/** A read-only HTTP server over a Store: GET and HEAD with single byte ranges (incl. suffix ranges). */
export async function startStaticServer(store: Store, options: StaticServerOptions = {}): Promise<RunningServer> {
  const base = `${(options.basePath ?? '').replace(/\/+$/, '')}/`;
  const server = createServer((req, res) => {
    serveObject(store, base, options, req, res).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500).end(error.message);
      else res.destroy();
    });
  });
  return listen(server);
}

/** Answers one GET or HEAD for an object of `store` under the path `base` (also used by browserServer.ts). */
export async function serveObject(store: Store, base: string, options: StaticServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (options.requiredQuery !== undefined && url.search !== `?${options.requiredQuery}`) return void res.writeHead(403).end('Forbidden');
  if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
  if (!url.pathname.startsWith(base)) return void res.writeHead(404).end();
  const key = url.pathname.slice(base.length).split('/').map(decodeURIComponent).join('/');
  const info = await objectInfo(store, key).catch(() => undefined);
  if (!info) return void res.writeHead(404).end('Not Found');
  const headers: Record<string, string | number> = { 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream' };
  for (const [name, value] of Object.entries(info.metadata ?? {})) headers[`${options.metadataHeaderPrefix ?? 'x-amz-meta-'}${name}`] = value;
  const range = options.ignoreRanges ? null : /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  let start = 0;
  let end = info.size;
  if (range) {
    if (range[1] === '') start = Math.max(0, info.size - Number(range[2]));
    else {
      start = Number(range[1]);
      if (range[2] !== '') end = Math.min(info.size, Number(range[2]) + 1);
    }
    if (start >= info.size) return void res.writeHead(416, { 'content-range': `bytes */${info.size}` }).end();
    headers['content-range'] = `bytes ${start}-${end - 1}/${info.size}`;
  }
  headers['content-length'] = end - start;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === 'HEAD') return void res.end();
  const bytes = range ? await store.getRange!(key, { offset: start, length: end - start }) : await store.get(key);
  res.end(bytes);
}

export type Fault =
  | { status: number; body?: string; headers?: Record<string, string> }
  | { reset: 'before-response' | 'mid-body' }
  | { delayMs: number };

export interface FaultRule {
  method?: string;
  /** Matched against the request path and query. */
  path?: RegExp;
  /** How many matching requests get the fault (every one when omitted). */
  times?: number;
  fault: Fault;
}

export interface ProxiedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  fault?: Fault;
}

/** A reverse proxy in front of a test server that injects faults into matching requests. */
export class FaultProxy implements RunningServer {
  readonly requests: ProxiedRequest[] = [];
  private readonly rules: FaultRule[] = [];
  private readonly agent = new Agent({ keepAlive: true });

  private constructor(private readonly server: Server, readonly url: string, private readonly target: URL) {}

  static async start(target: string): Promise<FaultProxy> {
    let proxy: FaultProxy | undefined;
    const server = createServer((req, res) => proxy!.handle(req, res));
    const { url } = await listen(server);
    proxy = new FaultProxy(server, url, new URL(target));
    return proxy;
  }

  /** Requests whose response has neither finished nor had its connection closed. */
  activeRequests = 0;

  inject(rule: FaultRule): void {
    this.rules.push({ ...rule });
  }

  clear(): void {
    this.rules.length = 0;
    this.requests.length = 0;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    this.agent.destroy();
    await closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.activeRequests++;
    res.once('close', () => this.activeRequests--);
    const rule = this.rules.find((r) => (r.times ?? 1) > 0 && (!r.method || r.method === req.method) && (!r.path || r.path.test(req.url ?? '')));
    if (rule && rule.times !== undefined) rule.times--;
    const fault = rule?.fault;
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, ...(fault && { fault }) });
    if (!fault) return this.forward(req, res);
    if ('status' in fault) {
      req.resume();
      req.once('end', () => {
        const body = req.method === 'HEAD' ? '' : fault.body ?? errorXml(fault.status);
        res.writeHead(fault.status, { 'content-type': 'application/xml', ...fault.headers }).end(body);
      });
    } else if ('delayMs' in fault) {
      const timer = setTimeout(() => this.forward(req, res), fault.delayMs);
      res.once('close', () => clearTimeout(timer));
    } else if (fault.reset === 'before-response') {
      req.socket.destroy();
    } else {
      this.forward(req, res, true);
    }
  }

  private forward(req: IncomingMessage, res: ServerResponse, cutBody = false): void {
    const upstream = request(new URL(req.url ?? '/', this.target), { method: req.method, headers: req.headers, agent: this.agent }, (answer) => {
      if (!cutBody) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      const parts: Buffer[] = [];
      answer.on('data', (part: Buffer) => parts.push(part));
      answer.once('end', () => {
        const body = Buffer.concat(parts);
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'content-length': body.length });
        res.write(body.subarray(0, body.length >> 1), () => res.socket?.destroy());
      });
    });
    upstream.once('error', () => res.destroy());
    res.once('close', () => { if (!res.writableFinished) upstream.destroy(); });
    req.pipe(upstream);
  }
}

function errorXml(status: number): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InjectedFault</Code><Message>injected HTTP ${status}</Message></Error>`;
}

/** Starts `server` on 127.0.0.1 on a free port (or `wantedPort`); `stop` closes its connections too. */
export async function listen(server: Server, wantedPort = 0): Promise<RunningServer> {
  server.listen(wantedPort, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
