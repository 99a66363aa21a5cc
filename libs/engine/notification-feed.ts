import { entryFromRow, type AuditEntry } from '@shenpi/audit';
import { DomainError, ErrorCode, newId, type Clock } from '@shenpi/domain';
import type { DocumentRow, NotificationRow, Repositories, TaskRow } from '@shenpi/persistence';
import type { ChainCatalog } from './chain-catalog.js';
import { contributorsOf } from './document/document-state.js';
import type { WriterQueue } from './writer-queue.js';

/** Entries read per pass: one transaction of notifications, however far behind the feed is. */
const BATCH = 200;

/** The kinds this feed writes (reminders, escalations, urges, copies and reroutes are written where they happen). */
export type FeedKind = 'task-assigned' | 'returned' | 'decided' | 'disclosed' | 'tasks-unassigned';

/** Actions that take a document back to be reworked: its author is told, not merely "decided". */
const RETURNS = new Set(['return']);
const DISCLOSURE = 'record-disclosure';
/** The system's hand-on that nobody could take (organisation.use-case.ts): a task left with a user who can no longer decide it. */
const isLeftTask = (e: AuditEntry) => e.action === 'reassign' && e.result === 'failure' && e.actor.type === 'system' && !!e.details.handOn;

/** Why the user can no longer decide their tasks, as the notification says it. */
const LEFT_BECAUSE: Record<string, [string, string]> = {
  'disable-user': ['已停用', 'disabled'],
  'revoke-role': ['角色已撤销', 'role taken away'],
  'grant-role': ['已任督察员', 'made a supervisor'],
  'set-supervision': ['已任督察员', 'made a supervisor'],
};

/** Entries that name a task but decide nothing (the task is handed on, signed beside, or a file added to it). */
const NOT_DECISIONS = new Set(['delegate', 'add-signer', 'attach', 'reassign', 'edit']);

/**
 * Tells people of new work and of what happened to their documents, from the audit log, after the
 * fact: a decision writes nothing for it (its statements and pages stay its own), and a notification
 * never blocks or fails one. A pass reads the transition entries after the feed's cursor in the log's
 * order (commit order; on PostgreSQL, the sequencer's) and, in one transaction, writes what they call
 * for and moves the cursor: a pass that fails changes nothing and the next does the work again, and a
 * second process running the feed finds the cursor moved and gives way.
 *
 * - `task-assigned`: a document's open tasks, to their assignee or each holder of their role, once per
 *   task and person (a task handed on is announced to its new holder); not to whoever made the task.
 * - `returned`: a return, to the document's author. `decided`: any other decision on a task, to the author.
 * - `disclosed`: the disclosure recorded, to the author and the department's supervisors.
 * - `tasks-unassigned`: a task the system could not hand on from a user who can no longer decide it
 *   (organisation.use-case.ts: its failed `reassign`), to every global administrator but whoever made the change.
 * Nobody is told of what they did themselves, and nobody disabled is told anything.
 */
export class NotificationFeed {
  /** Called with the users a pass wrote to, after its commit: open streams of this process look at once. */
  onNotified: (userIds: string[]) => void = () => undefined;

  constructor(
    private readonly writer: WriterQueue,
    private readonly chains: ChainCatalog,
    private readonly clock: Clock,
  ) {}

  /** One pass: the entries read (0 when the log had nothing new) and the notifications written. */
  async pass(): Promise<{ read: number; written: number }> {
    const { read, told } = await this.writer.run(async (repos) => {
      const from = await repos.notifications.feedCursor();
      const rows = await repos.audit.range(from, BATCH);
      if (!rows.length) return { read: 0, told: [] };
      const notes = await this.notesFor(repos, rows.map(entryFromRow));
      if (!(await repos.notifications.advanceFeed(from, rows[rows.length - 1].seq))) {
        throw new DomainError(ErrorCode.VERSION_CONFLICT, 'another notification feed read these entries');
      }
      return { read: rows.length, told: notes };
    });
    if (told.length) this.onNotified([...new Set(told)]);
    return { read, written: told.length };
  }

  /** Passes until the feed has caught up with the log; returns the notifications written. */
  async drain(): Promise<number> {
    let written = 0;
    for (let p = await this.pass(); p.read > 0; p = await this.pass()) written += p.written;
    return written;
  }

  /** Writes the batch's notifications; returns whom each went to. */
  private async notesFor(repos: Repositories, entries: AuditEntry[]): Promise<string[]> {
    const at = this.clock.now().toISOString();
    const docs = new Map<string, DocumentRow | undefined>();
    const told: string[] = [];
    // Someone who left (disabled) is told nothing more: they may no longer read what it would say.
    const active = new Map<string, boolean>();
    const isActive = async (userId: string) => {
      if (!active.has(userId)) active.set(userId, (await repos.directory.accountState(userId))?.disabled === false);
      return active.get(userId)!;
    };
    const write = async (n: Omit<NotificationRow, 'id' | 'createdAt' | 'readAt'>, once = false) => {
      if (!(await isActive(n.userId))) return;
      const row = { ...n, id: newId(), createdAt: at, readAt: null };
      if (once ? await repos.notifications.insertOnce(row) : (await repos.notifications.insert(row), true)) told.push(n.userId);
    };
    for (const e of entries) {
      if (e.category !== 'transition' || !e.documentId || (e.result !== 'success' && !isLeftTask(e))) continue;
      if (!docs.has(e.documentId)) docs.set(e.documentId, await repos.documents.get(e.documentId));
      const doc = docs.get(e.documentId);
      if (!doc) continue;
      const chain = await this.chains.get(repos, doc.chainKey, doc.chainVersion);
      const stepName = (key: string | null) => (key && chain.definition.steps.find((s) => s.key === key)?.name) || { zh: key ?? '', en: key ?? '' };
      if (isLeftTask(e)) {
        await this.tellLeft(repos, e, doc, stepName, write);
        continue;
      }
      const actor = e.actor.type === 'user' ? e.actor.id : null;
      const base = { documentId: doc.id, details: { seq: e.seq, action: e.action, by: actor, from: e.from, to: e.to } };
      const comment = typeof e.details.comment === 'string' ? e.details.comment : '';
      const toAuthor = (kind: FeedKind, message: string) => (doc.createdBy !== actor ? write({ ...base, kind, userId: doc.createdBy, taskId: (e.details.taskId as string) ?? null, message }) : undefined);

      if (RETURNS.has(e.action) && actor) {
        await toAuthor('returned', `退回：《${doc.title}》在${stepName(e.from).zh}被退回${comment ? `：${comment}` : ''} / Returned: "${doc.title}" was returned at ${stepName(e.from).en}${comment ? `: ${comment}` : ''}`);
      } else if (e.action === DISCLOSURE) {
        const message = `已公开：《${doc.title}》已登记向社会公开 / Disclosed: "${doc.title}" is recorded as published`;
        await toAuthor('disclosed', message);
        for (const userId of await repos.directory.holders('supervisor', doc.departmentId)) {
          if (userId !== actor && userId !== doc.createdBy) await write({ ...base, kind: 'disclosed', userId, taskId: null, message });
        }
      } else if (e.details.taskId && actor && !NOT_DECISIONS.has(e.action)) {
        await toAuthor('decided', `已办理：《${doc.title}》${stepName(e.from).zh}：${e.action}${comment ? `（${comment}）` : ''} / Decided: "${doc.title}" at ${stepName(e.from).en}: ${e.action}${comment ? ` (${comment})` : ''}`);
      }
      // New work: every open task of the document whose holders were not told yet. The first step is the
      // author's own work (a return tells them with `returned`), not new work to announce; and whoever wrote
      // the document holds no review task of it (separation of duties), whatever roles they hold.
      const contributors = new Set(contributorsOf(doc));
      for (const task of await repos.tasks.openForDocument(doc.id)) {
        if (task.stepKey === chain.definition.steps[0].key) continue;
        for (const userId of await this.holdersOf(repos, task)) {
          if (userId === actor || contributors.has(userId)) continue;
          const step = stepName(task.stepKey);
          await write(
            { documentId: doc.id, kind: 'task-assigned', userId, taskId: task.id, details: { seq: e.seq, stepKey: task.stepKey, dueAt: task.dueAt }, message: `待办：《${doc.title}》${step.zh} / New task: "${doc.title}", ${step.en}` },
            true,
          );
        }
      }
    }
    return told;
  }

  /** A task nobody could be handed: each global administrator is told, but the one whose change it was (they were answered). */
  private async tellLeft(
    repos: Repositories,
    e: AuditEntry,
    doc: DocumentRow,
    stepName: (key: string | null) => { zh: string; en: string },
    write: (n: Omit<NotificationRow, 'id' | 'createdAt' | 'readAt'>) => Promise<unknown>,
  ): Promise<void> {
    const handOn = e.details.handOn as { cause: string; userId: string; by: { type: string; id: string } };
    const taskId = e.details.taskId as string;
    const task = await repos.tasks.get(taskId);
    const step = stepName(task?.stepKey ?? e.from);
    const [zhName, enName = zhName] = ((await repos.directory.names([handOn.userId], [])).people[handOn.userId] ?? '').split(' / ');
    const [zhCause, enCause] = LEFT_BECAUSE[handOn.cause] ?? ['', handOn.cause];
    const message =
      `无人接手：《${doc.title}》${step.zh}的待办仍由${zhName}（${zhCause}）持有，请全局管理员转交 / ` +
      `Nobody could take over: the task at ${step.en} of "${doc.title}" is still held by ${enName} (${enCause}); a global administrator must hand it on`;
    const by = handOn.by.type === 'user' ? handOn.by.id : null;
    for (const userId of await repos.directory.activeGlobalAdministrators()) {
      if (userId === by) continue;
      await write({ documentId: doc.id, kind: 'tasks-unassigned', userId, taskId, message, details: { seq: e.seq, action: e.action, userId: handOn.userId, cause: handOn.cause, refused: e.details.refused ?? [] } });
    }
  }

  private async holdersOf(repos: Repositories, task: TaskRow): Promise<string[]> {
    if (task.assigneeUserId) return [task.assigneeUserId];
    return task.assigneeRole ? repos.directory.activeHolders(task.assigneeRole, task.departmentId) : [];
  }
}
