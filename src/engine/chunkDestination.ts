// What the read path hands on after decoding a chunk, and where it goes: a request's destination
// (a subset buffer, an interpolation result) owns "deliver a decoded chunk into me". A worker that
// decodes a chunk delivers it there itself when the destination gives it a delivery (shared
// memory); every other chunk reaches `receive` on the main thread, and the same code copies or
// samples it on either side.
import { InvalidOperationError } from '../model/errors.js';

export interface DecodedChunk {
  chunkIndex: number;
  /** The whole chunk (margins included) in the target format, dimension 0 fastest. */
  bytes: Uint8Array;
  /** Set when a worker already delivered the chunk into this destination buffer. */
  deliveredTo?: ArrayBufferLike;
}

/** A chunk a worker delivered into `deliveredTo` and whose bytes it kept (nothing else wanted them). */
export interface DeliveredChunk {
  chunkIndex: number;
  bytes?: undefined;
  deliveredTo: ArrayBufferLike;
}

export interface ChunkDestination<D> {
  /** The memory chunks are delivered into (what a DecodedChunk's `deliveredTo` names). */
  readonly buffer: ArrayBufferLike;
  /**
   * What a worker needs to deliver `chunkIndex` itself (plain data behind the destination's
   * gate), or undefined when only `receive` can (the buffer is not shared, or the chunk adds nothing).
   */
  deliveryFor(chunkIndex: number): D | undefined;
  /** Delivers a chunk on this thread, unless a worker already delivered it here. */
  receive(chunk: DecodedChunk | DeliveredChunk): void;
  /**
   * Refuses later worker deliveries. Undefined when none is under way; otherwise a promise of the
   * moment the last one ended. Never blocks.
   */
  close(): Promise<void> | undefined;
}

/** A chunk the read path hands only to the request it was delivered to, arriving anywhere else (a bug, never bad data). */
export function undeliveredChunkError(chunk: DeliveredChunk): Error {
  return new InvalidOperationError(`Chunk ${chunk.chunkIndex} arrived without its bytes and was not delivered here`);
}
