// Parity with the OpenVDS Python API, model side (issue 14): each table walks the documented members
// of one reference class and calls them on a dataset. Expected numbers marked "OpenVDS" were printed
// by the reference OpenVDS 3.4 Python module on the same file (shared/testdata/openvds/subset.vds).
import { expect } from 'chai';
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vds from '../src/index.js';
import { engineConnectionString } from '../sources/stores/openStore.js';
import { rejection } from './support/rejection.js';
import { openvdsVector } from './support/testdata.js';
import { uniqueMemoryUrl, writeTestVolume } from './support/volumes.js';

const SUBSET = openvdsVector('subset.vds');
const F = vds.VolumeDataFormat;
const T = vds.MetadataType;

type Row<S> = [member: string, call: (subject: S) => unknown, expected: unknown];

/** One `it` per row: the member's result deep-equals the expected value (or the row's check passes). */
function walk<S>(subject: () => S, rows: readonly Row<S>[]): void {
  for (const [member, call, expected] of rows) {
    it(member, () => {
      if (typeof expected === 'function') (expected as (value: unknown) => void)(call(subject()));
      else expect(call(subject())).to.deep.equal(expected);
    });
  }
}

/** A check that `action` throws `type` with a message matching `pattern`. */
const throws = (type: new (...args: never[]) => Error, pattern: RegExp | string) => (action: unknown) =>
  expect(action as () => unknown).to.throw(type, pattern);

/** LOD 0 samples [min, max) of channel 0 of a dataset. */
async function read(dataset: vds.VDS, min = [10, 20, 30], max = [14, 21, 31]): Promise<number[]> {
  const request = vds.getAccessManager(dataset).requestVolumeSubset(min, max);
  expect(await request.waitForCompletion(), request.errorMessage).to.equal(true);
  return [...(request.data as Float32Array)];
}

// OpenVDS: requestVolumeSubset((10,20,30), (14,21,31)) on subset.vds, plain and with a wavelet adaptive tolerance of 5.
const SUBSET_VALUES = [-0.05662243440747261, -0.04068400710821152, -0.017693599686026573, -0.008478947915136814];
const SUBSET_TOLERANCE_5 = [-0.05616975203156471, -0.04027062654495239, -0.016883445903658867, -0.008407029323279858];

function layoutDescriptor(): vds.VolumeDataLayoutDescriptor {
  return new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_32, 0, 0, 1, vds.LODLevels.LODLevels_None);
}
function axes(): vds.VolumeDataAxisDescriptor[] {
  return [new vds.VolumeDataAxisDescriptor(8, 'Sample', 'ms', 0, 28), new vds.VolumeDataAxisDescriptor(4, 'Crossline', '', 1, 4),
    new vds.VolumeDataAxisDescriptor(2, 'Inline', '', 10, 11)];
}
function channels(): vds.VolumeDataChannelDescriptor[] {
  return [new vds.VolumeDataChannelDescriptor(F.Format_R32, vds.VolumeDataComponents.Components_1, 'Amplitude', '', -1, 1)];
}
function metadata(): vds.MetadataContainer {
  const container = new vds.MetadataContainer();
  container.setMetadataString('Survey', 'Name', 'parity');
  return container;
}

describe('OpenVDS parity, model side (issue 14)', function () {
  this.timeout(30_000);
  let subset: vds.VDS;
  let dir: string;

  before(async () => {
    subset = await vds.open(SUBSET);
    dir = mkdtempSync(join(tmpdir(), 'rxvds-parity-'));
  });
  after(async () => {
    await vds.close(subset);
    rmSync(dir, { recursive: true, force: true });
  });

  describe('VolumeDataLayout (subset.vds)', () => {
    walk(() => vds.getLayout(subset), [
      ['getLayoutHash() = OpenVDS', (l) => l.getLayoutHash(), 7826847149785425685n],
      ['getContentsHash() (rxvds: the layout hash)', (l) => l.getContentsHash(), 7826847149785425685n],
      ['getVDSIJKGridDefinitionFromMetadata() = OpenVDS', (l) => l.getVDSIJKGridDefinitionFromMetadata(), {
        origin: [436100.1005628079, 6477998.850156915, -2052], iUnitStep: [3.024044398096528, 12.128876676351299, 0],
        jUnitStep: [-12.128725165562916, 3.0240066225165565, 0], kUnitStep: [0, 0, -4], dimensionMap: [2, 1, 0],
      }],
      ['getDimensionality()', (l) => l.getDimensionality(), 3],
      ['getChannelCount()', (l) => l.getChannelCount(), 3],
      ['getChannelName(2)', (l) => l.getChannelName(2), 'SEGYTraceHeader'],
      ['getChannelIndex("Trace")', (l) => l.getChannelIndex('Trace'), 1],
      ['getChannelMapping(1)', (l) => l.getChannelMapping(1), vds.VolumeDataMapping.PerTrace],
      ['getChannelValueRangeMax(0)', (l) => l.getChannelValueRangeMax(0), 0.07883811742067337],
      ['getDimensionName(1), getDimensionMin(0), getDimensionMax(0)', (l) => [l.getDimensionName(1), l.getDimensionMin(0), l.getDimensionMax(0)],
        ['Crossline', 2052, 2448]],
      ['getMetadata(category, name, type)', (l) => l.getMetadata('SurveyCoordinateSystem', 'Origin', T.DoubleVector2),
        [431964.7387048737, 6348565.28559193]],
      ['getMetadata(key) equals the three-argument form', (l) => l.getMetadata(vds.KnownMetadata.surveyCoordinateSystemOrigin()),
        [431964.7387048737, 6348565.28559193]],
      ['getMetadata of another type than stored → undefined', (l) => l.getMetadata('SurveyCoordinateSystem', 'Origin', T.Double), undefined],
      ['getMetadata with a bad type is refused', (l) => () => l.getMetadata('SurveyCoordinateSystem', 'Origin', 99 as vds.MetadataType),
        throws(vds.InvalidArgumentError, 'getMetadata needs a MetadataKey, or a category, name and MetadataType')],
      ['is a MetadataReadAccess, not a MetadataWriteAccess', (l) => [l instanceof vds.MetadataReadAccess, l instanceof vds.MetadataWriteAccess],
        [true, false]],
    ]);
  });

  describe('VolumeDataAxisDescriptor', () => {
    walk(() => vds.getLayout(subset).getAxisDescriptor(0), [
      ['coordinateStep (property) = OpenVDS', (a) => a.coordinateStep, 4],
      ['getCoordinateStep()', (a) => a.getCoordinateStep(), 4],
      ['numSamples, name, unit, coordinateMin, coordinateMax', (a) => [a.numSamples, a.name, a.unit, a.coordinateMin, a.coordinateMax],
        [100, 'Sample', 'ms', 2052, 2448]],
      ['sampleIndexToCoordinate(10)', (a) => a.sampleIndexToCoordinate(10), 2092],
      ['coordinateToSampleIndex(2093.9)', (a) => a.coordinateToSampleIndex(2093.9), 10],
    ]);
    it('coordinateStep of a single-sample axis is 0 and the property is read-only', () => {
      const axis = new vds.VolumeDataAxisDescriptor(1, 'Inline', '', 5, 5);
      expect(axis.coordinateStep).to.equal(0);
      expect(() => { (axis as { coordinateStep: number }).coordinateStep = 3; }).to.throw(TypeError);
    });
  });

  describe('VolumeDataChannelDescriptor', () => {
    const U16 = () => new vds.VolumeDataChannelDescriptor(F.Format_U16, vds.VolumeDataComponents.Components_2, 'Vel', 'm/s', 1500, 6000,
      vds.VolumeDataMapping.Direct, 1, vds.ChannelFlags.NoLossyCompressionUseZip, -1, 2, 100);
    walk(U16, [
      ['getValueRange()', (c) => c.getValueRange(), { min: 1500, max: 6000 }],
      ['getValueRangeMin(), getValueRangeMax()', (c) => [c.getValueRangeMin(), c.getValueRangeMax()], [1500, 6000]],
      ['getFormat(), getComponents()', (c) => [c.getFormat(), c.getComponents()], [F.Format_U16, vds.VolumeDataComponents.Components_2]],
      ['getFlags(), isUseZipForLosslessCompression(), isAllowLossyCompression()',
        (c) => [c.getFlags(), c.isUseZipForLosslessCompression(), c.isAllowLossyCompression()], [10, true, false]],
      ['isUseNoValue(), getNoValue(), getIntegerScale(), getIntegerOffset()',
        (c) => [c.isUseNoValue(), c.getNoValue(), c.getIntegerScale(), c.getIntegerOffset()], [true, -1, 2, 100]],
    ]);
    walk(() => vds.VolumeDataChannelDescriptor, [
      ['Format alias (OpenVDS: VolumeDataFormat)', (C) => [C.Format, C.Format.Format_R32], [vds.VolumeDataFormat, 3]],
      ['Components alias (OpenVDS: VolumeDataComponents)', (C) => [C.Components, C.Components.Components_2], [vds.VolumeDataComponents, 2]],
      ['Flags alias', (C) => C.Flags.DiscreteData, 1],
      ['getValueRange() of subset.vds channel 0', () => vds.getLayout(subset).getChannelDescriptor(0).getValueRange(),
        { min: -0.07883811742067337, max: 0.07883811742067337 }],
      ['Flags.DiscreteData in the mapping slot is refused',
        (C) => () => new C(F.Format_U8, vds.VolumeDataComponents.Components_1, 'Class', '', 0, 7, vds.ChannelFlags.DiscreteData as number),
        throws(vds.InvalidArgumentError, 'Channel Class: a PerTrace mapping needs its mappedValueCount (argument 8)')],
      ['Flags.NotRenderable in the mapping slot is refused',
        (C) => () => new C(F.Format_U8, vds.VolumeDataComponents.Components_1, 'Class', '', 0, 7, vds.ChannelFlags.NotRenderable as number),
        throws(vds.InvalidArgumentError, 'Channel Class: argument 7 is the mapping (VolumeDataMapping.Direct or PerTrace), got 4')],
      ['a mapping in the flags slot beyond the flag bits is refused',
        (C) => () => new C(F.Format_U8, vds.VolumeDataComponents.Components_1, 'Class', '', 0, 7, vds.VolumeDataMapping.Direct, 1, 16 as vds.ChannelFlags),
        throws(vds.InvalidArgumentError, 'Channel Class: invalid flags 16')],
      ['DiscreteData where flags belong makes a discrete Direct channel',
        (C) => {
          const c = new C(F.Format_U8, vds.VolumeDataComponents.Components_1, 'Class', '', 0, 7, vds.VolumeDataMapping.Direct, 1, C.Flags.DiscreteData);
          return [c.getMapping(), c.isDiscrete(), c.getMappedValueCount()];
        }, [vds.VolumeDataMapping.Direct, true, 1]],
      ['PerTrace with its count still works', (C) => new C(F.Format_U8, vds.VolumeDataComponents.Components_1, 'Hdr', '', 0, 255,
        vds.VolumeDataMapping.PerTrace, 240).getMappedValueCount(), 240],
    ]);
  });

  describe('VolumeDataLayoutDescriptor', () => {
    walk(() => vds.VolumeDataLayoutDescriptor, [
      ['default descriptor is not valid (OpenVDS: False)', (D) => new D().isValid(), false],
      ['default descriptor fields', (D) => { const d = new D(); return [d.getBrickSize(), d.getNegativeMargin(), d.getLODLevels(), d.getOptions()]; },
        [0, 0, vds.LODLevels.LODLevels_None, vds.LayoutOptions.Options_None]],
      ['a descriptor with a brick size is valid', (D) => new D(vds.BrickSize.BrickSize_64, 2, 2, 4, vds.LODLevels.LODLevels_2).isValid(), true],
      ['an unknown brick size is not valid', (D) => new D(3 as vds.BrickSize, 0, 0, 1, vds.LODLevels.LODLevels_None).isValid(), false],
      ['subset.vds descriptor', () => { const d = vds.getLayout(subset).getLayoutDescriptor(); return [d.getBrickSize(), d.getNegativeMargin(), d.getLODLevels()]; },
        [vds.BrickSize.BrickSize_128, 4, vds.LODLevels.LODLevels_2]],
    ]);
  });

  describe('MetadataContainer, MetadataReadAccess, MetadataWriteAccess', () => {
    const filled = () => {
      const m = new vds.MetadataContainer();
      m.setMetadataInt('C', 'a', 1);
      m.setMetadataDoubleVector3('C', 'b', [1, 2, 3]);
      m.setMetadataString('D', 'a', 'kept');
      return m;
    };
    walk(filled, [
      ['clearMetadata(category) clears the whole category (OpenVDS: [("D","a")] left)', (m) => {
        m.clearMetadata('C');
        return m.getMetadataKeys().map((k) => [k.category, k.name]);
      }, [['D', 'a']]],
      ['clearMetadata(category) bumps the revision once; an empty category leaves it', (m) => {
        const before = m.revision;
        m.clearMetadata('C');
        m.clearMetadata('Nothing');
        return m.revision - before;
      }, 1],
      ['clearMetadata(category, name) clears one item', (m) => {
        m.clearMetadata('C', 'a');
        return m.getMetadataKeys().map((k) => k.name);
      }, ['b', 'a']],
      ['getMetadata(category, name, type)', (m) => [m.getMetadata('C', 'a', T.Int), m.getMetadata('C', 'b', T.DoubleVector3),
        m.getMetadata('D', 'a', T.String)], [1, [1, 2, 3], 'kept']],
      ['getMetadata(category, name, type) of a missing item → undefined', (m) => m.getMetadata('C', 'zz', T.Int), undefined],
      ['setMetadataBLOB takes a Float32Array (its bytes)', (m) => {
        m.setMetadataBLOB('B', 'f', new Float32Array([1]));
        return [...m.getMetadataBLOB('B', 'f')];
      }, [0, 0, 128, 63]],
      ['setMetadataBLOB takes an ArrayBuffer and a DataView window', (m) => {
        m.setMetadataBLOB('B', 'a', new Uint8Array([1, 2, 3]).buffer);
        m.setMetadataBLOB('B', 'v', new DataView(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2));
        return [[...m.getMetadataBLOB('B', 'a')], [...m.getMetadataBLOB('B', 'v')]];
      }, [[1, 2, 3], [8, 7]]],
      ['setMetadataBLOB refuses a non-buffer', (m) => () => m.setMetadataBLOB('B', 'x', [1, 2] as unknown as Uint8Array),
        throws(vds.InvalidArgumentError, 'metadata B.x (BLOB) needs a binary buffer')],
      ['is MetadataReadAccess and MetadataWriteAccess', (m) => [m instanceof vds.MetadataReadAccess, m instanceof vds.MetadataWriteAccess],
        [true, true]],
      ['copyMetadata(category, source) through MetadataWriteAccess', (m) => {
        const target: vds.MetadataWriteAccess = new vds.MetadataContainer();
        target.copyMetadata('C', m);
        return (target as vds.MetadataContainer).getMetadataKeys().map((k) => `${k.category}.${k.name}`);
      }, ['C.a', 'C.b']],
    ]);
  });

  describe('KnownMetadata SEGY keys keep OpenVDS\'s names', () => {
    const K = vds.KnownMetadata;
    walk(() => K, [
      ['SEGYTextHeader()', (k) => k.SEGYTextHeader(), { type: T.BLOB, category: 'SEGY', name: 'TextHeader' }],
      ['SEGYBinaryHeader()', (k) => k.SEGYBinaryHeader(), { type: T.BLOB, category: 'SEGY', name: 'BinaryHeader' }],
      ['SEGYEndianness()', (k) => k.SEGYEndianness(), { type: T.Int, category: 'SEGY', name: 'Endianness' }],
      ['SEGYDataEndianness()', (k) => k.SEGYDataEndianness(), { type: T.Int, category: 'SEGY', name: 'DataEndianness' }],
      ['SEGYDataSampleFormatCode()', (k) => k.SEGYDataSampleFormatCode(), { type: T.Int, category: 'SEGY', name: 'DataSampleFormatCode' }],
      ['SEGYPrimaryKey()', (k) => k.SEGYPrimaryKey(), { type: T.String, category: 'SEGY', name: 'PrimaryKey' }],
      ['categorySEGY()', (k) => k.categorySEGY(), 'SEGY'],
      ['the earlier segy* names still answer', (k) => k.segyPrimaryKey(), { type: T.String, category: 'SEGY', name: 'PrimaryKey' }],
    ]);
  });

  describe('enums: LogLevel, nested AccessMode', () => {
    walk(() => vds, [
      ['LogLevel members = OpenVDS Log.h', (v) => [v.LogLevel.None, v.LogLevel.Error, v.LogLevel.Warning, v.LogLevel.Info, v.LogLevel.Trace],
        [0, 1, 2, 3, 4]],
      ['VolumeDataAccessManager.AccessMode', (v) => v.VolumeDataAccessManager.AccessMode.AccessMode_Create, 2],
      ['VolumeDataPageAccessor.AccessMode', (v) => v.VolumeDataPageAccessor.AccessMode.AccessMode_ReadWrite, 1],
      ['the nested aliases are the top-level enum', (v) => v.VolumeDataAccessManager.AccessMode === v.AccessMode, true],
      ['WaveletAdaptiveMode', (v) => [v.WaveletAdaptiveMode.BestQuality, v.WaveletAdaptiveMode.Tolerance, v.WaveletAdaptiveMode.Ratio], [0, 1, 2]],
    ]);
  });

  describe('OpenOptions classes: fields and defaults as OpenVDS.h', () => {
    walk(() => vds, [
      ['OpenOptions base defaults', (v) => {
        const o = new v.InMemoryOpenOptions('x');
        return [o.connectionType, o.waveletAdaptiveMode, o.waveletAdaptiveTolerance, o.waveletAdaptiveRatio, o.requestThreadCount, o.logLevel];
      }, [vds.ConnectionType.InMemory, vds.WaveletAdaptiveMode.BestQuality, 0.01, 1, -1, vds.LogLevel.None]],
      ['AWSOpenOptions(bucket, key, region, endpointOverride)', (v) => {
        const o = new v.AWSOpenOptions('bkt', 'survey', 'eu-west-1', 'http://minio:9000');
        return [o.connectionType, o.bucket, o.key, o.region, o.endpointOverride, o.accessKeyId, o.secretKey, o.sessionToken, o.expiration,
          o.connectionTimeoutMs, o.requestTimeoutMs, o.disableInitApi];
      }, [0, 'bkt', 'survey', 'eu-west-1', 'http://minio:9000', '', '', '', '', 3000, 6000, false]],
      ['AzureOpenOptions(connectionString, container, blob) with the Python spellings', (v) => {
        const o = new v.AzureOpenOptions('AccountName=a;AccountKey=k', 'c', 'p');
        o.parallelism_factor = 8;
        return [o.connectionType, o.connectionString, o.container, o.blob, o.parallelismFactor, o.max_execution_time, o.accountName, o.bearerToken];
      }, [1, 'AccountName=a;AccountKey=k', 'c', 'p', 8, 100000, '', '']],
      ['AzureOpenOptions.azureOpenOptionsBearer', (v) => {
        const o = v.AzureOpenOptions.azureOpenOptionsBearer('acct', 'tok', 'c', 'b');
        return [o.accountName, o.bearerToken, o.container, o.blob, o.connectionString];
      }, ['acct', 'tok', 'c', 'b', '']],
      ['AzurePresignedOpenOptions(baseUrl, urlSuffix)', (v) => {
        const o = new v.AzurePresignedOpenOptions('https://a.blob.core.windows.net/c', '?sig=s');
        return [o.connectionType, o.baseUrl, o.urlSuffix];
      }, [3, 'https://a.blob.core.windows.net/c', '?sig=s']],
      ['GoogleOpenOptions credential forms set credentialsType, credentials and region', (v) => [
        new v.GoogleOpenOptions('b', 'p'),
        new v.GoogleOpenOptions('b', 'p', new v.GoogleCredentialsToken('ya29')),
        new v.GoogleOpenOptions('b', 'p', new v.GoogleCredentialsPath('/k.json')),
        new v.GoogleOpenOptions('b', 'p', new v.GoogleCredentialsJson('{}')),
        new v.GoogleOpenOptions('b', 'p', new v.GoogleCredentialsSignedUrl('eu')),
        new v.GoogleOpenOptions('b', 'p', new v.GoogleCredentialsSignedUrlPath('eu', '/k.json')),
        new v.GoogleOpenOptions('b', 'p', new v.GoogleCredentialsSignedUrlJson('eu', '{}')),
      ].map((o) => [o.credentialsType, o.credentials, o.region]),
      [[0, '', ''], [1, 'ya29', ''], [2, '/k.json', ''], [3, '{}', ''], [0x10, '', 'eu'], [0x12, '/k.json', 'eu'], [0x13, '{}', 'eu']]],
      ['GoogleOpenOptions.setSignedUrl()', (v) => {
        const path = new v.GoogleOpenOptions('b', 'p', new v.GoogleCredentialsPath('/k.json'));
        const token = new v.GoogleOpenOptions('b', 'p', new v.GoogleCredentialsToken('t'));
        return [path.setSignedUrl(), path.credentialsType, token.setSignedUrl(), token.credentialsType];
      }, [true, vds.GoogleCredentialsType.SignedUrlPath, false, vds.GoogleCredentialsType.AccessToken]],
      ['DMSOpenOptions fields', (v) => {
        const o = new v.DMSOpenOptions('https://sd', 'key', 'tok', 'sd://t/s/d');
        return [o.connectionType, o.sdAuthorityUrl, o.sdApiKey, o.sdToken, o.datasetPath, o.useFileNameForSingleFileDatasets, o.legalTag];
      }, [5, 'https://sd', 'key', 'tok', 'sd://t/s/d', false, '']],
      ['HttpOpenOptions, InMemoryOpenOptions, VDSFileOpenOptions', (v) => {
        const [h, m, f] = [new v.HttpOpenOptions('https://h/x'), new v.InMemoryOpenOptions('n'), new v.VDSFileOpenOptions('/a.vds')];
        return [h.connectionType, h.url, m.connectionType, m.name, f.connectionType, f.fileName];
      }, [6, 'https://h/x', 8, 'n', 7, '/a.vds']],
      ['OpenOptions.ConnectionType', (v) => [v.OpenOptions.ConnectionType.AWS, v.OpenOptions.ConnectionType.Other], [0, 9]],
    ]);
  });

  describe('open(options), IOManager and the store each OpenOptions maps to', () => {
    const M = vds.IOManager;
    walk(() => M, [
      ['AWSOpenOptions → S3 store', (m) => m.createIOManager(new vds.AWSOpenOptions('bkt', 'survey/a', 'eu-west-1', 'http://127.0.0.1:9')).description,
        's3://bkt/survey/a at http://127.0.0.1:9'],
      ['AzureOpenOptions (bearer) → Azure store', (m) => m.createIOManager(vds.AzureOpenOptions.azureOpenOptionsBearer('acct', 'tok', 'survey', 'x')).description,
        'https://acct.blob.core.windows.net/survey/x'],
      ['AzurePresignedOpenOptions → Azure store, suffix kept out of the description',
        (m) => m.createIOManager(new vds.AzurePresignedOpenOptions('https://acct.blob.core.windows.net/survey/a', '?sv=1&sig=SeCrEt')).description,
        'https://acct.blob.core.windows.net/survey/a'],
      ['GoogleOpenOptions with an access token → GCS store', (m) => m.createIOManager(
        new vds.GoogleOpenOptions('bkt', 'survey', new vds.GoogleCredentialsToken('ya29'))).description, 'gs://bkt/survey at https://storage.googleapis.com'],
      ['HttpOpenOptions → HTTP store without the query', (m) => m.createIOManager(new vds.HttpOpenOptions('https://example.invalid/s/?sig=abc')).description,
        'https://example.invalid/s'],
      ['createIOManager(url, connectionString)', (m) => m.createIOManager('inmemory://io-manager').description, 'inmemory://io-manager'],
      ['createIOManager(options, connectionString) is refused', (m) => () => m.createIOManager(new vds.InMemoryOpenOptions('x'), 'A=1'),
        throws(vds.InvalidArgumentError, 'createIOManager takes OpenOptions or a URL with a connection string, not both')],
    ]);

    for (const [form, credentials] of [
      ['SignedUrl', new vds.GoogleCredentialsSignedUrl('eu')],
      ['SignedUrlPath', new vds.GoogleCredentialsSignedUrlPath('eu', '/k.json')],
      ['SignedUrlJson', new vds.GoogleCredentialsSignedUrlJson('eu', '{}')],
    ] as const) {
      it(`gs:// refuses GoogleCredentials${form}, naming it`, async () => {
        const error = await rejection(vds.open(new vds.GoogleOpenOptions('bkt', 'p', credentials)));
        expect(error).to.be.instanceOf(vds.InvalidArgumentError);
        expect(error.message).to.equal(`"${form}" is not supported for gs:// datasets: rxvds authorizes with a bearer token instead of signed URLs; ` +
          'use CredentialsFile, JsonCredentials, Token or an HMAC key (AccessKeyId and SecretKey)');
      });
    }

    it('gs:// refuses SignedUrl in a connection string and more than one credential', async () => {
      expect((await rejection(vds.open('gs://bkt/p', 'SignedUrl=true'))).message).to.match(/^"signedurl" is not supported for gs:\/\/ datasets/);
      expect((await rejection(vds.open('gs://bkt/p', 'Token=t;JsonCredentials={}'))).message).to.equal(
        'A GS connection string takes one of Token, CredentialsFile, JsonCredentials or an HMAC key');
    });

    describe('gs:// with a service account (CredentialsFile, JsonCredentials, GoogleCredentialsPath/Json)', () => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const account = (tokenUri: string) => JSON.stringify({
        type: 'service_account', client_email: 'sa@proj.iam.gserviceaccount.com', token_uri: tokenUri,
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      });
      let server: Server;
      let base: string;
      let tokenRequests: number;
      let authorizations: string[];
      let refuseTokens: boolean;

      before(async () => {
        server = createServer((request, response) => {
          let body = '';
          request.on('data', (part: Buffer) => { body += part.toString(); });
          request.on('end', () => {
            if (request.method === 'POST' && request.url === '/token') {
              tokenRequests++;
              const assertion = new URLSearchParams(body).get('assertion') ?? '';
              const [header, claims, signature] = assertion.split('.');
              const valid = createVerify('RSA-SHA256').update(`${header}.${claims}`).verify(publicKey, signature!, 'base64url');
              const { iss, aud, scope, exp, iat } = JSON.parse(Buffer.from(claims!, 'base64url').toString()) as Record<string, unknown>;
              const ok = valid && !refuseTokens && iss === 'sa@proj.iam.gserviceaccount.com' && aud === `${base}/token` &&
                scope === 'https://www.googleapis.com/auth/devstorage.read_write' && exp === (iat as number) + 3600;
              response.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' });
              response.end(JSON.stringify(ok ? { access_token: 'ya29.service-account', expires_in: 3599 } : { error: 'invalid_grant' }));
              return;
            }
            authorizations.push(`${request.method} ${request.url?.split('?')[0]} ${request.headers.authorization}`);
            response.writeHead(404).end();
          });
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      });
      beforeEach(() => { tokenRequests = 0; authorizations = []; refuseTokens = false; });
      after(() => new Promise<void>((resolve) => server.close(() => resolve())));

      it('CredentialsFile: one signed JWT buys the token every request carries', async () => {
        const file = join(dir, 'service-account.json');
        writeFileSync(file, account(`${base}/token`));
        const error = await rejection(vds.open('gs://bkt/survey', `CredentialsFile=${file};EndpointOverride=${base}`));
        expect(error.message).to.equal('Cannot open gs://bkt/survey: it has no VolumeDataLayout object (is it a VDS dataset?)');
        expect(tokenRequests).to.equal(1);
        expect(authorizations.sort()).to.deep.equal([
          'GET /bkt/survey/LayerStatus Bearer ya29.service-account', 'GET /bkt/survey/VolumeDataLayout Bearer ya29.service-account']);
      });

      it('JsonCredentials: a refused grant is named, the key never quoted', async () => {
        refuseTokens = true;
        const json = account(`${base}/token`);
        const error = await rejection(vds.open('gs://bkt/survey', `JsonCredentials=${json};EndpointOverride=${base}`));
        expect(error.message).to.contain(`Cannot get an access token for sa@proj.iam.gserviceaccount.com from ${base}/token: HTTP 400 (invalid_grant)`);
        expect(error.message).not.to.contain('PRIVATE KEY');
        expect(authorizations).to.deep.equal([]);
      });

      it('GoogleCredentialsPath and GoogleCredentialsJson make a token-authorized store; bad keys are named', () => {
        const file = join(dir, 'service-account-options.json');
        writeFileSync(file, account(`${base}/token`));
        for (const credentials of [new vds.GoogleCredentialsPath(file), new vds.GoogleCredentialsJson(account(`${base}/token`))]) {
          expect(vds.IOManager.createIOManager(new vds.GoogleOpenOptions('bkt', 'survey', credentials)).description)
            .to.equal('gs://bkt/survey at https://storage.googleapis.com');
        }
        expect(() => vds.IOManager.createIOManager(new vds.GoogleOpenOptions('bkt', 'p', new vds.GoogleCredentialsPath(join(dir, 'none.json')))))
          .to.throw(vds.InvalidArgumentError, `Cannot read the Google credentials file ${join(dir, 'none.json')}: ENOENT`);
        expect(() => vds.IOManager.createIOManager(new vds.GoogleOpenOptions('bkt', 'p', new vds.GoogleCredentialsJson('{"type":"authorized_user"}'))))
          .to.throw(vds.InvalidArgumentError, 'GoogleCredentialsJson must hold a service account key ("type": "service_account"), got type "authorized_user"');
        expect(() => vds.IOManager.createIOManager(new vds.GoogleOpenOptions('bkt', 'p', new vds.GoogleCredentialsJson('{"private_key": "SeCrEt'))))
          .to.throw(vds.InvalidArgumentError, /^GoogleCredentialsJson is not JSON$/);
        expect(() => vds.IOManager.createIOManager(new vds.GoogleOpenOptions('bkt', 'p', new vds.GoogleCredentialsJson(
          '{"type":"service_account","client_email":"a@b","private_key":"SeCrEt"}')))).to.throw(vds.InvalidArgumentError, /^GoogleCredentialsJson: private_key is not a PEM private key$/);
      });
    });

    it('open(VDSFileOpenOptions) reads the values OpenVDS reads', async () => {
      const dataset = await vds.open(new vds.VDSFileOpenOptions(SUBSET));
      try {
        expect(await read(dataset)).to.deep.equal(SUBSET_VALUES);
      } finally {
        await vds.close(dataset);
      }
    });

    it('OpenOptions waveletAdaptiveMode Tolerance reads what OpenVDS reads at that tolerance', async () => {
      const options = new vds.VDSFileOpenOptions(SUBSET);
      options.waveletAdaptiveMode = vds.WaveletAdaptiveMode.Tolerance;
      options.waveletAdaptiveTolerance = 5;
      const dataset = await vds.open(options);
      try {
        expect(await read(dataset)).to.deep.equal(SUBSET_TOLERANCE_5);
      } finally {
        await vds.close(dataset);
      }
    });

    it('open(InMemoryOpenOptions) and create(InMemoryOpenOptions, …) share the dataset of that name', async () => {
      const name = uniqueMemoryUrl('parity-options').slice('inmemory://'.length);
      const volume = await writeTestVolume({ url: `inmemory://${name}`, size: [8, 4, 2], format: F.Format_R32, value: (x, y, z) => x + 10 * y + 100 * z });
      const opened = await vds.open(new vds.InMemoryOpenOptions(name));
      expect(await read(opened, [3, 2, 1], [5, 3, 2])).to.deep.equal([volume.value(3, 2, 1), volume.value(4, 2, 1)]);
      await vds.close(opened);

      const created = await vds.create(new vds.InMemoryOpenOptions(`${name}-new`), layoutDescriptor(), axes(), channels(), metadata());
      await vds.close(created);
      const reopened = await vds.open(`inmemory://${name}-new`);
      expect([vds.getLayout(reopened).getDimensionNumSamples(0), vds.getLayout(reopened).getMetadataString('Survey', 'Name')]).to.deep.equal([8, 'parity']);
      await vds.close(reopened);
    });

    it('DMSOpenOptions and sd:// need the service URL, as OpenVDS does (spec/seismicDms.spec.ts opens them)', async () => {
      for (const dataset of [new vds.DMSOpenOptions('', 'k', 't', 'sd://a/b/c'), 'sd://tenant/sub/dataset']) {
        const error = await rejection(vds.open(dataset as string));
        expect(error).to.be.instanceOf(vds.InvalidArgumentError);
        expect(error.message).to.equal('A Seismic DMS dataset needs SdAuthorityUrl (the service URL, …/api/seismic-store/v3), or SD_SVC_URL in the environment');
      }
    });

    it('open(options) refuses a second argument, settings it cannot honour, and an object that is no dataset', async () => {
      const options = new vds.VDSFileOpenOptions(SUBSET);
      expect((await rejection(vds.open(options as unknown as string, 'Region=x'))).message).to.equal(
        'open(options) takes no second argument: the options hold the settings');
      options.logLevel = vds.LogLevel.Trace;
      expect((await rejection(vds.open(options))).message).to.equal(
        'LogLevel Trace is not supported: rxvds writes no log (it throws its errors); use LogLevel None');
      const threads = new vds.VDSFileOpenOptions(SUBSET);
      threads.requestThreadCount = 4;
      expect((await rejection(vds.open(threads))).message).to.match(/^RequestThreadCount 4 is not supported: .*RXVDS_WORKERS/);
      const aws = new vds.AWSOpenOptions('bkt', 'p', '', '', 3000, 6000, true);
      expect((await rejection(vds.open(aws))).message).to.match(/^DisableInitApi is not supported/);
      const azure = new vds.AzureOpenOptions('AccountName=a;AccountKey=k', 'c', 'p', 16);
      expect((await rejection(vds.open(azure))).message).to.match(/^AzureOpenOptions parallelismFactor is not supported/);
      const error = await rejection(vds.open({ url: SUBSET } as unknown as string));
      expect(error).to.be.instanceOf(vds.InvalidArgumentError);
      expect(error.message).to.equal('open and create need a URL, OpenOptions or an IOManager (a Store)');
    });

    it('a secret in AWSOpenOptions stays out of the error', async () => {
      const options = new vds.AWSOpenOptions('bkt', 'p');
      options.secretKey = 'SeCrEtKeY';
      const error = await rejection(vds.open(options));
      expect(error.message).to.equal('An S3 connection string needs both AccessKeyId and SecretKey, or neither (to use the AWS default credentials)');
      expect(error.message).not.to.contain('SeCrEtKeY');
    });

    it('open(ioManager, logLevel)', async () => {
      const store = vds.IOManager.createIOManager(SUBSET);
      const dataset = await vds.open(store, vds.LogLevel.None);
      expect(await read(dataset)).to.deep.equal(SUBSET_VALUES);
      await vds.close(dataset);
      const refused = vds.IOManager.createIOManager(SUBSET);
      expect((await rejection(vds.open(refused, vds.LogLevel.Info))).message).to.match(/^LogLevel Info is not supported/);
      await refused.close?.();
      expect((await rejection(vds.open(SUBSET, vds.LogLevel.None as unknown as string))).message).to.equal(
        'A log level goes with an IOManager; after a URL comes a connection string');
    });
  });

  describe('create overloads', () => {
    it('create(url, layoutDescriptor, …) without a connection string, folder and .vds file', async () => {
      for (const url of [join(dir, 'no-connection'), join(dir, 'no-connection.vds')]) {
        const created = await vds.create(url, layoutDescriptor(), axes(), channels(), metadata(), vds.CompressionMethod.Zip, 0);
        expect([created.compressionMethod, vds.getLayout(created).getAxisDescriptor(1).getCoordinateMax()]).to.deep.equal([vds.CompressionMethod.Zip, 4]);
        await vds.close(created);
        const reopened = await vds.open(url);
        expect(vds.getLayout(reopened).getMetadataString('Survey', 'Name')).to.equal('parity');
        await vds.close(reopened);
      }
    });

    it('create(url, connectionString, …) still works, and a bad second argument is named', async () => {
      const created = await vds.create(uniqueMemoryUrl('parity'), '', layoutDescriptor(), axes(), channels());
      expect(vds.getLayout(created).getChannelName(0)).to.equal('Amplitude');
      await vds.close(created);
      const error = await rejection(vds.create(uniqueMemoryUrl('parity'), 42 as unknown as vds.VolumeDataLayoutDescriptor, axes(), channels()));
      expect(error.message).to.equal('create needs a VolumeDataLayoutDescriptor after the dataset (or a connection string)');
      const shifted = await rejection(vds.create(uniqueMemoryUrl('parity'), layoutDescriptor(), axes(), channels(), vds.CompressionMethod.Zip as never));
      expect(shifted.message).to.equal('create: argument 5 is the metadata (a MetadataReadAccess such as a MetadataContainer), got 3');
      const options = await rejection(vds.create(new vds.InMemoryOpenOptions('x') as unknown as string, '', layoutDescriptor(), axes(), channels()));
      expect(options.message).to.equal('create(options, …) takes no connection string: the options hold the settings');
    });

    it('create(ioManager, …, logLevel) and create(ioManager, …, compressionMethod, compressionTolerance, logLevel)', async () => {
      const first = await vds.create(vds.IOManager.createIOManager(uniqueMemoryUrl('parity')), layoutDescriptor(), axes(), channels(), metadata(), vds.LogLevel.None);
      expect(first.compressionMethod).to.equal(vds.CompressionMethod.None);
      await vds.close(first);
      const second = await vds.create(vds.IOManager.createIOManager(uniqueMemoryUrl('parity')), layoutDescriptor(), axes(), channels(), metadata(),
        vds.CompressionMethod.RLE, 0, vds.LogLevel.None);
      expect(second.compressionMethod).to.equal(vds.CompressionMethod.RLE);
      await vds.close(second);
      const error = await rejection(vds.create(vds.IOManager.createIOManager(uniqueMemoryUrl('parity')), layoutDescriptor(), axes(), channels(), metadata(),
        vds.CompressionMethod.Zip as number as vds.LogLevel));
      expect(error.message).to.match(/^create\(ioManager, …\): argument 6 is the logLevel, as in OpenVDS, and only LogLevel.None is supported/);
      const late = await rejection(vds.create(vds.IOManager.createIOManager(uniqueMemoryUrl('parity')), layoutDescriptor(), axes(), channels(), metadata(),
        vds.CompressionMethod.RLE, 0, vds.LogLevel.Warning));
      expect(late.message).to.match(/^create\(ioManager, …\): argument 8 is the logLevel/);
      const create = vds.create as (...args: unknown[]) => Promise<vds.VDS>;
      const extra = await rejection(create(vds.IOManager.createIOManager(uniqueMemoryUrl('parity')), layoutDescriptor(), axes(), channels(), metadata(),
        vds.CompressionMethod.RLE, 0, vds.LogLevel.None, {}));
      expect(extra.message).to.equal('create got 1 argument(s) too many from argument 9: rxvds throws its errors instead of filling a VDSError');
    });

    it('a compression tolerance outside [0, 255] (or not a number) is refused, naming the value', async () => {
      for (const tolerance of [300, -1, Number.NaN, '5' as unknown as number]) {
        const error = await rejection(vds.create(uniqueMemoryUrl('parity'), '', layoutDescriptor(), axes(), channels(), metadata(), vds.CompressionMethod.Zip, tolerance));
        expect(error).to.be.instanceOf(vds.InvalidArgumentError);
        expect(error.message).to.equal(`compressionTolerance must be a number in [0, 255] (the wavelet tolerance in 8-bit steps), got ${String(tolerance)}`);
      }
      const edge = await vds.create(uniqueMemoryUrl('parity'), '', layoutDescriptor(), axes(), channels(), metadata(), vds.CompressionMethod.Zip, 255);
      expect(edge.compressionTolerance).to.equal(255);
      await vds.close(edge);
    });

    it('arguments beyond the last overload are refused, not dropped (OpenVDS\'s VDSError out-parameter)', async () => {
      const create = vds.create as (...args: unknown[]) => Promise<vds.VDS>;
      const created = await rejection(create(uniqueMemoryUrl('parity'), '', layoutDescriptor(), axes(), channels(), metadata(),
        vds.CompressionMethod.None, 0, {}));
      expect(created.message).to.equal('create got 1 argument(s) too many from argument 9: rxvds throws its errors instead of filling a VDSError');
      const opened = await rejection((vds.open as (...args: unknown[]) => Promise<vds.VDS>)(SUBSET, '', {}));
      expect(opened.message).to.equal('open got 1 argument(s) too many from argument 3: rxvds throws its errors instead of filling a VDSError');
      const adaptive = vds.openWithAdaptiveCompressionRatio as (...args: unknown[]) => Promise<vds.VDS>;
      expect(() => adaptive(SUBSET, '', 5, {})).to.throw(vds.InvalidArgumentError,
        'openWithAdaptiveCompressionRatio got 1 argument(s) too many from argument 4: rxvds throws its errors instead of filling a VDSError');
      const dataset = await vds.open(SUBSET);
      expect((await rejection(vds.close(dataset, {} as boolean))).message).to.match(/^close\(handle, flush\) needs a boolean flush, got object/);
      await vds.close(dataset);
    });
  });

  describe('connection-string keys are honoured or refused by name', () => {
    const refusals: Array<[label: string, url: () => string, connection: string, error: RegExp | string]> = [
      ['subset.vds', () => SUBSET, 'LogLevel=Info', 'LogLevel Info is not supported: rxvds writes no log (it throws its errors); use LogLevel None'],
      ['subset.vds', () => SUBSET, 'log_level=Loud', 'Not recognized LogLevel "Loud": use None, Error, Warning, Info or Trace'],
      ['subset.vds', () => SUBSET, 'RequestThreadCount=4', /^RequestThreadCount 4 is not supported: rxvds decodes on one process-wide worker pool/],
      ['subset.vds', () => SUBSET, 'RequestThreadCount=many', 'RequestThreadCount must be an integer, got "many"'],
      ['subset.vds', () => SUBSET, 'Foo=Bar', 'Invalid key "foo" in file connection string.'],
      ['file://…/subset.vds', () => `file://${SUBSET}`, 'Bogus=1', 'Invalid key "bogus" in file connection string.'],
      ['a folder', () => join(dir, 'missing-folder'), 'Region=x', 'Invalid key "region" in file connection string.'],
      ['inmemory://', () => 'inmemory://parity-keys', 'AccessKeyId=x', 'Invalid key "accesskeyid" in InMemory connection string.'],
      ['https://', () => 'https://example.invalid/s', 'SasToken=SeCrEt', 'Invalid key "sastoken" in HTTP connection string.'],
      ['s3://', () => 's3://bkt/p', 'DisableInitApi=true', 'DisableInitApi is not supported: the AWS SDK for JavaScript has no InitAPI to disable; leave it out'],
    ];
    for (const [label, url, connection, message] of refusals) {
      it(`${connection} on ${label} is refused`, async () => {
        const error = await rejection(vds.open(url(), connection));
        expect(error).to.be.instanceOf(vds.InvalidArgumentError);
        if (typeof message === 'string') expect(error.message).to.equal(message);
        else expect(error.message).to.match(message);
        expect(error.message).not.to.contain('SeCrEt');
      });
    }

    it('engineConnectionString keeps the engine\'s keys for a Store made from the rest (CLI export-segy)', () => {
      expect(engineConnectionString('AccessKeyId=a;SecretKey=SeCrEt;WaveletAdaptiveTolerance=5;LogLevel=None;Region=eu'))
        .to.equal('waveletadaptivetolerance=5;loglevel=None');
      expect(engineConnectionString('')).to.equal('');
    });

    it('LogLevel=None and RequestThreadCount=-1 (what rxvds does) are accepted, also on an IOManager', async () => {
      const dataset = await vds.open(SUBSET, 'LogLevel=none;RequestThreadCount=-1;WaveletAdaptiveTolerance=5');
      expect(await read(dataset)).to.deep.equal(SUBSET_TOLERANCE_5);
      await vds.close(dataset);
      const store = await vds.open(vds.IOManager.createIOManager(SUBSET), 'LogLevel=None');
      await vds.close(store);
      const refused = vds.IOManager.createIOManager(SUBSET);
      expect((await rejection(vds.open(refused, 'Region=x'))).message).to.equal('Invalid key "region" in IOManager connection string.');
      await refused.close?.();
    });
  });
});
