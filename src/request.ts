// VolumeDataRequest: OpenVDS's request handle over a reactive pipeline. The request starts at
// once (as in OpenVDS); its events are replayed to every subscriber.
import { type Observable, type Observer, ReplaySubject, type Subscription } from 'rxjs';
import { CanceledError, errorMessage } from './errors.js';

export interface ProgressEvent {
  kind: 'progress';
  /** Pages (chunks) processed / pages in the request: 0…1. */
  completionFactor: number;
  chunksDone: number;
  chunkCount: number;
}

export interface DataEvent<T> {
  kind: 'data';
  data: T;
}

export type RequestEvent<T> = ProgressEvent | DataEvent<T>;

let lastRequestID = 0;

export class VolumeDataRequest<T> {
  readonly requestID = ++lastRequestID;
  private readonly events = new ReplaySubject<RequestEvent<T>>(1);
  private readonly execution: Subscription;
  private result: T | undefined;
  private state: 'running' | 'completed' | 'canceled' = 'running';
  private progress = 0;
  private error: { code: number; message: string } | undefined;
  private readonly settled: Promise<void>;
  private settle!: () => void;

  constructor(work: Observable<RequestEvent<T>>) {
    this.settled = new Promise((resolve) => { this.settle = resolve; });
    this.execution = work.subscribe({
      next: (event) => {
        if (event.kind === 'progress') this.progress = event.completionFactor;
        else this.result = event.data;
        this.events.next(event);
      },
      error: (error: unknown) => this.finish('canceled', error),
      complete: () => this.finish(this.result === undefined ? 'canceled' : 'completed'),
    });
  }

  /** The result; throws until the request has completed. */
  get data(): T {
    if (this.state !== 'completed') {
      throw new Error(this.state === 'canceled'
        ? `Request ${this.requestID} was canceled: ${this.errorMessage}` : `Request ${this.requestID} has not completed`);
    }
    return this.result!;
  }

  get completionFactor(): number { return this.state === 'completed' ? 1 : this.progress; }
  get isCompleted(): boolean { return this.state === 'completed'; }
  get isCanceled(): boolean { return this.state === 'canceled'; }
  /** 0 when there was no error; the HTTP status, -1 (format error), 100 (wavelet header) or -2 (canceled). */
  get errorCode(): number { return this.error?.code ?? 0; }
  get errorMessage(): string { return this.error?.message ?? ''; }

  /** Resolves true when the request completed, false on timeout (`timeoutMs` > 0) or cancellation. */
  async waitForCompletion(timeoutMs = 0): Promise<boolean> {
    if (timeoutMs <= 0) {
      await this.settled;
      return this.isCompleted;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); });
    await Promise.race([this.settled, timeout]);
    clearTimeout(timer);
    return this.isCompleted;
  }

  /** Stops the work: pending fetches are aborted, queued decode jobs dropped, no more writes happen. */
  cancel(): void {
    if (this.state !== 'running') return;
    this.execution.unsubscribe();
    this.finish('canceled', new CanceledError());
  }

  async cancelAndWaitForCompletion(): Promise<void> {
    this.cancel();
    await this.settled;
  }

  /** Progress events, then the data, then completion; an error if the request fails. Unsubscribing cancels. */
  subscribe(observer: Partial<Observer<RequestEvent<T>>> | ((event: RequestEvent<T>) => void)): Subscription {
    const subscription = this.events.subscribe(observer);
    subscription.add(() => { if (this.state === 'running') this.cancel(); });
    return subscription;
  }

  /** The request as an Observable of its events (for `pipe`). */
  asObservable(): Observable<RequestEvent<T>> {
    return this.events.asObservable();
  }

  private finish(state: 'completed' | 'canceled', error?: unknown): void {
    if (this.state !== 'running') return;
    this.state = state;
    if (state === 'canceled') {
      const code = typeof (error as { code?: unknown })?.code === 'number' ? (error as { code: number }).code : -1;
      this.error = { code, message: error === undefined ? 'Request produced no data' : errorMessage(error) };
      this.events.error(error ?? new Error(this.error.message));
    } else {
      this.events.complete();
    }
    this.settle();
  }
}
