import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomically } from './atomic-file.js';
import { CheckpointSigner, checkpointSignerFromEnv, DEFAULT_SIGNING_KEY_FILE, keyIdOf } from './checkpoint.js';
import { generateSigningKey, schemeOf, verifyBytes } from './signature-scheme.js';

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
  /** Epoch milliseconds. */
  validFrom: number;
  validUntil: number;
}

/** `Date.toISOString()`'s form: what the service writes into every signed statement. */
const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function instant(value: string | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`a trusted audit key's ${what} is not a date and time: "${value}"`);
  return ms;
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
      if (!schemeOf(key)) throw new Error('a trusted audit key must be an Ed25519 or SM2 public key');
      // The first listing of a key wins: the service's own key (listed first) is never bounded by an old listing.
      const keyId = keyIdOf(k.publicKey);
      if (!this.keys.has(keyId)) this.keys.set(keyId, { key, validFrom: instant(k.validFrom, -Infinity, 'validFrom'), validUntil: instant(k.validUntil, Infinity, 'validUntil') });
    }
  }

  has(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  /** Whether `signature` (base64) over `statement` was made by the pinned key `keyId`, at a time `at` it was valid. */
  verifies(statement: string, keyId: string, signature: string, at: string): boolean {
    const trusted = this.keys.get(keyId);
    // Instants are compared as instants, and only in the one form the service writes them.
    if (!trusted || !CANONICAL_INSTANT.test(at)) return false;
    const when = Date.parse(at);
    if (!(when >= trusted.validFrom && when <= trusted.validUntil)) return false;
    return verifyBytes(trusted.key, Buffer.from(statement), Buffer.from(signature, 'base64'));
  }
}

/** AUDIT_TRUSTED_KEYS, else `audit-trusted-keys.json` beside the signing key file (where `audit rotate-key` lists retired keys). */
export function trustedKeysFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.AUDIT_TRUSTED_KEYS || join(dirname(env.AUDIT_SIGNING_KEY_FILE || DEFAULT_SIGNING_KEY_FILE), 'audit-trusted-keys.json');
}

/** The keys rotated out: `[{ publicKey, validFrom?, validUntil? }]` from the trusted keys file (none when it does not exist). */
export function trustedKeysFromEnv(env: NodeJS.ProcessEnv = process.env): TrustedKeyInput[] {
  const file = trustedKeysFile(env);
  if (!env.AUDIT_TRUSTED_KEYS && !existsSync(file)) return [];
  const keys = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k?.publicKey === 'string')) {
    throw new Error(`the trusted audit keys (${file}) must list { "publicKey": "<PEM>", "validFrom"?, "validUntil"? }`);
  }
  return keys as TrustedKeyInput[];
}

/**
 * `audit rotate-key`: the current key is listed as trusted until now (its signatures stay
 * checkable), then a new key replaces it in the key file. Each file is written whole and renamed,
 * the list first: a crash in between leaves the old key signing and still trusted.
 */
export function rotateSigningKey(env: NodeJS.ProcessEnv, now: Date): { retired: string; current: string; trustedFile: string } {
  if (env.AUDIT_SIGNING_KEY) throw new Error('the signing key comes from AUDIT_SIGNING_KEY: replace it where it is kept, and list the old public key in AUDIT_TRUSTED_KEYS');
  const keyFile = env.AUDIT_SIGNING_KEY_FILE || DEFAULT_SIGNING_KEY_FILE;
  const old = checkpointSignerFromEnv(env);
  const trustedFile = trustedKeysFile(env);
  const listed = trustedKeysFromEnv(env);
  writeFileAtomically(trustedFile, `${JSON.stringify([...listed, { publicKey: old.publicKey, validUntil: now.toISOString() }], null, 2)}\n`, 0o644);
  // The new key is of the old one's scheme: the log's suite does not change with its key.
  const fresh = generateSigningKey(old.scheme);
  writeFileAtomically(keyFile, fresh.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
  return { retired: old.keyId, current: new CheckpointSigner(fresh).keyId, trustedFile };
}
