// `rxvds serve` as a library: createServer(options) gives the fastify app (for inject() and for
// more routes, such as the web viewer), listen() and close().
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { ServeContext } from './context.js';
import { checkedToken, DEFAULT_CACHE_BYTES, resolvedLimits, type ServeOptions } from './options.js';
import { DatasetRegistry } from './registry.js';

export { readConfigFile, readTokenFile, DEFAULT_LIMITS, DEFAULT_CACHE_BYTES } from './options.js';
export type { ServeOptions, ServeLimits, DatasetSource, UrlDatasetSource, StoreDatasetSource } from './options.js';

export interface RxvdsServer {
  readonly app: FastifyInstance;
  /** Opens every dataset (so a bad config fails here, not on a client's request), then listens; port 0 picks a free port. */
  listen(options?: { port?: number; host?: string }): Promise<{ url: string; port: number; host: string }>;
  /** Stops listening, ends requests under way, closes the datasets. */
  close(): Promise<void>;
}

export function createServer(options: ServeOptions): RxvdsServer {
  const registry = new DatasetRegistry(options.datasets, options.cacheBytes ?? DEFAULT_CACHE_BYTES);
  const context = new ServeContext(registry, resolvedLimits(options.limits), options.log ?? ((line) => process.stderr.write(`${line}\n`)));
  const token = options.token === undefined ? undefined : checkedToken(options.token, 'token');
  const app = buildApp(context, token);
  let closing: Promise<void> | undefined;
  return {
    app,
    async listen({ port = 0, host = '127.0.0.1' } = {}) {
      await registry.openAll();
      await app.listen({ port, host });
      const address = app.server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      return { url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`, port: bound, host };
    },
    close() {
      return (closing ??= (async () => {
        try {
          await app.close();
        } finally {
          await registry.close();
        }
      })());
    },
  };
}
