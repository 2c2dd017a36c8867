// VolumeDataAccessManager: validates requests synchronously, then runs them as reactive pipelines.
import { defer, endWith, finalize, from, last, map, type Observable } from 'rxjs';
import { AccessMode, DimensionsND, InterpolationMethod, VDSProduceStatus, VolumeDataComponents, VolumeDataFormat } from '../model/enums.js';
import { InvalidArgumentError, InvalidOperationError } from '../model/errors.js';
import type { VolumeDataLayer } from '../model/geometry/layers.js';
import type { Index6 } from '../model/geometry/partition.js';
import { planSubset, subsetByteSize, subsetChunkCount } from '../engine/subsetPlan.js';
import { SubsetDestination } from '../engine/subsetDestination.js';
import { SampleDestination } from '../engine/sampleDestination.js';
import type { ChunkDestination } from '../engine/chunkDestination.js';
import { countSampleChunks, planProjection, planSamples, tracePositions } from '../engine/samplePlan.js';
import { projectedByteSize, projectedSize, projectionAxes, type ProjectionAxes, projectionOf } from '../engine/projectionPlan.js';
import { chunkSampling, type SampleRequestKind, samplingRules, type SamplingRules } from '../engine/sampleRules.js';
import { throwIfAborted } from '../async/abort.js';
import { bytesOf, typedView, type VolumeDataTypedArray } from '../model/formats.js';
import type { VolumeDataLayout } from '../model/layout/volumeDataLayout.js';
import { MAX_CHUNK_METADATA_PAGE_SIZE } from '../model/layout/layerStatus.js';
import { COMPONENT_BITS_LIMIT, hasComponentBits } from '../model/layout/newLayout.js';
import { requestMemory } from '../model/sharedMemory.js';
import { VolumeDataPageAccessor } from './pageAccessor.js';
import { type RequestEvent, VolumeDataRequest } from './request.js';
import {
  boxArgument, checkAllocation, checkRequestChunks, checkSampleChunks, dataOutArgument, enumArgument, integerArgument, type MethodParameters,
  positionsArgument, replacementNoValueArgument, resolveArguments, sampleChunkLimit, signalArgument,
} from './requestArguments.js';
import type { VDS } from './vds.js';
import { assembleSubset } from '../../sinks/assembleSubset.js';
import { closesDestination } from '../../sinks/closesDestination.js';
import { reportProgress } from '../../sinks/reportProgress.js';
import { readChunks } from '../../operators/readChunks.js';
import { inFlight } from '../../operators/inFlight.js';
import { servesHere } from '../../operators/deliverHere.js';
import { interpolateSamples } from '../../operators/interpolateSamples.js';
import { convertSamples, projectedValueConverter } from '../../operators/convertSamples.js';
import { untilAborted } from '../../operators/untilAborted.js';

export interface LayerSelection {
  dimensionsND?: DimensionsND;
  lod?: number;
  channel?: number;
}

/**
 * rxvds's `signal` option: aborting it cancels the request as `cancel()` (or unsubscribing) does.
 * Options-object form only: OpenVDS's positional order has no slot for it.
 */
export interface AbortableRequest {
  signal?: AbortSignal;
}

export interface VolumeSubsetOptions extends LayerSelection, AbortableRequest {
  /** Output format; `Format_R32` by default (as in the OpenVDS Python API). `Format_Any` = the stored format. */
  format?: VolumeDataFormat;
  /** Value written for no-value samples; defaults to the channel's no-value. */
  replacementNoValue?: number;
  /** Caller-owned destination (e.g. over a SharedArrayBuffer); must hold the buffer size. */
  dataOut?: VolumeDataTypedArray;
}

export interface SampleOptions extends LayerSelection, AbortableRequest {
  /** `Cubic` by default (as in the OpenVDS Python API). Discrete channels always sample `Nearest`. */
  interpolationMethod?: InterpolationMethod;
  /** Value written where the result is no-value; defaults to the channel's no-value. */
  replacementNoValue?: number;
  dataOut?: Float32Array;
}

export interface ProjectedSubsetOptions extends VolumeSubsetOptions {
  /**
   * The plane X·a + Y·b + Z·c + T = 0 over the layer's 1st, 2nd and 3rd dimension (voxel
   * coordinates); `[1, 1, 0, 0]` by default, as in the OpenVDS Python API.
   */
  voxelPlane?: readonly [number, number, number, number];
  /** The 2D group the output spans (`Dimensions_12` by default); the remaining dimension of the layer's group is projected. */
  projectedDimensions?: DimensionsND;
  /** `Cubic` by default. Unlike samples and traces, discrete channels are interpolated too (as OpenVDS does). */
  interpolationMethod?: InterpolationMethod;
}

export interface PageAccessorOptions {
  dimensionsND: DimensionsND;
  lod: number;
  channel: number;
  maxPages: number;
  accessMode: AccessMode;
  /** 1024 by default. */
  chunkMetadataPageSize?: number;
}

// The optional arguments of each method in both calling styles: one options object, or the
// reference's positional order (`null` standing for Python's `None` where the reference allows it).
type DataOut<T> = T | null | undefined;
type NoValue = number | null | undefined;
export type VolumeSubsetArguments = [options?: VolumeSubsetOptions] | [dataOut?: DataOut<VolumeDataTypedArray>,
  dimensionsND?: DimensionsND, lod?: number, channel?: number, format?: VolumeDataFormat, replacementNoValue?: NoValue];
export type SampleArguments = [options?: SampleOptions] | [dataOut?: DataOut<Float32Array>, dimensionsND?: DimensionsND,
  lod?: number, channel?: number, interpolationMethod?: InterpolationMethod, replacementNoValue?: NoValue];
/** Positional order as the OpenVDS Python wrapper defines it (`format` before `interpolationMethod`). */
export type ProjectedSubsetArguments = [options?: ProjectedSubsetOptions] | [dataOut?: DataOut<VolumeDataTypedArray>,
  dimensionsND?: DimensionsND, lod?: number, channel?: number, voxelPlane?: readonly [number, number, number, number],
  projectedDimensions?: DimensionsND, format?: VolumeDataFormat, interpolationMethod?: InterpolationMethod, replacementNoValue?: NoValue];
type SubsetSizeOptions = { format?: VolumeDataFormat; lod?: number; channel?: number; dimensionsND?: DimensionsND };
type ProjectedSizeOptions = { projectedDimensions: DimensionsND; format?: VolumeDataFormat; lod?: number; channel?: number };
type SamplesSizeOptions = { channel?: number };
type TracesSizeOptions = { lod?: number; channel?: number };

const nullable = ['dataOut', 'replacementNoValue'];
const optionsOnly = ['signal'];
const SUBSET: MethodParameters = { method: 'requestVolumeSubset', nullable, optionsOnly,
  parameters: ['dataOut', 'dimensionsND', 'lod', 'channel', 'format', 'replacementNoValue'] };
const SAMPLES: MethodParameters = { method: 'requestVolumeSamples', nullable, optionsOnly,
  parameters: ['dataOut', 'dimensionsND', 'lod', 'channel', 'interpolationMethod', 'replacementNoValue'] };
const TRACES: MethodParameters = { ...SAMPLES, method: 'requestVolumeTraces' };
const PROJECTED: MethodParameters = { method: 'requestProjectedVolumeSubset', nullable, optionsOnly, parameters: ['dataOut', 'dimensionsND', 'lod',
  'channel', 'voxelPlane', 'projectedDimensions', 'format', 'interpolationMethod', 'replacementNoValue'] };
const SUBSET_SIZE: MethodParameters = { method: 'getVolumeSubsetBufferSize', parameters: ['format', 'lod', 'channel', 'dimensionsND'] };
const PROJECTED_SIZE: MethodParameters = { method: 'getProjectedVolumeSubsetBufferSize', parameters: ['projectedDimensions', 'format', 'lod', 'channel'] };
const SAMPLES_SIZE: MethodParameters = { method: 'getVolumeSamplesBufferSize', parameters: ['channel'] };
const TRACES_SIZE: MethodParameters = { method: 'getVolumeTracesBufferSize', parameters: ['lod', 'channel'] };
const PREFETCH: MethodParameters = { method: 'prefetchVolumeChunk', optionsOnly, parameters: ['dimensionsND', 'lod', 'channel'] };
const PAGE_ACCESSOR: MethodParameters = { method: 'createVolumeDataPageAccessor',
  parameters: ['dimensionsND', 'lod', 'channel', 'maxPages', 'accessMode', 'chunkMetadataPageSize'] };

/** The reference's defaults of `requestProjectedVolumeSubset`. */
const DEFAULT_VOXEL_PLANE = [1, 1, 0, 0] as const;
const DEFAULT_PROJECTED_DIMENSIONS = DimensionsND.Dimensions_12;

/** Bytes of one sample position in the sampler's plans: 6 doubles. */
const POSITION_BYTES = 6 * 8;

/**
 * A checked request, not yet started: the Observable form allocates and runs it on subscription,
 * the VolumeDataRequest form at once (so its buffer exists from the start, as in OpenVDS).
 */
interface PreparedRequest<T extends VolumeDataTypedArray> {
  format: VolumeDataFormat;
  byteSize: number;
  signal: AbortSignal | undefined;
  allocate(): T;
  /** The request's events into `data`: ended by its `signal` or by `cancel`, and settled only once nothing writes into `data`. */
  run(data: T, cancel?: AbortSignal): Observable<RequestEvent<T>>;
}

/** A checked subset: the layer asked for, the box, the output format and the buffer size, for the request and its size query alike. */
interface CheckedSubset {
  /** The layer asked for (it sizes the output). */
  layer: VolumeDataLayer;
  min: Index6;
  max: Index6;
  format: VolumeDataFormat;
  byteSize: number;
}

export class VolumeDataAccessManager {
  constructor(private readonly vds: VDS) {}

  getVolumeDataLayout(): VolumeDataLayout {
    return this.vds.layout;
  }

  /**
   * A box of voxels, `[min, max)` in LOD0 coordinates. Optional arguments as one options object or
   * in the reference's order: `(min, max, dataOut, dimensionsND, lod, channel, format, replacementNoValue)`.
   * Every request's options object also takes a `signal` (AbortableRequest); the positional form has no slot for it.
   */
  requestVolumeSubset(min: readonly number[], max: readonly number[], ...args: VolumeSubsetArguments): VolumeDataRequest<VolumeDataTypedArray> {
    return started(this.preparedSubset(min, max, resolveArguments(SUBSET, args)));
  }

  /**
   * The reactive form of `requestVolumeSubset`: cold, so nothing happens until subscribed, and
   * unsubscribing stops the fetches and drops queued decode jobs. Arguments are checked at once.
   */
  volumeSubset$(min: readonly number[], max: readonly number[], ...args: VolumeSubsetArguments): Observable<RequestEvent<VolumeDataTypedArray>> {
    return cold(this.preparedSubset(min, max, resolveArguments(SUBSET, args)));
  }

  private preparedSubset(min: readonly number[], max: readonly number[], options: VolumeSubsetOptions): PreparedRequest<VolumeDataTypedArray> {
    const source = this.readableLayer(options);
    const { min: lo, max: hi, format, byteSize } = this.checkedSubset(min, max, options, options.format);
    replacementNoValueArgument(options.replacementNoValue);
    if (options.dataOut !== undefined) dataOutArgument(options.dataOut, format, byteSize);
    else checkAllocation(`The ${VolumeDataFormat[format]} subset ${this.boxText(lo, hi)}`, byteSize);
    checkRequestChunks(subsetChunkCount(source, lo, hi));
    const plan = planSubset(source, lo, hi);
    const reader = this.vds.reader(source);
    const signal = signalArgument(options.signal);
    return {
      format, byteSize, signal,
      // A shared buffer lets workers copy decoded chunks into it directly, off the main thread.
      allocate: () => options.dataOut ?? typedView(format, requestMemory(byteSize), 0, byteSize),
      run: (data, cancel) => defer(() => {
        const destination = new SubsetDestination(plan, bytesOf(data).subarray(0, byteSize), format);
        const target = { format, replacementNoValue: options.replacementNoValue, deliver: (i: number) => destination.deliveryFor(i), skipDeliveredBytes: true,
          here: servesHere(reader, plan, format, options.replacementNoValue) } as const;
        return settled(from(plan.chunks).pipe(
          inFlight(this.vds.engine.chunksInFlight, readChunks(reader, target, this.vds.cacheFor(source, plan.chunks.length))),
          assembleSubset(destination, plan.chunks.length),
        ), destination, data, signal, cancel);
      }),
    };
  }

  /** The checks `requestVolumeSubset` and `getVolumeSubsetBufferSize` share, run once per call. */
  private checkedSubset(min: readonly number[], max: readonly number[], selection: LayerSelection, format: VolumeDataFormat | undefined): CheckedSubset {
    const layer = this.layer(selection);
    const [lo, hi] = this.checkedBox(layer, min, max);
    const resolved = this.outputFormat(layer, format);
    return { layer, min: lo, max: hi, format: resolved, byteSize: subsetByteSize(layer, lo, hi, resolved) };
  }

  /**
   * Interpolated samples at LOD0 positions (voxel k spans [k, k+1), so k + 0.5 is its centre); R32,
   * one per position in input order. Positions are arrays of coordinates, or a flat array of 6 per
   * position. Optional arguments: an options object, or
   * `(dataOut, dimensionsND, lod, channel, interpolationMethod = Cubic, replacementNoValue)`.
   */
  requestVolumeSamples(samplePositions: ArrayLike<number>[] | Float32Array | Float64Array, ...args: SampleArguments): VolumeDataRequest<Float32Array> {
    return started(this.preparedSamples(samplePositions, resolveArguments(SAMPLES, args)));
  }

  volumeSamples$(samplePositions: ArrayLike<number>[] | Float32Array | Float64Array, ...args: SampleArguments): Observable<RequestEvent<Float32Array>> {
    return cold(this.preparedSamples(samplePositions, resolveArguments(SAMPLES, args)));
  }

  private preparedSamples(samplePositions: ArrayLike<number>[] | Float32Array | Float64Array, options: SampleOptions): PreparedRequest<Float32Array> {
    const layer = this.readableLayer(options);
    const positions = positionsArgument(samplePositions, this.vds.layout.getDimensionality(), 'samplePositions');
    return this.preparedSampling('samples', layer, positions, positions.length / 6, options);
  }

  /**
   * Traces along `traceDimension` through each position (its coordinate in that dimension is
   * ignored); R32. Optional arguments as for `requestVolumeSamples`.
   */
  requestVolumeTraces(tracePositions: ArrayLike<number>[] | Float32Array | Float64Array, traceDimension: number, ...args: SampleArguments): VolumeDataRequest<Float32Array> {
    return started(this.preparedTraces(tracePositions, traceDimension, resolveArguments(TRACES, args)));
  }

  volumeTraces$(traces: ArrayLike<number>[] | Float32Array | Float64Array, traceDimension: number, ...args: SampleArguments): Observable<RequestEvent<Float32Array>> {
    return cold(this.preparedTraces(traces, traceDimension, resolveArguments(TRACES, args)));
  }

  private preparedTraces(traces: ArrayLike<number>[] | Float32Array | Float64Array, traceDimension: number, options: SampleOptions): PreparedRequest<Float32Array> {
    const layer = this.readableLayer(options);
    this.checkedTraceDimension(traceDimension);
    const traceStarts = positionsArgument(traces, this.vds.layout.getDimensionality(), 'tracePositions');
    const traceCount = traceStarts.length / 6;
    const traceLength = layer.partition.requestLODSize(0, layer.partition.numSamples[traceDimension]!, traceDimension);
    checkAllocation(`The sample positions of ${traceCount} traces of ${traceLength} samples`, traceCount * traceLength * POSITION_BYTES);
    const { positions } = tracePositions(layer, traceStarts, traceDimension);
    return this.preparedSampling('traces', layer, positions, positions.length / 6, options, 0.5);
  }

  /**
   * A surface through a 3D layer sampled onto the 2D grid of `projectedDimensions` (format sheet
   * 5.3). Optional arguments: an options object, or the OpenVDS Python wrapper's order
   * `(dataOut, dimensionsND, lod, channel, voxelPlane = [1, 1, 0, 0], projectedDimensions = Dimensions_12,
   * format = Format_R32, interpolationMethod = Cubic, replacementNoValue)`.
   */
  requestProjectedVolumeSubset(min: readonly number[], max: readonly number[], ...args: ProjectedSubsetArguments): VolumeDataRequest<VolumeDataTypedArray> {
    return started(this.preparedProjection(min, max, resolveArguments(PROJECTED, args)));
  }

  projectedVolumeSubset$(min: readonly number[], max: readonly number[], ...args: ProjectedSubsetArguments): Observable<RequestEvent<VolumeDataTypedArray>> {
    return cold(this.preparedProjection(min, max, resolveArguments(PROJECTED, args)));
  }

  private preparedProjection(min: readonly number[], max: readonly number[], options: ProjectedSubsetOptions): PreparedRequest<VolumeDataTypedArray> {
    const layer = this.readableLayer(options);
    const [lo, hi] = this.checkedBox(layer, min, max);
    const axes = this.projectedAxes(layer, options.projectedDimensions ?? DEFAULT_PROJECTED_DIMENSIONS);
    const projection = projectionOf(layer, lo, hi, axes, options.voxelPlane ?? DEFAULT_VOXEL_PLANE);
    const format = this.outputFormat(layer, options.format);
    replacementNoValueArgument(options.replacementNoValue);
    const byteSize = projectedByteSize(this.layer(options), lo, hi, axes, format);
    if (options.dataOut !== undefined) dataOutArgument(options.dataOut, format, byteSize);
    else checkAllocation(`The ${VolumeDataFormat[format]} projected subset ${this.boxText(lo, hi)}`, byteSize);
    const [na, nb] = projectedSize(layer, lo, hi, axes);
    checkAllocation(`The sample positions of the projected subset ${this.boxText(lo, hi)}`, na * nb * POSITION_BYTES);
    const plan = planProjection(layer, projection);
    const rules = samplingRules('projected', layer.channelDescriptor, this.checkedMethod(options.interpolationMethod), options.replacementNoValue);
    const convert = projectedValueConverter(format, layer.channelDescriptor, options.replacementNoValue !== undefined, rules.f32);
    const signal = signalArgument(options.signal);
    return {
      format, byteSize, signal,
      allocate: () => options.dataOut ?? typedView(format, new ArrayBuffer(byteSize), 0, byteSize),
      run: (data, cancel) => defer(() => {
        // Doubles: R64/U32 channels interpolate in double, and R64 output keeps it. Shared, so
        // workers can interpolate into them.
        const destination = new SampleDestination(plan, new Float64Array(requestMemory(plan.count * 8)),
          chunkSampling(rules, layer.channelDescriptor));
        // Only this thread writes `data` (the conversion): the request settles without waiting
        // for the workers to leave `values`, which nothing reads once it ended.
        return settled(this.interpolated$(destination, rules).pipe(
          convertSamples(plan, destination.values, data, format, convert),
          reportProgress(plan.byChunk.size),
          finalize(() => void destination.close()),
        ), undefined, data, signal, cancel);
      }),
    };
  }

  /** Bytes of a projected subset; optional arguments positional `(projectedDimensions, format, lod, channel)` or one options object. */
  getProjectedVolumeSubsetBufferSize(min: readonly number[], max: readonly number[],
    ...args: [options: ProjectedSizeOptions] | [projectedDimensions: DimensionsND, format?: VolumeDataFormat, lod?: number, channel?: number]): number {
    const { projectedDimensions, format = VolumeDataFormat.Format_R32, lod = 0, channel = 0 } = resolveArguments<Partial<ProjectedSizeOptions>>(PROJECTED_SIZE, args);
    const layer = this.layer({ lod, channel });
    const [lo, hi] = this.checkedBox(layer, min, max);
    const axes = this.projectedAxes(layer, projectedDimensions!);
    return projectedByteSize(layer, lo, hi, axes, this.outputFormat(layer, format));
  }

  getVolumeSamplesBufferSize(sampleCount: number, ...args: [options: SamplesSizeOptions] | [channel?: number]): number {
    const { channel = 0 } = resolveArguments<SamplesSizeOptions>(SAMPLES_SIZE, args);
    this.layer({ channel });
    if (!Number.isInteger(sampleCount) || sampleCount < 0) throw new InvalidArgumentError(`sampleCount must be a non-negative integer, got ${sampleCount}`);
    return sampleCount * 4;
  }

  getVolumeTracesBufferSize(traceCount: number, traceDimension: number, ...args: [options: TracesSizeOptions] | [lod?: number, channel?: number]): number {
    const { lod = 0, channel = 0 } = resolveArguments<TracesSizeOptions>(TRACES_SIZE, args);
    const layer = this.layer({ lod, channel });
    this.checkedTraceDimension(traceDimension);
    if (!Number.isInteger(traceCount) || traceCount < 0) throw new InvalidArgumentError(`traceCount must be a non-negative integer, got ${traceCount}`);
    return traceCount * layer.partition.requestLODSize(0, layer.partition.numSamples[traceDimension]!, traceDimension) * 4;
  }

  /**
   * Reads one chunk into the chunk cache so later requests find it decoded. `chunkIndex` counts
   * the chunks of the requested layer; for a Remapped layer the chunks of its source that cover
   * that chunk are read. Optional arguments: `(dimensionsND = Dimensions_012, lod = 0, channel = 0)` or one options object.
   */
  prefetchVolumeChunk(chunkIndex: number,
    ...args: [options: LayerSelection & AbortableRequest] | [dimensionsND?: DimensionsND, lod?: number, channel?: number]): VolumeDataRequest<number> {
    const selection = resolveArguments<LayerSelection & AbortableRequest>(PREFETCH, args);
    const signal = signalArgument(selection.signal);
    const layer = this.layer(selection);
    const source = this.readableLayer(selection);
    if (!Number.isInteger(chunkIndex) || chunkIndex < 0 || chunkIndex >= layer.chunkCount) {
      throw new InvalidArgumentError(`Chunk index ${chunkIndex} is outside 0…${layer.chunkCount - 1} of ${layer.name}`);
    }
    const { min, max } = layer.partition.chunkMinMax(chunkIndex, true);
    const sourceChunks = source === layer ? [chunkIndex] : planSubset(source, min, max).chunks;
    const reader = this.vds.reader(source);
    return new VolumeDataRequest((cancel) => from(sourceChunks).pipe(
      inFlight(this.vds.engine.chunksInFlight, readChunks(reader, { format: VolumeDataFormat.Format_R32 }, this.vds.chunkCache)),
      last(),
      map((): RequestEvent<number> => ({ kind: 'data', data: chunkIndex })),
      untilAborted(signal, cancel),
    ));
  }

  private preparedSampling(kind: SampleRequestKind, layer: VolumeDataLayer, positions: Float32Array | Float64Array, count: number, options: SampleOptions,
    unusedCoordinate = 0): PreparedRequest<Float32Array> {
    if (options.dataOut !== undefined) dataOutArgument(options.dataOut, VolumeDataFormat.Format_R32, count * 4);
    replacementNoValueArgument(options.replacementNoValue);
    const rules = samplingRules(kind, layer.channelDescriptor, this.checkedMethod(options.interpolationMethod), options.replacementNoValue);
    // Only more samples than the limit can touch more chunks than it: count those before planning.
    if (count > sampleChunkLimit()) checkSampleChunks(kind, countSampleChunks(layer, positions));
    const plan = planSamples(layer, positions, unusedCoordinate);
    const signal = signalArgument(options.signal);
    return {
      format: VolumeDataFormat.Format_R32, byteSize: count * 4, signal,
      // A shared buffer lets workers interpolate into it directly, off the main thread.
      allocate: () => options.dataOut ?? new Float32Array(requestMemory(count * 4)),
      run: (out, cancel) => defer(() => {
        const destination = new SampleDestination(plan, out, chunkSampling(rules, layer.channelDescriptor));
        return settled(this.interpolated$(destination, rules).pipe(reportProgress(plan.byChunk.size)), destination, out, signal, cancel);
      }),
    };
  }

  /**
   * Reads the planned chunks as the rules say and interpolates every planned sample into the
   * destination: on the workers, each as it decodes its chunk, when the result is shared memory.
   * Emits the index of each chunk whose samples are in.
   */
  private interpolated$(destination: SampleDestination, rules: SamplingRules): Observable<number> {
    const { plan } = destination;
    const reader = this.vds.reader(plan.layer);
    const target = { format: rules.decodeFormat, replacementNoValue: rules.decodeReplacement, deliver: (i: number) => destination.deliveryFor(i),
      skipDeliveredBytes: true } as const;
    return from(plan.byChunk.keys()).pipe(
      inFlight(this.vds.engine.chunksInFlight, readChunks(reader, target, this.vds.cacheFor(plan.layer, plan.byChunk.size))),
      interpolateSamples(destination),
    );
  }

  private checkedMethod(method: InterpolationMethod | undefined): InterpolationMethod {
    return enumArgument<InterpolationMethod>(InterpolationMethod, 'InterpolationMethod', method ?? InterpolationMethod.Cubic, 'interpolationMethod');
  }

  /** Any dimension of the layout, as in OpenVDS: outside the chunk group each chunk holds one slice of the trace. */
  private checkedTraceDimension(traceDimension: number): void {
    const dimensionality = this.vds.layout.getDimensionality();
    if (!Number.isInteger(traceDimension) || traceDimension < 0 || traceDimension >= dimensionality) {
      throw new InvalidArgumentError(`traceDimension ${traceDimension} is not a dimension of the ${dimensionality}D layout`);
    }
  }

  private projectedAxes(layer: VolumeDataLayer, projectedDimensions: DimensionsND): ProjectionAxes {
    return projectionAxes(layer, enumArgument<DimensionsND>(DimensionsND, 'DimensionsND', projectedDimensions, 'projectedDimensions'));
  }

  /** Bytes of a volume subset; optional arguments positional `(format = Format_R32, lod, channel, dimensionsND)` or one options object. */
  getVolumeSubsetBufferSize(min: readonly number[], max: readonly number[],
    ...args: [options: SubsetSizeOptions] | [format?: VolumeDataFormat, lod?: number, channel?: number, dimensionsND?: DimensionsND]): number {
    const { format = VolumeDataFormat.Format_R32, ...selection } = resolveArguments<SubsetSizeOptions>(SUBSET_SIZE, args);
    return this.checkedSubset(min, max, selection, format).byteSize;
  }

  /** Chunks of the layer, virtual ones included; 0 for a layer the layout does not have (as OpenVDS answers). */
  getVDSChunkCount(dimensionsND: DimensionsND, lod = 0, channel = 0): number {
    return this.anyLayer(dimensionsND, lod, channel)?.chunkCount ?? 0;
  }

  /** Unavailable also for a layer the layout does not have (as OpenVDS answers). */
  getVDSProduceStatus(dimensionsND: DimensionsND, lod = 0, channel = 0): VDSProduceStatus {
    const layer = this.anyLayer(dimensionsND, lod, channel);
    return layer ? this.vds.layerProduceStatus(layer) : VDSProduceStatus.Unavailable;
  }

  /** The layer, virtual or not, if the layout has it; only malformed arguments throw. */
  private anyLayer(dimensionsND: DimensionsND, lod: number, channel: number): VolumeDataLayer | undefined {
    enumArgument<DimensionsND>(DimensionsND, 'DimensionsND', dimensionsND, 'dimensionsND');
    integerArgument(lod, 'lod', 0);
    integerArgument(channel, 'channel', 0);
    return this.vds.layers.get(dimensionsND, lod, channel);
  }

  /**
   * A page accessor of one layer: positional `(dimensionsND, lod, channel, maxPages, accessMode,
   * chunkMetadataPageSize = 1024)` as in the reference, or one options object.
   */
  createVolumeDataPageAccessor(options: PageAccessorOptions): VolumeDataPageAccessor;
  createVolumeDataPageAccessor(dimensionsND: DimensionsND, lod: number, channel: number, maxPages: number,
    accessMode: AccessMode, chunkMetadataPageSize?: number): VolumeDataPageAccessor;
  createVolumeDataPageAccessor(...args: unknown[]): VolumeDataPageAccessor {
    const o = resolveArguments<Partial<PageAccessorOptions>>(PAGE_ACCESSOR, args);
    // No defaults before chunkMetadataPageSize: the reference requires them.
    const dimensionsND = enumArgument<DimensionsND>(DimensionsND, 'DimensionsND', o.dimensionsND, 'dimensionsND');
    const layer = this.layer({ dimensionsND, lod: integerArgument(o.lod, 'lod', 0), channel: integerArgument(o.channel, 'channel', 0) });
    const maxPages = integerArgument(o.maxPages, 'maxPages', 1);
    const accessMode = enumArgument<AccessMode>(AccessMode, 'AccessMode', o.accessMode, 'accessMode');
    const chunkMetadataPageSize = integerArgument(o.chunkMetadataPageSize ?? 1024, 'chunkMetadataPageSize', 1, MAX_CHUNK_METADATA_PAGE_SIZE);
    this.vds.assertOpen();
    if (accessMode !== AccessMode.AccessMode_ReadOnly && hasComponentBits(layer.channelDescriptor)) {
      const text = channelText(layer);
      throw new InvalidArgumentError(`${text[0]!.toUpperCase()}${text.slice(1)} cannot be written: ${COMPONENT_BITS_LIMIT}, so it could not read the chunks back`);
    }
    return new VolumeDataPageAccessor(this.vds, layer, maxPages, accessMode, chunkMetadataPageSize);
  }

  /** Waits for every write, then uploads chunk-metadata pages, LayerStatus and changed metadata. */
  flush(): Promise<void> {
    return this.vds.flush();
  }

  private layer({ dimensionsND = DimensionsND.Dimensions_012, lod = 0, channel = 0 }: LayerSelection): VolumeDataLayer {
    enumArgument<DimensionsND>(DimensionsND, 'DimensionsND', dimensionsND, 'dimensionsND');
    integerArgument(lod, 'lod', 0);
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

  /**
   * The layer a read is served from: the requested one if Normal, the layer it is remapped from if
   * Remapped; an Unavailable layer is refused here. (An LOD or channel nobody wrote in a Normal group
   * fails when read, with the missing object's 404, as in OpenVDS: see `VDS.reader`.)
   */
  private readableLayer(selection: LayerSelection): VolumeDataLayer {
    const layer = this.layer(selection);
    this.vds.assertOpen();
    const status = this.vds.layerProduceStatus(layer);
    if (status === VDSProduceStatus.Normal) return layer;
    const source = status === VDSProduceStatus.Remapped ? this.vds.remapSource(layer) : undefined;
    if (!source) {
      throw new InvalidOperationError(`The requested dimension group or channel is unavailable: ${layer.name} (LOD ${layer.lod}, ` +
        `channel ${layer.channel}) is Unavailable (check VDS produce status before requesting data)`);
    }
    return source;
  }

  private outputFormat(layer: VolumeDataLayer, format: VolumeDataFormat | undefined): VolumeDataFormat {
    if (format === undefined) return VolumeDataFormat.Format_R32;
    const output = format === VolumeDataFormat.Format_Any ? layer.channelDescriptor.format
      : enumArgument<VolumeDataFormat>(VolumeDataFormat, 'VolumeDataFormat', format, 'format');
    if (output === VolumeDataFormat.Format_1Bit && hasComponentBits(layer.channelDescriptor)) {
      throw new InvalidArgumentError(`A Format_1Bit buffer cannot hold ${channelText(layer)}: OpenVDS 3.4 sizes it without the components ` +
        'and overruns it; request Format_U8 or Format_R32 (components interleaved)');
    }
    return output;
  }

  /** `[min, max)` padded to 6 dimensions, inside the layer (whose dimension 0 is the mapped value count for PerTrace channels). */
  private checkedBox(layer: VolumeDataLayer, min: readonly number[], max: readonly number[]): [Index6, Index6] {
    return boxArgument(min, max, this.vds.layout.getDimensionality(), layer.partition.numSamples);
  }

  /** `[0, 0, 0]…[10, 20, 30]`: a checked box for messages, without the padding to 6 dimensions. */
  private boxText(min: Index6, max: Index6): string {
    const dims = this.vds.layout.getDimensionality();
    return `[${min.slice(0, dims).join(', ')}]…[${max.slice(0, dims).join(', ')}]`;
  }
}

/** Starts a prepared request at once, as OpenVDS does; the request holds its buffer from the start. */
function started<T extends VolumeDataTypedArray>(prepared: PreparedRequest<T>): VolumeDataRequest<T> {
  const data = prepared.allocate();
  return new VolumeDataRequest((cancel) => prepared.run(data, cancel), { buffer: data, byteSize: prepared.byteSize, format: prepared.format });
}

/** A prepared request as a cold Observable: allocated and run per subscription (not at all once its signal has aborted). */
function cold<T extends VolumeDataTypedArray>(prepared: PreparedRequest<T>): Observable<RequestEvent<T>> {
  return defer(() => {
    throwIfAborted(prepared.signal);
    return prepared.run(prepared.allocate());
  });
}

/**
 * A request's work into `data`, ended by `signal` or `cancel`, then `data` itself. Workers that
 * deliver into `data` do it through `destination`: however the request ends, it settles only once
 * that is closed, so nothing writes into `data` after.
 */
function settled<T>(work: Observable<RequestEvent<T>>, destination: ChunkDestination<unknown> | undefined, data: T,
  signal: AbortSignal | undefined, cancel: AbortSignal | undefined): Observable<RequestEvent<T>> {
  const aborted = work.pipe(untilAborted(signal, cancel));
  return (destination ? aborted.pipe(closesDestination(destination)) : aborted).pipe(endWith<RequestEvent<T>>({ kind: 'data', data }));
}

/** `channel 0 ("Mask", Format_1Bit with Components_2)` for messages. */
function channelText(layer: VolumeDataLayer): string {
  const channel = layer.channelDescriptor;
  return `channel ${layer.channel} (${JSON.stringify(channel.name)}, ${VolumeDataFormat[channel.format]} with ${VolumeDataComponents[channel.components]})`;
}
