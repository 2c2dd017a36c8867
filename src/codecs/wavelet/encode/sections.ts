// The stream sections around the adaptive stream (format sheet 3.6.2, 3.6.8): the run-length coded
// no-value mask (section B) and the lossless residual planes (section E).
import { ByteWriter } from './byteWriter.js';
import { fseEncode } from './fseEncode.js';

/** Run lengths fit 5 + 3·8 bits. */
const MAX_RUN = 2 ** 29 - 1;

/**
 * Section B's bit stream: `ceil(X/32)` 32-bit words per row over `Y·Z` rows (padding bits clear),
 * as runs of a head byte (value, number of extra length bytes, low 5 length bits) plus extras.
 */
export function encodeNoValueRuns(isNoValue: Uint8Array, size: [number, number, number]): Uint8Array {
  const [sx, sy, sz] = size;
  const rowBits = ((sx + 31) >> 5) * 32;
  const out = new ByteWriter(64);
  const emit = (value: number, length: number) => {
    while (length > 0) {
      const run = Math.min(length, MAX_RUN);
      const extra = run < 2 ** 5 ? 0 : run < 2 ** 13 ? 1 : run < 2 ** 21 ? 2 : 3;
      const at = out.reserve(1 + extra);
      out.bytes[at] = value | (extra << 1) | ((run & 31) << 3);
      for (let e = 0; e < extra; e++) out.bytes[at + 1 + e] = Math.floor(run / 2 ** (5 + 8 * e)) & 0xff;
      length -= run;
    }
  };
  let value = 0, length = 0;
  const bit = (b: number) => {
    if (b === value) { length++; return; }
    emit(value, length);
    value = b;
    length = 1;
  };
  for (let row = 0, v = 0; row < sy * sz; row++) {
    for (let x = 0; x < sx; x++) bit(isNoValue[v++]!);
    for (let x = sx; x < rowBits; x++) bit(0);
  }
  emit(value, length);
  return out.result();
}

const PLANE_ZERO = 0, PLANE_CONSTANT = 1, PLANE_RAW = -1;

/**
 * Section E: the residual (XOR of f32 bit patterns) split into four byte planes, each stored as
 * zero, one constant byte, FSE or raw bytes, whichever is smallest.
 */
export function encodeLosslessBlock(residual: Uint32Array, out: ByteWriter): void {
  const count = residual.length;
  const planes = [0, 1, 2, 3].map((i) => {
    const plane = new Uint8Array(count);
    for (let v = 0; v < count; v++) plane[v] = residual[v]! >>> (8 * i);
    return plane;
  });
  out.int32(0);
  const stored = planes.map((plane): { size: number; bytes: Uint8Array } => {
    if (plane.every((b) => b === 0)) return { size: PLANE_ZERO, bytes: new Uint8Array(0) };
    if (plane.every((b) => b === plane[0])) return { size: PLANE_CONSTANT, bytes: plane.subarray(0, 1) };
    const fse = fseEncode(plane);
    return fse ? { size: fse.length, bytes: fse } : { size: PLANE_RAW, bytes: plane };
  });
  for (const { size } of stored) out.int32(size);
  for (const { bytes } of stored) out.append(bytes);
}
