import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import * as vds from '../src/index.js';
import { parseLayerStatusJson, parseVolumeDataLayoutJson, serializeLayerStatusJson, serializeVolumeDataLayoutJson } from '../src/model/layout/layoutJson.js';
import { openvdsVector } from './support/testdata.js';

const layoutText = readFileSync(openvdsVector('VolumeDataLayout.json'), 'utf8');
const statusText = readFileSync(openvdsVector('LayerStatus.json'), 'utf8');

function layoutOf(text: string): vds.VolumeDataLayout {
  const p = parseVolumeDataLayoutJson(text);
  return new vds.VolumeDataLayout(p.layoutDescriptor, p.axisDescriptors, p.channelDescriptors, p.metadata);
}

describe('VolumeDataLayout JSON', () => {
  it('reads every value of the OpenVDS test layout', () => {
    const layout = layoutOf(layoutText);
    const d = layout.getLayoutDescriptor();
    expect([d.getBrickSize(), d.getNegativeMargin(), d.getPositiveMargin(), d.getBrickSizeMultiplier2D(), d.getLODLevels()])
      .to.deep.equal([vds.BrickSize.BrickSize_128, 4, 4, 4, vds.LODLevels.LODLevels_2]);
    expect(d.isCreate2DLODs()).to.equal(true);
    expect(d.isForceFullResolutionDimension()).to.equal(false);
    expect(layout.getDimensionality()).to.equal(3);
    expect([0, 1, 2].map((i) => [layout.getDimensionName(i), layout.getDimensionNumSamples(i), layout.getDimensionMin(i), layout.getDimensionMax(i), layout.getDimensionUnit(i)]))
      .to.deep.equal([['Sample', 1126, 0, 4500, 'ms'], ['Crossline', 605, 1932, 2536, 'unitless'], ['Inline', 385, 9985, 10369, 'unitless']]);
    expect(layout.getChannelCount()).to.equal(3);
    expect(layout.getChannelName(0)).to.equal('Amplitude');
    expect(layout.getChannelFormat(0)).to.equal(vds.VolumeDataFormat.Format_R32);
    expect(layout.getChannelValueRangeMax(0)).to.equal(Math.fround(0.07938297837972641));
    expect(layout.getChannelValueRangeMin(0)).to.equal(-Math.fround(0.07938297837972641));
    expect(layout.isChannelAllowingLossyCompression(0)).to.equal(true);
    expect(layout.getChannelMapping(2)).to.equal(vds.VolumeDataMapping.PerTrace);
    expect(layout.getChannelMappedValueCount(2)).to.equal(240);
    expect(layout.getChannelFormat(1)).to.equal(vds.VolumeDataFormat.Format_U8);
    expect(layout.isChannelAllowingLossyCompression(1)).to.equal(false);
    expect(layout.getChannelIndex('SEGYTraceHeader')).to.equal(2);
    expect(layout.getMetadataKeys()).to.have.length(9);
    const blob = layout.getMetadataBLOB('', 'SEGYTextHeader');
    expect(blob).to.have.length(3200);
    expect(layout.getMetadataString('SurveyCoordinateSystem', 'Unit')).to.be.a('string');
    expect(layout.getMetadataDoubleVector2('SurveyCoordinateSystem', 'Origin')).to.have.length(2);
    expect(layout.isMetadataDoubleVector2Available('SurveyCoordinateSystem', 'InlineSpacing')).to.equal(true);
    expect(layout.isMetadataIntAvailable('SurveyCoordinateSystem', 'InlineSpacing')).to.equal(false);
  });

  it('has the layout hash OpenVDS asserts (4347295037026364373)', () => {
    expect(layoutOf(layoutText).getContentsHash()).to.equal(4347295037026364373n);
  });

  it('round-trips: serialized JSON parses to the same values, keys sorted, 4-space indented', () => {
    const written = serializeVolumeDataLayoutJson(layoutOf(layoutText));
    expect(JSON.parse(written)).to.deep.equal(JSON.parse(layoutText));
    expect(written.split('\n')[1]).to.equal('    "axisDescriptors": [');
    expect(written).to.contain('"coordinateMax": 4500.0');
    expect(layoutOf(written).getContentsHash()).to.equal(4347295037026364373n);
  });

  it('refuses unknown enum spellings and broken JSON with the field named', () => {
    expect(() => parseVolumeDataLayoutJson(layoutText.replace('"BrickSize_128"', '"BrickSize_100"'))).to.throw(vds.ReadError, /layoutDescriptor.brickSize/);
    expect(() => parseVolumeDataLayoutJson(layoutText.replace('"Format_R32"', '"Format_R16"'))).to.throw(/channelDescriptors\[0\].format/);
    expect(() => parseVolumeDataLayoutJson(layoutText.slice(0, 500))).to.throw(/not valid JSON/);
    expect(() => parseVolumeDataLayoutJson('{"layoutDescriptor": {"brickSize": "BrickSize_64", "brickSize2DMultiplier": 1, "lodLevels": "LODLevels_None"}}'))
      .to.throw(vds.ReadError, 'VolumeDataLayout.axisDescriptors has 0 axes, expected 2 to 6');
  });

  it('reads missing members as jsoncpp does (0, false, "")', () => {
    // The 2D multiplier and a renderable primary channel are the members a valid layout cannot leave at 0 / false.
    const minimal = JSON.stringify({
      layoutDescriptor: { brickSize: 'BrickSize_64', lodLevels: 'LODLevels_None', brickSize2DMultiplier: 1 },
      axisDescriptors: [{ numSamples: 10 }, { numSamples: 20, name: 'X' }],
      channelDescriptors: [{ format: 'Format_U8', components: 'Components_1', channelMapping: 'Direct', renderable: true }],
    });
    const layout = layoutOf(minimal);
    expect(layout.getDimensionName(0)).to.equal('');
    expect(layout.getLayoutDescriptor().getNegativeMargin()).to.equal(0);
    expect(layout.isChannelDiscrete(0)).to.equal(false);
    expect(layout.isChannelAllowingLossyCompression(0)).to.equal(false);
    expect([layout.getChannelValueRangeMin(0), layout.getChannelValueRangeMax(0), layout.getChannelIntegerScale(0)]).to.deep.equal([0, 0, 0]);
    expect(layout.isChannelUseNoValue(0)).to.equal(false);
  });
});

describe('LayerStatus JSON', () => {
  it('reads the 9 layers of the OpenVDS test vector', () => {
    const entries = parseLayerStatusJson(statusText);
    expect(entries.map((e) => e.layerName)).to.deep.equal([
      'Dimensions_012LOD0', 'Dimensions_012LOD1', 'Dimensions_012LOD2',
      'TraceDimensions_012LOD0', 'TraceDimensions_012LOD1', 'TraceDimensions_012LOD2',
      'SEGYTraceHeaderDimensions_012LOD0', 'SEGYTraceHeaderDimensions_012LOD1', 'SEGYTraceHeaderDimensions_012LOD2',
    ]);
    expect(entries.map((e) => e.chunkMetadata!.chunkCount)).to.deep.equal([200, 30, 6, 20, 6, 2, 20, 6, 2]);
    expect(entries.slice(0, 3).map((e) => e.compressionTolerance)).to.deep.equal([Math.fround(0.01), 4, 8]);
    expect(entries[0]!.compressionMethod).to.equal(vds.CompressionMethod.Wavelet);
    expect(entries.map((e) => e.chunkMetadata!.chunkMetadataByteSize)).to.deep.equal([28, 28, 28, 8, 8, 8, 8, 8, 8]);
    expect(entries[6]!.chunkMetadata!.uncompressedSize).to.equal(62527920);
    expect(entries[0]!.chunkMetadata!.adaptiveLevelSizes[0]).to.equal(307793992);
    expect(entries[0]!.chunkMetadata!.pageDirectory).to.equal(undefined);
  });

  it('round-trips to the same values', () => {
    expect(JSON.parse(serializeLayerStatusJson(parseLayerStatusJson(statusText)))).to.deep.equal(JSON.parse(statusText));
  });

  it('accepts the Experimental spellings of the NormalizeBlock methods and refuses unknown ones', () => {
    const one = (method: string) => `[{"layerName":"Dimensions_012LOD0","lod":0,"produceStatus":"Normal","compressionMethod":"${method}"}]`;
    expect(parseLayerStatusJson(one('WaveletNormalizeBlockExperimental'))[0]!.compressionMethod).to.equal(vds.CompressionMethod.WaveletNormalizeBlock);
    expect(() => parseLayerStatusJson(one('Brotli'))).to.throw(/compressionMethod has unknown value "Brotli"/);
  });
});

describe('MetadataContainer', () => {
  it('stores every type and checks values against it', () => {
    const m = new vds.MetadataContainer();
    m.setMetadataInt('a', 'int', 7);
    m.setMetadataIntVector3('a', 'iv3', [1, 2, 3]);
    m.setMetadataFloat('a', 'f', 0.1);
    m.setMetadataDoubleVector4('a', 'dv4', [0.1, 0.2, 0.3, 0.4]);
    m.setMetadataString('b', 's', 'text');
    m.setMetadataBLOB('b', 'blob', new Uint8Array([1, 2, 3]));
    expect(m.getMetadataFloat('a', 'f')).to.equal(Math.fround(0.1));
    expect(m.getMetadataDoubleVector4('a', 'dv4')).to.deep.equal([0.1, 0.2, 0.3, 0.4]);
    expect([...m.getMetadataBLOB('b', 'blob')]).to.deep.equal([1, 2, 3]);
    expect(m.getMetadataKeys().map((k) => vds.MetadataType[k.type])).to.deep.equal(['Int', 'IntVector3', 'Float', 'DoubleVector4', 'String', 'BLOB']);
    expect(() => m.setMetadataInt('a', 'x', 1.5)).to.throw(vds.InvalidArgumentError, /32-bit integers/);
    expect(() => m.setMetadataIntVector2('a', 'x', [1] as unknown as [number, number])).to.throw(/2 numbers/);
    expect(() => m.getMetadataInt('a', 'f')).to.throw(/No Int metadata named a.f/);
    const copy = new vds.MetadataContainer();
    copy.copyMetadata('b', m);
    expect(copy.getMetadataKeys()).to.have.length(2);
    expect(vds.KnownMetadata.surveyCoordinateSystemOrigin()).to.deep.equal({ type: vds.MetadataType.DoubleVector2, category: 'SurveyCoordinateSystem', name: 'Origin' });
  });
});
