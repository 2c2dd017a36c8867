// Turns the errors of HTTP clients and cloud SDKs into StoreError or WriteError (HTTP status as code)
// or CanceledError, with messages and causes scrubbed of the credentials the store was given and of any
// credentials in URLs they quote.
import { CanceledError, StoreError, WriteError } from '../../src/model/errors.js';
import { redactSecrets, scrub } from './redact.js';

interface ClientError {
  name?: string;
  code?: string | number;
  message?: string;
  statusCode?: number;
  $metadata?: { httpStatusCode?: number };
}

/** The HTTP status an SDK or HTTP error carries, if any. */
export function httpStatus(error: unknown): number | undefined {
  const e = error as ClientError | undefined;
  return e?.$metadata?.httpStatusCode ?? (typeof e?.statusCode === 'number' ? e.statusCode : undefined);
}

function isAbort(error: unknown): boolean {
  const e = error as ClientError | undefined;
  return error instanceof CanceledError || e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}

/** What a store was doing when it failed. */
export type StoreVerb = 'read' | 'write' | 'delete' | 'list';

/**
 * The message says what failed ("Cannot read Dimensions_012LOD0/3 in s3://bucket/survey", from
 * `verb` and `subject`); the client's own message and code follow it. Failed writes and deletes
 * are WriteErrors, other failures StoreErrors. The cause is a plain copy without request objects,
 * whose `code` (`ECONNRESET`, `SlowDown`, ...) tells withRetry what kind of failure it was.
 * Only an aborted `signal` means cancellation: clients also report a connection that closed
 * mid-response as an abort, which is a reset here.
 */
export function storeFailure(error: unknown, verb: StoreVerb, subject: string, secrets: readonly string[], signal: AbortSignal | undefined): StoreError | CanceledError {
  if (signal?.aborted) return error instanceof CanceledError ? error : new CanceledError();
  if (error instanceof StoreError) return error;
  if (isAbort(error)) error = Object.assign(new Error('the connection closed before the response was complete'), { code: 'ECONNRESET' });
  const e = (error ?? {}) as ClientError;
  const status = httpStatus(error) ?? -1;
  const code = e.code ?? (e.name && e.name !== 'Error' ? e.name : undefined);
  const fullDetail = redactSecrets(scrub(e.message || String(code ?? status), secrets));
  const cause = Object.assign(new Error(fullDetail), { name: e.name ?? 'Error', code });
  // Services append request ids and times on further lines; the cause keeps them.
  const detail = fullDetail.split('\n')[0]!.trim();
  const label = code !== undefined && !detail.includes(String(code)) ? `${code}: ` : '';
  const statusText = status > 0 ? `HTTP ${status} ` : '';
  const Failure = isWriteVerb(verb) ? WriteError : StoreError;
  return new Failure(redactSecrets(scrub(`Cannot ${verb} ${subject}: ${statusText}${label}${detail}`, secrets)), status, { cause });
}

/** Whether `verb` changes the store: its failures are WriteErrors. */
export function isWriteVerb(verb: StoreVerb): boolean {
  return verb === 'write' || verb === 'delete';
}

/** `code` of the error for a response body that ended before its Content-Length. */
export const TRUNCATED_BODY = 'ERR_TRUNCATED_BODY';

export function truncatedBody(detail: string): Error {
  return Object.assign(new Error(`the response body is incomplete (${detail})`), { code: TRUNCATED_BODY });
}
