// Distributed jobs on a BullMQ (Redis) queue: the coordinator of a SEG-Y import and the worker.
// bullmq is an optional peer dependency, loaded when one of these runs.
export {
  importSegyDistributed, startImportSegyDistributed, importJobId, type DistributedImport, type DistributedImportOptions,
  type DistributedImportResult, type DistributedProgress,
} from './importSegyDistributed.js';
export { startWorker, type DistributedWorker, type WorkerOptions } from './worker.js';
