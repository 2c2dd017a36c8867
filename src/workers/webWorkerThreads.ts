// The pool's threads as Web Workers (or anything shaped like one: the specs run this in Node over
// worker_threads). Each worker runs webChunkWorker.ts; a task is posted with an id and its reply
// comes back under that id. Workers start as jobs need them, up to the pool's size, and the
// least busy one takes the next job. Nothing here blocks: no Atomics.wait on the main thread.
import type { ErrorRecord } from './errorTransport.js';
import type { WorkerTask } from './jobRunner.js';
import type { PoolThreads } from './poolThreads.js';

/** What the pool needs of a Web Worker. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: { message?: string }) => void): void;
  terminate(): void;
}

/** A task as it is posted to a worker. */
export interface TaskMessage {
  id: number;
  task: WorkerTask;
}

/** A worker's reply: the job's result, or its error record. */
export type ReplyMessage = { id: number; result: unknown } | { id: number; error: ErrorRecord };

interface Thread {
  worker: WorkerLike;
  pending: Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>;
}

export class WebWorkerThreads implements PoolThreads {
  private readonly threads: Thread[] = [];
  private nextId = 0;

  constructor(private readonly size: number, private readonly spawn: () => WorkerLike) {}

  run(task: WorkerTask, transfer: ArrayBuffer[]): Promise<unknown> {
    const thread = this.pick();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      try {
        thread.worker.postMessage({ id, task } satisfies TaskMessage, transfer);
      } catch (error) {
        // A job that cannot be cloned (a function in it, a detached buffer) fails alone.
        thread.pending.delete(id);
        reject(error);
      }
    });
  }

  async destroy(): Promise<void> {
    for (const thread of [...this.threads]) this.drop(thread, new Error('The chunk pool was destroyed'));
  }

  /** The least busy worker, or a new one while all are busy and the pool has room. */
  private pick(): Thread {
    let best: Thread | undefined;
    for (const thread of this.threads) if (!best || thread.pending.size < best.pending.size) best = thread;
    return best && (best.pending.size === 0 || this.threads.length >= this.size) ? best : this.start();
  }

  private start(): Thread {
    const thread: Thread = { worker: this.spawn(), pending: new Map() };
    thread.worker.addEventListener('message', ({ data }) => {
      const reply = data as ReplyMessage;
      const job = thread.pending.get(reply.id);
      if (!job) return;
      thread.pending.delete(reply.id);
      if ('error' in reply) job.reject(reply.error);
      else job.resolve(reply.result);
    });
    // A worker that fails to load, or throws outside a job, is dropped with its jobs; the next job starts a fresh one.
    const fail = (event: { message?: string }) => this.drop(thread, new Error(`A chunk worker failed: ${event.message || 'it could not run its script'}`));
    thread.worker.addEventListener('error', fail);
    thread.worker.addEventListener('messageerror', fail);
    this.threads.push(thread);
    return thread;
  }

  private drop(thread: Thread, error: Error): void {
    const at = this.threads.indexOf(thread);
    if (at < 0) return;
    this.threads.splice(at, 1);
    thread.worker.terminate();
    for (const job of thread.pending.values()) job.reject(error);
    thread.pending.clear();
  }
}
