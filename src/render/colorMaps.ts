// Colour maps, each defined by a few anchor colours evenly spaced over [0, 1] and interpolated linearly.
import { InvalidArgumentError } from '../model/errors.js';

export type ColorMapName = 'seismic' | 'grey' | 'viridis';

export const colorMapNames: readonly ColorMapName[] = ['seismic', 'grey', 'viridis'];

export type RGB = readonly [number, number, number];

const anchors: Record<ColorMapName, readonly RGB[]> = {
  // Blue – white – red, the usual amplitude map: white at zero when the range is symmetric.
  seismic: [[0, 0, 180], [255, 255, 255], [180, 0, 0]],
  grey: [[0, 0, 0], [255, 255, 255]],
  // Viridis (perceptually uniform), from its published nine-step sampling #440154 … #FDE725.
  viridis: [
    [0x44, 0x01, 0x54], [0x47, 0x2D, 0x7B], [0x3B, 0x52, 0x8B], [0x2C, 0x72, 0x8E], [0x21, 0x90, 0x8C],
    [0x27, 0xAD, 0x81], [0x5D, 0xC8, 0x63], [0xAA, 0xDC, 0x32], [0xFD, 0xE7, 0x25],
  ],
};

/** The colour of `t` in [0, 1] (clamped; NaN is not a colour: callers draw no-value themselves). */
export function colorAt(name: ColorMapName, t: number): RGB {
  const points = anchors[name];
  if (!points) throw new InvalidArgumentError(`unknown colour map "${name}" (known: ${colorMapNames.join(', ')})`);
  const x = Math.min(1, Math.max(0, t)) * (points.length - 1);
  const k = Math.min(points.length - 2, Math.floor(x));
  const f = x - k;
  const [a, b] = [points[k]!, points[k + 1]!];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}
