// Who runs the hot loops of a wavelet decode (the inverse transform, the quantisation to U8/U16):
// the WebAssembly SIMD kernels where the runtime has them, else the TypeScript reference
// (inverseTransform.ts, deliver.ts), which the tests hold the kernels to bit for bit.
import { volume, type BandStructure } from './bandStructure.js';
import { quantizePicture, type Quantization } from './deliver.js';
import { inverseTransform } from './inverseTransform.js';
import { createWasmBackend } from './wasm/wasmBackend.js';

export interface WaveletBackend {
  readonly name: 'typescript' | 'wasm-simd';
  /**
   * A zeroed working buffer for the chunk (the padded picture). The WebAssembly backend's lives
   * in its own memory so that the transform needs no copy; it stays valid until the next call.
   */
  workingBuffer(bands: BandStructure): Float32Array;
  /** In place; any Float32Array of the padded size works, the working buffer is just faster. */
  inverseTransform(picture: Float32Array, bands: BandStructure, integerInfo: number): void;
  /** The block quantised to U8/U16 codes. */
  quantize(picture: Float32Array, bands: BandStructure, quantization: Quantization): Uint8Array;
}

export const typescriptBackend: WaveletBackend = {
  name: 'typescript',
  workingBuffer: (bands) => new Float32Array(volume(bands.allocated)),
  inverseTransform,
  quantize: quantizePicture,
};

let selected: WaveletBackend | undefined;

/** Chosen at first use, once per thread: WebAssembly SIMD when it compiles here. */
export function defaultWaveletBackend(): WaveletBackend {
  return (selected ??= createWasmBackend() ?? typescriptBackend);
}
