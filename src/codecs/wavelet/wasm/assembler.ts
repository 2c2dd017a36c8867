// A minimal WebAssembly binary writer: the sections, value types and instructions the wavelet
// kernels use, nothing more. Writing the module from TypeScript (instead of .wat through an
// external assembler) keeps the build free of dependencies and lets one template emit every
// variant of a kernel (4 lanes or 1, SSE or scalar operand order, float or integer rounding).
import { InvalidArgumentError } from '../../../model/errors.js';

export type Code = readonly number[];

export const ValType = { i32: 0x7f, f32: 0x7d, v128: 0x7b } as const;
export type ValType = (typeof ValType)[keyof typeof ValType];

/** Unsigned LEB128. */
function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}

/** Signed LEB128 of an i32. */
function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && !(byte & 0x40)) || (value === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

/** Concatenates instruction sequences. */
export const seq = (...parts: Code[]): number[] => parts.flat();

const simd = (opcode: number, ...immediates: number[]): Code => [0xfd, ...uleb(opcode), ...immediates];
const f32Bits = (value: number): number[] => [...new Uint8Array(Float32Array.of(value).buffer)];

export const op = {
  block: [0x02, 0x40], loop: [0x03, 0x40], if: [0x04, 0x40], else: [0x05], end: [0x0b],
  br: (depth: number): Code => [0x0c, ...uleb(depth)],
  brIf: (depth: number): Code => [0x0d, ...uleb(depth)],
  /** The first operand if the i32 condition is non-zero, else the second. */
  select: [0x1b],
  i32: {
    const: (value: number): Code => [0x41, ...sleb(value)],
    /** Natural alignment hint (4 bytes); wasm allows any address. */
    load: [0x28, 2, 0],
    eqz: [0x45], ltS: [0x48], gtS: [0x4a], geS: [0x4e],
    add: [0x6a], sub: [0x6b], mul: [0x6c], and: [0x71], shl: [0x74], shrS: [0x75],
  },
  f32x4: {
    const: (value: number): Code => simd(0x0c, ...[0, 1, 2, 3].flatMap(() => f32Bits(value))),
    splat: simd(0x13), eq: simd(0x41), ne: simd(0x42), lt: simd(0x43), gt: simd(0x44), ge: simd(0x46),
    ceil: simd(0x67), floor: simd(0x68), nearest: simd(0x6a),
    add: simd(0xe4), sub: simd(0xe5), mul: simd(0xe6),
  },
  i32x4: {
    splat: simd(0x11),
    /** Toward zero, saturating at the i32 range (NaN gives 0). */
    truncSatF32x4S: simd(0xf8),
  },
  /** Saturating narrows of signed lanes to the unsigned range of the narrower lane; (a, b) → a's lanes low. */
  i16x8: { narrowI32x4U: simd(0x86) },
  i8x16: { narrowI16x8U: simd(0x66) },
  v128: {
    load: simd(0x00, 0, 0), store: simd(0x0b, 0, 0),
    /** One f32 into lane 0, the other lanes zero. */
    load32Zero: simd(0x5c, 2, 0),
    store32Lane: (lane: number): Code => simd(0x5a, 2, 0, lane),
    store64Lane: (lane: number): Code => simd(0x5b, 3, 0, lane),
    and: simd(0x4e), or: simd(0x50), bitselect: simd(0x52),
    /** Picks four 32-bit lanes of two vectors: 0-3 from the first, 4-7 from the second. */
    shuffle32: (lanes: readonly number[]): Code => simd(0x0d, ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])),
  },
  memoryCopy: [0xfc, ...uleb(10), 0, 0],
} as const;

/** A function with named parameters and locals; every function here returns nothing. */
export class FunctionBuilder {
  private readonly indices = new Map<string, number>();
  private readonly localTypes: ValType[] = [];
  readonly params: ValType[];

  constructor(readonly name: string, params: [string, ValType][]) {
    this.params = params.map(([, type]) => type);
    params.forEach(([local], i) => this.indices.set(local, i));
  }

  locals(type: ValType, ...names: string[]): this {
    for (const local of names) {
      this.indices.set(local, this.params.length + this.localTypes.length);
      this.localTypes.push(type);
    }
    return this;
  }

  private index(local: string): number {
    const index = this.indices.get(local);
    if (index === undefined) throw new InvalidArgumentError(`${this.name}: no local named ${local}`);
    return index;
  }
  get(local: string): Code { return [0x20, ...uleb(this.index(local))]; }
  set(local: string): Code { return [0x21, ...uleb(this.index(local))]; }
  tee(local: string): Code { return [0x22, ...uleb(this.index(local))]; }

  encodeBody(body: Code): number[] {
    const groups = this.localTypes.map((type) => [...uleb(1), type]);
    const content = [...uleb(groups.length), ...groups.flat(), ...body, ...op.end];
    return [...uleb(content.length), ...content];
  }
}

const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (text: string): number[] => {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
};

/** A module of exported functions and one exported memory called "memory". */
export function assembleModule(functions: { builder: FunctionBuilder; body: Code }[], memoryPages: number): Uint8Array {
  const types = functions.map(({ builder }) => [0x60, ...vector(builder.params.map((t) => [t])), 0]);
  const exports = [
    [...name('memory'), 0x02, 0],
    ...functions.map(({ builder }, i) => [...name(builder.name), 0x00, ...uleb(i)]),
  ];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...section(5, vector([[0x00, ...uleb(memoryPages)]])),
    ...section(7, vector(exports)),
    ...section(10, vector(functions.map(({ builder, body }) => builder.encodeBody(body)))),
  ]);
}
