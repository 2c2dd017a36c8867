// VolumeDataAccessManager: validates requests synchronously, then runs them as reactive pipelines.
import { defer, endWith, finalize, from, map, type Observable } from 'rxjs';
import { AccessMode, DimensionsND, InterpolationMethod, VDSProduceStatus, VolumeDataFormat } from './enums.js';
import { InvalidArgumentError, InvalidOperationError } from './errors.js';
import type { VolumeDataLayer } from './geometry/layers.js';
import type { Index6 } from './geometry/partition.js';
import { chunkCopy, planSubset } from './engine/subsetPlan.js';
import { closeGate, createDeliveryGate } from './engine/deliveryGate.js';
import { planSamples, positionsOf, tracePositions } from './engine/samplePlan.js';
import { dimensionsOf } from './geometry/dimensionGroup.js';
import { isQuantizedFormat, quantizeWithReciprocalScale, bucketCount, targetNoValue, targetValueConverter } from './convert.js';
import { channelValuesOf } from './engine/layerReader.js';
import { bufferByteSize, checkedOutputBytes, typedView, type VolumeDataTypedArray } from './formats.js';
import type { VolumeDataLayout } from './layout/volumeDataLayout.js';
import { VolumeDataPageAccessor } from './pageAccessor.js';
import { type RequestEvent, VolumeDataRequest } from './request.js';
import type { VDS } from './vds.js';
import { workerCount } from './workers/pool.js';
import { assembleSubset } from '../sinks/assembleSubset.js';
import { assembleSamples } from '../sinks/assembleSamples.js';
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

export interface SampleOptions extends LayerSelection {
  /** `Linear` by default. Discrete channels always sample `Nearest`. */
  interpolationMethod?: InterpolationMethod;
  /** Value written where the result is no-value; defaults to the channel's no-value. */
  replacementNoValue?: number;
  dataOut?: Float32Array;
}

export interface ProjectedSubsetOptions extends VolumeSubsetOptions {
  /** The plane X·a + Y·b + Z·c + T = 0 over the layer's 1st, 2nd and 3rd dimension (voxel coordinates). */
  voxelPlane: readonly [number, number, number, number];
  /** The 2D group the output spans; the remaining dimension of the layer's group is projected. */
  projectedDimensions: DimensionsND;
  interpolationMethod?: InterpolationMethod;
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
        inFlight(chunksInFlight(), readChunks(reader, { format, replacementNoValue: options.replacementNoValue, deliver, skipDeliveredBytes: true }, this.vds.chunkCache)),
        assembleSubset(plan, bytes, format),
        endWith<RequestEvent<VolumeDataTypedArray>>({ kind: 'data', data }),
        finalize(() => closeGate(gate)),
      );
    });
  }

  /**
   * Interpolated samples at LOD0 positions (voxel k spans [k, k+1), so k + 0.5 is its centre); R32,
   * one per position in input order. Positions are arrays of coordinates, or a flat array of 6 per position.
   */
  requestVolumeSamples(samplePositions: ArrayLike<number>[] | Float32Array | Float64Array, options: SampleOptions = {}): VolumeDataRequest<Float32Array> {
    return new VolumeDataRequest(this.volumeSamples$(samplePositions, options));
  }

  volumeSamples$(samplePositions: ArrayLike<number>[] | Float32Array | Float64Array, options: SampleOptions = {}): Observable<RequestEvent<Float32Array>> {
    const layer = this.readableLayer(options);
    const positions = this.checkedPositions(samplePositions, 'samplePositions');
    return this.sampled$(layer, positions, positions.length / 6, options);
  }

  /** Traces along `traceDimension` through each position (its coordinate in that dimension is ignored); R32. */
  requestVolumeTraces(tracePositions: ArrayLike<number>[] | Float32Array | Float64Array, traceDimension: number, options: SampleOptions = {}): VolumeDataRequest<Float32Array> {
    return new VolumeDataRequest(this.volumeTraces$(tracePositions, traceDimension, options));
  }

  volumeTraces$(traces: ArrayLike<number>[] | Float32Array | Float64Array, traceDimension: number, options: SampleOptions = {}): Observable<RequestEvent<Float32Array>> {
    const layer = this.readableLayer(options);
    this.checkedTraceDimension(layer, traceDimension);
    const { positions } = tracePositions(layer, this.checkedPositions(traces, 'tracePositions'), traceDimension);
    return this.sampled$(layer, positions, positions.length / 6, options, 0.5);
  }

  /** A surface through a 3D layer sampled onto the 2D grid of `projectedDimensions` (format sheet 5.3). */
  requestProjectedVolumeSubset(min: readonly number[], max: readonly number[], options: ProjectedSubsetOptions): VolumeDataRequest<VolumeDataTypedArray> {
    return new VolumeDataRequest(this.projectedVolumeSubset$(min, max, options));
  }

  projectedVolumeSubset$(min: readonly number[], max: readonly number[], options: ProjectedSubsetOptions): Observable<RequestEvent<VolumeDataTypedArray>> {
    const layer = this.readableLayer(options);
    const [lo, hi] = this.checkedBox(layer, min, max);
    const { projected, projection } = this.projectedAxes(layer, options.projectedDimensions);
    const plane = options.voxelPlane;
    if (!Array.isArray(plane) || plane.length !== 4 || plane.some((v) => !Number.isFinite(v))) {
      throw new InvalidArgumentError('voxelPlane must be 4 finite numbers [X, Y, Z, T]');
    }
    const groupDims = dimensionsOf(layer.dimensionsND);
    const coefficient = (d: number) => plane[groupDims.indexOf(d)]!;
    if (coefficient(projection) === 0) throw new InvalidArgumentError(`voxelPlane has no component along the projected dimension ${projection}`);
    const format = this.outputFormat(layer, options.format);
    const byteSize = this.getProjectedVolumeSubsetBufferSize(min, max, options.projectedDimensions, format, options.lod, options.channel);
    const out = options.dataOut ? checkedOutputBytes(options.dataOut, format, byteSize) : undefined;
    const p = layer.partition;
    const [a, b] = projected as [number, number];
    const na = p.lodSize(lo[a]!, hi[a]!, a), nb = p.lodSize(lo[b]!, hi[b]!, b);
    const positions = new Float64Array(na * nb * 6);
    const n = p.numSamples[projection]!;
    for (let jb = 0; jb < nb; jb++) {
      for (let ja = 0; ja < na; ja++) {
        const at = (ja + jb * na) * 6;
        for (let d = 0; d < 6; d++) positions[at + d] = lo[d]! + 0.5;
        const pa = lo[a]! + ja * (1 << p.lodShift(a)) + (1 << p.lodShift(a)) / 2;
        const pb = lo[b]! + jb * (1 << p.lodShift(b)) + (1 << p.lodShift(b)) / 2;
        const z = -(plane[3] + coefficient(a) * pa + coefficient(b) * pb) / coefficient(projection);
        positions[at + a] = pa;
        positions[at + b] = pb;
        positions[at + projection] = Math.min(Math.max(z, 0.5), n - 0.5);
      }
    }
    const convert = projectedConverter(layer, format, options.replacementNoValue);
    return this.sampled$(layer, positions, na * nb, { ...options, dataOut: undefined }).pipe(map((event): RequestEvent<VolumeDataTypedArray> => {
      if (event.kind === 'progress') return event;
      const bytes = out ?? new Uint8Array(byteSize);
      const data = (options.dataOut ?? typedView(format, bytes.buffer, bytes.byteOffset, byteSize)) as VolumeDataTypedArray;
      convert(event.data, data);
      return { kind: 'data', data };
    }));
  }

  getProjectedVolumeSubsetBufferSize(min: readonly number[], max: readonly number[], projectedDimensions: DimensionsND,
    format = VolumeDataFormat.Format_R32, lod = 0, channel = 0): number {
    const layer = this.layer({ lod, channel });
    const [lo, hi] = this.checkedBox(layer, min, max);
    const { projected } = this.projectedAxes(layer, projectedDimensions);
    const resolved = this.outputFormat(layer, format);
    const count = projected.reduce((n, d) => n * layer.partition.lodSize(lo[d]!, hi[d]!, d), 1);
    return bufferByteSize(resolved, resolved === VolumeDataFormat.Format_1Bit ? count : count * layer.channelDescriptor.components);
  }

  getVolumeSamplesBufferSize(sampleCount: number, channel = 0): number {
    this.layer({ channel });
    if (!Number.isInteger(sampleCount) || sampleCount < 0) throw new InvalidArgumentError(`sampleCount must be a non-negative integer, got ${sampleCount}`);
    return sampleCount * 4;
  }

  getVolumeTracesBufferSize(traceCount: number, traceDimension: number, lod = 0, channel = 0): number {
    const layer = this.layer({ lod, channel });
    this.checkedTraceDimension(layer, traceDimension);
    if (!Number.isInteger(traceCount) || traceCount < 0) throw new InvalidArgumentError(`traceCount must be a non-negative integer, got ${traceCount}`);
    return traceCount * layer.partition.lodSize(0, layer.partition.numSamples[traceDimension]!, traceDimension) * 4;
  }

  /** Reads one chunk into the chunk cache so later requests find it decoded. */
  prefetchVolumeChunk(chunkIndex: number, dimensionsND = DimensionsND.Dimensions_012, lod = 0, channel = 0): VolumeDataRequest<number> {
    const layer = this.readableLayer({ dimensionsND, lod, channel });
    if (!Number.isInteger(chunkIndex) || chunkIndex < 0 || chunkIndex >= layer.chunkCount) {
      throw new InvalidArgumentError(`Chunk index ${chunkIndex} is outside 0…${layer.chunkCount - 1} of ${layer.name}`);
    }
    const reader = this.vds.reader(layer);
    return new VolumeDataRequest(from([chunkIndex]).pipe(
      readChunks(reader, { format: VolumeDataFormat.Format_R32 }, this.vds.chunkCache),
      map((): RequestEvent<number> => ({ kind: 'data', data: chunkIndex })),
    ));
  }

  private sampled$(layer: VolumeDataLayer, positions: Float64Array, count: number, options: SampleOptions,
    unusedCoordinate = 0): Observable<RequestEvent<Float32Array>> {
    if (options.dataOut && (!(options.dataOut instanceof Float32Array) || options.dataOut.length < count)) {
      throw new RangeError(`dataOut must be a Float32Array of at least ${count} elements`);
    }
    const method = options.interpolationMethod ?? InterpolationMethod.Linear;
    if (InterpolationMethod[method] === undefined) throw new InvalidArgumentError(`Invalid interpolation method ${method}`);
    const plan = planSamples(layer, positions, unusedCoordinate);
    const reader = this.vds.reader(layer);
    const replacementNoValue = options.replacementNoValue ?? layer.channelDescriptor.noValue;
    return defer(() => {
      const out = options.dataOut ?? new Float32Array(count);
      return from(plan.byChunk.keys()).pipe(
        inFlight(chunksInFlight(), readChunks(reader, { format: VolumeDataFormat.Format_R32 }, this.vds.chunkCache)),
        assembleSamples(plan, out, { method, replacementNoValue }),
        endWith<RequestEvent<Float32Array>>({ kind: 'data', data: out }),
      );
    });
  }

  private checkedPositions(input: ArrayLike<number>[] | Float32Array | Float64Array, what: string): Float64Array {
    try {
      return positionsOf(input, this.vds.layout.getDimensionality(), what);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  }

  private checkedTraceDimension(layer: VolumeDataLayer, traceDimension: number): void {
    if (!Number.isInteger(traceDimension) || !layer.partition.isDimensionChunked(traceDimension)) {
      throw new InvalidArgumentError(`traceDimension ${traceDimension} is not a dimension of ${DimensionsND[layer.dimensionsND]}`);
    }
  }

  private projectedAxes(layer: VolumeDataLayer, projectedDimensions: DimensionsND): { projected: number[]; projection: number } {
    const group = dimensionsOf(layer.dimensionsND);
    if (DimensionsND[projectedDimensions] === undefined) throw new InvalidArgumentError(`Invalid projectedDimensions ${projectedDimensions}`);
    const projected = [...dimensionsOf(projectedDimensions)];
    if (group.length !== 3 || projected.length !== 2 || !projected.every((d) => group.includes(d))) {
      throw new InvalidArgumentError(`projectedDimensions ${DimensionsND[projectedDimensions]} must be a 2D group inside the 3D group ${DimensionsND[layer.dimensionsND]}`);
    }
    return { projected, projection: group.find((d) => !projected.includes(d))! };
  }

  getVolumeSubsetBufferSize(min: readonly number[], max: readonly number[], format = VolumeDataFormat.Format_R32,
    lod = 0, channel = 0, dimensionsND = DimensionsND.Dimensions_012): number {
    const layer = this.layer({ dimensionsND, lod, channel });
    const [lo, hi] = this.checkedBox(layer, min, max);
    const resolved = this.outputFormat(layer, format);
    let elements = layer.channelDescriptor.components;
    for (let d = 0; d < 6; d++) elements *= layer.partition.requestLODSize(lo[d]!, hi[d]!, d);
    return bufferByteSize(resolved, resolved === VolumeDataFormat.Format_1Bit ? elements / layer.channelDescriptor.components : elements);
  }

  getVDSChunkCount(dimensionsND: DimensionsND, lod = 0, channel = 0): number {
    return this.layer({ dimensionsND, lod, channel }).chunkCount;
  }

  getVDSProduceStatus(dimensionsND: DimensionsND, lod = 0, channel = 0): VDSProduceStatus {
    const layer = this.vds.layers.get(dimensionsND, lod, channel);
    if (!layer || layer.isVirtual) return VDSProduceStatus.Unavailable;
    const status = this.vds.produceStatus(dimensionsND);
    if (status !== VDSProduceStatus.Unavailable) return status;
    return this.remapSource(layer) ? VDSProduceStatus.Remapped : VDSProduceStatus.Unavailable;
  }

  /**
   * A produced layer that can serve box reads of an unproduced one: at LOD 0 any produced group of
   * the same channel (a voxel box reads the same from every chunking).
   */
  private remapSource(layer: VolumeDataLayer): VolumeDataLayer | undefined {
    if (layer.lod !== 0) return undefined;
    return this.vds.layers.all.find((l) => l.lod === 0 && l.channel === layer.channel && !l.isVirtual &&
      this.vds.produceStatus(l.dimensionsND) === VDSProduceStatus.Normal);
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

  /** The layer a read is served from: the requested one, or the produced layer it is remapped from. */
  private readableLayer(selection: LayerSelection): VolumeDataLayer {
    const layer = this.layer(selection);
    if (this.vds.isClosed) throw new InvalidOperationError(`${this.vds.url} is closed`);
    if (this.vds.produceStatus(layer.dimensionsND) !== VDSProduceStatus.Unavailable) return layer;
    const source = this.remapSource(layer);
    if (!source) {
      throw new InvalidOperationError('The requested dimension group or channel is unavailable (check VDS produce status before requesting data)');
    }
    return source;
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

/** Writes R32 samples into the requested format; U8/U16 quantise with integer scale and offset, as OpenVDS does here. */
function projectedConverter(layer: VolumeDataLayer, format: VolumeDataFormat, replacementNoValue: number | undefined): (from: Float32Array, to: VolumeDataTypedArray) => void {
  const channel = channelValuesOf(layer);
  const noValue = targetNoValue(format, channel, replacementNoValue);
  const isNoValue = (v: number) => channel.useNoValue && v === (replacementNoValue ?? channel.noValue);
  let convert: (v: number) => number;
  if (isQuantizedFormat(format)) {
    const reciprocal = Math.fround(1 / channel.integerScale);
    const buckets = bucketCount(format, channel.useNoValue);
    convert = (v) => quantizeWithReciprocalScale(v, channel.integerOffset, reciprocal, buckets);
  } else {
    convert = targetValueConverter(format, format, channel);
  }
  return (from, to) => {
    if (format === VolumeDataFormat.Format_1Bit) {
      const bits = to as Uint8Array;
      from.forEach((v, i) => { if (!isNoValue(v) && v !== 0) bits[i >> 3] = bits[i >> 3]! | (1 << (i & 7)); });
      return;
    }
    const target = to as unknown as { [i: number]: number | bigint };
    const big = format === VolumeDataFormat.Format_U64;
    from.forEach((v, i) => {
      const x = isNoValue(v) ? noValue : convert(v);
      target[i] = big ? BigInt(x) : x;
    });
  };
}
