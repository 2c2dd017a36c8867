// VolumeDataPageAccessor: page-level reads and writes of one layer, with at most `maxPages`
// pages held (least recently used released pages are evicted, and written back if dirty).
import { lastValueFrom } from 'rxjs';
import { AccessMode, VDSProduceStatus, VolumeDataMapping } from '../model/enums.js';
import { CanceledError, InvalidArgumentError, InvalidOperationError, NotFoundError } from '../model/errors.js';
import type { VolumeDataLayer } from '../model/geometry/layers.js';
import { type Index6, VolumeDataPartition } from '../model/geometry/partition.js';
import { LODPyramid } from '../engine/lodPyramid.js';
import { channelValuesOf } from '../engine/layerReader.js';
import { bytesOf, formatByteSize, typedView } from '../model/formats.js';
import type { VolumeDataLayout } from '../model/layout/volumeDataLayout.js';
import { VolumeDataPage } from './page.js';
import { checkAllocation, checkMetadataPageCount, fillIndex6, type Index6Out, integerArgument, type MethodParameters, minMaxResult,
  resolveArguments, signalArgument } from './requestArguments.js';
import { readBox } from './boxRead.js';
import type { VolumeDataChannelDescriptor } from '../model/layout/descriptors.js';
import type { VDS } from './vds.js';
import { chunkPool, decimateOn } from '../workers/pool.js';
import type { SignalOptions } from '../engine/datasetStore.js';
import { readChunk } from '../../operators/readChunks.js';
import { untilAborted } from '../../operators/untilAborted.js';
import { type ChunkWriteTarget, writeChunk } from '../../sinks/writeChunks.js';
import { constantBlock } from '../codecs/constantBlock.js';
import { UNKNOWN_HASH } from '../codecs/volumeDataHash.js';
import { payloadByteSize } from '../codecs/dataBlock.js';
import { VolumeDataFormat } from '../model/enums.js';

interface CachedPage {
  page?: VolumeDataPage;
  loading?: Promise<VolumeDataPage>;
  pins: number;
}

export class VolumeDataPageAccessor {
  readonly dimensionality: number;
  /** OpenVDS's reference count (`addReference`/`removeReference`): 1 when created. */
  private references = 1;
  private superPartition: VolumeDataPartition | undefined;
  private readonly cache = new Map<number, CachedPage>();
  private readonly writable: boolean;
  private readonly target: ChunkWriteTarget | undefined;
  /** LOD 1…n built from the LOD 0 pages written (Create and ReadWrite modes at LOD 0). */
  private readonly pyramid: LODPyramid | undefined;

  constructor(
    private readonly vds: VDS,
    readonly layer: VolumeDataLayer,
    private maxPages: number,
    readonly accessMode: AccessMode,
    chunkMetadataPageSize: number,
  ) {
    this.dimensionality = vds.layout.getDimensionality();
    this.writable = accessMode !== AccessMode.AccessMode_ReadOnly;
    const generatesLODs = accessMode === AccessMode.AccessMode_Create || accessMode === AccessMode.AccessMode_ReadWrite;
    if (this.writable && layer.lod > 0 && generatesLODs) {
      throw new InvalidArgumentError('AccessMode_Create and AccessMode_ReadWrite generate LODs from LOD 0; use the ...WithoutLODGeneration modes to write LOD > 0');
    }
    // Chunk 0 is the largest: every chunk has the brick plus both margins, clipped at the volume's end.
    checkAllocation(`A page of ${layer.name}`, payloadByteSize(layer.blockShape(0)));
    if (!this.writable) return;
    const creating = accessMode === AccessMode.AccessMode_Create || accessMode === AccessMode.AccessMode_CreateWithoutLODGeneration;
    const lodLayers = vds.layers.lodLayers(layer.dimensionsND, layer.channel);
    // Checked before any layer is produced, so a refusal leaves the dataset as it was.
    for (const produced of generatesLODs ? lodLayers : [layer]) {
      if (creating || !vds.layerStatusEntry(produced)?.chunkMetadata) checkMetadataPageCount(produced.name, produced.chunkCount, chunkMetadataPageSize);
    }
    this.target = this.writeTarget(layer, creating, chunkMetadataPageSize);
    if (generatesLODs && lodLayers.length > 1) {
      const targets = new Map(lodLayers.slice(1).map((l) => [l, this.writeTarget(l, creating, chunkMetadataPageSize)]));
      this.pyramid = new LODPyramid(lodLayers, (lodLayer, chunk, payload) => void this.enqueueWrite(targets.get(lodLayer)!, chunk, payload),
        unwrittenPayload, decimateOn(chunkPool()));
    }
  }

  private writeTarget(layer: VolumeDataLayer, creating: boolean, pageSize: number): ChunkWriteTarget {
    const existing = this.vds.layerStatusEntry(layer);
    const entry = creating || !existing?.chunkMetadata ? this.vds.produceLayer(layer, pageSize, !creating) : existing;
    return { dataset: this.vds.dataset, layer, compressionMethod: entry.compressionMethod, compressionTolerance: entry.compressionTolerance, pool: chunkPool() };
  }

  getLayout(): VolumeDataLayout { return this.vds.layout; }
  getLOD(): number { return this.layer.lod; }
  getChannelIndex(): number { return this.layer.channel; }
  getChunkCount(): number { return this.layer.chunkCount; }
  getMaxPages(): number { return this.maxPages; }
  setMaxPages(maxPages: number): void {
    if (!Number.isInteger(maxPages) || maxPages < 1) throw new InvalidArgumentError(`maxPages must be a positive integer, got ${maxPages}`);
    this.maxPages = maxPages;
    this.evict();
  }

  getChannelDescriptor(): VolumeDataChannelDescriptor { return this.layer.channelDescriptor; }

  /** OpenVDS counts the holders of an accessor; rxvds frees it with the garbage collector, so the count is informational. */
  addReference(): number { return ++this.references; }
  removeReference(): number { return --this.references; }

  /**
   * Samples per dimension of this layer, at LOD 0 resolution (6 entries, 1 past the dimensionality,
   * as in the reference): returned, or written into the caller's array.
   */
  getNumSamples(): number[];
  getNumSamples(numSamples: Index6Out): void;
  getNumSamples(numSamples?: Index6Out): number[] | void {
    const all = this.layer.partition.numSamples;
    if (numSamples === undefined) return [...all];
    fillIndex6(numSamples, all, 'numSamples');
  }

  /** The chunk's voxel range with margins (6 entries each, [0, 1) past the dimensionality): returned, or written into `min` and `max`. */
  getChunkMinMax(chunkIndex: number): [number[], number[]];
  getChunkMinMax(chunkIndex: number, min: Index6Out, max: Index6Out): void;
  getChunkMinMax(chunkIndex: number, min?: Index6Out, max?: Index6Out): [number[], number[]] | void {
    return this.chunkExtent(chunkIndex, true, min, max);
  }

  getChunkMinMaxExcludingMargin(chunkIndex: number): [number[], number[]];
  getChunkMinMaxExcludingMargin(chunkIndex: number, minExcludingMargin: Index6Out, maxExcludingMargin: Index6Out): void;
  getChunkMinMaxExcludingMargin(chunkIndex: number, min?: Index6Out, max?: Index6Out): [number[], number[]] | void {
    return this.chunkExtent(chunkIndex, false, min, max);
  }

  private chunkExtent(chunkIndex: number, includeMargin: boolean, minOut?: Index6Out, maxOut?: Index6Out): [number[], number[]] | void {
    const { min, max } = this.layer.partition.chunkMinMax(this.checkedChunk(chunkIndex), includeMargin);
    return minMaxResult(min, max, minOut, maxOut);
  }

  getChunkIndex(position: readonly number[]): number {
    for (let d = 0; d < this.dimensionality; d++) {
      const v = position[d];
      if (v === undefined || !Number.isInteger(v) || v < 0 || v >= this.layer.partition.numSamples[d]!) {
        throw new InvalidArgumentError(`Position ${JSON.stringify(position)} is outside the volume in dimension ${d}`);
      }
    }
    return this.layer.partition.chunkIndexOfVoxel(position);
  }

  /**
   * The chunk's VolumeDataHash (0 = never written or unknown; see `isConstantHash`). Async: it may
   * need a metadata page. Like OpenVDS, only a Normal layer's hashes are read, and a missing chunk
   * object leaves the hash unknown.
   */
  async getChunkVolumeDataHash(chunkIndex: number): Promise<bigint> {
    this.checkedChunk(chunkIndex);
    this.vds.assertOpen();
    if (this.vds.layerProduceStatus(this.layer) !== VDSProduceStatus.Normal) return UNKNOWN_HASH;
    try {
      return (await this.vds.reader(this.layer).chunkMetadata(chunkIndex)).hash;
    } catch (error) {
      // OpenVDS ignores the read error of a hash, leaving it unknown: a layer nobody wrote has no chunk objects.
      if (error instanceof NotFoundError) return UNKNOWN_HASH;
      throw error;
    }
  }

  /**
   * The chunk of this layer made with chunk `primaryChannelChunkIndex` of channel 0: the same for
   * channels without a mapping; for a PerTrace channel, whose chunks span dimension 0 in one, the
   * chunk over the same traces (as OpenVDS's trace mapping counts them).
   */
  getMappedChunkIndex(primaryChannelChunkIndex: number): number {
    const primary = this.primaryLayer();
    const chunk = integerArgument(primaryChannelChunkIndex, 'primaryChannelChunkIndex', 0, primary.chunkCount - 1);
    return primary === this.layer ? chunk : Math.floor(chunk / primary.partition.chunksInDimension[0]);
  }

  /** The chunk of channel 0 representative of this layer's chunk `chunkIndex` (the first one it maps from). */
  getPrimaryChannelChunkIndex(chunkIndex: number): number {
    const primary = this.primaryLayer();
    const chunk = this.checkedChunk(chunkIndex);
    return primary === this.layer ? chunk : chunk * primary.partition.chunksInDimension[0];
  }

  /**
   * Super-chunks as OpenVDS computes them: the partition whose bricks are, per dimension, the larger
   * of this layer's and those of the layer it is remapped from (itself when produced). Iterating
   * super-chunks, then their chunks, reads each source chunk once.
   */
  getSuperChunkCount(): number { return this.superChunks().chunkCount; }
  get superChunkCount(): number { return this.getSuperChunkCount(); }

  /** This layer's chunks inside super-chunk `superChunk`, dimension 0 fastest. */
  getChunkIndicesInSuperChunk(superChunk: number): number[] {
    const supers = this.superChunks();
    integerArgument(superChunk, 'superChunkIndex', 0, supers.chunkCount - 1);
    const p = this.layer.partition;
    const { min, max } = supers.chunkMinMax(superChunk, false);
    const superIndices = supers.chunkIndexToIndexArray(superChunk);
    const ranges = [0, 1, 2, 3, 4, 5].map((d) => {
      const last = superIndices[d] === supers.chunksInDimension[d]! - 1;
      return [p.voxelToIndex(min[d]!, d), last ? p.chunksInDimension[d]! - 1 : p.voxelToIndex(max[d]!, d) - 1] as const;
    });
    const chunks: number[] = [];
    const index = ranges.map(([lo]) => lo);
    for (;;) {
      chunks.push(p.indexArrayToChunkIndex(index));
      let d = 0;
      while (d < 6 && index[d] === ranges[d]![1]) index[d] = ranges[d++]![0];
      if (d === 6) return chunks;
      index[d]!++;
    }
  }

  private superChunks(): VolumeDataPartition {
    if (this.superPartition) return this.superPartition;
    const own = this.layer.partition;
    const status = this.vds.layerProduceStatus(this.layer);
    const source = (status === VDSProduceStatus.Remapped ? this.vds.remapSource(this.layer)?.partition : undefined) ?? own;
    const dims = [0, 1, 2, 3, 4, 5];
    this.superPartition = new VolumeDataPartition({
      lod: own.lod,
      numSamples: own.numSamples,
      chunkedDimensions: dims.filter((d) => own.isDimensionChunked(d) || source.isDimensionChunked(d)),
      brickSize: dims.map((d) => Math.max(own.brickSize[d]!, source.brickSize[d]!)) as Index6,
      negativeMargin: own.negativeMargin,
      positiveMargin: own.positiveMargin,
      decimatedDimensions: dims.filter((d) => own.isDimensionLODDecimated(d)),
    });
    return this.superPartition;
  }

  /** Channel 0's layer of this accessor's dimension group and LOD (this one for channel 0). */
  private primaryLayer(): VolumeDataLayer {
    if (this.layer.channelDescriptor.mapping !== VolumeDataMapping.PerTrace) return this.layer;
    return this.vds.layers.get(this.layer.dimensionsND, this.layer.lod, 0)!;
  }

  /** Copies a chunk of another accessor over the same layout geometry into a new page of this one. */
  async copyPage(chunkIndex: number, source: VolumeDataPageAccessor): Promise<void> {
    this.assertWritable();
    if (source.getChunkCount() !== this.getChunkCount() || source.layer.channelDescriptor.format !== this.layer.channelDescriptor.format) {
      throw new InvalidArgumentError('copyPage needs a source accessor with the same chunks and format');
    }
    const from = await source.readPage(chunkIndex);
    try {
      const page = this.createPage(chunkIndex);
      bytesOf(page.getWritableBuffer()).set(bytesOf(from.getBuffer()));
      await page.release();
    } finally {
      await from.release();
    }
  }

  /**
   * A new page for `chunkIndex`, to be written (its old contents are not read). Like OpenVDS's
   * CreatePage it starts as a never-written chunk reads: the no-value if the channel uses one, else 0.
   */
  createPage(chunkIndex: number): VolumeDataPage {
    this.assertWritable();
    this.checkedChunk(chunkIndex);
    const cached = this.cache.get(chunkIndex);
    if (cached?.loading) throw new InvalidOperationError(`Chunk ${chunkIndex} is being read; await readPage instead`);
    const format = this.layer.channelDescriptor.format;
    const page = this.newPage(chunkIndex, unwrittenPayload(this.layer, chunkIndex), format);
    this.touch(chunkIndex, { page, pins: (cached?.pins ?? 0) + 1 });
    this.evict();
    return page;
  }

  /**
   * The page holding `chunkIndex`, in the stored format: read from the store (or the cache), or,
   * for a Remapped layer, assembled from the layer it is remapped from.
   */
  readPage(chunkIndex: number): Promise<VolumeDataPage> {
    this.checkedChunk(chunkIndex);
    this.vds.assertOpen();
    // A layer nobody wrote has no chunks to read (OpenVDS refuses Unavailable layers).
    const status = this.vds.layerProduceStatus(this.layer);
    if (!this.writable && status === VDSProduceStatus.Unavailable) {
      throw new InvalidOperationError(`${this.layer.name} is Unavailable: nothing was written to it and no produced layer ` +
        'can serve it, so it has no pages (check getVDSProduceStatus)');
    }
    const cached = this.cache.get(chunkIndex);
    if (cached) {
      cached.pins++;
      this.touch(chunkIndex, cached);
      return cached.page ? Promise.resolve(cached.page) : cached.loading!;
    }
    const entry: CachedPage = { pins: 1 };
    entry.loading = this.loadPage(chunkIndex).then((page) => {
      entry.page = page;
      entry.loading = undefined;
      this.evict();
      return page;
    }, (error: unknown) => {
      this.cache.delete(chunkIndex);
      throw error;
    });
    this.touch(chunkIndex, entry);
    return entry.loading;
  }

  /**
   * Writes every dirty page, finishes the LODs above, and waits until the dataset's chunk writes are
   * stored; rejects with the first write that failed since the last commit. Aborting `signal` stops
   * the writes not done yet (queued encodes are dropped, uploads stopped) and rejects with
   * CanceledError once none is running: each chunk is then old or new, and the dataset readable.
   */
  async commit(options?: SignalOptions): Promise<void> {
    const signal = writeSignal(COMMIT, options);
    this.vds.assertOpen();
    for (const [chunkIndex, cached] of this.cache) {
      const page = cached.page;
      if (page?.isDirty && !signal?.aborted) {
        page.isDirty = false;
        // No signal of its own: an abort cancels every pending write through the drain below. A write
        // cancelled so leaves its page dirty again, and the next commit writes it.
        this.writeLOD0Page(chunkIndex, bytesOf(page.getBuffer()).slice()).catch((error: unknown) => {
          if (error instanceof CanceledError && this.cache.get(chunkIndex)?.page === page) page.isDirty = true;
        });
      }
    }
    const rewriting = this.accessMode === AccessMode.AccessMode_ReadWrite;
    let unfinished: unknown;
    try {
      await this.pyramid?.finish((layer, chunk, readSignal) => this.readStoredPayload(layer, chunk, readSignal), rewriting, signal);
    } catch (error) {
      unfinished = error;
    }
    // After a failed or aborted finish too: a commit returns only once nothing it started still runs.
    await this.vds.chunkWriter.drain({ signal });
    if (unfinished !== undefined) throw unfinished;
  }

  assertWritable(): void {
    if (!this.writable) throw new InvalidOperationError('This VolumeDataPageAccessor is read-only (AccessMode_ReadOnly)');
    this.vds.assertOpen();
  }

  /** See VolumeDataPage.release. */
  async releasePage(page: VolumeDataPage, options?: SignalOptions): Promise<void> {
    const signal = writeSignal(RELEASE, options);
    const cached = this.cache.get(page.chunkIndex);
    if (cached?.page === page && cached.pins > 0) cached.pins--;
    this.evict(signal);
    await this.vds.chunkWriter.room({ signal });
  }

  /** The page at a voxel position (the chunk whose interior holds it). */
  readPageAtPosition(position: readonly number[]): Promise<VolumeDataPage> {
    return this.readPage(this.getChunkIndex(position));
  }

  private async loadPage(chunkIndex: number): Promise<VolumeDataPage> {
    const source = !this.writable && this.vds.layerProduceStatus(this.layer) === VDSProduceStatus.Remapped
      ? this.vds.remapSource(this.layer) : undefined;
    const bytes = source
      ? await this.readRemappedPayload(source, chunkIndex)
      : await this.readStoredPayload(this.layer, chunkIndex);
    return this.newPage(chunkIndex, bytes, this.layer.channelDescriptor.format);
  }

  /**
   * A chunk as stored (decoded to the channel format, margins included), after any write of it in
   * flight: read as requests read chunks (shared decodes, the chunk cache), into bytes of its own.
   */
  private async readStoredPayload(layer: VolumeDataLayer, chunkIndex: number, signal?: AbortSignal): Promise<Uint8Array> {
    await this.vds.chunkWriter.written(layer, chunkIndex);
    const read = readChunk(this.vds.reader(layer), chunkIndex, { format: layer.channelDescriptor.format }, this.vds.chunkCache);
    // A page is written to: what the cache keeps, or another reader of the same decode holds, must not change with it.
    return new Uint8Array((await lastValueFrom(read.pipe(untilAborted(signal)))).bytes);
  }

  /** A chunk of this Remapped layer (margins included) read as a voxel box of `source`. */
  private readRemappedPayload(source: VolumeDataLayer, chunkIndex: number): Promise<Uint8Array> {
    const { min, max } = this.layer.partition.chunkMinMax(chunkIndex, true);
    return readBox(this.vds, source, min, max, this.layer.channelDescriptor.format);
  }

  private newPage(chunkIndex: number, bytes: Uint8Array, format: VolumeDataFormat): VolumeDataPage {
    const p = this.layer.partition;
    const withMargin = p.chunkMinMax(chunkIndex, true);
    const interior = p.chunkMinMax(chunkIndex, false);
    const aligned = bytes.byteOffset % Math.max(1, formatByteSize(format)) === 0 ? bytes : bytes.slice();
    const buffer = typedView(format, aligned.buffer, aligned.byteOffset, aligned.byteLength);
    return new VolumeDataPage(this, chunkIndex, withMargin.min, withMargin.max, interior.min, interior.max,
      p.chunkVoxelSize(chunkIndex) as Index6, buffer);
  }

  private touch(chunkIndex: number, entry: CachedPage): void {
    this.cache.delete(chunkIndex);
    this.cache.set(chunkIndex, entry);
  }

  /** Drops least recently used, unpinned pages beyond `maxPages`, writing dirty ones back (with `signal`, if given). */
  private evict(signal?: AbortSignal): void {
    for (const [chunkIndex, cached] of this.cache) {
      if (this.cache.size <= this.maxPages) return;
      if (cached.pins > 0 || !cached.page) continue;
      this.cache.delete(chunkIndex);
      if (cached.page.isDirty) void this.writeLOD0Page(chunkIndex, bytesOf(cached.page.detachBuffer()), signal);
    }
  }

  /** Writes a page of this accessor's layer, first decimating it into the LODs above. */
  private writeLOD0Page(chunkIndex: number, payload: Uint8Array, signal?: AbortSignal): Promise<void> {
    return this.enqueueWrite(this.target!, chunkIndex, this.pyramid?.addLOD0Chunk(chunkIndex, payload) ?? payload, signal);
  }

  /** Queues a chunk write on the dataset's writer; its failure is reported by `commit` (or the dataset's flush). */
  private enqueueWrite(target: ChunkWriteTarget, chunkIndex: number, payload: Uint8Array | Promise<Uint8Array>, signal?: AbortSignal): Promise<void> {
    return this.vds.chunkWriter.write(target.layer, chunkIndex,
      async (writeSignal) => writeChunk({ target, chunkIndex, payload: await payload }, { signal: writeSignal }),
      { signal, after: payload instanceof Promise ? payload : undefined });
  }

  private checkedChunk(chunkIndex: number): number {
    if (!Number.isInteger(chunkIndex) || chunkIndex < 0 || chunkIndex >= this.layer.chunkCount) {
      throw new InvalidArgumentError(`Chunk index ${chunkIndex} is outside 0…${this.layer.chunkCount - 1} of ${this.layer.name}`);
    }
    return chunkIndex;
  }
}

const COMMIT: MethodParameters = { method: 'commit', parameters: [], optionsOnly: ['signal'] };
const RELEASE: MethodParameters = { method: 'release', parameters: [], optionsOnly: ['signal'] };

/** The `{ signal }` a write method takes, checked. */
function writeSignal(method: MethodParameters, options: unknown): AbortSignal | undefined {
  return signalArgument(resolveArguments<SignalOptions>(method, options === undefined ? [] : [options]).signal);
}

/** The payload (channel format, margins included) of a chunk whose hash says it was never written. */
function unwrittenPayload(layer: VolumeDataLayer, chunkIndex: number): Uint8Array {
  const format = layer.channelDescriptor.format;
  const options = { shape: layer.blockShape(chunkIndex), channel: channelValuesOf(layer), targetFormat: format };
  return constantBlock(UNKNOWN_HASH, options, layer.chunkVoxelCount(chunkIndex));
}
