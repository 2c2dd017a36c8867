// The decimate job: LOD generation's per-chunk step (format sheet 5.7) in a worker. Both blocks
// are moved there and back, so the main thread only moves buffers while the pyramid grows.
import { type Decimation, downsampleRegion } from '../engine/lodDownsample.js';
import type { ChunkJobHandler } from './chunkJobs.js';

export interface DecimateJob extends Decimation {
  kind: 'decimate';
}

/** Both blocks, back: the parent with the child's region written into it, the child unchanged. */
export interface DecimateReply {
  parent: Uint8Array;
  child: Uint8Array;
}

const decimate: ChunkJobHandler<DecimateJob, DecimateReply> = (job, transfer) => {
  downsampleRegion(job);
  transfer(job.parent.bytes.buffer as ArrayBuffer);
  transfer(job.child.bytes.buffer as ArrayBuffer);
  return { parent: job.parent.bytes, child: job.child.bytes };
};
export default decimate;
