// Decoded chunks shared between requests: recently decoded chunks are kept (LRU, bounded in
// bytes), and a chunk being decoded to be kept is fetched and decoded once for every request
// that wants it meanwhile. By default a chunk is kept the second time it is wanted: keeping one
// costs fresh memory (page faults, a move to the main thread, garbage collection), which a chunk
// read once never repays. When every request that wants an in-flight chunk unsubscribes, its
// fetch and decode are cancelled.
import { finalize, type Observable, of, share, tap } from 'rxjs';

/**
 * A decoded chunk's bytes and, for the request whose decode made them, where a worker delivered
 * them; the bytes are absent when only that delivery was wanted (nothing keeps them).
 */
export interface CachedChunk {
  bytes?: Uint8Array;
  deliveredTo?: ArrayBufferLike;
}

/**
 * When a decoded chunk is kept: the second time it is wanted (for reads that mostly touch a
 * chunk once), or the first (a server whose clients ask for the same slices).
 */
export type CacheAdmission = 'first-use' | 'second-use';

/** Most chunks remembered as wanted once (keys only). */
const MAX_WANTED_ONCE = 1 << 16;

export class ChunkCache {
  private readonly inFlight = new Map<string, Observable<CachedChunk>>();
  private readonly done = new Map<string, Uint8Array>();
  /** Chunks wanted once and not kept (admission 'second-use'), oldest first. */
  private readonly wantedOnce = new Set<string>();
  private bytes = 0;

  constructor(private maxBytes: number, public admission: CacheAdmission = 'second-use') {}

  get cachedBytes(): number { return this.bytes; }

  /** Whether decoded chunks are kept at all (otherwise only work in flight is shared). */
  get keepsChunks(): boolean { return this.maxBytes > 0; }

  /** Whether `bytes` of decoded chunks fit in the cache together. */
  holds(bytes: number): boolean { return bytes <= this.maxBytes; }

  /** Changes the byte budget (0 disables keeping decoded chunks, and with it sharing their decodes). */
  setMaxBytes(maxBytes: number): void {
    this.maxBytes = maxBytes;
    this.evict();
  }

  /**
   * The decoded chunk for `key`: from the cache, from work already under way, or from
   * `decode(keep)`, where `keep` says whether its bytes will be kept (else they may stay with the
   * worker that delivered them); never kept unless `mayKeep`.
   */
  get(key: string, decode: (keep: boolean) => Observable<CachedChunk>, mayKeep = true): Observable<CachedChunk> {
    const hit = this.done.get(key);
    if (hit) {
      this.done.delete(key);
      this.done.set(key, hit);
      return of({ bytes: hit });
    }
    let shared = this.inFlight.get(key);
    if (!shared) {
      // Only a decode whose bytes are kept is shared: a read joining one that a worker delivered
      // straight into another read's buffer would get no bytes, and decode the chunk again.
      if (!(mayKeep && this.admits(key))) return decode(false);
      shared = decode(true).pipe(
        tap(({ bytes }) => { if (bytes) this.keep(key, bytes); }),
        finalize(() => this.inFlight.delete(key)),
        share({ resetOnError: true, resetOnComplete: true, resetOnRefCountZero: true }),
      );
      this.inFlight.set(key, shared);
    }
    return shared;
  }

  clear(): void {
    this.done.clear();
    this.wantedOnce.clear();
    this.bytes = 0;
  }

  private admits(key: string): boolean {
    if (!this.keepsChunks) return false;
    if (this.admission === 'first-use' || this.wantedOnce.delete(key)) return true;
    this.wantedOnce.add(key);
    if (this.wantedOnce.size > MAX_WANTED_ONCE) this.wantedOnce.delete(this.wantedOnce.values().next().value!);
    return false;
  }

  private keep(key: string, bytes: Uint8Array): void {
    if (bytes.byteLength > this.maxBytes) return;
    this.done.set(key, bytes);
    this.bytes += bytes.byteLength;
    this.evict();
  }

  private evict(): void {
    for (const [key, bytes] of this.done) {
      if (this.bytes <= this.maxBytes) return;
      this.done.delete(key);
      this.bytes -= bytes.byteLength;
    }
  }
}
