// VolumeDataLayout: the read-only description of a dataset (axes, channels, bricks, metadata),
// with the getters of the OpenVDS Python class.
import { BrickSize, Dimensionality_Max, LODLevels, VolumeDataComponents, VolumeDataFormat, VolumeDataMapping } from '../enums.js';
import { InvalidArgumentError } from '../errors.js';
import { type MetadataReadAccess, MetadataReader } from '../metadata/metadataContainer.js';
import type { VolumeDataAxisDescriptor, VolumeDataChannelDescriptor, VolumeDataLayoutDescriptor } from './descriptors.js';
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

const MAX_SAMPLES = 1_000_000;

/** The limits OpenVDS's create enforces (format sheet 1.5); throws InvalidArgumentError naming the first violation. */
export function validateLayout(
  layout: VolumeDataLayoutDescriptor, axes: readonly VolumeDataAxisDescriptor[], channels: readonly VolumeDataChannelDescriptor[],
): void {
  const fail = (message: string): never => { throw new InvalidArgumentError(message); };
  if (BrickSize[layout.brickSize] === undefined) fail(`Invalid brick size ${layout.brickSize}`);
  const brick = 1 << layout.brickSize;
  for (const [name, margin] of [['negativeMargin', layout.negativeMargin], ['positiveMargin', layout.positiveMargin]] as const) {
    if (!Number.isInteger(margin) || margin < 0 || margin >= brick / 2) fail(`${name} must be an integer in [0, ${brick / 2}), got ${margin}`);
  }
  const multiplier = layout.brickSize2DMultiplier;
  if (!Number.isInteger(multiplier) || multiplier <= 0 || multiplier * brick > 4096) {
    fail(`brickSize2DMultiplier must be a positive integer with multiplier × brick ≤ 4096, got ${multiplier}`);
  }
  if (LODLevels[layout.lodLevels] === undefined) fail(`Invalid LOD levels ${layout.lodLevels}`);
  if (layout.isForceFullResolutionDimension() &&
    (!Number.isInteger(layout.fullResolutionDimension) || layout.fullResolutionDimension < 0 || layout.fullResolutionDimension >= axes.length)) {
    fail(`fullResolutionDimension ${layout.fullResolutionDimension} is not a dimension of the layout`);
  }
  if (axes.length < 2 || axes.length > Dimensionality_Max) fail(`A layout needs 2 to ${Dimensionality_Max} axes, got ${axes.length}`);
  axes.forEach((axis, d) => {
    if (!Number.isInteger(axis.numSamples) || axis.numSamples < 1 || axis.numSamples > MAX_SAMPLES) {
      fail(`Axis ${d} (${axis.name}) must have 1 to ${MAX_SAMPLES} samples, got ${axis.numSamples}`);
    }
    if (!Number.isFinite(axis.coordinateMin) || !Number.isFinite(axis.coordinateMax)) fail(`Axis ${d} (${axis.name}) has a non-finite coordinate range`);
  });
  if (channels.length < 1) fail('A layout needs at least one channel');
  const names = new Set<string>();
  channels.forEach((channel, c) => {
    const what = `Channel ${c} (${channel.name})`;
    if (VolumeDataFormat[channel.format] === undefined || channel.format === VolumeDataFormat.Format_Any) fail(`${what} has invalid format ${channel.format}`);
    if (VolumeDataComponents[channel.components] === undefined) fail(`${what} has invalid components ${channel.components}`);
    if (c > 0 && channel.name === '') fail(`Channel ${c} needs a name`);
    if (names.has(channel.name)) fail(`Channel name "${channel.name}" is used twice`);
    names.add(channel.name);
    if (!Number.isFinite(channel.valueRangeMin) || !Number.isFinite(channel.valueRangeMax) || channel.valueRangeMin > channel.valueRangeMax) {
      fail(`${what} needs a finite value range with min ≤ max, got [${channel.valueRangeMin}, ${channel.valueRangeMax}]`);
    }
    if (channel.format === VolumeDataFormat.Format_1Bit && channel.useNoValue) fail(`${what}: 1-bit channels cannot use a no-value`);
    if (channel.mapping === VolumeDataMapping.PerTrace && (!Number.isInteger(channel.mappedValueCount) || channel.mappedValueCount < 1)) {
      fail(`${what}: a PerTrace channel needs mappedValueCount ≥ 1, got ${channel.mappedValueCount}`);
    }
    if (channel.mapping === VolumeDataMapping.Direct && c > 0 && channel.mappedValueCount !== 1) fail(`${what}: a Direct channel has mappedValueCount 1`);
  });
  const primary = channels[0]!;
  if (primary.mapping !== VolumeDataMapping.Direct) fail('The primary channel (0) must be Direct');
  if (!primary.isRenderable()) fail('The primary channel (0) must be renderable');
}
