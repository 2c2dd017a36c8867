// Tree pass over the adaptive stream (format sheet 3.6.5): follows the significance bits of the
// coefficient tree from the top bit-plane down to the decode level and collects where every
// coefficient value lives and where each bit-plane's magnitude and sign bits start.
import { AXIS_MASK, type BandStructure, ITERATION_SHIFT, packPosition, volume, Y_SHIFT, Z_SHIFT } from './bandStructure.js';
import type { CompiledTransform } from './transformData.js';
import { waveletError } from './streamError.js';
import { WAVELET_ADAPTIVE_LEVELS } from '../../model/adaptiveLevels.js';

/** Bit-plane counts are stored for the first 16 planes (the adaptive levels). */
const MAX_DECODE_BITS = 256;

// Local copies: imported bindings are slower to read in hot loops.
const XMASK = AXIS_MASK, YSHIFT = Y_SHIFT, ZSHIFT = Z_SHIFT, ITER = ITERATION_SHIFT;
const pack = packPosition;

export interface BitPlaneLayout {
  /** Absolute offset of each plane's magnitude bits, indexed by bit-plane. */
  offset: Int32Array;
  /** Values (coefficients) that exist at each bit-plane; index decodeBits + 1 is 0. */
  values: Int32Array;
}

export interface TreePassResult {
  /** Coefficients per multiple value. */
  multiple: number;
  /** Packed positions of the multiple values (AllNormal: of their parent node). */
  multiplePositions: Int32Array;
  multipleCount: number;
  /** Linear positions of the single values in the working buffer. */
  singlePositions: Int32Array;
  singleCount: number;
  multiplePlanes: BitPlaneLayout;
  singlePlanes: BitPlaneLayout;
  /** Offset (relative to the adaptive stream) reached after the decode level. */
  streamEnd: number;
}

export interface AdaptiveStreamInput {
  chunk: Uint8Array;
  view: DataView;
  /** Absolute offset of the adaptive stream and the bytes of it that are present. */
  offset: number;
  declaredSize: number;
  bands: BandStructure;
  compiled: CompiledTransform;
  initialNodes: Int32Array;
  initialSectors: Uint8Array;
  startValueCount: number;
  decodeBits: number;
  level: number;
}

/** Number of bit-planes: how often the start threshold halves (f32) before dropping below the threshold. */
export function countDecodeBits(threshold: number, startThreshold: number): number {
  if (!(threshold > 0) || !Number.isFinite(threshold)) throw waveletError(`threshold ${threshold} is not a positive number`);
  let bits = 0;
  for (let t = startThreshold; t >= threshold; t = Math.fround(t * 0.5)) {
    if (++bits > MAX_DECODE_BITS) throw waveletError(`start threshold ${startThreshold} needs more than ${MAX_DECODE_BITS} bit-planes`);
  }
  return bits - 1;
}

class Int32List {
  data: Int32Array;
  length = 0;
  constructor(initial: number, private readonly limit: number, private readonly what: string) {
    this.data = new Int32Array(Math.max(16, Math.min(initial, limit)));
  }
  push(value: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = value;
  }
  private grow(): void {
    if (this.length >= this.limit) throw waveletError(`more ${this.what} than the block has coefficients`);
    const next = new Int32Array(Math.min(this.limit, this.data.length * 2));
    next.set(this.data);
    this.data = next;
  }
}

/** Tree nodes: packed iteration and position, plus the sub-band reference (non-AllNormal). */
class NodeList {
  readonly node: Int32Array;
  readonly ref: Int32Array;
  length = 0;
  constructor(private readonly capacity: number) {
    this.node = new Int32Array(capacity);
    this.ref = new Int32Array(capacity);
  }
  push(node: number, ref: number): void {
    if (this.length === this.capacity) throw waveletError('coefficient tree has more nodes than the block has positions');
    this.node[this.length] = node;
    this.ref[this.length++] = ref;
  }
}

/** Offsets of the 2^dim (or mask[1]) children of a doubled position, in z, y, x order. */
function subMaskOffsets(mask: number, pack: (x: number, y: number, z: number) => number): number[] {
  const out: number[] = [];
  for (let c = 0; c < 8; c++) if ((c & mask) === c) out.push(pack(c & 1, (c >> 1) & 1, (c >> 2) & 1));
  return out;
}

export function decodeTreeStructure(input: AdaptiveStreamInput): TreePassResult {
  const { chunk, view, offset, bands, compiled, decodeBits, level } = input;
  const allNormal = compiled.allNormal;
  const present = Math.min(input.declaredSize, chunk.length - offset);
  const requireStream = (end: number, what: string) => {
    if (end <= present) return;
    if (end > input.declaredSize) throw waveletError(`${what} runs past the adaptive stream's ${input.declaredSize} bytes`);
    throw waveletError(`chunk prefix of ${chunk.length} bytes is too short for adaptive level ${level}: ${what} needs ${offset + end}`);
  };
  const countsBytes = (allNormal ? 1 : 2) * WAVELET_ADAPTIVE_LEVELS * 4;
  let pos = countsBytes + input.startValueCount * 4;
  requireStream(pos, 'start values');

  const { pitchY, pitchZ, masks, dimensionality } = bands;
  const children = masks.map((m) => (m & 1 ? 2 : 1) * (m & 2 ? 2 : 1) * (m & 4 ? 2 : 1));
  const idealChild = 1 << dimensionality;
  const multiple = allNormal ? (bands.iterations > 1 ? children[1]! : 1) : idealChild;
  const nodeCapacity = Math.max(1, volume(bands.bands[1]!));
  const coefficientCount = bands.allocated[0] * bands.allocated[1] * bands.allocated[2];
  const insig = new NodeList(nodeCapacity);
  const sig = new NodeList(nodeCapacity);
  const multiples = new Int32List(nodeCapacity, coefficientCount, 'multiple values');
  const singles = new Int32List(nodeCapacity, coefficientCount, 'single values');
  const { subBands } = compiled;
  const andMaskFirst = bands.iterations > 1 ? masks[1]! : 0;
  const allNormalDouble = (andMaskFirst & 1 ? XMASK : 0) | (andMaskFirst & 2 ? XMASK << YSHIFT : 0) | (andMaskFirst & 4 ? XMASK << ZSHIFT : 0);
  const packedChildOffsets = subMaskOffsets(andMaskFirst, pack);
  const linearOffsets = subMaskOffsets(7, (x, y, z) => x + y * pitchY + z * pitchZ);
  const packedOffsets = subMaskOffsets(7, pack);

  const initial = input.initialNodes;
  for (let i = 0; i < initial.length; i++) {
    insig.push(initial[i]! | ((bands.iterations - 1) << ITER), allNormal ? 0 : compiled.firstRef[input.initialSectors[i]!]!);
  }

  // Emits the values (insig pass) or child nodes (sig pass) of a node that became significant.
  const expand = (node: number, ref: number, toValues: boolean) => {
    const it = node >>> ITER;
    const xyz = node & ((1 << ITER) - 1);
    if (allNormal) {
      if (toValues) {
        multiples.push(node);
      } else {
        const child = node + (node & allNormalDouble) - (1 << ITER);
        for (let c = 0; c < packedChildOffsets.length; c++) insig.push(child + packedChildOffsets[c]!, 0);
      }
      return;
    }
    const info = ref ? subBands[ref]! : undefined;
    const x = xyz & XMASK, y = (xyz >> YSHIFT) & XMASK, z = (xyz >> ZSHIFT) & XMASK;
    if (!info || info.isNormal) {
      const childRef = info ? info.normalChildRef : 0;
      const childIteration = (it - 1) << ITER;
      if (children[it] === idealChild) {
        const doubled = xyz + xyz;
        if (toValues) multiples.push(doubled);
        else for (let c = 0; c < idealChild; c++) insig.push((doubled + packedOffsets[c]!) | childIteration, childRef);
        return;
      }
      const mask = masks[it]!;
      const nx = mask & 1 ? x << 1 : x, ny = mask & 2 ? y << 1 : y, nz = mask & 4 ? z << 1 : z;
      for (let d = 0; d <= mask; d++) {
        if ((d & mask) !== d) continue;
        if (toValues) singles.push(nx + ny * pitchY + nz * pitchZ + linearOffsets[d]!);
        else insig.push(pack(nx + (d & 1), ny + ((d >> 1) & 1), nz + ((d >> 2) & 1)) | childIteration, childRef);
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
        multiples.push(pack(px, py, pz));
        continue;
      }
      for (let iz = 0; iz < az; iz++) {
        for (let iy = 0; iy < ay; iy++) {
          for (let ix = 0; ix < ax; ix++) {
            const qx = px + ix, qy = py + iy, qz = pz + iz;
            if (qx >= lx || qy >= ly || qz >= lz) continue;
            if (toValues) singles.push(qx + qy * pitchY + qz * pitchZ);
            else insig.push(pack(qx, qy, qz) | ((it - 1) << ITER), band.ref);
          }
        }
      }
    }
  };

  // One round over the unprocessed tail of a list: expanded entries leave it, the rest stay in order.
  const pass = (list: NodeList, current: number, isInsig: boolean): number => {
    const n = list.length - current;
    const field = offset + pos;
    pos += (n + 7) >> 3;
    requireStream(pos, 'significance bits');
    let keep = current;
    for (let k = 0; k < n; k++) {
      const item = current + k;
      const node = list.node[item]!, ref = list.ref[item]!;
      if ((chunk[field + (k >> 3)]! >> (k & 7)) & 1) {
        if (isInsig) {
          if (node >>> ITER > 1) sig.push(node, ref);
          expand(node, ref, true);
        } else {
          expand(node, ref, false);
        }
      } else {
        list.node[keep] = node;
        list.ref[keep++] = ref;
      }
    }
    list.length = keep;
    return keep;
  };

  const planes = decodeBits + 2;
  const multiplePlanes: BitPlaneLayout = { offset: new Int32Array(planes), values: new Int32Array(planes) };
  const singlePlanes: BitPlaneLayout = { offset: new Int32Array(planes), values: new Int32Array(planes) };
  let previousMultiple = 0, previousSingle = 0;
  for (let b = decodeBits; b >= level; b--) {
    let insigCurrent = 0, sigCurrent = 0;
    while (insigCurrent < insig.length || sigCurrent < sig.length) {
      if (insigCurrent < insig.length) insigCurrent = pass(insig, insigCurrent, true);
      if (sigCurrent < sig.length) sigCurrent = pass(sig, sigCurrent, false);
    }
    const vm = multiples.length, vs = singles.length;
    multiplePlanes.values[b] = vm * multiple;
    multiplePlanes.offset[b] = offset + pos;
    pos += ((vm * multiple + 7) >> 3) + (((vm - previousMultiple) * multiple + 7) >> 3);
    if (!allNormal) {
      singlePlanes.values[b] = vs;
      singlePlanes.offset[b] = offset + pos;
      pos += ((vs + 7) >> 3) + ((vs - previousSingle + 7) >> 3);
    }
    requireStream(pos, `bit-plane ${b}`);
    if (b < WAVELET_ADAPTIVE_LEVELS) {
      const storedMultiple = view.getInt32(offset + 4 * b, true);
      const storedSingle = allNormal ? 0 : view.getInt32(offset + 4 * (WAVELET_ADAPTIVE_LEVELS + b), true);
      if (storedMultiple !== vm || storedSingle !== vs) {
        throw waveletError(`bit-plane ${b} holds ${vm}/${vs} values but the stream says ${storedMultiple}/${storedSingle}`);
      }
    }
    previousMultiple = vm;
    previousSingle = vs;
  }
  return {
    multiple,
    multiplePositions: multiples.data,
    multipleCount: multiples.length,
    singlePositions: singles.data,
    singleCount: singles.length,
    multiplePlanes,
    singlePlanes,
    streamEnd: pos,
  };
}
