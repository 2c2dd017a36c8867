/// <reference lib="dom" />
// The viewer: a dataset, a slice direction and a line picked by slider; the slice streamed from the
// service (progress, then coarse LOD, then full resolution) and drawn as it arrives; a click on the
// slice shows the trace under it. A new selection aborts the stream before it, which cancels that
// read on the server.
import { HttpError, ServiceClient, type AxisMetadata, type AxisRole, type DatasetMetadata, type SliceData } from './api.js';
import { drawSlice, drawTrace, sampleAt, sliceArea, type AxisScale, type SlicePicture } from './plot.js';

const element = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const ui = {
  dataset: element<HTMLSelectElement>('dataset'),
  direction: element<HTMLSelectElement>('direction'),
  line: element<HTMLInputElement>('line'),
  lineLabel: element<HTMLSpanElement>('line-label'),
  lineValue: element<HTMLOutputElement>('line-value'),
  colormap: element<HTMLSelectElement>('colormap'),
  tokenField: element<HTMLLabelElement>('token-field'),
  token: element<HTMLInputElement>('token'),
  progress: element<HTMLProgressElement>('progress'),
  status: element<HTMLOutputElement>('status'),
  slice: element<HTMLCanvasElement>('slice'),
  trace: element<HTMLCanvasElement>('trace'),
};

const TOKEN_KEY = 'rxvds-viewer-token';
const client = new ServiceClient();
client.token = sessionStorage.getItem(TOKEN_KEY) ?? '';

const DIRECTION: Record<AxisRole, 'i' | 'j' | 'k'> = { inline: 'i', crossline: 'j', sample: 'k' };

let colorMaps: Record<string, number[]> = {};
let metadata: DatasetMetadata | undefined;
/** The colour range of the dataset shown, set by its first slice so that moving through lines keeps the colours. */
let range: [number, number] | undefined;
/** What the slice canvas shows: redrawn on a colour-map change, read by a click. */
let shown: (SlicePicture & { sliced: AxisMetadata; index: number; xAxis: AxisMetadata; yAxis: AxisMetadata }) | undefined;
let sliceRead: AbortController | undefined;
let traceRead: AbortController | undefined;

type State = 'idle' | 'streaming' | 'done' | 'error';

function setStatus(state: State, text: string): void {
  ui.status.dataset.state = state;
  ui.status.textContent = text;
}

function fail(error: unknown): void {
  if ((error as Error).name === 'AbortError') return;
  if (error instanceof HttpError && error.status === 401) {
    ui.tokenField.hidden = false;
    ui.token.focus();
  }
  setStatus('error', (error as Error).message);
}

function axisTitle(axis: AxisMetadata): string {
  return axis.unit && axis.unit !== 'unitless' ? `${axis.name} (${axis.unit})` : axis.name;
}

function scale(axis: AxisMetadata): AxisScale {
  return { label: axisTitle(axis), min: axis.min, max: axis.max, samples: axis.samples };
}

function annotation(axis: AxisMetadata, index: number): number {
  return axis.samples > 1 ? Number((axis.min + ((axis.max - axis.min) * index) / (axis.samples - 1)).toPrecision(10)) : axis.min;
}

function roleTitle(axis: AxisMetadata): string {
  if (axis.role !== 'sample') return axis.role === 'inline' ? 'Inline' : 'Crossline';
  if (/^(ms|s)$/i.test(axis.unit)) return 'Time';
  if (/^(m|ft|km)$/i.test(axis.unit)) return 'Depth';
  return axis.name;
}

/** A robust colour range from a slice: the 1st to 99th percentile, symmetric about zero when it spans zero. */
function robustRange(data: Float32Array, noValue: number | null): [number, number] {
  const step = Math.max(1, Math.floor(data.length / 20_000));
  const values: number[] = [];
  for (let i = 0; i < data.length; i += step) if (Number.isFinite(data[i]!) && data[i] !== noValue) values.push(data[i]!);
  if (!values.length) return [0, 1];
  values.sort((a, b) => a - b);
  const lo = values[Math.floor(values.length * 0.01)]!, hi = values[Math.ceil(values.length * 0.99) - 1]!;
  if (lo < 0 && hi > 0) return [-Math.max(-lo, hi), Math.max(-lo, hi)];
  return hi > lo ? [lo, hi] : [lo - 1, lo + 1];
}

function selectedAxis(): AxisMetadata {
  return metadata!.axes.find((a) => a.role === ui.direction.value)!;
}

/** The slice's image axes: of the two other dimensions, the higher (the rows) across, the lower (the columns) down. */
function imageAxes(sliced: AxisMetadata): [x: AxisMetadata, y: AxisMetadata] {
  const others = metadata!.axes.filter((a) => a !== sliced).sort((a, b) => a.dimension - b.dimension);
  return [others[1]!, others[0]!];
}

function redraw(): void {
  if (!shown) return;
  shown.lut = colorMaps[ui.colormap.value]!;
  drawSlice(ui.slice, shown);
}

function drawTraceHint(): void {
  const ctx = ui.trace.getContext('2d')!;
  ctx.clearRect(0, 0, ui.trace.width, ui.trace.height);
  ctx.fillStyle = '#777';
  ctx.font = '13px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText('Click the slice', ui.trace.width / 2, ui.trace.height / 2 - 8);
  ctx.fillText('to show a trace', ui.trace.width / 2, ui.trace.height / 2 + 10);
  delete ui.trace.dataset.trace;
}

async function showSlice(): Promise<void> {
  sliceRead?.abort();
  const controller = (sliceRead = new AbortController());
  const sliced = selectedAxis();
  const index = Number(ui.line.value);
  const [xAxis, yAxis] = imageAxes(sliced);
  const position = `${annotation(sliced, index)}${sliced.unit && sliced.unit !== 'unitless' ? ` ${sliced.unit}` : ''}`;
  const what = `${roleTitle(sliced)} ${position}`;
  ui.lineValue.textContent = position;
  ui.progress.value = 0;
  setStatus('streaming', `${what}: requesting…`);
  const started = performance.now();
  let chunks = '';
  // The LODs drawn for this selection, in order (coarse first), on the canvas for whoever looks.
  const lods: number[] = [];
  delete ui.slice.dataset.lods;
  const metadataNow = metadata!;
  try {
    for await (const event of client.slice(metadataNow.id, DIRECTION[sliced.role!], index, controller.signal)) {
      if (controller.signal.aborted) return;
      if (event.kind === 'progress') {
        ui.progress.value = event.total ? event.done / event.total : 1;
        chunks = `${event.done}/${event.total} chunks`;
        setStatus('streaming', `${what}: ${chunks}`);
        continue;
      }
      const slice: SliceData = event;
      const noValue = metadataNow.channels[0]?.noValue ?? null;
      range ??= robustRange(slice.data, noValue);
      shown = { slice, x: scale(xAxis), y: scale(yAxis), lut: colorMaps[ui.colormap.value]!, range, noValue, sliced, index, xAxis, yAxis };
      drawSlice(ui.slice, shown);
      lods.push(slice.lod);
      ui.slice.dataset.lods = lods.join(',');
      setStatus('streaming', `${what}: LOD ${slice.lod} drawn (${slice.shape[0]} × ${slice.shape[1]}), ${chunks}`);
    }
    if (controller.signal.aborted) return;
    setStatus('done', `${what}: full resolution, ${chunks}, ${Math.round(performance.now() - started)} ms`);
  } catch (error) {
    if (!controller.signal.aborted) fail(error);
  }
}

async function showTrace(event: MouseEvent): Promise<void> {
  if (!shown || !metadata) return;
  const area = sliceArea(ui.slice);
  // The canvas may be scaled by CSS: back to its own pixels.
  const x = (event.offsetX * ui.slice.width) / ui.slice.clientWidth - area.left;
  const y = (event.offsetY * ui.slice.height) / ui.slice.clientHeight - area.top;
  const across = sampleAt(shown.x, x, area.width), down = sampleAt(shown.y, y, area.height);
  if (across === undefined || down === undefined) return;
  const at = new Map<AxisMetadata, number>([[shown.sliced, shown.index], [shown.xAxis, across], [shown.yAxis, down]]);
  const indexOf = (role: AxisRole) => at.get(metadata!.axes.find((a) => a.role === role)!)!;
  const [i, j] = [indexOf('inline'), indexOf('crossline')];
  const sampleAxis = metadata.axes.find((a) => a.role === 'sample')!;
  traceRead?.abort();
  const controller = (traceRead = new AbortController());
  try {
    const values = await client.trace(metadata.id, i, j, controller.signal);
    const inline = metadata.axes.find((a) => a.role === 'inline')!, crossline = metadata.axes.find((a) => a.role === 'crossline')!;
    // The clicked sample is marked when the slice shows the vertical axis.
    const marker = shown.sliced === sampleAxis ? shown.index : at.get(sampleAxis);
    drawTrace(ui.trace, `IL ${annotation(inline, i)} · XL ${annotation(crossline, j)}`, values, scale(sampleAxis), marker);
    ui.trace.dataset.trace = `${i},${j}`;
  } catch (error) {
    fail(error);
  }
}

async function openDataset(id: string): Promise<void> {
  sliceRead?.abort();
  shown = undefined;
  range = undefined;
  drawTraceHint();
  metadata = await client.metadata(id);
  const roles = metadata.axes.filter((a) => a.role !== null);
  if (metadata.axes.length !== 3 || roles.length !== 3) {
    metadata = undefined;
    throw new Error(`${id} is not a 3D survey with inline, crossline and sample axes: the viewer shows slices of those`);
  }
  const previous = ui.direction.value || 'inline';
  ui.direction.replaceChildren(...(['inline', 'crossline', 'sample'] as const).map((role) => new Option(roleTitle(roles.find((a) => a.role === role)!), role)));
  ui.direction.value = previous;
  selectDirection();
}

function selectDirection(): void {
  const axis = selectedAxis();
  ui.lineLabel.textContent = roleTitle(axis);
  ui.line.max = String(axis.samples - 1);
  ui.line.value = String(axis.samples >> 1);
  void showSlice();
}

async function start(): Promise<void> {
  try {
    colorMaps = await (await fetch('/viewer/colormaps.json')).json() as Record<string, number[]>;
    ui.colormap.replaceChildren(...Object.keys(colorMaps).map((name) => new Option(name, name)));
    const ids = await client.datasets();
    ui.tokenField.hidden = !client.token;
    if (!ids.length) return setStatus('idle', 'The service has no datasets.');
    ui.dataset.replaceChildren(...ids.map((id) => new Option(id, id)));
    await openDataset(ids[0]!);
  } catch (error) {
    fail(error);
  }
}

ui.dataset.addEventListener('change', () => void openDataset(ui.dataset.value).catch(fail));
ui.direction.addEventListener('change', selectDirection);
ui.line.addEventListener('input', () => void showSlice());
ui.colormap.addEventListener('change', redraw);
ui.slice.addEventListener('click', (event) => void showTrace(event));
ui.token.addEventListener('change', () => {
  client.token = ui.token.value.trim();
  sessionStorage.setItem(TOKEN_KEY, client.token);
  void start();
});
drawTraceHint();
void start();
