// SEG-Y → dataset, as OpenVDS's SEGYImport writes it: Amplitude (in the format of amplitudeFormat.ts),
// Trace (PerTrace flag) and SEGYTraceHeader (PerTrace, 240 bytes) channels, SEGY/SurveyCoordinateSystem/
// ImportInformation metadata.
// The volume is written one column of chunks (all sample chunks over one lateral chunk) at a time, so
// memory holds one column's pages and one bounded read of traces, whatever the size of the file.
import {
  AccessMode, BrickSize, ChannelFlags, CompressionMethod, DimensionsND, LayoutOptions, LODLevels, VolumeDataComponents, VolumeDataFormat,
  VolumeDataMapping,
} from '../model/enums.js';
import { VolumeDataAxisDescriptor, VolumeDataChannelDescriptor, VolumeDataLayoutDescriptor } from '../model/layout/descriptors.js';
import { KnownMetadata } from '../model/metadata/knownMetadata.js';
import { MetadataContainer } from '../model/metadata/metadataContainer.js';
import { rm } from 'node:fs/promises';
import { throwIfAborted } from '../async/abort.js';
import { openStore } from '../../sources/stores/openStore.js';
import { isDeletable, type Store } from '../../sources/stores/store.js';
import { isDatasetStore } from '../../sources/dataset/datasetFor.js';
import { datasetWithSignal } from '../../sources/dataset/datasetWithSignal.js';
import { VdsFileDataset, vdsFileDatasetFor } from '../../sources/dataset/vdsFileDataset.js';
import type { DatasetStore } from '../engine/datasetStore.js';
import { withSignal } from '../../sources/stores/withSignal.js';
import type { VolumeDataPage } from '../api/page.js';
import type { VolumeDataPageAccessor } from '../api/pageAccessor.js';
import type { VDS } from '../api/vds.js';
import type { VolumeDataLayer } from '../model/geometry/layers.js';
import { layersOf, type VolumeDataLayout } from '../model/layout/volumeDataLayout.js';
import { close, create, getAccessManager } from '../api/entryPoints.js';
import { CanceledError, SegyFormatError } from '../model/errors.js';
import { AmplitudeDecoder, type AmplitudeElements, amplitudeElements, amplitudeFormat } from './amplitudeFormat.js';
import { MeasurementSystem } from './binaryHeader.js';
import { type GeometryOptions, type SurveyGeometry, surveyGeometry } from './geometry.js';
import { readHeaderField, TRACE_HEADER_SIZE } from './headerField.js';
import { hasGatherOffset, is2D, isUnbinned, type SEGYScan, type SEGYScanOptions, type SEGYSegment, SEGYType, scanSegy } from './scan.js';
import { SEGYFile, type SEGYOpenOptions } from './segyFile.js';
import { distanceConverter, surveyLattice } from './surveyCoordinates.js';

export interface ImportSegyOptions extends SEGYOpenOptions, SEGYScanOptions, GeometryOptions {
  connectionString?: string;
  compressionMethod?: CompressionMethod;
  /** Wavelet methods: the maximum deviation in 8-bit steps of the value range (SEGYImport's --tolerance, 0 by default, raised to 0.01). */
  compressionTolerance?: number;
  brickSize?: BrickSize;
  margin?: number;
  /** Default as OpenVDS: 4 for 3D post-stack, 2 otherwise. */
  lodLevels?: LODLevels;
  /** Name of the primary channel (OpenVDS: --attribute-name). */
  attributeName?: string;
  attributeUnit?: string;
  /** Coordinate reference system in well-known text (SurveyCoordinateSystem.CRSWkt; OpenVDS: --crs-wkt). */
  crsWkt?: string;
  /** Unit of the dataset's survey coordinates; distances in feet or meters are converted. Default meters. */
  surveyUnit?: MeasurementSystem;
  /** Import even when the geometry looks wrong (one segment, more than half the grid empty). */
  ignoreWarnings?: boolean;
  /** The file's scan made earlier (SEGYImport's --file-info); the file is not scanned again. */
  scan?: SEGYScan;
  /** Bytes of traces per read (default 8 MiB). */
  maxReadBytes?: number;
  onProgress?: (fraction: number) => void;
  /**
   * Aborting stops reading and writing at once and rejects with CanceledError; the half-written
   * dataset is made unopenable (its VolumeDataLayout deleted, a `.vds` file removed).
   */
  signal?: AbortSignal;
}

export interface ImportSegyResult {
  readonly geometry: SurveyGeometry;
  readonly tracesWritten: number;
  /** Traces whose keys fall off the grid (e.g. an irregular step) and were left out. */
  readonly tracesIgnored: number;
  readonly chunksWritten: number;
}

/** Where the keys of a trace go among the dimensions (dimension 0 is always the sample). */
interface DimensionRoles {
  fold?: number;
  secondary: number;
  primary?: number;
}

function dimensionRoles(type: SEGYType, crosslineSorted: boolean): DimensionRoles {
  switch (type) {
    case SEGYType.Poststack: return crosslineSorted ? { primary: 1, secondary: 2 } : { secondary: 1, primary: 2 };
    case SEGYType.Prestack: return crosslineSorted ? { fold: 1, primary: 2, secondary: 3 } : { fold: 1, secondary: 2, primary: 3 };
    case SEGYType.Poststack2D: return { secondary: 1 };
    case SEGYType.Prestack2D: return { fold: 1, secondary: 2 };
    default: return { secondary: 1, primary: 2 };
  }
}

/** Per-dimension voxel range and dense strides of a page, including margins. */
class PageBox {
  readonly min: number[];
  readonly max: number[];
  readonly strides: number[];
  constructor(page: VolumeDataPage) {
    [this.min, this.max] = page.getMinMax();
    this.strides = [];
    let stride = 1;
    for (let d = 0; d < this.min.length; d++) {
      this.strides.push(stride);
      stride *= this.max[d]! - this.min[d]!;
    }
  }

  /** Element offset of lateral position `lateral` (dimensions ≥ 1) with dimension 0 at the page start. */
  traceOffset(lateral: readonly number[]): number {
    let offset = 0;
    for (let d = 1; d < this.min.length; d++) offset += (lateral[d]! - this.min[d]!) * this.strides[d]!;
    return offset;
  }
}

interface Column {
  amplitude: { page: VolumeDataPage; box: PageBox }[];
  flag: { page: VolumeDataPage; box: PageBox };
  header: { page: VolumeDataPage; box: PageBox };
  offset?: { page: VolumeDataPage; box: PageBox };
  /** Lateral voxel range covered by the column (margins included). */
  min: number[];
  max: number[];
}

export async function importSegy(inputPath: string, url: string | Store | DatasetStore, options: ImportSegyOptions = {}): Promise<ImportSegyResult> {
  const { signal } = options;
  throwIfAborted(signal);
  const file = await SEGYFile.open(inputPath, options);
  try {
    if (file.traceCount === 0) throw new SegyFormatError(`${file.name} has no traces to import`);
    const scan = options.scan ?? await scanSegy(file, options);
    throwIfAborted(signal);
    const geometry = await surveyGeometry(file, scan, options);
    checkGeometry(file, scan, geometry, options);
    const toDatasetDistance = distanceConverter(file.binaryHeaderInfo.measurementSystem, options.surveyUnit ?? MeasurementSystem.Meters);
    throwIfAborted(signal);
    // Under a signal, every write of the dataset (the page accessors' included) stops when it aborts.
    const target = signal ? (typeof url === 'string' ? vdsFileDatasetFor(url, 'create') ?? openStore(url, options.connectionString ?? '', 'create').store : url) : undefined;
    const dataset = await create(target ? (isDatasetStore(target) ? datasetWithSignal(target, signal!) : withSignal(target, signal!)) : url, options.connectionString ?? '', layoutDescriptor(scan.segyType, options),
      axisDescriptors(geometry), channelDescriptors(file, geometry, scan, options, toDatasetDistance),
      importMetadata(file, scan, geometry, options, toDatasetDistance), options.compressionMethod ?? CompressionMethod.None,
      options.compressionTolerance ?? 0)
      .catch((error: unknown) => canceledOr(error, target, signal));
    let closed = false;
    try {
      const result = await writeTraces(file, scan, geometry, dataset, options, toDatasetDistance);
      closed = true;
      await close(dataset);
      return result;
    } catch (error) {
      if (!closed) await close(dataset, false).catch(() => undefined);
      return await canceledOr(error, target, signal);
    }
  } finally {
    await file.close();
  }
}

/** Rethrows `error`, unless it comes of an abort: then the partial dataset goes and the import is canceled. */
async function canceledOr(error: unknown, target: Store | DatasetStore | undefined, signal: AbortSignal | undefined): Promise<never> {
  if (!target || !signal?.aborted) throw error;
  await unpublish(target);
  throw new CanceledError();
}

/** A canceled import leaves no dataset that opens, empty or half written. */
async function unpublish(target: Store | DatasetStore): Promise<void> {
  if (target instanceof VdsFileDataset) await rm(target.path, { force: true });
  else if (!isDatasetStore(target) && isDeletable(target)) await target.delete('VolumeDataLayout').catch(() => undefined);
}

export function checkGeometry(file: SEGYFile, scan: SEGYScan, geometry: SurveyGeometry, options: ImportSegyOptions): void {
  if (options.ignoreWarnings) return;
  if (!is2D(scan.segyType) && scan.segments.length === 1) {
    throw new SegyFormatError(`${file.name}: there is only one ${scan.primaryKeyName} segment: this is 2D data (import it as 2D) or the header byte ` +
      'locations are wrong; set ignoreWarnings to import it anyway');
  }
  if (geometry.gridTraceCount >= 2 * geometry.traceCount) {
    const percent = ((geometry.gridTraceCount - geometry.traceCount) * 100 / geometry.gridTraceCount).toFixed(1);
    throw new SegyFormatError(`${file.name}: ${percent} % of the ${geometry.gridTraceCount} traces of the grid would be empty: the header byte locations ` +
      'or primary key are probably wrong; set ignoreWarnings to import it anyway');
  }
}

export function layoutDescriptor(type: SEGYType, options: ImportSegyOptions): VolumeDataLayoutDescriptor {
  const lodLevels = options.lodLevels ?? (type === SEGYType.Poststack ? LODLevels.LODLevels_4 : LODLevels.LODLevels_2);
  const layoutOptions = type === SEGYType.Poststack2D ? LayoutOptions.Options_Create2DLODs : LayoutOptions.Options_None;
  const margin = options.margin ?? 0;
  return new VolumeDataLayoutDescriptor(options.brickSize ?? BrickSize.BrickSize_64, margin, margin, 4, lodLevels, layoutOptions);
}

export function axisDescriptors(geometry: SurveyGeometry): VolumeDataAxisDescriptor[] {
  return geometry.axes.map((a) => new VolumeDataAxisDescriptor(a.numSamples, a.name, a.unit, a.coordinateMin, a.coordinateMax));
}

export function channelDescriptors(file: SEGYFile, geometry: SurveyGeometry, scan: SEGYScan, options: ImportSegyOptions,
  convert: (distance: number) => number): VolumeDataChannelDescriptor[] {
  const U8 = VolumeDataFormat.Format_U8;
  const one = VolumeDataComponents.Components_1;
  const [min, max] = geometry.valueRange;
  const { format, integerOffset } = amplitudeFormat(file.dataSampleFormatCode);
  const channels = [
    // No no-value, as SEGYImport: the value range is that of the SEG-Y values, not of the stored codes.
    new VolumeDataChannelDescriptor(format, one, options.attributeName ?? 'Amplitude', options.attributeUnit ?? '', min, max,
      VolumeDataMapping.Direct, 1, ChannelFlags.Default, undefined, 1, integerOffset),
    VolumeDataChannelDescriptor.traceMappedVolumeDataChannelDescriptor(U8, one, 'Trace', '', 0, 1, 1, ChannelFlags.DiscreteData),
    VolumeDataChannelDescriptor.traceMappedVolumeDataChannelDescriptor(U8, one, 'SEGYTraceHeader', '', 0, 255, TRACE_HEADER_SIZE,
      ChannelFlags.DiscreteData | ChannelFlags.NoLossyCompressionUseZip | ChannelFlags.NotRenderable),
  ];
  if (hasGatherOffset(scan.segyType)) {
    const offsets = geometry.offsets.length ? geometry.offsets : [0];
    channels.push(VolumeDataChannelDescriptor.traceMappedVolumeDataChannelDescriptor(VolumeDataFormat.Format_R32, one, 'Offset', 'm',
      convert(offsets.reduce((a, b) => Math.min(a, b))), convert(offsets.reduce((a, b) => Math.max(a, b))), 1, ChannelFlags.NoLossyCompression));
  }
  return channels;
}

function primaryKeyAxisName(scan: SEGYScan, geometry: SurveyGeometry): string {
  if (isUnbinned(scan.segyType)) return 'Gather';
  return geometry.primaryKey;
}

export function importMetadata(file: SEGYFile, scan: SEGYScan, geometry: SurveyGeometry, options: ImportSegyOptions,
  convert: (distance: number) => number): MetadataContainer {
  const metadata = new MetadataContainer();
  const K = KnownMetadata;
  const name = file.name;
  metadata.setMetadataString(K.categoryImportInformation(), 'DisplayName', name);
  metadata.setMetadataString(K.categoryImportInformation(), 'InputFileName', name);
  metadata.setMetadataDouble(K.categoryImportInformation(), 'InputFileSize', file.fileSize);
  metadata.setMetadataString(K.categoryImportInformation(), 'InputTimeStamp', wholeSecondTimeStamp(file.lastWriteTime));
  metadata.setMetadataString(K.categoryImportInformation(), 'ImportTimeStamp', new Date().toISOString());

  const segy = K.categorySEGY();
  metadata.setMetadataBLOB(segy, 'TextHeader', file.textHeader);
  metadata.setMetadataBLOB(segy, 'BinaryHeader', file.binaryHeader);
  metadata.setMetadataInt(segy, 'Endianness', file.headerEndianness);
  metadata.setMetadataInt(segy, 'DataSampleFormatCode', file.dataSampleFormatCode);
  // SEGYImport writes only the four keys above. The next two are keys OpenVDS's SEGYExport reads,
  // written only when its defaults (samples in the headers' byte order, traces in the order of the
  // last dimension) would not give the original file back.
  if (file.dataEndianness !== file.headerEndianness) metadata.setMetadataInt(segy, 'DataEndianness', file.dataEndianness);
  const primaryKey = primaryKeyAxisName(scan, geometry);
  if (geometry.axes.slice(1, -1).some((axis) => axis.name === primaryKey)) metadata.setMetadataString(segy, 'PrimaryKey', primaryKey);
  // Not an OpenVDS key at all: keeps the extended textual headers so that an export can write them back.
  if (file.extendedTextHeaders.length) {
    const all = new Uint8Array(file.extendedTextHeaders.length * 3200);
    file.extendedTextHeaders.forEach((h, i) => all.set(h, i * 3200));
    metadata.setMetadataBLOB(segy, 'ExtendedTextHeader', all);
  }

  const survey = K.categorySurveyCoordinateSystem();
  const unit = options.surveyUnit ?? MeasurementSystem.Meters;
  if (unit === MeasurementSystem.Meters) metadata.setMetadataString(survey, 'Unit', K.unitMeter());
  else if (unit === MeasurementSystem.Feet) metadata.setMetadataString(survey, 'Unit', K.unitFoot());
  const binned = scan.primaryKeyName === 'inlinenumber' || scan.primaryKeyName === 'crosslinenumber';
  if (binned && !is2D(scan.segyType)) {
    const lattice = surveyLattice(scan.segments, scan.primaryKeyName === 'crosslinenumber', convert);
    metadata.setMetadataDoubleVector2(survey, 'Origin', lattice.origin);
    metadata.setMetadataDoubleVector2(survey, 'InlineSpacing', lattice.inlineSpacing);
    metadata.setMetadataDoubleVector2(survey, 'CrosslineSpacing', lattice.crosslineSpacing);
  }
  if (options.crsWkt !== undefined) metadata.setMetadataString(survey, 'CRSWkt', options.crsWkt);
  return metadata;
}

/** ISO 8601 with milliseconds, always .000 as SEGYImport writes a file's time on Linux (it drops the fraction). */
function wholeSecondTimeStamp(time: Date): string {
  return new Date(Math.floor(time.getTime() / 1000) * 1000).toISOString();
}

/** Distinct chunk starts (margins excluded) of every dimension, from the layer's chunk grid. */
function chunkStarts(layer: VolumeDataLayer, dimensionality: number): number[][] {
  const starts = Array.from({ length: dimensionality }, () => new Set<number>());
  for (let chunk = 0; chunk < layer.chunkCount; chunk++) {
    layer.partition.chunkMinMax(chunk, false).min.slice(0, dimensionality).forEach((v, d) => starts[d]!.add(v));
  }
  return starts.map((s) => [...s].sort((a, b) => a - b));
}

/** The primary channel's LOD layers of the volume's full dimension group, LOD 0 first. */
function amplitudeLODLayers(layout: VolumeDataLayout): VolumeDataLayer[] {
  const group = layout.getDimensionality() === 2 ? DimensionsND.Dimensions_01 : DimensionsND.Dimensions_012;
  return layersOf(layout).lodLayers(group, 0);
}

/**
 * The import's columns in parts that share no LOD chunk: a part holds every column under one chunk
 * of the top LOD, so it builds its whole LOD pyramid from its own traces (the columns of a
 * part are aligned to 2^LODs bricks laterally). Parts come in the file's order.
 */
export function importParts(layout: VolumeDataLayout, scan: SEGYScan): number[][][] {
  const lods = amplitudeLODLayers(layout);
  const layer = lods[0]!;
  const top = lods.length - 1;
  const p = layer.partition;
  const roles = dimensionRoles(scan.segyType, scan.primaryKeyName === 'crosslinenumber');
  const parts = new Map<string, number[][]>();
  for (const column of lateralColumns(chunkStarts(layer, layout.getDimensionality()), roles)) {
    const index = p.chunkIndexToIndexArray(p.chunkIndexOfVoxel(column));
    const key = index.map((i, d) => (d === 0 ? 0 : p.isDimensionChunked(d) && p.isDimensionLODDecimated(d) ? i >> top : i)).join(',');
    let part = parts.get(key);
    if (!part) parts.set(key, part = []);
    part.push(column);
  }
  return [...parts.values()];
}

/** LOD 0 chunks of the primary channel in one column. */
export function chunksPerColumn(layout: VolumeDataLayout): number {
  const layer = amplitudeLODLayers(layout)[0]!;
  return layer.partition.chunksInDimension[0]!;
}

/** Every combination of the lateral chunk starts, the primary dimension outermost (the file's order). */
function lateralColumns(starts: number[][], roles: DimensionRoles): number[][] {
  const dims = starts.length;
  const order = [...Array(dims).keys()].slice(1).sort((a, b) => (a === roles.primary ? 1 : b === roles.primary ? -1 : b - a));
  let columns: number[][] = [new Array<number>(dims).fill(0)];
  for (const d of order) columns = columns.flatMap((c) => starts[d]!.map((s) => { const n = [...c]; n[d] = s; return n; }));
  return columns;
}

/**
 * Writes the traces of every column, or with `part` those of one of `importParts` (a distributed
 * import): the dataset gets that part's chunks and their LODs.
 */
export async function writeTraces(file: SEGYFile, scan: SEGYScan, geometry: SurveyGeometry, dataset: VDS,
  options: ImportSegyOptions, convert: (distance: number) => number, part?: number): Promise<ImportSegyResult> {
  const dims = geometry.axes.length;
  const group = dims === 2 ? DimensionsND.Dimensions_01 : DimensionsND.Dimensions_012;
  const manager = getAccessManager(dataset);
  const mode = AccessMode.AccessMode_Create;
  const amplitude = manager.createVolumeDataPageAccessor(group, 0, 0, 1, mode);
  const flags = manager.createVolumeDataPageAccessor(group, 0, 1, 2, mode);
  const headers = manager.createVolumeDataPageAccessor(group, 0, 2, 2, mode);
  const offsets = hasGatherOffset(scan.segyType) ? manager.createVolumeDataPageAccessor(group, 0, 3, 2, mode) : undefined;

  const roles = dimensionRoles(scan.segyType, scan.primaryKeyName === 'crosslinenumber');
  const starts = chunkStarts(amplitude.layer, dims);
  amplitude.setMaxPages(starts[0]!.length);
  const columns = part === undefined ? lateralColumns(starts, roles) : importParts(dataset.layout, scan)[part]!;
  const locator = new TraceLocator(file, scan, geometry, roles, options.maxReadBytes, options.signal);
  const decoder = new AmplitudeDecoder(file.dataSampleFormatCode, file.dataEndianness, file.sampleCount);
  const samples = amplitudeElements(decoder.format, file.sampleCount);
  let tracesWritten = 0;
  let chunksWritten = 0;

  for (let c = 0; c < columns.length; c++) {
    throwIfAborted(options.signal);
    const start = columns[c]!;
    const column = openColumn(start, starts[0]!, amplitude, flags, headers, offsets);
    for await (const trace of locator.tracesIn(column.min, column.max)) {
      decoder.decode(trace.bytes.subarray(TRACE_HEADER_SIZE), samples);
      for (const { page, box } of column.amplitude) {
        const lo = Math.max(0, box.min[0]!);
        const hi = Math.min(samples.length, box.max[0]!);
        (page.getWritableBuffer() as AmplitudeElements).set(samples.subarray(lo, hi), box.traceOffset(trace.position) + lo - box.min[0]!);
      }
      (column.flag.page.getWritableBuffer() as Uint8Array)[column.flag.box.traceOffset(trace.position)] = 1;
      (column.header.page.getWritableBuffer() as Uint8Array).set(trace.bytes.subarray(0, TRACE_HEADER_SIZE), column.header.box.traceOffset(trace.position));
      if (column.offset) {
        (column.offset.page.getWritableBuffer() as Float32Array)[column.offset.box.traceOffset(trace.position)] =
          convert(readHeaderField(trace.bytes, scan.fields.offset, file.headerEndianness));
      }
      if (trace.inChunkInterior) tracesWritten++;
    }
    const pages = [...column.amplitude.map((a) => a.page), column.flag.page, column.header.page, ...(column.offset ? [column.offset.page] : [])];
    for (const page of pages) await page.release();
    chunksWritten += column.amplitude.length;
    options.onProgress?.((c + 1) / columns.length);
  }
  await Promise.all([amplitude, flags, headers, ...(offsets ? [offsets] : [])].map((a) => a.commit()));
  return { geometry, tracesWritten, tracesIgnored: locator.ignored, chunksWritten };
}

function openColumn(start: number[], sampleStarts: number[], amplitude: VolumeDataPageAccessor, flags: VolumeDataPageAccessor,
  headers: VolumeDataPageAccessor, offsets: VolumeDataPageAccessor | undefined): Column {
  const paged = (accessor: VolumeDataPageAccessor, position: number[]) => {
    const page = accessor.createPage(accessor.getChunkIndex(position));
    return { page, box: new PageBox(page) };
  };
  const amplitudePages = sampleStarts.map((s0) => paged(amplitude, [s0, ...start.slice(1)]));
  const lateral = [0, ...start.slice(1)];
  const { min, max } = amplitudePages[0]!.box;
  return {
    amplitude: amplitudePages,
    flag: paged(flags, lateral),
    header: paged(headers, lateral),
    offset: offsets ? paged(offsets, lateral) : undefined,
    min: [...min],
    max: [...max],
  };
}

interface LocatedTrace {
  /** Voxel position; entry 0 unused. */
  position: number[];
  bytes: Uint8Array;
  /** False for copies written into a neighbouring chunk's margin. */
  inChunkInterior: boolean;
}

/** Finds the traces of a lateral voxel box through the segments: a bisection per segment, then one bounded read per run. */
class TraceLocator {
  ignored = 0;
  private readonly segmentByKey = new Map<number, SEGYSegment>();
  private readonly seen = new Set<number>();
  private readonly endianness;

  constructor(private readonly file: SEGYFile, private readonly scan: SEGYScan, private readonly geometry: SurveyGeometry,
    private readonly roles: DimensionRoles, private readonly maxReadBytes = 8 * 1024 * 1024, private readonly signal?: AbortSignal) {
    for (const s of scan.segments) this.segmentByKey.set(s.primaryKey, s);
    this.endianness = file.headerEndianness;
  }

  private get primaryRange() {
    return this.scan.primaryKeyName === 'crosslinenumber' ? this.geometry.crossline : this.geometry.inline;
  }

  private get secondaryRange() {
    return this.scan.primaryKeyName === 'crosslinenumber' ? this.geometry.inline : this.geometry.crossline;
  }

  private segmentAt(primaryIndex: number): SEGYSegment | undefined {
    if (is2D(this.scan.segyType)) return this.scan.segments[0];
    if (isUnbinned(this.scan.segyType)) return this.scan.segments[primaryIndex];
    const range = this.primaryRange;
    return this.segmentByKey.get(range.min + primaryIndex * range.step);
  }

  private secondaryKeyOf(header: Uint8Array, trace: number, segment: SEGYSegment): number {
    return isUnbinned(this.scan.segyType) ? trace - segment.traceStart + 1 : readHeaderField(header, this.scan.fields.secondaryKey, this.endianness);
  }

  /** Secondary index of a key, or undefined off the grid. */
  private secondaryIndex(key: number): number | undefined {
    if (isUnbinned(this.scan.segyType)) return key - 1;
    const range = this.secondaryRange;
    const index = (key - range.min) / range.step;
    return Number.isInteger(index) && index >= 0 && index < range.count ? index : undefined;
  }

  async *tracesIn(min: readonly number[], max: readonly number[]): AsyncGenerator<LocatedTrace> {
    const { primary, secondary, fold } = this.roles;
    const [p0, p1] = primary === undefined ? [0, 1] : [min[primary]!, max[primary]!];
    for (let p = p0; p < p1; p++) {
      const segment = this.segmentAt(p);
      if (!segment) continue;
      yield* this.segmentTraces(segment, p, min, max, primary, secondary, fold);
    }
  }

  private async *segmentTraces(segment: SEGYSegment, p: number, min: readonly number[], max: readonly number[],
    primary: number | undefined, secondary: number, fold: number | undefined): AsyncGenerator<LocatedTrace> {
    const s0 = min[secondary]!;
    const s1 = max[secondary]!;
    const first = await this.firstTraceAtOrAfter(segment, s0, s1);
    const traceBytes = this.file.traceByteSize;
    const perRead = Math.max(1, Math.floor(this.maxReadBytes / traceBytes));
    let previousKey: number | undefined;
    let foldIndex = 0;
    for (let trace = first; trace <= segment.traceStop;) {
      const count = Math.min(perRead, segment.traceStop - trace + 1);
      throwIfAborted(this.signal);
      const bytes = await this.file.readTraces(trace, count);
      this.checkPrimaryKeys(segment, trace, bytes, count);
      for (let t = 0; t < count; t++, trace++) {
        const traceData = bytes.subarray(t * traceBytes, (t + 1) * traceBytes);
        const key = this.secondaryKeyOf(traceData, trace, segment);
        foldIndex = key === previousKey ? foldIndex + 1 : 0;
        previousKey = key;
        const s = this.secondaryIndex(key);
        if (s === undefined) {
          this.countIgnored(trace);
          continue;
        }
        if (this.pastRange(segment, s, s1, s0)) return;
        if (s < s0 || s >= s1) continue;
        if (fold !== undefined && (foldIndex < min[fold]! || foldIndex >= max[fold]!)) {
          if (foldIndex >= this.geometry.fold) this.countIgnored(trace);
          continue;
        }
        const position = new Array<number>(min.length).fill(0);
        position[secondary] = s;
        if (primary !== undefined) position[primary] = p;
        if (fold !== undefined) position[fold] = foldIndex;
        yield { position, bytes: traceData, inChunkInterior: this.firstVisit(trace) };
      }
    }
  }

  /**
   * Every trace of a segment carries its primary key: one that does not is corrupt, or the file
   * changed since it was scanned. Refused, naming the traces, rather than written to the wrong line.
   */
  private checkPrimaryKeys(segment: SEGYSegment, first: number, bytes: Uint8Array, count: number): void {
    if (is2D(this.scan.segyType)) return;
    const traceBytes = this.file.traceByteSize;
    const wrong: number[] = [];
    for (let t = 0; t < count; t++) {
      if (readHeaderField(bytes.subarray(t * traceBytes), this.scan.fields.primaryKey, this.endianness) !== segment.primaryKey) wrong.push(first + t);
    }
    if (!wrong.length) return;
    const traces = wrong.length === 1 ? `trace ${wrong[0]}` : `${wrong.length} traces from ${wrong[0]} to ${wrong.at(-1)}`;
    throw new SegyFormatError(`${this.file.name}: ${traces} of the ${this.scan.primaryKeyName} ${segment.primaryKey} segment (traces ` +
      `${segment.traceStart}–${segment.traceStop}) have another ${this.scan.primaryKeyName}: the traces are corrupt, or the file changed since it was scanned`);
  }

  private countIgnored(trace: number): void {
    if (this.firstVisit(trace)) this.ignored++;
  }

  /** Each trace counts once, though margins make neighbouring columns read it again. */
  private firstVisit(trace: number): boolean {
    if (this.seen.has(trace)) return false;
    this.seen.add(trace);
    return true;
  }

  /** Whether secondary indices run past the box in the segment's direction. */
  private pastRange(segment: SEGYSegment, s: number, s1: number, s0: number): boolean {
    return this.ascending(segment) ? s >= s1 : s < s0;
  }

  private ascending(segment: SEGYSegment): boolean {
    if (isUnbinned(this.scan.segyType)) return true;
    const secondaryOf = this.scan.primaryKeyName === 'crosslinenumber' ? (b: typeof segment.start) => b.inline : (b: typeof segment.start) => b.crossline;
    return secondaryOf(segment.stop) >= secondaryOf(segment.start);
  }

  /** The first trace of `segment` whose secondary index is inside or past `[s0, s1)` in the segment's direction (bisection on headers). */
  private async firstTraceAtOrAfter(segment: SEGYSegment, s0: number, s1: number): Promise<number> {
    if (isUnbinned(this.scan.segyType)) return Math.min(segment.traceStop + 1, segment.traceStart + s0);
    const ascending = this.ascending(segment);
    const range = this.secondaryRange;
    const bound = range.min + (ascending ? s0 : s1 - 1) * range.step;
    let lo = segment.traceStart;
    let hi = segment.traceStop + 1;
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      const key = this.secondaryKeyOf(await this.file.readTraceHeader(mid), mid, segment);
      if (ascending ? key < bound : key > bound) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
