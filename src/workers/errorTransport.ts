// Errors cross the worker boundary as plain records. Structured cloning keeps only the message of
// an error whose class is not built in, so a ChunkFormatError with code 100 would otherwise reach
// the main thread as a plain Error without its code.
import {
  CanceledError, ChunkFormatError, InvalidArgumentError, InvalidOperationError, NotFoundError, ReadError, RxvdsError, SegyFormatError,
  StoreError, WriteError,
} from '../model/errors.js';

/** A failed job as the worker posts it. */
export interface ErrorRecord {
  readonly failedJob: true;
  name: string;
  message: string;
  code?: number;
  stack?: string;
}

// Every class of errors.ts, so that a job's error keeps its class and code on the main thread.
const rebuild = new Map<string, (record: ErrorRecord) => Error>([
  ['RxvdsError', (r) => new RxvdsError(r.message, r.code)],
  ['ReadError', (r) => new ReadError(r.message, r.code)],
  ['StoreError', (r) => new StoreError(r.message, r.code)],
  ['NotFoundError', (r) => new NotFoundError(r.message)],
  ['WriteError', (r) => new WriteError(r.message, r.code)],
  ['SegyFormatError', (r) => new SegyFormatError(r.message)],
  ['ChunkFormatError', (r) => new ChunkFormatError(r.message, r.code)],
  ['InvalidArgumentError', (r) => new InvalidArgumentError(r.message)],
  ['InvalidOperationError', (r) => new InvalidOperationError(r.message)],
  ['CanceledError', (r) => new CanceledError(r.message)],
  ['TypeError', (r) => new TypeError(r.message)],
  ['RangeError', (r) => new RangeError(r.message)],
]);

export function toErrorRecord(error: unknown): ErrorRecord {
  if (!(error instanceof Error)) return { failedJob: true, name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { failedJob: true, name: error.name, message: error.message, code: typeof code === 'number' ? code : undefined, stack: error.stack };
}

/** The error a worker threw, as its own class again; anything else (a worker that died) unchanged. */
export function fromErrorRecord(value: unknown): unknown {
  if (!isErrorRecord(value)) return value;
  const error = rebuild.get(value.name)?.(value) ??
    Object.assign(value.code === undefined ? new Error(value.message) : new ReadError(value.message, value.code), { name: value.name });
  // The worker's stack says where decoding failed; the main thread's would only show the pool.
  if (value.stack) error.stack = value.stack;
  return error;
}

function isErrorRecord(value: unknown): value is ErrorRecord {
  return typeof value === 'object' && value !== null && (value as ErrorRecord).failedJob === true;
}
