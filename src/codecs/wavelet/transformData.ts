// Parent/child rules of the coefficient tree (format sheet 3.6.4): per transform level and
// sector the child sub-bands, and their compilation into the references the tree pass follows.
import type { Vec3 } from './header.js';
import type { BandStructure } from './bandStructure.js';

export interface ChildSubBand {
  start: Vec3;
  sector: number;
  /** Children at or beyond this edge do not exist. */
  legalEdge: Vec3;
  /** Parent coordinate that gets one extra child along the axis, or -1. */
  extraEdge: Vec3;
}

export interface SectorInfo {
  /** Start of the parent sub-band. */
  pos: Vec3;
  children: ChildSubBand[];
}

export interface TransformLevel {
  childCount: Vec3;
  child: number;
  isNormal: boolean;
  /** Indexed by sector 1..7; undefined for sectors the level does not have. */
  sectors: (SectorInfo | undefined)[];
}

const axisBit = (axis: number) => 1 << axis;
const pick = (sector: number, ifSet: Vec3, otherwise: Vec3): Vec3 =>
  [0, 1, 2].map((a) => (sector & axisBit(a) ? ifSet[a]! : otherwise[a]!)) as Vec3;

/** Levels 1..T-1 (index 0 unused): the child sub-bands of every sector. */
export function createTransformData({ iterations, bands, masks }: BandStructure): TransformLevel[] {
  const levels: TransformLevel[] = [];
  for (let i = 1; i < iterations; i++) {
    const mask = masks[i]!;
    const childCount = [0, 1, 2].map((a) => (mask & axisBit(a) ? 2 : 1)) as Vec3;
    const other = mask ^ masks[i - 1]!;
    const band = bands[i]!, inner = bands[i + 1]!, outerChild = bands[i - 1]!;
    let isNormal = other === 0;
    let addExtras = true;
    const sectors: (SectorInfo | undefined)[] = [];
    for (let sector = 1; sector < 8; sector++) {
      if ((sector & mask) !== sector) continue;
      const pos = pick(sector, inner, [0, 0, 0]);
      const childPos = pick(sector, band, [0, 0, 0]);
      const starts: { start: Vec3; sector: number }[] = [{ start: childPos, sector }];
      if (other) {
        for (let q = 1; q < 8; q++) {
          if ((other & q) === q) starts.push({ start: pick(q, band, childPos), sector: sector + q });
        }
        if (addExtras) {
          addExtras = false;
          for (let q = 1; q < 8; q++) {
            if ((other & q) === q) starts.push({ start: pick(sector, [0, 0, 0], pick(q, band, pos)), sector: q });
          }
        }
      }
      const startWrite = pick(sector, inner, [0, 0, 0]);
      const endWrite = pick(sector, band, inner);
      const delta = [0, 1, 2].map((a) => (endWrite[a]! - startWrite[a]!) * childCount[a]!) as Vec3;
      const children = starts.map(({ start, sector: childSector }) => {
        const legalEdge = pick(childSector, outerChild, band);
        const extraEdge: Vec3 = [-1, -1, -1];
        for (let a = 0; a < 3; a++) {
          if (startWrite[a]! * childCount[a]! !== start[a]!) isNormal = false;
          if (start[a]! + delta[a]! > legalEdge[a]!) isNormal = false;
          if (legalEdge[a]! - start[a]! > delta[a]!) {
            isNormal = false;
            extraEdge[a] = endWrite[a]! - 1;
          }
        }
        return { start, sector: childSector, legalEdge, extraEdge };
      });
      sectors[sector] = { pos, children };
    }
    levels[i] = { childCount, child: childCount[0] * childCount[1] * childCount[2], isNormal, sectors };
  }
  return levels;
}

/** A compiled sub-band as the tree pass sees it. Reference 0 means "normal all the way down". */
export interface CompiledSubBand {
  isNormal: boolean;
  /** For normal ones: the reference their children inherit. */
  normalChildRef: number;
  childCount: Vec3;
  pos: Vec3;
  children: { start: Vec3; legalEdge: Vec3; extraEdge: Vec3; ref: number }[];
}

export interface CompiledTransform {
  /** Index 0 is unused so that 0 can mean "no reference". */
  subBands: CompiledSubBand[];
  /** Reference of the initial nodes, per sector. */
  firstRef: number[];
  /** Every level 1..T-1 is normal: plain doubling everywhere. */
  allNormal: boolean;
}

function oneChildWithoutExtras(info: SectorInfo): ChildSubBand | undefined {
  const only = info.children.length === 1 ? info.children[0]! : undefined;
  return only && only.extraEdge.every((e) => e === -1) ? only : undefined;
}

/** Whether a non-normal sector may still be decoded as normal (the rule changed in 1.6). */
function treatedAsNormal(level: TransformLevel, info: SectorInfo, streamFix: boolean): boolean {
  const only = oneChildWithoutExtras(info);
  if (!only) return false;
  const [ex, ey, ez] = only.legalEdge;
  if (!streamFix) return !(ex & 1) && !(ey & 1) && (!(ez & 1) || level.child === 4);
  return only.legalEdge.every((edge, a) => !(edge & 1) || level.childCount[a] === 1);
}

export function compileTransformData(bands: BandStructure, levels: TransformLevel[], streamFix: boolean): CompiledTransform {
  const subBands: CompiledSubBand[] = [undefined as unknown as CompiledSubBand];
  const refs: number[][] = [];
  let allNormal = true;
  for (let t = 1; t < bands.iterations; t++) {
    const level = levels[t]!;
    refs[t] = [];
    if (!level.isNormal) allNormal = false;
    for (let sector = 1; sector < 8; sector++) {
      const info = level.sectors[sector];
      if (!info) continue;
      const below = t > 1 ? refs[t - 1]! : undefined;
      let ref = 0;
      if (level.isNormal || treatedAsNormal(level, info, streamFix)) {
        const childRef = below?.[sector] ?? 0;
        if (childRef) {
          ref = subBands.length;
          subBands.push({ isNormal: true, normalChildRef: childRef, childCount: level.childCount, pos: info.pos, children: [] });
        }
      } else {
        ref = subBands.length;
        subBands.push({
          isNormal: false,
          normalChildRef: 0,
          childCount: level.childCount,
          pos: info.pos,
          children: info.children.map((c) => ({ start: c.start, legalEdge: c.legalEdge, extraEdge: c.extraEdge, ref: below?.[c.sector] ?? 0 })),
        });
      }
      refs[t]![sector] = ref;
    }
  }
  const top = refs[bands.iterations - 1];
  const firstRef = Array.from({ length: 8 }, (_, sector) => top?.[sector] ?? 0);
  return { subBands, firstRef, allNormal };
}

/** Streams before 1.6 were written with a defect for this shape: the decoder must not overwrite. */
export function hasStreamEncodingBug(bands: BandStructure, levels: TransformLevel[]): boolean {
  for (let t = 1; t < bands.iterations; t++) {
    const level = levels[t]!;
    if (level.isNormal || level.child !== 4) continue;
    for (const info of level.sectors) {
      if (!info || !treatedAsNormal(level, info, false)) continue;
      if ((oneChildWithoutExtras(info)!.legalEdge[2] & 1) && level.childCount[2] > 1) return true;
    }
  }
  return false;
}
