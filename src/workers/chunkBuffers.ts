// Buffers that chunk objects are read into on the main thread, moved to a worker with the decode
// job and moved back with its reply. Once warm, reading a chunk allocates no ArrayBuffer on the
// main thread: every fresh 1 MB buffer counts as external memory there and brings the next full
// garbage collection closer (GC was 46 % of the main thread's time in a whole-volume Zip read).

/** Capacities are rounded up to this, so objects of similar size share buffers. */
const GRAIN = 64 * 1024;

export class BufferPool {
  private readonly free: ArrayBuffer[] = [];
  private freeBytes = 0;
  private readonly issued = new WeakSet<ArrayBuffer>();

  constructor(private readonly maxBytes: number) {}

  /** A view of `size` bytes at the start of a buffer that nothing else references. */
  take(size: number): Uint8Array {
    // At most twice the size, so a small object does not pin a large buffer.
    const at = this.free.findIndex((buffer) => buffer.byteLength >= size && buffer.byteLength <= 2 * size + GRAIN);
    let buffer: ArrayBuffer;
    if (at >= 0) {
      buffer = this.free.splice(at, 1)[0]!;
      this.freeBytes -= buffer.byteLength;
    } else {
      buffer = new ArrayBuffer(Math.ceil(Math.max(size, 1) / GRAIN) * GRAIN);
    }
    this.issued.add(buffer);
    return new Uint8Array(buffer, 0, size);
  }

  /** Whether `buffer` came from `take`: its one view may be moved to a worker with the whole buffer. */
  issuedBuffer(buffer: ArrayBufferLike): boolean {
    return buffer instanceof ArrayBuffer && this.issued.has(buffer);
  }

  /** Takes back a buffer nothing references any more (a worker's spent chunk); the oldest go first when full. */
  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0 || buffer.byteLength > this.maxBytes) return;
    this.free.push(buffer);
    this.freeBytes += buffer.byteLength;
    while (this.freeBytes > this.maxBytes) this.freeBytes -= this.free.shift()!.byteLength;
  }
}

/** Enough for the chunks of two requests in flight (32 each, ChunksInFlight) of 1 MB objects. */
export const chunkBuffers = new BufferPool(64 * 1024 * 1024);

/** A view that owns its whole ArrayBuffer, so it can be moved to a worker without detaching anything else. */
export function ownedBytes(bytes: Uint8Array): Uint8Array {
  // A copy otherwise: `new Uint8Array`, since a Node Buffer's `slice` is a view of the same memory.
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
    ? bytes : new Uint8Array(bytes);
}
