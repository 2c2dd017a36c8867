// The set of layers a layout has (format sheet 2.1, 2.5, 2.6): one per (dimension group, LOD,
// channel), each with its partition into chunks, its name and its effective compression.
import type { BlockShape } from '../block.js';
import { CompressionMethod, compressionMethodTraits, DimensionsND, isWaveletCompression, VolumeDataFormat, VolumeDataMapping } from '../enums.js';
import type {
  VolumeDataAxisDescriptor, VolumeDataChannelDescriptor, VolumeDataLayoutDescriptor,
} from '../layout/descriptors.js';
import { dimensionGroupName, dimensionGroupOf, dimensionGroupsOfVolume, dimensionsOf } from './dimensionGroup.js';
import { type Index6, VolumeDataPartition } from './partition.js';

const WAVELET_MIN_TOLERANCE = Math.fround(0.01);

export interface LayoutGeometryInput {
  layoutDescriptor: VolumeDataLayoutDescriptor;
  axisDescriptors: readonly VolumeDataAxisDescriptor[];
  channelDescriptors: readonly VolumeDataChannelDescriptor[];
}

export class VolumeDataLayer {
  constructor(
    /** Object-key prefix, e.g. `Dimensions_012LOD0` or `SEGYTraceHeaderDimensions_012LOD0`. */
    readonly name: string,
    /** The dimension group requests name (the primary channel's group). */
    readonly dimensionsND: DimensionsND,
    readonly lod: number,
    readonly channel: number,
    readonly partition: VolumeDataPartition,
    readonly channelDescriptor: VolumeDataChannelDescriptor,
    /** Virtual layers only exist to complete the LOD pyramid; they are never stored. */
    readonly isVirtual: boolean,
  ) {}

  get chunkCount(): number { return this.partition.chunkCount; }

  /** The DataBlock descriptor every chunk of this layer must carry. */
  blockShape(chunkIndex: number): BlockShape {
    const voxels = this.partition.chunkVoxelSize(chunkIndex);
    const dims = this.partition.chunkedDimensions;
    const size: [number, number, number] = [1, 1, 1];
    dims.slice(0, 3).forEach((d, i) => { size[i] = voxels[d]!; });
    return {
      dimensionality: Math.max(1, Math.min(3, dims.length)) as 1 | 2 | 3,
      size,
      format: this.channelDescriptor.format,
      components: this.channelDescriptor.components,
    };
  }

  /** Voxel count of a chunk including margins (its decoded element count / components). */
  chunkVoxelCount(chunkIndex: number): number {
    return this.partition.chunkVoxelSize(chunkIndex).reduce((a, b) => a * b, 1);
  }
}

/** Effective compression of a channel's layer at a LOD (format sheet 2.5). */
export function effectiveCompression(
  method: CompressionMethod, tolerance: number, channel: VolumeDataChannelDescriptor, lod: number,
): { method: CompressionMethod; tolerance: number } {
  const wavelet = isWaveletCompression(method);
  const lossyFormat = channel.format !== VolumeDataFormat.Format_1Bit && channel.format !== VolumeDataFormat.Format_U32 &&
    channel.format !== VolumeDataFormat.Format_U64 && channel.format !== VolumeDataFormat.Format_R64;
  const lossyAllowed = channel.isAllowLossyCompression() && channel.isRenderable() && lossyFormat;
  if (wavelet && !lossyAllowed) {
    return { method: channel.isUseZipForLosslessCompression() ? CompressionMethod.Zip : CompressionMethod.RLE, tolerance: 0 };
  }
  if (!wavelet) return { method, tolerance: lossyAllowed ? baseTolerance(method, tolerance, lod) : 0 };
  let effective = method;
  if (lod > 0 && method === CompressionMethod.WaveletLossless) effective = CompressionMethod.Wavelet;
  if (lod > 0 && method === CompressionMethod.WaveletNormalizeBlockLossless) effective = CompressionMethod.WaveletNormalizeBlock;
  return { method: effective, tolerance: baseTolerance(method, tolerance, lod) };
}

function baseTolerance(method: CompressionMethod, tolerance: number, lod: number): number {
  const traits = compressionMethodTraits(method);
  const tol = traits?.isWavelet && traits.isLossless ? WAVELET_MIN_TOLERANCE : Math.max(Math.fround(tolerance), WAVELET_MIN_TOLERANCE);
  if (lod === 0) return tol;
  return Math.fround(Math.max(tol, 2) * 2 ** Math.min(lod, 2));
}

/** Every layer of a layout, physical and virtual, addressable by (group, LOD, channel) and by name. */
export class VolumeDataLayers {
  readonly all: readonly VolumeDataLayer[];
  private readonly byKey = new Map<string, VolumeDataLayer>();
  private readonly byName = new Map<string, VolumeDataLayer>();

  constructor(input: LayoutGeometryInput) {
    // flatMap, not push(...spread): a spread of many channels' layers overflows the call stack.
    this.all = dimensionGroupsOfVolume(input.axisDescriptors.length).flatMap((group) => createGroupLayers(input, group));
    for (const layer of this.all) {
      this.byKey.set(key(layer.dimensionsND, layer.lod, layer.channel), layer);
      this.byName.set(layer.name, layer);
    }
  }

  get(dimensionsND: DimensionsND, lod: number, channel: number): VolumeDataLayer | undefined {
    return this.byKey.get(key(dimensionsND, lod, channel));
  }

  byLayerName(name: string): VolumeDataLayer | undefined {
    return this.byName.get(name);
  }

  /** Physical (storable) layers of a group's channel, LOD 0 first. */
  lodLayers(dimensionsND: DimensionsND, channel: number): VolumeDataLayer[] {
    return this.all.filter((l) => l.dimensionsND === dimensionsND && l.channel === channel && !l.isVirtual);
  }
}

function key(group: DimensionsND, lod: number, channel: number): string {
  return `${group}/${lod}/${channel}`;
}

function createGroupLayers(input: LayoutGeometryInput, group: DimensionsND): VolumeDataLayer[] {
  const { layoutDescriptor: desc, axisDescriptors: axes, channelDescriptors: channels } = input;
  const groupDims = dimensionsOf(group);
  const is3D = groupDims.length === 3;
  const physicalLODs = is3D || desc.isCreate2DLODs() ? desc.lodLevels + 1 : 1;
  const internalBrick = (1 << desc.brickSize) - desc.negativeMargin - desc.positiveMargin;
  const brick = internalBrick * (is3D ? 1 : desc.brickSize2DMultiplier);
  const fullRes = desc.isForceFullResolutionDimension() ? desc.fullResolutionDimension : -1;
  const numSamples = [1, 1, 1, 1, 1, 1] as Index6;
  axes.forEach((a, d) => { numSamples[d] = a.numSamples; });

  const layers: VolumeDataLayer[] = [];
  let createMore = true;
  for (let lod = 0; createMore; lod++) {
    createMore = lod < physicalLODs - 1;
    const brickSize = [1, 1, 1, 1, 1, 1].map((one, d) =>
      groupDims.includes(d) ? brick << (d === fullRes ? 0 : lod) : one) as Index6;
    const primaryName = `${dimensionGroupName(group)}LOD${lod}`;
    channels.forEach((channel, c) => {
      if (lod > 0 && !channel.isRenderable()) return;
      const partition = channel.mapping === VolumeDataMapping.PerTrace
        ? traceMappedPartition(lod, numSamples, brickSize, groupDims, channel.mappedValueCount, desc, fullRes)
        : new VolumeDataPartition({
          lod, numSamples, chunkedDimensions: groupDims, brickSize,
          negativeMargin: desc.negativeMargin, positiveMargin: desc.positiveMargin,
          decimatedDimensions: groupDims.filter((d) => d !== fullRes), fullResolutionDimension: fullRes,
        });
      if (!partition) return;
      const name = c === 0 ? primaryName : `${channel.name}${primaryName}`;
      layers.push(new VolumeDataLayer(name, group, lod, c, partition, channel, lod >= physicalLODs));
      if (partition.chunkedDimensions.some((d) => d !== fullRes && partition.chunksInDimension[d]! > 1)) {
        createMore = true;
      }
    });
  }
  return layers;
}

/** PerTrace channels: dimension 0 holds the mapped values, in a single chunk (format sheet 2.6). */
function traceMappedPartition(
  lod: number, numSamples: Index6, brickSize: Index6, groupDims: readonly number[], mappedValues: number,
  desc: VolumeDataLayoutDescriptor, fullRes: number,
): VolumeDataPartition | undefined {
  const dims = [...(mappedValues > 1 ? [0] : []), ...groupDims.filter((d) => d >= 1)];
  if (dims.length > 3 || dimensionGroupOf(dims) === undefined && dims.length > 1) return undefined;
  const mappedSamples = [...numSamples] as Index6;
  mappedSamples[0] = mappedValues;
  const mappedBrick = [...brickSize] as Index6;
  mappedBrick[0] = mappedValues;
  return new VolumeDataPartition({
    lod, numSamples: mappedSamples, chunkedDimensions: dims, brickSize: mappedBrick,
    negativeMargin: desc.negativeMargin, positiveMargin: desc.positiveMargin,
    decimatedDimensions: dims.filter((d) => d !== fullRes), fullResolutionDimension: fullRes,
  });
}
