// Credentials reach rxvds inside URLs (`user:password@`, signed query parameters) and connection
// strings. Every message, description and log line that may quote one passes through here, so a
// password, SAS signature or presigned token is never printed.

const REDACTED = '***';

/**
 * Query (and fragment) parameters that carry credentials: Azure SAS `sig`, presigned S3 and GCS
 * `X-Amz-Signature`/`X-Amz-Credential`/`X-Amz-Security-Token`/`X-Goog-*`, OAuth `token`,
 * `access_token` and `code`, API keys, passwords. Matching by part of the name over-redacts a
 * harmless parameter now and then (`X-Amz-SignedHeaders`), which is the safe side.
 */
const SECRET_PARAMETER = /sig|token|secret|passw|pwd|credential|key|code|auth|policy/i;

/** Connection-string keys whose values are not secret (OpenVDS's, per service); every other value is. */
const PUBLIC_CONNECTION_KEYS = new Set([
  'region', 'endpointoverride', 'endpoint_override', 'accountname', 'blobendpoint', 'defaultendpointsprotocol', 'endpointsuffix',
  'expiration', 'connectiontimeoutms', 'connection_timeout_ms', 'requesttimeoutms', 'request_timeout_ms', 'disableinitapi',
  'disable_init_api', 'loglevel', 'log_level', 'requestthreadcount', 'request_thread_count', 'waveletadaptivetolerance',
  'waveletadaptiveratio',
]);

/** `scheme://` `userinfo@` rest: the userinfo runs to the last `@` before the path. */
const URL_PARTS = /^([a-z][a-z0-9+.-]*:\/\/)(?:([^/?#]*)@)?([^?#]*)(\?[^#]*)?(#.*)?$/is;

/** URLs inside free text: a scheme, `://`, then everything up to white space or a quote, less trailing punctuation. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]*[^\s"'<>`:.,;)]/gi;

/** `Name=value` pairs inside free text whose name says the value is a credential (and not yet redacted). */
const SECRET_PAIR_IN_TEXT = /\b([a-z_-]*(?:key|secret|token|signature|sig|passw|pwd|credential|suffix)[a-z_-]*\s*=\s*)(?!\*\*\*)[^;\s"'&]+/gi;

/** A URL without its userinfo and with its credential parameters' values replaced by `***`. */
export function redactUrl(url: string): string {
  const parts = URL_PARTS.exec(url);
  if (!parts) return url;
  const [, scheme, userinfo, path, query = '', fragment = ''] = parts;
  return `${scheme}${userinfo === undefined ? '' : `${REDACTED}@`}${path}${redactParameters(query)}${redactParameters(fragment)}`;
}

function redactParameters(text: string): string {
  return text.replace(/([?#&;])([^=&#;]*)=([^&#;]*)/g, (pair, separator: string, name: string) =>
    (SECRET_PARAMETER.test(decodeComponent(name)) ? `${separator}${name}=${REDACTED}` : pair));
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** An OpenVDS connection string with every value but the known public ones (region, endpoint, ...) replaced by `***`. */
export function redactConnectionString(text: string): string {
  return text.split(';').map((part) => {
    const equals = part.indexOf('=');
    if (equals < 0) return part.trim() === '' ? part : REDACTED;
    const name = part.slice(0, equals);
    return PUBLIC_CONNECTION_KEYS.has(name.trim().toLowerCase()) ? `${name}=${redactUrl(part.slice(equals + 1))}` : `${name}=${REDACTED}`;
  }).join(';');
}

/** Free text (an error message, say) with URL credentials and secret `Name=value` pairs redacted. */
export function redactSecrets(text: string): string {
  return text.replace(URL_IN_TEXT, redactUrl).replace(SECRET_PAIR_IN_TEXT, `$1${REDACTED}`);
}

/** Replaces every occurrence of a known secret value (and its URL-encoded form) with `***`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) result = result.split(form).join(REDACTED);
  }
  return result;
}

/** The credential substrings of a URL (userinfo, values of secret parameters), for `scrub`. */
export function urlSecrets(url: string): string[] {
  const parts = URL_PARTS.exec(url);
  if (!parts) return [];
  const [, , userinfo, , query = '', fragment = ''] = parts;
  const secrets = userinfo === undefined ? [] : [userinfo, ...userinfo.split(':').slice(1)];
  for (const [, name, value] of `${query}${fragment}`.matchAll(/[?#&;]([^=&#;]*)=([^&#;]*)/g)) {
    if (SECRET_PARAMETER.test(decodeComponent(name!))) secrets.push(value!, decodeComponent(value!));
  }
  return secrets.filter((s) => s !== '');
}

/** The secret values of a connection string (all but the public keys'), for `scrub`. */
export function connectionStringSecrets(text: string): string[] {
  return text.split(';').flatMap((part) => {
    const equals = part.indexOf('=');
    if (equals < 0) return [part.trim()];
    return PUBLIC_CONNECTION_KEYS.has(part.slice(0, equals).trim().toLowerCase()) ? urlSecrets(part.slice(equals + 1)) : [part.slice(equals + 1).trim()];
  }).filter((s) => s !== '');
}
