// Piscina worker entry (Node): runs a task with jobRunner.ts, and moves the buffers the job marked
// back without copying. Job modules load by the URL their kind is registered with, as each is
// first needed; the built package starts chunkWorker.bundle.js instead (bundledChunkWorker.ts).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type LoadJobModule, runJob, type WorkerTask } from './jobRunner.js';
import { movingReply } from './movable.js';

/** The task function of a worker whose `builtIn` kinds' handlers are at hand (the others are imported). */
export function workerTask(builtIn: ReadonlyMap<string, unknown>): (task: WorkerTask) => Promise<unknown> {
  /**
   * A file is first required, as Piscina loads this worker: under tsx, worker threads get its
   * CommonJS hook but not its ESM one, so only `require` reads a `.ts` module there; the built
   * package's ES modules (and any other URL) are imported.
   */
  const load: LoadJobModule = async (module, kind) => {
    const handler = builtIn.get(kind);
    if (handler) return { default: handler };
    if (module.startsWith('file:')) {
      try {
        return createRequire(import.meta.url)(fileURLToPath(module)) as { default?: unknown };
      } catch (error) {
        // An ES module under plain Node is imported below; any other failure is the module's own.
        if ((error as { code?: unknown }).code !== 'ERR_REQUIRE_ESM') throw error;
      }
    }
    return import(module) as Promise<{ default?: unknown }>;
  };
  return async (task) => {
    const { result, transfer } = await runJob(task, load);
    return transfer.length > 0 ? movingReply(result, transfer) : result;
  };
}

export default workerTask(new Map());
