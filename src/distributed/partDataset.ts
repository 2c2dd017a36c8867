// The dataset layer of one part of a distributed job, and the publication that ends the job.
// A part writes its chunk objects into the shared store, as any writer does, but publishes
// nothing: no layout, no LayerStatus, no chunk-metadata page. Instead it keeps a record of every
// chunk it wrote (hash, sizes) and hands the records back as its job's result. The final job alone
// writes the pages from the records of all parts, then LayerStatus, then the layout: no two
// processes ever write one metadata page, and the dataset opens only once every part is in.
// A part run again (a retry after its worker died) writes the same chunk objects again and hands
// back fresh records; only the records of the run that completed are published.
import type { ChunkMetadata, CreateOptions, DatasetStore, LayerProduction, ReadChunkOptions, SignalOptions, WriteChunkOptions } from '../engine/datasetStore.js';
import { decodeBase64, encodeBase64 } from '../model/base64.js';
import { InvalidOperationError, ReadError } from '../model/errors.js';
import type { VolumeDataLayer } from '../model/geometry/layers.js';
import type { LayerStatusEntry } from '../model/layout/layerStatus.js';
import { layersOf, type VolumeDataLayout } from '../model/layout/volumeDataLayout.js';
import { ObjectDataset } from '../../sources/dataset/objectDataset.js';
import type { Store } from '../../sources/stores/store.js';

/** One written chunk, as JSON (hashes are 64-bit: hexadecimal text). */
export interface ChunkRecord {
  readonly layer: string;
  readonly chunk: number;
  readonly hash: string;
  readonly size: number;
  readonly uncompressed: number;
  /** Wavelet layers: the adaptive levels, base64. */
  readonly levels?: string;
}

export interface LayerRecord extends LayerProduction {
  readonly layer: string;
}

/** What a part hands back: the layers it produced and the chunks it wrote. */
export interface PartChunks {
  readonly layers: readonly LayerRecord[];
  readonly chunks: readonly ChunkRecord[];
}

export class PartDataset implements DatasetStore {
  readonly description: string;
  /** Writes chunk objects with their records; its pages stay in memory and are never flushed. */
  private readonly objects: ObjectDataset;
  private readonly layers = new Map<string, LayerRecord>();
  private readonly chunks = new Map<string, ChunkRecord>();

  constructor(store: Store) {
    this.objects = new ObjectDataset(store);
    this.description = store.description;
  }

  open(): Promise<VolumeDataLayout> {
    return Promise.reject(new InvalidOperationError(`A part of a distributed job only writes chunks into ${this.description}; it opens nothing`));
  }

  /** Deferred: nothing is written (the final job writes the layout). */
  create(layout: VolumeDataLayout, { signal }: CreateOptions = {}): Promise<void> {
    return this.objects.create(layout, { signal, deferred: true });
  }

  layerStatus(layerName: string): LayerStatusEntry | undefined { return this.objects.layerStatus(layerName); }
  layerStatuses(): readonly LayerStatusEntry[] { return this.objects.layerStatuses(); }
  chunkMetadata(layer: VolumeDataLayer, chunkIndex: number, options?: SignalOptions): Promise<ChunkMetadata> {
    return this.objects.chunkMetadata(layer, chunkIndex, options);
  }
  readChunk(layer: VolumeDataLayer, chunkIndex: number, options: ReadChunkOptions): Promise<Uint8Array> {
    return this.objects.readChunk(layer, chunkIndex, options);
  }

  produceLayer(layer: VolumeDataLayer, production: LayerProduction): LayerStatusEntry {
    this.layers.set(layer.name, { layer: layer.name, ...production });
    return this.objects.produceLayer(layer, production);
  }

  async writeChunk(layer: VolumeDataLayer, chunkIndex: number, serialized: Uint8Array, metadata: ChunkMetadata,
    uncompressedSize: number, options?: WriteChunkOptions): Promise<boolean> {
    const written = await this.objects.writeChunk(layer, chunkIndex, serialized, metadata, uncompressedSize, options);
    this.chunks.set(`${layer.name}/${chunkIndex}`, {
      layer: layer.name, chunk: chunkIndex, hash: metadata.hash.toString(16), size: serialized.byteLength, uncompressed: uncompressedSize,
      ...(metadata.adaptiveLevels && { levels: encodeBase64(metadata.adaptiveLevels) }),
    });
    return written;
  }

  /** The layout is the final job's to write. */
  async writeLayout(): Promise<void> {}
  /** A part publishes nothing: its records go back through the queue. */
  async flush(): Promise<void> {}
  close(): Promise<void> { return this.objects.close(); }

  records(): PartChunks {
    return { layers: [...this.layers.values()], chunks: [...this.chunks.values()] };
  }
}

/**
 * Publishes a dataset whose chunk objects the parts wrote: their metadata pages, then LayerStatus,
 * then the layout, which is what makes the objects a dataset (a deferred create).
 */
export async function publishParts(store: Store, layout: VolumeDataLayout, parts: readonly PartChunks[]): Promise<void> {
  const dataset = new ObjectDataset(store);
  try {
    await dataset.create(layout, { deferred: true });
    const layers = layersOf(layout);
    const layerNamed = (name: string) => {
      const layer = layers.byLayerName(name);
      if (!layer) throw new ReadError(`A part recorded layer ${name}, which the layout does not have`);
      return layer;
    };
    const produced = new Set<string>();
    for (const record of parts.flatMap((p) => p.layers)) {
      if (produced.has(record.layer)) continue;
      produced.add(record.layer);
      const { layer, ...production } = record;
      dataset.produceLayer(layerNamed(layer), production);
    }
    for (const part of parts) {
      for (const c of part.chunks) {
        const metadata: ChunkMetadata = { hash: BigInt(`0x${c.hash}`), ...(c.levels !== undefined && { adaptiveLevels: decodeBase64(c.levels) }) };
        await dataset.recordChunk(layerNamed(c.layer), c.chunk, metadata, c.size, c.uncompressed);
      }
    }
    await dataset.flush();
  } finally {
    await dataset.close();
  }
}
