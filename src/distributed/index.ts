// Distributed jobs on a BullMQ (Redis) queue: the coordinator of a SEG-Y import and the worker.
// bullmq is an optional peer dependency, loaded when one of these runs.
export {
  importSegyDistributed, startImportSegyDistributed, importJobId, type DistributedImportOptions, type DistributedImportResult,
} from './importSegyDistributed.js';
export type { DistributedProgress, DistributedRun, FlowOptions } from './flow.js';
export { startWorker, type DistributedWorker, type WorkerOptions } from './worker.js';
export { copyDistributed, startCopyDistributed, type DistributedCopyOptions, type DistributedCopyResult } from './copyDistributed.js';
