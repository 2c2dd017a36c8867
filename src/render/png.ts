// PNG encoding of an RGB picture (8-bit truecolour, one IDAT, on the Zip codec's zlib: Node's, or
// fflate's in a browser).
import { deflateZlib } from '../codecs/zlib.js';
import { InvalidArgumentError } from '../model/errors.js';

/** An 8-bit RGB picture: `rgb[3·(x + y·width) + c]`, rows top to bottom. */
export interface RGBImage {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
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

/** CRC-32 (ISO 3309, as PNG chunks carry it), one table lookup per byte. */
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xFFFFFFFF;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xFF]! ^ (c >>> 8);
  return (c ^ 0xFFFFFFFF) >>> 0;
}

const paeth = (a: number, b: number, c: number): number => {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/**
 * The scanlines, each behind its filter type byte. Per row the filter (none, Sub, Up, Average, Paeth)
 * with the smallest sum of absolute residuals, the usual heuristic: smooth colour ramps then deflate
 * to a fraction of their unfiltered size.
 */
function filterRows(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const rowBytes = width * 3;
  const out = new Uint8Array(height * (1 + rowBytes));
  const candidate = new Uint8Array(rowBytes);
  for (let y = 0; y < height; y++) {
    const row = rgb.subarray(y * rowBytes, (y + 1) * rowBytes);
    const above = y > 0 ? rgb.subarray((y - 1) * rowBytes, y * rowBytes) : undefined;
    let best = Infinity;
    for (let type = 0; type < 5; type++) {
      let cost = 0;
      for (let i = 0; i < rowBytes; i++) {
        const a = i >= 3 ? row[i - 3]! : 0, b = above ? above[i]! : 0, c = above && i >= 3 ? above[i - 3]! : 0;
        const predicted = type === 0 ? 0 : type === 1 ? a : type === 2 ? b : type === 3 ? (a + b) >> 1 : paeth(a, b, c);
        const residual = (row[i]! - predicted) & 0xFF;
        candidate[i] = residual;
        cost += residual < 128 ? residual : 256 - residual;
      }
      if (cost < best) {
        best = cost;
        out[y * (1 + rowBytes)] = type;
        out.set(candidate, y * (1 + rowBytes) + 1);
      }
    }
  }
  return out;
}

/** The PNG file of `image`. */
export function encodePNG(image: RGBImage): Uint8Array {
  const { width, height, rgb } = image;
  if (rgb.length !== width * height * 3) throw new InvalidArgumentError(`an RGB image of ${width}×${height} needs ${width * height * 3} bytes, got ${rgb.length}`);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter method, no interlace
  const raw = filterRows(width, height, rgb);
  const parts = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header),
    chunk('IDAT', deflateZlib(raw)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
