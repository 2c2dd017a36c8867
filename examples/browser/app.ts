// The browser demo: open a VDS dataset by URL, show an inline, crossline or time slice on a canvas
// with a colour map and a progress bar fed by the request's Observable. Every new selection
// switches to a new request, which unsubscribes from (and so cancels) the one before: its
// fetches are aborted and its queued decode jobs dropped.
// In an application: `import * as vds from 'rxvds'` (a bundler picks the browser build).
import { catchError, combineLatest, EMPTY, filter, finalize, fromEvent, map, merge, type Observable, of, startWith, switchMap, tap } from 'rxjs';
import * as vds from '../../src/browser.js';

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = element<HTMLFormElement>('open');
const urlInput = element<HTMLInputElement>('url');
const selectionControls = element<HTMLFieldSetElement>('selection');
const axisSelect = element<HTMLSelectElement>('axis');
const indexInput = element<HTMLInputElement>('index');
const positionOutput = element<HTMLOutputElement>('position');
const colorMapSelect = element<HTMLSelectElement>('colorMap');
const progress = element<HTMLProgressElement>('progress');
const status = element<HTMLDivElement>('status');
const canvas = element<HTMLCanvasElement>('slice');

for (const name of vds.colorMapNames) colorMapSelect.add(new Option(name, name));

/** A slice: all of two dimensions at one index of the third (0 = time/depth, 1 = crossline, 2 = inline). */
interface SlicePosition { readonly dimension: number; readonly index: number }

interface DrawnSlice { readonly position: SlicePosition; readonly subset: vds.ShapedSubset; readonly title: string; readonly ms: number }

function report(message: string, error?: unknown): void {
  status.textContent = message;
  if (error !== undefined) console.error(error);
}

const axisLabel = (layout: vds.VolumeDataLayout, dimension: number, index: number): string => {
  const n = layout.getDimensionNumSamples(dimension);
  const [first, last] = [layout.getDimensionMin(dimension), layout.getDimensionMax(dimension)];
  const value = n > 1 ? first + (index * (last - first)) / (n - 1) : first;
  return `${layout.getDimensionName(dimension)} ${Number(value.toFixed(3))}`;
};

/** The selected slice; changing the axis puts the slider in the middle of the new axis. */
function positions(layout: vds.VolumeDataLayout): Observable<SlicePosition> {
  const centre = () => {
    const n = layout.getDimensionNumSamples(Number(axisSelect.value));
    indexInput.max = String(n - 1);
    indexInput.value = String(n >> 1);
  };
  centre();
  return merge(fromEvent(axisSelect, 'change').pipe(tap(centre)), fromEvent(indexInput, 'input')).pipe(
    startWith(undefined),
    map(() => ({ dimension: Number(axisSelect.value), index: Number(indexInput.value) })),
    tap(({ dimension, index }) => { positionOutput.value = axisLabel(layout, dimension, index); }),
  );
}

/** Reads one slice, driving the progress bar; unsubscribing cancels the request. */
function readSlice(dataset: vds.VDS, layout: vds.VolumeDataLayout, position: SlicePosition): Observable<DrawnSlice> {
  const min = [0, 0, 0], max = [0, 1, 2].map((d) => layout.getDimensionNumSamples(d));
  min[position.dimension] = position.index;
  max[position.dimension] = position.index + 1;
  const title = axisLabel(layout, position.dimension, position.index);
  const started = performance.now();
  progress.value = 0;
  report(`Reading ${title}…`);
  return vds.requestShapedSubset(dataset, { min, max }).asObservable().pipe(
    tap((event) => { if (event.kind === 'progress') progress.value = event.completionFactor; }),
    filter((event) => event.kind === 'data'),
    map((event) => ({ position, subset: event.data, title, ms: performance.now() - started })),
    catchError((error: unknown) => {
      report(`${title}: ${error instanceof Error ? error.message : String(error)}`, error);
      return EMPTY;
    }),
  );
}

function draw({ position, subset, title, ms }: DrawnSlice, colorMap: vds.ColorMapName): void {
  // As wide as the page allows, up to 800 pixels.
  const picture = vds.renderSlice(subset, { colorMap, title, width: Math.max(240, Math.min(800, document.body.clientWidth)) });
  canvas.width = picture.width;
  canvas.height = picture.height;
  const image = new ImageData(picture.width, picture.height);
  for (let i = 0, j = 0; i < picture.rgb.length; i += 3, j += 4) {
    image.data[j] = picture.rgb[i]!;
    image.data[j + 1] = picture.rgb[i + 1]!;
    image.data[j + 2] = picture.rgb[i + 2]!;
    image.data[j + 3] = 255;
  }
  canvas.getContext('2d')!.putImageData(image, 0, 0);
  // Where the data is, and which slice: for tests and for anyone overlaying picks.
  canvas.dataset.plot = JSON.stringify(picture.plot);
  canvas.dataset.drawn = `${position.dimension}:${position.index}`;
  report(`${title}: ${subset.shape.filter((n) => n > 1).join(' × ')} samples in ${ms.toFixed(0)} ms`);
}

/** Slices of one opened dataset, redrawn when the colour map changes; the dataset is closed when left. */
function showDataset(dataset: vds.VDS): Observable<unknown> {
  const layout = vds.getLayout(dataset);
  selectionControls.disabled = false;
  const slices = positions(layout).pipe(switchMap((position) => readSlice(dataset, layout, position)));
  const colorMap = fromEvent(colorMapSelect, 'change').pipe(startWith(undefined), map(() => colorMapSelect.value as vds.ColorMapName));
  return combineLatest([slices, colorMap]).pipe(
    tap(([slice, map]) => draw(slice, map)),
    finalize(() => {
      selectionControls.disabled = true;
      void vds.close(dataset, false);
    }),
  );
}

const initialUrl = new URLSearchParams(location.search).get('url');
if (initialUrl) urlInput.value = new URL(initialUrl, location.href).href;

merge(
  initialUrl ? of(urlInput.value) : EMPTY,
  fromEvent(form, 'submit').pipe(tap((event) => event.preventDefault()), map(() => urlInput.value)),
).pipe(
  // A new URL abandons the dataset shown (and an open still under way).
  switchMap((url) => {
    report(`Opening ${url}…`);
    return vds.fromAbortable((signal) => vds.open(url, { signal })).pipe(
      switchMap(showDataset),
      catchError((error: unknown) => {
        // rxvds's errors name the dataset and the cause.
        report(error instanceof Error ? error.message : `Cannot open ${url}: ${String(error)}`, error);
        return EMPTY;
      }),
    );
  }),
).subscribe();
