// The public surface of rxvds: every name `src/index.ts` exports (and those of its `segy` namespace)
// with its kind, read by the TypeScript checker, against the literal list below. Adding, removing or
// changing the kind of an export then fails here until the list is updated on purpose, so the
// surface changes only when someone means it to (and says so in CHANGELOG.md).
import { expect } from 'chai';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const REPO = fileURLToPath(new URL('..', import.meta.url));

/**
 * `class`, `enum`, `function` (declared as one or as a constant arrow function), `const` (any other
 * value: a number, a frozen table, an alias of a class), `interface`, `type`, `namespace`; `a+b` for
 * merged declarations; a value exported with `export type` is `type-only class` (usable in types,
 * absent at run time). A namespace lists its members as `namespace.member`.
 */
type Kind = string;

const EXPECTED: Record<string, Kind> = {
  'AWSOpenOptions': 'class',
  'AbortOptions': 'interface',
  'AbortableRequest': 'interface',
  'AccessMode': 'enum',
  'AnnotationSelection': 'interface',
  'AnnotationValue': 'type',
  'AzureOpenOptions': 'class',
  'AzurePresignedOpenOptions': 'class',
  'BlobSource': 'type',
  'BrickSize': 'enum',
  'ByteRange': 'interface',
  'CanceledError': 'class',
  'ChannelFlags': 'enum',
  'ChunkFormatError': 'class',
  'ChunkJob': 'interface',
  'ChunkJobHandler': 'type',
  'ChunkJobRunOptions': 'interface',
  'ChunkPool': 'class',
  'ChunkPoolOptions': 'interface',
  'ChunkPoolStats': 'interface',
  'ChunkTransform': 'interface',
  'ChunkTransformJob': 'interface',
  'ChunkWrite': 'interface',
  'ChunkWriteTarget': 'interface',
  'ChunkWriter': 'class',
  'ChunkWriterLimits': 'interface',
  'ChunkWritten': 'interface',
  'ColorMapName': 'type',
  'CompressionMethod': 'enum',
  'CompressionMethodTraits': 'interface',
  'ConnectionType': 'enum',
  'CopyOptions': 'interface',
  'CopyProgress': 'interface',
  'DMSOpenOptions': 'class',
  'DataEvent': 'interface',
  'Dataset': 'type',
  'DecodeTarget': 'interface',
  'DecodedChunk': 'interface',
  'Dimensionality_Max': 'const',
  'DimensionsND': 'enum',
  'FetchedChunk': 'interface',
  'FloatRange': 'interface',
  'FolderStore': 'class',
  'GoogleCredentials': 'type',
  'GoogleCredentialsJson': 'class',
  'GoogleCredentialsPath': 'class',
  'GoogleCredentialsSignedUrl': 'class',
  'GoogleCredentialsSignedUrlJson': 'class',
  'GoogleCredentialsSignedUrlPath': 'class',
  'GoogleCredentialsToken': 'class',
  'GoogleCredentialsType': 'enum',
  'GoogleOpenOptions': 'class',
  'HttpOpenOptions': 'class',
  'IJKCoordinateTransformer': 'class',
  'IOManager': 'const+type',
  'InMemoryOpenOptions': 'class',
  'Index6Out': 'type',
  'InterpolationMethod': 'enum',
  'InvalidArgumentError': 'class',
  'InvalidOperationError': 'class',
  'KnownMetadata': 'class',
  'LODLevels': 'enum',
  'LayerSelection': 'interface',
  'LayoutOptions': 'enum',
  'LogLevel': 'enum',
  'MemoryStore': 'class',
  'MetadataContainer': 'class',
  'MetadataKey': 'interface',
  'MetadataReadAccess': 'const+interface',
  'MetadataReader': 'class',
  'MetadataType': 'enum',
  'MetadataValue': 'type',
  'MetadataWriteAccess': 'const+interface',
  'NotFoundError': 'class',
  'ObjectInfo': 'interface',
  'OpenOptions': 'class',
  'PageAccessorOptions': 'interface',
  'PictureRect': 'interface',
  'PoolJob': 'interface',
  'ProgressEvent': 'interface',
  'ProjectedSubsetArguments': 'type',
  'ProjectedSubsetOptions': 'interface',
  'RGBImage': 'interface',
  'ReadError': 'class',
  'ReadOptions': 'interface',
  'RequestEvent': 'type',
  'RequestLimits': 'interface',
  'RxvdsError': 'class',
  'SampleArguments': 'type',
  'SampleOptions': 'interface',
  'SegyFormatError': 'class',
  'ShapedAxis': 'interface',
  'ShapedFormat': 'type',
  'ShapedSubset': 'interface',
  'ShapedSubsetOptions': 'interface',
  'SlicePicture': 'interface',
  'SlicePictureOptions': 'interface',
  'Store': 'interface',
  'StoreError': 'class',
  'SubsetDestination': 'class',
  'SubsetPlan': 'interface',
  'VDS': 'type-only class',
  'VDSFileOpenOptions': 'class',
  'VDSIJKGridDefinition': 'interface',
  'VDSProduceStatus': 'enum',
  'VolumeDataAccessManager': 'class+namespace',
  'VolumeDataAccessManager.AccessMode': 'const',
  'VolumeDataAxisDescriptor': 'class',
  'VolumeDataChannelDescriptor': 'class',
  'VolumeDataComponents': 'enum',
  'VolumeDataFormat': 'enum',
  'VolumeDataFormatArray': 'interface',
  'VolumeDataLayout': 'class',
  'VolumeDataLayoutDescriptor': 'class',
  'VolumeDataMapping': 'enum',
  'VolumeDataPage': 'class',
  'VolumeDataPageAccessor': 'class+namespace',
  'VolumeDataPageAccessor.AccessMode': 'const',
  'VolumeDataRequest': 'class',
  'VolumeDataRequest1Bit': 'type',
  'VolumeDataRequestByte': 'type',
  'VolumeDataRequestDouble': 'type',
  'VolumeDataRequestFloat': 'type',
  'VolumeDataRequestUInt': 'type',
  'VolumeDataRequestULong': 'type',
  'VolumeDataRequestUShort': 'type',
  'VolumeDataTypedArray': 'type',
  'VolumeSubsetArguments': 'type',
  'VolumeSubsetOptions': 'interface',
  'VoxelBox': 'interface',
  'WaveletAdaptiveMode': 'enum',
  'WriteError': 'class',
  'WriteOptions': 'interface',
  'annotationPosition': 'function',
  'annotationSlice': 'function',
  'assembleSubset': 'function',
  'chunkPool': 'function',
  'close': 'function',
  'colorAt': 'function',
  'colorMapNames': 'const',
  'compressionMethodTraits': 'function',
  'copyConflict': 'function',
  'copyDataset': 'function',
  'copyDataset$': 'function',
  'create': 'function',
  'decodeChunks': 'function',
  'destroyChunkPool': 'function',
  'displayRange': 'function',
  'distributed': 'namespace',
  'distributed.DistributedCopyOptions': 'interface',
  'distributed.DistributedCopyResult': 'type',
  'distributed.DistributedProgress': 'interface',
  'distributed.DistributedRun': 'interface',
  'distributed.DistributedWorker': 'interface',
  'distributed.FlowOptions': 'interface',
  'distributed.WorkerJobEvent': 'interface',
  'distributed.WorkerOptions': 'interface',
  'distributed.copyDistributed': 'function',
  'distributed.startCopyDistributed': 'function',
  'distributed.startWorker': 'function',
  'encodePNG': 'function',
  'fetchChunk': 'function',
  'fetchChunks': 'function',
  'fromAbortable': 'function',
  'getAccessManager': 'function',
  'getLayout': 'function',
  'getRequestLimits': 'function',
  'getVDSIJKGridDefinitionFromMetadata': 'function',
  'inFlight': 'function',
  'isRxvdsError': 'function',
  'isWaveletCompression': 'function',
  'onPool': 'function',
  'open': 'function',
  'openStore': 'function',
  'openWithAdaptiveCompressionRatio': 'function',
  'openWithAdaptiveCompressionTolerance': 'function',
  'parseConnectionString': 'function',
  'planSubset': 'function',
  'registerChunkJob': 'function',
  'renderSlice': 'function',
  'requestShapedSubset': 'function',
  'segy': 'namespace',
  'segy.AxisGeometry': 'interface',
  'segy.BINARY_HEADER_SIZE': 'const',
  'segy.BinInfo': 'interface',
  'segy.BinaryHeaderFields': 'const',
  'segy.BinaryHeaderInfo': 'interface',
  'segy.DataSampleFormatCode': 'enum',
  'segy.DistributedImportOptions': 'interface',
  'segy.DistributedImportResult': 'type',
  'segy.DistributedProgress': 'interface',
  'segy.Endianness': 'enum',
  'segy.ExportSegyOptions': 'interface',
  'segy.ExportSegyResult': 'interface',
  'segy.FieldWidth': 'type',
  'segy.GeometryOptions': 'interface',
  'segy.HeaderField': 'interface',
  'segy.ImportSegyOptions': 'interface',
  'segy.ImportSegyResult': 'interface',
  'segy.KeyRange': 'interface',
  'segy.MeasurementSystem': 'enum',
  'segy.SEGYFile': 'class',
  'segy.SEGYFileInfoJson': 'interface',
  'segy.SEGYKeyFields': 'interface',
  'segy.SEGYOpenOptions': 'interface',
  'segy.SEGYScan': 'interface',
  'segy.SEGYScanOptions': 'interface',
  'segy.SEGYSegment': 'interface',
  'segy.SEGYType': 'enum',
  'segy.SampleUnit': 'type',
  'segy.SurveyGeometry': 'interface',
  'segy.TEXTUAL_HEADER_SIZE': 'const',
  'segy.TRACE_HEADER_SIZE': 'const',
  'segy.TextEncoding': 'enum',
  'segy.TraceHeaderFieldName': 'type',
  'segy.TraceHeaderFields': 'const',
  'segy.decodeSamples': 'function',
  'segy.detectEndianness': 'function',
  'segy.detectTextEncoding': 'function',
  'segy.encodeSamples': 'function',
  'segy.exportSegy': 'function',
  'segy.fileInfoJson': 'function',
  'segy.floatToIbm': 'function',
  'segy.formatName': 'function',
  'segy.formatSize': 'function',
  'segy.hasGatherOffset': 'function',
  'segy.headerField': 'function',
  'segy.ibmToFloat': 'function',
  'segy.ibmToIeeeBits': 'function',
  'segy.ieeeToIbmBits': 'function',
  'segy.importSegy': 'function',
  'segy.importSegyDistributed': 'function',
  'segy.is2D': 'function',
  'segy.isDecodableFormat': 'function',
  'segy.isUnbinned': 'function',
  'segy.parseBinaryHeader': 'function',
  'segy.readHeaderField': 'function',
  'segy.readUnsignedHeaderField': 'function',
  'segy.resolveTraceHeaderField': 'function',
  'segy.scaleFactor': 'function',
  'segy.scanFromFileInfo': 'function',
  'segy.scanSegy': 'function',
  'segy.startImportSegyDistributed': 'function',
  'segy.surveyGeometry': 'function',
  'segy.textHeaderFromString': 'function',
  'segy.textHeaderToString': 'function',
  'segy.writeHeaderField': 'function',
  'setRequestLimits': 'function',
  'slicePNG': 'function',
  'writeBackPages': 'function',
};

/** What each exported name is, after following re-exports; namespaces list their members as `ns.name`. */
function exportedSurface(): Record<string, Kind> {
  const { config } = ts.readConfigFile(join(REPO, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, REPO);
  const program = ts.createProgram({ rootNames: [join(REPO, 'src/index.ts')], options: { ...options, noEmit: true } });
  const checker = program.getTypeChecker();
  const root = checker.getSymbolAtLocation(program.getSourceFile(join(REPO, 'src/index.ts'))!)!;
  const surface: Record<string, Kind> = {};
  const visit = (module: ts.Symbol, prefix: string) => {
    for (const exported of checker.getExportsOfModule(module)) {
      // A class merged with a namespace (OpenVDS's nested AccessMode) also lists its prototype.
      if (exported.name === 'prototype') continue;
      const { target, typeOnly } = resolve(checker, exported);
      const kind = kindOf(checker, target);
      surface[prefix + exported.name] = typeOnly && hasValue(target) ? `type-only ${kind}` : kind;
      if (target.flags & ts.SymbolFlags.ValueModule) visit(target, `${prefix}${exported.name}.`);
    }
  };
  visit(root, '');
  return surface;
}

/** The declaration an export stands for, and whether any re-export on the way was `export type`. */
function resolve(checker: ts.TypeChecker, symbol: ts.Symbol): { target: ts.Symbol; typeOnly: boolean } {
  let typeOnly = false;
  let target = symbol;
  while (target.flags & ts.SymbolFlags.Alias) {
    typeOnly ||= (target.declarations ?? []).some((d) => ts.isTypeOnlyExportDeclaration(d));
    target = checker.getImmediateAliasedSymbol(target) ?? checker.getAliasedSymbol(target);
  }
  return { target, typeOnly };
}

function kindOf(checker: ts.TypeChecker, symbol: ts.Symbol): Kind {
  const { flags } = symbol;
  const callable = () => checker.getTypeOfSymbol(symbol).getCallSignatures().length > 0;
  const kinds = [
    flags & ts.SymbolFlags.Class && 'class',
    flags & ts.SymbolFlags.Enum && 'enum',
    (flags & ts.SymbolFlags.Function || (flags & ts.SymbolFlags.Variable && callable())) && 'function',
    flags & ts.SymbolFlags.Variable && !callable() && 'const',
    flags & ts.SymbolFlags.Interface && 'interface',
    flags & ts.SymbolFlags.TypeAlias && 'type',
    flags & ts.SymbolFlags.ValueModule && !(flags & ts.SymbolFlags.Enum) && 'namespace',
  ].filter((kind): kind is string => typeof kind === 'string');
  return kinds.join('+') || `unknown (flags ${flags})`;
}

function hasValue(symbol: ts.Symbol): boolean {
  return (symbol.flags & ts.SymbolFlags.Value) !== 0;
}

const entry = (name: string, kind: Kind) => `  '${name}': '${kind}',`;

describe('public API', function () {
  // One type-check of src/index.ts and what it imports: a few seconds.
  this.timeout(120_000);

  it('exports exactly the names and kinds listed in spec/publicApi.spec.ts', () => {
    const actual = exportedSurface();
    const names = [...new Set([...Object.keys(EXPECTED), ...Object.keys(actual)])].sort();
    const added = names.filter((n) => !(n in EXPECTED)).map((n) => entry(n, actual[n]!));
    const removed = names.filter((n) => !(n in actual)).map((n) => entry(n, EXPECTED[n]!));
    const changed = names.filter((n) => n in actual && n in EXPECTED && actual[n] !== EXPECTED[n])
      .map((n) => `${entry(n, actual[n]!)}  // was '${EXPECTED[n]}'`);
    const report = [
      'The public API of src/index.ts changed.',
      ...(added.length ? ['Added (copy into EXPECTED if they are meant to be public):', ...added] : []),
      ...(removed.length ? ['Removed (delete from EXPECTED if that is meant; it breaks users):', ...removed] : []),
      ...(changed.length ? ['Changed kind:', ...changed] : []),
      'Update EXPECTED in spec/publicApi.spec.ts on purpose, and note the change in CHANGELOG.md.',
    ].join('\n');
    if (added.length + removed.length + changed.length > 0) expect.fail(report);
  });

  it('lists EXPECTED in sorted order, one place per name', () => {
    const names = Object.keys(EXPECTED);
    expect(names, 'keep EXPECTED sorted so that changes read as one-line diffs').to.deep.equal([...names].sort());
  });
});
