import type { CompiledChain } from '@shenpi/chains';
import { DomainError, ErrorCode, newId, shanghaiDateTime, systemActor, systemPrincipal, type Actor, type Clock, type Role } from '@shenpi/domain';
import type { DeadlineRow, DepartmentRow, DocumentRow, Repositories } from '@shenpi/persistence';
import { resolveDepartment } from './document/access-rules.js';
import { timerIsLive } from './document/document-state.js';
import type { DocumentKernel, OpenDocument } from './document/document-kernel.js';
import { stepRecipients, taskRecipients } from './task-recipients.js';
import type { TransitionUseCase } from './document/transition.use-case.js';
import type { EngineObserver } from './engine-observer.js';
import { failure, type Log } from './log.js';
import type { WriterQueue } from './writer-queue.js';

/** Some due rows failed to fire (they stay pending); callers back off before the next pass. */
export class FiringFailed extends Error {
  constructor(
    readonly fired: number,
    readonly failures: number,
  ) {
    super(`${failures} deadline(s) failed to fire; ${fired} fired`);
  }
}

export type FireOutcome = 'fired' | 'skipped' | 'not-due' | 'failed';

const SCHEDULER: Actor = systemActor('scheduler');
const SCHEDULER_PRINCIPAL = systemPrincipal(SCHEDULER);

const AUDIT_ACTION: Record<Exclude<DeadlineRow['kind'], 'auto-action'>, string> = {
  reminder: 'remind',
  due: 'deadline-passed',
  escalation: 'escalate',
};

/**
 * Turns one due deadline row into its effect, in one transaction: the conditional claim of the
 * row (so a duplicate delivery does nothing), notifications, and an audit entry with the system
 * as actor; an automatic action goes through the transition use case like any decision.
 */
export class DeadlineFiringUseCase {
  constructor(
    private readonly writer: WriterQueue,
    private readonly kernel: DocumentKernel,
    private readonly transition: TransitionUseCase,
    private readonly clock: Clock,
    /** The read connection: the scheduler's look-ups of what is pending. */
    private readonly reader: Repositories,
    private readonly log: Log,
    /** Told after each firing committed how late it came (the metrics). */
    private readonly fired: EngineObserver['deadlineFired'] = () => undefined,
  ) {}

  /** Pending rows by id, a page at a time (the reconciler re-enqueues them). */
  pendingPage(afterId: string, limit: number): Promise<DeadlineRow[]> {
    return this.reader.deadlines.pendingPage(afterId, limit);
  }

  /** When the next pending row is due, or null (the embedded poller sleeps until then). */
  nextFireAt(): Promise<string | null> {
    return this.reader.deadlines.nextFireAt();
  }

  async fire(deadlineId: string): Promise<FireOutcome> {
    return this.writer.run(async (repos) => {
      const row = await repos.deadlines.get(deadlineId);
      const now = this.clock.now().toISOString();
      if (!row || row.status !== 'pending') return 'skipped';
      if (row.fireAt > now) return 'not-due';
      // A timer of a stay that is over (see timerIsLive) is cancelled now, before the document is
      // opened: a stay never comes back, so the unlocked read decides it; nor does a document that
      // diverged from its log stop its old timers from being put away.
      const current = await repos.documents.position(row.documentId);
      if (!current || !timerIsLive(row, current)) {
        await repos.deadlines.cancelStale(row.id);
        return 'skipped';
      }
      const open = await this.kernel.open(repos, row.documentId, null, { action: AUDIT_ACTION[row.kind as keyof typeof AUDIT_ACTION] ?? 'auto-action' });
      // PostgreSQL: a decision may have left the step while this waited for the row's lock.
      if (!timerIsLive(row, open.doc)) {
        await repos.deadlines.cancelStale(row.id);
        return 'skipped';
      }
      if (!(await repos.deadlines.claim(row, now))) return 'skipped';
      repos.afterCommit.push(() => this.fired(row.kind, Date.parse(now) - Date.parse(row.fireAt)));
      return this.apply(repos, row, now, open);
    });
  }

  /**
   * Fires every pending row due by now; returns how many fired. The embedded poller and the
   * reconciler call this. Rows fire `concurrency` at a time, each in its own transaction (on
   * SQLite the writer queue still runs them one by one; on PostgreSQL they overlap on the pool).
   */
  async fireDue(limit = 500, concurrency = 8): Promise<number> {
    let fired = 0;
    let failures = 0;
    for (;;) {
      const due = await this.writer.run((repos) => repos.deadlines.due(this.clock.now().toISOString(), limit));
      let next = 0;
      const lane = async () => {
        while (next < due.length) {
          const row = due[next++];
          try {
            if ((await this.fire(row.id)) === 'fired') fired++;
          } catch (err) {
            // One row that keeps failing must not stop the others; it stays pending for the next pass.
            failures++;
            this.log.error({ component: 'deadlines', deadlineId: row.id, kind: row.kind, ...failure(err) }, 'deadline not fired; it stays pending');
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, lane));
      if (failures) throw new FiringFailed(fired, failures);
      if (due.length < limit) return fired;
    }
  }

  private async apply(repos: Repositories, row: DeadlineRow, now: string, { doc, department, chain }: OpenDocument): Promise<FireOutcome> {
    const task = row.taskId ? await repos.tasks.get(row.taskId) : undefined;
    const details = { deadlineId: row.id, kind: row.kind, fireAt: row.fireAt, provisional: row.provisional, taskId: row.taskId, dueAt: task?.dueAt ?? null };
    if (row.kind === 'auto-action') return this.autoAction(repos, row, doc, details);

    const recipients =
      row.kind === 'escalation'
        ? await this.escalationRecipients(repos, row, doc, department)
        : task?.status === 'open'
          ? await taskRecipients(repos, task)
          : await stepRecipients(repos, doc.id, row.stepKey);
    const message = this.message(row, doc, chain, task?.dueAt ?? null);
    for (const userId of recipients) {
      await repos.notifications.insert({ id: newId(), userId, kind: AUDIT_ACTION[row.kind], documentId: doc.id, taskId: row.taskId, message, details, createdAt: now, readAt: null });
    }
    await this.kernel.record(repos, doc, {
      action: AUDIT_ACTION[row.kind],
      actor: SCHEDULER,
      details: { ...details, recipients, ...(row.kind === 'escalation' ? { to: row.payload.to } : {}) },
    });
    return 'fired';
  }

  /** In a savepoint: an action the machine refuses is recorded as failed instead of undoing the claim. */
  private async autoAction(repos: Repositories, row: DeadlineRow, doc: DocumentRow, details: Record<string, unknown>) {
    const action = row.payload.action as string;
    // What the refused action would have reported after commit goes with its savepoint.
    const hooks = repos.afterCommit.length;
    await repos.sql.run('SAVEPOINT auto_action');
    try {
      await this.transition.applyInTransaction(repos, {
        documentId: doc.id,
        taskId: row.taskId ?? undefined,
        action,
        comment: (row.payload.comment as string | null) ?? `逾期自动${action} / automatic ${action} after the deadline`,
        principal: SCHEDULER_PRINCIPAL,
        system: SCHEDULER,
        auditDetails: { automatic: details },
      });
      await repos.sql.run('RELEASE SAVEPOINT auto_action');
      return 'fired' as const;
    } catch (err) {
      // A lost race is not a refusal: roll the whole firing back and let the next pass retry it.
      if (!(err instanceof DomainError) || err.code === ErrorCode.VERSION_CONFLICT) throw err;
      await repos.sql.run('ROLLBACK TO SAVEPOINT auto_action');
      repos.afterCommit.length = hooks;
      await this.kernel.record(repos, doc, { action, result: 'failure', actor: SCHEDULER, details: { automatic: details, code: err.code, reason: err.message } });
      return 'failed' as const;
    }
  }

  private async escalationRecipients(repos: Repositories, row: DeadlineRow, doc: DocumentRow, department: DepartmentRow): Promise<string[]> {
    const to = row.payload.to as { role: Role; department: 'document' | 'office' };
    const departmentId = resolveDepartment(to, doc, department);
    return departmentId ? repos.directory.holders(to.role, departmentId) : [];
  }

  /** The due date is the task's current one: a pause or an extension may have moved it since the row was written. */
  private message(row: DeadlineRow, doc: DocumentRow, chain: CompiledChain, taskDueAt: string | null): string {
    const step = chain.step(row.stepKey).name;
    const due = shanghaiDateTime(new Date(taskDueAt ?? String(row.payload.dueAt ?? row.fireAt)));
    switch (row.kind) {
      case 'reminder':
        return `提醒：《${doc.title}》${step.zh}将于北京时间 ${due} 到期 / Reminder: ${step.en} of "${doc.title}" is due ${due} (Beijing time)`;
      case 'due':
        return `逾期：《${doc.title}》${step.zh}已超过办理期限 / Overdue: ${step.en} of "${doc.title}" passed its deadline`;
      default:
        return `督办：《${doc.title}》${step.zh}逾期未办，请督促 / Escalation: ${step.en} of "${doc.title}" is overdue`;
    }
  }
}
