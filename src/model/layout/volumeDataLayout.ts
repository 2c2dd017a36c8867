// VolumeDataLayout: the read-only description of a dataset (axes, channels, bricks, metadata),
// with the getters of the OpenVDS Python class.
import {
  BrickSize, Dimensionality_Max, LayoutOptions, LODLevels, VolumeDataComponents, VolumeDataFormat, VolumeDataMapping,
} from '../enums.js';
import { InvalidArgumentError } from '../errors.js';
import { formatByteSize } from '../formats.js';
import { VolumeDataLayers } from '../geometry/layers.js';
import type { VolumeDataPartition } from '../geometry/partition.js';
import { type MetadataReadAccess, MetadataReader } from '../metadata/metadataContainer.js';
import type { VolumeDataAxisDescriptor, VolumeDataChannelDescriptor, VolumeDataLayoutDescriptor } from './descriptors.js';
import { describeValue } from './describeValue.js';
import { layoutHash } from './layoutHash.js';
import { getVDSIJKGridDefinitionFromMetadata, type VDSIJKGridDefinition } from '../coordinates.js';

export class VolumeDataLayout extends MetadataReader {
  readonly axisDescriptors: readonly VolumeDataAxisDescriptor[];
  readonly channelDescriptors: readonly VolumeDataChannelDescriptor[];
  private readonly hash: bigint;

  constructor(
    private readonly layoutDescriptor: VolumeDataLayoutDescriptor,
    axisDescriptors: readonly VolumeDataAxisDescriptor[],
    channelDescriptors: readonly VolumeDataChannelDescriptor[],
    metadata: MetadataReadAccess,
  ) {
    super();
    this.axisDescriptors = [...axisDescriptors];
    this.channelDescriptors = [...channelDescriptors];
    this.adopt(metadata);
    this.hash = layoutHash(layoutDescriptor, axisDescriptors, channelDescriptors);
  }

  /** OpenVDS's layout hash (63 bits). */
  getContentsHash(): bigint { return this.hash; }
  /** The hash of the layout properties, axes and channels (OpenVDS's GetLayoutHash). */
  getLayoutHash(): bigint { return this.hash; }
  /** The IJK grid of the survey coordinate system metadata (or of the axes, without it). */
  getVDSIJKGridDefinitionFromMetadata(): VDSIJKGridDefinition { return getVDSIJKGridDefinitionFromMetadata(this); }
  getDimensionality(): number { return this.axisDescriptors.length; }
  getChannelCount(): number { return this.channelDescriptors.length; }
  getLayoutDescriptor(): VolumeDataLayoutDescriptor { return this.layoutDescriptor; }

  isChannelAvailable(name: string): boolean { return this.channelDescriptors.some((c) => c.name === name); }
  /** Index of the channel named `name`, or -1. */
  getChannelIndex(name: string): number { return this.channelDescriptors.findIndex((c) => c.name === name); }

  getChannelDescriptor(channel: number): VolumeDataChannelDescriptor { return this.channel(channel); }
  getChannelFormat(channel: number): VolumeDataFormat { return this.channel(channel).format; }
  getChannelComponents(channel: number): VolumeDataComponents { return this.channel(channel).components; }
  getChannelName(channel: number): string { return this.channel(channel).name; }
  getChannelUnit(channel: number): string { return this.channel(channel).unit; }
  getChannelValueRangeMin(channel: number): number { return this.channel(channel).valueRangeMin; }
  getChannelValueRangeMax(channel: number): number { return this.channel(channel).valueRangeMax; }
  isChannelDiscrete(channel: number): boolean { return this.channel(channel).isDiscrete(); }
  isChannelRenderable(channel: number): boolean { return this.channel(channel).isRenderable(); }
  isChannelAllowingLossyCompression(channel: number): boolean { return this.channel(channel).isAllowLossyCompression(); }
  isChannelUseZipForLosslessCompression(channel: number): boolean { return this.channel(channel).isUseZipForLosslessCompression(); }
  getChannelMapping(channel: number): VolumeDataMapping { return this.channel(channel).mapping; }
  getChannelMappedValueCount(channel: number): number { return this.channel(channel).mappedValueCount; }
  isChannelUseNoValue(channel: number): boolean { return this.channel(channel).useNoValue; }
  getChannelNoValue(channel: number): number { return this.channel(channel).noValue; }
  getChannelIntegerScale(channel: number): number { return this.channel(channel).integerScale; }
  getChannelIntegerOffset(channel: number): number { return this.channel(channel).integerOffset; }

  getAxisDescriptor(dimension: number): VolumeDataAxisDescriptor { return this.axis(dimension); }
  getDimensionNumSamples(dimension: number): number { return this.axis(dimension).numSamples; }
  getDimensionName(dimension: number): string { return this.axis(dimension).name; }
  getDimensionUnit(dimension: number): string { return this.axis(dimension).unit; }
  getDimensionMin(dimension: number): number { return this.axis(dimension).coordinateMin; }
  getDimensionMax(dimension: number): number { return this.axis(dimension).coordinateMax; }

  private channel(channel: number): VolumeDataChannelDescriptor {
    const descriptor = this.channelDescriptors[channel];
    if (!Number.isInteger(channel) || !descriptor) {
      throw new InvalidArgumentError(`Channel ${channel} does not exist (the layout has ${this.channelDescriptors.length})`);
    }
    return descriptor;
  }

  private axis(dimension: number): VolumeDataAxisDescriptor {
    const descriptor = this.axisDescriptors[dimension];
    if (!Number.isInteger(dimension) || !descriptor) {
      throw new InvalidArgumentError(`Dimension ${dimension} does not exist (the layout has ${this.axisDescriptors.length})`);
    }
    return descriptor;
  }
}

/** OpenVDS's limit on the samples of one axis. */
const MAX_SAMPLES = 1_000_000;
/**
 * More channels than any producer writes. It bounds the layer set an open builds: a 6-D layout with
 * 12 LODs has up to 455 layers per channel (~1 µs and ~1 KB each), so 256 channels cost ~1 s.
 */
const MAX_CHANNELS = 256;
/** OpenVDS counts the chunks of a layer in an int32 (LayerStatus `chunkCount`). */
const MAX_LAYER_CHUNKS = 2 ** 31 - 1;
/** OpenVDS's largest DataBlock (`Datablock is too big`). */
const MAX_CHUNK_BYTES = 2 ** 31 - 1;

/**
 * Makes the error for a broken layout rule. `field` is the member's path in the VolumeDataLayout
 * JSON (e.g. `layoutDescriptor.negativeMargin`), `problem` says what is wrong with which value.
 */
export type LayoutErrorFactory = (field: string, problem: string) => Error;

const invalidArgument: LayoutErrorFactory = (field, problem) => new InvalidArgumentError(`${field} ${problem}`);

const isIntegerIn = (value: number, min: number, max: number): boolean => Number.isInteger(value) && value >= min && value <= max;

/**
 * The layout rules (format sheet 1.5, 2.2), shared by `create` (bad arguments) and `open` (a corrupt
 * dataset): every layout that passes builds a finite layer set whose chunk counts fit OpenVDS's
 * int32, so geometry loops always end. Throws `error(field, problem)` for the first broken rule.
 */
export function validateLayout(
  layout: VolumeDataLayoutDescriptor, axes: readonly VolumeDataAxisDescriptor[], channels: readonly VolumeDataChannelDescriptor[],
  error: LayoutErrorFactory = invalidArgument,
): void {
  const fail = (field: string, problem: string): never => { throw error(field, problem); };
  if (BrickSize[layout.brickSize] === undefined) fail('layoutDescriptor.brickSize', `is ${describeValue(layout.brickSize)}, not a BrickSize`);
  const brick = 1 << layout.brickSize;
  for (const name of ['negativeMargin', 'positiveMargin'] as const) {
    if (!isIntegerIn(layout[name], 0, brick / 2 - 1)) {
      fail(`layoutDescriptor.${name}`, `is ${describeValue(layout[name])}, must be an integer in [0, ${brick / 2}) for ${BrickSize[layout.brickSize]}`);
    }
  }
  if (!isIntegerIn(layout.brickSize2DMultiplier, 1, 4096 / brick)) {
    fail('layoutDescriptor.brickSize2DMultiplier', `is ${describeValue(layout.brickSize2DMultiplier)}, must be an integer in [1, ${4096 / brick}] (multiplier × brick ≤ 4096)`);
  }
  if (LODLevels[layout.lodLevels] === undefined) fail('layoutDescriptor.lodLevels', `is ${describeValue(layout.lodLevels)}, not a LODLevels`);
  if (!isIntegerIn(layout.options, 0, LayoutOptions.Options_Create2DLODs | LayoutOptions.Options_ForceFullResolutionDimension)) {
    fail('layoutDescriptor.options', `is ${describeValue(layout.options)}, not a combination of LayoutOptions flags`);
  }
  if (axes.length < 2 || axes.length > Dimensionality_Max) fail('axisDescriptors', `has ${axes.length} axes, expected 2 to ${Dimensionality_Max}`);
  if (layout.isForceFullResolutionDimension() && !isIntegerIn(layout.fullResolutionDimension, 0, axes.length - 1)) {
    fail('layoutDescriptor.fullResolutionDimension', `is ${describeValue(layout.fullResolutionDimension)}, not a dimension of the ${axes.length}-D layout`);
  }
  axes.forEach((axis, d) => {
    const at = `axisDescriptors[${d}]`;
    if (!isIntegerIn(axis.numSamples, 1, MAX_SAMPLES)) fail(`${at}.numSamples`, `is ${describeValue(axis.numSamples)}, must be an integer in [1, ${MAX_SAMPLES}]`);
    for (const name of ['coordinateMin', 'coordinateMax'] as const) {
      if (!Number.isFinite(axis[name])) fail(`${at}.${name}`, `is ${describeValue(axis[name])} as f32, must be finite`);
    }
  });
  if (channels.length < 1 || channels.length > MAX_CHANNELS) fail('channelDescriptors', `has ${channels.length} channels, expected 1 to ${MAX_CHANNELS}`);
  const names = new Set<string>();
  channels.forEach((channel, c) => validateChannel(channel, c, names, fail));
  // The layer count is bounded by now (brick ≥ 2 voxels, ≤ 10^6 samples); their chunk counts are not.
  // No layer has more chunks than the primary channel's layer of its group and LOD.
  const layers = new VolumeDataLayers({ layoutDescriptor: layout, axisDescriptors: axes, channelDescriptors: channels.slice(0, 1) });
  const largest = layers.all.reduce((a, b) => (b.chunkCount > a.chunkCount ? b : a));
  if (largest.chunkCount > MAX_LAYER_CHUNKS) {
    fail('axisDescriptors', `give layer ${largest.name} ${largest.chunkCount} chunks, more than OpenVDS can count (${MAX_LAYER_CHUNKS})`);
  }
  // OpenVDS cannot hold a chunk over 2 GiB ("Datablock is too big"): such a layout could never be read.
  for (const layer of layers.all.filter((l) => l.lod === 0)) {
    const size = largestChunkSize(layer.partition);
    channels.forEach((channel, c) => {
      // A PerTrace chunk holds `mappedValueCount` values where a Direct one holds dimension 0.
      const voxels = (size.reduce((a, b) => a * b, 1) / size[0]!) * (channel.mapping === VolumeDataMapping.PerTrace ? channel.mappedValueCount : size[0]!);
      const bytes = voxels * formatByteSize(channel.format) * channel.components;
      if (bytes > MAX_CHUNK_BYTES) {
        fail('layoutDescriptor.brickSize', `is ${BrickSize[layout.brickSize]}: chunks of layer ${layer.name} would take ${bytes} bytes for channel ${c}, ` +
          `more than the ${MAX_CHUNK_BYTES} OpenVDS can hold`);
      }
    });
  }
}

/** Voxels per dimension of a layer's largest chunk: a whole brick and both margins, within the volume. */
function largestChunkSize(p: VolumeDataPartition): number[] {
  return p.numSamples.map((n, d) => (p.isDimensionChunked(d) ? Math.min(p.brickSize[d]! + p.negativeMargin + p.positiveMargin, n) : 1));
}

function validateChannel(channel: VolumeDataChannelDescriptor, c: number, names: Set<string>, fail: (field: string, problem: string) => never): void {
  const at = `channelDescriptors[${c}]`;
  if (VolumeDataFormat[channel.format] === undefined || channel.format === VolumeDataFormat.Format_Any) fail(`${at}.format`, `is ${describeValue(channel.format)}, not a stored VolumeDataFormat`);
  if (VolumeDataComponents[channel.components] === undefined) fail(`${at}.components`, `is ${describeValue(channel.components)}, not a VolumeDataComponents`);
  if (VolumeDataMapping[channel.mapping] === undefined) fail(`${at}.channelMapping`, `is ${describeValue(channel.mapping)}, not a VolumeDataMapping`);
  if (typeof channel.name !== 'string' || (c > 0 && channel.name === '')) fail(`${at}.name`, `is ${describeValue(channel.name)}; channels other than 0 need a name`);
  // Channel names are part of object keys (`<name><group>LOD<n>/<chunk>`).
  if (/[/\\\0]/.test(channel.name)) fail(`${at}.name`, `is ${describeValue(channel.name)}; a channel name cannot contain "/", "\\" or NUL`);
  if (names.has(channel.name)) fail(`${at}.name`, `is ${describeValue(channel.name)}, the name of an earlier channel`);
  names.add(channel.name);
  if (!Number.isFinite(channel.valueRangeMin) || !Number.isFinite(channel.valueRangeMax) || channel.valueRangeMin > channel.valueRangeMax) {
    fail(`${at}.valueRange`, `is [${channel.valueRangeMin}, ${channel.valueRangeMax}] as f32, must be finite with min ≤ max`);
  }
  for (const name of ['integerScale', 'integerOffset'] as const) {
    if (!Number.isFinite(channel[name])) fail(`${at}.${name}`, `is ${describeValue(channel[name])} as f32, must be finite`);
  }
  if (channel.useNoValue && !Number.isFinite(channel.noValue)) fail(`${at}.noValue`, `is ${describeValue(channel.noValue)} as f32, must be finite`);
  if (channel.format === VolumeDataFormat.Format_1Bit && channel.useNoValue) fail(`${at}.useNoValue`, 'is true, but 1-bit channels cannot use a no-value');
  if (channel.mapping === VolumeDataMapping.PerTrace && !isIntegerIn(channel.mappedValueCount, 1, MAX_SAMPLES)) {
    fail(`${at}.mappedValues`, `is ${describeValue(channel.mappedValueCount)}, a PerTrace channel needs an integer in [1, ${MAX_SAMPLES}]`);
  }
  if (channel.mapping === VolumeDataMapping.Direct && c > 0 && channel.mappedValueCount !== 1) {
    fail(`${at}.mappedValues`, `is ${describeValue(channel.mappedValueCount)}, a Direct channel has 1`);
  }
  if (c === 0 && channel.mapping !== VolumeDataMapping.Direct) fail(`${at}.channelMapping`, 'is PerTrace, the primary channel (0) must be Direct');
  if (c === 0 && !channel.isRenderable()) fail(`${at}.renderable`, 'is false, the primary channel (0) must be renderable');
}

/** Every layer of a layout, physical and virtual: what readers and writers of a dataset address. */
export function layersOf(layout: VolumeDataLayout): VolumeDataLayers {
  return new VolumeDataLayers({
    layoutDescriptor: layout.getLayoutDescriptor(),
    axisDescriptors: layout.axisDescriptors,
    channelDescriptors: layout.channelDescriptors,
  });
}
