import { createHmac } from 'node:crypto';
import { signJwt, VerifiedTokens, verifyJwt } from './jwt.js';

describe('HS256 tokens', () => {
  const now = 1_800_000_000;
  it('round-trips the subject and the token epoch until it expires', () => {
    const token = signJwt('user-1', 's3cret', now, 60, 3);
    expect(verifyJwt(token, 's3cret', now + 59)).toEqual({ subject: 'user-1', epoch: 3, expiresAt: now + 60 });
    expect(verifyJwt(token, 's3cret', now + 60)).toBeNull();
  });
  it('refuses another secret, a changed payload, alg none and garbage', () => {
    const token = signJwt('user-1', 's3cret', now, 60, 0);
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', iat: now, exp: now + 60, ep: 0 })).toString('base64url');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(verifyJwt(token, 'other', now)).toBeNull();
    expect(verifyJwt(`${h}.${forged}.${s}`, 's3cret', now)).toBeNull();
    expect(verifyJwt(`${none}.${p}.`, 's3cret', now)).toBeNull();
    expect(verifyJwt('a.b', 's3cret', now)).toBeNull();
    expect(verifyJwt('', 's3cret', now)).toBeNull();
  });
  it('refuses a token without an epoch claim, or with one that is not a whole number', () => {
    expect(verifyJwt(signJwt('user-1', 's3cret', now, 60), 's3cret', now)).toBeNull();
    for (const ep of ['0', -1, 1.5, null]) {
      const payload = Buffer.from(JSON.stringify({ sub: 'user-1', iat: now, exp: now + 60, ep })).toString('base64url');
      const [h] = signJwt('user-1', 's3cret', now, 60, 0).split('.');
      expect(verifyJwt(`${h}.${payload}.${createHmac('sha256', 's3cret').update(`${h}.${payload}`).digest('base64url')}`, 's3cret', now)).toBeNull();
    }
  });
  it('keeps a verified token per secret: the same claims until it expires, nothing for another secret or a changed token', () => {
    const token = signJwt('user-1', 's3cret', now, 60, 3);
    const tokens = new VerifiedTokens('s3cret');
    expect(tokens.verify(token, now)).toEqual({ subject: 'user-1', epoch: 3, expiresAt: now + 60 });
    expect(tokens.verify(token, now + 59)).toEqual({ subject: 'user-1', epoch: 3, expiresAt: now + 60 });
    expect(tokens.verify(token, now + 60)).toBeNull();
    expect(new VerifiedTokens('other').verify(signJwt('user-1', 's3cret', now, 60, 3), now)).toBeNull();
    const fresh = signJwt('user-2', 's3cret', now, 60, 0);
    expect(tokens.verify(fresh, now)).not.toBeNull();
    // The signature's first character changed (its last carries padding bits a decoder ignores).
    const [header, payload, signature] = fresh.split('.');
    expect(tokens.verify(`${header}.${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`, now)).toBeNull();
  });
});
