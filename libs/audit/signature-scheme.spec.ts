import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { generateSigningKey, schemeOf, signBytes, signingKeyFromPem, verifyBytes } from './signature-scheme.js';

const DATA = Buffer.from('{"kind":"shenpi-audit-tree-head"}');

describe('signatures of the two suites', () => {
  it.each(['ed25519', 'sm2'] as const)('%s: signs and verifies with keys read back from PEM, refuses other data and other keys', (scheme) => {
    // Keys as they live on disk: an SM2 key read from PEM is one Node cannot name.
    const pem = generateSigningKey(scheme).export({ type: 'pkcs8', format: 'pem' }).toString();
    const key = signingKeyFromPem(pem);
    const publicKey = createPublicKey(createPublicKey(key).export({ type: 'spki', format: 'pem' }));
    expect([schemeOf(key), schemeOf(publicKey)]).toEqual([scheme, scheme]);
    const signature = signBytes(key, DATA);
    expect(verifyBytes(publicKey, DATA, signature)).toBe(true);
    expect(verifyBytes(publicKey, Buffer.from('{}'), signature)).toBe(false);
    expect(verifyBytes(createPublicKey(generateSigningKey(scheme)), DATA, signature)).toBe(false);
    expect(verifyBytes(publicKey, DATA, Buffer.alloc(0))).toBe(false);
  });

  it('accepts one DER encoding of an SM2 signature only: no padded, negative or trailing form', () => {
    const key = generateSigningKey('sm2');
    const publicKey = createPublicKey(key);
    const der = signBytes(key, DATA);
    expect(verifyBytes(publicKey, DATA, der)).toBe(true);
    // r with one more leading zero than DER allows.
    const rLen = der[3];
    const r = der.subarray(4, 4 + rLen);
    const rest = der.subarray(4 + rLen);
    const padded = Buffer.concat([Buffer.from([0x30, der[1] + 1, 0x02, rLen + 1, 0x00]), r, rest]);
    expect(verifyBytes(publicKey, DATA, padded)).toBe(false);
    expect(verifyBytes(publicKey, DATA, Buffer.concat([der, Buffer.from([0])]))).toBe(false);
  });

  it('refuses keys of any other kind', () => {
    const rsa = createPrivateKey(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(schemeOf(rsa)).toBeUndefined();
    expect(() => signingKeyFromPem(rsa.export({ type: 'pkcs8', format: 'pem' }).toString())).toThrow(/Ed25519 or SM2/);
  });
});
