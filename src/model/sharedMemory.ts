// Request buffers that pool workers can write into. Node always has SharedArrayBuffer; a browser
// has it only on a cross-origin isolated page (COOP + COEP headers). Without it a request's buffer
// is a plain ArrayBuffer, and its decoded chunks come back to the main thread by transfer instead
// of being copied in by the workers: slower, never wrong.

/** Whether this runtime can share memory with its workers. */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
}

/** `byteLength` zero bytes, shared with the workers where the runtime allows it. */
export function requestMemory(byteLength: number): ArrayBuffer | SharedArrayBuffer {
  return canShareMemory() ? new SharedArrayBuffer(byteLength) : new ArrayBuffer(byteLength);
}

/** Whether `buffer` is shared memory (false where the runtime has none). */
export function isSharedMemory(buffer: ArrayBufferLike): buffer is SharedArrayBuffer {
  return typeof SharedArrayBuffer === 'function' && buffer instanceof SharedArrayBuffer;
}
