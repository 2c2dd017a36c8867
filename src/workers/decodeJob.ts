// The decode job: one chunk object decoded and converted to the target format in a worker, and,
// when the request's buffer is shared memory, its share of the request copied (or its samples
// interpolated) straight into it.
import type { DecodedBlock, DecodeOptions } from '../model/block.js';
import { chunkCodec } from '../codecs/registry.js';
import { convertBlock } from '../model/convert.js';
import type { CompressionMethod } from '../model/enums.js';
import { throughGate } from '../engine/deliveryGate.js';
import { copyShare, type SubsetDelivery } from '../engine/subsetDestination.js';
import { type SampleDelivery, sampleShare } from '../engine/sampleDestination.js';
import { type ChunkJobHandler, movable } from './chunkJobs.js';

/** Where a worker delivers a decoded chunk itself: a subset's share of it, or the samples it serves. */
export type Delivery = SubsetDelivery | SampleDelivery;

export interface DecodeJob {
  kind: 'decode';
  method: CompressionMethod;
  chunk: Uint8Array;
  options: DecodeOptions;
  /** Also deliver the decoded chunk straight into its request's shared destination (behind the destination's gate). */
  deliver?: Delivery;
  /** False when the caller needs only the delivery: the decoded block then stays in the worker. */
  returnBytes?: boolean;
}

/** A decode job's reply. */
export interface DecodeReply {
  /** The block in the target format, unless the job said not to return it. */
  bytes?: Uint8Array;
  /** The chunk object's buffer, back for reuse when the reply's block does not live in it. */
  spent?: ArrayBuffer;
}

/** Decodes (asynchronously where the codec can do it faster), delivers, and moves back the block (if wanted) and the chunk's own buffer when the block does not live in it. */
const decode: ChunkJobHandler<DecodeJob, DecodeReply> = (job, transfer) => {
  const codec = chunkCodec(job.method);
  return codec.decodeAsync ? codec.decodeAsync(job.chunk, job.options).then((decoded) => finish(job, decoded, transfer))
    : finish(job, codec.decode(job.chunk, job.options), transfer);
};

function finish(job: DecodeJob, decoded: DecodedBlock, transfer: (buffer: ArrayBuffer) => void): DecodeReply {
  const block = decoded.converted ? decoded.bytes : convertBlock(decoded, job.options);
  const deliver = job.deliver;
  if (deliver) {
    throughGate(deliver.gate, () => (deliver.kind === 'samples' ? sampleShare(block, deliver) : copyShare(block, deliver)));
  }
  const input = job.chunk.buffer as ArrayBuffer;
  const bytes = job.returnBytes === false && deliver ? undefined : movable(block, job.chunk);
  const reply: DecodeReply = { bytes, spent: bytes?.buffer === input ? undefined : input };
  if (bytes) transfer(bytes.buffer as ArrayBuffer);
  if (reply.spent) transfer(reply.spent);
  return reply;
}
export default decode;
