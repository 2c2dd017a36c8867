// Writes the adaptive stream (format sheet 3.6.5): bit-plane counts, start values, then per
// bit-plane the significance bits of the tree pass and the magnitude and sign bits of every
// value. The decoder's tree pass (adaptiveStream.ts) is replayed step for step; where it reads a
// bit, this writes the answer: a node is significant at plane b when some coefficient below it
// has a quantized magnitude of at least 2^b, so every value is created at or above its top bit.
import { ITERATION_SHIFT, lowPassBox, type BandStructure } from '../bandStructure.js';
import { WAVELET_ADAPTIVE_LEVELS } from '../../../model/adaptiveLevels.js';
import { ByteWriter } from './byteWriter.js';
import type { TreeRules, TreeSink } from './treeRules.js';

/** Quantized coefficients: magnitude codes and signs over the padded picture. */
export interface QuantizedPicture {
  coefficients: Float64Array;
  /** |c| in units of the threshold, as the decoder will rebuild it (0 .. 2^31 − 1). */
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
 * The node tree in breadth-first order, each node's children contiguous, with the largest
 * magnitude code below each node (`below`) and below its children (`belowChildren`).
 */
interface NodeTree {
  packed: Int32Array;
  ref: Int32Array;
  firstChild: Int32Array;
  childCount: Int32Array;
  below: Int32Array;
  belowChildren: Int32Array;
  count: number;
}

function buildNodeTree(rules: TreeRules, magnitude: Int32Array): NodeTree {
  const packed = new IntList(rules.initialNodes.length * 8);
  const ref = new IntList(rules.initialNodes.length * 8);
  const parent = new IntList(rules.initialNodes.length * 8);
  for (let i = 0; i < rules.initialNodes.length; i++) {
    packed.push(rules.initialNodes[i]!);
    ref.push(rules.initialRefs[i]!);
    parent.push(-1);
  }
  let leafMax = 0;
  let current = 0;
  const sink: TreeSink = {
    multiple() { throw new Error('unreachable'); },
    single() { throw new Error('unreachable'); },
    node(p, r) {
      if (p >>> ITERATION_SHIFT === 0) {
        leafMax = Math.max(leafMax, magnitude[rules.linear(p)]!);
      } else {
        packed.push(p);
        ref.push(r);
        parent.push(current);
      }
    },
  };
  const firstChildList = new IntList(16);
  const childCountList = new IntList(16);
  const below0 = new IntList(16);
  for (current = 0; current < packed.length; current++) {
    const before = packed.length;
    leafMax = 0;
    rules.expand(packed.data[current]!, ref.data[current]!, false, sink);
    firstChildList.push(before);
    childCountList.push(packed.length - before);
    below0.push(leafMax);
  }
  const count = packed.length;
  const below = below0.data.subarray(0, count);
  const belowChildren = new Int32Array(count);
  for (let j = count - 1; j >= 0; j--) {
    const p = parent.data[j]!;
    if (p < 0) continue;
    const own = Math.max(magnitude[rules.linear(packed.data[j]!)]!, below[j]!);
    if (own > below[p]!) below[p] = own;
    if (below[j]! > belowChildren[p]!) belowChildren[p] = below[j]!;
  }
  return {
    packed: packed.data, ref: ref.data, firstChild: firstChildList.data, childCount: childCountList.data,
    below, belowChildren, count,
  };
}

/** Number of bit-planes - 1 that the largest coded magnitude needs (at least 0). */
function topPlane(tree: NodeTree, initialCount: number): number {
  let max = 0;
  for (let i = 0; i < initialCount; i++) max = Math.max(max, tree.below[i]!);
  return max > 0 ? 31 - Math.clz32(max) : 0;
}

/** Bits `bit(k)` for k < n, LSB first, into `n/8` rounded-up fresh bytes of `out`. */
function packBits(out: ByteWriter, n: number, bit: (k: number) => boolean): void {
  const at = out.reserve((n + 7) >> 3);
  const bytes = out.bytes;
  for (let k = 0; k < n; k++) if (bit(k)) bytes[at + (k >> 3)]! |= 1 << (k & 7);
}

export function encodeAdaptiveStream(bands: BandStructure, rules: TreeRules, q: QuantizedPicture, coarsestPositions: Int32Array): AdaptiveStream {
  const { magnitude, coefficients } = q;
  const tree = buildNodeTree(rules, magnitude);
  const decodeBits = topPlane(tree, rules.initialNodes.length);
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
  const multiples = new IntList(tree.count * rules.multiple);
  const singles = new IntList(tree.count);
  const { displacement } = rules;
  const valueSink: TreeSink = {
    multiple(base) { for (let c = 0; c < displacement.length; c++) multiples.push(base + displacement[c]!); },
    single(linear) { singles.push(linear); },
    node() { throw new Error('unreachable'); },
  };

  // One round over the unprocessed tail of a list, as the decoder's `pass`.
  const pass = (list: IntList, current: number, threshold: number, isInsig: boolean): number => {
    const n = list.length - current;
    const at = out.reserve((n + 7) >> 3);
    const bytes = out.bytes;
    let keep = current;
    for (let k = 0; k < n; k++) {
      const node = list.data[current + k]!;
      const significant = (isInsig ? tree.below[node]! : tree.belowChildren[node]!) >= threshold;
      if (significant) {
        bytes[at + (k >> 3)]! |= 1 << (k & 7);
        if (isInsig) {
          if (tree.packed[node]! >>> ITERATION_SHIFT > 1) sig.push(node);
          rules.expand(tree.packed[node]!, tree.ref[node]!, true, valueSink);
        } else {
          const first = tree.firstChild[node]!;
          for (let c = 0; c < tree.childCount[node]!; c++) insig.push(first + c);
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
    for (const [values, previous] of [[multiples, previousMultiple], [singles, previousSingle]] as const) {
      if (values === singles && rules.allNormal) continue;
      const positions = values.data;
      packBits(out, values.length, (k) => ((magnitude[positions[k]!]! >>> b) & 1) === 1);
      packBits(out, values.length - previous, (k) => coefficients[positions[previous + k]!]! < 0);
    }
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
