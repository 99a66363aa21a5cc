import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonicalJson } from './canonical-json.js';
import type { TrustedKeys } from './trusted-keys.js';
import { generateSigningKey, schemeOf, signBytes, signingKeyFromPem, type SignatureScheme } from './signature-scheme.js';

/** A signed statement that the chain's entry `seq` had `hash`; anyone holding it can check the log was only appended to since. */
export interface Checkpoint {
  seq: number;
  hash: string;
  at: string;
  keyId: string;
  /** The signer's public key (SPKI PEM: Ed25519, or SM2 in the SM suite), for reference: signatures are checked against pinned keys only. */
  publicKey: string;
  /** Base64 signature of `checkpointStatement` (Ed25519, or SM2's DER (r, s)). */
  signature: string;
}

/** What is signed: canonical JSON, so any implementation can rebuild the bytes. */
export const checkpointStatement = (c: Pick<Checkpoint, 'seq' | 'hash' | 'at'>) =>
  canonicalJson({ v: 1, kind: 'shenpi-audit-checkpoint', seq: c.seq, hash: c.hash, at: c.at });

export const keyIdOf = (publicKeyPem: string) =>
  createHash('sha256').update(createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);

/** Signed by a key this deployment trusts (its own, or one pinned in AUDIT_TRUSTED_KEYS), never by the key the checkpoint carries. */
export function checkpointSignatureValid(c: Checkpoint, trusted: TrustedKeys): boolean {
  return trusted.verifies(checkpointStatement(c), c.keyId, c.signature, c.at);
}

/** Signs checkpoints and tree heads with one key: Ed25519, or SM2 for the SM suite. */
export class CheckpointSigner {
  readonly publicKey: string;
  readonly keyId: string;
  readonly scheme: SignatureScheme;

  constructor(private readonly privateKey: KeyObject) {
    const scheme = schemeOf(privateKey);
    if (!scheme || privateKey.type !== 'private') throw new Error('the audit signing key must be an Ed25519 or SM2 private key');
    this.scheme = scheme;
    this.publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
    this.keyId = keyIdOf(this.publicKey);
  }

  static fromPem(pem: string): CheckpointSigner {
    return new CheckpointSigner(signingKeyFromPem(pem));
  }

  /** A key that lives as long as the process (tests, a CLI run with nothing configured). */
  static ephemeral(scheme: SignatureScheme = 'ed25519'): CheckpointSigner {
    return new CheckpointSigner(generateSigningKey(scheme));
  }

  /** Base64 signature of a statement's bytes (UTF-8). */
  signStatement(statement: string): string {
    return signBytes(this.privateKey, Buffer.from(statement)).toString('base64');
  }

  sign(c: Pick<Checkpoint, 'seq' | 'hash' | 'at'>): Checkpoint {
    const signature = this.signStatement(checkpointStatement(c));
    return { seq: c.seq, hash: c.hash, at: c.at, keyId: this.keyId, publicKey: this.publicKey, signature };
  }
}

/**
 * The signing key: AUDIT_SIGNING_KEY (a PKCS#8 PEM), else the file AUDIT_SIGNING_KEY_FILE
 * (default `data/audit-signing-key.pem`), generated there with mode 0600 on first start: an SM2
 * key when AUDIT_CRYPTO=sm, else Ed25519.
 */
export const DEFAULT_SIGNING_KEY_FILE = 'data/audit-signing-key.pem';

export function checkpointSignerFromEnv(env: NodeJS.ProcessEnv = process.env): CheckpointSigner {
  if (env.AUDIT_SIGNING_KEY) return CheckpointSigner.fromPem(env.AUDIT_SIGNING_KEY);
  const file = env.AUDIT_SIGNING_KEY_FILE || DEFAULT_SIGNING_KEY_FILE;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const pem = generateSigningKey(env.AUDIT_CRYPTO === 'sm' ? 'sm2' : 'ed25519').export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
    } catch (err) {
      // Another process made it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return CheckpointSigner.fromPem(readFileSync(file, 'utf8'));
}
