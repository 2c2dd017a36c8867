import { expect } from 'chai';
import {
  BrickSize, DimensionsND, LayoutOptions, LODLevels, VolumeDataComponents, VolumeDataFormat,
} from '../src/model/enums.js';
import {
  VolumeDataAxisDescriptor, VolumeDataChannelDescriptor, VolumeDataLayoutDescriptor,
} from '../src/model/layout/descriptors.js';
import { VolumeDataLayers } from '../src/model/geometry/layers.js';
import { dimensionGroupName, dimensionGroupsOfVolume } from '../src/model/geometry/dimensionGroup.js';
import { VolumeDataPartition } from '../src/model/geometry/partition.js';

// The survey of ../shared/testdata/openvds/VolumeDataLayout.json, built by hand.
function testSurvey(): VolumeDataLayers {
  return new VolumeDataLayers({
    layoutDescriptor: new VolumeDataLayoutDescriptor(BrickSize.BrickSize_128, 4, 4, 4, LODLevels.LODLevels_2,
      LayoutOptions.Options_Create2DLODs, -1),
    axisDescriptors: [
      new VolumeDataAxisDescriptor(1126, 'Sample', 'ms', 0, 4500),
      new VolumeDataAxisDescriptor(605, 'Crossline', 'unitless', 1932, 2536),
      new VolumeDataAxisDescriptor(385, 'Inline', 'unitless', 9985, 10369),
    ],
    channelDescriptors: [
      new VolumeDataChannelDescriptor(VolumeDataFormat.Format_R32, VolumeDataComponents.Components_1, 'Amplitude',
        'unitless', -0.07938297837972641, 0.07938297837972641),
      VolumeDataChannelDescriptor.traceMappedVolumeDataChannelDescriptor(VolumeDataFormat.Format_U8,
        VolumeDataComponents.Components_1, 'Trace', '', 0, 256, 1),
      VolumeDataChannelDescriptor.traceMappedVolumeDataChannelDescriptor(VolumeDataFormat.Format_U8,
        VolumeDataComponents.Components_1, 'SEGYTraceHeader', '', 0, 256, 240),
    ],
  });
}

function sumOfChunkVoxels(layers: VolumeDataLayers, group: DimensionsND, lod: number, channel: number): number {
  const layer = layers.get(group, lod, channel)!;
  let total = 0;
  for (let c = 0; c < layer.chunkCount; c++) total += layer.chunkVoxelCount(c);
  return total;
}

describe('chunk geometry', () => {
  it('names dimension groups and lists those of a 3D volume', () => {
    expect(dimensionGroupsOfVolume(3).map(dimensionGroupName))
      .to.deep.equal(['Dimensions_01', 'Dimensions_02', 'Dimensions_12', 'Dimensions_012']);
    expect(dimensionGroupsOfVolume(4)).to.have.length(6 + 4);
  });

  it('reproduces the chunk counts of LayerStatus.json', () => {
    const layers = testSurvey();
    const counts = (channel: number) => [0, 1, 2].map((lod) => layers.get(DimensionsND.Dimensions_012, lod, channel)!.chunkCount);
    expect(counts(0)).to.deep.equal([200, 30, 6]);
    expect(counts(1)).to.deep.equal([20, 6, 2]);
    expect(counts(2)).to.deep.equal([20, 6, 2]);
  });

  it('names layers as OpenVDS does', () => {
    const layers = testSurvey();
    expect(layers.get(DimensionsND.Dimensions_012, 1, 0)!.name).to.equal('Dimensions_012LOD1');
    expect(layers.get(DimensionsND.Dimensions_012, 2, 2)!.name).to.equal('SEGYTraceHeaderDimensions_012LOD2');
    expect(layers.get(DimensionsND.Dimensions_012, 0, 1)!.partition.chunkedDimensions).to.deep.equal([1, 2]);
    expect(layers.get(DimensionsND.Dimensions_012, 0, 2)!.partition.chunkedDimensions).to.deep.equal([0, 1, 2]);
  });

  it('halves the 240-value trace header at each LOD (uncompressedSize of LayerStatus.json)', () => {
    const layers = testSurvey();
    expect([0, 1, 2].map((lod) => sumOfChunkVoxels(layers, DimensionsND.Dimensions_012, lod, 2)))
      .to.deep.equal([62527920, 7352040, 896280]);
  });

  it('gives chunk extents with and without margins', () => {
    const layer = testSurvey().get(DimensionsND.Dimensions_012, 0, 0)!;
    expect(layer.partition.chunkMinMax(0, true)).to.deep.equal({ min: [0, 0, 0, 0, 0, 0], max: [128, 128, 128, 1, 1, 1] });
    expect(layer.partition.chunkMinMax(0, false)).to.deep.equal({ min: [0, 0, 0, 0, 0, 0], max: [124, 124, 124, 1, 1, 1] });
    expect(layer.partition.chunkMinMax(1, false).min[0]).to.equal(124);
    expect(layer.partition.chunkMinMax(1, true).min[0]).to.equal(120);
    const last = layer.partition.chunkMinMax(9, true);
    expect([last.min[0], last.max[0]]).to.deep.equal([1080, 1126]);
    expect(layer.blockShape(0).size).to.deep.equal([128, 128, 128]);
    expect(layer.blockShape(9).size).to.deep.equal([46, 128, 128]);
  });

  it('decimates chunk sizes at higher LODs', () => {
    const lod1 = testSurvey().get(DimensionsND.Dimensions_012, 1, 0)!;
    // brick 240 LOD0 voxels + 8 margin = 248 → 124 stored voxels
    expect(lod1.blockShape(0).size).to.deep.equal([124, 124, 124]);
    expect(lod1.partition.chunkIndexOfVoxel([500, 0, 0])).to.equal(2);
  });

  it('clamps the brick to small dimensions and keeps one chunk', () => {
    const p = new VolumeDataPartition({
      lod: 0, numSamples: [7, 3, 1, 1, 1, 1], chunkedDimensions: [0, 1], brickSize: [64, 64, 1, 1, 1, 1],
      negativeMargin: 2, positiveMargin: 2, decimatedDimensions: [0, 1],
    });
    expect(p.chunkCount).to.equal(1);
    expect(p.chunkMinMax(0, true)).to.deep.equal({ min: [0, 0, 0, 0, 0, 0], max: [7, 3, 1, 1, 1, 1] });
  });

  it('round-trips chunk indices through index arrays', () => {
    const layer = testSurvey().get(DimensionsND.Dimensions_012, 0, 0)!;
    for (const c of [0, 1, 9, 10, 57, 199]) {
      expect(layer.partition.indexArrayToChunkIndex(layer.partition.chunkIndexToIndexArray(c))).to.equal(c);
    }
  });
});
