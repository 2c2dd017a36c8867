// What a server is made of: its datasets (id → URL and connection string, or a store), its bearer
// token, its chunk-cache budget and its request-size limits; and the JSON config file that names them.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError } from '../model/errors.js';
import type { ReadableStore } from '../../sources/stores/store.js';

/** A dataset by URL (its connection string holds the credentials: neither ever reaches a client or a log). */
export interface UrlDatasetSource {
  id: string;
  url: string;
  connection?: string;
}

/** A dataset over a store the caller made (in-process use, specs: a counting store wrapper). */
export interface StoreDatasetSource {
  id: string;
  store: ReadableStore;
  connection?: string;
}

export type DatasetSource = UrlDatasetSource | StoreDatasetSource;

/** Request-size limits: a request over one is refused (413) before any work starts. */
export interface ServeLimits {
  /** Points of one fence, samples or attributes request. */
  maxPoints: number;
  /** Values one fence, samples or attributes request computes (points × samples per point). */
  maxValues: number;
  /** Bytes of a request body. */
  bodyBytes: number;
}

export const DEFAULT_LIMITS: Readonly<ServeLimits> = {
  maxPoints: 100_000,
  maxValues: 64 * 1024 * 1024,
  bodyBytes: 8 * 1024 * 1024,
};

/** 256 MiB, as one dataset's default (EngineOptions.chunkCacheBytes), shared by every dataset of the server. */
export const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024;

export interface ServeOptions {
  datasets: readonly DatasetSource[];
  /** Bearer token every /datasets request must carry; none = open (bind to loopback then). */
  token?: string;
  /** Bytes of decoded chunks the server keeps, split evenly between its datasets. */
  cacheBytes?: number;
  limits?: Partial<ServeLimits>;
  /** Where server-side failures are reported (already scrubbed of credentials); stderr by default. */
  log?: (line: string) => void;
}

/** Ids are URL path segments and nothing more: letters, digits, `.`, `_`, `-`, not starting with a dot. */
const ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

export function checkedId(id: unknown, where: string): string {
  if (typeof id !== 'string' || !ID.test(id)) {
    throw new InvalidArgumentError(`${where}: dataset id ${JSON.stringify(id)} must be 1…128 letters, digits, ".", "_" or "-", not starting with "."`);
  }
  return id;
}

function positiveInteger(value: unknown, where: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) throw new InvalidArgumentError(`${where} must be a positive integer, got ${JSON.stringify(value)}`);
  return value as number;
}

/** The limits with defaults filled in, each checked. */
export function resolvedLimits(limits: Partial<ServeLimits> = {}): ServeLimits {
  const resolved = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(limits)) {
    if (!(key in DEFAULT_LIMITS)) throw new InvalidArgumentError(`limits.${key} is not a limit (known: ${Object.keys(DEFAULT_LIMITS).join(', ')})`);
    if (value !== undefined) resolved[key as keyof ServeLimits] = positiveInteger(value, `limits.${key}`);
  }
  return resolved;
}

/**
 * The server config file (JSON):
 * `{ "datasets": { "<id>": { "url": "s3://…", "connection": "Region=…;…" } }, "tokenFile": "…" | "token": "…",
 *    "cacheBytes": 536870912, "limits": { "maxPoints": 100000, "maxValues": 67108864, "bodyBytes": 8388608 } }`.
 * A relative `tokenFile` is read from the config file's folder.
 */
export function readConfigFile(path: string): Omit<ServeOptions, 'log'> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InvalidArgumentError(`cannot read the config file ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidArgumentError(`${path}: the config must be a JSON object`);
  const { datasets, token, tokenFile, cacheBytes, limits, ...unknown } = parsed as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length) throw new InvalidArgumentError(`${path}: unknown key ${JSON.stringify(extra[0])} (known: datasets, token, tokenFile, cacheBytes, limits)`);
  if (typeof datasets !== 'object' || datasets === null || Array.isArray(datasets)) {
    throw new InvalidArgumentError(`${path}: "datasets" must be an object of id → { "url": …, "connection"?: … }`);
  }
  const sources = Object.entries(datasets as Record<string, unknown>).map(([id, entry]): UrlDatasetSource => {
    checkedId(id, path);
    const { url, connection, ...rest } = (entry ?? {}) as Record<string, unknown>;
    if (typeof url !== 'string' || url === '') throw new InvalidArgumentError(`${path}: datasets.${id}.url must be a non-empty string`);
    if (connection !== undefined && typeof connection !== 'string') throw new InvalidArgumentError(`${path}: datasets.${id}.connection must be a string`);
    if (Object.keys(rest).length) throw new InvalidArgumentError(`${path}: datasets.${id} has an unknown key ${JSON.stringify(Object.keys(rest)[0])} (known: url, connection)`);
    return { id, url, connection };
  });
  if (token !== undefined && tokenFile !== undefined) throw new InvalidArgumentError(`${path}: give "token" or "tokenFile", not both`);
  if (token !== undefined && typeof token !== 'string') throw new InvalidArgumentError(`${path}: "token" must be a string`);
  if (typeof token === 'string') checkedToken(token, `${path}: "token"`);
  if (tokenFile !== undefined && typeof tokenFile !== 'string') throw new InvalidArgumentError(`${path}: "tokenFile" must be a string`);
  const resolvedToken = typeof tokenFile === 'string' ? readTokenFile(resolve(dirname(path), tokenFile)) : token;
  if (limits !== undefined && (typeof limits !== 'object' || limits === null)) throw new InvalidArgumentError(`${path}: "limits" must be an object`);
  return {
    datasets: sources,
    token: resolvedToken,
    cacheBytes: cacheBytes === undefined ? undefined : positiveInteger(cacheBytes, `${path}: cacheBytes`),
    limits: resolvedLimits(limits as Partial<ServeLimits> | undefined),
  };
}

/** A token file: its first line, which must not be empty (an empty token would let everyone in). */
export function readTokenFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidArgumentError(`cannot read the token file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return checkedToken(text.split(/\r?\n/)[0]!.trim(), `the token file ${path}`);
}

/** A bearer token of at least 8 characters: an empty or tiny one would let everyone in. */
export function checkedToken(token: string, where: string): string {
  if (token.length < 8) throw new InvalidArgumentError(`${where} must hold a token of at least 8 characters`);
  return token;
}
