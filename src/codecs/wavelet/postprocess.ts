// Steps after the inverse transform, in OpenVDS order (format sheet 3.6.8): no-values,
// normalization, zero runs, lossless residual. All work on the padded working buffer.
import type { BandStructure } from './bandStructure.js';
import { fseDecode } from './fse.js';
import { NORMALIZE_BLOCK_SIZE, type NoValueSection } from './header.js';
import { requireBytes, waveletError } from './streamError.js';

const f32 = Math.fround;

/** Decodes the run-length coded no-value mask: `ceil(X/32)` words per row, rows y-fastest. */
export function decodeNoValueMask(chunk: Uint8Array, section: NoValueSection, bands: BandStructure): Uint32Array {
  const [sx, sy, sz] = bands.size;
  const wordsPerRow = (sx + 31) >> 5;
  const mask = new Uint32Array(wordsPerRow * sy * sz);
  const totalBits = mask.length * 32;
  let read = section.offset;
  const end = section.offset + section.byteLength;
  let bit = 0;
  while (bit < totalBits) {
    if (read >= end) throw waveletError(`no-value runs end after ${bit} of ${totalBits} bits`);
    const head = chunk[read++]!;
    const extra = (head >> 1) & 3;
    if (read + extra > end) throw waveletError('no-value run length runs past its block');
    let length = head >>> 3;
    for (let e = 0; e < extra; e++) length += chunk[read++]! * 2 ** (5 + 8 * e);
    if (head & 1) {
      if (bit + length > totalBits) throw waveletError(`no-value run of ${length} bits passes the end of the mask`);
      for (const stop = bit + length; bit < stop; bit++) mask[bit >> 5]! |= 1 << (bit & 31);
    } else {
      bit += length;
    }
  }
  return mask;
}

export function applyNoValues(picture: Float32Array, mask: Uint32Array, bands: BandStructure, replacement: number): void {
  const [sx, sy, sz] = bands.size;
  const { pitchY, pitchZ } = bands;
  let word = 0;
  for (let z = 0; z < sz; z++) {
    for (let y = 0; y < sy; y++) {
      const row = y * pitchY + z * pitchZ;
      for (let x0 = 0; x0 < sx; x0 += 32) {
        const bits = mask[word++]!;
        if (!bits) continue;
        const samples = Math.min(32, sx - x0);
        for (let i = 0; i < samples; i++) if ((bits >>> i) & 1) picture[row + x0 + i] = replacement;
      }
    }
  }
}

/** Trilinear interpolation of the 8³-block factors; Y and Z are end-checked against the X count (OpenVDS quirk). */
function normalizedValue(field: Float32Array, x: number, y: number, z: number, nx: number, ny: number, nz: number): number {
  const shift = f32(f32(3.5) / 8);
  let rx = f32(f32(x / 8) - shift), ry = f32(f32(y / 8) - shift), rz = f32(f32(z / 8) - shift);
  let ix = Math.floor(rx), iy = Math.floor(ry), iz = Math.floor(rz);
  if (ix === nx - 1) ix -= 1;
  if (iy === nx - 1) iy -= 1;
  if (iz === nx - 1) iz -= 1;
  let ix1 = ix + 1, iy1 = iy + 1, iz1 = iz + 1;
  ix = Math.max(ix, 0); iy = Math.max(iy, 0); iz = Math.max(iz, 0);
  ix1 = Math.min(Math.max(ix1, 0), nx - 1); iy1 = Math.min(Math.max(iy1, 0), ny - 1); iz1 = Math.min(Math.max(iz1, 0), nz - 1);
  rx = Math.min(Math.max(f32(rx - ix), 0), 1);
  ry = Math.min(Math.max(f32(ry - iy), 0), 1);
  rz = Math.min(Math.max(f32(rz - iz), 0), 1);
  const at = (a: number, b: number, c: number) => field[a + b * nx + c * nx * ny]!;
  const lerp = (p: number, q: number, t: number) => f32(f32(f32(q - p) * t) + p);
  const x0 = lerp(at(ix, iy, iz), at(ix1, iy, iz), rx);
  const x2 = lerp(at(ix, iy1, iz), at(ix1, iy1, iz), rx);
  const x4 = lerp(at(ix, iy, iz1), at(ix1, iy, iz1), rx);
  const x6 = lerp(at(ix, iy1, iz1), at(ix1, iy1, iz1), rx);
  const value = lerp(lerp(x0, x2, ry), lerp(x4, x6, ry), rz);
  return value < f32(1e-22) ? f32(1e-22) : value;
}

export function applyNormalization(picture: Float32Array, view: DataView, fieldOffset: number, bands: BandStructure): void {
  const [sx, sy, sz] = bands.size;
  const nx = Math.ceil(sx / NORMALIZE_BLOCK_SIZE), ny = Math.ceil(sy / NORMALIZE_BLOCK_SIZE), nz = Math.ceil(sz / NORMALIZE_BLOCK_SIZE);
  const field = new Float32Array(nx * ny * nz);
  for (let i = 0; i < field.length; i++) field[i] = view.getFloat32(fieldOffset + 4 * i, true);
  const { pitchY, pitchZ } = bands;
  for (let z = 0; z < sz; z++) {
    for (let y = 0; y < sy; y++) {
      for (let x = 0; x < sx; x++) {
        const p = x + y * pitchY + z * pitchZ;
        picture[p] = f32(picture[p]! * normalizedValue(field, x, y, z, nx, ny, nz));
      }
    }
  }
}

/** One byte per row from a count block: constant, raw or FSE. Returns the offset after it. */
function readCountBlock(chunk: Uint8Array, view: DataView, offset: number, end: number, out: Uint8Array): number {
  requireBytes(offset, 4, end, 'zero-run count block');
  const size = view.getInt32(offset, true);
  offset += 4;
  if (size === 0) {
    requireBytes(offset, 4, end, 'zero-run constant count');
    out.fill(view.getInt32(offset, true) & 0xff);
    return offset + 4;
  }
  if (size < 0) {
    if (-size !== out.length) throw waveletError(`zero-run raw counts hold ${-size} bytes, expected ${out.length}`);
    requireBytes(offset, out.length, end, 'zero-run raw counts');
    out.set(chunk.subarray(offset, offset + out.length));
    return offset + out.length;
  }
  requireBytes(offset, size, end, 'zero-run FSE counts');
  fseDecode(chunk.subarray(offset, offset + size), out);
  return offset + size;
}

/** Section A: the first `count` samples of each row become 0. */
export function applyZeroRuns(picture: Float32Array, chunk: Uint8Array, view: DataView, block: { offset: number; byteSize: number }, bands: BandStructure): void {
  const [sx, sy, sz] = bands.size;
  const rows = sy * sz;
  const end = block.offset + block.byteSize;
  const low = new Uint8Array(rows);
  let pos = readCountBlock(chunk, view, block.offset + 4, end, low);
  let high: Uint8Array | null = null;
  if (sx >= 256) {
    high = new Uint8Array(rows);
    pos = readCountBlock(chunk, view, pos, end, high);
  }
  const { pitchY, pitchZ } = bands;
  for (let z = 0; z < sz; z++) {
    for (let y = 0; y < sy; y++) {
      const row = y + z * sy;
      const count = low[row]! | (high ? high[row]! << 8 : 0);
      if (count > sx) throw waveletError(`zero run of ${count} samples in a row of ${sx}`);
      const start = y * pitchY + z * pitchZ;
      picture.fill(0, start, start + count);
    }
  }
}

const PLANE_ZERO = 0, PLANE_CONSTANT = 1, PLANE_RAW = -1;

/** Section E: four byte planes of an int32 residual XORed onto the f32 bits of each sample. */
export function applyLosslessResidual(picture: Float32Array, chunk: Uint8Array, view: DataView, offset: number, bands: BandStructure): number {
  const [sx, sy, sz] = bands.size;
  const count = sx * sy * sz;
  requireBytes(offset, 20, chunk.length, 'lossless block header');
  const sizes = [0, 1, 2, 3].map((i) => view.getInt32(offset + 4 + 4 * i, true));
  let pos = offset + 20;
  const planes: (Uint8Array | number)[] = sizes.map((size, i) => {
    if (size === PLANE_ZERO) return 0;
    if (size === PLANE_CONSTANT) {
      requireBytes(pos, 1, chunk.length, `lossless plane ${i}`);
      return chunk[pos++]!;
    }
    const bytes = size === PLANE_RAW ? count : size;
    if (bytes < 0) throw waveletError(`lossless plane ${i} has size ${size}`);
    requireBytes(pos, bytes, chunk.length, `lossless plane ${i}`);
    const src = chunk.subarray(pos, pos + bytes);
    pos += bytes;
    if (size === PLANE_RAW) return src;
    const out = new Uint8Array(count);
    fseDecode(src, out);
    return out;
  });
  const bits = new Int32Array(picture.buffer, picture.byteOffset, picture.length);
  const plane = (i: number) => planes[i]!;
  const [p0, p1, p2, p3] = [plane(0), plane(1), plane(2), plane(3)];
  const constant = (p: Uint8Array | number, shift: number) => (typeof p === 'number' ? p << shift : 0);
  const fixed = constant(p0, 0) | constant(p1, 8) | constant(p2, 16) | constant(p3, 24);
  const a0 = typeof p0 === 'number' ? null : p0, a1 = typeof p1 === 'number' ? null : p1;
  const a2 = typeof p2 === 'number' ? null : p2, a3 = typeof p3 === 'number' ? null : p3;
  const { pitchY, pitchZ } = bands;
  let v = 0;
  for (let z = 0; z < sz; z++) {
    for (let y = 0; y < sy; y++) {
      const row = y * pitchY + z * pitchZ;
      for (let x = 0; x < sx; x++, v++) {
        let residual = fixed;
        if (a0) residual |= a0[v]!;
        if (a1) residual |= a1[v]! << 8;
        if (a2) residual |= a2[v]! << 16;
        if (a3) residual |= a3[v]! << 24;
        bits[row + x]! ^= residual;
      }
    }
  }
  return pos;
}
