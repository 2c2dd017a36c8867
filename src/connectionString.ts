// OpenVDS connection strings: `Key=Value;Key=Value`. Keys are case-insensitive (lowercased),
// names and values are trimmed.
import { InvalidArgumentError } from './errors.js';

export type ConnectionOptions = ReadonlyMap<string, string>;

export function parseConnectionString(text = ''): ConnectionOptions {
  const options = new Map<string, string>();
  for (const part of text.split(';')) {
    if (part.trim() === '') continue;
    const equals = part.indexOf('=');
    const name = (equals < 0 ? part : part.slice(0, equals)).trim();
    if (equals < 0) {
      throw new InvalidArgumentError(`Missing required = sign for name ${name} in connection string. Every key has to have a = sign next to it.`);
    }
    if (name === '') throw new InvalidArgumentError('Empty name in connection string');
    options.set(name.toLowerCase(), part.slice(equals + 1).trim());
  }
  return options;
}

/** The connection string with secret values replaced, for messages and logs. */
export function redactConnectionString(text: string): string {
  return text.replace(/((?:secret|key|token|password|sas|signature|sig|connectionstring)[a-z]*\s*=)[^;]*/gi, '$1***');
}
