// Error classes. Codes follow OpenVDS: HTTP status for transfer errors, -1 for format errors,
// 100 for an invalid wavelet header.

/** A bad argument: thrown synchronously by API calls (OpenVDS `InvalidArgument`). */
export class InvalidArgumentError extends Error {
  override name = 'InvalidArgumentError';
}

/** An operation that is not allowed in the current state (OpenVDS `InvalidOperation`). */
export class InvalidOperationError extends Error {
  override name = 'InvalidOperationError';
}

/** Data could not be read or decoded (OpenVDS `ReadErrorException`). */
export class ReadError extends Error {
  override name = 'ReadError';
  constructor(message: string, readonly code = -1, options?: { cause?: unknown }) {
    super(message, options);
  }
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

/** A chunk's bytes do not match what the layer says it must be. */
export class ChunkFormatError extends ReadError {
  override name = 'ChunkFormatError';
}

/** Cancellation, by `cancel()`, unsubscribe or an aborted signal. */
export class CanceledError extends Error {
  override name = 'CanceledError';
  readonly code = -2;
  constructor(message = 'Request was canceled') { super(message); }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
