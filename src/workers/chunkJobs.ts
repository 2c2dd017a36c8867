// Chunk job kinds, registered like codecs: a kind names the module a pool worker imports to run
// it. The built-in kinds (decode, decodeWavelet, encode, decimate) register here exactly as a user's kind does,
// so a per-chunk job of one's own (an attribute, a checksum) runs on the pool with no library edit:
// one job module plus one `registerChunkJob` call.
import { InvalidArgumentError, InvalidOperationError } from '../model/errors.js';

/** A job as it crosses to a worker: plain data (structured-cloned; buffers in the transfer list move), tagged with its kind. */
export interface ChunkJob {
  readonly kind: string;
}

/**
 * What a job module exports by default; it runs inside a pool worker. Calling `transfer(buffer)`
 * moves that buffer of the result back instead of copying it: it must be a whole ArrayBuffer the
 * job owns (one it was given in the transfer list, or made itself).
 */
export type ChunkJobHandler<J extends ChunkJob = ChunkJob, R = unknown> =
  (job: J, transfer: (buffer: ArrayBuffer) => void) => R | Promise<R>;

const modules = new Map<string, string>();

/**
 * Registers a job kind: jobs `{ kind, … }` then run in a pool worker by the default export of
 * `module` (a URL the worker can import: `new URL('./myJob.js', import.meta.url)`, or `.ts` under
 * tsx). Registering a kind again with the same module is a no-op; with another, an error.
 */
export function registerChunkJob(kind: string, module: URL | string): void {
  if (typeof kind !== 'string' || kind === '') throw new InvalidArgumentError(`A chunk job kind must be a non-empty string, got ${String(kind)}`);
  let href: string;
  try {
    href = new URL(module).href;
  } catch {
    throw new InvalidArgumentError(`The module of chunk job kind "${kind}" must be an absolute URL (e.g. new URL('./job.js', import.meta.url)), got ${String(module)}`);
  }
  const registered = modules.get(kind);
  if (registered !== undefined && registered !== href) {
    throw new InvalidOperationError(`Chunk job kind "${kind}" is already registered with ${registered}`);
  }
  modules.set(kind, href);
}

/** The module that runs jobs of `kind`. */
export function chunkJobModule(kind: string): string {
  const module = modules.get(kind);
  if (module === undefined) {
    throw new InvalidArgumentError(`No chunk job kind "${kind}" is registered (have: ${[...modules.keys()].join(', ')}; see registerChunkJob)`);
  }
  return module;
}

/** A module next to this one: `.ts` when run through tsx, `.js` from the built package. */
export function siblingModule(name: string): URL {
  const extension = /\.[cm]?[jt]s$/.exec(new URL(import.meta.url).pathname)?.[0] ?? '.js';
  return new URL(`./${name}${extension}`, import.meta.url);
}

registerChunkJob('decode', siblingModule('decodeJob'));
registerChunkJob('decodeWavelet', siblingModule('decodeWaveletJob'));
registerChunkJob('encode', siblingModule('encodeJob'));
registerChunkJob('decimate', siblingModule('decimateJob'));

/** The slab Node's Buffer pool carves small buffers from (`Buffer.poolSize`'s default). */
const NODE_BUFFER_POOL_BYTES = 8 * 1024;

/**
 * Small Node buffers share a pool slab that must never be moved; a job's result in one is copied
 * out first. (Written without `Buffer`, which browsers lack: their results never live in a slab.)
 */
export function movable(result: Uint8Array, input: Uint8Array): Uint8Array {
  return result.buffer === input.buffer || result.buffer.byteLength > NODE_BUFFER_POOL_BYTES ? result : result.slice();
}
