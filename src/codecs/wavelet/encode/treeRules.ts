// The coefficient tree as the decoder walks it (format sheet 3.6.4/3.6.5), from the encoder's
// side: which positions a node's children are, and how they group into "multiple" and "single"
// values. Must follow adaptiveStream.ts's expansion rule for rule, order for order: the decoder
// only learns positions from this walk.
import { AXIS_MASK, type BandStructure, ITERATION_SHIFT, packPosition, Y_SHIFT, Z_SHIFT } from '../bandStructure.js';
import type { CompiledTransform } from '../transformData.js';

export interface TreeSink {
  /** A multiple value: `M` coefficients at `linear + displacement[c]` (see `TreeRules.displacement`). */
  multiple(linearBase: number): void;
  single(linear: number): void;
  /** A child node (packed position with its iteration) and its sub-band reference. */
  node(packed: number, ref: number): void;
}

export interface TreeRules {
  allNormal: boolean;
  /** Coefficients per multiple value. */
  multiple: number;
  /** Linear offsets of a multiple value's coefficients from its base, in stream order. */
  displacement: Int32Array;
  /** The initial (coarsest detail) nodes and their references. */
  initialNodes: Int32Array;
  initialRefs: Int32Array;
  /** Linear picture position of a packed position. */
  linear(packed: number): number;
  /** A node that became significant: its values (`toValues`) or its child nodes. */
  expand(node: number, ref: number, toValues: boolean, sink: TreeSink): void;
}

function subMaskOffsets(mask: number, at: (x: number, y: number, z: number) => number): number[] {
  const out: number[] = [];
  for (let c = 0; c < 8; c++) if ((c & mask) === c) out.push(at(c & 1, (c >> 1) & 1, (c >> 2) & 1));
  return out;
}

export function createTreeRules(bands: BandStructure, compiled: CompiledTransform, coarsest: { positions: Int32Array; sectors: Uint8Array }): TreeRules {
  const ITER = ITERATION_SHIFT, XMASK = AXIS_MASK;
  const { pitchY, pitchZ, masks, dimensionality } = bands;
  const allNormal = compiled.allNormal;
  const children = masks.map((m) => (m & 1 ? 2 : 1) * (m & 2 ? 2 : 1) * (m & 4 ? 2 : 1));
  const idealChild = 1 << dimensionality;
  const multiple = allNormal ? (bands.iterations > 1 ? children[1]! : 1) : idealChild;
  const maskFirst = bands.iterations > 1 ? masks[1]! : 0;
  const allNormalDouble = (maskFirst & 1 ? XMASK : 0) | (maskFirst & 2 ? XMASK << Y_SHIFT : 0) | (maskFirst & 4 ? XMASK << Z_SHIFT : 0);
  const linearAt = (x: number, y: number, z: number) => x + y * pitchY + z * pitchZ;
  const packedChildOffsets = subMaskOffsets(maskFirst, packPosition);
  const linearOffsets = subMaskOffsets(7, linearAt);
  const packedOffsets = subMaskOffsets(7, packPosition);
  const displacement = Int32Array.from(subMaskOffsets(allNormal ? maskFirst : 7, linearAt).slice(0, multiple));
  const linear = (p: number) => (p & XMASK) + ((p >> Y_SHIFT) & XMASK) * pitchY + ((p >> Z_SHIFT) & XMASK) * pitchZ;
  const { subBands } = compiled;

  const initialNodes = new Int32Array(coarsest.positions.length);
  const initialRefs = new Int32Array(coarsest.positions.length);
  for (let i = 0; i < initialNodes.length; i++) {
    initialNodes[i] = coarsest.positions[i]! | ((bands.iterations - 1) << ITER);
    initialRefs[i] = allNormal ? 0 : compiled.firstRef[coarsest.sectors[i]!]!;
  }

  const expand = (node: number, ref: number, toValues: boolean, sink: TreeSink): void => {
    const it = node >>> ITER;
    const xyz = node & ((1 << ITER) - 1);
    if (allNormal) {
      const child = xyz + (xyz & allNormalDouble);
      if (toValues) sink.multiple(linear(child));
      else for (let c = 0; c < packedChildOffsets.length; c++) sink.node((child + packedChildOffsets[c]!) | ((it - 1) << ITER), 0);
      return;
    }
    const info = ref ? subBands[ref]! : undefined;
    const x = xyz & XMASK, y = (xyz >> Y_SHIFT) & XMASK, z = (xyz >> Z_SHIFT) & XMASK;
    const childIteration = (it - 1) << ITER;
    if (!info || info.isNormal) {
      const childRef = info ? info.normalChildRef : 0;
      if (children[it] === idealChild) {
        const doubled = xyz + xyz;
        if (toValues) sink.multiple(linear(doubled));
        else for (let c = 0; c < idealChild; c++) sink.node((doubled + packedOffsets[c]!) | childIteration, childRef);
        return;
      }
      const mask = masks[it]!;
      const nx = mask & 1 ? x << 1 : x, ny = mask & 2 ? y << 1 : y, nz = mask & 4 ? z << 1 : z;
      for (let d = 0; d <= mask; d++) {
        if ((d & mask) !== d) continue;
        if (toValues) sink.single(linearAt(nx, ny, nz) + linearOffsets[d]!);
        else sink.node(packPosition(nx + (d & 1), ny + ((d >> 1) & 1), nz + ((d >> 2) & 1)) | childIteration, childRef);
      }
      return;
    }
    const [cx, cy, cz] = info.childCount;
    const rx = (x - info.pos[0]) * cx, ry = (y - info.pos[1]) * cy, rz = (z - info.pos[2]) * cz;
    for (const band of info.children) {
      const px = band.start[0] + rx, py = band.start[1] + ry, pz = band.start[2] + rz;
      const [lx, ly, lz] = band.legalEdge;
      const ax = x === band.extraEdge[0] ? cx + 1 : cx;
      const ay = y === band.extraEdge[1] ? cy + 1 : cy;
      const az = z === band.extraEdge[2] ? cz + 1 : cz;
      if (toValues && ax * ay * az === idealChild && px + ax <= lx && py + ay <= ly && pz + az <= lz) {
        sink.multiple(linearAt(px, py, pz));
        continue;
      }
      for (let iz = 0; iz < az; iz++) {
        for (let iy = 0; iy < ay; iy++) {
          for (let ix = 0; ix < ax; ix++) {
            const qx = px + ix, qy = py + iy, qz = pz + iz;
            if (qx >= lx || qy >= ly || qz >= lz) continue;
            if (toValues) sink.single(linearAt(qx, qy, qz));
            else sink.node(packPosition(qx, qy, qz) | childIteration, band.ref);
          }
        }
      }
    }
  };

  return { allNormal, multiple, displacement, initialNodes, initialRefs, linear, expand };
}
