// The built-in job kinds' handlers, imported up front by the bundled worker entries
// (bundledChunkWorker.ts in Node, webChunkWorker.ts in a browser): the bundle then holds them all
// in one file, where loading each from the URL its kind is registered with loads dozens of modules.
import decode from './decodeJob.js';
import decodeWavelet from './decodeWaveletJob.js';
import decimate from './decimateJob.js';
import encode from './encodeJob.js';

export const BUILT_IN_JOBS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ['decode', decode], ['decodeWavelet', decodeWavelet], ['encode', encode], ['decimate', decimate],
]);
