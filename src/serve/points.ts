// Fences, samples and horizon attributes: points in world, annotation or index coordinates turned
// into voxel positions, then sampled by the access manager's trace and sample requests (its
// interpolation, its cancellation), never by a sampler of the service's own.
import { lastValueFrom, type Observable, tap } from 'rxjs';
import { getAccessManager } from '../api/entryPoints.js';
import type { RequestEvent } from '../api/request.js';
import { InterpolationMethod } from '../model/enums.js';
import { badRequest, tooLarge } from './httpErrors.js';
import { checkChannel } from './layerChecks.js';
import type { OpenDataset } from './context.js';
import type { CoordinateSystem } from './geometry.js';
import type { ServeLimits } from './options.js';
import type { AttributeName, Interpolation } from './schemas.js';

const METHODS: Record<Interpolation, InterpolationMethod> = {
  nearest: InterpolationMethod.Nearest, linear: InterpolationMethod.Linear, cubic: InterpolationMethod.Cubic,
  angular: InterpolationMethod.Angular, triangular: InterpolationMethod.Triangular,
};

export interface Sampling {
  system: CoordinateSystem;
  interpolation: Interpolation;
  channel: number;
  fillValue?: number;
}

/** How a request runs: `signal` (the client went away) cancels it; `progress` hears of each chunk done. */
export interface RequestRun {
  signal: AbortSignal;
  progress?: (done: number, total: number) => void;
}

/** The data of a cold request's events (its `signal` option cancels it), reporting progress on the way. */
function dataOf<T>(events: Observable<RequestEvent<T>>, run: RequestRun): Promise<T> {
  return lastValueFrom(events.pipe(tap((event) => { if (event.kind === 'progress') run.progress?.(event.chunksDone, event.chunkCount); })))
    .then((event) => (event as Extract<RequestEvent<T>, { kind: 'data' }>).data);
}

function checkPoints(count: number, parameter: string, limits: ServeLimits): void {
  if (count > limits.maxPoints) throw tooLarge(parameter, `${count} points are over this server's limit of ${limits.maxPoints}`);
}

function checkValues(count: number, what: string, limits: ServeLimits): void {
  if (count > limits.maxValues) throw tooLarge(what, `${count} values are over this server's limit of ${limits.maxValues} per request`);
}

/**
 * A checked request, not started: every refusal (400, 413) happens while preparing it, before a
 * reply is committed (a stream's status is sent before its data).
 */
export interface PreparedPoints {
  shape: number[];
  run(run: RequestRun): Promise<Float32Array>;
}

/** Traces along the sample axis through each (x, y): `[points, samples]` float32, one trace after another. */
export function fence(dataset: OpenDataset, coordinates: readonly [number, number][], sampling: Sampling, limits: ServeLimits): PreparedPoints {
  const { geometry, vds } = dataset;
  geometry.assertVolume('coordinates');
  checkPoints(coordinates.length, 'coordinates', limits);
  checkChannel(vds, sampling.channel);
  const samples = geometry.verticalAxis.samples;
  checkValues(coordinates.length * samples, 'coordinates', limits);
  const positions = coordinates.map((point, n) => geometry.position(sampling.system, point, `coordinates[${n}]`));
  return {
    shape: [coordinates.length, samples],
    run: (run) => dataOf(getAccessManager(vds).volumeTraces$(positions, geometry.verticalAxis.dimension, {
      interpolationMethod: METHODS[sampling.interpolation], channel: sampling.channel, replacementNoValue: sampling.fillValue, signal: run.signal,
    }), run),
  };
}

/** One value per (x, y, z) point. */
export function samples(dataset: OpenDataset, points: readonly [number, number, number][], sampling: Sampling, limits: ServeLimits): PreparedPoints {
  const { geometry, vds } = dataset;
  geometry.assertVolume('points');
  checkPoints(points.length, 'points', limits);
  checkChannel(vds, sampling.channel);
  const positions = points.map((point, n) => geometry.position(sampling.system, point, `points[${n}]`));
  return {
    shape: [points.length],
    run: (run) => dataOf(getAccessManager(vds).volumeSamples$(positions, {
      interpolationMethod: METHODS[sampling.interpolation], channel: sampling.channel, replacementNoValue: sampling.fillValue, signal: run.signal,
    }), run),
  };
}

export interface HorizonWindow {
  /** A sample-axis value per point (an index in the index system), or null where the horizon has none. */
  horizon: readonly (number | null)[];
  /** Extent of the window above and below the horizon, in the same units. */
  above: number;
  below: number;
}

/**
 * Attributes of the window around a horizon: for each point, the volume sampled at the horizon and
 * at every sample-axis step above and below it within the window (samples beyond the axis are left
 * out), reduced to each attribute; `fillValue` (NaN by default) where no sample is left.
 * Result: `[attributes, points]` float32.
 */
export function attributes(dataset: OpenDataset, coordinates: readonly [number, number][], window: HorizonWindow,
  names: readonly AttributeName[], sampling: Sampling, limits: ServeLimits): PreparedPoints {
  const { geometry, vds } = dataset;
  geometry.assertVolume('coordinates');
  checkPoints(coordinates.length, 'coordinates', limits);
  checkChannel(vds, sampling.channel);
  if (window.horizon.length !== coordinates.length) {
    throw badRequest('horizon', `has ${window.horizon.length} values for ${coordinates.length} coordinates: give one per point (null where there is none)`);
  }
  const step = sampling.system === 'index' ? 1 : Math.abs(geometry.verticalAxis.step) || 1;
  // Steps above and below: a hair of tolerance so a window of exactly k steps takes k.
  const [up, down] = [Math.floor(window.above / step + 1e-9), Math.floor(window.below / step + 1e-9)];
  checkValues(coordinates.length * (up + down + 1), 'above/below', limits);
  const positions: number[][] = [];
  const windows = coordinates.map((point, n) => {
    const h = window.horizon[n];
    if (h === null || h === undefined) return 0;
    const trace = geometry.position(sampling.system, point, `coordinates[${n}]`);
    let count = 0;
    for (let m = -up; m <= down; m++) {
      const k = geometry.verticalPosition(sampling.system, h + m * step);
      if (k === undefined) continue;
      const position = [...trace];
      position[geometry.verticalAxis.dimension] = k;
      positions.push(position);
      count++;
    }
    return count;
  });
  return {
    shape: [names.length, coordinates.length],
    run: async (run) => {
      const values = positions.length === 0 ? new Float32Array(0) : await dataOf(getAccessManager(vds).volumeSamples$(positions, {
        interpolationMethod: METHODS[sampling.interpolation], channel: sampling.channel, signal: run.signal,
      }), run);
      return reduceWindows(values, windows, names, sampling.fillValue ?? Number.NaN);
    },
  };
}

/** Each attribute of each window (`windows[n]` consecutive values of `values`), attribute-major. */
export function reduceWindows(values: Float32Array, windows: readonly number[], names: readonly AttributeName[], fillValue: number): Float32Array {
  const out = new Float32Array(names.length * windows.length);
  let at = 0;
  windows.forEach((count, n) => {
    let [min, max, sum, squares, sumpos, sumneg] = [Infinity, -Infinity, 0, 0, 0, 0];
    for (let s = at; s < at + count; s++) {
      const v = values[s]!;
      min = Math.min(min, v); max = Math.max(max, v);
      sum += v; squares += v * v;
      if (v > 0) sumpos += v; else sumneg += v;
    }
    at += count;
    const result: Record<AttributeName, number> = { min, max, mean: sum / count, rms: Math.sqrt(squares / count), sumpos, sumneg };
    names.forEach((name, a) => { out[a * windows.length + n] = count === 0 ? fillValue : result[name]; });
  });
  return out;
}
