// The threads a ChunkPool hands its jobs to: Piscina's worker threads in Node (threads.ts), Web
// Workers in a browser (threads.browser.ts, mapped by package.json "browser"). The pool keeps the
// queue, so cancelling a job that has not started never involves a thread.
import type { WorkerTask } from './jobRunner.js';

export interface PoolThreads {
  /**
   * Runs `task` on a thread, moving the `transfer` buffers there. Rejects with the job's error
   * record (errorTransport.ts), or with an Error when the thread itself failed.
   */
  run(task: WorkerTask, transfer: ArrayBuffer[]): Promise<unknown>;
  /** Stops the threads; jobs on them reject. A later `run` starts fresh ones. */
  destroy(): Promise<void>;
}
