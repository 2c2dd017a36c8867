// The hot loops of a wavelet decode as a WebAssembly SIMD module, the source of truth of
// kernelModule.ts (regenerate with `node --import=tsx src/codecs/wavelet/wasm/generate.ts`).
// Bit-exact with inverseTransform.ts, and through it with OpenVDS's SSE build: f32x4 add/sub/mul
// round each lane like addps/subps/mulps, there is no fused multiply-add, f32x4.nearest rounds
// half to even like rintf, and every formula keeps the operand order of the TypeScript
// reference (SSE order on OpenVDS's SSE lanes, scalar order elsewhere). Lanes the reference
// computes one at a time run here as 1-lane vectors (load32_zero / store32_lane) of the same
// formula, so the two lane widths cannot drift apart.
//
// Exports (addresses and strides in bytes, counts in samples):
//   slicesF/slicesI(base0, baseStep, count, stride, n, width, lows, updateMap, predictMap, a)
//     `count` slices at base0 + c * baseStep, each n rows `stride` apart of `width` samples:
//     the z and y steps of inverseTransform.ts (inverseSlice).
//   linesF/linesI(base0, pitchY, pitchZ, by, bz, n, lows, updateMap, predictMap, a, sseUpdate, ssePredict)
//     the x step of every line of a by × bz band (inverseLine).
//     The maps are lineMaps(n).update / .predict as int32, `lows` is scratch of (n+1)/2 rows.
//   quantizeU8/quantizeU16(src, pitchY, pitchZ, sx, sy, sz, dst, offset, reciprocal, top, topCode, useNoValue, noValue, noValueIsNaN, code)
//     quantizePicture in deliver.ts with top = buckets - 1; 4 samples a step, so up to 3 samples
//     past each row are read (the picture needs 16 bytes of slack after it) and the codes
//     written past a row's end are overwritten by the next row's (dst needs 16 bytes of slack).
import { type Code, FunctionBuilder, ValType, assembleModule, op, seq } from './assembler.js';

const { i32, f32x4, i32x4, i16x8, i8x16, v128 } = op;
type Lanes = 1 | 4;
type Form = 'sse' | 'scalar';
/** Four neighbours in stream order, as code pushing one v128 each. */
type Neighbours = readonly [Code, Code, Code, Code];
const four = (neighbour: (j: number) => Code): Neighbours => [neighbour(0), neighbour(1), neighbour(2), neighbour(3)];

/** Loop counter over [from, limit) in steps of `step`; `from` null continues from the counter's value. */
function forRange(f: FunctionBuilder, counter: string, from: Code | null, limit: Code, step: number, body: Code): number[] {
  return seq(
    from ? seq(from, f.set(counter)) : [],
    op.block, op.loop,
    f.get(counter), limit, i32.geS, op.brIf(1),
    body,
    f.get(counter), i32.const(step), i32.add, f.set(counter),
    op.br(0), op.end, op.end,
  );
}

const load = (lanes: Lanes, address: Code): number[] => seq(address, lanes === 4 ? v128.load : v128.load32Zero);
const store = (lanes: Lanes, address: Code, value: Code): number[] => seq(address, value, lanes === 4 ? v128.store : v128.store32Lane(0));
const plus = (a: Code, b: Code): number[] => seq(a, b, i32.add);
const times = (a: Code, b: Code): number[] => seq(a, b, i32.mul);
const shifted = (a: Code, bits: number): number[] => seq(a, i32.const(bits), i32.shl);

const sseTerm = ([x0, x1, x2, x3]: Neighbours) => seq(x0, x3, f32x4.add, x1, x2, f32x4.add, f32x4.const(-9), f32x4.mul, f32x4.add);
const scalarTerm = ([x0, x1, x2, x3]: Neighbours) => seq(f32x4.const(9), x1, x2, f32x4.add, f32x4.mul, x0, x3, f32x4.add, f32x4.sub);

/** Rounds away from zero, -0 counting as non-negative (floor below zero, else ceil). */
const awayFromZero = (f: FunctionBuilder, value: Code) =>
  seq(value, f.tee('t'), f32x4.floor, f.get('t'), f32x4.ceil, f.get('t'), f32x4.const(0), f32x4.lt, v128.bitselect);

/** Low value: l·a plus the rounded (integer) or plain update term; `a` is the splat in local av. */
function update(f: FunctionBuilder, form: Form, integer: boolean, l: Code, x: Neighbours): number[] {
  if (form === 'sse') {
    const term = seq(sseTerm(x), f32x4.const(0.03125), f32x4.mul, integer ? f32x4.nearest : []);
    const scaled = seq(l, f.get('av'), f32x4.mul);
    return seq(term, integer ? awayFromZero(f, scaled) : scaled, f32x4.add);
  }
  const scaled = seq(f.get('av'), l, f32x4.mul);
  return seq(integer ? awayFromZero(f, scaled) : scaled, f32x4.const(-0.03125), scalarTerm(x), f32x4.mul, integer ? f32x4.nearest : [], f32x4.add);
}

/** High value: h plus the (rounded) predict term of four low neighbours. */
function predict(form: Form, integer: boolean, h: Code, x: Neighbours): number[] {
  if (form === 'sse') return seq(sseTerm(x), f32x4.const(-0.0625), f32x4.mul, integer ? f32x4.nearest : [], h, f32x4.add);
  return seq(h, f32x4.const(-0.0625), scalarTerm(x), f32x4.mul, integer ? f32x4.nearest : [], f32x4.sub);
}

const commonLocals = (f: FunctionBuilder) => f.locals(ValType.v128, 'av', 't', 'v');
const splatA = (f: FunctionBuilder) => seq(f.get('a'), f32x4.splat, f.set('av'));
const halves = (f: FunctionBuilder) => seq(
  f.get('n'), i32.const(1), i32.add, i32.const(1), i32.shrS, f.set('low'),
  f.get('n'), i32.const(1), i32.shrS, f.set('high'),
);

function slices(integer: boolean): { builder: FunctionBuilder; body: Code } {
  const I = ValType.i32;
  const f = new FunctionBuilder(integer ? 'slicesI' : 'slicesF', [
    ['base0', I], ['baseStep', I], ['count', I], ['stride', I], ['n', I], ['width', I],
    ['lows', I], ['updateMap', I], ['predictMap', I], ['a', ValType.f32],
  ]);
  f.locals(I, 'c', 'base', 'low', 'high', 'r', 'i', 'row', 'sse', 'lo', 'h0', 'h1', 'h2', 'h3', 'out', 'l0', 'l1', 'l2', 'l3', 'own', 'even');
  commonLocals(f);
  const g = (name: string) => f.get(name);
  const at = (name: string) => plus(g(name), g('i'));
  const highRow = (j: number) => plus(g('base'), times(plus(g('low'), seq(g('updateMap'), shifted(g('r'), 4), i32.add, i32.const(4 * j), i32.add, i32.load)), g('stride')));
  const lowRow = (j: number) => plus(g('lows'), times(seq(g('predictMap'), shifted(g('r'), 4), i32.add, i32.const(4 * j), i32.add, i32.load), g('row')));
  const updateLanes = (lanes: Lanes, form: Form) =>
    store(lanes, at('out'), update(f, form, integer, load(lanes, at('lo')), four((j) => load(lanes, at(`h${j}`)))));
  const predictLanes = (lanes: Lanes, form: Form) => seq(
    predict(form, integer, load(lanes, at('h0')), four((j) => load(lanes, at(`l${j}`)))), f.set('v'),
    store(lanes, at('even'), load(lanes, at('own'))),
    store(lanes, plus(at('even'), g('stride')), g('v')),
  );
  const body = seq(
    splatA(f), halves(f),
    shifted(g('width'), 2), f.set('row'),
    g('width'), i32.const(~3), i32.and, i32.const(2), i32.shl, f.set('sse'),
    forRange(f, 'c', i32.const(0), g('count'), 1, seq(
      plus(g('base0'), times(g('c'), g('baseStep'))), f.set('base'),
      forRange(f, 'r', i32.const(0), g('low'), 1, seq(
        plus(g('base'), times(g('r'), g('stride'))), f.set('lo'),
        ...[0, 1, 2, 3].map((j) => seq(highRow(j), f.set(`h${j}`))),
        plus(g('lows'), times(g('r'), g('row'))), f.set('out'),
        forRange(f, 'i', i32.const(0), g('sse'), 16, updateLanes(4, 'sse')),
        forRange(f, 'i', null, g('row'), 4, updateLanes(1, 'scalar')),
      )),
      forRange(f, 'r', i32.const(0), g('high'), 1, seq(
        // h0 holds the high row being predicted.
        plus(g('base'), times(plus(g('low'), g('r')), g('stride'))), f.set('h0'),
        ...[0, 1, 2, 3].map((j) => seq(lowRow(j), f.set(`l${j}`))),
        plus(g('lows'), times(g('r'), g('row'))), f.set('own'),
        plus(g('base'), times(shifted(g('r'), 1), g('stride'))), f.set('even'),
        forRange(f, 'i', i32.const(0), g('sse'), 16, predictLanes(4, 'sse')),
        forRange(f, 'i', null, g('row'), 4, predictLanes(1, 'scalar')),
      )),
      // An odd count leaves one low row without a partner: it moves to the last output row.
      g('low'), g('high'), i32.gtS, op.if,
      plus(g('base'), times(shifted(g('high'), 1), g('stride'))), plus(g('lows'), times(g('high'), g('row'))), g('row'), op.memoryCopy,
      op.end,
    )),
  );
  return { builder: f, body };
}

function lines(integer: boolean): { builder: FunctionBuilder; body: Code } {
  const I = ValType.i32;
  const f = new FunctionBuilder(integer ? 'linesI' : 'linesF', [
    ['base0', I], ['pitchY', I], ['pitchZ', I], ['by', I], ['bz', I], ['n', I],
    ['lows', I], ['updateMap', I], ['predictMap', I], ['a', ValType.f32], ['sseUpdate', I], ['ssePredict', I],
  ]);
  f.locals(I, 'z', 'y', 'base', 'hb', 'low', 'high', 'k', 'r');
  commonLocals(f);
  const g = (name: string) => f.get(name);
  const sample = (address: string, index: string, delta = 0) => seq(g(address), shifted(g(index), 2), i32.add, delta ? seq(i32.const(4 * delta), i32.add) : []);
  const mapped = (map: string, index: string, j: number) => seq(g(map), shifted(g(index), 4), i32.add, i32.const(4 * j), i32.add, i32.load, i32.const(2), i32.shl);
  const neighbours = (lanes: Lanes, at: (j: number) => Code) => four((j) => load(lanes, at(j)));

  /** lows[k] from the index maps, in SSE form where OpenVDS has an SSE lane. */
  const mappedUpdate = () => {
    const x = neighbours(1, (j) => plus(g('hb'), mapped('updateMap', 'k', j)));
    const lane = (form: Form) => store(1, sample('lows', 'k'), update(f, form, integer, load(1, sample('base', 'k')), x));
    return seq(g('k'), g('sseUpdate'), i32.ltS, op.if, lane('sse'), op.else, lane('scalar'), op.end);
  };
  const plainUpdate = (lanes: Lanes) =>
    store(lanes, sample('lows', 'k'), update(f, 'sse', integer, load(lanes, sample('base', 'k')), neighbours(lanes, (j) => sample('hb', 'k', j - 2))));
  /** Output sample 2r (its low value) is `base + 8r`, 2r+1 (the predicted high value `v`) follows. */
  const output = (delta: number) => seq(g('base'), shifted(g('r'), 3), i32.add, delta ? seq(i32.const(delta), i32.add) : []);
  const interleave1 = seq(store(1, output(0), load(1, sample('lows', 'r'))), store(1, output(4), g('v')));
  const mappedPredict = () => {
    const x = neighbours(1, (j) => plus(g('lows'), mapped('predictMap', 'r', j)));
    const lane = (form: Form) => seq(predict(form, integer, load(1, sample('hb', 'r')), x), f.set('v'));
    return seq(g('r'), g('ssePredict'), i32.ltS, op.if, lane('sse'), op.else, lane('scalar'), op.end, interleave1);
  };
  const plainPredict = (lanes: Lanes) => seq(
    predict('sse', integer, load(lanes, sample('hb', 'r')), neighbours(lanes, (j) => sample('lows', 'r', j - 1))), f.set('v'),
    lanes === 1 ? interleave1 : seq(
      load(4, sample('lows', 'r')), f.set('t'),
      store(4, output(0), seq(g('t'), g('v'), v128.shuffle32([0, 4, 1, 5]))),
      store(4, output(16), seq(g('t'), g('v'), v128.shuffle32([2, 6, 3, 7]))),
    ),
  );
  const max = (a: string, b: string) => seq(g(a), g(b), g(a), g(b), i32.gtS, op.select, f.set(a));
  const body = seq(
    splatA(f), halves(f),
    forRange(f, 'z', i32.const(0), g('bz'), 1, forRange(f, 'y', i32.const(0), g('by'), 1, seq(
      plus(g('base0'), plus(times(g('y'), g('pitchY')), times(g('z'), g('pitchZ')))), f.set('base'),
      sample('base', 'low'), f.set('hb'),
      // Update: the ends through the maps, the middle as OpenVDS's SSE lanes with plain neighbours.
      forRange(f, 'k', i32.const(0), seq(g('low'), i32.const(2), g('low'), i32.const(2), i32.ltS, op.select), 1, mappedUpdate()),
      forRange(f, 'k', null, seq(g('sseUpdate'), i32.const(3), i32.sub), 4, plainUpdate(4)),
      forRange(f, 'k', null, g('sseUpdate'), 1, plainUpdate(1)),
      max('k', 'sseUpdate'),
      forRange(f, 'k', null, g('low'), 1, mappedUpdate()),
      // Predict, interleaving low and high values in place.
      forRange(f, 'r', i32.const(0), seq(g('high'), i32.const(1), g('high'), i32.const(1), i32.ltS, op.select), 1, mappedPredict()),
      forRange(f, 'r', null, seq(g('ssePredict'), i32.const(3), i32.sub), 4, plainPredict(4)),
      forRange(f, 'r', null, g('ssePredict'), 1, plainPredict(1)),
      max('r', 'ssePredict'),
      forRange(f, 'r', null, g('high'), 1, mappedPredict()),
      g('low'), g('high'), i32.gtS, op.if,
      store(1, seq(g('base'), shifted(g('high'), 3), i32.add), load(1, sample('lows', 'high'))),
      op.end,
    ))),
  );
  return { builder: f, body };
}

const blockParams = (): [string, ValType][] =>
  ['src', 'pitchY', 'pitchZ', 'sx', 'sy', 'sz', 'dst'].map((name) => [name, ValType.i32] as [string, ValType]);

/** For every row of the block: `row` (address of its first sample) and `o` (its output address, advanced by `outBytes`). */
function eachRow(f: FunctionBuilder, outBytes: Code, body: Code): number[] {
  const g = (name: string) => f.get(name);
  return seq(
    g('dst'), f.set('o'),
    forRange(f, 'z', i32.const(0), g('sz'), 1, forRange(f, 'y', i32.const(0), g('sy'), 1, seq(
      plus(g('src'), plus(times(g('y'), g('pitchY')), times(g('z'), g('pitchZ')))), f.set('row'),
      body,
      plus(g('o'), outBytes), f.set('o'),
    ))),
  );
}

function quantize(codeBytes: 1 | 2): { builder: FunctionBuilder; body: Code } {
  const F32 = ValType.f32, I = ValType.i32;
  const f = new FunctionBuilder(codeBytes === 1 ? 'quantizeU8' : 'quantizeU16', [
    ...blockParams(), ['offset', F32], ['reciprocal', F32], ['top', F32], ['topCode', I],
    ['useNoValue', I], ['noValue', F32], ['noValueIsNaN', I], ['code', I],
  ]);
  f.locals(I, 'z', 'y', 'x', 'row', 'o');
  f.locals(ValType.v128, 'vOffset', 'vReciprocal', 'vTop', 'vTopCode', 'vNoValue', 'vCode', 'vUse', 'vNaN', 'v', 'q', 'r');
  const g = (name: string) => f.get(name);
  const allOnesIf = (flag: string) => seq(i32.const(0), g(flag), i32.sub, i32x4.splat);
  const step = seq(
    load(4, plus(g('row'), shifted(g('x'), 2))), f.set('v'),
    // quantizeWithReciprocalScale: q = (v - offset) * reciprocal, then trunc(q + 0.5) where q > 0
    // (else 0, NaN included), and top where q >= top.
    g('v'), g('vOffset'), f32x4.sub, g('vReciprocal'), f32x4.mul, f.set('q'),
    g('vTopCode'),
    g('q'), f32x4.const(0.5), f32x4.add, i32x4.truncSatF32x4S, g('q'), f32x4.const(0), f32x4.gt, v128.and,
    g('q'), g('vTop'), f32x4.ge, v128.bitselect,
    // No-value samples (NaN matching NaN when the no-value is NaN) get the no-value code.
    f.set('r'), g('vCode'), g('r'),
    g('vUse'), g('v'), g('vNoValue'), f32x4.eq, g('vNaN'), g('v'), g('v'), f32x4.ne, v128.and, v128.or, v128.and,
    v128.bitselect, f.set('r'),
    g('r'), g('r'), i16x8.narrowI32x4U,
    codeBytes === 1
      ? seq(f.set('r'), g('r'), g('r'), i8x16.narrowI16x8U, f.set('r'), store(1, plus(g('o'), g('x')), g('r')))
      : seq(f.set('r'), g('o'), shifted(g('x'), 1), i32.add, g('r'), v128.store64Lane(0)),
  );
  const body = seq(
    g('offset'), f32x4.splat, f.set('vOffset'), g('reciprocal'), f32x4.splat, f.set('vReciprocal'),
    g('top'), f32x4.splat, f.set('vTop'), g('topCode'), i32x4.splat, f.set('vTopCode'),
    g('noValue'), f32x4.splat, f.set('vNoValue'), g('code'), i32x4.splat, f.set('vCode'),
    allOnesIf('useNoValue'), f.set('vUse'), allOnesIf('noValueIsNaN'), f.set('vNaN'),
    eachRow(f, times(g('sx'), i32.const(codeBytes)), forRange(f, 'x', i32.const(0), g('sx'), 4, step)),
  );
  return { builder: f, body };
}

/** Initial memory; the runtime grows it per chunk. */
const INITIAL_PAGES = 1;

export function buildKernelModule(): Uint8Array {
  return assembleModule([slices(false), slices(true), lines(false), lines(true), quantize(1), quantize(2)], INITIAL_PAGES);
}
