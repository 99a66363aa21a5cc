import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { sm2Sign, sm2Verify, type Sm2Point } from './sm2.js';

/**
 * The two signature schemes of the audit log's suites: Ed25519 (with SHA-256 hashing) and SM2 (with
 * SM3, GB/T 32918 and GB/T 32905). Keys are standard PEM either way: PKCS#8 and SPKI, an SM2 key
 * being an EC key on the SM2 curve (OID 1.2.156.10197.1.301), as GmSSL and OpenSSL write them.
 * Signatures are base64 of Ed25519's 64 bytes, or of SM2's DER SEQUENCE { r, s } (GM/T 0009).
 */
export type SignatureScheme = 'ed25519' | 'sm2';

/** The SM2 curve's OID, 1.2.156.10197.1.301, as DER. */
const SM2_CURVE_OID = Buffer.from('06082a811ccf5501822d', 'hex');

/**
 * A key's public half as SPKI DER. An SM2 key read from PEM is one Node cannot name (its
 * asymmetricKeyType is undefined, and exporting it as SEC1 aborts the process), so SM2 keys are
 * only ever read through their standard DER encodings.
 */
const spkiOf = (key: KeyObject) => (key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' });

/** The scheme a key belongs to, or undefined for any other key. */
export function schemeOf(key: KeyObject): SignatureScheme | undefined {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType !== undefined && key.asymmetricKeyType !== 'ec') return undefined;
  try {
    return spkiOf(key).includes(SM2_CURVE_OID) ? 'sm2' : undefined;
  } catch {
    return undefined;
  }
}

export function generateSigningKey(scheme: SignatureScheme): KeyObject {
  return scheme === 'sm2' ? generateKeyPairSync('ec', { namedCurve: 'SM2' }).privateKey : generateKeyPairSync('ed25519').privateKey;
}

/** The private scalar of an SM2 key: the 32-byte OCTET STRING of its ECPrivateKey (RFC 5915) inside PKCS#8. */
function sm2PrivateScalar(key: KeyObject): bigint {
  const der = key.export({ type: 'pkcs8', format: 'der' });
  // ECPrivateKey ::= SEQUENCE { version INTEGER 1, privateKey OCTET STRING (32 bytes), … }
  const at = der.indexOf(Buffer.from([0x02, 0x01, 0x01, 0x04, 0x20]));
  if (at < 0) throw new Error('not an SM2 private key');
  return BigInt(`0x${der.subarray(at + 5, at + 37).toString('hex')}`);
}

/** The public point of an SM2 key: the last 64 bytes of its uncompressed SPKI encoding. */
function sm2Point(key: KeyObject): Sm2Point {
  const der = spkiOf(key);
  const point = der.subarray(der.length - 65);
  if (point[0] !== 0x04) throw new Error('not an uncompressed SM2 public key');
  return { x: BigInt(`0x${point.subarray(1, 33).toString('hex')}`), y: BigInt(`0x${point.subarray(33).toString('hex')}`) };
}

function derOf(rs: Buffer): Buffer {
  const integer = (b: Buffer) => {
    let v = b;
    while (v.length > 1 && v[0] === 0 && !(v[1] & 0x80)) v = v.subarray(1);
    if (v[0] & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
    return Buffer.concat([Buffer.from([0x02, v.length]), v]);
  };
  const body = Buffer.concat([integer(rs.subarray(0, 32)), integer(rs.subarray(32))]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** r ‖ s from the DER SEQUENCE, or undefined unless it is exactly two minimal positive INTEGERs of at most 32 bytes: one signature, one encoding. */
function rsOf(der: Buffer): Buffer | undefined {
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) return undefined;
  const parts: Buffer[] = [];
  let at = 2;
  for (let i = 0; i < 2; i++) {
    if (der[at] !== 0x02) return undefined;
    const len = der[at + 1];
    let v = der.subarray(at + 2, at + 2 + len);
    if (v.length !== len || len === 0) return undefined;
    // DER: positive, and minimal (a leading zero only where the next byte's top bit is set).
    if (v[0] & 0x80) return undefined;
    if (v[0] === 0) {
      if (len === 1 || !(v[1] & 0x80)) return undefined;
      v = v.subarray(1);
    }
    if (v.length > 32) return undefined;
    parts.push(Buffer.concat([Buffer.alloc(32 - v.length), v]));
    at += 2 + len;
  }
  return at === der.length ? Buffer.concat(parts) : undefined;
}

/** Signs `data` with a private key of either scheme. */
export function signBytes(privateKey: KeyObject, data: Buffer): Buffer {
  if (schemeOf(privateKey) === 'sm2') return derOf(sm2Sign(sm2PrivateScalar(privateKey), data));
  return sign(null, data, privateKey);
}

/** Whether `signature` over `data` verifies under `publicKey` (either scheme); false, never a throw, on anything malformed. */
export function verifyBytes(publicKey: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    if (schemeOf(publicKey) === 'sm2') {
      const rs = rsOf(signature);
      return rs !== undefined && sm2Verify(sm2Point(publicKey), data, rs);
    }
    return verify(null, data, publicKey, signature);
  } catch {
    return false;
  }
}

/** Parses a PEM private key of either scheme, refusing any other. */
export function signingKeyFromPem(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (!schemeOf(key)) throw new Error('the audit signing key must be an Ed25519 or SM2 private key');
  return key;
}
