// The scan of a SEG-Y file as the JSON "file info" OpenVDS's SEGYImport writes with --scan and reads
// with --file-info: the file's sample layout, the two key fields, and the segments (runs of equal
// primary key) with the bins of their first and last traces. Reading one back skips the scan, after
// checking that it describes the file at hand.
import { createHash } from 'node:crypto';
import { errorMessage, InvalidArgumentError } from '../model/errors.js';
import { Endianness, type HeaderField } from './headerField.js';
import { type BinInfo, keyFields, type SEGYScan, type SEGYScanOptions, type SEGYSegment } from './scan.js';
import type { SEGYFile } from './segyFile.js';

type FieldJson = [number, 'TwoByte' | 'FourByte'];
interface BinInfoJson { inlineNumber: number; crosslineNumber: number; ensembleXCoordinate: number; ensembleYCoordinate: number }
interface SegmentJson { primaryKey: number; traceStart: number; traceStop: number; binInfoStart: BinInfoJson; binInfoStop: BinInfoJson }

/** SEGYImport's file info, key for key. */
export interface SEGYFileInfoJson {
  persistentID: string;
  headerEndianness: 'BigEndian' | 'LittleEndian';
  dataSampleFormatCode: number;
  sampleCount: number;
  /** Milliseconds. */
  startTime: number;
  /** Milliseconds. */
  sampleInterval: number;
  traceCount: number;
  primaryKey: FieldJson;
  secondaryKey: FieldJson;
  segmentInfo: SegmentJson[];
}

const fieldJson = (field: HeaderField): FieldJson => [field.byteLocation, field.width === 2 ? 'TwoByte' : 'FourByte'];
const binJson = (bin: BinInfo): BinInfoJson => ({ inlineNumber: bin.inline, crosslineNumber: bin.crossline, ensembleXCoordinate: bin.x, ensembleYCoordinate: bin.y });
const endiannessName = (e: Endianness) => (e === Endianness.BigEndian ? 'BigEndian' : 'LittleEndian');

/**
 * A persistent ID for a scan when none is given: 16 hexadecimal digits of a hash of the file's size
 * and headers, so scanning the same file twice gives the same ID.
 */
function defaultPersistentID(file: SEGYFile): string {
  const hash = createHash('sha256').update(String(file.fileSize)).update(file.textHeader).update(file.binaryHeader);
  return hash.digest('hex').slice(0, 16).toUpperCase();
}

export function fileInfoJson(file: SEGYFile, scan: SEGYScan, persistentID = defaultPersistentID(file)): SEGYFileInfoJson {
  return {
    persistentID,
    headerEndianness: endiannessName(file.headerEndianness),
    dataSampleFormatCode: file.dataSampleFormatCode,
    sampleCount: file.sampleCount,
    startTime: file.startTime,
    sampleInterval: file.sampleIntervalMilliseconds,
    traceCount: scan.traceCount,
    primaryKey: fieldJson(scan.fields.primaryKey),
    secondaryKey: fieldJson(scan.fields.secondaryKey),
    segmentInfo: scan.segments.map((s) => ({
      primaryKey: s.primaryKey, traceStart: s.traceStart, traceStop: s.traceStop, binInfoStart: binJson(s.start), binInfoStop: binJson(s.stop),
    })),
  };
}

/**
 * The scan a file info describes, for `file` opened with the same key options. Refused, naming the
 * first difference, when it was made for another file or other key fields.
 */
export function scanFromFileInfo(text: string, file: SEGYFile, options: SEGYScanOptions, source: string): SEGYScan {
  let info: SEGYFileInfoJson;
  try {
    info = JSON.parse(text) as SEGYFileInfoJson;
  } catch (error) {
    throw new InvalidArgumentError(`${source} is not a SEG-Y file info (JSON): ${errorMessage(error)}`, { cause: error });
  }
  if (typeof info !== 'object' || info === null || !Array.isArray(info.segmentInfo)) {
    throw new InvalidArgumentError(`${source} is not a SEG-Y file info: it has no segmentInfo array (offset-sorted scans are not supported)`);
  }
  const { segyType, primaryKeyName, fields } = keyFields(options);
  const expected: [string, unknown, unknown][] = [
    ['headerEndianness', info.headerEndianness, endiannessName(file.headerEndianness)],
    ['dataSampleFormatCode', info.dataSampleFormatCode, file.dataSampleFormatCode],
    ['sampleCount', info.sampleCount, file.sampleCount],
    ['sampleInterval', info.sampleInterval, file.sampleIntervalMilliseconds],
    ['traceCount', info.traceCount, file.traceCount],
    ['primaryKey', JSON.stringify(info.primaryKey), JSON.stringify(fieldJson(fields.primaryKey))],
    ['secondaryKey', JSON.stringify(info.secondaryKey), JSON.stringify(fieldJson(fields.secondaryKey))],
  ];
  for (const [key, inScan, inFile] of expected) {
    if (inScan !== inFile) throw new InvalidArgumentError(`${source} does not describe ${file.name}: ${key} is ${String(inScan)} in the scan, ${String(inFile)} for this import`);
  }
  const segments = info.segmentInfo.map((s, i) => segment(s, i, file.traceCount, source));
  return {
    segyType, fields, primaryKeyName, segments, traceCount: info.traceCount,
    // SEGYImport's file info does not keep the first trace's coordinate scalar; it only feeds a warning.
    detectedCoordinateScale: 0,
    coordinateScaleOverride: options.coordinateScaleOverride,
  };
}

function segment(s: SegmentJson, index: number, traceCount: number, source: string): SEGYSegment {
  const { traceStart, traceStop } = s;
  if (!Number.isInteger(traceStart) || !Number.isInteger(traceStop) || traceStart < 0 || traceStop < traceStart || traceStop >= traceCount) {
    throw new InvalidArgumentError(`${source}: segment ${index} has traces ${traceStart}-${traceStop}, outside the file's ${traceCount} traces`);
  }
  const bin = (b: BinInfoJson): BinInfo => ({ inline: b.inlineNumber, crossline: b.crosslineNumber, x: b.ensembleXCoordinate, y: b.ensembleYCoordinate });
  return { primaryKey: s.primaryKey, traceStart, traceStop, start: bin(s.binInfoStart), stop: bin(s.binInfoStop) };
}
