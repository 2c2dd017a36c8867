// Where the browser's pool workers load their script from, when not from the default URL next to
// the bundle (threads.browser.ts): a page whose bundler put webChunkWorker.js elsewhere says so.
import { InvalidArgumentError } from '../model/errors.js';

let url: URL | undefined;

/** The worker script the browser's chunk pool starts its workers from; workers already running keep theirs. */
export function setChunkWorkerUrl(script: URL | string): void {
  try {
    url = new URL(script, (globalThis as { location?: { href: string } }).location?.href);
  } catch {
    throw new InvalidArgumentError(`The chunk worker script must be a URL, got ${String(script)}`);
  }
}

export function chunkWorkerUrl(): URL | undefined {
  return url;
}
