// Piscina worker entry: imports the module of a job's kind (once per worker), runs the job, and
// moves the buffers the job marked back without copying; a failure goes back as an error record
// so the main thread can rebuild its class and code.
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ChunkJob, ChunkJobHandler } from './chunkJobs.js';
import { InvalidArgumentError } from '../model/errors.js';
import { toErrorRecord } from './errorTransport.js';

/** What the pool posts: the job, and the module its kind was registered with. */
export interface WorkerTask {
  module: string;
  job: ChunkJob;
}

const handlers = new Map<string, Promise<ChunkJobHandler>>();

export default async function runTask({ module, job }: WorkerTask): Promise<unknown> {
  const transfer: ArrayBuffer[] = [];
  let result: unknown;
  try {
    const handler = await handlerOf(module, job.kind);
    result = await handler(job, (buffer) => { transfer.push(buffer); });
  } catch (error) {
    throw toErrorRecord(error);
  }
  return transfer.length > 0 ? move({ [transferableSymbol]: transfer, [valueSymbol]: result as object }) : result;
}

function handlerOf(module: string, kind: string): Promise<ChunkJobHandler> {
  let handler = handlers.get(module);
  if (!handler) {
    handler = load(module).then((loaded: { default?: unknown }) => {
      if (typeof loaded.default !== 'function') throw new InvalidArgumentError(`Chunk job module ${module} (kind "${kind}") has no default export function`);
      return loaded.default as ChunkJobHandler;
    });
    // A module that failed to load is tried again by the next job rather than failing every later one.
    handler.catch(() => handlers.delete(module));
    handlers.set(module, handler);
  }
  return handler;
}

/**
 * Imports a job module. A file is first required, as Piscina loads this worker: under tsx, worker
 * threads get its CommonJS hook but not its ESM one, so only `require` reads a `.ts` module there;
 * the built package's ES modules (and any other URL) are imported.
 */
async function load(module: string): Promise<{ default?: unknown }> {
  if (module.startsWith('file:')) {
    try {
      return createRequire(import.meta.url)(fileURLToPath(module)) as { default?: unknown };
    } catch (error) {
      // An ES module under plain Node is imported below; any other failure is the module's own.
      if ((error as { code?: unknown }).code !== 'ERR_REQUIRE_ESM') throw error;
    }
  }
  return import(module) as Promise<{ default?: unknown }>;
}
