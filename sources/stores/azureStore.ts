// `azure://container/prefix` (and `az://`, `azuresas://`): a dataset as block blobs
// `<prefix>/<key>`, chunk metadata as blob metadata `vdschunkmetadata`. The SDK's retries
// (pipeline and broken-download resumption) are off: withRetry is the one policy.
import type { ContainerClient, ContainerClientOptions, StoragePipelineOptions } from '@azure/storage-blob';
import { InvalidArgumentError } from '../../src/model/errors.js';
import { throwIfAborted } from '../../src/async/abort.js';
import { assertSafeKey } from './keys.js';
import { chunkMetadataFrom, contentDisposition, contentTypeOf } from './metadataHeaders.js';
import { azureSdk } from './optionalSdk.js';
import type { ByteRange, DeletableStore, ListableStore, ObjectInfo, ReadOptions, Store, WriteOptions } from './store.js';
import { scrub } from './redact.js';
import { httpStatus, storeFailure, type StoreVerb, truncatedBody } from './storeErrors.js';

export interface AzureStoreOptions {
  /** Blobs per listing page (at most 5000 on Azure). */
  listPageSize?: number;
}

const PIPELINE: StoragePipelineOptions & ContainerClientOptions = { retryOptions: { maxTries: 1 } };

export class AzureStore implements Store, ListableStore, DeletableStore {
  readonly description: string;
  /** Blob-name prefix of the dataset: `''` or ending with `/`. */
  readonly blobPrefix: string;

  /** `secrets` are scrubbed from every error message (account keys, SAS tokens). */
  constructor(private readonly container: ContainerClient, prefix = '', private readonly secrets: readonly string[] = [],
    private readonly options: AzureStoreOptions = {}) {
    const trimmed = prefix.replace(/^\/+|\/+$/g, '');
    this.blobPrefix = trimmed === '' ? '' : `${trimmed}/`;
    this.description = `${withoutQuery(container.url)}/${trimmed}`.replace(/\/$/, '');
  }

  /** A storage-account connection string (`DefaultEndpointsProtocol=...;AccountName=...;AccountKey=...`). */
  static fromConnectionString(connectionString: string, containerName: string, prefix?: string, options?: AzureStoreOptions): AzureStore {
    const secrets = [...connectionString.matchAll(/(?:AccountKey|SharedAccessSignature)\s*=\s*([^;]+)/gi)].map((m) => m[1]!.trim());
    const { ContainerClient: Client } = azureSdk();
    let container: ContainerClient;
    try {
      container = new Client(connectionString, containerName, PIPELINE);
    } catch (error) {
      throw new InvalidArgumentError(`Invalid Azure connection string: ${scrub((error as Error).message, secrets)}`);
    }
    return new AzureStore(container, prefix, secrets, options);
  }

  /** An OAuth bearer token for `https://<account>.blob.core.windows.net` (or `blobEndpoint`). */
  static withBearerToken(accountName: string, bearerToken: string, containerName: string, prefix?: string,
    options?: AzureStoreOptions & { blobEndpoint?: string }): AzureStore {
    const credential = { getToken: async () => ({ token: bearerToken, expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const url = `${(options?.blobEndpoint ?? `https://${accountName}.blob.core.windows.net`).replace(/\/+$/, '')}/${encodeURIComponent(containerName)}`;
    return new AzureStore(new (azureSdk().ContainerClient)(url, credential, PIPELINE), prefix, [bearerToken], options);
  }

  /** A container URL carrying its own authorization (a SAS query string), plus a blob-name prefix. */
  static fromContainerUrl(containerUrl: string, prefix?: string, options?: AzureStoreOptions): AzureStore {
    const query = new URL(containerUrl).searchParams;
    const secrets = [query.toString(), query.get('sig') ?? ''].filter((s) => s !== '');
    const { AnonymousCredential, ContainerClient: Client } = azureSdk();
    return new AzureStore(new Client(containerUrl, new AnonymousCredential(), PIPELINE), prefix, secrets, options);
  }

  async get(key: string, options?: ReadOptions): Promise<Uint8Array | undefined> {
    return this.read(key, 0, undefined, options);
  }

  async getRange(key: string, range: ByteRange, options?: ReadOptions): Promise<Uint8Array | undefined> {
    if (range.length === 0) return (await this.head(key, options)) && new Uint8Array(0);
    return this.read(key, range.offset, range.length, options);
  }

  async head(key: string, options?: ReadOptions): Promise<ObjectInfo | undefined> {
    const blob = this.blob(key);
    try {
      const properties = await blob.getProperties({ abortSignal: options?.signal });
      const metadata = chunkMetadataFrom(properties.metadata);
      return { size: properties.contentLength ?? 0, ...(metadata && { metadata }) };
    } catch (error) {
      if (isMissingBlob(error)) return undefined;
      throw this.failure(error, 'read', key, options?.signal);
    }
  }

  async set(key: string, data: Uint8Array, options?: WriteOptions): Promise<void> {
    const blob = this.blob(key);
    try {
      await blob.upload(data, data.byteLength, {
        abortSignal: options?.signal,
        metadata: options?.metadata,
        blobHTTPHeaders: { blobContentType: contentTypeOf(key, options?.contentType), blobContentDisposition: contentDisposition(key) },
      });
    } catch (error) {
      throw this.failure(error, 'write', key, options?.signal);
    }
  }

  async delete(key: string, options?: ReadOptions): Promise<void> {
    const blob = this.blob(key);
    try {
      await blob.deleteIfExists({ abortSignal: options?.signal });
    } catch (error) {
      throw this.failure(error, 'delete', key, options?.signal);
    }
  }

  async *list(prefix = '', options?: ReadOptions): AsyncIterable<string> {
    const pages = this.container.listBlobsFlat({ prefix: this.blobPrefix + prefix, abortSignal: options?.signal })
      .byPage({ maxPageSize: this.options.listPageSize });
    try {
      for await (const page of pages) {
        throwIfAborted(options?.signal);
        for (const item of page.segment.blobItems) {
          if (item.name.startsWith(this.blobPrefix)) yield item.name.slice(this.blobPrefix.length);
        }
      }
    } catch (error) {
      throw this.failure(error, 'list', prefix || 'objects', options?.signal);
    }
  }

  private async read(key: string, offset: number, count: number | undefined, options?: ReadOptions): Promise<Uint8Array | undefined> {
    const blob = this.blob(key);
    try {
      const response = await blob.download(offset, count, { abortSignal: options?.signal, maxRetryRequests: 0 });
      const expected = response.contentLength ?? 0;
      const bytes = new Uint8Array(expected);
      let received = 0;
      for await (const part of response.readableStreamBody ?? []) {
        const chunk = part as Buffer;
        if (received + chunk.length > expected) throw truncatedBody(`more than ${expected} bytes`);
        bytes.set(chunk, received);
        received += chunk.length;
      }
      if (received !== expected) throw truncatedBody(`${received} of ${expected} bytes`);
      return bytes;
    } catch (error) {
      if (isMissingBlob(error)) return undefined;
      // A range starting at or past the end (or any range of an empty blob).
      if ((offset > 0 || count !== undefined) && httpStatus(error) === 416) return new Uint8Array(0);
      throw this.failure(error, 'read', key, options?.signal);
    }
  }

  private blob(key: string) {
    assertSafeKey(key);
    return this.container.getBlockBlobClient(this.blobPrefix + key);
  }

  private failure(error: unknown, verb: StoreVerb, key: string, signal: AbortSignal | undefined) {
    // The SDK's download stream reports a short body as a plain Error.
    const message = (error as Error | undefined)?.message ?? '';
    const cause = message.startsWith('Data corruption failure') ? truncatedBody(message) : error;
    return storeFailure(cause, verb, `${key} in ${this.description}`, this.secrets, signal);
  }
}

/** A missing blob (404 other than ContainerNotFound: a missing container is an error, not an absent key). */
function isMissingBlob(error: unknown): boolean {
  return httpStatus(error) === 404 && (error as { code?: string }).code !== 'ContainerNotFound';
}

function withoutQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
}
