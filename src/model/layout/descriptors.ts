// The three descriptor classes a layout is made of. Floats are held as f32, as OpenVDS stores them.
import {
  BrickSize, ChannelFlags, LayoutOptions, LODLevels, VolumeDataComponents, VolumeDataFormat, VolumeDataMapping,
} from '../enums.js';
import { InvalidArgumentError } from '../errors.js';

const f32 = Math.fround;

export class VolumeDataLayoutDescriptor {
  static readonly BrickSize = BrickSize;
  static readonly LODLevels = LODLevels;
  static readonly Options = LayoutOptions;

  /** Without arguments, OpenVDS's default descriptor: brick size 0, which is not valid. */
  constructor();
  constructor(brickSize: BrickSize, negativeMargin: number, positiveMargin: number, brickSize2DMultiplier: number,
    lodLevels: LODLevels, options?: LayoutOptions, fullResolutionDimension?: number);
  constructor(
    readonly brickSize: BrickSize = 0 as BrickSize,
    readonly negativeMargin = 0,
    readonly positiveMargin = 0,
    readonly brickSize2DMultiplier = 0,
    readonly lodLevels: LODLevels = LODLevels.LODLevels_None,
    readonly options: LayoutOptions = LayoutOptions.Options_None,
    readonly fullResolutionDimension = 0,
  ) {}

  isValid(): boolean { return BrickSize[this.brickSize] !== undefined; }
  getBrickSize(): BrickSize { return this.brickSize; }
  getNegativeMargin(): number { return this.negativeMargin; }
  getPositiveMargin(): number { return this.positiveMargin; }
  getBrickSizeMultiplier2D(): number { return this.brickSize2DMultiplier; }
  getLODLevels(): LODLevels { return this.lodLevels; }
  getOptions(): LayoutOptions { return this.options; }
  isCreate2DLODs(): boolean { return (this.options & LayoutOptions.Options_Create2DLODs) !== 0; }
  isForceFullResolutionDimension(): boolean {
    return (this.options & LayoutOptions.Options_ForceFullResolutionDimension) !== 0;
  }
  getFullResolutionDimension(): number { return this.fullResolutionDimension; }
}

export class VolumeDataAxisDescriptor {
  readonly coordinateMin: number;
  readonly coordinateMax: number;

  constructor(
    readonly numSamples: number,
    readonly name: string,
    readonly unit: string,
    coordinateMin: number,
    coordinateMax: number,
  ) {
    this.coordinateMin = f32(coordinateMin);
    this.coordinateMax = f32(coordinateMax);
  }

  /** The coordinate distance of neighbouring samples (the Python property). */
  get coordinateStep(): number { return this.getCoordinateStep(); }

  getNumSamples(): number { return this.numSamples; }
  getName(): string { return this.name; }
  getUnit(): string { return this.unit; }
  getCoordinateMin(): number { return this.coordinateMin; }
  getCoordinateMax(): number { return this.coordinateMax; }
  getCoordinateStep(): number {
    return this.numSamples > 1 ? f32(f32(this.coordinateMax - this.coordinateMin) / (this.numSamples - 1)) : 0;
  }
  sampleIndexToCoordinate(sampleIndex: number): number {
    return f32(this.coordinateMin + f32(sampleIndex * this.getCoordinateStep()));
  }
  coordinateToSampleIndex(coordinate: number): number {
    if (f32(coordinate) === this.coordinateMin) return 0;
    return Math.floor(f32(f32(this.relative(coordinate) * (this.numSamples - 1)) + 0.5));
  }
  /** Continuous position: `coordinateMin` maps to 0.5, the centre of voxel 0. */
  coordinateToSamplePosition(coordinate: number): number {
    if (f32(coordinate) === this.coordinateMin) return 0.5;
    return f32(f32(this.relative(coordinate) * (this.numSamples - 1)) + 0.5);
  }
  private relative(coordinate: number): number {
    return f32(f32(coordinate - this.coordinateMin) / f32(this.coordinateMax - this.coordinateMin));
  }
}

/** OpenVDS's `Range<float>`. */
export interface FloatRange {
  readonly min: number;
  readonly max: number;
}

/** Every ChannelFlags bit. */
const CHANNEL_FLAG_BITS = ChannelFlags.DiscreteData | ChannelFlags.NoLossyCompressionUseZip | ChannelFlags.NotRenderable;

export class VolumeDataChannelDescriptor {
  static readonly Flags = ChannelFlags;
  static readonly Format = VolumeDataFormat;
  static readonly Components = VolumeDataComponents;

  readonly valueRangeMin: number;
  readonly valueRangeMax: number;
  readonly noValue: number;
  readonly useNoValue: boolean;
  readonly integerScale: number;
  readonly integerOffset: number;
  readonly mappedValueCount: number;

  constructor(
    readonly format: VolumeDataFormat,
    readonly components: VolumeDataComponents,
    readonly name: string,
    readonly unit: string,
    valueRangeMin: number,
    valueRangeMax: number,
    readonly mapping: VolumeDataMapping = VolumeDataMapping.Direct,
    mappedValueCount?: number,
    readonly flags: ChannelFlags = ChannelFlags.Default,
    noValue?: number,
    integerScale = 1,
    integerOffset = 0,
  ) {
    // Enums are plain numbers here, so OpenVDS's C++ overload `(…, valueRangeMax, flags)` would land
    // flags in the mapping slot: 1 (DiscreteData) reads as PerTrace. Refuse what cannot be meant.
    if (VolumeDataMapping[mapping] === undefined) {
      throw new InvalidArgumentError(`Channel ${name}: argument 7 is the mapping (VolumeDataMapping.Direct or PerTrace), got ${mapping}; ` +
        'channel flags go in argument 9');
    }
    if (mapping === VolumeDataMapping.PerTrace && mappedValueCount === undefined) {
      throw new InvalidArgumentError(`Channel ${name}: a PerTrace mapping needs its mappedValueCount (argument 8); ` +
        'for Flags.DiscreteData (also 1) pass VolumeDataMapping.Direct, 1, and the flags as argument 9');
    }
    if (!Number.isInteger(flags) || (flags & ~CHANNEL_FLAG_BITS) !== 0) {
      throw new InvalidArgumentError(`Channel ${name}: invalid flags ${flags} (argument 9 takes VolumeDataChannelDescriptor.Flags bits)`);
    }
    this.mappedValueCount = mappedValueCount ?? 1;
    this.valueRangeMin = f32(valueRangeMin);
    this.valueRangeMax = f32(valueRangeMax);
    this.useNoValue = noValue !== undefined;
    this.noValue = f32(noValue ?? 0);
    this.integerScale = f32(integerScale);
    this.integerOffset = f32(integerOffset);
  }

  /** A PerTrace channel: `mappedValueCount` values per trace (position in dimensions ≥ 1). */
  static traceMappedVolumeDataChannelDescriptor(
    format: VolumeDataFormat, components: VolumeDataComponents, name: string, unit: string,
    valueRangeMin: number, valueRangeMax: number, mappedValueCount: number, flags: ChannelFlags = ChannelFlags.Default,
    noValue?: number,
  ): VolumeDataChannelDescriptor {
    return new VolumeDataChannelDescriptor(format, components, name, unit, valueRangeMin, valueRangeMax,
      VolumeDataMapping.PerTrace, mappedValueCount, flags, noValue);
  }

  getFormat(): VolumeDataFormat { return this.format; }
  getComponents(): VolumeDataComponents { return this.components; }
  getName(): string { return this.name; }
  getUnit(): string { return this.unit; }
  getValueRangeMin(): number { return this.valueRangeMin; }
  getValueRangeMax(): number { return this.valueRangeMax; }
  getValueRange(): FloatRange { return { min: this.valueRangeMin, max: this.valueRangeMax }; }
  getMapping(): VolumeDataMapping { return this.mapping; }
  getMappedValueCount(): number { return this.mappedValueCount; }
  getFlags(): ChannelFlags { return this.flags; }
  isUseNoValue(): boolean { return this.useNoValue; }
  getNoValue(): number { return this.noValue; }
  getIntegerScale(): number { return this.integerScale; }
  getIntegerOffset(): number { return this.integerOffset; }
  isDiscrete(): boolean {
    return (this.flags & ChannelFlags.DiscreteData) !== 0 || this.format === VolumeDataFormat.Format_1Bit;
  }
  isRenderable(): boolean { return (this.flags & ChannelFlags.NotRenderable) === 0; }
  isAllowLossyCompression(): boolean {
    return (this.flags & ChannelFlags.NoLossyCompression) === 0 && !this.isDiscrete();
  }
  isUseZipForLosslessCompression(): boolean {
    return (this.flags & ChannelFlags.NoLossyCompressionUseZip) === ChannelFlags.NoLossyCompressionUseZip;
  }
}
