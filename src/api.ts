// The OpenVDS entry points: open, create, close, getLayout, getAccessManager.
import { openStore, type StoreIntent } from '../sources/openStore.js';
import { redactUrl } from '../sources/redact.js';
import type { Store } from '../sources/store.js';
import { VolumeDataAccessManager } from './accessManager.js';
import { type ConnectionOptions, parseConnectionString } from './connectionString.js';
import { CompressionMethod, isWaveletCompression } from './enums.js';
import { errorMessage, InvalidArgumentError, ReadError } from './errors.js';
import type {
  VolumeDataAxisDescriptor, VolumeDataChannelDescriptor, VolumeDataLayoutDescriptor,
} from './layout/descriptors.js';
import type { LayerStatusEntry } from './layout/layerStatus.js';
import { parseLayerStatusJson, parseVolumeDataLayoutJson, serializeVolumeDataLayoutJson } from './layout/layoutJson.js';
import { validateLayout, VolumeDataLayout } from './layout/volumeDataLayout.js';
import { validateNewLayout } from './layout/newLayout.js';
import { MetadataContainer, type MetadataReadAccess } from './metadata/metadataContainer.js';
import { utf8, VDS } from './vds.js';
import type { WaveletAdaptiveMode } from './engine/adaptiveLevel.js';

const accessManagers = new WeakMap<VDS, VolumeDataAccessManager>();

/**
 * Opens an existing dataset, named by URL or given as a Store (e.g. a wrapped one);
 * rejects with an error naming the dataset and the cause.
 */
export async function open(dataset: string | Store, connectionString = ''): Promise<VDS> {
  return openDataset(dataset, connectionString);
}

/** Opens a dataset whose wavelet layers are read at the adaptive level that meets `tolerance`. */
export function openWithAdaptiveCompressionTolerance(dataset: string | Store, connectionString: string, tolerance: number): Promise<VDS> {
  if (!(tolerance > 0)) throw new InvalidArgumentError(`tolerance must be positive, got ${tolerance}`);
  return openDataset(dataset, connectionString, { mode: 'tolerance', tolerance });
}

/** Opens a dataset whose wavelet layers are read at the adaptive level that meets the compression `ratio`. */
export function openWithAdaptiveCompressionRatio(dataset: string | Store, connectionString: string, ratio: number): Promise<VDS> {
  if (!(ratio > 0)) throw new InvalidArgumentError(`ratio must be positive, got ${ratio}`);
  return openDataset(dataset, connectionString, { mode: 'ratio', ratio });
}

async function openDataset(dataset: string | Store, connectionString: string, adaptive?: WaveletAdaptiveMode): Promise<VDS> {
  const { store, options, url } = resolveStore(dataset, connectionString);
  adaptive ??= adaptiveFromConnection(options);
  try {
    const [layoutBytes, statusBytes] = await Promise.all([store.get('VolumeDataLayout'), store.get('LayerStatus')]);
    if (!layoutBytes?.length) throw new ReadError('it has no VolumeDataLayout object (is it a VDS dataset?)', 404);
    if (!statusBytes?.length) throw new ReadError('it has no LayerStatus object', 404);
    const parsed = parseVolumeDataLayoutJson(decodeText(layoutBytes, 'VolumeDataLayout'));
    const layerStatus = parseLayerStatusJson(decodeText(statusBytes, 'LayerStatus'));
    const layout = new VolumeDataLayout(parsed.layoutDescriptor, parsed.axisDescriptors, parsed.channelDescriptors, parsed.metadata);
    const { method, tolerance } = datasetCompression(layerStatus);
    return new VDS(url, store, layout, layerStatus, options, method, tolerance, adaptive);
  } catch (error) {
    await store.close?.();
    throw new ReadError(`Cannot open ${url}: ${errorMessage(error)}`, (error as { code?: number }).code ?? -1, { cause: error });
  }
}

/**
 * Creates a dataset (overwriting the layout of one that exists at `url`). Only None, RLE and Zip
 * can be written: OpenVDS 3.4 has no wavelet encoder either.
 */
export async function create(
  dataset: string | Store, connectionString: string, layoutDescriptor: VolumeDataLayoutDescriptor,
  axisDescriptors: readonly VolumeDataAxisDescriptor[], channelDescriptors: readonly VolumeDataChannelDescriptor[],
  metadata: MetadataReadAccess = new MetadataContainer(), compressionMethod = CompressionMethod.None, compressionTolerance = 0,
): Promise<VDS> {
  if (isWaveletCompression(compressionMethod)) {
    throw new InvalidArgumentError(`Unsupported compression method ${CompressionMethod[compressionMethod]}: rxvds, like OpenVDS 3.4, cannot write wavelet data`);
  }
  if (CompressionMethod[compressionMethod] === undefined) throw new InvalidArgumentError(`Invalid compression method ${compressionMethod}`);
  validateLayout(layoutDescriptor, axisDescriptors, channelDescriptors);
  validateNewLayout(layoutDescriptor, axisDescriptors, channelDescriptors);
  const container = new MetadataContainer();
  container.copyMetadataFrom(metadata);
  const layout = new VolumeDataLayout(layoutDescriptor, [...axisDescriptors], [...channelDescriptors], container);
  const { store, options, url } = resolveStore(dataset, connectionString, 'create');
  try {
    await writeNewDataset(store, layout);
  } catch (error) {
    await store.close?.();
    throw new ReadError(`Cannot create ${url}: ${errorMessage(error)}`, (error as { code?: number }).code ?? -1, { cause: error });
  }
  return new VDS(url, store, layout, [], options, compressionMethod, compressionTolerance);
}

/** Flushes (unless `flush` is false) and releases the dataset. */
export async function close(vds: VDS, flush = true): Promise<void> {
  await vds.close(flush);
}

export function getLayout(vds: VDS): VolumeDataLayout {
  return vds.layout;
}

export function getAccessManager(vds: VDS): VolumeDataAccessManager {
  let manager = accessManagers.get(vds);
  if (!manager) accessManagers.set(vds, manager = new VolumeDataAccessManager(vds));
  return manager;
}

function resolveStore(dataset: string | Store, connectionString: string, intent: StoreIntent = 'open'): { store: Store; options: ConnectionOptions; url: string } {
  if (typeof dataset !== 'string') return { store: dataset, options: parseConnectionString(connectionString), url: dataset.description };
  // URLs carry passwords and signed-query tokens: keep them out of messages.
  return { ...openStore(dataset, connectionString, intent), url: redactUrl(dataset) };
}

async function writeNewDataset(store: Store, layout: VolumeDataLayout): Promise<void> {
  // Layout first, then an empty LayerStatus: the dataset opens (empty) as soon as both exist.
  await store.set('VolumeDataLayout', utf8(serializeVolumeDataLayoutJson(layout)), { contentType: 'application/json' });
  await store.set('LayerStatus', utf8('[]'), { contentType: 'application/json' });
}

/** The compression of the primary channel's LOD 0 layer, which new layers inherit. */
function datasetCompression(entries: readonly LayerStatusEntry[]): { method: CompressionMethod; tolerance: number } {
  const primary = entries.find((e) => /^Dimensions_\d+LOD0$/.test(e.layerName)) ?? entries[0];
  return { method: primary?.compressionMethod ?? CompressionMethod.None, tolerance: primary?.compressionTolerance ?? 0 };
}

function decodeText(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ReadError(`${what} is not UTF-8 text`);
  }
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
