// Reading and writing the `VolumeDataLayout` and `LayerStatus` JSON objects (format sheet 1.5, 1.6)
// with jsoncpp's semantics: a missing member reads as 0 / false / "", except the enum spellings,
// which must be known.
import {
  BrickSize, ChannelFlags, CompressionMethod, LayoutOptions, LODLevels, VDSProduceStatus, VolumeDataComponents, VolumeDataFormat,
  VolumeDataMapping,
} from '../enums.js';
import { WAVELET_ADAPTIVE_LEVELS } from '../adaptiveLevels.js';
import { decodeBase64, encodeBase64 } from '../base64.js';
import { ReadError } from '../errors.js';
import { MetadataContainer, type MetadataReadAccess } from '../metadata/metadataContainer.js';
import { MetadataType, metadataTypeArity } from '../metadata/metadataKey.js';
import { VolumeDataAxisDescriptor, VolumeDataChannelDescriptor, VolumeDataLayoutDescriptor } from './descriptors.js';
import { describeValue } from './describeValue.js';
import { JsonDouble, type JsonOut, writeJson } from './jsonWriter.js';
import type { ChunkMetadataStatus, LayerStatusEntry } from './layerStatus.js';
import { validateLayout, type VolumeDataLayout } from './volumeDataLayout.js';

export interface ParsedLayout {
  layoutDescriptor: VolumeDataLayoutDescriptor;
  axisDescriptors: VolumeDataAxisDescriptor[];
  channelDescriptors: VolumeDataChannelDescriptor[];
  metadata: MetadataContainer;
}

type Json = unknown;
type JsonObject = Record<string, Json>;


function parseText(text: string, what: string): Json {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ReadError(`${what} is not valid JSON (${(error as Error).message})`);
  }
}

function object(value: Json, what: string): JsonObject {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ReadError(`${what} must be a JSON object`);
  return value as JsonObject;
}

function array(value: Json, what: string): Json[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new ReadError(`${what} must be a JSON array`);
  return value;
}

function number(value: Json, what: string): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'number') throw new ReadError(`${what} must be a number, got ${describeValue(value)}`);
  return value;
}

function integer(value: Json, what: string): number {
  const n = number(value, what);
  if (!Number.isInteger(n)) throw new ReadError(`${what} must be an integer, got ${n}`);
  return n;
}

/** A count or size: a safe integer ≥ `min`. */
function counter(value: Json, what: string, min = 0): number {
  const n = integer(value, what);
  if (!Number.isSafeInteger(n) || n < min) throw new ReadError(`${what} must be an integer ≥ ${min}, got ${n}`);
  return n;
}

function bool(value: Json, what: string): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  throw new ReadError(`${what} must be a boolean, got ${describeValue(value)}`);
}

function string(value: Json, what: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') throw new ReadError(`${what} must be a string, got ${describeValue(value)}`);
  return value;
}

/** A required enum spelling: its value in `enumeration`, or a ReadError naming the field. */
function enumValue<E extends Record<string, string | number>>(enumeration: E, value: Json, what: string, aliases: Record<string, number> = {}): number {
  const name = typeof value === 'string' ? value : '';
  const found = aliases[name] ?? enumeration[name];
  if (value === undefined || value === null) throw new ReadError(`${what} is missing (it has no default)`);
  if (typeof found !== 'number') throw new ReadError(`${what} has unknown value ${describeValue(value)}`);
  return found;
}

/** Parses and validates a VolumeDataLayout; errors are ReadErrors naming the member, e.g. `VolumeDataLayout.axisDescriptors[1].numSamples`. */
export function parseVolumeDataLayoutJson(text: string): ParsedLayout {
  const root = object(parseText(text, 'VolumeDataLayout'), 'VolumeDataLayout');
  const ld = object(root.layoutDescriptor, 'VolumeDataLayout.layoutDescriptor');
  const at = (name: string) => `VolumeDataLayout.layoutDescriptor.${name}`;
  const forceFullRes = bool(ld.forceFullResolutionDimension, at('forceFullResolutionDimension'));
  const options = (bool(ld.create2DLODs, at('create2DLODs')) ? LayoutOptions.Options_Create2DLODs : 0) |
    (forceFullRes ? LayoutOptions.Options_ForceFullResolutionDimension : 0);
  const layoutDescriptor = new VolumeDataLayoutDescriptor(
    enumValue(BrickSize, ld.brickSize, at('brickSize')),
    integer(ld.negativeMargin, at('negativeMargin')),
    integer(ld.positiveMargin, at('positiveMargin')),
    integer(ld.brickSize2DMultiplier, at('brickSize2DMultiplier')),
    enumValue(LODLevels, ld.lodLevels, at('lodLevels')),
    options,
    forceFullRes ? integer(ld.fullResolutionDimension, at('fullResolutionDimension')) : -1,
  );
  const axisDescriptors = array(root.axisDescriptors, 'VolumeDataLayout.axisDescriptors').map((value, d) => {
    const what = `VolumeDataLayout.axisDescriptors[${d}]`;
    const a = object(value, what);
    return new VolumeDataAxisDescriptor(integer(a.numSamples, `${what}.numSamples`), string(a.name, `${what}.name`),
      string(a.unit, `${what}.unit`), number(a.coordinateMin, `${what}.coordinateMin`), number(a.coordinateMax, `${what}.coordinateMax`));
  });
  const channelDescriptors = array(root.channelDescriptors, 'VolumeDataLayout.channelDescriptors')
    .map((value, c) => parseChannel(value, `VolumeDataLayout.channelDescriptors[${c}]`));
  validateLayout(layoutDescriptor, axisDescriptors, channelDescriptors, (field, problem) => new ReadError(`VolumeDataLayout.${field} ${problem}`));
  const metadata = new MetadataContainer();
  array(root.metadata, 'VolumeDataLayout.metadata').forEach((value, i) => {
    const what = `VolumeDataLayout.metadata[${i}]`;
    parseMetadataItem(metadata, object(value, what), what);
  });
  return { layoutDescriptor, axisDescriptors, channelDescriptors, metadata };
}

function parseChannel(value: Json, what: string): VolumeDataChannelDescriptor {
  const c = object(value, what);
  const range = array(c.valueRange, `${what}.valueRange`);
  if (range.length !== 0 && range.length !== 2) throw new ReadError(`${what}.valueRange must be [min, max], got ${describeValue(c.valueRange)}`);
  const flags = (bool(c.discrete, `${what}.discrete`) ? ChannelFlags.DiscreteData : 0) |
    (bool(c.allowLossyCompression, `${what}.allowLossyCompression`) ? 0 : ChannelFlags.NoLossyCompression) |
    (bool(c.renderable, `${what}.renderable`) ? 0 : ChannelFlags.NotRenderable);
  const useNoValue = bool(c.useNoValue, `${what}.useNoValue`);
  return new VolumeDataChannelDescriptor(
    enumValue(VolumeDataFormat, c.format, `${what}.format`),
    enumValue(VolumeDataComponents, c.components, `${what}.components`),
    string(c.name, `${what}.name`), string(c.unit, `${what}.unit`),
    number(range[0], `${what}.valueRange[0]`), number(range[1], `${what}.valueRange[1]`),
    enumValue(VolumeDataMapping, c.channelMapping, `${what}.channelMapping`),
    integer(c.mappedValues, `${what}.mappedValues`),
    flags,
    useNoValue ? number(c.noValue, `${what}.noValue`) : undefined,
    number(c.integerScale, `${what}.integerScale`), number(c.integerOffset, `${what}.integerOffset`),
  );
}

function parseMetadataItem(container: MetadataContainer, item: JsonObject, what: string): void {
  const type = enumValue(MetadataType, item.type, `${what}.type`) as MetadataType;
  const category = string(item.category, `${what}.category`);
  const name = string(item.name, `${what}.name`);
  const element = (v: Json, w: string): number => {
    if (type <= MetadataType.IntVector4) return integer(v, w);
    return v === null ? NaN : number(v, w);
  };
  let value;
  if (type === MetadataType.String) value = string(item.value, `${what}.value`);
  else if (type === MetadataType.BLOB) value = blobBytes(string(item.value, `${what}.value`), `${what}.value`);
  else if (metadataTypeArity(type) === 1) value = element(item.value, `${what}.value`);
  else {
    const values = array(item.value, `${what}.value`);
    if (values.length !== metadataTypeArity(type)) throw new ReadError(`${what}.value must have ${metadataTypeArity(type)} elements`);
    value = values.map((v, i) => element(v, `${what}.value[${i}]`));
  }
  try {
    container.setMetadata(type, category, name, value);
  } catch (error) {
    throw new ReadError(`${what}.value: ${(error as Error).message}`);
  }
}

function blobBytes(text: string, what: string): Uint8Array {
  const bytes = decodeBase64(text.replace(/\s+$/, ''));
  if (!bytes) throw new ReadError(`${what} is not valid Base64`);
  return bytes;
}

export function serializeVolumeDataLayoutJson(layout: VolumeDataLayout): string {
  const ld = layout.getLayoutDescriptor();
  const json: JsonOut = {
    layoutDescriptor: {
      brickSize: BrickSize[ld.brickSize]!,
      negativeMargin: ld.negativeMargin,
      positiveMargin: ld.positiveMargin,
      brickSize2DMultiplier: ld.brickSize2DMultiplier,
      lodLevels: LODLevels[ld.lodLevels]!,
      create2DLODs: ld.isCreate2DLODs(),
      forceFullResolutionDimension: ld.isForceFullResolutionDimension(),
      fullResolutionDimension: ld.isForceFullResolutionDimension() ? ld.fullResolutionDimension : -1,
    },
    axisDescriptors: layout.axisDescriptors.map((a) => ({
      numSamples: a.numSamples, name: a.name, unit: a.unit,
      coordinateMin: new JsonDouble(a.coordinateMin), coordinateMax: new JsonDouble(a.coordinateMax),
    })),
    channelDescriptors: layout.channelDescriptors.map((c) => ({
      format: VolumeDataFormat[c.format]!,
      components: VolumeDataComponents[c.components]!,
      name: c.name,
      unit: c.unit,
      valueRange: [new JsonDouble(c.valueRangeMin), new JsonDouble(c.valueRangeMax)],
      channelMapping: VolumeDataMapping[c.mapping]!,
      mappedValues: c.mappedValueCount,
      discrete: c.isDiscrete(),
      renderable: c.isRenderable(),
      allowLossyCompression: c.isAllowLossyCompression(),
      useNoValue: c.useNoValue,
      noValue: new JsonDouble(c.noValue),
      integerScale: new JsonDouble(c.integerScale),
      integerOffset: new JsonDouble(c.integerOffset),
    })),
    metadata: serializeMetadata(layout),
  };
  return writeJson(json);
}

function serializeMetadata(metadata: MetadataReadAccess): JsonOut[] {
  return metadata.getMetadataKeys().map((key) => {
    const value = metadata.getMetadata(key)!;
    let json: JsonOut;
    if (value instanceof Uint8Array) json = encodeBase64(value);
    else if (typeof value === 'string') json = value;
    else if (key.type <= MetadataType.IntVector4) json = typeof value === 'number' ? value : [...value];
    else json = typeof value === 'number' ? new JsonDouble(value) : value.map((v) => new JsonDouble(v));
    return { category: key.category, name: key.name, type: MetadataType[key.type]!, value: json };
  });
}

const COMPRESSION_ALIASES: Record<string, number> = {
  WaveletNormalizeBlockExperimental: CompressionMethod.WaveletNormalizeBlock,
  WaveletNormalizeBlockExperimentalLossless: CompressionMethod.WaveletNormalizeBlockLossless,
};

/**
 * Parses LayerStatus, checking each member on its own (types, enums, counters ≥ 0); whether the
 * entries fit the layout is `validateLayerStatus`'s job. Errors name the member, e.g. `LayerStatus[2].chunkCount`.
 */
export function parseLayerStatusJson(text: string): LayerStatusEntry[] {
  return array(parseText(text, 'LayerStatus'), 'LayerStatus').map((value, i) => {
    const what = `LayerStatus[${i}]`;
    const e = object(value, what);
    const tolerance = Math.fround(number(e.compressionTolerance, `${what}.compressionTolerance`));
    if (!(tolerance >= 0 && tolerance < Infinity)) throw new ReadError(`${what}.compressionTolerance must be finite and ≥ 0, got ${describeValue(e.compressionTolerance)}`);
    const entry: LayerStatusEntry = {
      layerName: string(e.layerName, `${what}.layerName`),
      channelName: string(e.channelName, `${what}.channelName`),
      dimensionGroup: string(e.dimensionGroup, `${what}.dimensionGroup`),
      lod: counter(e.lod, `${what}.lod`),
      produceStatus: enumValue(VDSProduceStatus, e.produceStatus, `${what}.produceStatus`),
      compressionMethod: enumValue(CompressionMethod, e.compressionMethod, `${what}.compressionMethod`, COMPRESSION_ALIASES),
      compressionTolerance: tolerance,
    };
    if (bool(e.hasChunkMetadataPages, `${what}.hasChunkMetadataPages`)) entry.chunkMetadata = parseChunkMetadataStatus(e, what);
    return entry;
  });
}

function parseChunkMetadataStatus(e: JsonObject, what: string): ChunkMetadataStatus {
  const status: ChunkMetadataStatus = {
    chunkCount: counter(e.chunkCount, `${what}.chunkCount`, 1),
    chunkMetadataPageSize: counter(e.chunkMetadataPageSize, `${what}.chunkMetadataPageSize`, 1),
    chunkMetadataByteSize: integer(e.chunkMetadataByteSize, `${what}.chunkMetadataByteSize`),
    uncompressedSize: counter(e.uncompressedSize, `${what}.uncompressedSize`),
    adaptiveLevelSizes: array(e.adaptiveLevelSizes, `${what}.adaptiveLevelSizes`).map((v, k) => counter(v, `${what}.adaptiveLevelSizes[${k}]`)),
  };
  if (e.validChunkCount !== undefined) {
    status.validChunkCount = counter(e.validChunkCount, `${what}.validChunkCount`);
    if (status.validChunkCount > status.chunkCount) {
      throw new ReadError(`${what}.validChunkCount is ${status.validChunkCount}, more than chunkCount ${status.chunkCount}`);
    }
  }
  if (e.serializedSize !== undefined) status.serializedSize = counter(e.serializedSize, `${what}.serializedSize`);
  if (e.pageDirectory !== undefined) {
    status.pageDirectory = array(e.pageDirectory, `${what}.pageDirectory`).map((v, k) => counter(v, `${what}.pageDirectory[${k}]`, -1));
  }
  if (status.adaptiveLevelSizes.length > WAVELET_ADAPTIVE_LEVELS) {
    throw new ReadError(`${what}.adaptiveLevelSizes has ${status.adaptiveLevelSizes.length} entries, at most ${WAVELET_ADAPTIVE_LEVELS}`);
  }
  while (status.adaptiveLevelSizes.length < WAVELET_ADAPTIVE_LEVELS) status.adaptiveLevelSizes.push(0);
  return status;
}

export function serializeLayerStatusJson(entries: readonly LayerStatusEntry[]): string {
  return writeJson(entries.map((e): JsonOut => {
    const m = e.chunkMetadata;
    return {
      layerName: e.layerName,
      channelName: e.channelName,
      dimensionGroup: e.dimensionGroup,
      lod: e.lod,
      produceStatus: VDSProduceStatus[e.produceStatus]!,
      compressionMethod: CompressionMethod[e.compressionMethod]!,
      compressionTolerance: new JsonDouble(e.compressionTolerance),
      ...(m && {
        hasChunkMetadataPages: true,
        chunkCount: m.chunkCount,
        chunkMetadataPageSize: m.chunkMetadataPageSize,
        chunkMetadataByteSize: m.chunkMetadataByteSize,
        validChunkCount: m.validChunkCount,
        serializedSize: m.serializedSize,
        uncompressedSize: m.uncompressedSize,
        pageDirectory: m.pageDirectory && (m.pageDirectory.length ? [...m.pageDirectory] : undefined),
        adaptiveLevelSizes: [...m.adaptiveLevelSizes],
      }),
    };
  }));
}
