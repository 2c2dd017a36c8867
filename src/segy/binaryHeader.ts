// The 400-byte SEG-Y binary file header: byte order detection and the fields an import needs.
import { InvalidArgumentError, SegyFormatError } from '../model/errors.js';
import { BINARY_HEADER_SIZE, BinaryHeaderFields as F, Endianness, readHeaderField, readUnsignedHeaderField } from './headerField.js';
import { type DataSampleFormatCode, formatName, isDecodableFormat } from './sampleFormat.js';

export enum MeasurementSystem {
  Unknown = 0,
  Meters = 1,
  Feet = 2,
}

export interface BinaryHeaderInfo {
  readonly endianness: Endianness;
  readonly dataSampleFormatCode: DataSampleFormatCode;
  /** Samples per trace from the binary header (0 when the header leaves it to the trace headers). */
  readonly sampleCount: number;
  /** Sample interval in microseconds (or mm/µft for depth data); 0 when not set. */
  readonly sampleInterval: number;
  /** Number of 3200-byte extended textual headers; -1 = a variable number ending with the EndText stanza. */
  readonly extendedTextualHeaderCount: number;
  readonly revision: number;
  readonly fixedLengthTraces: boolean;
  readonly measurementSystem: MeasurementSystem;
  readonly traceSortingCode: number;
  readonly ensembleFold: number;
}

/** SEG-Y rev 2 writes 16909060 (0x01020304) at bytes 3297-3300 in the file's byte order. */
const BYTE_ORDER_CONSTANT = 0x01020304;

function byteOrderFromConstant(header: Uint8Array): Endianness | undefined {
  const big = readHeaderField(header, F.byteOrderConstant, Endianness.BigEndian);
  if (big === BYTE_ORDER_CONSTANT) return Endianness.BigEndian;
  if (readHeaderField(header, F.byteOrderConstant, Endianness.LittleEndian) === BYTE_ORDER_CONSTANT) return Endianness.LittleEndian;
  return undefined;
}

/**
 * The byte order of the headers: the rev 2 byte-order constant if present, else the order in
 * which the data sample format code is a known format (big-endian when both are).
 */
export function detectEndianness(header: Uint8Array): Endianness {
  checkSize(header);
  const declared = byteOrderFromConstant(header);
  if (declared !== undefined) return declared;
  const big = readHeaderField(header, F.dataSampleFormatCode, Endianness.BigEndian);
  if (isDecodableFormat(big)) return Endianness.BigEndian;
  const little = readHeaderField(header, F.dataSampleFormatCode, Endianness.LittleEndian);
  if (isDecodableFormat(little)) return Endianness.LittleEndian;
  throw new SegyFormatError(`SEG-Y binary header: data sample format code (bytes 3225-3226) is ${big} big-endian / ${little} little-endian, ` +
    'not a supported format in either byte order; this is not a SEG-Y file or its binary header is damaged');
}

function checkSize(header: Uint8Array): void {
  if (header.length !== BINARY_HEADER_SIZE) throw new InvalidArgumentError(`SEG-Y binary header must be ${BINARY_HEADER_SIZE} bytes, got ${header.length}`);
}

export function parseBinaryHeader(header: Uint8Array, endianness: Endianness = detectEndianness(header)): BinaryHeaderInfo {
  checkSize(header);
  const code = readHeaderField(header, F.dataSampleFormatCode, endianness);
  if (!isDecodableFormat(code)) {
    throw new SegyFormatError(`SEG-Y binary header: data sample format ${formatName(code)} (bytes 3225-3226, ${Endianness[endianness]}) is not supported`);
  }
  const shortCount = readUnsignedHeaderField(header, F.numSamples, endianness);
  // The major revision is byte 3501 whatever the byte order (rev 2 splits the field into two bytes).
  const revision = header[F.segyFormatRevisionNumber.byteLocation - 1]!;
  // Rev 2 has an extended sample count for traces longer than 65535 samples.
  const extendedCount = shortCount === 0 && revision >= 2 ? readUnsignedHeaderField(header, F.extendedNumSamples, endianness) : 0;
  return {
    endianness,
    dataSampleFormatCode: code,
    sampleCount: shortCount || extendedCount,
    sampleInterval: readUnsignedHeaderField(header, F.sampleInterval, endianness),
    extendedTextualHeaderCount: readHeaderField(header, F.extendedTextualFileHeaderCount, endianness),
    revision,
    fixedLengthTraces: readHeaderField(header, F.fixedLengthTraceFlag, endianness) === 1,
    measurementSystem: normaliseMeasurementSystem(readHeaderField(header, F.measurementSystem, endianness)),
    traceSortingCode: readHeaderField(header, F.traceSortingCode, endianness),
    ensembleFold: readHeaderField(header, F.ensembleFold, endianness),
  };
}

function normaliseMeasurementSystem(value: number): MeasurementSystem {
  return value === MeasurementSystem.Meters || value === MeasurementSystem.Feet ? value : MeasurementSystem.Unknown;
}
