// Following a distributed run from the command that enqueued it: a progress bar over its chunks,
// and an interruption that leaves the run to the workers (the same command follows it again).
import type { DistributedRun } from '../../src/distributed/flow.js';
import { interruption } from './interrupt.js';
import { ProgressBar } from './progress.js';

/** The run's result once its workers are done; `command` names the bar, `work` the run in the interruption message. */
export async function followRun<R>(command: string, work: string, run: DistributedRun<R>): Promise<R & { readonly id: string; readonly parts: number }> {
  const tracked = interruption.track(async () => `the ${work} goes on in the workers: run the same command again to follow it (job ${run.id})`);
  let bar: ProgressBar | undefined;
  run.progress.subscribe({
    next: (p) => {
      bar ??= new ProgressBar(command, { total: p.chunks, unit: 'chunks' });
      bar.update(p.chunksDone / p.chunks, `${p.partsDone}/${p.parts} parts`);
    },
    error: () => undefined,
  });
  try {
    const result = await run.result;
    bar?.done(`${result.parts}/${result.parts} parts`);
    return result;
  } finally {
    tracked.release();
  }
}
