// Runs the WebAssembly SIMD transform kernels (transformKernels.ts) over a chunk's padded
// picture. Memory layout: the two neighbour maps of the axis being transformed, the `lows`
// scratch rows, then the picture, grown to fit the chunk at hand and kept for the next one.
import { volume, type BandStructure } from '../bandStructure.js';
import { IntegerInfo, WAVELET_MAX_SIZE } from '../header.js';
import { lineMaps, liftingScale } from '../inverseTransform.js';
import type { TransformBackend } from '../transformBackend.js';
import { TRANSFORM_MODULE_BASE64 } from './transformModule.js';

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
interface Kernels { memory: Memory; slicesF: Slices; slicesI: Slices; linesF: Lines; linesI: Lines }

const PAGE_BYTES = 65536;
/** Four int32 neighbour indices per value, at most (512 + 1) / 2 values. */
const MAP_BYTES = 16 * ((WAVELET_MAX_SIZE + 1) >> 1);
const UPDATE_MAP = 0;
const PREDICT_MAP = MAP_BYTES;
const LOWS = 2 * MAP_BYTES;

export function transformModuleBytes(): Uint8Array {
  return Uint8Array.from(atob(TRANSFORM_MODULE_BASE64), (c) => c.charCodeAt(0));
}

/** The WebAssembly backend, or undefined where WebAssembly (or its SIMD) is unavailable. */
export function createWasmTransform(bytes: Uint8Array = transformModuleBytes()): TransformBackend | undefined {
  if (typeof WebAssembly !== 'object' || !WebAssembly) return undefined;
  try {
    // Synchronous compile: the module is a few kB and this runs once per worker.
    return new WasmTransform(new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as Kernels);
  } catch {
    return undefined;
  }
}

class WasmTransform implements TransformBackend {
  readonly name = 'wasm-simd';
  /** The last working buffer handed out (views die when the memory grows). */
  private picture = new Float32Array(0);

  constructor(private readonly kernels: Kernels) {}

  /** A view of the picture area sized for `bands`, not cleared. */
  private reserve(bands: BandStructure): Float32Array {
    const [sx, sy, sz] = bands.size;
    const lowsBytes = 4 * sx * ((Math.max(sx, sy, sz) + 1) >> 1);
    const at = (LOWS + lowsBytes + 15) & ~15;
    const length = volume(bands.allocated);
    const { memory } = this.kernels;
    const missing = at + 4 * length - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / PAGE_BYTES));
    this.picture = new Float32Array(memory.buffer, at, length);
    return this.picture;
  }

  workingBuffer(bands: BandStructure): Float32Array {
    return this.reserve(bands).fill(0);
  }

  inverseTransform(picture: Float32Array, bands: BandStructure, integerInfo: number): void {
    if (picture === this.picture && picture.buffer === this.kernels.memory.buffer) {
      this.run(picture, bands, integerInfo);
      return;
    }
    const own = this.reserve(bands);
    own.set(picture);
    this.run(own, bands, integerInfo);
    picture.set(own);
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
