// The dataset layer the engine reads and writes through: OpenVDS's VolumeDataStore in rxvds's
// words. It sits between the request engine and the bytes, and owns everything about how a dataset
// is laid out in them: object keys, chunk-metadata pages, the `vdschunkmetadata` record, MIME types,
// LayerStatus (or, in a `.vds` file, its layer files and index pages). The engine speaks only in
// layers, chunk indices and ChunkMetadata; a missing object is a NotFoundError, never a status code.
// Two implementations: `sources/dataset/objectDataset.ts` over any key/value store, and
// `sources/dataset/vdsFileDataset.ts` over a single `.vds` file.
import type { CompressionMethod } from '../model/enums.js';
import type { VolumeDataLayer } from '../model/geometry/layers.js';
import type { LayerStatusEntry } from '../model/layout/layerStatus.js';
import type { VolumeDataLayout } from '../model/layout/volumeDataLayout.js';

/** What a dataset records about one chunk (format sheet 1.4, 3.7). */
export interface ChunkMetadata {
  /** VolumeDataHash: 0 = never written, all ones = no-value, `0x01010101` high word = constant. */
  hash: bigint;
  /** Full byte size of the chunk object: in wavelet pages, and for chunks of page-less layers. */
  serializedSize?: number;
  /** Wavelet layers only: prefix fractions per adaptive level. */
  adaptiveLevels?: Uint8Array;
}

/**
 * Where a chunk object's bytes lie in a local file: what a pool worker needs to read them itself,
 * so they never pass through the main thread.
 */
export interface FileExtent {
  path: string;
  /** Byte offset of the object in the file. */
  offset: number;
  /** The object's bytes (or the prefix to read); to the end of the file when absent. */
  length?: number;
}

export interface SignalOptions {
  signal?: AbortSignal;
}

export interface CreateOptions extends SignalOptions {
  deferred?: boolean;
}

export interface WriteChunkOptions extends SignalOptions {
  ifChanged?: boolean;
}

export interface ReadChunkOptions extends SignalOptions {
  /** The chunk's metadata, as `chunkMetadata` gave it (its size and adaptive levels decide what to fetch). */
  metadata: ChunkMetadata;
  /** Wavelet adaptive level to read at: a coarser level fetches only a prefix. BEST_QUALITY (-1) or absent: all of it. */
  adaptiveLevel?: number;
  /** Where the bytes may go: called with their size, returns a caller-owned buffer of that length (see ReadOptions.into). */
  into?: (size: number) => Uint8Array;
}

/** How a layer is produced by this dataset handle (OpenVDS's AddLayer). */
export interface LayerProduction {
  compressionMethod: CompressionMethod;
  compressionTolerance: number;
  chunkMetadataPageSize: number;
  /**
   * Rewriting in place (not AccessMode_Create): a layer that has chunks but no metadata pages keeps
   * its chunk objects, and its compression, so none is lost when its pages are first written.
   */
  keepChunks?: boolean;
}

export interface DatasetStore {
  /** A printable location, without credentials. */
  readonly description: string;

  /**
   * Reads the layout and the layer status, and checks that they fit together (`validateLayerStatus`:
   * a ReadError naming the member). NotFoundError when no dataset is there. Call once, first.
   */
  open(options?: SignalOptions): Promise<VolumeDataLayout>;
  /**
   * Starts a new dataset (replacing the layout of one that exists there): writes the layout and an
   * empty layer status. `deferred` writes nothing yet: the first `flush` writes the layer status,
   * then the layout, so the dataset opens only once everything it names is there (a copy).
   */
  create(layout: VolumeDataLayout, options?: CreateOptions): Promise<void>;

  /** The status of a produced layer, or undefined when the dataset has none for it. */
  layerStatus(layerName: string): LayerStatusEntry | undefined;
  /** Every produced layer's status. */
  layerStatuses(): readonly LayerStatusEntry[];

  /**
   * The chunk's metadata; hash 0 when it was never written. A chunk of a layer the layer status
   * does not list is a NotFoundError (OpenVDS's 404), never zeros.
   */
  chunkMetadata(layer: VolumeDataLayer, chunkIndex: number, options?: SignalOptions): Promise<ChunkMetadata>;
  /** The chunk's serialized bytes (the caller owns them). NotFoundError when the object is missing. */
  readChunk(layer: VolumeDataLayer, chunkIndex: number, options: ReadChunkOptions): Promise<Uint8Array>;

  /**
   * Where to read the chunk's bytes (at `options.adaptiveLevel`) straight from a local file, for
   * datasets whose storage is one (a folder, a `.vds` file); undefined when it must be read with
   * `readChunk`. The file may still turn out to be missing or short: the caller then reads it so.
   */
  chunkFile?(layer: VolumeDataLayer, chunkIndex: number, options: Omit<ReadChunkOptions, 'into'>): Promise<FileExtent | undefined>;
  /**
   * Whether chunkFile names local files: reading an uncompressed chunk again then costs a read
   * from the file system's cache, less than keeping it in a chunk cache does.
   */
  readonly localFiles?: boolean;

  /** Starts (or, for AccessMode_Create, restarts) producing a layer: it gets empty metadata and a layer status. */
  produceLayer(layer: VolumeDataLayer, production: LayerProduction): LayerStatusEntry;
  /**
   * Stores a serialized chunk (empty for constant chunks, whose hash says everything) with its
   * metadata, then records it: a reader never sees the record before the bytes. With `ifChanged`
   * a chunk the storage already holds exactly so (the same record, or where it keeps none the same
   * bytes) is only recorded, and the result is false: what resumes an interrupted copy.
   */
  writeChunk(layer: VolumeDataLayer, chunkIndex: number, serialized: Uint8Array, metadata: ChunkMetadata,
    uncompressedSize: number, options?: WriteChunkOptions): Promise<boolean>;
  /** Writes the layout again (its metadata changed). */
  writeLayout(layout: VolumeDataLayout, options?: SignalOptions): Promise<void>;
  /** Makes every recorded chunk durable and visible: metadata first, then the layer status. Chunk writes must have settled. */
  flush(options?: SignalOptions): Promise<void>;
  /** Releases connections and files; what was not flushed is dropped. */
  close(): Promise<void>;
}
