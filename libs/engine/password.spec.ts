import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from './password.js';

describe('scrypt passwords', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const [a, b] = [await hashPassword('口令-secret'), await hashPassword('口令-secret')];
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$16384$8$1$')).toBe(true);
    expect(await verifyPassword('口令-secret', a)).toBe(true);
    expect(await verifyPassword('口令-Secret', a)).toBe(false);
    expect(await verifyPassword('anything', DUMMY_PASSWORD_HASH)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });
});
