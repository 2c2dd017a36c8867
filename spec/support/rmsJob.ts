// A chunk job of one's own, as a user would write it: the RMS of a chunk of R32 samples, ignoring
// the no-value. Registered by URL (spec/chunkJobs.spec.ts); the worker imports it on first use.
import type { ChunkJobHandler } from '../../src/index.js';

export interface RmsJob {
  kind: 'rms';
  samples: Float32Array;
  noValue?: number;
}

export interface RmsReply {
  rms: number;
  count: number;
  /** The samples, moved back. */
  samples: Float32Array;
}

const rms: ChunkJobHandler<RmsJob, RmsReply> = (job, transfer) => {
  if (!(job.samples instanceof Float32Array)) throw new TypeError('rms needs Float32Array samples');
  let sum = 0, count = 0;
  for (const v of job.samples) {
    if (v === job.noValue) continue;
    sum += v * v;
    count++;
  }
  transfer(job.samples.buffer as ArrayBuffer);
  return { rms: count ? Math.sqrt(sum / count) : 0, count, samples: job.samples };
};
export default rms;
