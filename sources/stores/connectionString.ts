// OpenVDS connection strings: `Key=Value;Key=Value`. Keys are case-insensitive (lowercased),
// names and values are trimmed.
import { redactConnectionString } from './redact.js';
import { InvalidArgumentError } from '../../src/model/errors.js';
import { ENGINE_OPTION_KEYS } from '../../src/engine/engineOptions.js';

export type ConnectionOptions = ReadonlyMap<string, string>;

export function parseConnectionString(text = ''): ConnectionOptions {
  const options = new Map<string, string>();
  const parts = text.split(';');
  for (const [index, part] of parts.entries()) {
    if (part.trim() === '') continue;
    const equals = part.indexOf('=');
    // A part without `=` is most often the tail of a value that contained `;`: a secret, so never quote it.
    if (equals < 0) {
      throw new InvalidArgumentError(`Missing required = sign in part ${index + 1} of the connection string ` +
        `"${redactConnectionString(text)}". Every key has to have a = sign next to it.`);
    }
    const name = part.slice(0, equals).trim();
    if (name === '') throw new InvalidArgumentError('Empty name in connection string');
    options.set(name.toLowerCase(), part.slice(equals + 1).trim());
  }
  return options;
}

/** Keys the engine reads itself; every store accepts them (and `checkEngineKeys` checks them). */
export const ENGINE_KEYS: ReadonlySet<string> = new Set([
  'loglevel', 'log_level', 'requestthreadcount', 'request_thread_count', 'waveletadaptivetolerance', 'waveletadaptiveratio',
  ...Object.keys(ENGINE_OPTION_KEYS),
]);

/**
 * The values of the keys a store takes, by field (each field with its accepted spellings, in lower
 * case); any other key, besides the engine's, is refused with a message naming `service`.
 */
export function pickConnectionKeys<F extends string>(options: ConnectionOptions, service: string,
  fields: Record<F, readonly string[]>): Partial<Record<F, string>> {
  const byKey = new Map<string, F>();
  for (const [field, keys] of Object.entries(fields) as Array<[F, readonly string[]]>) for (const key of keys) byKey.set(key, field);
  const values: Partial<Record<F, string>> = {};
  for (const [key, value] of options) {
    const field = byKey.get(key);
    if (field) values[field] = value;
    else if (!ENGINE_KEYS.has(key)) throw new InvalidArgumentError(`Invalid key "${key}" in ${service} connection string.`);
  }
  return values;
}
