// An independent PNG reader for the specs (8-bit RGB or RGBA, non-interlaced): chunk walk, inflate,
// scanline unfiltering. Pixels come back as RGB (alpha dropped).
import { expect } from 'chai';
import { inflateSync } from 'node:zlib';

export interface DecodedPNG {
  width: number;
  height: number;
  pixel(x: number, y: number): number[];
}

/** Bytes per pixel of the colour types read here: 2 truecolour, 6 truecolour with alpha. */
const CHANNELS: Record<number, number> = { 2: 3, 6: 4 };

export function decodePNG(png: Uint8Array): DecodedPNG {
  const bytes = Buffer.from(png);
  expect([...bytes.subarray(0, 8)]).to.deep.equal([137, 80, 78, 71, 13, 10, 26, 10]);
  let at = 8, width = 0, height = 0, channels = 0;
  const idat: Buffer[] = [];
  while (at < bytes.length) {
    const length = bytes.readUInt32BE(at), type = bytes.toString('latin1', at + 4, at + 8);
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      [width, height] = [body.readUInt32BE(0), body.readUInt32BE(4)];
      channels = CHANNELS[body[9]!] ?? 0;
      expect(channels, `colour type ${body[9]}`).to.be.above(0);
      expect([body[8], ...body.subarray(10)]).to.deep.equal([8, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(body);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  expect(raw.length).to.equal(height * (stride + 1));
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[y * stride + i - channels]! : 0, b = y > 0 ? out[(y - 1) * stride + i]! : 0;
      const c = i >= channels && y > 0 ? out[(y - 1) * stride + i - channels]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!;
      out[y * stride + i] = (raw[y * (stride + 1) + 1 + i]! + predictor) & 0xFF;
    }
  }
  return { width, height, pixel: (x, y) => [...out.subarray(channels * (x + y * width), channels * (x + y * width) + 3)] };
}
