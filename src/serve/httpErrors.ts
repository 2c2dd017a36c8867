// HTTP errors of the service: every refusal is a JSON `{"error": "…"}` whose message names the
// parameter at fault; server-side failures are scrubbed of credentials before anyone sees them.
import { InvalidArgumentError } from '../model/errors.js';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

/** 400: `parameter: what is wrong`. */
export function badRequest(parameter: string, message: string): HttpError {
  return new HttpError(400, `${parameter}: ${message}`);
}

/** 413: a request over a documented limit. */
export function tooLarge(parameter: string, message: string): HttpError {
  return new HttpError(413, `${parameter}: ${message}`);
}

/**
 * Runs a check of the library (annotation ranges, LOD and channel numbers…) for one parameter:
 * its InvalidArgumentError becomes a 400 naming that parameter.
 */
export function forParameter<T>(parameter: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw badRequest(parameter, error.message);
    throw error;
  }
}
