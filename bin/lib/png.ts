// Minimal PNG writer (8-bit RGB, zlib via node) for slices, with a seismic colour map.
import { deflateSync } from 'node:zlib';

const crcTable = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xFFFFFFFF;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xFF]! ^ (c >>> 8);
  return (c ^ 0xFFFFFFFF) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Encodes `rgb` (width × height × 3 bytes, rows top to bottom) as a PNG file. */
export function encodePNG(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter method, no interlace
  const raw = new Uint8Array(height * (1 + width * 3));
  for (let y = 0; y < height; y++) raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (1 + width * 3) + 1);
  const parts = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** Blue–white–red, the usual seismic amplitude map; `t` in [0, 1]. */
export function seismicColour(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t));
  if (x < 0.5) {
    const k = x / 0.5;
    return [Math.round(255 * k), Math.round(255 * k), 255 - Math.round(75 * (1 - k))];
  }
  const k = (x - 0.5) / 0.5;
  return [255 - Math.round(75 * k), Math.round(255 * (1 - k)), Math.round(255 * (1 - k))];
}

/**
 * Renders a 2D slice (dimension `fast` varies along x) with values clipped to `[lo, hi]`.
 * `values[i + j·width]` is drawn at column i, row j.
 */
export function sliceToPNG(values: ArrayLike<number>, width: number, height: number, lo: number, hi: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  const scale = hi > lo ? 1 / (hi - lo) : 0;
  for (let i = 0; i < width * height; i++) {
    const v = values[i]!;
    const [r, g, b] = Number.isFinite(v) ? seismicColour((v - lo) * scale) : [0, 0, 0];
    rgb[i * 3] = r; rgb[i * 3 + 1] = g; rgb[i * 3 + 2] = b;
  }
  return encodePNG(width, height, rgb);
}

/** Symmetric clip at the given percentile of |value|, the usual display range for amplitudes. */
export function percentileClip(values: ArrayLike<number>, percentile = 0.99): number {
  const step = Math.max(1, Math.floor(values.length / 100_000));
  const sample: number[] = [];
  for (let i = 0; i < values.length; i += step) if (Number.isFinite(values[i]!)) sample.push(Math.abs(values[i]!));
  sample.sort((a, b) => a - b);
  return sample[Math.min(sample.length - 1, Math.floor(sample.length * percentile))] ?? 1;
}
