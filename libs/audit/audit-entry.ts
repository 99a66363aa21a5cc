import { createHash } from 'node:crypto';
import { hashOnce, type TreeHash } from './merkle.js';
import type { Actor } from '@shenpi/domain';
import type { AuditRow, PendingAuditRow } from '@shenpi/persistence';
import { canonicalJson } from './canonical-json.js';

export type AuditCategory = 'transition' | 'configuration' | 'security';

/** What the first entry links to: the hash of no entry. */
export const GENESIS = '0'.repeat(64);

/** What a caller records; the log adds seq, hashes and time. */
export interface AuditInput {
  category: AuditCategory;
  action: string;
  result?: 'success' | 'failure' | 'denied';
  actor: Actor;
  departmentId?: string | null;
  documentId?: string | null;
  from?: string | null;
  to?: string | null;
  details?: Record<string, unknown>;
}

/** The v1 audit entry of API.md; its shape is permanent because hashes depend on it. */
export interface AuditEntry {
  v: 1;
  seq: number;
  at: string;
  category: AuditCategory;
  action: string;
  result: string;
  actor: Actor;
  departmentId: string | null;
  documentId: string | null;
  from: string | null;
  to: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export const canonicalOf = (entry: Omit<AuditEntry, 'hash'>) => canonicalJson(entry);

/** An entry's chain hash: H(prevHash ‖ its canonical text), with the log's hash (SHA-256, or SM3 in the SM suite). */
export const hashOf = (prevHash: string, canonical: string, algorithm: TreeHash = 'sha256') => hashOnce(algorithm, prevHash + canonical, 'hex');

/**
 * An entry's chain hash and Merkle leaf hash (hashOf and TreeHasher.leaf) from one UTF-8 encoding
 * of its text into a reused buffer: verify computes both for every entry, and building the two
 * prefixed strings cost as much as hashing them.
 */
export class EntryDigests {
  private scratch = Buffer.alloc(1 << 16);

  constructor(private readonly algorithm: TreeHash) {}

  of(prevHash: string, canonical: string): { hash: string; leaf: Buffer } {
    // [1, 65): the previous hash (64 hex digits), [64]: the leaf prefix 0x00, [65, …): the text.
    if (this.scratch.length < 65 + canonical.length * 3) this.scratch = Buffer.alloc(65 + canonical.length * 3);
    const end = 65 + this.scratch.write(canonical, 65, 'utf8');
    this.scratch[64] = 0;
    const leaf = hashOnce(this.algorithm, this.scratch.subarray(64, end), 'buffer');
    if (this.scratch.write(prevHash, 1, 'latin1') !== 64) throw new Error('a previous hash is 64 hex digits');
    return { hash: hashOnce(this.algorithm, this.scratch.subarray(1, end), 'hex'), leaf };
  }
}

/**
 * The hash an entry's text links to, read from its end: in the canonical order the keys after
 * `details` (documentId, from, prevHash, result, seq, to, v) hold no object and a string cannot hold
 * an unescaped quote, so the last `"prevHash":"` is the entry's own. Verify reads it without parsing.
 */
export function linkedHashOf(canonical: string): string | undefined {
  const at = canonical.lastIndexOf('"prevHash":"');
  return at < 0 ? undefined : canonical.slice(at + 12, canonical.indexOf('"', at + 12));
}

/** The seq an entry's text gives itself, read from its end like linkedHashOf (`seq` comes after `prevHash`). */
export function textSeqOf(canonical: string): number | undefined {
  const at = canonical.lastIndexOf('"seq":');
  if (at < 0) return undefined;
  const digits = /^\d+/.exec(canonical.slice(at + 6, at + 26));
  return digits ? Number(digits[0]) : undefined;
}

/**
 * A stored entry as the API and every verifier see it: parsed from its hashed text (the columns are
 * projections of that text, for searching), with its hash.
 */
export function entryFromRow(r: Pick<AuditRow, 'canonical' | 'hash'>): AuditEntry {
  const e = JSON.parse(r.canonical) as Omit<AuditEntry, 'hash'>;
  const { type, id, role, departmentId, onBehalfOf } = e.actor;
  return {
    v: 1,
    seq: e.seq,
    at: e.at,
    category: e.category,
    action: e.action,
    result: e.result,
    actor: { type, id, role, departmentId, onBehalfOf },
    departmentId: e.departmentId,
    documentId: e.documentId,
    from: e.from,
    to: e.to,
    details: e.details,
    prevHash: e.prevHash,
    hash: r.hash,
  };
}

/** What an entry says besides its place in the chain. */
export type EntryFields = Omit<AuditEntry, 'v' | 'seq' | 'prevHash' | 'hash'>;

/** An entry waiting in PostgreSQL's intake, column by column (it has no text until it is sequenced). */
export function pendingFromFields(f: EntryFields): Omit<PendingAuditRow, 'id'> {
  return {
    at: f.at,
    category: f.category,
    action: f.action,
    result: f.result,
    actorType: f.actor.type,
    actorId: f.actor.id,
    actorRole: f.actor.role,
    actorDepartmentId: f.actor.departmentId,
    actorOnBehalfOf: f.actor.onBehalfOf,
    departmentId: f.departmentId,
    documentId: f.documentId,
    fromState: f.from,
    toState: f.to,
    details: JSON.stringify(f.details),
  };
}

export function fieldsFromPending(r: Omit<PendingAuditRow, 'id'>): EntryFields {
  return {
    at: r.at,
    category: r.category as AuditCategory,
    action: r.action,
    result: r.result,
    actor: {
      type: r.actorType as Actor['type'],
      id: r.actorId,
      role: r.actorRole as Actor['role'],
      departmentId: r.actorDepartmentId,
      onBehalfOf: r.actorOnBehalfOf,
    },
    departmentId: r.departmentId,
    documentId: r.documentId,
    from: r.fromState,
    to: r.toState,
    details: JSON.parse(r.details),
  };
}
