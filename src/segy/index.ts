// SEG-Y support: reading, scanning, geometry, import to and export from datasets. The public pieces
// only; the import's own machinery (amplitude channel formats, value-range estimation, survey
// lattice, segment analysis) stays in its modules.
export { MeasurementSystem, type BinaryHeaderInfo, detectEndianness, parseBinaryHeader } from './binaryHeader.js';
export { exportSegy, type ExportSegyOptions, type ExportSegyResult } from './exportSegy.js';
export {
  surveyGeometry, type AxisGeometry, type GeometryOptions, type KeyRange, type SampleUnit, type SurveyGeometry,
} from './geometry.js';
export {
  Endianness, type FieldWidth, type HeaderField, TEXTUAL_HEADER_SIZE, BINARY_HEADER_SIZE, TRACE_HEADER_SIZE, headerField, readHeaderField,
  readUnsignedHeaderField, writeHeaderField, BinaryHeaderFields, TraceHeaderFields, type TraceHeaderFieldName, resolveTraceHeaderField,
  scaleFactor,
} from './headerField.js';
export { importSegy, type ImportSegyOptions, type ImportSegyResult } from './importSegy.js';
export {
  DataSampleFormatCode, formatSize, isDecodableFormat, formatName, ibmToIeeeBits, ieeeToIbmBits, ibmToFloat, floatToIbm, decodeSamples,
  encodeSamples,
} from './sampleFormat.js';
export {
  SEGYType, isUnbinned, is2D, hasGatherOffset, type BinInfo, type SEGYSegment, type SEGYKeyFields, type SEGYScanOptions, type SEGYScan,
  scanSegy,
} from './scan.js';
export { fileInfoJson, scanFromFileInfo, type SEGYFileInfoJson } from './scanFile.js';
export { SEGYFile, type SEGYOpenOptions } from './segyFile.js';
export { TextEncoding, detectTextEncoding, textHeaderToString, textHeaderFromString } from './textHeader.js';
export {
  importSegyDistributed, startImportSegyDistributed, type DistributedImportOptions, type DistributedImportResult, type DistributedProgress,
} from '../distributed/importSegyDistributed.js';
