// `gs://bucket/prefix` through Cloud Storage's XML API, which speaks the S3 protocol: HMAC keys
// sign requests like AWS keys, and an OAuth access token (`Token=`) or no credentials at all
// (public buckets) replace the signature. One S3 client serves both clouds.
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { S3Store } from './s3Store.js';

export const GCS_XML_ENDPOINT = 'https://storage.googleapis.com';

export interface GcsStoreOptions {
  bucket: string;
  prefix?: string;
  /** HMAC key id and secret (Cloud Storage "interoperability" keys). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** An OAuth 2.0 access token (or a source of fresh ones), used when no HMAC key is given. */
  token?: string | (() => Promise<string>);
  /** Default `https://storage.googleapis.com`. */
  endpoint?: string;
  listPageSize?: number;
}

type RequestSigner = Extract<NonNullable<S3ClientConfig['signer']>, { sign: unknown }>;

export class GcsStore extends S3Store {
  constructor(options: GcsStoreOptions) {
    const hmac = options.accessKeyId !== undefined;
    super({
      bucket: options.bucket,
      prefix: options.prefix,
      scheme: 'gs',
      region: 'auto',
      endpoint: options.endpoint ?? GCS_XML_ENDPOINT,
      accessKeyId: options.accessKeyId,
      secretAccessKey: options.secretAccessKey,
      listPageSize: options.listPageSize,
      secrets: typeof options.token === 'string' ? [options.token] : [],
      clientConfig: {
        // Cloud Storage does not know the SDK's default CRC32 checksum headers.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        ...(!hmac && { signer: tokenSigner(options.token), credentials: { accessKeyId: 'unsigned', secretAccessKey: 'unsigned' } }),
      },
    });
  }
}

/** Instead of SigV4: `Authorization: Bearer`, x-amz-meta-* as x-goog-meta-*, no other x-amz-* headers. */
function tokenSigner(token: GcsStoreOptions['token']): RequestSigner {
  return {
    sign: async (request) => {
      for (const name of Object.keys(request.headers)) {
        const lower = name.toLowerCase();
        const value = request.headers[name]!;
        if (lower.startsWith('x-amz-') || lower === 'authorization') delete request.headers[name];
        if (lower.startsWith('x-amz-meta-')) request.headers[`x-goog-meta-${lower.slice('x-amz-meta-'.length)}`] = value;
      }
      const current = typeof token === 'function' ? await token() : token;
      if (current) request.headers.authorization = `Bearer ${current}`;
      return request;
    },
  };
}
