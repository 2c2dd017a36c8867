// Reading and writing the `VolumeDataLayout` and `LayerStatus` JSON objects (format sheet 1.5, 1.6)
// with jsoncpp's semantics: a missing member reads as 0 / false / "", except the enum spellings,
// which must be known.
import {
  BrickSize, ChannelFlags, CompressionMethod, LayoutOptions, LODLevels, VDSProduceStatus, VolumeDataComponents, VolumeDataFormat,
  VolumeDataMapping,
} from '../enums.js';
import { ReadError } from '../errors.js';
import { MetadataContainer, type MetadataReadAccess } from '../metadata/metadataContainer.js';
import { MetadataType, metadataTypeArity } from '../metadata/metadataKey.js';
import { VolumeDataAxisDescriptor, VolumeDataChannelDescriptor, VolumeDataLayoutDescriptor } from './descriptors.js';
import { JsonDouble, type JsonOut, writeJson } from './jsonWriter.js';
import type { ChunkMetadataStatus, LayerStatusEntry } from './layerStatus.js';
import type { VolumeDataLayout } from './volumeDataLayout.js';

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
  if (typeof value !== 'number') throw new ReadError(`${what} must be a number, got ${JSON.stringify(value)}`);
  return value;
}

function integer(value: Json, what: string): number {
  const n = number(value, what);
  if (!Number.isInteger(n)) throw new ReadError(`${what} must be an integer, got ${n}`);
  return n;
}

function bool(value: Json, what: string): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  throw new ReadError(`${what} must be a boolean, got ${JSON.stringify(value)}`);
}

function string(value: Json, what: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') throw new ReadError(`${what} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

/** A required enum spelling: its value in `enumeration`, or a ReadError naming the field. */
function enumValue<E extends Record<string, string | number>>(enumeration: E, value: Json, what: string, aliases: Record<string, number> = {}): number {
  const name = typeof value === 'string' ? value : '';
  const found = aliases[name] ?? enumeration[name];
  if (typeof found !== 'number') throw new ReadError(`${what} has unknown value ${JSON.stringify(value)}`);
  return found;
}

export function parseVolumeDataLayoutJson(text: string): ParsedLayout {
  const root = object(parseText(text, 'VolumeDataLayout'), 'VolumeDataLayout');
  const ld = object(root.layoutDescriptor, 'layoutDescriptor');
  const forceFullRes = bool(ld.forceFullResolutionDimension, 'layoutDescriptor.forceFullResolutionDimension');
  const options = (bool(ld.create2DLODs, 'layoutDescriptor.create2DLODs') ? LayoutOptions.Options_Create2DLODs : 0) |
    (forceFullRes ? LayoutOptions.Options_ForceFullResolutionDimension : 0);
  const layoutDescriptor = new VolumeDataLayoutDescriptor(
    enumValue(BrickSize, ld.brickSize, 'layoutDescriptor.brickSize'),
    integer(ld.negativeMargin, 'layoutDescriptor.negativeMargin'),
    integer(ld.positiveMargin, 'layoutDescriptor.positiveMargin'),
    integer(ld.brickSize2DMultiplier, 'layoutDescriptor.brickSize2DMultiplier'),
    enumValue(LODLevels, ld.lodLevels, 'layoutDescriptor.lodLevels'),
    options,
    forceFullRes ? integer(ld.fullResolutionDimension, 'layoutDescriptor.fullResolutionDimension') : -1,
  );
  const axisDescriptors = array(root.axisDescriptors, 'axisDescriptors').map((value, d) => {
    const a = object(value, `axisDescriptors[${d}]`);
    return new VolumeDataAxisDescriptor(integer(a.numSamples, `axisDescriptors[${d}].numSamples`), string(a.name, `axisDescriptors[${d}].name`),
      string(a.unit, `axisDescriptors[${d}].unit`), number(a.coordinateMin, `axisDescriptors[${d}].coordinateMin`),
      number(a.coordinateMax, `axisDescriptors[${d}].coordinateMax`));
  });
  const channelDescriptors = array(root.channelDescriptors, 'channelDescriptors').map((value, c) => parseChannel(value, `channelDescriptors[${c}]`));
  if (axisDescriptors.length < 2 || axisDescriptors.length > 6) throw new ReadError(`VolumeDataLayout has ${axisDescriptors.length} axes, expected 2 to 6`);
  if (channelDescriptors.length < 1) throw new ReadError('VolumeDataLayout has no channel');
  const metadata = new MetadataContainer();
  array(root.metadata, 'metadata').forEach((value, i) => parseMetadataItem(metadata, object(value, `metadata[${i}]`), `metadata[${i}]`));
  return { layoutDescriptor, axisDescriptors, channelDescriptors, metadata };
}

function parseChannel(value: Json, what: string): VolumeDataChannelDescriptor {
  const c = object(value, what);
  const range = array(c.valueRange, `${what}.valueRange`);
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
  else if (type === MetadataType.BLOB) value = decodeBase64(string(item.value, `${what}.value`), `${what}.value`);
  else if (metadataTypeArity(type) === 1) value = element(item.value, `${what}.value`);
  else {
    const values = array(item.value, `${what}.value`);
    if (values.length !== metadataTypeArity(type)) throw new ReadError(`${what}.value must have ${metadataTypeArity(type)} elements`);
    value = values.map((v, i) => element(v, `${what}.value[${i}]`));
  }
  container.setMetadata(type, category, name, value);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(text: string, what: string): Uint8Array {
  const trimmed = text.replace(/\s+$/, '');
  if (!BASE64.test(trimmed) || trimmed.length % 4 !== 0) throw new ReadError(`${what} is not valid Base64`);
  return new Uint8Array(Buffer.from(trimmed, 'base64'));
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
    if (value instanceof Uint8Array) json = Buffer.from(value).toString('base64');
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

export function parseLayerStatusJson(text: string): LayerStatusEntry[] {
  return array(parseText(text, 'LayerStatus'), 'LayerStatus').map((value, i) => {
    const what = `LayerStatus[${i}]`;
    const e = object(value, what);
    const entry: LayerStatusEntry = {
      layerName: string(e.layerName, `${what}.layerName`),
      channelName: string(e.channelName, `${what}.channelName`),
      dimensionGroup: string(e.dimensionGroup, `${what}.dimensionGroup`),
      lod: integer(e.lod, `${what}.lod`),
      produceStatus: enumValue(VDSProduceStatus, e.produceStatus, `${what}.produceStatus`),
      compressionMethod: enumValue(CompressionMethod, e.compressionMethod, `${what}.compressionMethod`, COMPRESSION_ALIASES),
      compressionTolerance: Math.fround(number(e.compressionTolerance, `${what}.compressionTolerance`)),
    };
    if (bool(e.hasChunkMetadataPages, `${what}.hasChunkMetadataPages`)) {
      const status: ChunkMetadataStatus = {
        chunkCount: integer(e.chunkCount, `${what}.chunkCount`),
        chunkMetadataPageSize: integer(e.chunkMetadataPageSize, `${what}.chunkMetadataPageSize`),
        chunkMetadataByteSize: integer(e.chunkMetadataByteSize, `${what}.chunkMetadataByteSize`),
        uncompressedSize: integer(e.uncompressedSize, `${what}.uncompressedSize`),
        adaptiveLevelSizes: array(e.adaptiveLevelSizes, `${what}.adaptiveLevelSizes`).map((v, k) => integer(v, `${what}.adaptiveLevelSizes[${k}]`)),
      };
      if (e.validChunkCount !== undefined) status.validChunkCount = integer(e.validChunkCount, `${what}.validChunkCount`);
      if (e.serializedSize !== undefined) status.serializedSize = integer(e.serializedSize, `${what}.serializedSize`);
      if (e.pageDirectory !== undefined) {
        status.pageDirectory = array(e.pageDirectory, `${what}.pageDirectory`).map((v, k) => integer(v, `${what}.pageDirectory[${k}]`));
      }
      while (status.adaptiveLevelSizes.length < 16) status.adaptiveLevelSizes.push(0);
      entry.chunkMetadata = status;
    }
    return entry;
  });
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
