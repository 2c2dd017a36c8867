// `s3://bucket/prefix`: a dataset as S3 objects `<prefix>/<key>`, chunk metadata as
// `x-amz-meta-vdschunkmetadata`. The SDK's own retries are off: withRetry is the one policy.
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { throwIfAborted } from '../../src/async/abort.js';
import { InvalidArgumentError } from '../../src/model/errors.js';
import { assertSafeKey } from './keys.js';
import { chunkMetadataFrom, contentDisposition, contentTypeOf } from './metadataHeaders.js';
import { awsSdk } from './optionalSdk.js';
import type { ByteRange, DeletableStore, ListableStore, ObjectInfo, ReadOptions, Store, WriteOptions } from './store.js';
import { httpStatus, storeFailure, type StoreVerb, truncatedBody } from './storeErrors.js';

export interface S3StoreOptions {
  bucket: string;
  /** The dataset's key prefix inside the bucket; slashes at either end are ignored. */
  prefix?: string;
  region?: string;
  /** An S3-compatible endpoint; requests then use path-style URLs (`endpoint/bucket/key`). */
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** When temporary credentials expire. */
  expiration?: Date;
  connectionTimeoutMs?: number;
  /** Socket inactivity limit of one request. */
  requestTimeoutMs?: number;
  /** Keys per ListObjectsV2 page (at most 1000 on AWS). */
  listPageSize?: number;
  /** Further values to keep out of error messages (tokens a custom signer sends). */
  secrets?: string[];
  /** The URL scheme shown in `description` (`gs` for the GCS interoperability API). */
  scheme?: string;
  /** Further S3Client settings, applied last. */
  clientConfig?: S3ClientConfig;
}

export class S3Store implements Store, ListableStore, DeletableStore {
  readonly description: string;
  readonly bucket: string;
  /** Object-key prefix of the dataset: `''` or ending with `/`. */
  readonly keyPrefix: string;
  private readonly client: S3Client;
  private readonly sdk = awsSdk();
  private readonly listPageSize: number | undefined;
  private readonly secrets: string[];

  constructor(options: S3StoreOptions) {
    if (!options.bucket) throw new InvalidArgumentError('An S3 store needs a bucket');
    this.bucket = options.bucket;
    const prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.keyPrefix = prefix === '' ? '' : `${prefix}/`;
    this.listPageSize = options.listPageSize;
    this.secrets = [options.secretAccessKey, options.sessionToken, ...options.secrets ?? []].filter((s): s is string => !!s);
    const endpoint = options.endpoint && new URL(options.endpoint);
    this.description = `${options.scheme ?? 's3'}://${this.bucket}${prefix && `/${prefix}`}${endpoint ? ` at ${endpoint.origin}` : ''}`;
    this.client = new this.sdk.S3Client({
      region: options.region || process.env.AWS_REGION || 'us-east-1',
      ...(endpoint && { endpoint: endpoint.href, forcePathStyle: true }),
      ...(options.accessKeyId && {
        credentials: {
          accessKeyId: options.accessKeyId,
          secretAccessKey: options.secretAccessKey ?? '',
          sessionToken: options.sessionToken,
          expiration: options.expiration,
        },
      }),
      maxAttempts: 1,
      requestHandler: { connectionTimeout: options.connectionTimeoutMs, requestTimeout: options.requestTimeoutMs },
      ...options.clientConfig,
    });
  }

  async get(key: string, options?: ReadOptions): Promise<Uint8Array | undefined> {
    return this.read(key, undefined, options);
  }

  async getRange(key: string, range: ByteRange, options?: ReadOptions): Promise<Uint8Array | undefined> {
    if (range.length === 0) return (await this.head(key, options)) && new Uint8Array(0);
    const last = range.length === undefined ? '' : String(range.offset + range.length - 1);
    return this.read(key, `bytes=${range.offset}-${last}`, options);
  }

  async head(key: string, options?: ReadOptions): Promise<ObjectInfo | undefined> {
    const command = new this.sdk.HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) });
    // The SDK keeps only x-amz-meta-* headers; GCS answers with x-goog-meta-*.
    let headers: Record<string, string> | undefined;
    command.middlewareStack.add((next) => async (args) => {
      const result = await next(args);
      headers = (result.response as { headers?: Record<string, string> }).headers;
      return result;
    }, { step: 'deserialize', name: 'rxvdsResponseHeaders' });
    try {
      const out = await this.client.send(command, { abortSignal: options?.signal });
      const metadata = chunkMetadataFrom(headers) ?? chunkMetadataFrom(out.Metadata);
      return { size: out.ContentLength ?? 0, ...(metadata && { metadata }) };
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw this.failure(error, 'read', key, options?.signal);
    }
  }

  async set(key: string, data: Uint8Array, options?: WriteOptions): Promise<void> {
    const command = new this.sdk.PutObjectCommand({
      Bucket: this.bucket,
      Key: this.objectKey(key),
      Body: data,
      ContentLength: data.byteLength,
      ContentType: contentTypeOf(key, options?.contentType),
      ContentDisposition: contentDisposition(key),
      Metadata: options?.metadata,
    });
    try {
      await this.client.send(command, { abortSignal: options?.signal });
    } catch (error) {
      throw this.failure(error, 'write', key, options?.signal);
    }
  }

  async delete(key: string, options?: ReadOptions): Promise<void> {
    try {
      await this.client.send(new this.sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }), { abortSignal: options?.signal });
    } catch (error) {
      if (isMissingObject(error)) return;
      throw this.failure(error, 'delete', key, options?.signal);
    }
  }

  async *list(prefix = '', options?: ReadOptions): AsyncIterable<string> {
    let continuationToken: string | undefined;
    do {
      throwIfAborted(options?.signal);
      const command = new this.sdk.ListObjectsV2Command({
        Bucket: this.bucket, Prefix: this.keyPrefix + prefix, ContinuationToken: continuationToken, MaxKeys: this.listPageSize,
      });
      let page;
      try {
        page = await this.client.send(command, { abortSignal: options?.signal });
      } catch (error) {
        throw this.failure(error, 'list', prefix || 'objects', options?.signal);
      }
      for (const object of page.Contents ?? []) {
        if (object.Key?.startsWith(this.keyPrefix)) yield object.Key.slice(this.keyPrefix.length);
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private async read(key: string, range: string | undefined, options?: ReadOptions): Promise<Uint8Array | undefined> {
    const command = new this.sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key), Range: range });
    try {
      const out = await this.client.send(command, { abortSignal: options?.signal });
      const bytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array(0);
      if (out.ContentLength !== undefined && bytes.byteLength !== out.ContentLength) throw truncatedBody(`${bytes.byteLength} of ${out.ContentLength} bytes`);
      return bytes;
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      // A range starting at or past the end (or any range of an empty object).
      if (range && httpStatus(error) === 416) return new Uint8Array(0);
      throw this.failure(error, 'read', key, options?.signal);
    }
  }

  private failure(error: unknown, verb: StoreVerb, key: string, signal: AbortSignal | undefined) {
    return storeFailure(error, verb, `${key} in ${this.description}`, this.secrets, signal);
  }

  private objectKey(key: string): string {
    assertSafeKey(key);
    return this.keyPrefix + key;
  }
}

/** A missing object (404 without NoSuchBucket: a missing bucket is an error, not an absent key). */
function isMissingObject(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name === 'NoSuchKey' || (httpStatus(error) === 404 && name !== 'NoSuchBucket');
}
