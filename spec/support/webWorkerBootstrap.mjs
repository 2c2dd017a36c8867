// Gives a Node worker thread a dedicated Web Worker's global addEventListener('message') and
// postMessage, then loads the worker script (TypeScript, through tsx) named in workerData.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
globalThis.addEventListener = (type, listener) => {
  if (type === 'message') parentPort.on('message', (data) => listener({ data }));
};
globalThis.postMessage = (message, transfer) => parentPort.postMessage(message, transfer);
await import(workerData.script);
