import type { AuditLog } from '@shenpi/audit';
import { ErrorCode, isUuid, systemActor, type AccessDenied, type Actor, type Principal } from '@shenpi/domain';
import type { Divergence } from './document/document-kernel.js';
import type { WriterQueue } from './writer-queue.js';

export interface Refusal {
  principal: Principal;
  action: string;
  status: number;
  code: string;
  documentId?: string;
  departmentId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Security entries (refused access, mass assignment) are written in their own transaction,
 * after the refused one rolled back, so the refusal is kept and nothing else is.
 */
export class SecurityAudit {
  constructor(
    private readonly writer: WriterQueue,
    private readonly audit: AuditLog,
  ) {}

  /** An access check's refusal (404, 403, 403 SEPARATION_OF_DUTIES), whichever route it came from. */
  refusedAccess(principal: Principal, err: AccessDenied, extra: Record<string, unknown> = {}): Promise<void> {
    const { action, documentId, departmentId, taskId, rule } = err.attempt;
    return this.refused({
      principal,
      action: 'access-denied',
      status: err.code === ErrorCode.NOT_FOUND ? 404 : 403,
      code: err.code,
      documentId,
      departmentId,
      details: { attempted: action, ...(taskId ? { taskId } : {}), ...(rule ? { rule } : {}), ...extra },
    });
  }

  /**
   * The entry names the target's document and department even when the caller was told 404, so
   * the department's supervisors see who probed it; the caller never reads this entry.
   */
  async refused(r: Refusal): Promise<void> {
    const actor: Actor = { type: 'user', id: r.principal.id, role: null, departmentId: null, onBehalfOf: null };
    await this.writer.run(async (repos) => {
      const taskId = typeof r.details?.taskId === 'string' ? r.details.taskId : undefined;
      const task = !r.documentId && taskId && isUuid(taskId) ? await repos.tasks.get(taskId) : undefined;
      const documentId = r.documentId ?? task?.documentId;
      const doc = documentId && isUuid(documentId) && !r.departmentId ? await repos.documents.get(documentId) : undefined;
      await this.audit.append(repos, {
        category: 'security',
        action: r.action,
        result: 'denied',
        actor,
        departmentId: r.departmentId ?? doc?.departmentId ?? null,
        documentId: doc?.id ?? documentId ?? null,
        details: { status: r.status, code: r.code, ...r.details },
      });
    });
  }

  /** A document row found disagreeing with its audit log (the kernel refused to act on it). */
  async stateDiverged(d: Divergence): Promise<void> {
    const actor: Actor = d.caller ? { type: 'user', id: d.caller.id, role: null, departmentId: null, onBehalfOf: null } : systemActor('scheduler');
    await this.writer.run(async (repos) => {
      // The scheduler retries a diverged document every pass: the same divergence is recorded once per caller.
      const [last] = await repos.audit.search({ category: 'security', action: 'state-diverged', documentId: d.documentId, actorId: actor.id }, null, 1);
      const seen = last && (JSON.parse(last.details) as { lastEntrySeq?: number; field?: string });
      if (seen && seen.lastEntrySeq === d.seq && seen.field === d.field && !d.caller) return;
      await this.audit.append(repos, {
        category: 'security',
        action: 'state-diverged',
        result: 'denied',
        actor,
        departmentId: d.departmentId,
        documentId: d.documentId,
        details: { status: 409, code: ErrorCode.STATE_DIVERGED, attempted: d.attempted, field: d.field, log: d.log, table: d.table, lastEntrySeq: d.seq },
      });
    });
  }
}
