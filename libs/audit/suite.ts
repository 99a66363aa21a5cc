import type { TreeHash } from './merkle.js';
import type { SignatureScheme } from './signature-scheme.js';

/**
 * The audit log's cryptography, chosen when the database is created: the standard suite (SHA-256
 * chaining and tree, Ed25519 signatures) or the national one (`AUDIT_CRYPTO=sm`: SM3, GB/T 32905,
 * and SM2, GB/T 32918), as Chinese government systems are assessed on (GB/T 39786-2021). An SM
 * log's first entry records it (`audit-suite`); a log whose first entry is anything else is standard.
 */
export interface AuditSuite {
  name: 'sha256-ed25519' | 'sm3-sm2';
  hash: TreeHash;
  signature: SignatureScheme;
}

export const STANDARD_SUITE: AuditSuite = { name: 'sha256-ed25519', hash: 'sha256', signature: 'ed25519' };
export const SM_SUITE: AuditSuite = { name: 'sm3-sm2', hash: 'sm3', signature: 'sm2' };

export type AuditCrypto = 'standard' | 'sm';

export const suiteOf = (crypto: AuditCrypto): AuditSuite => (crypto === 'sm' ? SM_SUITE : STANDARD_SUITE);

/** A suite by the name a tree head or the log's first entry carries, or undefined when it names none of ours. */
export const suiteNamed = (name: unknown): AuditSuite | undefined => [STANDARD_SUITE, SM_SUITE].find((s) => s.name === name);

/** AUDIT_CRYPTO: `sm` for the national suite; unset for what the database was created with (standard for a new one). */
export function auditCryptoFromEnv(env: NodeJS.ProcessEnv = process.env): AuditCrypto | undefined {
  const value = env.AUDIT_CRYPTO;
  if (value === undefined || value === '') return undefined;
  if (value !== 'sm' && value !== 'standard') throw new Error(`AUDIT_CRYPTO must be "sm" (SM3 and SM2) or "standard" (SHA-256 and Ed25519), not "${value}"`);
  return value;
}
