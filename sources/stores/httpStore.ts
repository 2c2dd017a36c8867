// `http(s)://...`: a dataset behind any web server, read-only: no set, delete or list (a plain web
// server has none of them). Object URL = the base URL without its query string + `/` + key + that
// query string (so a signed query reaches every object).
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { InvalidArgumentError } from '../../src/model/errors.js';
import { throwIfAborted } from '../../src/async/abort.js';
import { assertSafeKey } from './keys.js';
import { chunkMetadataFrom } from './metadataHeaders.js';
import type { ByteRange, ObjectInfo, ReadableStore, ReadOptions } from './store.js';
import { storeFailure, truncatedBody } from './storeErrors.js';

interface Answer {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body?: Uint8Array;
}

export class HttpStore implements ReadableStore {
  readonly description: string;
  private readonly base: URL;
  /** The base path without its trailing slashes (`''` for a server root). */
  private readonly basePath: string;
  private readonly query: string;
  private readonly agent: HttpAgent;
  private readonly secrets: string[];

  constructor(url: string) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InvalidArgumentError('Invalid HTTP dataset URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new InvalidArgumentError(`Not an http(s) URL: ${parsed.protocol}`);
    this.query = parsed.search;
    this.secrets = [parsed.search.slice(1), decodeURIComponent(parsed.password)].filter((s) => s !== '');
    parsed.search = '';
    parsed.hash = '';
    this.basePath = parsed.pathname.replace(/\/+$/, '');
    this.base = parsed;
    this.description = `${parsed.origin}${this.basePath}`;
    this.agent = parsed.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
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

  async close(): Promise<void> {
    this.agent.destroy();
  }

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

  private request(method: 'GET' | 'HEAD', key: string, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<Answer> {
    assertSafeKey(key);
    throwIfAborted(signal);
    const url = new URL(this.base);
    url.pathname = `${this.basePath}/${key.split('/').map(encodeURIComponent).join('/')}`;
    url.search = this.query;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Answer>((resolve, reject) => {
      const fail = (error: unknown) => reject(storeFailure(error, 'read', `${key} in ${this.description}`, this.secrets, signal));
      const req = send(url, { method, headers, agent: this.agent, signal }, (res) => {
        const status = res.statusCode ?? 0;
        const statusText = res.statusMessage || 'unexpected response';
        if (method === 'HEAD' || status < 200 || status >= 300) {
          res.resume();
          res.once('end', () => resolve({ status, statusText, headers: res.headers }));
          res.once('error', fail);
          return;
        }
        readBody(res).then((body) => resolve({ status, statusText, headers: res.headers, body }), fail);
      });
      req.once('error', fail);
      req.end();
    });
  }

  private statusFailure(answer: Answer, key: string, signal: AbortSignal | undefined) {
    const error = Object.assign(new Error(answer.statusText), { statusCode: answer.status });
    return storeFailure(error, 'read', `${key} in ${this.description}`, this.secrets, signal);
  }
}

/** The whole body, in a buffer of its own; a body shorter than its Content-Length is an error. */
function readBody(res: IncomingMessage): Promise<Uint8Array> {
  const declared = res.headers['content-length'] === undefined ? undefined : Number(res.headers['content-length']);
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let received = 0;
    res.on('data', (part: Buffer) => { parts.push(part); received += part.length; });
    res.once('error', reject);
    res.once('end', () => {
      if (!res.complete || (declared !== undefined && received !== declared)) {
        reject(truncatedBody(`${received} of ${declared ?? 'unknown'} bytes`));
        return;
      }
      const body = new Uint8Array(received);
      let offset = 0;
      for (const part of parts) { body.set(part, offset); offset += part.length; }
      resolve(body);
    });
    res.once('close', () => { if (!res.complete) reject(truncatedBody(`${received} of ${declared ?? 'unknown'} bytes`)); });
  });
}
