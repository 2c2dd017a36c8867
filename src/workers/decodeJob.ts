// The decode job: one chunk object decoded and converted to the target format in a worker, and,
// when the request's buffer is shared memory, its share of the request copied (or its samples
// interpolated) straight into it.
import type { DecodeOptions } from '../model/block.js';
import type { ChunkCopy } from '../engine/subsetPlan.js';
import { codecFor } from '../codecs/registry.js';
import { convertBlock } from '../model/convert.js';
import { type CompressionMethod, VolumeDataFormat } from '../model/enums.js';
import { copyBitBox, copyBox } from '../engine/boxCopy.js';
import { throughGate } from '../engine/deliveryGate.js';
import { formatByteSize } from '../model/formats.js';
import { type ChunkJobHandler, movable } from './chunkJobs.js';
import { deliverSamples, type SampleDelivery } from './sampleDelivery.js';

export interface DecodeJob {
  kind: 'decode';
  method: CompressionMethod;
  chunk: Uint8Array;
  options: DecodeOptions;
  /** Also copy the decoded chunk's share of a subset, or its interpolated samples, straight into a shared destination. */
  deliver?: Delivery | SampleDelivery;
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

/** Where a decoded chunk lands in a request buffer that workers can write (a SharedArrayBuffer). */
export interface Delivery {
  buffer: SharedArrayBuffer;
  byteOffset: number;
  byteLength: number;
  copy: ChunkCopy;
  outSize: readonly number[];
  /** Closed by the request when it ends: no copy may start after that. */
  gate: Int32Array;
}

/** Decodes, delivers, and moves back the block (if wanted) and the chunk's own buffer when the block does not live in it. */
const decode: ChunkJobHandler<DecodeJob, DecodeReply> = (job, transfer) => {
  const decoded = codecFor(job.method).decode(job.chunk, job.options);
  const block = decoded.converted ? decoded.bytes : convertBlock(decoded, job.options);
  const deliver = job.deliver;
  if (deliver) {
    throughGate(deliver.gate, () => ('sampling' in deliver ? deliverSamples(block, deliver)
      : deliverChunk(block, deliver, job.options.targetFormat, job.options.shape.components)));
  }
  const input = job.chunk.buffer as ArrayBuffer;
  const bytes = job.returnBytes === false && deliver ? undefined : movable(block, job.chunk);
  const reply: DecodeReply = { bytes, spent: bytes?.buffer === input ? undefined : input };
  if (bytes) transfer(bytes.buffer as ArrayBuffer);
  if (reply.spent) transfer(reply.spent);
  return reply;
};
export default decode;

/** Copies a decoded chunk's share of a subset into the destination (format sheet 5.2). */
function deliverChunk(bytes: Uint8Array, delivery: Delivery, format: VolumeDataFormat, components: number): void {
  const { copy, outSize } = delivery;
  const out = new Uint8Array(delivery.buffer, delivery.byteOffset, delivery.byteLength);
  if (format === VolumeDataFormat.Format_1Bit) {
    copyBitBox({ bytes, size: copy.chunkSize, rowBits: Math.ceil(copy.chunkSize[0] / 8) * 8 }, copy.chunkStart,
      { bytes: out, size: outSize, rowBits: outSize[0]! }, copy.outStart, copy.count);
  } else {
    copyBox({ bytes, size: copy.chunkSize }, copy.chunkStart, { bytes: out, size: outSize }, copy.outStart, copy.count,
      formatByteSize(format) * components);
  }
}
