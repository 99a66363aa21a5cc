import type { AuditLog } from '@shenpi/audit';
import type { Actor, Principal } from '@shenpi/domain';
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

  async refused(r: Refusal): Promise<void> {
    const actor: Actor = { type: 'user', id: r.principal.id, role: null, departmentId: null, onBehalfOf: null };
    await this.writer.run((repos) =>
      this.audit.append(repos, {
        category: 'security',
        action: r.action,
        result: 'denied',
        actor,
        departmentId: r.departmentId ?? null,
        documentId: r.documentId ?? null,
        details: { status: r.status, code: r.code, ...r.details },
      }),
    );
  }
}
