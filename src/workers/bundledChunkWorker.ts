// What the build bundles into chunkWorker.bundle.js, the worker the built package starts: the
// Piscina entry with the built-in jobs in the same file. One file loads in a fraction of the time
// of the dozens of modules behind it; under tsx, threads.ts starts chunkWorker.ts instead, which
// loads each job's modules when first needed.
import { BUILT_IN_JOBS } from './builtInJobs.js';
import { workerTask } from './chunkWorker.js';

export default workerTask(BUILT_IN_JOBS);

// Piscina loads a worker's module with require() first, and Node 20's require() of an ES module can
// abort the whole process (an assertion in the facade it builds for the module) when the worker is
// terminated at that moment, as when a short command exits while its workers still start. require()
// refuses a module with a top-level await before building any facade, so Piscina imports it instead,
// which a termination merely interrupts. (It costs nothing measurable: two workers ready in 43–46 ms.)
await Promise.resolve();
