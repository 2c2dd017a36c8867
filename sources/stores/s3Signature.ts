// AWS Signature Version 4 for S3 reads (GET and HEAD) on Web Crypto, so a page can read a private
// bucket with credentials its user supplies, without the AWS SDK. The host, the Range and the
// x-amz-* headers are signed, and the payload, always empty.

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const encoder = new TextEncoder();
/** SHA-256 of no bytes: the payload of every GET and HEAD. */
const EMPTY_PAYLOAD_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

async function hmac(key: ArrayBuffer | Uint8Array<ArrayBuffer>, text: string): Promise<ArrayBuffer> {
  const imported = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', imported, encoder.encode(text));
}

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** RFC 3986 encoding, as SigV4 wants it for query keys and values. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The headers that sign a request for `url` with `headers` (lowercase names) at `now`: add them
 * all to the request. `url`'s path must be encoded as it is sent.
 */
export async function signS3Request(method: 'GET' | 'HEAD', url: URL, headers: Record<string, string>, region: string,
  credentials: S3Credentials, now = new Date()): Promise<Record<string, string>> {
  const amzDate = now.toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const added: Record<string, string> = {
    'x-amz-content-sha256': EMPTY_PAYLOAD_SHA256, 'x-amz-date': amzDate,
    ...(credentials.sessionToken && { 'x-amz-security-token': credentials.sessionToken }),
  };
  const signed: Record<string, string> = { host: url.host, ...headers, ...added };
  const names = Object.keys(signed).map((name) => name.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(signed).map(([name, value]) => [name.toLowerCase(), value.trim()]));
  const query = [...url.searchParams].map(([key, value]) => `${uriEncode(key)}=${uriEncode(value)}`).sort().join('&');
  const canonical = [method, url.pathname, query, ...names.map((name) => `${name}:${lower[name]}`), '', names.join(';'), EMPTY_PAYLOAD_SHA256].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, await sha256Hex(canonical)].join('\n');
  let key = await hmac(encoder.encode(`AWS4${credentials.secretAccessKey}`), day);
  for (const part of [region, 's3', 'aws4_request']) key = await hmac(key, part);
  const signature = hex(await hmac(key, toSign));
  return { ...added, authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}
