// The coordinator's side of any distributed run: enqueue one BullMQ flow (a parent over one child
// per part) under a deterministic id, or find the one a previous coordinator enqueued; then follow
// it, reporting progress, until the parent has published the dataset or a part has failed.
import { resolve } from 'node:path';
import { Observable, ReplaySubject } from 'rxjs';
import type { Queue } from 'bullmq';
import { ChunkFormatError, InvalidArgumentError, SegyFormatError, WriteError } from '../model/errors.js';
import { openStore } from '../../sources/stores/openStore.js';
import { isDeletable } from '../../sources/stores/store.js';
import { loadBullMQ, QUEUE_NAME, redisConnections } from './engine.js';
import { type PartJobData, partJobId } from './jobs.js';

export interface FlowOptions {
  /** The Redis server of the job queue: `redis://HOST:PORT[/DB]`. */
  redis: string;
  /** Tries of a part before the run fails (default 3); a worker that dies does not use one up. */
  attempts?: number;
  /** Milliseconds between looks at the flow (default 250). */
  pollInterval?: number;
}

/** How far the whole run is: parts (and their chunks) finished, the rate so far, the time to go. */
export interface DistributedProgress {
  readonly partsDone: number;
  readonly parts: number;
  readonly chunksDone: number;
  readonly chunks: number;
  /** Seconds since this coordinator started following. */
  readonly elapsed: number;
  /** Chunks per second, or undefined before any chunk is done. */
  readonly rate: number | undefined;
  /** Seconds to go at that rate, or undefined. */
  readonly eta: number | undefined;
}

export interface DistributedRun<R> {
  /** The flow's id in Redis: the same for the same work enqueued again. */
  readonly id: string;
  /** Replays the latest reading to late subscribers; completes when the run does, errors when it fails. */
  readonly progress: Observable<DistributedProgress>;
  readonly result: Promise<R & { readonly id: string; readonly parts: number }>;
}

/** What a kind of run tells the flow machinery. */
export interface FlowKind<D> {
  readonly parent: string;
  readonly part: string;
  /** LOD 0 chunks (or chunks) per part, from the parent's data. */
  partChunks(data: D): readonly number[];
}

/**
 * Follows flow `id`, enqueuing it first with `plan()`'s data when Redis has none (a failed one is
 * removed and started afresh: its input may have been repaired since).
 */
export function runFlow<D, R>(kind: FlowKind<D>, id: string, options: FlowOptions, plan: () => Promise<D>): DistributedRun<R> {
  const progress = new ReplaySubject<DistributedProgress>(1);
  const result = (async () => {
    const { Queue, FlowProducer } = await loadBullMQ();
    const redis = await redisConnections(options.redis);
    const queue = new Queue<D>(QUEUE_NAME, { connection: redis.connection() });
    try {
      let job = await queue.getJob(id);
      if (job && await job.getState() === 'failed') {
        await job.remove({ removeChildren: true });
        job = undefined;
      }
      if (!job) {
        const data = await plan();
        const flows = new FlowProducer({ connection: redis.connection() });
        try {
          const attempts = options.attempts ?? 3;
          await flows.add({
            name: kind.parent, queueName: QUEUE_NAME, data, opts: { jobId: id, attempts },
            children: kind.partChunks(data).map((_, part) => ({
              name: kind.part, queueName: QUEUE_NAME, data: { part } satisfies PartJobData,
              opts: { jobId: partJobId(id, part), attempts, backoff: { type: 'exponential', delay: 1000 }, failParentOnFailure: true },
            })),
          });
        } finally {
          await flows.close();
        }
      }
      return await follow<D, R>(queue, kind, id, options.pollInterval ?? 250, (p) => progress.next(p));
    } finally {
      await queue.close();
      await redis.close();
    }
  })();
  result.then(() => progress.complete(), (error: unknown) => progress.error(error));
  return { id, progress: progress.asObservable(), result };
}

async function follow<D, R>(queue: Queue<D>, kind: FlowKind<D>, id: string, pollInterval: number,
  report: (p: DistributedProgress) => void): Promise<R & { id: string; parts: number }> {
  const start = performance.now();
  let chunksDone = 0;
  for (;;) {
    const job = await queue.getJob(id);
    if (!job) throw new WriteError(`Distributed run ${id} is gone from the queue (removed by someone else?)`);
    const partChunks = kind.partChunks(job.data);
    const parts = partChunks.length;
    const chunks = partChunks.reduce((a, b) => a + b, 0);
    const state = await job.getState();
    const { processed = 0 } = await job.getDependenciesCount({ processed: true });
    const partsDone = state === 'completed' ? parts : Math.min(parts, processed);
    const elapsed = (performance.now() - start) / 1000;
    // Finished parts count at the average part's size (their results are too big to fetch here), running ones by their progress.
    const running = state === 'completed' ? 0 : (await queue.getJobs(['active']))
      .filter((j) => j.parent?.id === id && typeof j.progress === 'number')
      .reduce((sum, j) => sum + (j.progress as number) / 100 * (partChunks[(j.data as unknown as PartJobData).part] ?? 0), 0);
    // A part taken over after its worker died starts again: the reading never goes back.
    chunksDone = Math.max(chunksDone, Math.min(chunks, Math.round(chunks * partsDone / parts + running)));
    const rate = chunksDone > 0 && elapsed > 0 ? chunksDone / elapsed : undefined;
    report({ partsDone, parts, chunksDone, chunks, elapsed, rate, eta: rate ? (chunks - chunksDone) / rate : undefined });
    if (state === 'completed') {
      // Read again: the job fetched above may predate its completion, and then lacks its return value.
      const result = (await queue.getJob(id))?.returnvalue as R;
      // Done and published: the flow leaves Redis, so the same command later does the work again.
      await job.remove({ removeChildren: true }).catch(() => undefined);
      return { ...result, id, parts };
    }
    if (state === 'failed') throw await failure(queue, id, parts, job.failedReason);
    await new Promise((ok) => setTimeout(ok, pollInterval));
  }
}

/** Errors a part fails with at once (bad input, a transform module a worker cannot use), by the class name its reason starts with (see `unrecoverableReason`). */
const INPUT_ERRORS = { SegyFormatError, ChunkFormatError, InvalidArgumentError } as const;

/** The reason of the part that failed the run, as the input error it was where it was one. */
async function failure<D>(queue: Queue<D>, id: string, parts: number, reason: string): Promise<Error> {
  const published = 'nothing was published, the dataset does not open';
  for (let part = 0; part < parts; part++) {
    const child = await queue.getJob(partJobId(id, part));
    if (!child?.failedReason || await child.getState() !== 'failed') continue;
    const message = `Distributed run ${id} failed in part ${part + 1} of ${parts}; ${published}: `;
    const [, name, rest] = /^(\w+): ([\s\S]*)$/.exec(child.failedReason) ?? [];
    const InputError = name !== undefined ? INPUT_ERRORS[name as keyof typeof INPUT_ERRORS] : undefined;
    return InputError ? new InputError(message + rest) : new WriteError(message + child.failedReason);
  }
  return new WriteError(`Distributed run ${id} failed; ${published}: ${reason}`);
}

/** Whether Redis holds flow `id` (enqueued, running, finished or failed): a command run again resumes it. */
export async function flowExists(redisUrl: string, id: string): Promise<boolean> {
  const { Queue } = await loadBullMQ();
  const redis = await redisConnections(redisUrl);
  const queue = new Queue(QUEUE_NAME, { connection: redis.connection() });
  try {
    return (await queue.getJob(id)) !== undefined;
  } finally {
    await queue.close();
    await redis.close();
  }
}

/** Local paths as absolute paths: the workers may run elsewhere in the file system. */
export function absolute(location: string): string {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(location) ? location : resolve(location);
}

/** A run replaces what was at its output: the old dataset stops opening at once (its chunks are overwritten as the parts run). */
export async function unpublish(url: string, connectionString: string): Promise<void> {
  const { store } = openStore(url, connectionString, 'create');
  try {
    if (isDeletable(store)) await Promise.all(['VolumeDataLayout', 'LayerStatus'].map((key) => store.delete(key).catch(() => undefined)));
  } finally {
    await store.close?.();
  }
}
