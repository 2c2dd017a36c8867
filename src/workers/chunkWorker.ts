// Piscina worker entry (Node): runs a task with jobRunner.ts, and moves the buffers the job marked
// back without copying. The build bundles it, with the built-in jobs, into chunkWorker.bundle.js,
// which threads.ts starts when it is there: one file loads in a fraction of the time of its modules.
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type LoadJobModule, runJob, type WorkerTask } from './jobRunner.js';
import { BUILT_IN_JOBS } from './builtInJobs.js';

export default async function runTask(task: WorkerTask): Promise<unknown> {
  const { result, transfer } = await runJob(task, load);
  return transfer.length > 0 ? move({ [transferableSymbol]: transfer, [valueSymbol]: result as object }) : result;
}

/**
 * A built-in kind's handler, or else imports its module. A file is first required, as Piscina
 * loads this worker: under tsx, worker threads get its CommonJS hook but not its ESM one, so only
 * `require` reads a `.ts` module there; the built package's ES modules (and any other URL) are imported.
 */
const load: LoadJobModule = async (module, kind) => {
  const handler = BUILT_IN_JOBS.get(kind);
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
