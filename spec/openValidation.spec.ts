// Opening a dataset whose VolumeDataLayout, LayerStatus or chunk-metadata pages are corrupt: a
// ReadError naming the JSON member (or page) and the bad value, at once — never a hang, a heap
// exhaustion or a later failure. `create` applies the same layout rules as InvalidArgumentErrors.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vds from '../src/index.js';
import type { FullStore } from './support/fullStore.js';
import { OverlayStore } from './support/overlayStore.js';
import { rejection } from './support/rejection.js';
import { useTempFolder } from './support/tempFolder.js';
import { uniqueMemoryUrl, writeTestVolume } from './support/volumes.js';

type JsonObject = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('open refuses a corrupt dataset with the member named', function () {
  this.timeout(60_000);
  let base: FullStore;
  let layoutJson: JsonObject;
  let statusJson: JsonObject[];

  before(async () => {
    // 40 × 36 × 33 R32, Zip, brick 32 without margins: 8 chunks in one metadata page of 1024 entries.
    const { url } = await writeTestVolume({ size: [40, 36, 33], format: vds.VolumeDataFormat.Format_R32, method: vds.CompressionMethod.Zip,
      value: (x, y, z) => x + y + z });
    base = new vds.MemoryStore(url.slice('inmemory://'.length));
    layoutJson = JSON.parse(new TextDecoder().decode(await base.get('VolumeDataLayout')));
    statusJson = JSON.parse(new TextDecoder().decode(await base.get('LayerStatus')));
  });

  /** The open error for a dataset whose layout / LayerStatus were changed by `change`. */
  async function openError(change: { layout?: (l: JsonObject) => void; status?: (s: JsonObject[]) => void; raw?: Record<string, string> }): Promise<Error> {
    const store = new OverlayStore(base);
    const layout = structuredClone(layoutJson);
    const status = structuredClone(statusJson);
    change.layout?.(layout);
    change.status?.(status);
    store.replace('VolumeDataLayout', utf8(change.raw?.VolumeDataLayout ?? JSON.stringify(layout)));
    store.replace('LayerStatus', utf8(change.raw?.LayerStatus ?? JSON.stringify(status)));
    const started = Date.now();
    const error = await rejection(vds.open(store));
    expect(Date.now() - started, 'time to refuse').to.be.below(2000);
    expect(error).to.be.instanceOf(vds.ReadError);
    expect((error as vds.ReadError).code).to.equal(-1);
    return error;
  }

  const ld = (changes: JsonObject) => (l: JsonObject) => { Object.assign(l.layoutDescriptor, changes); };
  const axis = (d: number, changes: JsonObject) => (l: JsonObject) => { Object.assign(l.axisDescriptors[d], changes); };
  const channel = (c: number, changes: JsonObject) => (l: JsonObject) => { Object.assign(l.channelDescriptors[c], changes); };
  const extraChannel = (changes: JsonObject) => (l: JsonObject) => { l.channelDescriptors.push({ ...l.channelDescriptors[0], mappedValues: 1, ...changes }); };

  const layoutCases: [string, (l: JsonObject) => void, string][] = [
    // The three layouts that exhausted the heap before (issue 12.1).
    ['a brick interior of 0 (margins 16 + 16 of 32)', ld({ negativeMargin: 16, positiveMargin: 16 }),
      'VolumeDataLayout.layoutDescriptor.negativeMargin is 16, must be an integer in [0, 16) for BrickSize_32'],
    ['a 2D multiplier of 0', ld({ brickSize2DMultiplier: 0 }),
      'VolumeDataLayout.layoutDescriptor.brickSize2DMultiplier is 0, must be an integer in [1, 128] (multiplier × brick ≤ 4096)'],
    ['margins summing to -1', ld({ negativeMargin: 0, positiveMargin: -1 }), 'VolumeDataLayout.layoutDescriptor.positiveMargin is -1,'],
    ['a 2D brick over 4096', ld({ brickSize2DMultiplier: 129 }), 'VolumeDataLayout.layoutDescriptor.brickSize2DMultiplier is 129,'],
    ['an unknown brick size', ld({ brickSize: 'BrickSize_16' }), 'VolumeDataLayout.layoutDescriptor.brickSize has unknown value "BrickSize_16"'],
    ['a brick size of the wrong type', ld({ brickSize: 7 }), 'VolumeDataLayout.layoutDescriptor.brickSize has unknown value 7'],
    ['LOD levels out of range', ld({ lodLevels: 'LODLevels_13' }), 'VolumeDataLayout.layoutDescriptor.lodLevels has unknown value "LODLevels_13"'],
    ['a margin given as a string', ld({ negativeMargin: '2' }), 'VolumeDataLayout.layoutDescriptor.negativeMargin must be a number, got "2"'],
    ['a fractional margin', ld({ negativeMargin: 1.5 }), 'VolumeDataLayout.layoutDescriptor.negativeMargin must be an integer, got 1.5'],
    ['a full-resolution dimension outside the layout', ld({ forceFullResolutionDimension: true, fullResolutionDimension: 3 }),
      'VolumeDataLayout.layoutDescriptor.fullResolutionDimension is 3, not a dimension of the 3-D layout'],
    ['one axis', (l) => { l.axisDescriptors.length = 1; }, 'VolumeDataLayout.axisDescriptors has 1 axes, expected 2 to 6'],
    ['seven axes', (l) => { while (l.axisDescriptors.length < 7) l.axisDescriptors.push({ ...l.axisDescriptors[0] }); },
      'VolumeDataLayout.axisDescriptors has 7 axes, expected 2 to 6'],
    ['an axis without samples', axis(1, { numSamples: 0 }), 'VolumeDataLayout.axisDescriptors[1].numSamples is 0, must be an integer in [1, 1000000]'],
    ['an axis over 10^6 samples', axis(2, { numSamples: 1e6 + 1 }), 'VolumeDataLayout.axisDescriptors[2].numSamples is 1000001,'],
    ['an axis length as a string', axis(0, { numSamples: '40' }), 'VolumeDataLayout.axisDescriptors[0].numSamples must be a number, got "40"'],
    ['an axis that is not an object', (l) => { l.axisDescriptors[1] = [36]; }, 'VolumeDataLayout.axisDescriptors[1] must be a JSON object'],
    ['a coordinate beyond f32', axis(0, { coordinateMax: 1e39 }), 'VolumeDataLayout.axisDescriptors[0].coordinateMax is Infinity as f32, must be finite'],
    ['10^18 chunks in a layer', (l) => { for (const a of l.axisDescriptors) a.numSamples = 1e6; },
      'chunks, more than OpenVDS can count (2147483647)'],
    ['chunks over 2 GiB', (l) => { l.layoutDescriptor.brickSize = 'BrickSize_4096'; for (const a of l.axisDescriptors) a.numSamples = 2000; },
      'VolumeDataLayout.layoutDescriptor.brickSize is BrickSize_4096: chunks of layer Dimensions_012LOD0 would take 32000000000 bytes for channel 0, more than the 2147483647 OpenVDS can hold'],
    ['no channel', (l) => { l.channelDescriptors = []; }, 'VolumeDataLayout.channelDescriptors has 0 channels, expected 1 to 256'],
    ['257 channels (the layer set grows with channels × groups × LODs)',
      (l) => { for (let c = 1; c <= 256; c++) l.channelDescriptors.push({ ...l.channelDescriptors[0], name: `C${c}`, mappedValues: 1 }); },
      'VolumeDataLayout.channelDescriptors has 257 channels, expected 1 to 256'],
    ['Format_Any stored', channel(0, { format: 'Format_Any' }), 'VolumeDataLayout.channelDescriptors[0].format is -1, not a stored VolumeDataFormat'],
    ['unknown components', channel(0, { components: 'Components_3' }), 'VolumeDataLayout.channelDescriptors[0].components has unknown value "Components_3"'],
    ['an inverted value range', channel(0, { valueRange: [1, 0] }), 'VolumeDataLayout.channelDescriptors[0].valueRange is [1, 0] as f32, must be finite with min ≤ max'],
    ['an infinite value range', channel(0, { valueRange: [0, 1e39] }), 'VolumeDataLayout.channelDescriptors[0].valueRange is [0, Infinity] as f32'],
    ['a value range of three numbers', channel(0, { valueRange: [0, 1, 2] }), 'VolumeDataLayout.channelDescriptors[0].valueRange must be [min, max], got [0,1,2]'],
    ['an infinite no-value', channel(0, { useNoValue: true, noValue: -1e39 }), 'VolumeDataLayout.channelDescriptors[0].noValue is -Infinity as f32, must be finite'],
    ['an infinite integer scale', channel(0, { integerScale: 1e40 }), 'VolumeDataLayout.channelDescriptors[0].integerScale is Infinity as f32'],
    ['a PerTrace primary channel', channel(0, { channelMapping: 'PerTrace' }),
      'VolumeDataLayout.channelDescriptors[0].channelMapping is PerTrace, the primary channel (0) must be Direct'],
    ['a primary channel that is not renderable', channel(0, { renderable: false }),
      'VolumeDataLayout.channelDescriptors[0].renderable is false, the primary channel (0) must be renderable'],
    ['a PerTrace channel without values', extraChannel({ name: 'Header', channelMapping: 'PerTrace', mappedValues: 0 }),
      'VolumeDataLayout.channelDescriptors[1].mappedValues is 0, a PerTrace channel needs an integer in [1, 1000000]'],
    ['a duplicated channel name', extraChannel({}), 'VolumeDataLayout.channelDescriptors[1].name is "Value", the name of an earlier channel'],
    ['a channel name with a slash', extraChannel({ name: '../x' }), 'VolumeDataLayout.channelDescriptors[1].name is "../x"; a channel name cannot contain "/"'],
    ['an unnamed second channel', extraChannel({ name: '' }), 'VolumeDataLayout.channelDescriptors[1].name is ""; channels other than 0 need a name'],
    ['a 1-bit channel with a no-value', channel(0, { format: 'Format_1Bit', useNoValue: true }),
      'VolumeDataLayout.channelDescriptors[0].useNoValue is true, but 1-bit channels cannot use a no-value'],
    ['an Int metadata item over 32 bits', (l) => { l.metadata = [{ category: 'a', name: 'b', type: 'Int', value: 2 ** 31 }]; },
      'VolumeDataLayout.metadata[0].value: metadata a.b (Int) needs 32-bit integers, got 2147483648'],
    ['an unknown metadata type', (l) => { l.metadata = [{ category: 'a', name: 'b', type: 'Int5', value: 1 }]; },
      'VolumeDataLayout.metadata[0].type has unknown value "Int5"'],
    ['a vector of the wrong length', (l) => { l.metadata = [{ category: 'a', name: 'b', type: 'DoubleVector3', value: [1, 2] }]; },
      'VolumeDataLayout.metadata[0].value must have 3 elements'],
    ['a BLOB that is not Base64', (l) => { l.metadata = [{ category: 'a', name: 'b', type: 'BLOB', value: 'ab$=' }]; },
      'VolumeDataLayout.metadata[0].value is not valid Base64'],
  ];
  for (const [what, change, message] of layoutCases) {
    it(`layout: ${what}`, async () => {
      expect((await openError({ layout: change })).message).to.contain(message);
    });
  }

  const entry = (changes: JsonObject) => (s: JsonObject[]) => { Object.assign(s[0]!, changes); };
  const statusCases: [string, (s: JsonObject[]) => void, string][] = [
    ['a layer the layout does not have', entry({ layerName: 'Dimensions_012LOD9' }),
      'LayerStatus[0].layerName is "Dimensions_012LOD9", not a stored layer of the layout'],
    ['a virtual layer', entry({ layerName: 'Dimensions_012LOD1' }), 'LayerStatus[0].layerName is "Dimensions_012LOD1", not a stored layer'],
    ['a layer listed twice', (s) => { s.push({ ...s[0] }); }, 'LayerStatus[1].layerName is "Dimensions_012LOD0", named by an earlier entry too'],
    ['the wrong LOD', entry({ lod: 1 }), 'LayerStatus[0].lod is 1, layer Dimensions_012LOD0 has 0'],
    ['the wrong dimension group', entry({ dimensionGroup: 'Dimensions_01' }), 'LayerStatus[0].dimensionGroup is "Dimensions_01", layer Dimensions_012LOD0 has "Dimensions_012"'],
    ['the wrong channel name', entry({ channelName: 'Other' }), 'LayerStatus[0].channelName is "Other", layer Dimensions_012LOD0 has "Value"'],
    ['an unknown produce status', entry({ produceStatus: 'Sometimes' }), 'LayerStatus[0].produceStatus has unknown value "Sometimes"'],
    ['a chunk count the layout does not give', entry({ chunkCount: 9 }), 'LayerStatus[0].chunkCount is 9, the layout gives layer Dimensions_012LOD0 8'],
    ['a negative chunk count', entry({ chunkCount: -1 }), 'LayerStatus[0].chunkCount must be an integer ≥ 1, got -1'],
    ['a chunk count of 2^60', entry({ chunkCount: 2 ** 60 }), 'LayerStatus[0].chunkCount must be an integer ≥ 1, got 1152921504606847000'],
    ['more valid chunks than chunks', entry({ validChunkCount: 9 }), 'LayerStatus[0].validChunkCount is 9, more than chunkCount 8'],
    ['a page size of 0', entry({ chunkMetadataPageSize: 0 }), 'LayerStatus[0].chunkMetadataPageSize must be an integer ≥ 1, got 0'],
    ['a page size of 2^17', entry({ chunkMetadataPageSize: 2 ** 17 }), 'LayerStatus[0].chunkMetadataPageSize is 131072, more than 65536'],
    ['wavelet entries in a Zip layer', entry({ chunkMetadataByteSize: 28 }), 'LayerStatus[0].chunkMetadataByteSize is 28, a Zip layer has 8'],
    ['a page directory of the wrong length', entry({ pageDirectory: [0, 1] }), 'LayerStatus[0].pageDirectory has 2 entries, 8 chunks in pages of 1024 need 1'],
    ['a page directory entry below -1', entry({ pageDirectory: [-2] }), 'LayerStatus[0].pageDirectory[0] must be an integer ≥ -1, got -2'],
    ['a negative tolerance', entry({ compressionTolerance: -1 }), 'LayerStatus[0].compressionTolerance must be finite and ≥ 0, got -1'],
    ['a negative serialized size', entry({ serializedSize: -5 }), 'LayerStatus[0].serializedSize must be an integer ≥ 0, got -5'],
    ['17 adaptive level sizes', entry({ adaptiveLevelSizes: new Array(17).fill(0) }), 'LayerStatus[0].adaptiveLevelSizes has 17 entries, at most 16'],
    ['an object instead of an array', (s) => { s.length = 0; Object.assign(s, { 0: 1 }); }, 'LayerStatus[0] must be a JSON object'],
  ];
  for (const [what, change, message] of statusCases) {
    it(`LayerStatus: ${what}`, async () => {
      expect((await openError({ status: change })).message).to.contain(message);
    });
  }

  it('names the object for text that is not JSON, not UTF-8 or not the right kind of JSON', async () => {
    expect((await openError({ raw: { VolumeDataLayout: '{"layoutDescriptor": ' } })).message).to.match(/VolumeDataLayout is not valid JSON/);
    expect((await openError({ raw: { VolumeDataLayout: '[]' } })).message).to.contain('VolumeDataLayout must be a JSON object');
    expect((await openError({ raw: { LayerStatus: '{}' } })).message).to.contain('LayerStatus must be a JSON array');
    const store = new OverlayStore(base).replace('LayerStatus', Uint8Array.of(0x5b, 0xff, 0x5d));
    expect((await rejection(vds.open(store))).message).to.contain('LayerStatus is not UTF-8 text');
  });

  it('quotes a bad value briefly, whatever it holds', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const text = JSON.stringify(layoutJson).replace('"negativeMargin":0', `"negativeMargin":${deep}`);
    expect((await openError({ raw: { VolumeDataLayout: text } })).message)
      .to.match(/VolumeDataLayout\.layoutDescriptor\.negativeMargin must be a number, got a deeply nested array$/);
    const long = (await openError({ layout: extraChannel({ name: `/${'x'.repeat(1_000_000)}` }) })).message;
    expect(long).to.contain(`VolumeDataLayout.channelDescriptors[1].name is "/${'x'.repeat(58)}…; a channel name cannot contain "/"`);
    expect(long.length).to.be.below(300);
  });

  describe('chunk-metadata pages', () => {
    async function readError(store: OverlayStore): Promise<{ message: string; code: number }> {
      const dataset = await vds.open(store);
      try {
        const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], [1, 1, 1]);
        expect(await request.waitForCompletion()).to.equal(false);
        return { message: request.errorMessage, code: request.errorCode };
      } finally {
        await vds.close(dataset, false);
      }
    }

    it('refuses a truncated page, naming it and both sizes', async () => {
      const page = (await base.get('Dimensions_012LOD0/ChunkMetadata/0'))!;
      expect(page.length).to.equal(1024 * 8);
      const { message, code } = await readError(new OverlayStore(base).replace('Dimensions_012LOD0/ChunkMetadata/0', page.subarray(0, 10)));
      expect(message).to.contain('Chunk metadata page Dimensions_012LOD0/ChunkMetadata/0 has 10 bytes, expected 8192');
      expect(code).to.equal(-1);
    });

    it('refuses a missing page with code 404', async () => {
      const { message, code } = await readError(new OverlayStore(base).replace('Dimensions_012LOD0/ChunkMetadata/0', undefined));
      expect(message).to.contain('Chunk metadata page Dimensions_012LOD0/ChunkMetadata/0 is missing');
      expect(code).to.equal(404);
    });

    it('refuses a written wavelet entry without a serialized size', async () => {
      const page = new Uint8Array(1024 * 28);
      new DataView(page.buffer).setBigUint64(4, 0x123456789n, true);
      const status = structuredClone(statusJson);
      Object.assign(status[0]!, { compressionMethod: 'Wavelet', chunkMetadataByteSize: 28 });
      const store = new OverlayStore(base).replace('LayerStatus', utf8(JSON.stringify(status))).replace('Dimensions_012LOD0/ChunkMetadata/0', page);
      const { message } = await readError(store);
      expect(message).to.contain('Chunk metadata page Dimensions_012LOD0/ChunkMetadata/0 gives written chunk 0 a serialized size of 0');
    });
  });
});

describe('create applies the same layout rules', () => {
  it('refuses the layouts open refuses, as InvalidArgumentErrors naming the member', async () => {
    const axes = [40, 36, 33].map((n) => new vds.VolumeDataAxisDescriptor(n, '', '', 0, n - 1));
    const channels = [new vds.VolumeDataChannelDescriptor(vds.VolumeDataFormat.Format_R32, vds.VolumeDataComponents.Components_1, 'A', '', 0, 1)];
    const layout = (negative: number, positive: number, multiplier = 1) =>
      new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_32, negative, positive, multiplier, vds.LODLevels.LODLevels_None);
    const cases: [vds.VolumeDataLayoutDescriptor, string][] = [
      [layout(16, 16), 'layoutDescriptor.negativeMargin is 16, must be an integer in [0, 16) for BrickSize_32'],
      [layout(0, 0, 0), 'layoutDescriptor.brickSize2DMultiplier is 0'],
      [layout(0, -1), 'layoutDescriptor.positiveMargin is -1'],
    ];
    for (const [descriptor, message] of cases) {
      const error = await rejection(vds.create(uniqueMemoryUrl('create'), '', descriptor, axes, channels));
      expect(error).to.be.instanceOf(vds.InvalidArgumentError);
      expect(error.message).to.equal(message + error.message.slice(message.length));
    }
  });
});

describe('rxvds info on a corrupt layout', function () {
  this.timeout(60_000);
  const inFolder = useTempFolder('info');

  it('exits with the member named instead of exhausting the heap', async () => {
    const url = inFolder('survey');
    await writeTestVolume({ url, size: [40, 36, 33], format: vds.VolumeDataFormat.Format_R32, value: () => 1 });
    const layout = JSON.parse(readFileSync(inFolder('survey', 'VolumeDataLayout'), 'utf8'));
    Object.assign(layout.layoutDescriptor, { negativeMargin: 16, positiveMargin: 16 });
    writeFileSync(inFolder('survey', 'VolumeDataLayout'), JSON.stringify(layout));
    // Without coverage: this tsx child compiles the sources as ES modules, which c8 cannot merge with
    // mocha's CommonJS copies of the same files (see hostileDatasets.fuzz.spec.ts).
    const result = spawnSync(process.execPath, ['--import=tsx', 'bin/rxvds.ts', 'info', url],
      { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NODE_V8_COVERAGE: '' } });
    expect(result.signal).to.equal(null);
    expect(result.status).to.equal(1);
    expect(result.stderr).to.contain('VolumeDataLayout.layoutDescriptor.negativeMargin is 16, must be an integer in [0, 16) for BrickSize_32');
  });
});
