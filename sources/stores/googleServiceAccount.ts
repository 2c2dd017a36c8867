// Google service-account credentials (OpenVDS's CredentialsFile / JsonCredentials) as OAuth 2.0
// access tokens, by the JWT bearer grant (RFC 7523) that Google's token endpoint takes: a JWT signed
// with the account's private key buys a token for an hour. One token is fetched on first use, shared
// by concurrent requests, and fetched again a minute before it expires.
import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, StoreError } from '../../src/model/errors.js';

/** Read and write access to Cloud Storage (what OpenVDS's Google client asks for). */
const GCS_SCOPE = 'https://www.googleapis.com/auth/devstorage.read_write';
const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';
const LIFETIME_S = 3600;
const EARLY_REFRESH_MS = 60_000;
/** A token endpoint that does not answer fails the requests waiting for it rather than hanging them. */
const TOKEN_TIMEOUT_MS = 30_000;

export interface ServiceAccount {
  clientEmail: string;
  privateKey: KeyObject;
  tokenUri: string;
}

/** A service account from its JSON key; `source` names it in errors (never the JSON, which holds the key). */
export function parseServiceAccount(json: string, source: string): ServiceAccount {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw new InvalidArgumentError(`${source} is not JSON`);
  }
  if (parsed?.type !== 'service_account') {
    throw new InvalidArgumentError(`${source} must hold a service account key ("type": "service_account"), got type ${JSON.stringify(parsed?.type ?? null)}`);
  }
  const { client_email: clientEmail, private_key: privateKey, token_uri: tokenUri = GOOGLE_TOKEN_URI } = parsed;
  if (typeof clientEmail !== 'string' || typeof privateKey !== 'string' || typeof tokenUri !== 'string') {
    throw new InvalidArgumentError(`${source} needs client_email and private_key strings`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKey);
  } catch {
    throw new InvalidArgumentError(`${source}: private_key is not a PEM private key`);
  }
  return { clientEmail, privateKey: key, tokenUri };
}

export function readServiceAccountFile(path: string): ServiceAccount {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidArgumentError(`Cannot read the Google credentials file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return parseServiceAccount(text, `The Google credentials file ${path}`);
}

/** A function that resolves to a valid access token for `account`. */
export function serviceAccountTokens(account: ServiceAccount, scope = GCS_SCOPE): () => Promise<string> {
  let current: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  return () => {
    if (current && Date.now() < current.expiresAt - EARLY_REFRESH_MS) return Promise.resolve(current.token);
    pending ??= fetchToken(account, scope).then(
      (fetched) => { current = fetched; pending = undefined; return fetched.token; },
      (error: unknown) => { pending = undefined; throw error; },
    );
    return pending;
  };
}

async function fetchToken(account: ServiceAccount, scope: string): Promise<{ token: string; expiresAt: number }> {
  const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: signedAssertion(account, scope) });
  const what = `Cannot get an access token for ${account.clientEmail} from ${account.tokenUri}`;
  let response: Response;
  try {
    response = await fetch(account.tokenUri, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' },
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS) });
  } catch (error) {
    throw new StoreError(`${what}: ${(error as Error).message}`);
  }
  const reply = await response.json().catch(() => ({})) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
  if (!response.ok || typeof reply.access_token !== 'string') {
    throw new StoreError(`${what}: HTTP ${response.status}${typeof reply.error === 'string' ? ` (${reply.error})` : ''}`);
  }
  const lifetime = typeof reply.expires_in === 'number' && reply.expires_in > 0 ? reply.expires_in : LIFETIME_S;
  return { token: reply.access_token, expiresAt: Date.now() + lifetime * 1000 };
}

function signedAssertion(account: ServiceAccount, scope: string): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({
    iss: account.clientEmail, scope, aud: account.tokenUri, iat: now, exp: now + LIFETIME_S,
  })}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(account.privateKey, 'base64url')}`;
}
