// LOD generation by decimation (format sheet 5.7): LOD voxel k takes source voxel 2k; a picked
// no-value is replaced by the first different neighbour of its 2×2×2 group (+x, +y, +x+y, +z, …),
// looking only inside the source block. 1Bit: a LOD bit is set if any source bit of its group is.
import { VolumeDataFormat } from '../model/enums.js';
import { typedView, type VolumeDataTypedArray } from '../model/formats.js';

export interface DownsampleBlock {
  bytes: Uint8Array;
  /** Elements along chunk-dimensions 0, 1, 2 (1 for unused ones). */
  size: readonly [number, number, number];
}

export interface DownsampleRegion {
  targetOffset: readonly [number, number, number];
  targetSize: readonly [number, number, number];
  sourceOffset: readonly [number, number, number];
  /** Chunk-dimension (0…2) that is not decimated, or -1. */
  fullResolutionDimension: number;
  /** Number of chunk dimensions of the block (1…3): neighbours are only read along these. */
  dimensionality: number;
}

/** One child block decimated into its parent, as plain data, so that it can run in a pool worker. */
export interface Decimation {
  /** The parent block (the target): only `region` of it is written. */
  parent: DownsampleBlock;
  /** The child block (the source): read only. */
  child: DownsampleBlock;
  region: DownsampleRegion;
  format: VolumeDataFormat;
  components: number;
  noValue: number;
}

type Elements = VolumeDataTypedArray;

export function downsampleRegion({ parent: target, child: source, region, format, components, noValue }: Decimation): void {
  if (format === VolumeDataFormat.Format_1Bit) {
    downsampleBits(target, source, region);
    return;
  }
  const multiComponentU8 = format === VolumeDataFormat.Format_U8 && components > 1;
  const view = (b: Uint8Array): Elements => elementsView(b, format, multiComponentU8 ? components : 1);
  const t = view(target.bytes), s = view(source.bytes);
  // Multi-component U8 data is decimated whole, without no-value handling (as OpenVDS does).
  const skipNoValue = !multiComponentU8;
  const marker = format === VolumeDataFormat.Format_R32 ? Math.fround(noValue)
    : format === VolumeDataFormat.Format_R64 ? noValue : format === VolumeDataFormat.Format_U64 ? 0n : 0;
  const factor = [0, 1, 2].map((d) => (d === region.fullResolutionDimension ? 1 : 2));
  const [fx, fy, fz] = factor as [number, number, number];
  const [tx0, ty0, tz0] = region.targetOffset;
  const [nx, ny, nz] = region.targetSize;
  const [sx0, sy0, sz0] = region.sourceOffset;
  const [tSizeX, tSizeY] = target.size;
  const [sSizeX, sSizeY, sSizeZ] = source.size;
  const sPitchY = sSizeX, sPitchZ = sSizeX * sSizeY;
  const readX = region.dimensionality >= 1, readY = region.dimensionality >= 2, readZ = region.dimensionality >= 3;
  for (let z = 0; z < nz; z++) {
    const sz = sz0 + z * fz;
    const nextZ = readZ && sz + 1 < sSizeZ;
    for (let y = 0; y < ny; y++) {
      const sy = sy0 + y * fy;
      const nextY = readY && sy + 1 < sSizeY;
      let ti = tx0 + (ty0 + y) * tSizeX + (tz0 + z) * tSizeX * tSizeY;
      let si = sx0 + sy * sPitchY + sz * sPitchZ;
      for (let x = 0; x < nx; x++, ti++, si += fx) {
        let value = s[si]!;
        if (skipNoValue && value === marker) {
          const nextX = readX && sx0 + x * fx + 1 < sSizeX;
          const candidates = [
            nextX ? si + 1 : -1, nextY ? si + sPitchY : -1, nextX && nextY ? si + 1 + sPitchY : -1,
            nextZ ? si + sPitchZ : -1, nextX && nextZ ? si + 1 + sPitchZ : -1, nextY && nextZ ? si + sPitchY + sPitchZ : -1,
            nextX && nextY && nextZ ? si + 1 + sPitchY + sPitchZ : -1,
          ];
          for (const c of candidates) {
            if (c >= 0 && value === marker) value = s[c]!;
          }
        }
        t[ti] = value as never;
      }
    }
  }
}

function downsampleBits(target: DownsampleBlock, source: DownsampleBlock, region: DownsampleRegion): void {
  const [tx0, ty0, tz0] = region.targetOffset;
  const [nx, ny, nz] = region.targetSize;
  const [sx0, sy0, sz0] = region.sourceOffset;
  const tRow = Math.ceil(target.size[0] / 8), sRow = Math.ceil(source.size[0] / 8);
  const fx = region.fullResolutionDimension === 0 ? 1 : 2;
  const fy = region.fullResolutionDimension === 1 ? 1 : 2;
  const fz = region.fullResolutionDimension === 2 ? 1 : 2;
  const bit = (row: number, x: number) => (source.bytes[row * sRow + (x >> 3)]! >> (x & 7)) & 1;
  for (let z = 0; z < nz; z++) {
    const sz = sz0 + z * fz;
    const zs = region.dimensionality >= 3 && sz + 1 < source.size[2] ? [sz, sz + 1] : [sz];
    for (let y = 0; y < ny; y++) {
      const sy = sy0 + y * fy;
      const ys = region.dimensionality >= 2 && sy + 1 < source.size[1] ? [sy, sy + 1] : [sy];
      const tRowIndex = (ty0 + y) + (tz0 + z) * target.size[1];
      for (let x = 0; x < nx; x++) {
        const sx = sx0 + x * fx;
        let set = 0;
        for (const zz of zs) for (const yy of ys) {
          const row = yy + zz * source.size[1];
          set |= bit(row, sx) | (sx + 1 < source.size[0] ? bit(row, sx + 1) : 0);
        }
        const tx = tx0 + x, at = tRowIndex * tRow + (tx >> 3);
        target.bytes[at] = set ? target.bytes[at]! | (1 << (tx & 7)) : target.bytes[at]! & ~(1 << (tx & 7));
      }
    }
  }
}

/** Elements as decimation moves them: multi-component U8 voxels whole (as one U16 or U32). */
function elementsView(bytes: Uint8Array, format: VolumeDataFormat, u8Components: number): Elements {
  const viewAs = u8Components === 4 ? VolumeDataFormat.Format_U32 : u8Components === 2 ? VolumeDataFormat.Format_U16 : format;
  return typedView(viewAs, bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
