// Runs the WebAssembly SIMD kernels (kernels.ts) over a chunk's padded picture. Memory layout:
// the two neighbour maps of the axis being transformed, the `lows` scratch rows, the picture,
// then the quantised block; grown to fit the chunk at hand and kept for the next one. (R32
// blocks are cropped by deliver.ts straight out of the picture: a kernel plus a copy out of
// this memory measured slower than the per-row copy alone.)
import { volume, type BandStructure } from '../bandStructure.js';
import { VolumeDataFormat as F } from '../../../model/enums.js';
import { InvalidArgumentError } from '../../../model/errors.js';
import { IntegerInfo, WAVELET_MAX_SIZE } from '../header.js';
import { quantizePicture, type Quantization } from '../deliver.js';
import { noValueCode } from '../../../model/convert.js';
import { decodeBase64 } from '../../../model/base64.js';
import { lineMaps, liftingScale } from '../inverseTransform.js';
import type { WaveletBackend } from '../backend.js';
import { KERNEL_MODULE_BASE64 } from './kernelModule.js';

type Slices = (base0: number, baseStep: number, count: number, stride: number, n: number, width: number,
  lows: number, updateMap: number, predictMap: number, a: number) => void;
type Lines = (base0: number, pitchY: number, pitchZ: number, by: number, bz: number, n: number,
  lows: number, updateMap: number, predictMap: number, a: number, sseUpdate: number, ssePredict: number) => void;
/** The part of the WebAssembly JS API used here (the project's lib settings carry no DOM types). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
} | undefined;
interface Memory { readonly buffer: ArrayBuffer; grow(pages: number): number }
type Quantize = (src: number, pitchY: number, pitchZ: number, sx: number, sy: number, sz: number, dst: number,
  offset: number, reciprocal: number, top: number, topCode: number, useNoValue: number, noValue: number, noValueIsNaN: number, code: number) => void;
interface Kernels {
  memory: Memory; slicesF: Slices; slicesI: Slices; linesF: Lines; linesI: Lines;
  quantizeU8: Quantize; quantizeU16: Quantize;
}

const PAGE_BYTES = 65536;
/** Four int32 neighbour indices per value, at most (512 + 1) / 2 values. */
const MAP_BYTES = 16 * ((WAVELET_MAX_SIZE + 1) >> 1);
const UPDATE_MAP = 0;
const PREDICT_MAP = MAP_BYTES;
const LOWS = 2 * MAP_BYTES;
/** After the picture and after the block: the quantiser reads and writes up to 3 samples past a row. */
const SLACK_BYTES = 16;
const align16 = (n: number) => (n + 15) & ~15;
/** Where the quantised block goes: after the picture and its slack. */
const outputAt = (picture: Float32Array) => align16(picture.byteOffset + picture.byteLength + SLACK_BYTES);
const isF32 = (x: number) => Object.is(Math.fround(x), x);

export function kernelModuleBytes(): Uint8Array {
  return decodeBase64(KERNEL_MODULE_BASE64)!;
}

/** The WebAssembly backend, or undefined where WebAssembly (or its SIMD) is unavailable. */
export function createWasmBackend(bytes: Uint8Array = kernelModuleBytes()): WaveletBackend | undefined {
  if (typeof WebAssembly !== 'object' || !WebAssembly) return undefined;
  try {
    // Synchronous compile: the module is a few kB and this runs once per worker.
    return new WasmBackend(new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as Kernels);
  } catch {
    return undefined;
  }
}

class WasmBackend implements WaveletBackend {
  readonly name = 'wasm-simd';
  /** The last working buffer handed out (views die when the memory grows). */
  private picture = new Float32Array(0);

  constructor(private readonly kernels: Kernels) {}

  /** A view of the picture area sized for `bands`, not cleared. */
  private reserve(bands: BandStructure): Float32Array {
    const [sx, sy, sz] = bands.size;
    const lowsBytes = 4 * sx * ((Math.max(sx, sy, sz) + 1) >> 1);
    const at = align16(LOWS + lowsBytes);
    const length = volume(bands.allocated);
    const end = align16(at + 4 * length + SLACK_BYTES) + 2 * volume(bands.size) + SLACK_BYTES;
    const { memory } = this.kernels;
    const missing = end - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / PAGE_BYTES));
    this.picture = new Float32Array(memory.buffer, at, length);
    return this.picture;
  }

  workingBuffer(bands: BandStructure): Float32Array {
    return this.reserve(bands).fill(0);
  }

  private isOwn(picture: Float32Array): boolean {
    return picture === this.picture && picture.buffer === this.kernels.memory.buffer;
  }

  /** The picture in this backend's memory: itself, or a copy of a caller's array. */
  private adopt(picture: Float32Array, bands: BandStructure): Float32Array {
    if (this.isOwn(picture)) return picture;
    const own = this.reserve(bands);
    if (picture.length !== own.length) throw new InvalidArgumentError(`wavelet picture has ${picture.length} samples, the padded block ${own.length}`);
    own.set(picture);
    return own;
  }

  inverseTransform(picture: Float32Array, bands: BandStructure, integerInfo: number): void {
    const own = this.adopt(picture, bands);
    this.run(own, bands, integerInfo);
    if (own !== picture) picture.set(own);
  }

  quantize(picture: Float32Array, bands: BandStructure, q: Quantization): Uint8Array {
    // The kernel subtracts in f32; an offset off the f32 grid needs the reference's double subtraction.
    if (!isF32(q.offset) || !isF32(q.reciprocal)) return quantizePicture(picture, bands, q);
    const own = this.adopt(picture, bands);
    const [sx, sy, sz] = bands.size;
    const at = outputAt(own), isU8 = q.format === F.Format_U8;
    const top = q.buckets - 1;
    const noValue = q.noValue ?? 0;
    (isU8 ? this.kernels.quantizeU8 : this.kernels.quantizeU16)(own.byteOffset, 4 * bands.pitchY, 4 * bands.pitchZ, sx, sy, sz, at,
      q.offset, q.reciprocal, top, top, q.noValue === undefined ? 0 : 1, noValue, Number.isNaN(noValue) ? 1 : 0, noValueCode(q.format));
    return new Uint8Array(this.kernels.memory.buffer, at, (isU8 ? 1 : 2) * sx * sy * sz).slice();
  }

  private writeMaps(n: number) {
    const maps = lineMaps(n);
    const { buffer } = this.kernels.memory;
    new Int32Array(buffer, UPDATE_MAP, maps.update.length).set(maps.update);
    new Int32Array(buffer, PREDICT_MAP, maps.predict.length).set(maps.predict);
    return maps;
  }

  private run(picture: Float32Array, bands: BandStructure, integerInfo: number): void {
    const integer = (integerInfo & IntegerInfo.IsInteger) !== 0;
    const { slicesF, slicesI, linesF, linesI } = this.kernels;
    const slices = integer ? slicesI : slicesF, lines = integer ? linesI : linesF;
    const a = liftingScale(integerInfo);
    const base = picture.byteOffset, pitchY = 4 * bands.pitchY, pitchZ = 4 * bands.pitchZ;
    for (let i = bands.iterations - 1; i >= 0; i--) {
      const mask = bands.masks[i]!;
      const [bx, by, bz] = bands.bands[i]!;
      if (mask & 4) {
        this.writeMaps(bz);
        slices(base, pitchY, by, pitchZ, bz, bx, LOWS, UPDATE_MAP, PREDICT_MAP, a);
      }
      if (mask & 2) {
        this.writeMaps(by);
        slices(base, pitchZ, bz, pitchY, by, bx, LOWS, UPDATE_MAP, PREDICT_MAP, a);
      }
      if (mask & 1) {
        const { lineSseUpdate, lineSsePredict } = this.writeMaps(bx);
        lines(base, pitchY, pitchZ, by, bz, bx, LOWS, UPDATE_MAP, PREDICT_MAP, a, lineSseUpdate, lineSsePredict);
      }
    }
  }
}
