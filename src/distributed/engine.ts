// The job engine: BullMQ on Redis, an optional peer dependency. It is loaded only by a distributed
// run (`--distributed`, `rxvds worker`), and without it the user is told what to install, as the
// cloud SDKs are (sources/stores/optionalSdk.ts).
import { InvalidOperationError } from '../model/errors.js';
import { parseRedisUrl, RedisWire } from './redisWire.js';

export type BullMQ = typeof import('bullmq');
export type RedisClient = ReturnType<BullMQ['createBunRedisClient']>;

/** The one queue every rxvds job kind goes through; workers take whatever comes. */
export const QUEUE_NAME = 'rxvds';

let loaded: Promise<BullMQ> | undefined;

export function loadBullMQ(): Promise<BullMQ> {
  return (loaded ??= import('bullmq').catch((error: NodeJS.ErrnoException) => {
    loaded = undefined;
    if ((error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'MODULE_NOT_FOUND') && error.message.includes("'bullmq'")) {
      throw new InvalidOperationError('Distributed jobs need the optional package bullmq, which is not installed: run "npm install bullmq" next to rxvds');
    }
    throw error;
  }));
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
  const address = parseRedisUrl(redisUrl);
  const { createBunRedisClient } = await loadBullMQ();
  const opened: RedisClient[] = [];
  return {
    // BullMQ wraps a "send + connected" client in its own adapter: retries, reconnection, scripts.
    connection: () => {
      const client = createBunRedisClient(new RedisWire(address));
      opened.push(client);
      return client;
    },
    close: async () => {
      for (const client of opened.splice(0)) client.disconnect();
    },
  };
}
