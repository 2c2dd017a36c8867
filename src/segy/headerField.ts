// SEG-Y header fields: a 1-based byte location and a width, read as signed integers in either byte order.
import { InvalidArgumentError } from '../model/errors.js';

export enum Endianness {
  BigEndian = 0,
  LittleEndian = 1,
}

export type FieldWidth = 2 | 4;

export interface HeaderField {
  /** 1-based, as the SEG-Y standard counts bytes within a header. */
  readonly byteLocation: number;
  readonly width: FieldWidth;
}

export const TEXTUAL_HEADER_SIZE = 3200;
export const BINARY_HEADER_SIZE = 400;
export const TRACE_HEADER_SIZE = 240;

export function headerField(byteLocation: number, width: FieldWidth): HeaderField {
  if (!Number.isInteger(byteLocation) || byteLocation < 1) throw new InvalidArgumentError(`header field byte location must be an integer ≥ 1, got ${byteLocation}`);
  if (width !== 2 && width !== 4) throw new InvalidArgumentError(`header field width must be 2 or 4 bytes, got ${String(width)}`);
  return Object.freeze({ byteLocation, width });
}

function checkFits(header: Uint8Array, field: HeaderField): number {
  const start = field.byteLocation - 1;
  if (start + field.width > header.length) {
    throw new InvalidArgumentError(`header field at byte ${field.byteLocation} (${field.width} bytes) lies outside a ${header.length}-byte header`);
  }
  return start;
}

/** The signed value of `field` (OpenVDS reads every header field as a signed integer). */
export function readHeaderField(header: Uint8Array, field: HeaderField, endianness: Endianness): number {
  const start = checkFits(header, field);
  const view = new DataView(header.buffer, header.byteOffset + start, field.width);
  const little = endianness === Endianness.LittleEndian;
  return field.width === 4 ? view.getInt32(0, little) : view.getInt16(0, little);
}

/** Like readHeaderField but unsigned (SEG-Y rev 2 sample counts and intervals are unsigned). */
export function readUnsignedHeaderField(header: Uint8Array, field: HeaderField, endianness: Endianness): number {
  const start = checkFits(header, field);
  const view = new DataView(header.buffer, header.byteOffset + start, field.width);
  const little = endianness === Endianness.LittleEndian;
  return field.width === 4 ? view.getUint32(0, little) : view.getUint16(0, little);
}

export function writeHeaderField(header: Uint8Array, field: HeaderField, value: number, endianness: Endianness): void {
  const start = checkFits(header, field);
  const view = new DataView(header.buffer, header.byteOffset + start, field.width);
  const little = endianness === Endianness.LittleEndian;
  if (field.width === 4) view.setInt32(0, value, little);
  else view.setInt16(0, value, little);
}

/** Binary file header fields (byte locations within the 400-byte header). */
export const BinaryHeaderFields = {
  tracesPerEnsemble: headerField(13, 2),
  auxiliaryTracesPerEnsemble: headerField(15, 2),
  sampleInterval: headerField(17, 2),
  numSamples: headerField(21, 2),
  dataSampleFormatCode: headerField(25, 2),
  ensembleFold: headerField(27, 2),
  traceSortingCode: headerField(29, 2),
  measurementSystem: headerField(55, 2),
  extendedNumSamples: headerField(69, 4),
  byteOrderConstant: headerField(97, 4),
  segyFormatRevisionNumber: headerField(301, 2),
  fixedLengthTraceFlag: headerField(303, 2),
  extendedTextualFileHeaderCount: headerField(305, 2),
} as const;

/** Trace header fields under OpenVDS's SEGYImport names (lower case, as its --header-field option takes them). */
export const TraceHeaderFields = {
  tracesequencenumber: headerField(1, 4),
  tracesequencenumberwithinfile: headerField(5, 4),
  fieldrecordnumber: headerField(9, 4),
  energysourcepointnumber: headerField(17, 4),
  ensemblenumber: headerField(21, 4),
  tracenumberwithinensemble: headerField(25, 4),
  traceidentificationcode: headerField(29, 2),
  offset: headerField(37, 4),
  coordinatescale: headerField(71, 2),
  sourcexcoordinate: headerField(73, 4),
  sourceycoordinate: headerField(77, 4),
  groupxcoordinate: headerField(81, 4),
  groupycoordinate: headerField(85, 4),
  coordinateunits: headerField(89, 2),
  offsety: headerField(95, 2),
  offsetx: headerField(97, 2),
  starttime: headerField(109, 2),
  mutestarttime: headerField(111, 2),
  muteendtime: headerField(113, 2),
  numsamples: headerField(115, 2),
  sampleinterval: headerField(117, 2),
  ensemblexcoordinate: headerField(181, 4),
  ensembleycoordinate: headerField(185, 4),
  inlinenumber: headerField(189, 4),
  crosslinenumber: headerField(193, 4),
  timescalar: headerField(215, 2),
  receiver: headerField(13, 4),
  azimuth: headerField(61, 4),
} as const;

export type TraceHeaderFieldName = keyof typeof TraceHeaderFields;

/** Alternative names OpenVDS's SEGYImport accepts for trace header fields. */
const aliases: Readonly<Record<string, TraceHeaderFieldName>> = {
  inline: 'inlinenumber', crossline: 'crosslinenumber', shot: 'energysourcepointnumber', sp: 'energysourcepointnumber',
  cdp: 'ensemblenumber', cmp: 'ensemblenumber', easting: 'ensemblexcoordinate', northing: 'ensembleycoordinate',
  cdpxcoordinate: 'ensemblexcoordinate', cdpycoordinate: 'ensembleycoordinate', 'cdp-x': 'ensemblexcoordinate',
  'cdp-y': 'ensembleycoordinate', 'source-x': 'sourcexcoordinate', 'source-y': 'sourceycoordinate',
  'group-x': 'groupxcoordinate', 'group-y': 'groupycoordinate', receiverxcoordinate: 'groupxcoordinate',
  receiverycoordinate: 'groupycoordinate', 'receiver-x': 'groupxcoordinate', 'receiver-y': 'groupycoordinate',
  scalar: 'coordinatescale', fieldrecord: 'fieldrecordnumber', ffid: 'fieldrecordnumber',
};

export function canonicalFieldName(name: string): string {
  const lower = name.toLowerCase();
  return aliases[lower] ?? lower;
}

/**
 * A trace header field by name (case-insensitive, aliases allowed) or as "BYTE:WIDTH" (e.g. "9:4"),
 * looked up first in `overrides` (user-defined byte locations).
 */
export function resolveTraceHeaderField(spec: string | HeaderField, overrides: Readonly<Record<string, HeaderField>> = {}): HeaderField {
  if (typeof spec !== 'string') return headerField(spec.byteLocation, spec.width);
  const located = /^(\d+)(?::([24]))?$/.exec(spec.trim());
  if (located) return headerField(Number(located[1]), Number(located[2] ?? 4) as FieldWidth);
  const name = canonicalFieldName(spec);
  const override = Object.entries(overrides).find(([key]) => canonicalFieldName(key) === name)?.[1];
  if (override) return headerField(override.byteLocation, override.width);
  const known = (TraceHeaderFields as Record<string, HeaderField>)[name];
  if (!known) throw new InvalidArgumentError(`unknown trace header field "${spec}"; use a name such as inline, crossline, offset or a location BYTE:WIDTH`);
  return known;
}

/** OpenVDS's rule for the SEG-Y coordinate (and time) scalar: negative divides, positive multiplies, 0 is 1. */
export function scaleFactor(scalar: number): number {
  if (scalar < 0) return 1 / Math.abs(scalar);
  if (scalar > 0) return scalar;
  return 1;
}
