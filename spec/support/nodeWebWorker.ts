// A Node worker thread in the shape of a Web Worker, so WebWorkerThreads and webChunkWorker.ts
// run in Node's specs as they run in a browser: the worker gets the global addEventListener and
// postMessage a dedicated worker has (webWorkerBootstrap.mjs), the pool gets a WorkerLike.
import { Worker } from 'node:worker_threads';
import type { WorkerLike } from '../../src/workers/webWorkerThreads.js';

const bootstrap = new URL('./webWorkerBootstrap.mjs', import.meta.url);

/** A worker running `script` (a module URL; webChunkWorker.ts by default). */
export function nodeWebWorker(script: URL = new URL('../../src/workers/webChunkWorker.ts', import.meta.url)): WorkerLike {
  // No coverage from these threads: they compile the sources as ES modules, the pool's Piscina
  // threads as CommonJS, and c8 cannot merge two compilations of a file (checkCoverageData.mjs).
  const worker = new Worker(bootstrap, { workerData: { script: script.href }, env: { ...process.env, NODE_V8_COVERAGE: '' } });
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer),
    addEventListener: (type: 'message' | 'error' | 'messageerror', listener: (event: { data: unknown; message?: string }) => void) => {
      if (type === 'message') worker.on('message', (data: unknown) => listener({ data }));
      else worker.on(type, (error: Error) => listener({ data: undefined, message: error.message }));
    },
    terminate: () => void worker.terminate(),
  };
}
