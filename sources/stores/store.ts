// The one store interface every backend implements: keys are the OpenVDS object keys
// (`VolumeDataLayout`, `LayerStatus`, `<layer>/<chunk>`, `<layer>/ChunkMetadata/<page>`).

export interface ByteRange {
  /** First byte. */
  offset: number;
  /** Number of bytes; reads to the end of the object when omitted. */
  length?: number;
}

export interface ReadOptions {
  signal?: AbortSignal;
  /**
   * Where `get` may put the object: called with its size, returns a buffer of that length which
   * the caller owns (reused buffers, no allocation per object). Stores that learn the size before
   * reading use it; others ignore it.
   */
  into?: (size: number) => Uint8Array;
}

export interface WriteOptions {
  signal?: AbortSignal;
  contentType?: string;
  /** User metadata stored with the object (e.g. `vdschunkmetadata`); backends without it ignore it. */
  metadata?: Record<string, string>;
}

export interface ObjectInfo {
  size: number;
  metadata?: Record<string, string>;
}

export interface Store {
  /** The object's bytes (the caller owns them), or `undefined` when it does not exist. */
  get(key: string, options?: ReadOptions): Promise<Uint8Array | undefined>;
  /** Part of an object (for prefix reads of wavelet chunks); `undefined` when it does not exist. */
  getRange?(key: string, range: ByteRange, options?: ReadOptions): Promise<Uint8Array | undefined>;
  /** Size and user metadata, or `undefined` when it does not exist. */
  head(key: string, options?: ReadOptions): Promise<ObjectInfo | undefined>;
  /** Stores an object; once the promise resolves a reader sees all of it or nothing of it. */
  set(key: string, data: Uint8Array, options?: WriteOptions): Promise<void>;
  delete(key: string, options?: ReadOptions): Promise<void>;
  /** Keys under a prefix, in no particular order. */
  list(prefix?: string, options?: ReadOptions): AsyncIterable<string>;
  /** Releases connections and handles. */
  close?(): Promise<void>;
  /** A printable location, without credentials. */
  readonly description: string;
}
