// Band structure of the transform: repeated halving of the block (format sheet 3.6.3) and the
// padded working buffer the coefficients live in.
import type { Vec3 } from './header.js';

const BAND_MIN_SIZE = 8;
/** Packed positions: 9 bits per axis, the tree iteration above them. */
export const Y_SHIFT = 9;
export const Z_SHIFT = 18;
export const ITERATION_SHIFT = 27;
export const AXIS_MASK = (1 << 9) - 1;

export const packPosition = (x: number, y: number, z: number): number => x | (y << Y_SHIFT) | (z << Z_SHIFT);

export interface BandStructure {
  dimensionality: 1 | 2 | 3;
  size: Vec3;
  /** Padded sizes of the working buffer: 1 stays 1, anything else rounds up to 8. */
  allocated: Vec3;
  pitchY: number;
  pitchZ: number;
  /** Number of transform iterations T. */
  iterations: number;
  /** band[0..T]: band[i] is the region iteration i works on, band[T] the low-pass block. */
  bands: Vec3[];
  /** Axes halved at each iteration (bit 1 = x, 2 = y, 4 = z); masks[T] = 0. */
  masks: number[];
}

const allocatedLength = (n: number) => (n === 1 ? 1 : (n + 7) & ~7);

export function createBandStructure(dimensionality: 1 | 2 | 3, size: Vec3): BandStructure {
  const bands: Vec3[] = [];
  const masks: number[] = [];
  let [x, y, z] = size;
  while (x >= BAND_MIN_SIZE || y >= BAND_MIN_SIZE || z >= BAND_MIN_SIZE) {
    bands.push([x, y, z]);
    const mask = (x >= BAND_MIN_SIZE ? 1 : 0) | (y >= BAND_MIN_SIZE ? 2 : 0) | (z >= BAND_MIN_SIZE ? 4 : 0);
    if (mask & 1) x = (x + 1) >> 1;
    if (mask & 2) y = (y + 1) >> 1;
    if (mask & 4) z = (z + 1) >> 1;
    masks.push(mask);
  }
  const iterations = masks.length;
  bands.push([x, y, z]);
  masks.push(0);
  if (iterations === 0) bands.push([x, y, z]);
  const allocated: Vec3 = [allocatedLength(size[0]), allocatedLength(size[1]), allocatedLength(size[2])];
  return { dimensionality, size, allocated, pitchY: allocated[0], pitchZ: allocated[0] * allocated[1], iterations, bands, masks };
}

export const volume = (v: Vec3): number => v[0] * v[1] * v[2];

/** Positions of the start values: the low-pass block (all of band 0 when T = 1), z, y, x order. */
export function lowPassBox(bands: BandStructure): Vec3 {
  return bands.iterations === 1 ? bands.bands[0]! : bands.bands[bands.iterations]!;
}

export interface CoarsestDetail {
  /** Packed positions in start order. */
  positions: Int32Array;
  /** Sector (1..7) of each position. */
  sectors: Uint8Array;
}

/** The detail coefficients of the coarsest iteration: the initial tree nodes (T > 1 only). */
export function coarsestDetail(bands: BandStructure): CoarsestDetail {
  const t = bands.iterations - 1;
  const positions: number[] = [];
  const sectors: number[] = [];
  if (t > 0) {
    const outer = bands.bands[t]!, inner = bands.bands[t + 1]!, mask = bands.masks[t]!;
    for (let sector = 1; sector < 8; sector++) {
      if ((sector & mask) !== sector) continue;
      const start = [0, 1, 2].map((a) => (sector & (1 << a) ? inner[a]! : 0));
      const end = [0, 1, 2].map((a) => (sector & (1 << a) ? outer[a]! : inner[a]!));
      for (let z = start[2]!; z < end[2]!; z++) {
        for (let y = start[1]!; y < end[1]!; y++) {
          for (let x = start[0]!; x < end[0]!; x++) {
            positions.push(packPosition(x, y, z));
            sectors.push(sector);
          }
        }
      }
    }
  }
  return { positions: Int32Array.from(positions), sectors: Uint8Array.from(sectors) };
}
