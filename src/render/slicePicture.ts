// Pictures of slices: a shaped 2D subset drawn with a colour map, annotated axes (ticks and labels in
// annotation coordinates), a colour bar with values, and resampling to a readable size.
import { InvalidArgumentError } from '../model/errors.js';
import type { VolumeDataTypedArray } from '../model/formats.js';
import type { ShapedAxis, ShapedSubset } from '../api/shapedSubset.js';
import { advance, type Canvas, drawText, lineHeight, setPixel, textWidth } from './bitmapFont.js';
import { colorAt, type ColorMapName, colorMapNames, type RGB } from './colorMaps.js';
import { encodePNG, type RGBImage } from './png.js';

export interface SlicePictureOptions {
  /** `seismic` (blue–white–red, the default), `grey` or `viridis`. */
  colorMap?: ColorMapName;
  /** Display range: `c` for [−c, c], or `[low, high]`. Excludes `percentile`. */
  clip?: number | readonly [number, number];
  /**
   * Display range from the data, in percent (default 99): ±the P-th percentile of |value| when the
   * values have both signs (amplitudes), else the (100−P)-th to P-th percentile.
   */
  percentile?: number;
  /** Amplitude gain: values are multiplied by it before colouring, so 2 halves the display range. */
  gain?: number;
  /** Width of the whole picture in pixels (default 800). */
  width?: number;
  /** Height of the whole picture; by default the plot is between half and once as tall as wide, following the data. */
  height?: number;
  /** How data samples are spread over pixels: `bilinear` (default) between sample centres, or `nearest`. */
  resampling?: 'nearest' | 'bilinear';
  /** Text over the picture, e.g. `f3 — Inline 120`. */
  title?: string;
  /** Name of the values, over the colour bar (e.g. the channel name and unit). */
  valueLabel?: string;
}

/** A rectangle of the picture, in pixels from its top-left corner. */
export interface PictureRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A rendered slice, with where its plot and colour bar are (to overlay picks, or to test). */
export interface SlicePicture extends RGBImage {
  /** The data area: row 0 is the first sample of the down axis, column 0 the first of the across axis. */
  readonly plot: PictureRect;
  /** The colour bar: its top row is the colour of the high end of the display range, its bottom row the low end. */
  readonly colorBar: PictureRect;
}

const BACKGROUND: RGB = [255, 255, 255];
const INK: RGB = [32, 32, 32];
/** Not-a-number samples: a colour no map uses, so they cannot pass for data. */
const NO_VALUE: RGB = [255, 0, 255];

/** The two axes a picture shows: the lower dimension runs down (time/depth in a section), the higher across. */
function pictureAxes(slice: ShapedSubset<VolumeDataTypedArray>): { down: number; across: number } {
  const spanning = slice.axes.map((_, n) => n).filter((n) => slice.shape[n]! > 1);
  const component = slice.axes.findIndex((a) => a.dimension < 0);
  if (component >= 0) throw new InvalidArgumentError(`a picture shows one component; this channel has ${slice.shape[component]}`);
  if (spanning.length !== 2) {
    const described = spanning.map((n) => `${slice.axes[n]!.name} ×${slice.shape[n]}`).join(', ') || 'a single sample';
    throw new InvalidArgumentError(spanning.length > 2
      ? `a picture needs exactly two axes with more than one sample; this subset spans ${described}: choose one value for all but two of them`
      : `a picture needs two axes with more than one sample; this subset spans ${described}`);
  }
  return { down: spanning[0]!, across: spanning[1]! };
}

/** The slice as rows (down axis) × columns (across axis) of numbers. */
function grid(slice: ShapedSubset<VolumeDataTypedArray>, down: number, across: number): Float64Array {
  const [rows, cols] = [slice.shape[down]!, slice.shape[across]!];
  const [rowStride, colStride] = [slice.strides[down]!, slice.strides[across]!];
  const values = new Float64Array(rows * cols);
  const data = slice.data;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) values[r * cols + c] = Number(data[r * rowStride + c * colStride]!);
  return values;
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor((sorted.length - 1) * q)))]!;
}

/** The [low, high] data values the colour map spans (before gain), from `clip` or `percentile`. */
export function displayRange(values: ArrayLike<number>, options: Pick<SlicePictureOptions, 'clip' | 'percentile'> = {}): [number, number] {
  const { clip, percentile } = options;
  if (clip !== undefined) {
    if (percentile !== undefined) throw new InvalidArgumentError('give clip or percentile, not both');
    const [lo, hi] = typeof clip === 'number' ? [-clip, clip] : [clip[0], clip[1]];
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) throw new InvalidArgumentError(`clip must be a positive number or [low, high] with low < high, got ${JSON.stringify(clip)}`);
    return [lo, hi];
  }
  const p = percentile ?? 99;
  if (!(p > 0 && p <= 100)) throw new InvalidArgumentError(`percentile must be in (0, 100], got ${p}`);
  // A strided sample of at most ~100 000 finite values is plenty for a percentile.
  const step = Math.max(1, Math.floor(values.length / 100_000));
  const sample: number[] = [];
  for (let i = 0; i < values.length; i += step) if (Number.isFinite(values[i]!)) sample.push(values[i]!);
  if (!sample.length) return [-1, 1];
  const sorted = Float64Array.from(sample).sort();
  const [min, max] = [sorted[0]!, sorted[sorted.length - 1]!];
  if (min < 0 && max > 0) {
    const c = quantile(Float64Array.from(sample, Math.abs).sort(), p / 100);
    return c > 0 ? [-c, c] : [min, max];
  }
  const [lo, hi] = [quantile(sorted, 1 - p / 100), quantile(sorted, p / 100)];
  return lo < hi ? [lo, hi] : [lo - 1, hi + 1];
}

/** A tick step of 1, 2 or 5 × 10^k giving at most `maxTicks` ticks over `span`, never finer than the axis step. */
function tickStep(span: number, maxTicks: number, axisStep: number): number {
  const raw = span / Math.max(1, maxTicks);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  return Math.max(step, Math.abs(axisStep));
}

/** A number with the decimals `resolution` needs (exponent form when very large or small). */
function formatValue(value: number, resolution: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-4) return value.toExponential(2);
  const decimals = Math.min(6, Math.max(0, -Math.floor(Math.log10(Math.abs(resolution) || 1) + 1e-9)));
  return value.toFixed(decimals);
}

interface Tick { at: number; label: string }

/** Ticks of an axis shown over `length` pixels: annotation values at multiples of a nice step. */
function ticks(axis: ShapedAxis, length: number, minSpacing: (label: string) => number): Tick[] {
  const last = axis.start + (axis.count - 1) * axis.step;
  const [lo, hi] = [Math.min(axis.start, last), Math.max(axis.start, last)];
  const pixel = (value: number) => ((value - axis.start) / axis.step + 0.5) * (length / axis.count);
  const spacing = Math.max(...[lo, hi].map((v) => minSpacing(formatValue(v, Math.abs(axis.step)))));
  const step = tickStep(hi - lo || 1, Math.floor(length / spacing), axis.step);
  const result: Tick[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k++) {
    const value = k * step;
    result.push({ at: Math.round(pixel(value)), label: formatValue(value, step) });
  }
  return result;
}

const axisTitle = (axis: ShapedAxis): string => (axis.unit && axis.unit !== 'unitless' ? `${axis.name} (${axis.unit})` : axis.name);

/** Bilinear (or nearest) value at fractional row/column `v`, `u` of the grid, centres at integers. */
function sampleGrid(values: Float64Array, rows: number, cols: number, v: number, u: number, bilinear: boolean): number {
  if (!bilinear) return values[Math.min(rows - 1, Math.max(0, Math.round(v))) * cols + Math.min(cols - 1, Math.max(0, Math.round(u)))]!;
  const [y, x] = [Math.min(rows - 1, Math.max(0, v)), Math.min(cols - 1, Math.max(0, u))];
  const [r0, c0] = [Math.min(rows - 2, Math.floor(y)), Math.min(cols - 2, Math.floor(x))];
  const [fy, fx] = [y - r0, x - c0];
  const at = (r: number, c: number) => values[r * cols + c]!;
  const top = at(r0, c0) * (1 - fx) + at(r0, c0 + 1) * fx;
  const bottom = at(r0 + 1, c0) * (1 - fx) + at(r0 + 1, c0 + 1) * fx;
  return top * (1 - fy) + bottom * fy;
}

function fillRect(canvas: Canvas, x: number, y: number, w: number, h: number, colour: RGB): void {
  for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) setPixel(canvas, x + i, y + j, colour);
}

function frame(canvas: Canvas, x: number, y: number, w: number, h: number): void {
  fillRect(canvas, x - 1, y - 1, w + 2, 1, INK);
  fillRect(canvas, x - 1, y + h, w + 2, 1, INK);
  fillRect(canvas, x - 1, y - 1, 1, h + 2, INK);
  fillRect(canvas, x + w, y - 1, 1, h + 2, INK);
}

/**
 * Draws a 2D slice: the subset must have exactly two axes with more than one sample (for 4D data,
 * select one value of the fourth axis first); the lower dimension runs down the picture.
 */
export function renderSlice(slice: ShapedSubset<VolumeDataTypedArray>, options: SlicePictureOptions = {}): SlicePicture {
  const colorMap = options.colorMap ?? 'seismic';
  if (!colorMapNames.includes(colorMap)) throw new InvalidArgumentError(`unknown colour map "${colorMap}" (known: ${colorMapNames.join(', ')})`);
  const gain = options.gain ?? 1;
  if (!(Number.isFinite(gain) && gain > 0)) throw new InvalidArgumentError(`gain must be a positive number, got ${gain}`);
  const width = options.width ?? 800;
  if (!Number.isInteger(width) || width < 1 || width > 16384) throw new InvalidArgumentError(`width must be an integer in 1…16384, got ${width}`);
  if (options.height !== undefined && (!Number.isInteger(options.height) || options.height < 1 || options.height > 16384)) {
    throw new InvalidArgumentError(`height must be an integer in 1…16384, got ${options.height}`);
  }
  if (options.resampling !== undefined && options.resampling !== 'nearest' && options.resampling !== 'bilinear') {
    throw new InvalidArgumentError(`resampling must be nearest or bilinear, got ${String(options.resampling)}`);
  }
  const { down, across } = pictureAxes(slice);
  const [downAxis, acrossAxis] = [slice.axes[down]!, slice.axes[across]!];
  const [rows, cols] = [downAxis.count, acrossAxis.count];
  const values = grid(slice, down, across);
  const [rangeLo, rangeHi] = displayRange(values, options);
  const [lo, hi] = [rangeLo / gain, rangeHi / gain];

  // Layout: title and axis names on top, across-axis ticks over the plot, down-axis ticks to its
  // left, the colour bar and its values to its right.
  const s = width >= 480 ? 2 : 1;
  const [pad, gap, tickLength, line] = [4 * s, 3 * s, 3 * s, lineHeight(s)];
  const barValues = [0, 1, 2, 3, 4].map((k) => hi - (k * (hi - lo)) / 4);
  const barLabels = barValues.map((v) => formatValue(v, (hi - lo) / 4));
  const barWidth = 8 * s;
  // Tick labels have at most the decimals of the axis step (ticks are never finer).
  const downLabelWidth = Math.max(...[downAxis.start, downAxis.start + (rows - 1) * downAxis.step]
    .map((v) => textWidth(formatValue(v, Math.abs(downAxis.step)), s))) + advance(s);
  const left = pad + downLabelWidth + gap + tickLength;
  const right = gap * 3 + barWidth + gap + Math.max(...barLabels.map((l) => textWidth(l, s))) + pad;
  const top = pad + (options.title ? line + 2 * gap : 0) + line + gap + line + gap + tickLength;
  const plotWidth = width - left - right;
  if (plotWidth < 8) throw new InvalidArgumentError(`width ${width} leaves no room for the plot next to its labels (at least ${left + right + 8} pixels)`);
  const plotHeight = options.height !== undefined ? options.height - top - pad
    : Math.round(plotWidth * Math.min(1, Math.max(0.5, rows / cols)));
  if (plotHeight < 8) throw new InvalidArgumentError(`height ${options.height} leaves no room for the plot under its labels (at least ${top + pad + 8} pixels)`);
  const height = top + plotHeight + pad;
  const canvas: Canvas = { width, height, rgb: new Uint8Array(width * height * 3).fill(BACKGROUND[0]) };

  // The plot.
  const bilinear = (options.resampling ?? 'bilinear') === 'bilinear';
  const scale = 1 / (hi - lo);
  for (let py = 0; py < plotHeight; py++) {
    const v = ((py + 0.5) * rows) / plotHeight - 0.5;
    for (let px = 0; px < plotWidth; px++) {
      const value = sampleGrid(values, rows, cols, v, ((px + 0.5) * cols) / plotWidth - 0.5, bilinear);
      setPixel(canvas, left + px, top + py, Number.isFinite(value) ? colorAt(colorMap, (value - lo) * scale) : NO_VALUE);
    }
  }
  frame(canvas, left, top, plotWidth, plotHeight);

  // Titles.
  let y = pad;
  if (options.title) { drawText(canvas, options.title, left, y, s, INK); y += line + 2 * gap; }
  const acrossTitle = axisTitle(acrossAxis);
  drawText(canvas, acrossTitle, left + Math.max(0, Math.round((plotWidth - textWidth(acrossTitle, s)) / 2)), y, s, INK);
  drawText(canvas, axisTitle(downAxis), pad, y, s, INK);
  if (options.valueLabel) drawText(canvas, options.valueLabel, Math.max(0, Math.min(left + plotWidth + gap * 3, width - textWidth(options.valueLabel, s))), y, s, INK);
  y += line + gap;

  // Across-axis ticks above the plot, down-axis ticks to its left.
  for (const tick of ticks(acrossAxis, plotWidth, (label) => textWidth(label, s) + 3 * advance(s))) {
    fillRect(canvas, left + tick.at, top - tickLength - 1, 1, tickLength, INK);
    const w = textWidth(tick.label, s);
    drawText(canvas, tick.label, Math.min(width - w, Math.max(0, left + tick.at - Math.floor(w / 2))), y, s, INK);
  }
  for (const tick of ticks(downAxis, plotHeight, () => line * 3)) {
    fillRect(canvas, left - tickLength - 1, top + tick.at, tickLength, 1, INK);
    drawText(canvas, tick.label, left - tickLength - gap - textWidth(tick.label, s), top + tick.at - Math.floor(line / 2), s, INK);
  }

  // The colour bar: high values at the top.
  const barLeft = left + plotWidth + gap * 3;
  for (let j = 0; j < plotHeight; j++) fillRect(canvas, barLeft, top + j, barWidth, 1, colorAt(colorMap, plotHeight > 1 ? 1 - j / (plotHeight - 1) : 0.5));
  frame(canvas, barLeft, top, barWidth, plotHeight);
  barLabels.forEach((label, k) => {
    const at = top + Math.round((k * (plotHeight - 1)) / 4);
    fillRect(canvas, barLeft + barWidth + 1, at, gap, 1, INK);
    drawText(canvas, label, barLeft + barWidth + 2 * gap, Math.min(height - line, Math.max(0, at - Math.floor(line / 2))), s, INK);
  });
  return { ...canvas, plot: { x: left, y: top, width: plotWidth, height: plotHeight }, colorBar: { x: barLeft, y: top, width: barWidth, height: plotHeight } };
}

/** `renderSlice` as a PNG file. */
export function slicePNG(slice: ShapedSubset<VolumeDataTypedArray>, options: SlicePictureOptions = {}): Uint8Array {
  return encodePNG(renderSlice(slice, options));
}
