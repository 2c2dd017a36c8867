// Web Worker entry: runs the tasks WebWorkerThreads posts, with jobRunner.ts, and moves the
// buffers the job marked back. The built-in job kinds are bundled in (a bundle has no module file
// per kind to import); a kind of one's own is imported from the URL it was registered with.
import { BUILT_IN_JOBS } from './builtInJobs.js';
import type { ErrorRecord } from './errorTransport.js';
import { type LoadJobModule, runJob } from './jobRunner.js';
import type { ReplyMessage, TaskMessage } from './webWorkerThreads.js';

/** The part of a dedicated worker's global scope this uses. */
interface WorkerScope {
  addEventListener(type: 'message', listener: (event: { data: TaskMessage }) => void): void;
  postMessage(message: ReplyMessage, transfer?: ArrayBuffer[]): void;
}

const scope = globalThis as unknown as WorkerScope;

const load: LoadJobModule = (module, kind) => {
  const handler = BUILT_IN_JOBS.get(kind);
  return handler ? Promise.resolve({ default: handler }) : import(/* @vite-ignore */ module) as Promise<{ default?: unknown }>;
};

scope.addEventListener('message', ({ data: { id, task } }) => {
  runJob(task, load).then(
    ({ result, transfer }) => scope.postMessage({ id, result }, transfer),
    (error: ErrorRecord) => scope.postMessage({ id, error }),
  );
});
