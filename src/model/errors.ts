// Error classes. Every error rxvds throws on purpose is an RxvdsError with OpenVDS's numeric `code`:
// the HTTP status for transfer errors, -1 for format errors and invalid calls, 100 for an invalid
// wavelet header, -2 for cancellation.
//
//   RxvdsError
//   ├── InvalidArgumentError          -1
//   ├── InvalidOperationError         -1
//   ├── ReadError                     code
//   │   ├── StoreError                HTTP status or -1
//   │   │   ├── NotFoundError         404
//   │   │   └── WriteError            HTTP status or -1
//   │   ├── ChunkFormatError          -1 or 100
//   │   └── SegyFormatError           -1
//   └── CanceledError                 -2

/** The base of every rxvds error; `code` is OpenVDS's error code. */
export class RxvdsError extends Error {
  override name = 'RxvdsError';
  constructor(message: string, readonly code = -1, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A bad argument: thrown synchronously by API calls (OpenVDS `InvalidArgument`). */
export class InvalidArgumentError extends RxvdsError {
  override name = 'InvalidArgumentError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, -1, options);
  }
}

/** An operation that is not allowed in the current state (OpenVDS `InvalidOperation`). */
export class InvalidOperationError extends RxvdsError {
  override name = 'InvalidOperationError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, -1, options);
  }
}

/** Data could not be read or decoded (OpenVDS `ReadErrorException`). */
export class ReadError extends RxvdsError {
  override name = 'ReadError';
}

/** A store operation failed; `code` is the HTTP status (404 for a missing object) or -1. */
export class StoreError extends ReadError {
  override name = 'StoreError';
}

/**
 * Something the caller named is not there: a dataset, a layer nobody wrote, a chunk or metadata
 * object. `code` is 404, as OpenVDS reports it, whatever the store's own vocabulary.
 */
export class NotFoundError extends StoreError {
  override name = 'NotFoundError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 404, options);
  }
}

/**
 * A store refused or lost a write (object upload, delete, file write); `code` is the HTTP status or
 * -1. It is a StoreError, so code that already catches store failures keeps catching it (and, through
 * StoreError, a ReadError: OpenVDS has no write exception of its own and reports write failures as
 * error codes).
 */
export class WriteError extends StoreError {
  override name = 'WriteError';
}

/** A chunk's bytes do not match what the layer says it must be. */
export class ChunkFormatError extends ReadError {
  override name = 'ChunkFormatError';
}

/**
 * A SEG-Y file that is malformed, uses a format rxvds does not support, or does not fit the header
 * fields and geometry it is read with. The message names the file and the trace or byte position.
 */
export class SegyFormatError extends ReadError {
  override name = 'SegyFormatError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, -1, options);
  }
}

/** Cancellation, by `cancel()`, unsubscribe or an aborted signal. */
export class CanceledError extends RxvdsError {
  override name = 'CanceledError';
  constructor(message = 'Request was canceled') { super(message, -2); }
}

/**
 * Narrows a caught value: any rxvds error, or one of the given class (`isRxvdsError(e, NotFoundError)`).
 */
export function isRxvdsError<C extends abstract new (...args: never[]) => RxvdsError = typeof RxvdsError>(
  error: unknown, errorClass?: C,
): error is InstanceType<C> {
  return error instanceof (errorClass ?? RxvdsError);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
