// A volume subset's destination buffer: the one owner of "copy a decoded chunk's share of a subset
// into the output" (format sheet 5.2). Workers copy with `copyShare` straight into a shared buffer
// as they decode (SubsetDelivery); the main thread copies the chunks they did not deliver here
// (cache hits, another request's decode, non-shared or 1Bit buffers) with the same function.
import { VolumeDataFormat } from '../model/enums.js';
import { formatByteSize } from '../model/formats.js';
import type { Index6 } from '../model/geometry/partition.js';
import { isSharedMemory } from '../model/sharedMemory.js';
import { copyBitBox, copyBox } from './boxCopy.js';
import { type ChunkDestination, type DecodedChunk, type DeliveredChunk, undeliveredChunkError } from './chunkDestination.js';
import { closeGate, createDeliveryGate } from './deliveryGate.js';
import type { ChunkCopy, SubsetPlan } from './subsetPlan.js';

/** Where one decoded chunk's share of a subset lands: plain data, so a worker can take it with the chunk's job. */
export interface SubsetDelivery {
  kind: 'subset';
  buffer: ArrayBufferLike;
  byteOffset: number;
  byteLength: number;
  copy: ChunkCopy;
  outSize: Index6;
  format: VolumeDataFormat;
  /** Components per voxel (the channel's; 1Bit has one). */
  components: number;
  /** Closed by the request when it ends: no worker copy may start after that. */
  gate: Int32Array;
}

/** Copies a decoded chunk (margins included, in the output format) into its share of the output. */
export function copyShare(bytes: Uint8Array, delivery: SubsetDelivery): void {
  const { copy, outSize, format } = delivery;
  const out = new Uint8Array(delivery.buffer, delivery.byteOffset, delivery.byteLength);
  if (format === VolumeDataFormat.Format_1Bit) {
    copyBitBox({ bytes, size: copy.chunkSize, rowBits: Math.ceil(copy.chunkSize[0] / 8) * 8 }, copy.chunkStart,
      { bytes: out, size: outSize, rowBits: outSize[0] }, copy.outStart, copy.count);
  } else {
    copyBox({ bytes, size: copy.chunkSize }, copy.chunkStart, { bytes: out, size: outSize }, copy.outStart, copy.count,
      formatByteSize(format) * delivery.components);
  }
}

export class SubsetDestination implements ChunkDestination<SubsetDelivery> {
  readonly buffer: ArrayBufferLike;
  private readonly gate = createDeliveryGate();
  /** Whether workers may copy into the buffer themselves. */
  private readonly shared: boolean;

  /** `out`: the subset's bytes (exactly its buffer size) in `format`. */
  constructor(private readonly plan: SubsetPlan, private readonly out: Uint8Array, private readonly format: VolumeDataFormat) {
    this.buffer = out.buffer;
    // Not 1Bit: neighbouring chunks share output bytes there, so only one thread may write them.
    this.shared = isSharedMemory(out.buffer) && format !== VolumeDataFormat.Format_1Bit;
  }

  deliveryFor(chunkIndex: number): SubsetDelivery | undefined {
    return this.shared ? this.share(chunkIndex) : undefined;
  }

  receive(chunk: DecodedChunk | DeliveredChunk): void {
    if (chunk.deliveredTo === this.buffer) return;
    if (!chunk.bytes) throw undeliveredChunkError(chunk);
    const delivery = this.share(chunk.chunkIndex);
    if (delivery) copyShare(chunk.bytes, delivery);
  }

  close(): Promise<void> | undefined {
    return closeGate(this.gate);
  }

  private share(chunkIndex: number): SubsetDelivery | undefined {
    const copy = this.plan.copies.get(chunkIndex);
    const { out } = this;
    return copy && { kind: 'subset', buffer: out.buffer, byteOffset: out.byteOffset, byteLength: out.byteLength, copy,
      outSize: this.plan.outSize, format: this.format, components: this.plan.layer.channelDescriptor.components, gate: this.gate };
  }
}
