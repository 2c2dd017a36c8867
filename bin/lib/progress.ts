// Progress of long commands on stderr, where users look: a redrawn bar (percentage, rate, ETA) on a
// terminal, periodic plain lines where stderr is a file or a pipe (CI logs, notebooks), one JSON
// object per line for programs (`--progress json`), or nothing (`--progress none`, `--quiet`).
import { UsageError, type OptionValues } from './command.js';

export const PROGRESS_MODES = ['bar', 'plain', 'json', 'none'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

/** What the work is counted in: bytes get MB/s, anything else "<unit>/s". */
export type ProgressUnit = 'bytes' | 'items' | 'chunks' | 'objects' | 'traces' | 'percent';

/** Where progress goes and what time it is: stderr and the monotonic clock, or fakes in the specs. */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressOptions {
  mode?: ProgressMode;
  /** Amount of work at 100 %, in `unit`; without it progress counts in percent. */
  total?: number;
  unit?: ProgressUnit;
  out?: ProgressOutput;
  /** Milliseconds. */
  clock?: () => number;
}

/** Plain and JSON lines come at most this often unless the percentage moved by PLAIN_STEP. */
const PLAIN_INTERVAL_MS = 2000;
const PLAIN_STEP = 10;
/** Log lines come at most this often, so work done within a second prints only its last line. */
const PLAIN_MIN_GAP_MS = 1000;
/** A terminal bar is redrawn when its percentage changes, or this often for the rate and ETA. */
const BAR_INTERVAL_MS = 250;
const BAR_WIDTH = 30;

/** The mode chosen on the command line (`--progress`, `--quiet`); unset means by terminal. */
let chosenMode: ProgressMode | undefined;

/**
 * Records `--progress`/`--quiet` (options of every command) for every ProgressBar the command
 * creates; without them the RXVDS_PROGRESS environment variable (e.g. set once in a CI job) decides.
 */
export function configureProgress(values: OptionValues, env: NodeJS.ProcessEnv = process.env): void {
  const fromEnv = env.RXVDS_PROGRESS || undefined;
  const mode = values.progress ?? fromEnv;
  if (mode !== undefined && !(PROGRESS_MODES as readonly unknown[]).includes(mode)) {
    throw new UsageError(`${values.progress === undefined ? 'RXVDS_PROGRESS' : '--progress'} must be ${PROGRESS_MODES.join(', ')}; got "${String(mode)}"`);
  }
  chosenMode = values.quiet === true ? 'none' : (mode as ProgressMode | undefined);
}

/** One reading of the work: how far, how fast, how long to go. */
export interface ProgressState {
  label: string;
  /** 0…1. */
  fraction: number;
  done: number;
  total: number;
  unit: ProgressUnit;
  /** Seconds since the start. */
  elapsed: number;
  /** `unit`s per second, or undefined before any time has passed. */
  rate: number | undefined;
  /** Seconds to go at the average rate so far, or undefined before any work is done. */
  eta: number | undefined;
}

export function progressState(label: string, fraction: number, total: number, unit: ProgressUnit, elapsedSeconds: number): ProgressState {
  const f = Math.min(1, Math.max(0, fraction));
  const done = f * total;
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : undefined;
  const eta = f >= 1 ? 0 : f > 0 ? (elapsedSeconds * (1 - f)) / f : undefined;
  return { label, fraction: f, done, total, unit, elapsed: elapsedSeconds, rate, eta };
}

/** "7s", "3m05s", "2h04m"; "?" when unknown. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** "12.3 MB/s" (decimal megabytes, as disks and networks are rated), "850 items/s", "4.2 %/s". */
export function formatRate(rate: number | undefined, unit: ProgressUnit): string {
  if (rate === undefined) return '?';
  if (unit === 'bytes') return `${(rate / 1e6).toFixed(1)} MB/s`;
  const value = rate >= 100 ? rate.toFixed(0) : rate.toFixed(1);
  return unit === 'percent' ? `${value} %/s` : `${value} ${unit}/s`;
}

const percentOf = (state: ProgressState) => Math.floor(state.fraction * 100);

/** The terminal line: `label [#####.....]  42% 12.3 MB/s ETA 7s detail`. */
export function formatBar(state: ProgressState, detail = ''): string {
  const filled = Math.round(state.fraction * BAR_WIDTH);
  return `${state.label} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${String(percentOf(state)).padStart(3)}% ` +
    `${rateText(state)}ETA ${formatDuration(state.eta)}${detail ? ` ${detail}` : ''}`;
}

/** The rate and a separator, or nothing when progress only counts percent (a rate of "%/s" tells nobody anything). */
function rateText(state: ProgressState, separator = ' '): string {
  return state.unit === 'percent' ? '' : `${formatRate(state.rate, state.unit)}${separator}`;
}

/** A log line: `label: 42% (12.3 MB/s, 5s elapsed, ETA 7s) detail`. */
export function formatPlain(state: ProgressState, detail = ''): string {
  return `${state.label}: ${percentOf(state)}% (${rateText(state, ', ')}${formatDuration(state.elapsed)} elapsed, ` +
    `ETA ${formatDuration(state.eta)})${detail ? ` ${detail}` : ''}`;
}

/** One JSON object: task, done, total, unit, percent, rate (unit/s), elapsed and eta (seconds). */
export function formatJson(state: ProgressState, detail = ''): string {
  const round = (n: number | undefined) => (n === undefined ? null : Math.round(n * 1000) / 1000);
  return JSON.stringify({
    task: state.label, done: round(state.done), total: state.total, unit: state.unit, percent: round(state.fraction * 100),
    rate: round(state.rate), elapsed: round(state.elapsed), eta: round(state.eta), ...(detail && { detail }),
  });
}

/** Progress of one task; `update` as often as convenient, `done` once the work is really finished. */
export class ProgressBar {
  private readonly mode: ProgressMode;
  private readonly total: number;
  private readonly unit: ProgressUnit;
  private readonly out: ProgressOutput;
  private readonly clock: () => number;
  private readonly start: number;
  private readonly label: string;
  private fraction = 0;
  private lastPercent = -1;
  private lastTime = -Infinity;
  private drawn = false;

  constructor(label: string, options: ProgressOptions = {}) {
    this.label = label.trim();
    this.out = options.out ?? process.stderr;
    this.mode = options.mode ?? chosenMode ?? (this.out.isTTY === true ? 'bar' : 'plain');
    this.total = options.total ?? 100;
    this.unit = options.total === undefined ? 'percent' : options.unit ?? 'items';
    this.clock = options.clock ?? (() => performance.now());
    this.start = this.clock();
  }

  /** The work is `fraction` (0…1) done; progress never goes back. */
  update(fraction: number, detail = ''): void {
    this.fraction = Math.max(this.fraction, Math.min(1, Math.max(0, fraction)));
    this.emit(detail, false);
  }

  /** The work is finished: the last line says 100 %. */
  done(detail = ''): void {
    this.fraction = 1;
    this.emit(detail, true);
    if (this.mode === 'bar' && this.drawn) this.out.write('\n');
  }

  private emit(detail: string, final: boolean): void {
    if (this.mode === 'none') return;
    const now = this.clock();
    const state = progressState(this.label, this.fraction, this.total, this.unit, (now - this.start) / 1000);
    const percent = percentOf(state);
    if (this.mode === 'bar') {
      if (!final && percent === this.lastPercent && !this.due(now, BAR_INTERVAL_MS)) return;
      this.out.write(`\r${formatBar(state, detail)}\x1b[K`);
    } else {
      // A line says something new: a step of PLAIN_STEP %, a while since the last one, or the end.
      if (percent === this.lastPercent) return;
      if (!final && percent < 100) {
        const since = now - Math.max(this.lastTime, this.start);
        if (this.mode === 'plain' && since < PLAIN_MIN_GAP_MS) return;
        if (percent - this.lastPercent < PLAIN_STEP && since < PLAIN_INTERVAL_MS) return;
      }
      this.out.write(`${(this.mode === 'json' ? formatJson : formatPlain)(state, detail)}\n`);
    }
    this.drawn = true;
    this.lastPercent = percent;
    this.lastTime = now;
  }

  private due(now: number, interval: number): boolean {
    return now - this.lastTime >= interval;
  }
}
