// Piscina worker entry (Node): runs a task with jobRunner.ts, and moves the buffers the job marked
// back without copying.
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { runJob, type WorkerTask } from './jobRunner.js';

export default async function runTask(task: WorkerTask): Promise<unknown> {
  const { result, transfer } = await runJob(task, load);
  return transfer.length > 0 ? move({ [transferableSymbol]: transfer, [valueSymbol]: result as object }) : result;
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
