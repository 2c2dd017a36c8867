// The well-known metadata keys of OpenVDS (KnownMetadata.h), as static functions returning keys.
import { type MetadataKey, MetadataType } from './metadataKey.js';

const T = MetadataType;
const key = (type: MetadataType, category: string, name: string): MetadataKey => ({ type, category, name });

const SURVEY = 'SurveyCoordinateSystem';
const TRACE = 'TraceCoordinates';
const WRITTEN = 'WrittenRegion';
const STATISTICS = 'Statistics';
const IMPORT = 'ImportInformation';
const SEGY = 'SEGY';

export class KnownMetadata {
  static categorySurveyCoordinateSystem(): string { return SURVEY; }
  static categoryTraceCoordinates(): string { return TRACE; }
  static categoryWrittenRegion(): string { return WRITTEN; }
  static categoryStatistics(): string { return STATISTICS; }
  static categoryImportInformation(): string { return IMPORT; }
  static categorySEGY(): string { return SEGY; }

  static surveyCoordinateSystemOrigin(): MetadataKey { return key(T.DoubleVector2, SURVEY, 'Origin'); }
  static surveyCoordinateSystemInlineSpacing(): MetadataKey { return key(T.DoubleVector2, SURVEY, 'InlineSpacing'); }
  static surveyCoordinateSystemCrosslineSpacing(): MetadataKey { return key(T.DoubleVector2, SURVEY, 'CrosslineSpacing'); }
  static surveyCoordinateSystemGridPoint0(): MetadataKey { return key(T.DoubleVector2, SURVEY, 'GridPoint0'); }
  static surveyCoordinateSystemGridPoint0Inline(): MetadataKey { return key(T.Float, SURVEY, 'GridPoint0Inline'); }
  static surveyCoordinateSystemGridPoint0Crossline(): MetadataKey { return key(T.Float, SURVEY, 'GridPoint0Crossline'); }
  static surveyCoordinateSystemGridPoint1(): MetadataKey { return key(T.DoubleVector2, SURVEY, 'GridPoint1'); }
  static surveyCoordinateSystemGridPoint1Inline(): MetadataKey { return key(T.Float, SURVEY, 'GridPoint1Inline'); }
  static surveyCoordinateSystemGridPoint1Crossline(): MetadataKey { return key(T.Float, SURVEY, 'GridPoint1Crossline'); }
  static surveyCoordinateSystemGridPoint2(): MetadataKey { return key(T.DoubleVector2, SURVEY, 'GridPoint2'); }
  static surveyCoordinateSystemGridPoint2Inline(): MetadataKey { return key(T.Float, SURVEY, 'GridPoint2Inline'); }
  static surveyCoordinateSystemGridPoint2Crossline(): MetadataKey { return key(T.Float, SURVEY, 'GridPoint2Crossline'); }
  static surveyCoordinateSystemGridPoint3(): MetadataKey { return key(T.DoubleVector2, SURVEY, 'GridPoint3'); }
  static surveyCoordinateSystemGridPoint3Inline(): MetadataKey { return key(T.Float, SURVEY, 'GridPoint3Inline'); }
  static surveyCoordinateSystemGridPoint3Crossline(): MetadataKey { return key(T.Float, SURVEY, 'GridPoint3Crossline'); }
  static surveyCoordinateSystemIJKOrigin(): MetadataKey { return key(T.DoubleVector3, SURVEY, 'Origin3D'); }
  static surveyCoordinateSystemIStepVector(): MetadataKey { return key(T.DoubleVector3, SURVEY, 'IStepVector'); }
  static surveyCoordinateSystemJStepVector(): MetadataKey { return key(T.DoubleVector3, SURVEY, 'JStepVector'); }
  static surveyCoordinateSystemKStepVector(): MetadataKey { return key(T.DoubleVector3, SURVEY, 'KStepVector'); }
  static surveyCoordinateSystemUnit(): MetadataKey { return key(T.String, SURVEY, 'Unit'); }
  static surveyCoordinateSystemCRSWkt(): MetadataKey { return key(T.String, SURVEY, 'CRSWkt'); }

  static tracePositions(): MetadataKey { return key(T.BLOB, TRACE, 'TracePositions'); }
  static traceVerticalOffsets(): MetadataKey { return key(T.BLOB, TRACE, 'TraceVerticalOffsets'); }
  static energySourcePointNumbers(): MetadataKey { return key(T.BLOB, TRACE, 'EnergySourcePointNumbers'); }
  static ensembleNumbers(): MetadataKey { return key(T.BLOB, TRACE, 'EnsembleNumbers'); }

  static writtenRegion(): MetadataKey { return key(T.BLOB, WRITTEN, 'WrittenRegion'); }
  static actualValueRange(): MetadataKey { return key(T.FloatVector2, STATISTICS, 'ActualValueRange'); }
  static histogram(): MetadataKey { return key(T.BLOB, STATISTICS, 'Histogram'); }

  static importInformationDisplayName(): MetadataKey { return key(T.String, IMPORT, 'DisplayName'); }
  static importInformationInputFileName(): MetadataKey { return key(T.String, IMPORT, 'InputFileName'); }
  static importInformationInputFileSize(): MetadataKey { return key(T.Double, IMPORT, 'InputFileSize'); }
  static importInformationInputTimeStamp(): MetadataKey { return key(T.String, IMPORT, 'InputTimeStamp'); }
  static importInformationImportTimeStamp(): MetadataKey { return key(T.String, IMPORT, 'ImportTimeStamp'); }

  static SEGYTextHeader(): MetadataKey { return key(T.BLOB, SEGY, 'TextHeader'); }
  static SEGYBinaryHeader(): MetadataKey { return key(T.BLOB, SEGY, 'BinaryHeader'); }
  static SEGYEndianness(): MetadataKey { return key(T.Int, SEGY, 'Endianness'); }
  static SEGYDataEndianness(): MetadataKey { return key(T.Int, SEGY, 'DataEndianness'); }
  static SEGYDataSampleFormatCode(): MetadataKey { return key(T.Int, SEGY, 'DataSampleFormatCode'); }
  static SEGYPrimaryKey(): MetadataKey { return key(T.String, SEGY, 'PrimaryKey'); }
  // rxvds's earlier names, kept for existing callers.
  /** @deprecated OpenVDS's name is SEGYTextHeader. */ static segyTextHeader = KnownMetadata.SEGYTextHeader;
  /** @deprecated OpenVDS's name is SEGYBinaryHeader. */ static segyBinaryHeader = KnownMetadata.SEGYBinaryHeader;
  /** @deprecated OpenVDS's name is SEGYEndianness. */ static segyEndianness = KnownMetadata.SEGYEndianness;
  /** @deprecated OpenVDS's name is SEGYDataEndianness. */ static segyDataEndianness = KnownMetadata.SEGYDataEndianness;
  /** @deprecated OpenVDS's name is SEGYDataSampleFormatCode. */ static segyDataSampleFormatCode = KnownMetadata.SEGYDataSampleFormatCode;
  /** @deprecated OpenVDS's name is SEGYPrimaryKey. */ static segyPrimaryKey = KnownMetadata.SEGYPrimaryKey;

  // Axis names and units.
  static axisNameInline(): string { return 'Inline'; }
  static axisNameCrossline(): string { return 'Crossline'; }
  static axisNameTime(): string { return 'Time'; }
  static axisNameDepth(): string { return 'Depth'; }
  static axisNameSample(): string { return 'Sample'; }
  static axisNameI(): string { return 'I'; }
  static axisNameJ(): string { return 'J'; }
  static axisNameK(): string { return 'K'; }
  static axisNameX(): string { return 'X'; }
  static axisNameY(): string { return 'Y'; }
  static axisNameZ(): string { return 'Z'; }
  static unitMeter(): string { return 'm'; }
  static unitMillisecond(): string { return 'ms'; }
  static unitFoot(): string { return 'ft'; }
  static unitUSSurveyFoot(): string { return 'ussft'; }
  static unitSecond(): string { return 's'; }
  static unitMetersPerSecond(): string { return 'm/s'; }
  static unitFeetPerSecond(): string { return 'ft/s'; }
  static unitUSSurveyFeetPerSecond(): string { return 'ussft/s'; }
  static unitUnitless(): string { return 'unitless'; }
}
