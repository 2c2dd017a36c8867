// Seeded random LOD cases for spec/lodRoundTrip.spec.ts: a volume spec for rxvds plus the
// independent model that predicts its reads. Kept apart from the spec so a case can also be
// written to a folder and cross-checked against the reference OpenVDS build.
import * as vds from '../../src/index.js';
import { LODModel, type ModelVolume, type Value } from './lodModel.js';
import type { NDVolumeSpec } from './lodVolumes.js';
import { pick, randomInt, type Random } from './random.js';

const F = vds.VolumeDataFormat;
export const FORMATS = [F.Format_R32, F.Format_U8, F.Format_U16, F.Format_R64, F.Format_U32, F.Format_U64, F.Format_1Bit];
export const METHODS = [vds.CompressionMethod.None, vds.CompressionMethod.RLE, vds.CompressionMethod.Zip];
export interface LODCase {
  spec: NDVolumeSpec;
  model: LODModel;
  label: string;
}

/** A no-value the channel can hold, per format (U8/U16 channels store it as the code 255/65535). */
function noValueFor(format: vds.VolumeDataFormat): { noValue: number; fill: Value } | undefined {
  switch (format) {
    case F.Format_R32: case F.Format_R64: return { noValue: -999.25, fill: -999.25 };
    case F.Format_U8: return { noValue: 3, fill: 255 };
    case F.Format_U16: return { noValue: 3, fill: 65535 };
    case F.Format_U32: return { noValue: 123456, fill: 123456 };
    case F.Format_U64: return { noValue: 123456, fill: 123456n };
    default: return undefined;
  }
}

/**
 * A value per position: a quarter of them the decimation marker (so the no-value skipping of 5.7
 * decides many LOD voxels), the others never the marker nor a U8/U16 no-value code.
 */
function valueFunction(format: vds.VolumeDataFormat, salt: number, marker: Value): (p: readonly number[]) => Value {
  const hash = (p: readonly number[]) => {
    let h = salt;
    for (const v of p) h = Math.imul(h ^ (v + 0x9e3779b9), 0x85ebca6b) ^ (h >>> 13);
    return (h ^ (h >>> 16)) >>> 0;
  };
  const data = dataFunction(format);
  return (p) => {
    const h = hash(p);
    return format !== F.Format_1Bit && h % 4 === 0 ? marker : data(h >>> 2);
  };
}

function dataFunction(format: vds.VolumeDataFormat): (h: number) => Value {
  switch (format) {
    case F.Format_R32: return (h) => 1 + (h % 1_000_000) / 4;
    case F.Format_R64: return (h) => 1 + h / 7;
    case F.Format_U8: return (h) => 1 + (h % 254);
    case F.Format_U16: return (h) => 1 + (h % 65534);
    case F.Format_U32: return (h) => 1 + h;
    case F.Format_U64: return (h) => BigInt(h) * 4294967311n + 1n;
    default: return (h) => (h >> 3) & 1;
  }
}

export function randomLODCase(random: Random, n: number): LODCase {
  const dimensionality = pick(random, [2, 3, 4]);
  const size = dimensionality === 2 ? [randomInt(random, 20, 160), randomInt(random, 20, 130)]
    : dimensionality === 3 ? [randomInt(random, 10, 80), randomInt(random, 10, 70), randomInt(random, 4, 45)]
      : [randomInt(random, 10, 45), randomInt(random, 8, 40), randomInt(random, 4, 24), randomInt(random, 2, 6)];
  const format = pick(random, FORMATS);
  const brickSize = pick(random, [vds.BrickSize.BrickSize_32, vds.BrickSize.BrickSize_64]);
  const margin = pick(random, [0, 4]);
  const lodLevels = pick(random, [vds.LODLevels.LODLevels_None, vds.LODLevels.LODLevels_1, vds.LODLevels.LODLevels_2, vds.LODLevels.LODLevels_2]);
  const noValue = random() < 0.5 ? noValueFor(format) : undefined;
  const spec: NDVolumeSpec = {
    size, format, method: pick(random, METHODS), brickSize, margin, lodLevels, noValue: noValue?.noValue, maxPages: randomInt(random, 1, 6),
  };
  const writtenSalt = randomInt(random, 0, 1 << 30);
  const unwrittenShare = pick(random, [0, 0.3, 0.5]);
  const wide = format === F.Format_U64;
  // Format sheet 5.7: floats skip the channel's no-value (0 without one), integers skip 0.
  const marker: Value = format === F.Format_R32 || format === F.Format_R64 ? Math.fround(noValue?.noValue ?? 0) : wide ? 0n : 0;
  const model = new LODModel({
    size,
    group: dimensionality === 2 ? [0, 1] : [0, 1, 2],
    internalBrick: 2 ** brickSize - 2 * margin,
    margin,
    lodLevels,
    fill: noValue?.fill ?? (wide ? 0n : 0),
    marker,
    bits: format === F.Format_1Bit,
    written: (indices) => unitHash(writtenSalt, indices) >= unwrittenShare,
    value: valueFunction(format, randomInt(random, 0, 1 << 30), marker),
  } satisfies ModelVolume);
  const label = `case ${n}: ${size.join('×')} ${F[format]} ${vds.CompressionMethod[spec.method]} brick ${2 ** brickSize} margin ${margin} ` +
    `LODs ${lodLevels} no-value ${noValue ? noValue.noValue : 'off'} unwritten ${unwrittenShare} maxPages ${spec.maxPages}`;
  return { spec, model, label };
}

/** A number in [0, 1) from chunk indices: which chunks a case leaves unwritten. */
function unitHash(salt: number, indices: readonly number[]): number {
  let h = salt;
  for (const i of indices) h = Math.imul(h ^ (i + 0x7f4a7c15), 0x2c1b3c6d) ^ (h >>> 15);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

export function randomBox(random: Random, size: readonly number[]): [number[], number[]] {
  const min = size.map((n) => randomInt(random, 0, n - 1));
  return [min, size.map((n, d) => randomInt(random, min[d]! + 1, n))];
}

