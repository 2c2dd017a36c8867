// Who runs the inverse transform: the WebAssembly SIMD kernels where the runtime has them, else
// the TypeScript reference (inverseTransform.ts), which the tests hold the kernels to bit for bit.
import { volume, type BandStructure } from './bandStructure.js';
import { inverseTransform } from './inverseTransform.js';
import { createWasmTransform } from './wasm/wasmTransform.js';

export interface TransformBackend {
  readonly name: 'typescript' | 'wasm-simd';
  /**
   * A zeroed working buffer for the chunk (the padded picture). The WebAssembly backend's lives
   * in its own memory so that the transform needs no copy; it stays valid until the next call.
   */
  workingBuffer(bands: BandStructure): Float32Array;
  /** In place; any Float32Array of the padded size works, the working buffer is just faster. */
  inverseTransform(picture: Float32Array, bands: BandStructure, integerInfo: number): void;
}

export const typescriptTransform: TransformBackend = {
  name: 'typescript',
  workingBuffer: (bands) => new Float32Array(volume(bands.allocated)),
  inverseTransform,
};

let selected: TransformBackend | undefined;

/** Chosen at first use, once per thread: WebAssembly SIMD when it compiles here. */
export function defaultTransformBackend(): TransformBackend {
  return (selected ??= createWasmTransform() ?? typescriptTransform);
}
