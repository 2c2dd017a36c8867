// Translates a legacy VDSObject (vdsObjectParser.ts) into `VolumeDataLayout` JSON (format sheet
// 1.5, 6.2), field by field as OpenVDS does: missing members read as 0 / "" / false, booleans are
// true unless missing or "FALSE", floats are rounded to f32.
import { ReadError } from '../../src/model/errors.js';
import { JsonDouble, type JsonOut, writeJson } from '../../src/model/layout/jsonWriter.js';
import { type VdsObject, VdsObjectBlob, VdsObjectNumber, type VdsObjectValue, parseVdsObject } from './vdsObjectParser.js';

/** The channel-mapping id OpenVDS's object model gives the per-trace mapping. */
const PER_TRACE_MAPPING_ID = 1976800267773298824n;
const VECTOR_ELEMENTS = ['X', 'Y', 'Z', 'T'];

/** A VDSObject that parses but does not describe a layout OpenVDS would accept. */
export class VdsObjectTranslationError extends ReadError {
  override name = 'VdsObjectTranslationError';
}

/** The layout JSON text for a VDSObject text. */
export function vdsObjectToLayoutJson(text: string): string {
  return writeJson(translateVolumeDataLayout(parseVdsObject(text)));
}

export function translateVolumeDataLayout(root: VdsObject): JsonOut {
  return {
    layoutDescriptor: translateLayoutDescriptor(root),
    axisDescriptors: translateAxisDescriptors(root),
    channelDescriptors: translateChannelDescriptors(root),
    metadata: translateMetadata(root),
  };
}

function translateLayoutDescriptor(root: VdsObject): JsonOut {
  const brickSize = enumSuffix(root, 'FullVCSize', 'HUEVCSIZE_');
  const lodLevels = enumSuffix(root, 'LODLevels', 'LODLevel');
  return {
    brickSize: `BrickSize_${brickSize}`,
    negativeMargin: asInt(root, 'NegativeMargin'),
    positiveMargin: asInt(root, 'PositiveMargin'),
    // The object model had no 2D multiplier; OpenVDS assumes the default.
    brickSize2DMultiplier: 4,
    lodLevels: lodLevels === 0 ? 'LODLevels_None' : `LODLevels_${lodLevels}`,
    create2DLODs: asBoolean(root, 'Create2DLODs'),
    forceFullResolutionDimension: asBoolean(root, 'ForceFullResolutionDimension'),
    fullResolutionDimension: asInt(root, 'FullResolutionDimension'),
  };
}

function translateAxisDescriptors(root: VdsObject): JsonOut[] {
  const dimensionality = enumSuffix(root, 'Dimensions', 'HUEDIMENSION_');
  return Array.from({ length: dimensionality }, (_, d) => {
    const coordinate = asObject(root, `Dimension${d}Coordinate`);
    return {
      numSamples: asInt(root, `Dimension${d}Size`),
      name: asString(root, `Dimension${d}Name`),
      unit: asString(root, `Dimension${d}Unit`),
      coordinateMin: new JsonDouble(asFloat(coordinate, 'Min', `Dimension${d}Coordinate.`)),
      coordinateMax: new JsonDouble(asFloat(coordinate, 'Max', `Dimension${d}Coordinate.`)),
    };
  });
}

function translateChannelDescriptors(root: VdsObject): JsonOut[] {
  const others = root.get('VolumeDataChannelDescriptor');
  const channels = [translateChannelDescriptor(root, true, '')];
  if (Array.isArray(others)) others.forEach((c, i) => channels.push(translateChannelDescriptor(c, false, `VolumeDataChannelDescriptor[${i}].`)));
  return channels;
}

function translateChannelDescriptor(object: VdsObject, isPrimary: boolean, where: string): JsonOut {
  const range = asObject(object, 'ValueRange', where);
  const valueRange: [number, number] = [asFloat(range, 'Min', `${where}ValueRange.`), asFloat(range, 'Max', `${where}ValueRange.`)];
  const format = voxelFormat(object, isPrimary ? 'VoxelFormat' : 'Format', where);
  const useNoValue = asBoolean(object, 'UseNoValue');
  const mapping = object.get('ChannelMapping');
  const perTrace = !isPrimary && mapping instanceof VdsObjectNumber && !mapping.fractional &&
    BigInt(mapping.text.replace(/^\+/, '')) === PER_TRACE_MAPPING_ID;
  let integerScale: number;
  let integerOffset: number;
  if (object.has('IntegerScale')) {
    integerScale = asFloat(object, 'IntegerScale', where);
    integerOffset = asFloat(object, 'IntegerOffset', where);
  } else {
    ({ integerScale, integerOffset } = integerScaleFromValueRange(format, valueRange, useNoValue));
  }
  return {
    format,
    components: `Components_${enumSuffix(object, isPrimary ? 'VoxelComponents' : 'Components', 'HUEVOXELCOMPONENTS_', where)}`,
    name: asString(object, isPrimary ? 'ValueName' : 'Name', where),
    unit: asString(object, isPrimary ? 'ValueUnit' : 'Unit', where),
    valueRange: valueRange.map((v) => new JsonDouble(v)),
    channelMapping: perTrace ? 'PerTrace' : 'Direct',
    mappedValues: isPrimary ? 0 : object.has('MappedValues') ? asInt(object, 'MappedValues', where) : 1,
    // OpenVDS reads "DiscreteData" for every channel, although other channels spell it "Discrete".
    discrete: asBoolean(object, 'DiscreteData'),
    renderable: isPrimary ? true : asBoolean(object, 'Renderable'),
    allowLossyCompression: isPrimary ? !asBoolean(object, 'DiscreteData') : asBoolean(object, 'AllowLossyCompression'),
    useNoValue,
    noValue: new JsonDouble(asFloat(object, 'NoValue', where)),
    integerScale: new JsonDouble(integerScale),
    integerOffset: new JsonDouble(integerOffset),
  };
}

/** Integer formats without a stored scale map their code range onto the value range. */
function integerScaleFromValueRange(format: string, [min, max]: [number, number], useNoValue: boolean): { integerScale: number; integerOffset: number } {
  if (format !== 'Format_U8' && format !== 'Format_U16') return { integerScale: 1, integerOffset: 0 };
  const codes = format === 'Format_U8' ? (useNoValue ? 254 : 255) : (useNoValue ? 65534 : 65535);
  return { integerScale: Math.fround(Math.fround(max - min) / codes), integerOffset: min };
}

function voxelFormat(object: VdsObject, key: string, where: string): string {
  const text = asString(object, key, where);
  const match = /^HUEVOXELFORMAT_(.+)$/.exec(text);
  if (!match) throw new VdsObjectTranslationError(`VDSObject ${where}${key} "${text}" is not a HUEVOXELFORMAT_ value`);
  return match[1] === '1BIT' ? 'Format_1Bit' : `Format_${match[1]}`;
}

function translateMetadata(root: VdsObject): JsonOut[] {
  // Some very old files name the list VDSMetadataList.
  const listName = !root.has('MetadataList') && root.has('VDSMetadataList') ? 'VDSMetadataList' : 'MetadataList';
  const list = root.get(listName);
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new VdsObjectTranslationError(`VDSObject ${listName} is not a list of objects`);
  return list.map((item, i) => {
    const where = `${listName}[${i}].`;
    const type = asString(item, 'Type', where);
    const value = item.get('Value');
    let json: JsonOut;
    if (type.includes('Vector')) json = translateVector(value, `${where}Value`);
    else if (type === 'BLOB') json = value instanceof VdsObjectBlob ? Buffer.from(value.hex, 'hex').toString('base64') : null;
    else json = scalar(value, `${where}Value`);
    return { type, category: asString(item, 'Category', where), name: asString(item, 'Name', where), value: json };
  });
}

/** `{X=…; Y=…}` → [X, Y]: the member count says how many of X, Y, Z, T are taken. */
function translateVector(value: VdsObjectValue | undefined, where: string): JsonOut[] {
  if (!(value instanceof Map)) throw new VdsObjectTranslationError(`VDSObject ${where} is not an object of X, Y[, Z[, T]] members`);
  const count = value.size >= 2 && value.size <= 4 ? value.size : 0;
  return VECTOR_ELEMENTS.slice(0, count).map((element) => scalar(value.get(element), `${where}.${element}`));
}

function scalar(value: VdsObjectValue | undefined, where: string): JsonOut {
  if (value === undefined) return null;
  if (typeof value === 'string') return value;
  if (value instanceof VdsObjectNumber) return value.fractional ? new JsonDouble(value.value) : value.value;
  throw new VdsObjectTranslationError(`VDSObject ${where} is not a number or string`);
}

function enumSuffix(object: VdsObject, key: string, prefix: string, where = ''): number {
  const value = object.get(key);
  if (typeof value !== 'string') throw new VdsObjectTranslationError(`VDSObject ${where}${key} is missing or not a string`);
  const match = new RegExp(`^${prefix}(\\d+)`).exec(value);
  if (!match) throw new VdsObjectTranslationError(`VDSObject ${where}${key} "${value}" is not ${prefix}<number>`);
  return Number(match[1]);
}

function asBoolean(object: VdsObject, key: string): boolean {
  const value = object.get(key);
  return value !== undefined && value !== 'FALSE';
}

function asString(object: VdsObject, key: string, where = ''): string {
  const value = object.get(key);
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof VdsObjectNumber) return value.text;
  throw new VdsObjectTranslationError(`VDSObject ${where}${key} is not a string`);
}

function asInt(object: VdsObject, key: string, where = ''): number {
  const value = object.get(key);
  if (value === undefined) return 0;
  if (!(value instanceof VdsObjectNumber)) throw new VdsObjectTranslationError(`VDSObject ${where}${key} is not a number`);
  const n = Math.trunc(value.value);
  if (n < -(2 ** 31) || n >= 2 ** 31) throw new VdsObjectTranslationError(`VDSObject ${where}${key} ${value.text} does not fit an int32`);
  return n;
}

function asFloat(object: VdsObject, key: string, where = ''): number {
  const value = object.get(key);
  if (value === undefined) return 0;
  if (!(value instanceof VdsObjectNumber)) throw new VdsObjectTranslationError(`VDSObject ${where}${key} is not a number`);
  return Math.fround(value.value);
}

function asObject(object: VdsObject, key: string, where = ''): VdsObject {
  const value = object.get(key);
  if (value === undefined) return new Map();
  if (!(value instanceof Map)) throw new VdsObjectTranslationError(`VDSObject ${where}${key} is not an object`);
  return value;
}
