import { createHash } from 'node:crypto';
import type { TreeHash } from './merkle.js';
import type { Actor } from '@shenpi/domain';
import type { AuditRow } from '@shenpi/persistence';
import { canonicalJson } from './canonical-json.js';

export type AuditCategory = 'transition' | 'configuration' | 'security';

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
export const hashOf = (prevHash: string, canonical: string, algorithm: TreeHash = 'sha256') => createHash(algorithm).update(prevHash + canonical, 'utf8').digest('hex');

export function entryFromRow(r: AuditRow): AuditEntry {
  return {
    v: 1,
    seq: r.seq,
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
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

export function rowFromEntry(e: AuditEntry, canonical: string): AuditRow {
  return {
    seq: e.seq,
    at: e.at,
    category: e.category,
    action: e.action,
    result: e.result,
    actorType: e.actor.type,
    actorId: e.actor.id,
    actorRole: e.actor.role,
    actorDepartmentId: e.actor.departmentId,
    actorOnBehalfOf: e.actor.onBehalfOf,
    departmentId: e.departmentId,
    documentId: e.documentId,
    fromState: e.from,
    toState: e.to,
    details: JSON.stringify(e.details),
    prevHash: e.prevHash,
    hash: e.hash,
    canonical,
  };
}
