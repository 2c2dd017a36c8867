// Writes the adaptive stream (format sheet 3.6.5): bit-plane counts, start values, then per
// bit-plane the significance bits of the tree pass and the magnitude and sign bits of every
// value. The decoder's tree pass (adaptiveStream.ts) is replayed step for step; where it reads a
// bit, this writes the answer: a node is significant at plane b when some coefficient below it
// has a quantized magnitude of at least 2^b, so every value is created at or above its top bit.
import { ITERATION_SHIFT, lowPassBox, type BandStructure } from '../bandStructure.js';
import { WAVELET_ADAPTIVE_LEVELS } from '../../../model/adaptiveLevels.js';
import { InvalidOperationError } from '../../../model/errors.js';
import { ByteWriter } from './byteWriter.js';
import type { TreeRules, TreeSink } from './treeRules.js';

/** Quantized coefficients: magnitude codes and signs over the padded picture. */
export interface QuantizedPicture {
  coefficients: Float64Array;
  /** |c| in units of the threshold, as the decoder will rebuild it (0 .. 2^30 − 1; bit 31 later carries the sign). */
  magnitude: Int32Array;
}

export interface AdaptiveStream {
  bytes: Uint8Array;
  decodeBits: number;
  /** Byte offset (in `bytes`) where bit-plane data starts: all a decode needs for planes above decodeBits. */
  planesStart: number;
  /** Byte offset reached after bit-plane b (index b, 0..decodeBits). */
  planeEnd: Int32Array;
}

class IntList {
  data: Int32Array;
  length = 0;
  constructor(initial: number) {
    this.data = new Int32Array(Math.max(16, initial));
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
}

/**
 * The node tree in breadth-first order: each node's children are contiguous, as positions
 * (`childPos[childStart[j] ..]`) and, for nodes above iteration 1, as node indices
 * (`firstChild[j] + c`, in the same order). Also what a node emits when it becomes significant:
 * the positions of its multiple values (`multiplePos[multipleStart[j] ..]`, M per value, in the
 * decoder's displacement order) and single values. Independent of the threshold: built once per chunk.
 */
export interface NodeTree {
  packed: Int32Array;
  firstChild: Int32Array;
  childStart: Int32Array;
  childPos: Int32Array;
  multipleStart: Int32Array;
  multiplePos: Int32Array;
  singleStart: Int32Array;
  singlePos: Int32Array;
  count: number;
  initialCount: number;
}

export function buildNodeTree(rules: TreeRules): NodeTree {
  const initialCount = rules.initialNodes.length;
  const packed = new IntList(initialCount * 8);
  const ref = new IntList(initialCount * 8);
  const childPos = new IntList(initialCount * 64);
  for (let i = 0; i < initialCount; i++) {
    packed.push(rules.initialNodes[i]!);
    ref.push(rules.initialRefs[i]!);
  }
  const sink: TreeSink = {
    multiple() { throw new InvalidOperationError('unreachable: node expansion yields nodes'); },
    single() { throw new InvalidOperationError('unreachable: node expansion yields nodes'); },
    node(p, r) {
      childPos.push(rules.linear(p));
      if (p >>> ITERATION_SHIFT === 0) return; // level-0 coefficients are leaves
      packed.push(p);
      ref.push(r);
    },
  };
  const firstChild = new IntList(initialCount * 8);
  const childStart = new IntList(initialCount * 8);
  for (let current = 0; current < packed.length; current++) {
    firstChild.push(packed.length);
    childStart.push(childPos.length);
    rules.expand(packed.data[current]!, ref.data[current]!, false, sink);
  }
  childStart.push(childPos.length);

  const multiplePos = new IntList(childPos.length);
  const singlePos = new IntList(16);
  const { displacement } = rules;
  const valueSink: TreeSink = {
    multiple(base) { for (let c = 0; c < displacement.length; c++) multiplePos.push(base + displacement[c]!); },
    single(linear) { singlePos.push(linear); },
    node() { throw new InvalidOperationError('unreachable: value expansion yields values'); },
  };
  const multipleStart = new Int32Array(packed.length + 1);
  const singleStart = new Int32Array(packed.length + 1);
  for (let j = 0; j < packed.length; j++) {
    multipleStart[j] = multiplePos.length;
    singleStart[j] = singlePos.length;
    rules.expand(packed.data[j]!, ref.data[j]!, true, valueSink);
  }
  multipleStart[packed.length] = multiplePos.length;
  singleStart[packed.length] = singlePos.length;
  return {
    packed: packed.data, firstChild: firstChild.data, childStart: childStart.data, childPos: childPos.data,
    multipleStart, multiplePos: multiplePos.data.subarray(0, multiplePos.length), singleStart, singlePos: singlePos.data.subarray(0, singlePos.length),
    count: packed.length, initialCount,
  };
}

/** Per node: the largest magnitude code below it, and below its children (what makes it significant in I and in S). */
function significanceLevels(tree: NodeTree, magnitude: Int32Array): { below: Int32Array; belowChildren: Int32Array } {
  const { count, packed, firstChild, childStart, childPos } = tree;
  const below = new Int32Array(count);
  const belowChildren = new Int32Array(count);
  // Children come after their parent in breadth-first order, so one backward sweep suffices.
  for (let j = count - 1; j >= 0; j--) {
    const from = childStart[j]!, to = childStart[j + 1]!;
    let max = 0;
    if (packed[j]! >>> ITERATION_SHIFT > 1) {
      let maxChildren = 0;
      for (let c = from, n = firstChild[j]!; c < to; c++, n++) {
        const sub = below[n]!;
        if (sub > maxChildren) maxChildren = sub;
        const m = magnitude[childPos[c]!]!;
        if (m > max) max = m;
      }
      belowChildren[j] = maxChildren;
      if (maxChildren > max) max = maxChildren;
    } else {
      for (let c = from; c < to; c++) {
        const m = magnitude[childPos[c]!]!;
        if (m > max) max = m;
      }
    }
    below[j] = max;
  }
  return { below, belowChildren };
}

/** Number of bit-planes - 1 that the largest coded magnitude needs (at least 0). */
function topPlane(below: Int32Array, initialCount: number): number {
  let max = 0;
  for (let i = 0; i < initialCount; i++) max = Math.max(max, below[i]!);
  return max > 0 ? 31 - Math.clz32(max) : 0;
}

/** A value as the plane writer needs it: the magnitude code, the sign in bit 31. */
const SIGN = 1 << 31;

/** Bit b of each value's magnitude code, then the sign bits of the values created since `previous`, LSB first. */
function writePlane(out: ByteWriter, codes: Int32Array, count: number, previous: number, b: number): void {
  let at = out.reserve((count + 7) >> 3);
  let bytes = out.bytes;
  for (let k = 0; k < count; k += 8) {
    const end = Math.min(count, k + 8);
    let byte = 0;
    for (let i = k; i < end; i++) byte |= ((codes[i]! >>> b) & 1) << (i - k);
    bytes[at + (k >> 3)] = byte;
  }
  const created = count - previous;
  at = out.reserve((created + 7) >> 3);
  bytes = out.bytes;
  for (let k = 0; k < created; k += 8) {
    const end = Math.min(created, k + 8);
    let byte = 0;
    for (let i = k; i < end; i++) byte |= (codes[previous + i]! >>> 31) << (i - k);
    bytes[at + (k >> 3)] = byte;
  }
}

export function encodeAdaptiveStream(bands: BandStructure, rules: TreeRules, tree: NodeTree, q: QuantizedPicture, coarsestPositions: Int32Array): AdaptiveStream {
  const { magnitude, coefficients } = q;
  const { below, belowChildren } = significanceLevels(tree, magnitude);
  const decodeBits = topPlane(below, tree.initialCount);
  const out = new ByteWriter(1 << 16);
  const counts = out.reserve((rules.allNormal ? 1 : 2) * WAVELET_ADAPTIVE_LEVELS * 4);

  // Start values: the low-pass block in z, y, x order, then the coarsest detail coefficients.
  const [bx, by, bz] = lowPassBox(bands);
  const { pitchY, pitchZ } = bands;
  for (let z = 0; z < bz; z++) for (let y = 0; y < by; y++) for (let x = 0; x < bx; x++) out.float32(coefficients[x + y * pitchY + z * pitchZ]!);
  for (let i = 0; i < coarsestPositions.length; i++) out.float32(coefficients[rules.linear(coarsestPositions[i]!)]!);
  const planesStart = out.length;

  const insig = new IntList(tree.count);
  const sig = new IntList(tree.count);
  for (let i = 0; i < rules.initialNodes.length; i++) insig.push(i);
  // Values in creation order, as sign|magnitude codes.
  const multiples = new IntList(tree.multiplePos.length);
  const singles = new IntList(tree.singlePos.length);
  const { multipleStart, multiplePos, singleStart, singlePos } = tree;
  const emit = (values: IntList, positions: Int32Array, from: number, to: number) => {
    const data = values.data;
    let n = values.length;
    for (let i = from; i < to; i++) {
      const position = positions[i]!;
      data[n++] = magnitude[position]! | (coefficients[position]! < 0 ? SIGN : 0);
    }
    values.length = n;
  };

  // One round over the unprocessed tail of a list, as the decoder's `pass`.
  const pass = (list: IntList, current: number, threshold: number, isInsig: boolean): number => {
    const n = list.length - current;
    const at = out.reserve((n + 7) >> 3);
    const bytes = out.bytes;
    let keep = current;
    for (let k = 0; k < n; k++) {
      const node = list.data[current + k]!;
      const significant = (isInsig ? below[node]! : belowChildren[node]!) >= threshold;
      if (significant) {
        bytes[at + (k >> 3)]! |= 1 << (k & 7);
        if (isInsig) {
          if (tree.packed[node]! >>> ITERATION_SHIFT > 1) sig.push(node);
          emit(multiples, multiplePos, multipleStart[node]!, multipleStart[node + 1]!);
          emit(singles, singlePos, singleStart[node]!, singleStart[node + 1]!);
        } else {
          const first = tree.firstChild[node]!;
          const children = tree.childStart[node + 1]! - tree.childStart[node]!;
          for (let c = 0; c < children; c++) insig.push(first + c);
        }
      } else {
        list.data[keep++] = node;
      }
    }
    list.length = keep;
    return keep;
  };

  const planeEnd = new Int32Array(decodeBits + 1);
  let previousMultiple = 0, previousSingle = 0;
  for (let b = decodeBits; b >= 0; b--) {
    const threshold = 2 ** b;
    let insigCurrent = 0, sigCurrent = 0;
    while (insigCurrent < insig.length || sigCurrent < sig.length) {
      if (insigCurrent < insig.length) insigCurrent = pass(insig, insigCurrent, threshold, true);
      if (sigCurrent < sig.length) sigCurrent = pass(sig, sigCurrent, threshold, false);
    }
    writePlane(out, multiples.data, multiples.length, previousMultiple, b);
    if (!rules.allNormal) writePlane(out, singles.data, singles.length, previousSingle, b);
    previousMultiple = multiples.length;
    previousSingle = singles.length;
    if (b < WAVELET_ADAPTIVE_LEVELS) {
      out.setInt32(counts + 4 * b, multiples.length / rules.multiple);
      if (!rules.allNormal) out.setInt32(counts + 4 * (WAVELET_ADAPTIVE_LEVELS + b), singles.length);
    }
    planeEnd[b] = out.length;
  }
  return { bytes: out.result(), decodeBits, planesStart, planeEnd };
}
