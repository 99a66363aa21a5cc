import type { AuditLog } from '@shenpi/audit';
import { AccessDenied, DomainError, ErrorCode, isGlobalAdmin, newId, notFound, validationFailed, type Clock, type Principal } from '@shenpi/domain';
import type { ProxyRow } from '@shenpi/persistence';
import { asPerson } from './document/separation-of-duties.js';
import type { SecurityAudit } from './security-audit.js';
import type { TransitionUseCase } from './document/transition.use-case.js';
import type { WriterQueue } from './writer-queue.js';

/** The longest out-of-office window one request sets. */
const MAX_WINDOW_MS = 366 * 24 * 3600 * 1000;

/**
 * 代理 (out-of-office proxy): a user names a colleague for a window; tasks that reach them in it
 * go to the colleague (see step-entry's openTask). And 离职交接: an administrator hands every
 * open task of a user who left to someone else, one audited transition per task.
 */
export class SubstituteUseCase {
  constructor(
    private readonly writer: WriterQueue,
    private readonly transition: TransitionUseCase,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly security: SecurityAudit,
  ) {}

  set(p: Principal, cmd: { substituteId: string; startsAt: string; endsAt: string; comment?: string }): Promise<ProxyRow> {
    return this.writer.run(async (repos) => {
      const now = this.clock.now().toISOString();
      const substitute = await repos.directory.principal(cmd.substituteId);
      const shared = new Set(p.grants.map((g) => g.departmentId).filter(Boolean));
      const problems = [
        ...(!substitute
          ? [{ field: 'substituteId', reason: 'no such user' }]
          : substitute.id === p.id
            ? [{ field: 'substituteId', reason: 'name someone else' }]
            : !substitute.grants.some((g) => shared.has(g.departmentId))
              ? [{ field: 'substituteId', reason: 'must hold a role in one of your departments' }]
              : asPerson(substitute).supervisor
                ? [{ field: 'substituteId', reason: 'a supervisor does not decide' }]
                : (await repos.directory.accountState(substitute.id))?.disabled
                  ? [{ field: 'substituteId', reason: 'the user is disabled' }]
                  : []),
        ...(cmd.endsAt <= cmd.startsAt ? [{ field: 'endsAt', reason: 'must be after startsAt' }] : []),
        ...(cmd.endsAt <= now ? [{ field: 'endsAt', reason: 'must be in the future' }] : []),
        ...(Date.parse(cmd.endsAt) - Date.parse(cmd.startsAt) > MAX_WINDOW_MS ? [{ field: 'endsAt', reason: 'a window lasts at most 366 days' }] : []),
      ];
      if (problems.length) throw validationFailed(problems);
      const row: ProxyRow = { id: newId(), userId: p.id, substituteId: cmd.substituteId, startsAt: cmd.startsAt, endsAt: cmd.endsAt, createdAt: now, cancelledAt: null };
      await repos.proxies.insert(row);
      await this.audit.append(repos, {
        category: 'configuration',
        action: 'set-proxy',
        actor: { type: 'user', id: p.id, role: null, departmentId: null, onBehalfOf: null },
        details: { proxyId: row.id, substituteId: row.substituteId, startsAt: row.startsAt, endsAt: row.endsAt, comment: cmd.comment ?? '' },
      });
      return row;
    });
  }

  cancel(p: Principal, id: string): Promise<void> {
    return this.writer.run(async (repos) => {
      const row = await repos.proxies.get(id);
      if (!row) throw notFound('proxy');
      // Someone else's window is not found for the caller, and the attempt is a security entry.
      if (row.userId !== p.id) throw new AccessDenied(ErrorCode.NOT_FOUND, 'proxy not found', { action: 'cancel-proxy' });
      if (!(await repos.proxies.cancel(id, this.clock.now().toISOString()))) return;
      await this.audit.append(repos, {
        category: 'configuration',
        action: 'cancel-proxy',
        actor: { type: 'user', id: p.id, role: null, departmentId: null, onBehalfOf: null },
        details: { proxyId: id, before: { substituteId: row.substituteId, startsAt: row.startsAt, endsAt: row.endsAt }, after: null },
      });
    });
  }

  list(p: Principal): Promise<{ items: ProxyRow[] }> {
    return this.writer.run(async (repos) => ({ items: await repos.proxies.ofUser(p.id, this.clock.now().toISOString()) }));
  }

  /** Every open task addressed to `userId` by name goes to `toUserId`; each is its own audited transition. */
  async reassignAll(admin: Principal, userId: string, toUserId: string, comment: string) {
    if (!isGlobalAdmin(admin)) throw new AccessDenied(ErrorCode.FORBIDDEN, 'only administrators reassign tasks', { action: 'reassign' });
    const tasks = await this.writer.run(async (repos) => {
      if (!(await repos.directory.userById(userId))) throw notFound('user');
      const target = await repos.directory.principal(toUserId);
      if (!target) throw validationFailed([{ field: 'toUserId', reason: 'no such user' }]);
      if (asPerson(target).supervisor) throw validationFailed([{ field: 'toUserId', reason: 'a supervisor does not decide' }]);
      if ((await repos.directory.accountState(target.id))?.disabled) throw validationFailed([{ field: 'toUserId', reason: 'the user is disabled' }]);
      return repos.tasks.openForUser(userId);
    });
    const results = [];
    for (const task of tasks) {
      try {
        await this.transition.execute({ documentId: task.documentId, taskId: task.id, action: 'reassign', principal: admin, delegateTo: toUserId, comment });
        results.push({ taskId: task.id, documentId: task.documentId, reassigned: true });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        // A refusal of the access checks (separation of duties among them) is a security entry, as on every route.
        if (err instanceof AccessDenied) await this.security.refusedAccess(admin, err);
        results.push({ taskId: task.id, documentId: task.documentId, reassigned: false, code: err.code, reason: err.message, details: err.details ?? null });
      }
    }
    return { reassigned: results.filter((r) => r.reassigned).length, results };
  }
}
