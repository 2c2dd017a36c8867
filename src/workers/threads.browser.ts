// The pool's threads in a browser (package.json "browser" maps threads.ts here): Web Workers
// running webChunkWorker.js. The literal `new Worker(new URL(…, import.meta.url))` is the form
// bundlers (Vite, webpack, Parcel) recognise and bundle as a worker of its own; with esbuild,
// bundle `rxvds/worker` as webChunkWorker.js next to the page's bundle, or name its URL with
// setChunkWorkerUrl (exported by the browser entry).
import { chunkWorkerUrl } from './webWorkerScript.js';
import { WebWorkerThreads, type WorkerLike } from './webWorkerThreads.js';
import type { PoolThreads } from './poolThreads.js';
import type * as node from './threads.js';

// The DOM's Worker (this project compiles without the DOM library).
declare const Worker: new (script: URL, options: { type: 'module' }) => WorkerLike;

/** One worker per logical core the browser reports (4 when it does not say). */
export function defaultWorkerCount(): number {
  return Math.max(1, (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 4);
}

export function createThreads(workers: number): PoolThreads {
  return new WebWorkerThreads(workers, () => {
    const url = chunkWorkerUrl();
    return url ? new Worker(url, { type: 'module' }) : new Worker(new URL('./webChunkWorker.js', import.meta.url), { type: 'module' });
  });
}

({ defaultWorkerCount, createThreads }) satisfies typeof node;
