import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

const sign = (input: string, secret: string) => createHmac('sha256', secret).update(input).digest();

/** What a valid token says: whose it is, the user's token epoch when it was issued, and until when it is valid (seconds). */
export interface TokenClaims {
  subject: string;
  epoch: number;
  expiresAt: number;
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
    return { subject: claims.sub, epoch: claims.ep, expiresAt: claims.exp };
  } catch {
    return null;
  }
}

/** Tokens kept verified; past this many the map starts over. */
const MAX_VERIFIED = 10_000;

/**
 * The tokens one secret has verified, so a client's next request with the same token is not checked
 * again (an HMAC each time): a token's claims never change, and its expiry is still checked on every
 * use. Whether its epoch is still the user's is the principal's read (AuthenticationUseCase).
 */
export class VerifiedTokens {
  private readonly claims = new Map<string, TokenClaims>();

  constructor(private readonly secret: string) {}

  verify(token: string, nowSeconds: number): TokenClaims | null {
    const known = this.claims.get(token);
    if (known) {
      if (known.expiresAt > nowSeconds) return known;
      this.claims.delete(token);
      return null;
    }
    const claims = verifyJwt(token, this.secret, nowSeconds);
    if (claims) {
      if (this.claims.size >= MAX_VERIFIED) this.claims.clear();
      this.claims.set(token, claims);
    }
    return claims;
  }
}
