// The parts of the built-in URL schemes that do not depend on the platform: the connection-string
// keys and the refusals, shared by builtinSchemes.ts (Node) and builtinSchemes.browser.ts.
import { InvalidArgumentError } from '../../src/model/errors.js';

/**
 * A `.vds` file is a dataset layer of its own (sources/dataset/vdsFileDataset.ts, found by
 * vdsFileDatasetFor), as in OpenVDS, where no IOManager reads one.
 */
export function vdsFileIsNoStore(path: string): InvalidArgumentError {
  return new InvalidArgumentError(`${path} is a .vds file: a dataset, not a store of objects; open it with open() or create()`);
}

/** The container URL of an azuresas:// dataset (`https://host/container/prefix`). */
export function azureSasUrl(baseUrl: string): URL {
  try {
    return new URL(baseUrl);
  } catch {
    throw new InvalidArgumentError('Invalid azuresas:// URL');
  }
}

/** `bucket/prefix` (or `container/prefix`). */
export function splitLocation(rest: string, service: string, what: string): { name: string; prefix: string } {
  const slash = rest.indexOf('/');
  const name = slash < 0 ? rest : rest.slice(0, slash);
  if (name === '') throw new InvalidArgumentError(`${service} url is missing ${what}`);
  return { name, prefix: slash < 0 ? '' : rest.slice(slash + 1) };
}

export const ACCESS_KEY_ID = ['accesskeyid', 'access_key_id', 'awsaccesskeyid', 'aws_access_key_id'];
export const SECRET_KEY = [
  'secretkey', 'secretaccesskey', 'secret_key', 'secret_access_key', 'awssecretkey', 'awssecretaccesskey', 'aws_secret_key', 'aws_secret_access_key',
];

export function milliseconds(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) throw new InvalidArgumentError(`Invalid ${name} connection string parameter: "${value}"`);
  return ms;
}

// OpenVDS's DisableInitApi stops it calling Aws::InitAPI (for hosts that call it themselves); the
// AWS SDK for JavaScript has no such global initialization, so there is nothing the key could do.
export function disableInitApiUnsupported(): InvalidArgumentError {
  return new InvalidArgumentError('DisableInitApi is not supported: the AWS SDK for JavaScript has no InitAPI to disable; leave it out');
}

export interface S3Fields {
  region?: string; endpoint?: string; accessKeyId?: string; secretKey?: string; sessionToken?: string; expiration?: string;
  connectionTimeoutMs?: number; requestTimeoutMs?: number;
}

