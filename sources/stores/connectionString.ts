// OpenVDS connection strings: `Key=Value;Key=Value`. Keys are case-insensitive (lowercased),
// names and values are trimmed.
import { redactConnectionString } from './redact.js';
import { InvalidArgumentError } from '../../src/model/errors.js';

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
