// VolumeDataAccessManager: validates requests synchronously, then runs them as reactive pipelines.
import { defer, endWith, finalize, from, type Observable } from 'rxjs';
import { AccessMode, DimensionsND, VDSProduceStatus, VolumeDataFormat } from './enums.js';
import { InvalidArgumentError, InvalidOperationError } from './errors.js';
import type { VolumeDataLayer } from './geometry/layers.js';
import type { Index6 } from './geometry/partition.js';
import { chunkCopy, planSubset } from './engine/subsetPlan.js';
import { closeGate, createDeliveryGate } from './engine/deliveryGate.js';
import { bufferByteSize, checkedOutputBytes, typedView, type VolumeDataTypedArray } from './formats.js';
import type { VolumeDataLayout } from './layout/volumeDataLayout.js';
import { VolumeDataPageAccessor } from './pageAccessor.js';
import { type RequestEvent, VolumeDataRequest } from './request.js';
import type { VDS } from './vds.js';
import { workerCount } from './workers/pool.js';
import { assembleSubset } from '../sinks/assembleSubset.js';
import { readChunks } from '../operators/readChunks.js';
import { inFlight } from '../operators/inFlight.js';

export interface LayerSelection {
  dimensionsND?: DimensionsND;
  lod?: number;
  channel?: number;
}

export interface VolumeSubsetOptions extends LayerSelection {
  /** Output format; `Format_R32` by default (as in the OpenVDS Python API). `Format_Any` = the stored format. */
  format?: VolumeDataFormat;
  /** Value written for no-value samples; defaults to the channel's no-value. */
  replacementNoValue?: number;
  /** Caller-owned destination (e.g. over a SharedArrayBuffer); must hold the buffer size. */
  dataOut?: VolumeDataTypedArray;
}

/** Chunks in flight per request: enough to keep every worker and the IO busy. */
function chunksInFlight(): number {
  return Math.max(8, workerCount() * 4);
}

export class VolumeDataAccessManager {
  constructor(private readonly vds: VDS) {}

  getVolumeDataLayout(): VolumeDataLayout {
    return this.vds.layout;
  }

  requestVolumeSubset(min: readonly number[], max: readonly number[], options: VolumeSubsetOptions = {}): VolumeDataRequest<VolumeDataTypedArray> {
    return new VolumeDataRequest(this.volumeSubset$(min, max, options));
  }

  /**
   * The reactive form of `requestVolumeSubset`: cold, so nothing happens until subscribed, and
   * unsubscribing stops the fetches and drops queued decode jobs. Arguments are checked at once.
   */
  volumeSubset$(min: readonly number[], max: readonly number[], options: VolumeSubsetOptions = {}): Observable<RequestEvent<VolumeDataTypedArray>> {
    const layer = this.readableLayer(options);
    const [lo, hi] = this.checkedBox(layer, min, max);
    const format = this.outputFormat(layer, options.format);
    const plan = planSubset(layer, lo, hi);
    const byteSize = this.getVolumeSubsetBufferSize(min, max, format, options.lod, options.channel, options.dimensionsND);
    const out = options.dataOut ? checkedOutputBytes(options.dataOut, format, byteSize) : undefined;
    const reader = this.vds.reader(layer);
    return defer(() => {
      // A shared buffer lets workers copy decoded chunks into it directly, off the main thread.
      const bytes = out ?? new Uint8Array(new SharedArrayBuffer(byteSize));
      const data = (options.dataOut ?? typedView(format, bytes.buffer, 0, byteSize)) as VolumeDataTypedArray;
      const gate = createDeliveryGate();
      // Not 1Bit: neighbouring chunks share output bytes there, so only one thread may write them.
      const shared = bytes.buffer instanceof SharedArrayBuffer && format !== VolumeDataFormat.Format_1Bit ? bytes.buffer : undefined;
      const deliver = shared && ((chunkIndex: number) => {
        const copy = chunkCopy(plan, chunkIndex);
        return copy && { buffer: shared, byteOffset: bytes.byteOffset, byteLength: bytes.byteLength, copy, outSize: plan.outSize, gate };
      });
      return from(plan.chunks).pipe(
        inFlight(chunksInFlight(), readChunks(reader, { format, replacementNoValue: options.replacementNoValue, deliver }, this.vds.chunkCache)),
        assembleSubset(plan, bytes, format),
        endWith<RequestEvent<VolumeDataTypedArray>>({ kind: 'data', data }),
        finalize(() => closeGate(gate)),
      );
    });
  }

  getVolumeSubsetBufferSize(min: readonly number[], max: readonly number[], format = VolumeDataFormat.Format_R32,
    lod = 0, channel = 0, dimensionsND = DimensionsND.Dimensions_012): number {
    const layer = this.layer({ dimensionsND, lod, channel });
    const [lo, hi] = this.checkedBox(layer, min, max);
    const resolved = this.outputFormat(layer, format);
    let elements = layer.channelDescriptor.components;
    for (let d = 0; d < 6; d++) elements *= layer.partition.lodSize(lo[d]!, hi[d]!, d);
    return bufferByteSize(resolved, resolved === VolumeDataFormat.Format_1Bit ? elements / layer.channelDescriptor.components : elements);
  }

  getVDSChunkCount(dimensionsND: DimensionsND, lod = 0, channel = 0): number {
    return this.layer({ dimensionsND, lod, channel }).chunkCount;
  }

  getVDSProduceStatus(dimensionsND: DimensionsND, lod = 0, channel = 0): VDSProduceStatus {
    const layer = this.vds.layers.get(dimensionsND, lod, channel);
    if (!layer || layer.isVirtual) return VDSProduceStatus.Unavailable;
    return this.vds.produceStatus(dimensionsND);
  }

  createVolumeDataPageAccessor(dimensionsND: DimensionsND, lod: number, channel: number, maxPages: number,
    accessMode: AccessMode, chunkMetadataPageSize = 1024): VolumeDataPageAccessor {
    const layer = this.layer({ dimensionsND, lod, channel });
    if (!Number.isInteger(maxPages) || maxPages < 1) throw new InvalidArgumentError(`maxPages must be a positive integer, got ${maxPages}`);
    if (!Number.isInteger(chunkMetadataPageSize) || chunkMetadataPageSize < 1) {
      throw new InvalidArgumentError(`chunkMetadataPageSize must be a positive integer, got ${chunkMetadataPageSize}`);
    }
    if (this.vds.isClosed) throw new InvalidOperationError(`${this.vds.url} is closed`);
    return new VolumeDataPageAccessor(this.vds, layer, maxPages, accessMode, chunkMetadataPageSize);
  }

  /** Waits for every write, then uploads chunk-metadata pages, LayerStatus and changed metadata. */
  flush(): Promise<void> {
    return this.vds.flush();
  }

  private layer({ dimensionsND = DimensionsND.Dimensions_012, lod = 0, channel = 0 }: LayerSelection): VolumeDataLayer {
    if (DimensionsND[dimensionsND] === undefined) throw new InvalidArgumentError(`Invalid dimensionsND ${dimensionsND}`);
    const channelCount = this.vds.layout.getChannelCount();
    if (!Number.isInteger(channel) || channel < 0 || channel >= channelCount) {
      throw new InvalidArgumentError(`Channel ${channel} does not exist (the layout has ${channelCount})`);
    }
    const layer = this.vds.layers.get(dimensionsND, lod, channel);
    if (!layer || layer.isVirtual) {
      throw new InvalidArgumentError(`Specified LOD doesn't exist: LOD ${lod} of ${DimensionsND[dimensionsND]}, channel ${channel}`);
    }
    return layer;
  }

  private readableLayer(selection: LayerSelection): VolumeDataLayer {
    const layer = this.layer(selection);
    if (this.vds.isClosed) throw new InvalidOperationError(`${this.vds.url} is closed`);
    if (this.vds.produceStatus(layer.dimensionsND) === VDSProduceStatus.Unavailable) {
      throw new InvalidOperationError('The requested dimension group or channel is unavailable (check VDS produce status before requesting data)');
    }
    return layer;
  }

  private outputFormat(layer: VolumeDataLayer, format: VolumeDataFormat | undefined): VolumeDataFormat {
    if (format === undefined) return VolumeDataFormat.Format_R32;
    if (format === VolumeDataFormat.Format_Any) return layer.channelDescriptor.format;
    if (VolumeDataFormat[format] === undefined) throw new InvalidArgumentError(`Invalid format ${format}`);
    return format;
  }

  /**
   * `[min, max)` per dimension, padded to 6 dimensions; throws on anything outside the layer
   * (whose dimension 0 is the mapped value count for PerTrace channels).
   */
  private checkedBox(layer: VolumeDataLayer, min: readonly number[], max: readonly number[]): [Index6, Index6] {
    const dims = this.vds.layout.getDimensionality();
    if (!Array.isArray(min) || !Array.isArray(max) || min.length < dims || max.length < dims) {
      throw new InvalidArgumentError(`min and max need ${dims} values each`);
    }
    const lo = [0, 0, 0, 0, 0, 0] as Index6, hi = [1, 1, 1, 1, 1, 1] as Index6;
    for (let d = 0; d < dims; d++) {
      const n = layer.partition.numSamples[d]!;
      const a = min[d]!, b = max[d]!;
      if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || a >= n || b <= a || b > n) {
        throw new InvalidArgumentError(`Invalid subset in dimension ${d}: [${a}, ${b}) must lie within [0, ${n}) and not be empty`);
      }
      lo[d] = a; hi[d] = b;
    }
    return [lo, hi];
  }
}
