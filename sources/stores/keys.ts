// Validation of object keys, shared by stores that map keys onto paths or URLs.
import { InvalidArgumentError } from '../../src/model/errors.js';

/** Throws on keys that could escape a dataset's prefix (absolute, empty or `..` segments). */
export function assertSafeKey(key: string): void {
  if (key === '' || key.startsWith('/') || key.includes('\\') || key.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new InvalidArgumentError(`Invalid object key "${key}"`);
  }
}
