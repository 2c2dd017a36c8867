// A chunk transform of one's own, in plain JavaScript so that worker processes of the compiled CLI
// import it too: multiplies the samples of R32 chunks by `options.factor`; other chunks (the trace
// and header channels of a SEG-Y import) pass unchanged. Registered by URL (spec/copyTransform.spec.ts).
const FORMAT_R32 = 3;

/** @param {import('../../src/index.js').ChunkTransformJob<{ factor: number }>} job */
export default function scale(job, transfer) {
  if (job.shape.format !== FORMAT_R32) return job.bytes;
  const samples = new Float32Array(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength / 4);
  for (let i = 0; i < samples.length; i++) samples[i] *= job.options.factor;
  transfer(job.bytes.buffer);
  return job.bytes;
}
