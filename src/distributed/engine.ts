// The job engine: BullMQ on Redis, through the ioredis driver — both optional peer dependencies,
// loaded only by a distributed run (`--distributed`, `rxvds worker`). Without them the user is
// told what to install, as for the cloud SDKs (sources/stores/optionalSdk.ts).
import type { Redis } from 'ioredis';
import { InvalidArgumentError, InvalidOperationError } from '../model/errors.js';

export type BullMQ = typeof import('bullmq');
export type RedisClient = Redis;

/** The one queue every rxvds job kind goes through; workers take whatever comes. */
export const QUEUE_NAME = 'rxvds';

const INSTALL = 'Distributed jobs need the optional packages bullmq and ioredis';

function optional<T>(name: string, load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load().catch((error: NodeJS.ErrnoException) => {
    loaded = undefined;
    if ((error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'MODULE_NOT_FOUND') && error.message.includes(`'${name}'`)) {
      throw new InvalidOperationError(`${INSTALL}; ${name} is not installed: run "npm install bullmq ioredis" next to rxvds`);
    }
    throw error;
  }));
}

export const loadBullMQ: () => Promise<BullMQ> = optional('bullmq', () => import('bullmq'));
const loadIORedis = optional('ioredis', () => import('ioredis'));

/** `redis://[user:password@]HOST[:PORT][/DB]`, or `rediss://` for TLS. */
export function redisOptions(url: string): { host: string; port: number; username?: string; password?: string; db: number; tls?: object } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError(`"${url}" is not a Redis URL: expected redis://HOST:PORT[/DB]`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new InvalidArgumentError(`"${parsed.protocol}//" is not a Redis URL scheme: expected redis://HOST:PORT[/DB]`);
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new InvalidArgumentError(`The database of a Redis URL is a number, got "${parsed.pathname.slice(1)}"`);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    db,
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * Connections to the server at `redisUrl`: every queue, worker and flow producer gets its own.
 * BullMQ leaves connections it was given open (they are the caller's): `close` ends them all.
 */
export interface RedisConnections {
  connection(): RedisClient;
  close(): Promise<void>;
}

export async function redisConnections(redisUrl: string): Promise<RedisConnections> {
  const options = redisOptions(redisUrl);
  await loadBullMQ();
  const { Redis } = await loadIORedis();
  const opened: RedisClient[] = [];
  return {
    // BullMQ's blocking commands need ioredis never to give up on a request (maxRetriesPerRequest null).
    connection: () => {
      const client = new Redis({ ...options, maxRetriesPerRequest: null });
      opened.push(client);
      return client;
    },
    close: async () => {
      for (const client of opened.splice(0)) client.disconnect();
    },
  };
}
