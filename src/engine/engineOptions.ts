// The engine's tuning in one place. Each figure has a default that suits the worker pool's size,
// and each can be set per dataset with a connection-string key (`ChunksInFlight=32;…`), beside
// the store's own keys.
import { InvalidArgumentError } from '../model/errors.js';

export interface EngineOptions {
  /** Chunks one request fetches, decodes and holds at once: its backpressure. */
  chunksInFlight: number;
  /** Bytes of decoded chunks a dataset keeps for later requests (0 keeps none; work in flight is still shared). */
  chunkCacheBytes: number;
  /** Chunk writes (encode, then store) a dataset has in flight (ChunkWriter); releasing pages waits beyond twice this. */
  writesInFlight: number;
}

/** The connection-string key (lowercased, as connection strings are read) of each option. */
export const ENGINE_OPTION_KEYS: Readonly<Record<string, keyof EngineOptions>> = {
  chunksinflight: 'chunksInFlight',
  chunkcachebytes: 'chunkCacheBytes',
  writesinflight: 'writesInFlight',
};

/**
 * Defaults for a pool of `workers` threads: enough chunks in flight to keep every worker busy while
 * others fetch. At least 32: the jobs waiting in the pool go over in batches (up to 8 per message,
 * two tasks per worker), and with fewer waiting a 2-worker pool sends more, smaller messages and
 * idles between short jobs (whole uncompressed reads took 6–11 % longer at 8 than at 16, and at 16
 * with batches of 4, 8–10 % longer than at 32 with batches of 8).
 */
export function defaultEngineOptions(workers: number): EngineOptions {
  return {
    chunksInFlight: Math.max(32, workers * 4),
    chunkCacheBytes: 256 * 1024 * 1024,
    writesInFlight: Math.max(2, workers * 2),
  };
}

/** The defaults, with any option a connection string sets; a value that is not a whole number in range is refused. */
export function engineOptionsFrom(connection: ReadonlyMap<string, string>, defaults: EngineOptions): EngineOptions {
  const options = { ...defaults };
  for (const [key, field] of Object.entries(ENGINE_OPTION_KEYS)) {
    const text = connection.get(key);
    if (text === undefined) continue;
    const value = Number(text);
    const least = field === 'chunkCacheBytes' ? 0 : 1;
    if (text.trim() === '' || !Number.isSafeInteger(value) || value < least) {
      throw new InvalidArgumentError(`${field[0]!.toUpperCase()}${field.slice(1)} must be a whole number ≥ ${least}, got "${text}"`);
    }
    options[field] = value;
  }
  return options;
}
