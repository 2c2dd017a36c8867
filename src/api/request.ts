// VolumeDataRequest: OpenVDS's request handle over a reactive pipeline. The request starts at
// once (as in OpenVDS); its events are replayed to every subscriber, and its subscribers share it
// as RxJS's share() with a reference count does: it is canceled when the last one leaves.
import { Observable, type Observer, ReplaySubject, type Subscription } from 'rxjs';
import { VolumeDataFormat } from '../model/enums.js';
import { errorMessage, InvalidOperationError, ReadError } from '../model/errors.js';
import type { DataEvent, ProgressEvent, RequestEvent } from '../engine/requestEvents.js';

export type { DataEvent, ProgressEvent, RequestEvent };

/** The buffer a request writes into, as OpenVDS's request describes it. */
export interface RequestBuffer<T> {
  buffer: T;
  byteSize: number;
  format: VolumeDataFormat;
}

let lastRequestID = 0;

/**
 * Members follow the OpenVDS Python API: methods `isCompleted()`, `isCanceled()`, `requestID()`,
 * `getCompletionFactor()`, `getErrorCode()`, `getErrorMessage()`, `buffer()`, `bufferByteSize()`,
 * `bufferDataType()`, `validateRequest()`, and properties `completed`, `canceled`,
 * `completionFactor`, `errorCode`, `errorMessage`; `data` and the Observable side are rxvds's.
 */
export class VolumeDataRequest<T> {
  private readonly id = ++lastRequestID;
  private readonly events = new ReplaySubject<RequestEvent<T>>(1);
  /** Aborted by `cancel()`: the work ends with CanceledError once nothing writes into the buffer any more. */
  private readonly canceler = new AbortController();
  /** Subscribers of the Observable side, `subscribe` and `asObservable` alike. */
  private subscribers = 0;
  private readonly shared = new Observable<RequestEvent<T>>((subscriber) => {
    this.subscribers++;
    const events = this.events.subscribe(subscriber);
    return () => {
      events.unsubscribe();
      if (--this.subscribers === 0) this.cancel();
    };
  });
  private result: T | undefined;
  private state: 'running' | 'completed' | 'canceled' = 'running';
  private progress = 0;
  private error: { code: number; message: string } | undefined;
  private readonly settled: Promise<void>;
  private settle!: () => void;

  /**
   * `work`: the request's events, ending with CanceledError when `cancel` aborts (and only once
   * nothing writes into the buffer any more). `described`: the buffer the request writes (volume
   * requests); a prefetch has none.
   */
  constructor(work: (cancel: AbortSignal) => Observable<RequestEvent<T>>, private readonly described?: RequestBuffer<T>) {
    this.settled = new Promise((resolve) => { this.settle = resolve; });
    work(this.canceler.signal).subscribe({
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
      throw new InvalidOperationError(this.state === 'canceled'
        ? `Request ${this.id} was canceled: ${this.errorMessage}` : `Request ${this.id} has not completed`);
    }
    return this.result!;
  }

  /** The ID of the request: positive, increasing in the order requests were made. */
  requestID(): number { return this.id; }
  /** Throws InvalidOperationError unless this is a request an access manager made (as OpenVDS checks its job ID). */
  validateRequest(): void {
    if (!(this.id > 0)) throw new InvalidOperationError('Invalid request object');
  }

  isCompleted(): boolean { return this.state === 'completed'; }
  isCanceled(): boolean { return this.state === 'canceled'; }
  get completed(): boolean { return this.isCompleted(); }
  get canceled(): boolean { return this.isCanceled(); }

  getCompletionFactor(): number { return this.state === 'completed' ? 1 : this.progress; }
  get completionFactor(): number { return this.getCompletionFactor(); }
  /** 0 when there was no error; the HTTP status, -1 (format error), 100 (wavelet header) or -2 (canceled). */
  getErrorCode(): number { return this.error?.code ?? 0; }
  get errorCode(): number { return this.getErrorCode(); }
  getErrorMessage(): string { return this.error?.message ?? ''; }
  get errorMessage(): string { return this.getErrorMessage(); }

  /**
   * The buffer the request writes to, available from the start (as OpenVDS's pointer is): valid
   * data only once `isCompleted()`. Undefined for a prefetch, which has no buffer.
   */
  buffer(): T | undefined { return this.described?.buffer; }
  /** Bytes the request writes (0 for a prefetch). */
  bufferByteSize(): number { return this.described?.byteSize ?? 0; }
  /** Format of the buffer; `Format_U8` for a prefetch, which has none (what OpenVDS's bufferless request reports). */
  bufferDataType(): VolumeDataFormat { return this.described?.format ?? VolumeDataFormat.Format_U8; }

  /** Resolves true when the request completed, false on timeout (`timeoutMs` > 0) or cancellation. */
  async waitForCompletion(timeoutMs = 0): Promise<boolean> {
    if (timeoutMs <= 0) {
      await this.settled;
      return this.isCompleted();
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); });
    await Promise.race([this.settled, timeout]);
    clearTimeout(timer);
    return this.isCompleted();
  }

  /**
   * Stops the work for every subscriber: pending fetches are aborted, queued decode jobs dropped.
   * The request is canceled (`isCanceled()`, its subscribers' CanceledError) once nothing writes into
   * its buffer any more: at once, unless a worker is copying a chunk into it right then, in which
   * case as soon as that copy ends (OpenVDS's IsCanceled is likewise true once the job is done).
   * Aborting the request's `signal` option does the same.
   */
  cancel(): void {
    if (this.state === 'running') this.canceler.abort();
  }

  async cancelAndWaitForCompletion(): Promise<void> {
    this.cancel();
    await this.settled;
  }

  /**
   * Progress events (the latest replayed), then the data, then completion; an error if the request
   * fails or is canceled. Subscribers share the one request: it is canceled when the last of them
   * unsubscribes before it settled, while `cancel()` cancels it for all of them.
   */
  subscribe(observer: Partial<Observer<RequestEvent<T>>> | ((event: RequestEvent<T>) => void)): Subscription {
    return this.shared.subscribe(observer);
  }

  /**
   * The request as an Observable of its events (for `pipe`), shared as `subscribe` is: its
   * subscribers count with `subscribe`'s, so when the last of them leaves early (e.g.
   * `firstValueFrom` after the first progress event) the request is canceled. A request nobody
   * ever subscribed to runs to the end, as in OpenVDS.
   */
  asObservable(): Observable<RequestEvent<T>> {
    return this.shared;
  }

  private finish(state: 'completed' | 'canceled', error?: unknown): void {
    if (this.state !== 'running') return;
    this.state = state;
    if (state === 'canceled') {
      const code = typeof (error as { code?: unknown })?.code === 'number' ? (error as { code: number }).code : -1;
      this.error = { code, message: error === undefined ? 'Request produced no data' : errorMessage(error) };
      this.events.error(error ?? new ReadError(this.error.message));
    } else {
      this.events.complete();
    }
    this.settle();
  }
}

// The typed variants the reference names (OpenVDS's VolumeDataRequest_t<T>): one class here, typed by its buffer.
export type VolumeDataRequest1Bit = VolumeDataRequest<Uint8Array>;
export type VolumeDataRequestByte = VolumeDataRequest<Uint8Array>;
export type VolumeDataRequestUShort = VolumeDataRequest<Uint16Array>;
export type VolumeDataRequestUInt = VolumeDataRequest<Uint32Array>;
export type VolumeDataRequestULong = VolumeDataRequest<BigUint64Array>;
export type VolumeDataRequestFloat = VolumeDataRequest<Float32Array>;
export type VolumeDataRequestDouble = VolumeDataRequest<Float64Array>;
