// VolumeDataRequest: OpenVDS's request handle over a reactive pipeline. The request starts at
// once (as in OpenVDS); its events are replayed to every subscriber.
import { type Observable, type Observer, ReplaySubject, type Subscription } from 'rxjs';
import { VolumeDataFormat } from '../model/enums.js';
import { CanceledError, errorMessage, InvalidOperationError, ReadError } from '../model/errors.js';
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
  private readonly execution: Subscription;
  private result: T | undefined;
  private state: 'running' | 'completed' | 'canceled' = 'running';
  private progress = 0;
  private error: { code: number; message: string } | undefined;
  private readonly settled: Promise<void>;
  private settle!: () => void;

  /** `described`: the buffer the request writes (volume requests); a prefetch has none. */
  constructor(work: Observable<RequestEvent<T>>, private readonly described?: RequestBuffer<T>) {
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
   * Stops the work: pending fetches are aborted, queued decode jobs dropped, no more writes happen.
   * Aborting the request's `signal` option does the same.
   */
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
