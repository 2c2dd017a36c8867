// CompressionMethod RLE (format sheet 3.3): runs of 1-, 2-, 4- or 8-byte units, literal or repeated,
// behind a 12-byte header. The encoder makes the same run decisions as OpenVDS, so its output is
// byte-identical to OpenVDS's.
import { CompressionMethod, VolumeDataFormat } from '../model/enums.js';
import { ChunkFormatError } from '../model/errors.js';
import { formatByteSize } from '../model/formats.js';
import { type ChunkCodec, formatTraits } from './codec.js';
import type { BlockShape } from '../model/block.js';
import {
  DATA_BLOCK_DESCRIPTOR_BYTES, payloadByteSize, payloadSizeError, readDataBlockDescriptor, writeDataBlockDescriptor,
} from './dataBlock.js';

const RLE_HEADER_BYTES = 12;
const MAX_RUN = 1 << 14;
const EXTENDED = 0x80;
const LITERAL = 0x40;
/** Runs longer than this many units take a second length byte. */
const MIN_LONG_LITERAL = 65;

/** The unit runs are made of: element × components when that is 1, 2, 4 or 8 bytes, else the element. */
function rleUnitSize(shape: Pick<BlockShape, 'format' | 'components'>): number {
  if (shape.format === VolumeDataFormat.Format_1Bit) return 1;
  const element = formatByteSize(shape.format);
  const whole = element * shape.components;
  return [1, 2, 4, 8].includes(whole) ? whole : element;
}

export const rleCodec: ChunkCodec = {
  method: CompressionMethod.RLE,
  ...formatTraits(CompressionMethod.RLE),
  decode(chunk, { shape }) {
    const stored = readDataBlockDescriptor(chunk, shape);
    const expected = payloadByteSize(stored);
    if (chunk.byteLength < DATA_BLOCK_DESCRIPTOR_BYTES + RLE_HEADER_BYTES) throw new ChunkFormatError('RLE chunk is truncated: no RLE header');
    const view = new DataView(chunk.buffer, chunk.byteOffset + DATA_BLOCK_DESCRIPTOR_BYTES, RLE_HEADER_BYTES);
    const compressedSize = view.getInt32(0, true);
    const originalSize = view.getInt32(4, true);
    const unit = view.getInt32(8, true);
    if (originalSize !== expected) throw payloadSizeError(`RLE header says ${originalSize} decoded bytes, the chunk needs ${expected}`, stored, originalSize);
    if (unit !== rleUnitSize(stored)) throw new ChunkFormatError(`RLE header has unit size ${unit}, expected ${rleUnitSize(stored)}`);
    if (compressedSize < RLE_HEADER_BYTES || compressedSize > chunk.byteLength - DATA_BLOCK_DESCRIPTOR_BYTES) {
      throw new ChunkFormatError(`RLE header says ${compressedSize} compressed bytes, the chunk has ${chunk.byteLength - DATA_BLOCK_DESCRIPTOR_BYTES}`);
    }
    const runs = chunk.subarray(DATA_BLOCK_DESCRIPTOR_BYTES + RLE_HEADER_BYTES, DATA_BLOCK_DESCRIPTOR_BYTES + compressedSize);
    return { format: stored.format, bytes: rleDecode(runs, originalSize, unit), converted: false };
  },
  encode(payload, { shape }) {
    const unit = rleUnitSize(shape);
    const body = rleEncode(payload, unit);
    const out = new Uint8Array(DATA_BLOCK_DESCRIPTOR_BYTES + RLE_HEADER_BYTES + body.byteLength);
    writeDataBlockDescriptor(out, shape);
    const view = new DataView(out.buffer, DATA_BLOCK_DESCRIPTOR_BYTES, RLE_HEADER_BYTES);
    view.setInt32(0, RLE_HEADER_BYTES + body.byteLength, true);
    view.setInt32(4, payload.byteLength, true);
    view.setInt32(8, unit, true);
    out.set(body, DATA_BLOCK_DESCRIPTOR_BYTES + RLE_HEADER_BYTES);
    return { bytes: out };
  },
};

export function rleDecode(runs: Uint8Array, originalSize: number, unit: number): Uint8Array {
  const out = new Uint8Array(originalSize);
  let read = 0, written = 0;
  while (written < originalSize) {
    if (read >= runs.length) throw new ChunkFormatError(`RLE data ends after ${written} of ${originalSize} bytes`);
    const u0 = runs[read++]!;
    let length = u0 & 0x3f;
    if (u0 & EXTENDED) {
      if (read >= runs.length) throw new ChunkFormatError('RLE data ends inside a run length');
      length |= runs[read++]! << 6;
    }
    const bytes = (length + 1) * unit;
    if (written + bytes > originalSize) throw new ChunkFormatError(`RLE run of ${bytes} bytes overflows the ${originalSize}-byte block`);
    if (u0 & LITERAL) {
      if (read + bytes > runs.length) throw new ChunkFormatError('RLE data ends inside a literal run');
      out.set(runs.subarray(read, read + bytes), written);
      read += bytes;
    } else {
      if (read + unit > runs.length) throw new ChunkFormatError('RLE data ends inside a repeat run');
      const value = runs.subarray(read, read + unit);
      read += unit;
      if (unit === 1) out.fill(value[0]!, written, written + bytes);
      else for (let at = written; at < written + bytes; at += unit) out.set(value, at);
    }
    written += bytes;
  }
  return out;
}

/** Unit `i` of `units` (as 32-bit words: one per unit, two for 8-byte units) equals unit `j`. */
type UnitEquals = (i: number, j: number) => boolean;

function unitComparer(payload: Uint8Array, unit: number): UnitEquals {
  const aligned = payload.byteOffset % 4 === 0 ? payload : payload.slice();
  switch (unit) {
    case 1: return (i, j) => aligned[i] === aligned[j];
    case 2: { const a = new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2); return (i, j) => a[i] === a[j]; }
    case 4: { const a = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4); return (i, j) => a[i] === a[j]; }
    default: {
      const a = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
      return (i, j) => a[2 * i] === a[2 * j] && a[2 * i + 1] === a[2 * j + 1];
    }
  }
}

/**
 * The most bytes `rleEncode` can produce for `byteLength` bytes of `unit`-byte units.
 *
 * Only literal runs grow the data: by their 1-byte length, or 2 bytes past 64 units. A literal
 * ends at the 16384-unit cap, at the end of the data, or right before a repeat run, which the
 * encoder starts only for 2 equal units (3 for 1-byte units) and which saves at least
 * `2·unit − (1 + unit)` bytes (`3 − 2` for 1-byte units). So a literal with the repeat that ends
 * it grows the data by at most one byte, and only when the literal has 65 or more units (65 + 2
 * units for 2-byte units, 65 + 3 for 1-byte ones — the repeated 65-distinct-then-2-equal U16
 * pattern reaches this); for 4- and 8-byte units the repeat saves more than the literal costs.
 * Capped literals and the last one add at most 2 bytes each.
 */
export function rleEncodedBound(byteLength: number, unit: number): number {
  const count = byteLength / unit;
  const pairUnits = unit === 1 ? MIN_LONG_LITERAL + 3 : unit === 2 ? MIN_LONG_LITERAL + 2 : Infinity;
  return byteLength + 2 + 2 * Math.floor(count / MAX_RUN) + Math.floor(count / pairUnits);
}

export function rleEncode(payload: Uint8Array, unit: number): Uint8Array {
  const count = payload.byteLength / unit;
  const equals = unitComparer(payload, unit);
  const out = new Uint8Array(rleEncodedBound(payload.byteLength, unit));
  let written = 0;
  let at = 0;
  while (at < count) {
    const limit = Math.min(MAX_RUN, count - at);
    const start = at;
    let literal: boolean;
    if (count - at >= 2 && equals(at, at + 1)) {
      literal = false;
      while (at - start < limit && equals(at, start)) at++;
    } else {
      literal = true;
      while (at - start < limit) {
        const left = limit - (at - start);
        if (unit === 1 ? left >= 3 && equals(at, at + 1) && equals(at, at + 2) : left >= 2 && equals(at, at + 1)) break;
        at++;
      }
    }
    const length = at - start;
    const u0 = ((length - 1) & 0x3f) | (literal ? LITERAL : 0);
    const u1 = (length - 1) >> 6;
    if (u1) { out[written++] = u0 | EXTENDED; out[written++] = u1; } else out[written++] = u0;
    const bytes = literal ? length * unit : unit;
    out.set(payload.subarray(start * unit, start * unit + bytes), written);
    written += bytes;
  }
  return out.subarray(0, written);
}
