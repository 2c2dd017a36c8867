// Shared shape of benchmark results: every figure is printed next to a baseline of the same run.

export interface BenchRow {
  /** What was measured, e.g. "read whole volume (Zip)". */
  name: string;
  /** The measured figure (median over repetitions). */
  value: number;
  unit: string;
  /** The baseline measured in the same run, in the same unit, and what it is. */
  baseline?: { name: string; value: number };
  /** Free-form extra facts (request counts, sizes). */
  notes?: string;
}

/** A suite; `options` are the command-line arguments after the suite names (most suites take none). */
export type BenchSuite = (options: readonly string[]) => Promise<BenchRow[]>;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `fn` `repeat` times and returns the median wall time in milliseconds. */
export async function medianMs(repeat: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}
