// Distributed work on a BullMQ (Redis) queue: the worker, and the coordinator of a distributed copy
// (the SEG-Y import's is in the segy namespace, next to importSegy). bullmq is an optional peer
// dependency, loaded when one of these runs.
export { startWorker, type DistributedWorker, type WorkerJobEvent, type WorkerOptions } from './worker.js';
export { copyDistributed, startCopyDistributed, type DistributedCopyOptions, type DistributedCopyResult } from './copyDistributed.js';
export type { DistributedProgress, DistributedRun, FlowOptions } from './flow.js';
