import { signJwt, verifyJwt } from './jwt.js';

describe('HS256 tokens', () => {
  const now = 1_800_000_000;
  it('round-trips the subject until it expires', () => {
    const token = signJwt('user-1', 's3cret', now, 60);
    expect(verifyJwt(token, 's3cret', now + 59)).toBe('user-1');
    expect(verifyJwt(token, 's3cret', now + 60)).toBeNull();
  });
  it('refuses another secret, a changed payload, alg none and garbage', () => {
    const token = signJwt('user-1', 's3cret', now, 60);
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', iat: now, exp: now + 60 })).toString('base64url');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(verifyJwt(token, 'other', now)).toBeNull();
    expect(verifyJwt(`${h}.${forged}.${s}`, 's3cret', now)).toBeNull();
    expect(verifyJwt(`${none}.${p}.`, 's3cret', now)).toBeNull();
    expect(verifyJwt('a.b', 's3cret', now)).toBeNull();
    expect(verifyJwt('', 's3cret', now)).toBeNull();
  });
});
