// The chunk writes of a dataset as one promise-based queue: two writes of one chunk land in the
// order they were made, at most `inFlight` run at once (each an encode on the pool and an upload),
// and a producer that gets `backlog` writes ahead is made to wait (`room`). Nobody needs to await a
// write: the first failure is kept until a `drain` reports it, so no lost write goes unnoticed.
// Cancellation: a write runs with a signal that aborts when its caller's signal does, or when a
// drain's signal does (which cancels every pending write: a queued one is dropped unstarted).
import { CanceledError, InvalidArgumentError } from '../model/errors.js';
import type { VolumeDataLayer } from '../model/geometry/layers.js';
import type { SignalOptions } from './datasetStore.js';

export interface ChunkWriterLimits {
  /** Writes running at once. */
  inFlight: number;
  /** Writes pending (running or waiting) at which `room` makes a producer wait. */
  backlog: number;
}

/** Writes wait for room once twice as many as may run are pending: enough to keep the pool busy, few enough to bound the pages held. */
export function chunkWriterLimits(inFlight: number): ChunkWriterLimits {
  return { inFlight, backlog: 2 * inFlight };
}

/** One chunk write: encode and store, stopping early when `signal` aborts (what it resolves to is not used). */
export type ChunkWriteTask = (signal: AbortSignal) => Promise<unknown>;

export interface ChunkWriteOptions extends SignalOptions {
  /**
   * The write takes its slot only once this settles (its payload is still being prepared, say: a
   * LOD decimation), so slots go to writes that can run. It counts towards the backlog meanwhile.
   */
  after?: Promise<unknown>;
}

interface PendingWrite {
  readonly controller: AbortController;
  /** Settles (never rejects) once the write is over and accounted for. */
  readonly over: Promise<void>;
}

export class ChunkWriter {
  private running = 0;
  private readonly slotWaiters: (() => void)[] = [];
  private roomWaiters: (() => void)[] = [];
  /** Per chunk, the latest write's settlement (never rejects): the next write of the chunk starts after it. */
  private readonly tails = new Map<string, Promise<void>>();
  private readonly pendingWrites = new Set<PendingWrite>();
  private failure: { error: unknown } | undefined;

  constructor(readonly limits: ChunkWriterLimits) {
    const { inFlight, backlog } = limits;
    if (!Number.isInteger(inFlight) || inFlight < 1 || !Number.isInteger(backlog) || backlog < inFlight) {
      throw new InvalidArgumentError(`Chunk writer limits need integers 1 ≤ inFlight ≤ backlog, got inFlight ${inFlight}, backlog ${backlog}`);
    }
  }

  /** Writes accepted and not settled (running, or waiting for their turn). */
  get pending(): number {
    return this.pendingWrites.size;
  }

  /**
   * Queues a write of `layer`'s chunk: it starts after the chunk's previous write has settled and
   * a slot is free. The promise settles with the write; awaiting it is optional (see `drain`).
   */
  write(layer: VolumeDataLayer, chunkIndex: number, task: ChunkWriteTask, options: ChunkWriteOptions = {}): Promise<void> {
    const key = chunkKey(layer, chunkIndex);
    const controller = new AbortController();
    const cancel = () => controller.abort();
    const callerSignal = options.signal;
    if (callerSignal?.aborted) controller.abort();
    else callerSignal?.addEventListener('abort', cancel, { once: true });
    const done = this.run(this.tails.get(key), options.after, task, controller.signal);
    const over = done.then(() => undefined, (error: unknown) => {
      // A write cancelled on request is not a failure to report.
      if (!(controller.signal.aborted && error instanceof CanceledError)) this.failure ??= { error };
    }).finally(() => {
      callerSignal?.removeEventListener('abort', cancel);
      this.pendingWrites.delete(write);
      if (this.tails.get(key) === over) this.tails.delete(key);
      this.wakeRoomWaiters();
    });
    const write: PendingWrite = { controller, over };
    this.pendingWrites.add(write);
    this.tails.set(key, over);
    return done;
  }

  /** Settles when the latest write of the chunk queued so far has settled (at once when none is pending); never rejects. */
  written(layer: VolumeDataLayer, chunkIndex: number): Promise<void> {
    return this.tails.get(chunkKey(layer, chunkIndex)) ?? Promise.resolve();
  }

  /** Resolves when fewer than `backlog` writes are pending; CanceledError if `signal` aborts first. */
  async room(options: SignalOptions = {}): Promise<void> {
    while (this.pendingWrites.size >= this.limits.backlog) {
      await this.waitIn(this.roomWaiters, options.signal);
    }
  }

  /**
   * Waits until every write (including those queued meanwhile) has settled, then reports the
   * first failure since the last drain (rejecting with it, once). Aborting `signal` cancels every
   * pending write: the drain then rejects with CanceledError once none is running any more.
   */
  async drain(options: SignalOptions = {}): Promise<void> {
    const { signal } = options;
    const cancel = () => this.cancel();
    if (signal?.aborted) cancel();
    else signal?.addEventListener('abort', cancel, { once: true });
    try {
      while (this.pendingWrites.size > 0) {
        // Writes queued after the abort (a LOD parent completing, say) are cancelled too.
        if (signal?.aborted) cancel();
        await Promise.all([...this.pendingWrites].map(({ over }) => over));
      }
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
    if (signal?.aborted) throw new CanceledError();
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure.error;
  }

  /** Cancels every pending write: queued ones are dropped, running ones see their signal abort. */
  cancel(): void {
    for (const { controller } of this.pendingWrites) controller.abort();
  }

  private async run(previous: Promise<void> | undefined, after: Promise<unknown> | undefined, task: ChunkWriteTask,
    signal: AbortSignal): Promise<void> {
    await previous;
    // Its failure is the task's to report.
    await after?.catch(() => undefined);
    await this.slot(signal);
    try {
      // Aborted while the slot was on its way.
      if (signal.aborted) throw new CanceledError();
      await task(signal);
    } finally {
      // The slot passes straight to the next waiter, so a newcomer cannot slip in between.
      const next = this.slotWaiters.shift();
      if (next) next();
      else this.running--;
    }
  }

  private slot(signal: AbortSignal): Promise<void> {
    if (this.running >= this.limits.inFlight) return this.waitIn(this.slotWaiters, signal);
    if (signal.aborted) return Promise.reject(new CanceledError());
    this.running++;
    return Promise.resolve();
  }

  /** Waits to be woken from `waiters` (one wake per waiter); leaves the line on abort. */
  private waitIn(waiters: (() => void)[], signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(new CanceledError());
    return new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const at = waiters.indexOf(wake);
        if (at >= 0) waiters.splice(at, 1);
        reject(new CanceledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiters.push(wake);
    });
  }

  private wakeRoomWaiters(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }
}

function chunkKey(layer: VolumeDataLayer, chunkIndex: number): string {
  return `${layer.name}/${chunkIndex}`;
}
