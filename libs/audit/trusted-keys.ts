import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { keyIdOf } from './checkpoint.js';

/** A public key the log's signatures are checked against, with the time its signatures may carry. */
export interface TrustedKeyInput {
  /** SPKI PEM. */
  publicKey: string;
  /** ISO times; a signature made outside [validFrom, validUntil] does not count. */
  validFrom?: string;
  validUntil?: string;
}

interface TrustedKey {
  key: KeyObject;
  validFrom: string;
  validUntil: string;
}

/**
 * The keys whose signatures count: the service's own and those an operator pinned (keys rotated
 * out, each with its validity period). A signed statement carrying some other key, however valid
 * its signature under that key, is not trusted: the key inside a checkpoint is never the authority.
 */
export class TrustedKeys {
  private readonly keys = new Map<string, TrustedKey>();

  constructor(keys: readonly TrustedKeyInput[]) {
    for (const k of keys) {
      const key = createPublicKey(k.publicKey);
      if (key.asymmetricKeyType !== 'ed25519') throw new Error('a trusted audit key must be an Ed25519 public key');
      this.keys.set(keyIdOf(k.publicKey), { key, validFrom: k.validFrom ?? '', validUntil: k.validUntil ?? '9999' });
    }
  }

  has(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  /** Whether `signature` (base64) over `statement` was made by the pinned key `keyId`, at a time `at` it was valid. */
  verifies(statement: string, keyId: string, signature: string, at: string): boolean {
    const trusted = this.keys.get(keyId);
    if (!trusted || !(at >= trusted.validFrom && at <= trusted.validUntil)) return false;
    try {
      return verify(null, Buffer.from(statement), trusted.key, Buffer.from(signature, 'base64'));
    } catch {
      return false;
    }
  }
}

/** AUDIT_TRUSTED_KEYS: a JSON file listing `{ publicKey, validFrom?, validUntil? }`, the keys rotated out. */
export function trustedKeysFromEnv(env: NodeJS.ProcessEnv = process.env): TrustedKeyInput[] {
  const file = env.AUDIT_TRUSTED_KEYS;
  if (!file) return [];
  const keys = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k?.publicKey === 'string')) {
    throw new Error(`AUDIT_TRUSTED_KEYS (${file}) must list { "publicKey": "<PEM>", "validFrom"?, "validUntil"? }`);
  }
  return keys as TrustedKeyInput[];
}
