// Optional bearer-token authentication: compared in constant time (as SHA-256 digests, so neither
// the token's length nor its prefix leaks through timing).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpError } from './httpErrors.js';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** A check that throws 401 unless the request carries `Authorization: Bearer <token>`. */
export function bearerCheck(token: string): (request: FastifyRequest) => void {
  const expected = digest(token);
  return (request) => {
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new HttpError(401, header === undefined ? 'authorization: this server needs a bearer token (Authorization: Bearer …)' : 'authorization: expected "Bearer <token>"');
    if (!timingSafeEqual(digest(match[1]!), expected)) throw new HttpError(401, 'authorization: the bearer token is not valid');
  };
}
