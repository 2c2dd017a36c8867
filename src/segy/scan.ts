// The segment scan: groups the traces of a SEG-Y file into runs of equal primary key (inlines,
// crosslines, gathers) reading only a few trace headers per run, as OpenVDS's SEGYFileInfo::Scan does.
import { InvalidArgumentError, SegyFormatError } from '../model/errors.js';
import {
  canonicalFieldName, Endianness, type HeaderField, readHeaderField, resolveTraceHeaderField, scaleFactor, TraceHeaderFields,
} from './headerField.js';
import type { SEGYFile } from './segyFile.js';

export enum SEGYType {
  Poststack = 'Poststack',
  Prestack = 'Prestack',
  Poststack2D = 'Poststack2D',
  Prestack2D = 'Prestack2D',
  CDPGathers = 'CDPGathers',
  ShotGathers = 'ShotGathers',
  ReceiverGathers = 'ReceiverGathers',
}

export const isUnbinned = (type: SEGYType): boolean =>
  type === SEGYType.CDPGathers || type === SEGYType.ShotGathers || type === SEGYType.ReceiverGathers;
export const is2D = (type: SEGYType): boolean => type === SEGYType.Poststack2D || type === SEGYType.Prestack2D;
export const hasGatherOffset = (type: SEGYType): boolean => type === SEGYType.Prestack || type === SEGYType.Prestack2D || isUnbinned(type);

/** Where a trace sits in the survey grid and the world (coordinates already scaled). */
export interface BinInfo {
  readonly inline: number;
  readonly crossline: number;
  readonly x: number;
  readonly y: number;
}

/** A run of consecutive traces sharing one primary key value. */
export interface SEGYSegment {
  readonly primaryKey: number;
  readonly traceStart: number;
  /** Inclusive. */
  readonly traceStop: number;
  readonly start: BinInfo;
  readonly stop: BinInfo;
}

/** The trace header fields a scan reads. */
export interface SEGYKeyFields {
  readonly primaryKey: HeaderField;
  readonly secondaryKey: HeaderField;
  readonly inline: HeaderField;
  readonly crossline: HeaderField;
  readonly coordinateScale: HeaderField;
  readonly x: HeaderField;
  readonly y: HeaderField;
  readonly offset: HeaderField;
}

export interface SEGYScanOptions {
  /** Field name, alias or "BYTE:WIDTH"; default "inline". */
  primaryKey?: string | HeaderField;
  /** Default "crossline" ("ensemblenumber" for 2D). */
  secondaryKey?: string | HeaderField;
  /** Binned pre-stack gathers (offset becomes a dimension). */
  prestack?: boolean;
  /** A single 2D line: the secondary key (CDP number) is the only lateral key. */
  twoD?: boolean;
  /** Byte locations replacing the standard ones, by field name (e.g. { inline: headerField(9, 4) }). */
  headerFields?: Readonly<Record<string, HeaderField>>;
  /** A coordinate scale factor used instead of the per-trace scalar (bytes 71-72). */
  coordinateScaleOverride?: number;
}

export interface SEGYScan {
  readonly segyType: SEGYType;
  readonly fields: SEGYKeyFields;
  /** The canonical name of the primary key field ("inlinenumber", "crosslinenumber", …). */
  readonly primaryKeyName: string;
  readonly segments: readonly SEGYSegment[];
  readonly traceCount: number;
  /** The coordinate scalar of the first trace (a value > 1 usually means a wrongly written scalar). */
  readonly detectedCoordinateScale: number;
  readonly coordinateScaleOverride: number | undefined;
}

function fieldName(spec: string | HeaderField | undefined, fallback: string): string {
  if (spec === undefined) return fallback;
  return typeof spec === 'string' ? canonicalFieldName(spec) : `${spec.byteLocation}:${spec.width}`;
}

function segyTypeFor(primaryKeyName: string, options: SEGYScanOptions): SEGYType {
  if (options.twoD) return options.prestack ? SEGYType.Prestack2D : SEGYType.Poststack2D;
  switch (primaryKeyName) {
    case 'inlinenumber':
    case 'crosslinenumber':
      return options.prestack ? SEGYType.Prestack : SEGYType.Poststack;
    case 'ensemblenumber': return SEGYType.CDPGathers;
    case 'receiver': return SEGYType.ReceiverGathers;
    case 'energysourcepointnumber':
    case 'fieldrecordnumber':
      return SEGYType.ShotGathers;
    default:
      throw new InvalidArgumentError(`primary key "${primaryKeyName}" does not match a known SEG-Y type; use inline, crossline, cdp, shot, fieldrecord or receiver`);
  }
}

export function keyFields(options: SEGYScanOptions = {}): { segyType: SEGYType; primaryKeyName: string; fields: SEGYKeyFields } {
  const overrides = options.headerFields ?? {};
  const field = (spec: string | HeaderField): HeaderField => resolveTraceHeaderField(spec, overrides);
  const primaryKeyName = fieldName(options.primaryKey, 'inlinenumber');
  const segyType = segyTypeFor(primaryKeyName, options);
  const secondary = options.secondaryKey ?? (is2D(segyType) ? 'ensemblenumber' : 'crosslinenumber');
  const [x, y] = segyType === SEGYType.ShotGathers ? ['sourcexcoordinate', 'sourceycoordinate']
    : segyType === SEGYType.ReceiverGathers ? ['groupxcoordinate', 'groupycoordinate'] : ['ensemblexcoordinate', 'ensembleycoordinate'];
  return {
    segyType,
    primaryKeyName,
    fields: {
      primaryKey: field(options.primaryKey ?? 'inlinenumber'),
      secondaryKey: field(secondary),
      inline: field('inlinenumber'),
      // 2D lines borrow the crossline slot for the ensemble (CDP) number.
      crossline: is2D(segyType) ? field(secondary) : field('crosslinenumber'),
      coordinateScale: field('coordinatescale'),
      x: field(x),
      y: field(y),
      offset: field('offset'),
    },
  };
}

export function readBinInfo(header: Uint8Array, fields: SEGYKeyFields, endianness: Endianness, segyType: SEGYType,
  traceInSegment: number, coordinateScaleOverride?: number): BinInfo {
  const scale = coordinateScaleOverride ?? scaleFactor(readHeaderField(header, fields.coordinateScale, endianness));
  return {
    inline: readHeaderField(header, fields.inline, endianness),
    crossline: isUnbinned(segyType) ? traceInSegment : readHeaderField(header, fields.crossline, endianness),
    x: readHeaderField(header, fields.x, endianness) * scale,
    y: readHeaderField(header, fields.y, endianness) * scale,
  };
}

/**
 * Finds the segments of `file`. Each segment's end is found by probing where the previous
 * segment's length predicts it, then galloping and bisecting, so a regular survey costs a few
 * header reads per line. Primary keys must be strictly increasing or decreasing.
 */
export async function scanSegy(file: SEGYFile, options: SEGYScanOptions = {}): Promise<SEGYScan> {
  const { segyType, primaryKeyName, fields } = keyFields(options);
  const endianness = file.headerEndianness;
  const override = options.coordinateScaleOverride;
  const headers = new Map<number, Uint8Array>();
  const header = async (trace: number): Promise<Uint8Array> => {
    let h = headers.get(trace);
    if (!h) {
      h = await file.readTraceHeader(trace);
      checkTraceHeader(file, trace, h);
      headers.set(trace, h);
    }
    return h;
  };
  const keyOf = async (trace: number): Promise<number> => (is2D(segyType) ? 0 : readHeaderField(await header(trace), fields.primaryKey, endianness));

  const segments: SEGYSegment[] = [];
  const count = file.traceCount;
  let previousLength = 0;
  for (let start = 0; start < count;) {
    headers.clear();
    const key = await keyOf(start);
    const stop = await findSegmentStop(start, key, previousLength, count, keyOf);
    const startInfo = readBinInfo(await header(start), fields, endianness, segyType, 1, override);
    const stopInfo = readBinInfo(await header(stop), fields, endianness, segyType, stop - start + 1, override);
    const segment: SEGYSegment = { primaryKey: key, traceStart: start, traceStop: stop, start: startInfo, stop: stopInfo };
    checkPrimaryOrder(file, segments, segment, primaryKeyName);
    segments.push(segment);
    previousLength = stop - start + 1;
    start = stop + 1;
  }
  const detectedCoordinateScale = count > 0 ? readHeaderField(await file.readTraceHeader(0), fields.coordinateScale, endianness) : 0;
  return { segyType, fields, primaryKeyName, segments, traceCount: count, detectedCoordinateScale, coordinateScaleOverride: override };
}

async function findSegmentStop(start: number, key: number, guess: number, count: number, keyOf: (trace: number) => Promise<number>): Promise<number> {
  const last = count - 1;
  let inside = start;
  let outside = count;           // first trace known not to belong (or the end)
  if (guess > 1 && start + guess - 1 <= last && (await keyOf(start + guess - 1)) === key) {
    inside = start + guess - 1;
    if (inside === last || (await keyOf(inside + 1)) !== key) return inside;
    inside++;
  }
  for (let step = Math.max(1, guess); outside === count;) {
    const probe = inside + step;
    if (probe > last) break;
    if ((await keyOf(probe)) === key) {
      inside = probe;
      step *= 2;
    } else {
      outside = probe;
    }
  }
  while (outside - inside > 1) {
    const middle = inside + Math.floor((outside - inside) / 2);
    if ((await keyOf(middle)) === key) inside = middle;
    else outside = middle;
  }
  return inside;
}

function checkPrimaryOrder(file: SEGYFile, segments: readonly SEGYSegment[], next: SEGYSegment, primaryKeyName: string): void {
  if (segments.length === 0) return;
  const previous = segments[segments.length - 1]!;
  const ascending = segments.length >= 2 ? segments[0]!.primaryKey < segments[1]!.primaryKey : next.primaryKey > previous.primaryKey;
  const inOrder = ascending ? next.primaryKey > previous.primaryKey : next.primaryKey < previous.primaryKey;
  if (!inOrder) {
    throw new SegyFormatError(`${file.name}: primary key (${primaryKeyName}) values are not sorted: ${next.primaryKey} at trace ${next.traceStart} ` +
      `(byte ${file.traceOffset(next.traceStart)}) follows ` +
      `${previous.primaryKey} (traces ${previous.traceStart}-${previous.traceStop}); choose another primary key or check the header byte locations`);
  }
}

/**
 * Trace headers that declare a sample interval different from the file's show that traces are
 * not where the sample count and format put them (missing trace headers, wrong sample count).
 */
function checkTraceHeader(file: SEGYFile, trace: number, header: Uint8Array): void {
  const interval = readHeaderField(header, TraceHeaderFields.sampleinterval, file.headerEndianness) & 0xffff;
  if (interval !== 0 && file.sampleInterval !== 0 && interval !== file.sampleInterval) {
    throw new SegyFormatError(`${file.name}: trace ${trace} (byte ${file.traceOffset(trace)}) has a header declaring a ${interval} µs sample interval ` +
      `but the file's is ${file.sampleInterval} µs: the trace headers are missing or not ${file.traceByteSize} bytes apart ` +
      `(${file.sampleCount} samples per trace is wrong)`);
  }
}
