// The decode job: one chunk object (given, or read here from its local file) decoded and converted
// to the target format in a worker, and, when the request's buffer is shared memory, its share of
// the request copied (or its samples interpolated) straight into it.
import type { DecodedBlock, DecodeOptions } from '../model/block.js';
import { chunkCodec } from '../codecs/registry.js';
import { type ChunkCodec, partOfBox, type PartToRead } from '../codecs/codec.js';
import { chunkBox } from '../engine/subsetPlan.js';
import { convertBlock } from '../model/convert.js';
import type { CompressionMethod } from '../model/enums.js';
import { throughGate } from '../engine/deliveryGate.js';
import { copyShare, type SubsetDelivery } from '../engine/subsetDestination.js';
import { type SampleDelivery, sampleShare } from '../engine/sampleDestination.js';
import { type ChunkJobHandler, movable } from './chunkJobs.js';
import type { FileExtent } from '../engine/datasetStore.js';
import { readChunkFile, releaseChunkFileBuffer } from './readChunkFile.js';

/** Where a worker delivers a decoded chunk itself: a subset's share of it, or the samples it serves. */
export type Delivery = SubsetDelivery | SampleDelivery;

export interface DecodeJob {
  /** decodeWavelet for wavelet methods (that job loads their codecs). */
  kind: 'decode' | 'decodeWavelet';
  method: CompressionMethod;
  /** The chunk object, moved here with its whole buffer; or */
  chunk?: Uint8Array;
  /** where to read it: the worker reads it itself. */
  file?: FileExtent;
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
  /** The chunk object's buffer, back for reuse when the reply's block does not live in it (a given chunk only). */
  spent?: ArrayBuffer;
  /** The job's file could not be read whole (see readChunkFile): nothing was decoded. */
  unread?: boolean;
}

/** Decodes (asynchronously where the codec can do it faster), delivers, and moves back the block (if wanted) and the chunk's own buffer when the block does not live in it. */
const decode: ChunkJobHandler<DecodeJob, DecodeReply> = (job, transfer) => {
  const codec = chunkCodec(job.method);
  const chunk = job.chunk ?? (job.file && readChunkFile(job.file, codec instanceof Promise ? undefined : partToRead(codec, job)));
  if (!chunk) return { unread: true };
  if (codec instanceof Promise) return codec.then((loaded) => decodeWith(loaded, job, chunk, transfer));
  return decodeWith(codec, job, chunk, transfer);
};

/**
 * A chunk only delivered into a subset needs just the part of its object the subset's box comes from,
 * where the codec can name it (None): an inline read touches 1/64 of each 64³ chunk file.
 */
function partToRead(codec: ChunkCodec, job: DecodeJob): PartToRead | undefined {
  const { part } = codec, deliver = job.deliver;
  if (!part || deliver?.kind !== 'subset' || job.returnBytes !== false) return undefined;
  return partOfBox(part, job.options, chunkBox(deliver.copy));
}

function decodeWith(codec: ChunkCodec, job: DecodeJob, chunk: Uint8Array, transfer: (buffer: ArrayBuffer) => void): DecodeReply | Promise<DecodeReply> {
  if (codec.decodeAsync) return codec.decodeAsync(chunk, job.options).then((decoded) => finish(job, chunk, decoded, transfer));
  // A block that is only delivered may live in the scratch buffer: a synchronous decode and its
  // delivery end before the next job of this worker starts.
  const options = job.deliver && job.returnBytes === false ? { ...job.options, into: intoScratch } : job.options;
  return finish(job, chunk, codec.decode(chunk, options), transfer);
}

/** This worker's buffer for blocks that never leave it. */
let scratch: Uint8Array | undefined;

function intoScratch(size: number): Uint8Array {
  if (!scratch || scratch.byteLength < size) scratch = new Uint8Array(size);
  return scratch.subarray(0, size);
}

function finish(job: DecodeJob, chunk: Uint8Array, decoded: DecodedBlock, transfer: (buffer: ArrayBuffer) => void): DecodeReply {
  const block = decoded.converted ? decoded.bytes : convertBlock(decoded, job.options);
  const deliver = job.deliver;
  if (deliver) {
    throughGate(deliver.gate, () => (deliver.kind === 'samples' ? sampleShare(block, deliver) : copyShare(block, deliver)));
  }
  const input = chunk.buffer as ArrayBuffer;
  const bytes = job.returnBytes === false && deliver ? undefined : movable(block, chunk);
  // A chunk read here stays in this worker's read buffer unless the block lives in it.
  const reply: DecodeReply = { bytes, spent: bytes?.buffer === input || !job.chunk ? undefined : input };
  if (bytes) {
    releaseChunkFileBuffer(bytes.buffer);
    transfer(bytes.buffer as ArrayBuffer);
  }
  if (reply.spent) transfer(reply.spent);
  return reply;
}
export default decode;
