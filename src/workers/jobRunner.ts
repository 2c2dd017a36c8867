// What a pool worker does with a task, on any platform: loads the module of the job's kind (once
// per worker), runs the job, and collects the buffers the job marked for moving back. A failure
// is thrown as an error record, so the main thread can rebuild its class and code. The worker
// entries (chunkWorker.ts under Piscina, webChunkWorker.ts in a Web Worker) only differ in how
// they load a module and post the reply.
import type { ChunkJob, ChunkJobHandler } from './chunkJobs.js';
import { errorMessage, InvalidArgumentError } from '../model/errors.js';
import { type ErrorRecord, toErrorRecord } from './errorTransport.js';

/** What the pool posts: the job, and the module its kind was registered with. */
export interface WorkerTask {
  module: string;
  job: ChunkJob;
}

/**
 * Loads the module of kind `warms` and runs nothing (ChunkPool.warm): what a worker would
 * otherwise do on its first job of that kind.
 */
export interface WarmJob {
  kind: 'warm';
  warms: string;
}

/**
 * Several tasks in one message (the pool batches jobs that wait while the workers are busy): they
 * run in order, and each settles on its own (BatchReply).
 */
export interface BatchJob {
  kind: 'batch';
  tasks: WorkerTask[];
}

/** One entry per task of a BatchJob: its result, or the record of its error. */
export type BatchReply = ({ result: unknown } | { error: ErrorRecord })[];

/** A job's result and the buffers of it to move rather than copy. */
export interface JobOutcome {
  result: unknown;
  transfer: ArrayBuffer[];
}

/** Imports a job module: `kind` is the job kind it was registered for. */
export type LoadJobModule = (module: string, kind: string) => Promise<{ default?: unknown }>;

const handlers = new Map<string, Promise<ChunkJobHandler>>();

export async function runJob({ module, job }: WorkerTask, load: LoadJobModule): Promise<JobOutcome> {
  if (job.kind === 'batch') return runBatch(job as BatchJob, load);
  const transfer: ArrayBuffer[] = [];
  try {
    const warms = job.kind === 'warm' ? (job as WarmJob).warms : undefined;
    const handler = await handlerOf(module, warms ?? job.kind, load);
    if (warms !== undefined) return { result: undefined, transfer };
    const result = await handler(job, (buffer) => { transfer.push(buffer); });
    return { result, transfer };
  } catch (error) {
    throw toErrorRecord(error);
  }
}

async function runBatch({ tasks }: BatchJob, load: LoadJobModule): Promise<JobOutcome> {
  const replies: BatchReply = [];
  const transfer: ArrayBuffer[] = [];
  for (const task of tasks) {
    try {
      const outcome = await runJob(task, load);
      replies.push({ result: outcome.result });
      transfer.push(...outcome.transfer);
    } catch (record) {
      replies.push({ error: record as ErrorRecord });
    }
  }
  return { result: replies, transfer };
}

function handlerOf(module: string, kind: string, load: LoadJobModule): Promise<ChunkJobHandler> {
  let handler = handlers.get(module);
  if (!handler) {
    handler = load(module, kind).catch((error: unknown) => {
      throw new InvalidArgumentError(`Chunk job module ${module} (kind "${kind}") does not load: ${errorMessage(error)}`);
    }).then((loaded) => {
      if (typeof loaded.default !== 'function') throw new InvalidArgumentError(`Chunk job module ${module} (kind "${kind}") has no default export function`);
      return loaded.default as ChunkJobHandler;
    });
    // A module that failed to load is tried again by the next job rather than failing every later one.
    handler.catch(() => handlers.delete(module));
    handlers.set(module, handler);
  }
  return handler;
}
