// The three descriptor classes a layout is made of. Floats are held as f32, as OpenVDS stores them.
import {
  BrickSize, ChannelFlags, LayoutOptions, LODLevels, VolumeDataComponents, VolumeDataFormat, VolumeDataMapping,
} from '../enums.js';

const f32 = Math.fround;

export class VolumeDataLayoutDescriptor {
  static readonly BrickSize = BrickSize;
  static readonly LODLevels = LODLevels;
  static readonly Options = LayoutOptions;

  constructor(
    readonly brickSize: BrickSize,
    readonly negativeMargin: number,
    readonly positiveMargin: number,
    readonly brickSize2DMultiplier: number,
    readonly lodLevels: LODLevels,
    readonly options: LayoutOptions = LayoutOptions.Options_None,
    readonly fullResolutionDimension = 0,
  ) {}

  isValid(): boolean { return (this.brickSize as number) !== 0; }
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

export class VolumeDataChannelDescriptor {
  static readonly Flags = ChannelFlags;

  readonly valueRangeMin: number;
  readonly valueRangeMax: number;
  readonly noValue: number;
  readonly useNoValue: boolean;
  readonly integerScale: number;
  readonly integerOffset: number;

  constructor(
    readonly format: VolumeDataFormat,
    readonly components: VolumeDataComponents,
    readonly name: string,
    readonly unit: string,
    valueRangeMin: number,
    valueRangeMax: number,
    readonly mapping: VolumeDataMapping = VolumeDataMapping.Direct,
    readonly mappedValueCount = 1,
    readonly flags: ChannelFlags = ChannelFlags.Default,
    noValue?: number,
    integerScale = 1,
    integerOffset = 0,
  ) {
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
