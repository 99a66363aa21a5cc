import { AccessDenied, DomainError, ErrorCode, holdsRole, newId, type Clock, type Principal, type Role } from '@shenpi/domain';
import type { Repositories } from '@shenpi/persistence';
import type { DocumentKernel } from './document/document-kernel.js';
import { taskRecipients } from './task-recipients.js';
import type { WriterQueue } from './writer-queue.js';

/** Who may urge (催办) the reviewers of a document: its drafters and the department's leader. */
const URGERS: readonly Role[] = ['drafter', 'leader'];

/** One urge per document, caller and hour: more would only bury the reviewers' inboxes. */
const URGE_INTERVAL_MS = 3600_000;

/** 催办: a reminder on demand to whoever holds the document's open tasks; audited, no change of state. */
export class UrgeUseCase {
  constructor(
    private readonly writer: WriterQueue,
    private readonly kernel: DocumentKernel,
    private readonly clock: Clock,
  ) {}

  execute(p: Principal, documentId: string, comment: string): Promise<{ recipients: string[] }> {
    return this.writer.run(async (repos) => {
      // The door locks the row on PostgreSQL: of two urges at once, the second waits and sees the first.
      const { doc, chain } = await this.kernel.open(repos, documentId, p, { action: 'urge' });
      const role = URGERS.find((r) => holdsRole(p, r, doc.departmentId));
      if (!role) throw new AccessDenied(ErrorCode.FORBIDDEN, 'only drafters and the leader of the department urge its reviewers', { action: 'urge', documentId, departmentId: doc.departmentId });
      await this.refuseTooSoon(repos, p, doc.id);
      const tasks = await repos.tasks.openForDocument(doc.id);
      if (!tasks.length) throw new DomainError(ErrorCode.TRANSITION_NOT_ALLOWED, 'nobody has an open task on this document', { allowed: [] });
      const step = chain.step(doc.state).name;
      const at = this.clock.now().toISOString();
      const perTask = await Promise.all(tasks.map(async (task) => ({ task, users: await taskRecipients(repos, task) })));
      const recipients = [...new Set(perTask.flatMap((t) => t.users))];
      const message = `催办：《${doc.title}》${step.zh}，请尽快办理 / Please act on ${step.en} of "${doc.title}"${comment ? `：${comment}` : ''}`;
      for (const { task, users } of perTask) {
        for (const userId of users) {
          await repos.notifications.insert({ id: newId(), userId, kind: 'urge', documentId: doc.id, taskId: task.id, message, details: { comment, by: p.id }, createdAt: at, readAt: null });
        }
      }
      await this.kernel.record(repos, doc, {
        action: 'urge',
        actor: { type: 'user', id: p.id, role, departmentId: doc.departmentId, onBehalfOf: null },
        details: { comment, recipients, taskIds: tasks.map((t) => t.id) },
      });
      return { recipients };
    });
  }

  /** The last urge is read from the audit log, which every urge writes: no table of its own to keep in step. */
  private async refuseTooSoon(repos: Repositories, p: Principal, documentId: string): Promise<void> {
    const lastAt = await repos.audit.lastTimeOf(documentId, p.id, 'urge');
    if (!lastAt) return;
    const now = this.clock.now().getTime();
    // Capped at the interval, so a clock stepped back never makes the wait longer than an hour.
    const again = Math.min(Date.parse(lastAt) + URGE_INTERVAL_MS, now + URGE_INTERVAL_MS);
    if (now >= again) return;
    const retryAfterSeconds = Math.ceil((again - now) / 1000);
    throw new DomainError(
      ErrorCode.RATE_LIMITED,
      `you urged this document at ${lastAt}; one urge per hour: you may urge it again at ${new Date(again).toISOString()} (in ${retryAfterSeconds} seconds)`,
      { retryAfterSeconds },
    );
  }
}
