// The pool's threads in Node: Piscina's worker threads running chunkWorker.ts. A browser bundle
// gets threads.browser.ts instead (package.json "browser").
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { siblingModule } from './chunkJobs.js';
import type { WorkerTask } from './jobRunner.js';
import type { PoolThreads } from './poolThreads.js';

/** The worker entry: the build's one-file bundle (bundledChunkWorker.ts), else chunkWorker.ts itself (sources run through tsx). */
const workerFile = ((): URL => {
  const bundle = siblingModule('chunkWorker.bundle');
  return bundle.pathname.endsWith('.js') && existsSync(bundle) ? bundle : siblingModule('chunkWorker');
})();

/** Idle workers exit after this, so a process that stops reading can exit. */
const IDLE_TIMEOUT_MS = 2000;

/** Worker threads of the process-wide pool: RXVDS_WORKERS, or one per core. */
export function defaultWorkerCount(): number {
  const fromEnv = Number(process.env.RXVDS_WORKERS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.max(1, availableParallelism());
}

export function createThreads(workers: number): PoolThreads {
  return new PiscinaThreads(workers);
}

class PiscinaThreads implements PoolThreads {
  private piscina: Piscina | undefined;

  constructor(private readonly workers: number) {}

  run(task: WorkerTask, transfer: ArrayBuffer[]): Promise<unknown> {
    return this.threads().run(task, { transferList: transfer });
  }

  started(): number {
    return this.piscina?.threads.length ?? 0;
  }

  async destroy(): Promise<void> {
    const closing = this.piscina;
    this.piscina = undefined;
    await closing?.destroy();
  }

  private threads(): Piscina {
    if (!this.piscina) {
      // Two tasks per worker (the pool hands over two each): the next one waits in the worker's own
      // port, not for a round trip through the main thread after each reply.
      const created = new Piscina({
        filename: workerFile.href, minThreads: 0, maxThreads: this.workers, idleTimeout: IDLE_TIMEOUT_MS,
        concurrentTasksPerWorker: 2,
      });
      // A worker that fails to load would otherwise crash the process; its jobs reject, the next ones get a fresh pool.
      created.on('error', () => {
        if (this.piscina === created) this.piscina = undefined;
        void created.destroy();
      });
      this.piscina = created;
    }
    return this.piscina;
  }
}
