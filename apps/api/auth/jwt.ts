import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

const sign = (input: string, secret: string) => createHmac('sha256', secret).update(input).digest();

/** What a valid token says: whose it is, and the user's token epoch when it was issued. */
export interface TokenClaims {
  subject: string;
  epoch: number;
}

/**
 * HS256 only: a token whose header names any other algorithm (`none` included) is refused. `ep`
 * is the user's token epoch; a token without it (as issued before epochs existed) is refused.
 */
export function signJwt(subject: string, secret: string, nowSeconds: number, ttlSeconds: number, epoch?: number): string {
  const claims = { sub: subject, iat: nowSeconds, exp: nowSeconds + ttlSeconds, ...(epoch === undefined ? {} : { ep: epoch }) };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${HEADER}.${payload}.${sign(`${HEADER}.${payload}`, secret).toString('base64url')}`;
}

export function verifyJwt(token: string, secret: string, nowSeconds: number): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return null;
  const expected = sign(`${parts[0]}.${parts[1]}`, secret);
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { sub?: unknown; exp?: unknown; ep?: unknown };
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return null;
    if (typeof claims.ep !== 'number' || !Number.isSafeInteger(claims.ep) || claims.ep < 0) return null;
    return { subject: claims.sub, epoch: claims.ep };
  } catch {
    return null;
  }
}
