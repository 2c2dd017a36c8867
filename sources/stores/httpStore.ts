// `http(s)://...`: a dataset behind any web server, read-only: no set, delete or list (a plain web
// server has none of them). Object URL = the base URL without its query string + `/` + key + that
// query string (so a signed query, an S3 presigned or Azure SAS one, reaches every object). On
// `fetch`, so the same store serves Node and browsers; a byte range is one Range request.
import { encodeBase64 } from '../../src/model/base64.js';
import { InvalidArgumentError } from '../../src/model/errors.js';
import { throwIfAborted } from '../../src/async/abort.js';
import { assertSafeKey } from './keys.js';
import { chunkMetadataFrom } from './metadataHeaders.js';
import type { ByteRange, ObjectInfo, ReadableStore, ReadOptions } from './store.js';
import { storeFailure, truncatedBody } from './storeErrors.js';

interface Answer {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

export interface HttpStoreOptions {
  headers?: Record<string, string>;
  sign?: (method: 'GET' | 'HEAD', url: URL, headers: Record<string, string>) => Promise<Record<string, string>>;
}

export class HttpStore implements ReadableStore {
  readonly description: string;
  private readonly base: URL;
  /** The base path without its trailing slashes (`''` for a server root). */
  private readonly basePath: string;
  private readonly query: string;
  /** The options' headers, and Basic credentials from the URL's user info (fetch refuses URLs that carry them). */
  private readonly headers: Record<string, string>;
  private readonly secrets: string[];
  private readonly sign: HttpStoreOptions['sign'];

  /**
   * `headers` go with every request (e.g. `authorization`, whose credentials are kept out of
   * messages); `sign` gives the headers that sign a request (S3's Signature Version 4).
   */
  constructor(url: string, options: HttpStoreOptions = {}) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InvalidArgumentError('Invalid HTTP dataset URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new InvalidArgumentError(`Not an http(s) URL: ${parsed.protocol}`);
    this.query = parsed.search;
    this.secrets = [parsed.search.slice(1), decodeURIComponent(parsed.password)].filter((s) => s !== '');
    const userInfo = parsed.username === '' && parsed.password === '' ? undefined
      : `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
    const basic = userInfo === undefined ? undefined : encodeBase64(new TextEncoder().encode(userInfo));
    this.headers = { ...options.headers, ...(basic && { authorization: `Basic ${basic}` }) };
    const token = options.headers?.authorization?.replace(/^\w+ /, '');
    this.secrets.push(...[basic, token].filter((secret): secret is string => secret !== undefined && secret !== ''));
    parsed.search = '';
    parsed.hash = '';
    parsed.username = '';
    parsed.password = '';
    this.basePath = parsed.pathname.replace(/\/+$/, '');
    this.base = parsed;
    this.description = `${parsed.origin}${this.basePath}`;
    this.sign = options.sign;
  }

  async get(key: string, options?: ReadOptions): Promise<Uint8Array | undefined> {
    return this.read(key, undefined, options);
  }

  async getRange(key: string, range: ByteRange, options?: ReadOptions): Promise<Uint8Array | undefined> {
    if (range.length === 0) return (await this.head(key, options)) && new Uint8Array(0);
    return this.read(key, range, options);
  }

  async head(key: string, options?: ReadOptions): Promise<ObjectInfo | undefined> {
    const answer = await this.request('HEAD', key, {}, options?.signal);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw this.statusFailure(answer, key, options?.signal);
    const metadata = chunkMetadataFrom(answer.headers);
    return { size: Number(answer.headers['content-length'] ?? 0), ...(metadata && { metadata }) };
  }

  /** Nothing to release: fetch pools its connections itself. */
  async close(): Promise<void> {}

  private async read(key: string, range: ByteRange | undefined, options?: ReadOptions): Promise<Uint8Array | undefined> {
    const headers: Record<string, string> = {};
    if (range) headers.range = `bytes=${range.offset}-${range.length === undefined ? '' : range.offset + range.length - 1}`;
    const answer = await this.request('GET', key, headers, options?.signal);
    if (answer.status === 404) return undefined;
    if (range && answer.status === 416) return new Uint8Array(0);
    if (answer.status === 200 && range) {
      // The server ignored the range and sent the whole object.
      const end = range.length === undefined ? undefined : range.offset + range.length;
      return answer.body!.slice(range.offset, end);
    }
    if (answer.status !== 200 && answer.status !== 206) throw this.statusFailure(answer, key, options?.signal);
    return answer.body!;
  }

  private async request(method: 'GET' | 'HEAD', key: string, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<Answer> {
    assertSafeKey(key);
    throwIfAborted(signal);
    const url = new URL(this.base);
    url.pathname = `${this.basePath}/${key.split('/').map(encodeURIComponent).join('/')}`;
    url.search = this.query;
    const subject = `${key} in ${this.description}`;
    let response: Response;
    try {
      const signature = this.sign ? await this.sign(method, url, headers) : {};
      response = await fetch(url, { method, headers: { ...headers, ...this.headers, ...signature }, signal });
    } catch (error) {
      throw storeFailure(fetchFailure(error), 'read', subject, this.secrets, signal);
    }
    const answer: Answer = { status: response.status, statusText: response.statusText || 'unexpected response', headers: Object.fromEntries(response.headers) };
    if (method === 'HEAD' || !response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return answer;
    }
    try {
      return { ...answer, body: await readBody(response, answer.headers) };
    } catch (error) {
      throw storeFailure(error, 'read', subject, this.secrets, signal);
    }
  }

  private statusFailure(answer: Answer, key: string, signal: AbortSignal | undefined) {
    const error = Object.assign(new Error(answer.statusText), { statusCode: answer.status });
    return storeFailure(error, 'read', `${key} in ${this.description}`, this.secrets, signal);
  }
}

/**
 * The error behind a failed fetch: Node's fetch wraps the socket's (with its code, ECONNREFUSED or
 * ECONNRESET, which withRetry reads) in a TypeError; a browser's says nothing more than that the
 * request failed (also when CORS refused it), which is retried like a reset connection.
 */
function fetchFailure(error: unknown): unknown {
  if (!(error instanceof TypeError)) return error;
  const cause = error.cause as { code?: unknown } | undefined;
  if (cause && typeof cause.code === 'string') return cause;
  return Object.assign(new Error(`the request failed (${error.message}; in a browser, also a server that refuses CORS)`), { code: 'ECONNRESET' });
}

/** The whole body, in a buffer of its own; a body shorter than its Content-Length is an error. */
async function readBody(response: Response, headers: Record<string, string>): Promise<Uint8Array> {
  const declared = headers['content-length'] === undefined || headers['content-encoding'] !== undefined ? undefined : Number(headers['content-length']);
  let body: Uint8Array;
  try {
    body = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    // The connection closed before the body's end (fetch says "terminated").
    throw Object.assign(truncatedBody(`fewer than ${declared ?? 'the announced'} bytes`), { cause: error });
  }
  if (declared !== undefined && body.byteLength !== declared) throw truncatedBody(`${body.byteLength} of ${declared} bytes`);
  return body;
}
