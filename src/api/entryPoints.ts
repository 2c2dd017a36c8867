// The OpenVDS entry points: open, create, close, getLayout, getAccessManager.
import { checkEngineKeys, checkEngineSettings, openStore, openStoreFromOptions, type StoreIntent } from '../../sources/stores/openStore.js';
import { redactUrl } from '../../sources/stores/redact.js';
import type { ReadableStore } from '../../sources/stores/store.js';
import { VolumeDataAccessManager } from './accessManager.js';
import { type ConnectionOptions, parseConnectionString } from '../../sources/stores/connectionString.js';
import { CompressionMethod, LogLevel } from '../model/enums.js';
import { CanceledError, errorMessage, InvalidArgumentError, ReadError, WriteError } from '../model/errors.js';
import { throwIfAborted } from '../async/abort.js';
import { checkWritableCompression, isPlainObject, signalArgument } from './requestArguments.js';
import {
  type VolumeDataAxisDescriptor, type VolumeDataChannelDescriptor, VolumeDataLayoutDescriptor,
} from '../model/layout/descriptors.js';
import type { IOManager } from './ioManager.js';
import { OpenOptions, VDSFileOpenOptions, WaveletAdaptiveMode as AdaptiveModeOption } from '../../sources/stores/openOptions.js';
import type { LayerStatusEntry } from '../model/layout/layerStatus.js';
import { validateLayout, VolumeDataLayout } from '../model/layout/volumeDataLayout.js';
import { validateNewLayout } from '../model/layout/newLayout.js';
import { MetadataContainer, type MetadataReadAccess } from '../model/metadata/metadataContainer.js';
import { VDS } from './vds.js';
import { datasetFor, isDatasetStore } from '../../sources/dataset/datasetFor.js';
import { vdsFileDatasetAt, vdsFileDatasetFor } from '../../sources/dataset/vdsFileDataset.js';
import type { DatasetStore } from '../engine/datasetStore.js';
import { defaultEngineOptions, type EngineOptions, engineOptionsFrom } from '../engine/engineOptions.js';
import { chunkPool, workerCount } from '../workers/pool.js';
import { decodeJobKind } from '../../operators/decodeChunks.js';
import type { WaveletAdaptiveMode } from '../model/adaptiveLevels.js';

const accessManagers = new WeakMap<VDS, VolumeDataAccessManager>();

/** A dataset: a URL (or path), OpenOptions, or an IOManager (any store, e.g. a wrapped one). */
export type Dataset = string | OpenOptions | IOManager;

/**
 * rxvds's options of one `open`, `create` or `openWithAdaptiveCompression*` call, as an extra last
 * argument after those of any OpenVDS overload. Aborting `signal` rejects the call with
 * CanceledError and aborts its store reads and writes. The key is required (its value may be
 * undefined): it is what tells this object from OpenVDS's VDSError out-parameter, which is refused.
 * (Not an OpenOptions field: OpenOptions are OpenVDS's reusable connection settings, and the URL
 * and IOManager forms have none.)
 */
export interface AbortOptions {
  signal: AbortSignal | undefined;
}

/** An overload's optional arguments `T`, or any leading part of them, then AbortOptions. */
type ThenAbortOptions<T extends unknown[]> = T extends [...infer Head, unknown] ? [...T, AbortOptions?] | ThenAbortOptions<Head> : [AbortOptions?];

/**
 * Opens an existing dataset, as OpenVDS's overloads do: `open(url, connectionString = '')`,
 * `open(options)`, `open(ioManager, logLevel = LogLevel.None)` (or an IOManager with a connection
 * string). Rejects with an error naming the dataset and the cause; OpenVDS's `error` out-parameter
 * overloads are not there, since errors are thrown. Each form takes AbortOptions (`{ signal }`) as
 * an extra last argument: `open(url, { signal })`, `open(url, connection, { signal })`, `open(options, { signal })`.
 */
export async function open(url: string, ...rest: ThenAbortOptions<[connectionString: string]>): Promise<VDS>;
export async function open(options: OpenOptions, abortOptions?: AbortOptions): Promise<VDS>;
export async function open(ioManager: IOManager, ...rest: ThenAbortOptions<[logLevel: LogLevel]>): Promise<VDS>;
export async function open(dataset: string | IOManager, ...rest: ThenAbortOptions<[connectionString: string]>): Promise<VDS>;
export async function open(dataset: Dataset, ...args: unknown[]): Promise<VDS> {
  const { rest: [second, ...extra], signal } = abortOptions('open', args);
  refuseExtra('open', 2, extra);
  return openDataset(dataset, second as string | LogLevel | undefined, undefined, signal);
}

/** Opens a dataset whose wavelet layers are read at the adaptive level that meets `tolerance`. */
export function openWithAdaptiveCompressionTolerance(dataset: string | IOManager, connectionString: string, tolerance: number, options?: AbortOptions): Promise<VDS>;
export function openWithAdaptiveCompressionTolerance(dataset: string | IOManager, connectionString: string, tolerance: number, ...args: unknown[]): Promise<VDS> {
  const { rest: extra, signal } = abortOptions('openWithAdaptiveCompressionTolerance', args);
  refuseExtra('openWithAdaptiveCompressionTolerance', 3, extra);
  if (!(tolerance > 0)) throw new InvalidArgumentError(`tolerance must be positive, got ${tolerance}`);
  return openDataset(dataset, connectionString, { mode: 'tolerance', tolerance }, signal);
}

/** Opens a dataset whose wavelet layers are read at the adaptive level that meets the compression `ratio`. */
export function openWithAdaptiveCompressionRatio(dataset: string | IOManager, connectionString: string, ratio: number, options?: AbortOptions): Promise<VDS>;
export function openWithAdaptiveCompressionRatio(dataset: string | IOManager, connectionString: string, ratio: number, ...args: unknown[]): Promise<VDS> {
  const { rest: extra, signal } = abortOptions('openWithAdaptiveCompressionRatio', args);
  refuseExtra('openWithAdaptiveCompressionRatio', 3, extra);
  if (!(ratio > 0)) throw new InvalidArgumentError(`ratio must be positive, got ${ratio}`);
  return openDataset(dataset, connectionString, { mode: 'ratio', ratio }, signal);
}

async function openDataset(dataset: Dataset, second: string | LogLevel | undefined, adaptive: WaveletAdaptiveMode | undefined,
  signal: AbortSignal | undefined): Promise<VDS> {
  const { store, url, engine, adaptive: fromDataset } = resolveStore(dataset, second);
  adaptive ??= fromDataset;
  const target = datasetFor(store);
  // Reads follow an open: the workers start while the layout loads (a cold worker takes tens of
  // milliseconds), and exit again when idle if none comes.
  void chunkPool().warm();
  try {
    const layout = await target.open({ signal });
    const { method, tolerance } = datasetCompression(target.layerStatuses());
    return new VDS(url, target, layout, method, tolerance, engine, adaptive);
  } catch (error) {
    await target.close();
    if (signal?.aborted) throw new CanceledError(`Opening ${url} was canceled`);
    throw new ReadError(`Cannot open ${url}: ${errorMessage(error)}`, (error as { code?: number }).code ?? -1, { cause: error });
  }
}

/**
 * Creates a dataset (overwriting the layout of one that exists there), with OpenVDS's overloads:
 * `create(url, connectionString, layout, axes, channels, metadata?, compressionMethod?, compressionTolerance?)`,
 * the same without the connection string, `create(options, layout, …)`, and
 * `create(ioManager, layout, axes, channels, metadata, [compressionMethod, compressionTolerance,] [logLevel])`.
 * Only None, RLE and Zip can be written: OpenVDS 3.4 has no wavelet encoder either. Each form
 * takes AbortOptions (`{ signal }`) as an extra last argument; aborting it covers the writes of
 * `create` itself (it may leave a VolumeDataLayout without LayerStatus, which does not open), not
 * later writes through the dataset.
 */
export async function create(
  url: string | IOManager, connectionString: string, layoutDescriptor: VolumeDataLayoutDescriptor,
  axisDescriptors: readonly VolumeDataAxisDescriptor[], channelDescriptors: readonly VolumeDataChannelDescriptor[],
  ...rest: ThenAbortOptions<[metadata: MetadataReadAccess, compressionMethod: CompressionMethod, compressionTolerance: number]>
): Promise<VDS>;
export async function create(
  dataset: string | OpenOptions, layoutDescriptor: VolumeDataLayoutDescriptor,
  axisDescriptors: readonly VolumeDataAxisDescriptor[], channelDescriptors: readonly VolumeDataChannelDescriptor[],
  ...rest: ThenAbortOptions<[metadata: MetadataReadAccess, compressionMethod: CompressionMethod, compressionTolerance: number]>
): Promise<VDS>;
export async function create(
  ioManager: IOManager, layoutDescriptor: VolumeDataLayoutDescriptor,
  axisDescriptors: readonly VolumeDataAxisDescriptor[], channelDescriptors: readonly VolumeDataChannelDescriptor[],
  metadata: MetadataReadAccess, ...rest: ThenAbortOptions<[logLevel: LogLevel]>
): Promise<VDS>;
export async function create(
  ioManager: IOManager, layoutDescriptor: VolumeDataLayoutDescriptor,
  axisDescriptors: readonly VolumeDataAxisDescriptor[], channelDescriptors: readonly VolumeDataChannelDescriptor[],
  metadata: MetadataReadAccess, compressionMethod: CompressionMethod, compressionTolerance: number, ...rest: ThenAbortOptions<[logLevel: LogLevel]>
): Promise<VDS>;
export async function create(dataset: Dataset, ...args: unknown[]): Promise<VDS> {
  const { rest, signal } = abortOptions('create', args);
  const { connection, layoutDescriptor, axisDescriptors, channelDescriptors, metadata, compressionMethod, compressionTolerance } =
    createArguments(dataset, rest);
  checkWritableCompression(compressionMethod, compressionTolerance);
  validateLayout(layoutDescriptor, axisDescriptors, channelDescriptors);
  validateNewLayout(axisDescriptors, channelDescriptors);
  const container = new MetadataContainer();
  container.copyMetadataFrom(metadata);
  const layout = new VolumeDataLayout(layoutDescriptor, [...axisDescriptors], [...channelDescriptors], container);
  const { store, url, engine } = resolveStore(dataset, connection, 'create');
  const target = datasetFor(store);
  try {
    throwIfAborted(signal);
    await target.create(layout, { signal });
  } catch (error) {
    await target.close();
    if (signal?.aborted) throw new CanceledError(`Creating ${url} was canceled`);
    throw new WriteError(`Cannot create ${url}: ${errorMessage(error)}`, (error as { code?: number }).code ?? -1, { cause: error });
  }
  return new VDS(url, target, layout, compressionMethod, compressionTolerance, engine);
}

interface CreateArguments {
  connection: string | LogLevel | undefined;
  layoutDescriptor: VolumeDataLayoutDescriptor;
  axisDescriptors: readonly VolumeDataAxisDescriptor[];
  channelDescriptors: readonly VolumeDataChannelDescriptor[];
  metadata: MetadataReadAccess;
  compressionMethod: CompressionMethod;
  compressionTolerance: number;
}

/** Tells the overloads of `create` apart: a string after the dataset is a connection string, a layout descriptor starts the rest. */
function createArguments(dataset: Dataset, args: unknown[]): CreateArguments {
  const withConnection = typeof args[0] === 'string';
  if (withConnection && dataset instanceof OpenOptions) throw new InvalidArgumentError('create(options, …) takes no connection string: the options hold the settings');
  const connection = withConnection ? args[0] as string : undefined;
  const rest = withConnection ? args.slice(1) : args;
  if (!(rest[0] instanceof VolumeDataLayoutDescriptor)) {
    throw new InvalidArgumentError(`create needs a VolumeDataLayoutDescriptor after the ${withConnection ? 'connection string' : 'dataset (or a connection string)'}`);
  }
  const [layoutDescriptor, axisDescriptors, channelDescriptors, metadata = new MetadataContainer(), ...tail] =
    rest as [VolumeDataLayoutDescriptor, VolumeDataAxisDescriptor[], VolumeDataChannelDescriptor[], MetadataReadAccess | undefined, ...unknown[]];
  if (typeof (metadata as Partial<MetadataReadAccess>).getMetadataKeys !== 'function') {
    throw new InvalidArgumentError(`create: argument ${withConnection ? 6 : 5} is the metadata (a MetadataReadAccess such as a MetadataContainer), got ${String(metadata)}`);
  }
  // Only an IOManager without a connection string has OpenVDS's logLevel overloads: after the
  // metadata, or after the compression pair.
  const takesLogLevel = !withConnection && typeof dataset !== 'string' && !(dataset instanceof OpenOptions);
  const maxTail = takesLogLevel ? 3 : 2;
  refuseExtra('create', (withConnection ? 2 : 1) + 4 + maxTail, tail.slice(maxTail));
  const logLevel = takesLogLevel && tail.length % 2 === 1 ? tail.pop() : undefined;
  const [compressionMethod = CompressionMethod.None, compressionTolerance = 0] = tail as [CompressionMethod?, number?];
  if (logLevel !== undefined && logLevel !== LogLevel.None) {
    throw new InvalidArgumentError(`create(ioManager, …): argument ${tail.length === 0 ? 6 : 8} is the logLevel, as in OpenVDS, and only ` +
      `LogLevel.None is supported (rxvds writes no log), got ${String(logLevel)}; give a compressionMethod together with its compressionTolerance`);
  }
  return { connection, layoutDescriptor, axisDescriptors, channelDescriptors, metadata, compressionMethod, compressionTolerance };
}

/**
 * Takes rxvds's AbortOptions off the end of an overload's arguments: a last argument that is a
 * plain object with a `signal` key. Any other extra object (a VDSError-like `{}`, say) stays an
 * argument too many, so refuseExtra still tells the user that errors are thrown, not filled in.
 */
function abortOptions(fn: string, args: readonly unknown[]): { rest: unknown[]; signal: AbortSignal | undefined } {
  const last = args.at(-1);
  if (!isPlainObject(last) || !('signal' in last)) return { rest: [...args], signal: undefined };
  for (const key of Object.keys(last)) {
    if (key !== 'signal') throw new InvalidArgumentError(`${fn}: unknown option ${JSON.stringify(key)} in its last argument (allowed: signal)`);
  }
  return { rest: args.slice(0, -1), signal: signalArgument(last.signal) };
}

/** OpenVDS's `error` out-parameter overloads have no JavaScript form: errors are thrown, and extra arguments refused. */
function refuseExtra(fn: string, position: number, extra: readonly unknown[]): void {
  if (extra.length > 0) {
    throw new InvalidArgumentError(`${fn} got ${extra.length} argument(s) too many from argument ${position + 1}: ` +
      'rxvds throws its errors instead of filling a VDSError');
  }
}

/** Flushes (unless `flush` is false) and releases the dataset. */
export async function close(vds: VDS, flush = true, ...extra: unknown[]): Promise<void> {
  if (typeof flush !== 'boolean') throw new InvalidArgumentError(`close(handle, flush) needs a boolean flush, got ${typeof flush}: rxvds throws its errors instead of filling a VDSError`);
  refuseExtra('close', 2, extra);
  await vds.close(flush);
}

export function getLayout(vds: VDS): VolumeDataLayout {
  return vds.layout;
}

export function getAccessManager(vds: VDS): VolumeDataAccessManager {
  let manager = accessManagers.get(vds);
  if (!manager) {
    accessManagers.set(vds, manager = new VolumeDataAccessManager(vds));
    // Requests follow: their first chunks find the workers started rather than wait for them.
    void chunkPool().warm(decodeJobKind(vds.compressionMethod));
  }
  return manager;
}

interface ResolvedStore { store: ReadableStore | DatasetStore; url: string; engine: EngineOptions; adaptive?: WaveletAdaptiveMode }

/** The store of a dataset, with its engine settings (connection-string keys, OpenOptions fields or a log level). */
function resolveStore(dataset: Dataset, second: string | LogLevel | undefined, intent: StoreIntent = 'open'): ResolvedStore {
  if (dataset instanceof OpenOptions) {
    if (second !== undefined) throw new InvalidArgumentError('open(options) takes no second argument: the options hold the settings');
    if (dataset instanceof VDSFileOpenOptions) {
      checkEngineSettings(dataset.logLevel, dataset.requestThreadCount);
      return { store: vdsFileDatasetAt(dataset.fileName, intent), url: dataset.fileName, engine: engineOptions(), adaptive: adaptiveFromOptions(dataset) };
    }
    return { ...openStoreFromOptions(dataset, intent), engine: engineOptions(), adaptive: adaptiveFromOptions(dataset) };
  }
  if (typeof second === 'number') {
    if (typeof dataset === 'string') throw new InvalidArgumentError('A log level goes with an IOManager; after a URL comes a connection string');
    if (LogLevel[second] === undefined) throw new InvalidArgumentError(`Invalid logLevel ${second}`);
    checkEngineSettings(second, -1);
    return { store: dataset, url: dataset.description, engine: engineOptions() };
  }
  if (second !== undefined && typeof second !== 'string') throw new InvalidArgumentError(`The connection string must be a string, got ${typeof second}`);
  if (typeof dataset !== 'string') {
    if (!isDatasetStore(dataset) && typeof dataset?.get !== 'function') throw new InvalidArgumentError('open and create need a URL, OpenOptions or an IOManager (a Store)');
    const options = parseConnectionString(second);
    checkEngineKeys(options, 'IOManager');
    return { store: dataset, url: dataset.description, engine: engineOptions(options), adaptive: adaptiveFromConnection(options) };
  }
  const file = vdsFileDatasetFor(dataset, intent);
  if (file) {
    const options = parseConnectionString(second);
    checkEngineKeys(options, 'file');
    return { store: file, url: dataset, engine: engineOptions(options), adaptive: adaptiveFromConnection(options) };
  }
  // URLs carry passwords and signed-query tokens: keep them out of messages.
  const opened = openStore(dataset, second, intent);
  return { store: opened.store, url: redactUrl(dataset), engine: engineOptions(opened.options), adaptive: adaptiveFromConnection(opened.options) };
}

/** The engine's tuning: the defaults for the worker pool, with what the connection string sets. */
function engineOptions(connection: ConnectionOptions = new Map()): EngineOptions {
  return engineOptionsFrom(connection, defaultEngineOptions(workerCount()));
}

/** OpenOptions's waveletAdaptiveMode with its tolerance or ratio. */
function adaptiveFromOptions(options: OpenOptions): WaveletAdaptiveMode | undefined {
  switch (options.waveletAdaptiveMode) {
    case AdaptiveModeOption.BestQuality: return undefined;
    case AdaptiveModeOption.Tolerance:
      if (!(options.waveletAdaptiveTolerance > 0)) throw new InvalidArgumentError(`waveletAdaptiveTolerance must be positive, got ${options.waveletAdaptiveTolerance}`);
      return { mode: 'tolerance', tolerance: options.waveletAdaptiveTolerance };
    case AdaptiveModeOption.Ratio:
      if (!(options.waveletAdaptiveRatio > 0)) throw new InvalidArgumentError(`waveletAdaptiveRatio must be positive, got ${options.waveletAdaptiveRatio}`);
      return { mode: 'ratio', ratio: options.waveletAdaptiveRatio };
    default:
      throw new InvalidArgumentError(`Invalid waveletAdaptiveMode ${String(options.waveletAdaptiveMode)}`);
  }
}

/** The compression of the primary channel's LOD 0 layer, which new layers inherit. */
function datasetCompression(entries: readonly LayerStatusEntry[]): { method: CompressionMethod; tolerance: number } {
  const primary = entries.find((e) => /^Dimensions_\d+LOD0$/.test(e.layerName)) ?? entries[0];
  return { method: primary?.compressionMethod ?? CompressionMethod.None, tolerance: primary?.compressionTolerance ?? 0 };
}

/** The `WaveletAdaptiveTolerance` / `WaveletAdaptiveRatio` connection-string keys. */
function adaptiveFromConnection(options: ConnectionOptions): WaveletAdaptiveMode | undefined {
  for (const [key, mode] of [['waveletadaptivetolerance', 'tolerance'], ['waveletadaptiveratio', 'ratio']] as const) {
    const text = options.get(key);
    if (text === undefined) continue;
    const value = Number(text);
    if (!(value > 0)) throw new InvalidArgumentError(`${key === 'waveletadaptivetolerance' ? 'WaveletAdaptiveTolerance' : 'WaveletAdaptiveRatio'} must be a positive number, got "${text}"`);
    return mode === 'tolerance' ? { mode, tolerance: value } : { mode, ratio: value };
  }
  return undefined;
}
