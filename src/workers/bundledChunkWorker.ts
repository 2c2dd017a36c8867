// What the build bundles into chunkWorker.bundle.js, the worker the built package starts: the
// Piscina entry with the built-in jobs in the same file. One file loads in a fraction of the time
// of the dozens of modules behind it; under tsx, threads.ts starts chunkWorker.ts instead, which
// loads each job's modules when first needed.
import { BUILT_IN_JOBS } from './builtInJobs.js';
import { workerTask } from './chunkWorker.js';

export default workerTask(BUILT_IN_JOBS);
