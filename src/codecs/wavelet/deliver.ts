// The last step of a decode (format sheet 3.6.10): the padded picture cropped to the block,
// as R32 bits or quantised to U8/U16 codes. This is the reference the WebAssembly kernels are
// held to, and the fallback where they are unavailable.
import { noValueCode, quantizeWithReciprocalScale } from '../../model/convert.js';
import { VolumeDataFormat as F } from '../../model/enums.js';
import type { BandStructure } from './bandStructure.js';

export interface Quantization {
  format: F.Format_U8 | F.Format_U16;
  /** The value of code 0 (the range minimum). */
  offset: number;
  /** f32((buckets - 1) / range). */
  reciprocal: number;
  buckets: number;
  /** Samples equal to it (NaN matching NaN) get the no-value code; undefined when the channel has none. */
  noValue: number | undefined;
}

export function cropPicture(picture: Float32Array, bands: BandStructure): Uint8Array {
  const [sx, sy, sz] = bands.size;
  const { pitchY, pitchZ } = bands;
  const source = new Uint32Array(picture.buffer, picture.byteOffset, picture.length);
  const out = new Uint32Array(sx * sy * sz);
  let o = 0;
  for (let z = 0; z < sz; z++) for (let y = 0; y < sy; y++, o += sx) out.set(source.subarray(y * pitchY + z * pitchZ, y * pitchY + z * pitchZ + sx), o);
  return new Uint8Array(out.buffer);
}

export function quantizePicture(picture: Float32Array, bands: BandStructure, q: Quantization): Uint8Array {
  const [sx, sy, sz] = bands.size;
  const { pitchY, pitchZ } = bands;
  const { offset, reciprocal, buckets, noValue } = q;
  const code = noValueCode(q.format);
  const useNoValue = noValue !== undefined;
  const noValueIsNaN = Number.isNaN(noValue);
  const out = q.format === F.Format_U8 ? new Uint8Array(sx * sy * sz) : new Uint16Array(sx * sy * sz);
  let o = 0;
  for (let z = 0; z < sz; z++) {
    for (let y = 0; y < sy; y++) {
      const row = y * pitchY + z * pitchZ;
      for (let x = 0; x < sx; x++) {
        const v = picture[row + x]!;
        out[o++] = useNoValue && (v === noValue || (noValueIsNaN && v !== v)) ? code : quantizeWithReciprocalScale(v, offset, reciprocal, buckets);
      }
    }
  }
  return new Uint8Array(out.buffer);
}
