/// <reference lib="dom" />
// Canvas drawing: a slice as an image with annotated axes and a colour bar, and one trace as a
// line plot down the vertical axis. Coordinates are annotation values; sample s of an axis of n
// samples covers [s, s + 1) / n of its side, so a coarse LOD covers the same area as the full one.
import type { SliceData } from './api.js';

/** One side of a plot: the annotation values of its first and last sample, and its sample count. */
export interface AxisScale {
  label: string;
  min: number;
  max: number;
  samples: number;
}

export interface Area {
  left: number;
  top: number;
  width: number;
  height: number;
}

const FONT = '12px system-ui, sans-serif';
const INK = '#333';

/** The slice's plot area in its canvas: room for the labels left and below, the colour bar right. */
export function sliceArea(canvas: HTMLCanvasElement): Area {
  return { left: 76, top: 14, width: canvas.width - 76 - 100, height: canvas.height - 14 - 50 };
}

function traceArea(canvas: HTMLCanvasElement): Area {
  return { left: 76, top: 28, width: canvas.width - 76 - 14, height: canvas.height - 28 - 50 };
}

/** Where annotation `value` of `axis` lies along a side of `length` pixels (sample centres at (s + ½)/n). */
export function offsetOf(axis: AxisScale, value: number, length: number): number {
  const sample = axis.samples > 1 ? ((value - axis.min) / (axis.max - axis.min)) * (axis.samples - 1) : 0;
  return ((sample + 0.5) / axis.samples) * length;
}

/** The sample of `axis` under a pixel `offset` along a side of `length` pixels, or undefined outside it. */
export function sampleAt(axis: AxisScale, offset: number, length: number): number | undefined {
  const sample = Math.floor((offset / length) * axis.samples);
  return sample >= 0 && sample < axis.samples ? sample : undefined;
}

/** About `count` round values (1, 2 or 5 × 10^k apart) within [min, max]. */
export function niceTicks(min: number, max: number, count: number): number[] {
  const [lo, hi] = min <= max ? [min, max] : [max, min];
  if (hi === lo) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function label(value: number): string {
  return Math.abs(value) >= 1e5 || (value !== 0 && Math.abs(value) < 1e-3) ? value.toExponential(2) : String(Number(value.toPrecision(6)));
}

function axisTitle(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, rotate: boolean): void {
  ctx.save();
  ctx.translate(x, y);
  if (rotate) ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, 0, 0);
  ctx.restore();
}

/** Ticks and labels along the bottom (annotation `x`) and left (annotation `y`, growing downwards) of `area`. */
function drawAxes(ctx: CanvasRenderingContext2D, area: Area, x: AxisScale | undefined, y: AxisScale): void {
  ctx.strokeStyle = INK;
  ctx.fillStyle = INK;
  ctx.font = FONT;
  ctx.lineWidth = 1;
  ctx.strokeRect(area.left - 0.5, area.top - 0.5, area.width + 1, area.height + 1);
  if (x) {
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const tick of niceTicks(x.min, x.max, Math.max(2, Math.floor(area.width / 90)))) {
      const px = Math.round(area.left + offsetOf(x, tick, area.width)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(px, area.top + area.height);
      ctx.lineTo(px, area.top + area.height + 5);
      ctx.stroke();
      ctx.fillText(label(tick), px, area.top + area.height + 8);
    }
    axisTitle(ctx, x.label, area.left + area.width / 2, area.top + area.height + 36, false);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const tick of niceTicks(y.min, y.max, Math.max(2, Math.floor(area.height / 60)))) {
    const py = Math.round(area.top + offsetOf(y, tick, area.height)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(area.left - 5, py);
    ctx.lineTo(area.left, py);
    ctx.stroke();
    ctx.fillText(label(tick), area.left - 8, py);
  }
  axisTitle(ctx, y.label, area.left - 60, area.top + area.height / 2, true);
}

/** The colour of `value` in `range` from a lookup table of RGB triples; no-value and NaN are transparent. */
function colorIndex(value: number, [lo, hi]: readonly [number, number], entries: number): number {
  const t = hi > lo ? (value - lo) / (hi - lo) : 0.5;
  return Math.round(Math.min(1, Math.max(0, t)) * (entries - 1));
}

export interface SlicePicture {
  slice: SliceData;
  /** The image's horizontal axis: the slice's rows. */
  x: AxisScale;
  /** The image's vertical axis, downwards: the slice's columns. */
  y: AxisScale;
  lut: readonly number[];
  range: readonly [number, number];
  noValue: number | null;
}

/** Draws the slice (nearest-neighbour, so a coarse LOD shows its blocks), its axes and its colour bar. */
export function drawSlice(canvas: HTMLCanvasElement, { slice, x, y, lut, range, noValue }: SlicePicture): void {
  const ctx = canvas.getContext('2d')!;
  const area = sliceArea(canvas);
  const [rows, columns] = slice.shape;
  const entries = lut.length / 3;
  const image = new ImageData(rows, columns);
  const pixels = image.data;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const value = slice.data[r * columns + c]!;
      if (Number.isNaN(value) || value === noValue) continue;
      const k = 3 * colorIndex(value, range, entries), at = 4 * (c * rows + r);
      pixels[at] = lut[k]!;
      pixels[at + 1] = lut[k + 1]!;
      pixels[at + 2] = lut[k + 2]!;
      pixels[at + 3] = 255;
    }
  }
  const bitmap = document.createElement('canvas');
  [bitmap.width, bitmap.height] = [rows, columns];
  bitmap.getContext('2d')!.putImageData(image, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(bitmap, area.left, area.top, area.width, area.height);
  drawAxes(ctx, area, x, y);
  drawColorBar(ctx, area, lut, range);
}

function drawColorBar(ctx: CanvasRenderingContext2D, area: Area, lut: readonly number[], [lo, hi]: readonly [number, number]): void {
  const left = area.left + area.width + 18, width = 16;
  const entries = lut.length / 3;
  for (let py = 0; py < area.height; py++) {
    const k = 3 * Math.round((1 - py / Math.max(1, area.height - 1)) * (entries - 1));
    ctx.fillStyle = `rgb(${lut[k]},${lut[k + 1]},${lut[k + 2]})`;
    ctx.fillRect(left, area.top + py, width, 1);
  }
  ctx.strokeStyle = INK;
  ctx.fillStyle = INK;
  ctx.strokeRect(left - 0.5, area.top - 0.5, width + 1, area.height + 1);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  for (const tick of niceTicks(lo, hi, 6)) {
    const py = Math.round(area.top + ((hi - tick) / (hi - lo || 1)) * (area.height - 1)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(left + width, py);
    ctx.lineTo(left + width + 4, py);
    ctx.stroke();
    ctx.fillText(label(tick), left + width + 7, py);
  }
}

/** A trace down the vertical axis `y`, amplitude across (symmetric about zero); `marker` a sample to point at. */
export function drawTrace(canvas: HTMLCanvasElement, title: string, values: Float32Array, y: AxisScale, marker: number | undefined): void {
  const ctx = canvas.getContext('2d')!;
  const area = traceArea(canvas);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  let peak = 0;
  for (const v of values) if (Number.isFinite(v)) peak = Math.max(peak, Math.abs(v));
  peak ||= 1;
  const px = (v: number) => area.left + ((v / peak + 1) / 2) * area.width;
  const py = (s: number) => area.top + ((s + 0.5) / values.length) * area.height;
  ctx.strokeStyle = '#bbb';
  ctx.beginPath();
  ctx.moveTo(px(0), area.top);
  ctx.lineTo(px(0), area.top + area.height);
  ctx.stroke();
  ctx.strokeStyle = '#1f4e9c';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  values.forEach((v, s) => (s ? ctx.lineTo(px(v), py(s)) : ctx.moveTo(px(v), py(s))));
  ctx.stroke();
  if (marker !== undefined) {
    ctx.strokeStyle = '#c00';
    ctx.beginPath();
    ctx.moveTo(area.left, Math.round(py(marker)) + 0.5);
    ctx.lineTo(area.left + area.width, Math.round(py(marker)) + 0.5);
    ctx.stroke();
  }
  drawAxes(ctx, area, undefined, y);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText(title, area.left + area.width / 2, 6);
  ctx.fillText(`amplitude ±${Number(peak.toPrecision(3))}`, area.left + area.width / 2, area.top + area.height + 10);
}
