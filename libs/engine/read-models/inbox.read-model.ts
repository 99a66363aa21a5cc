import { AccessDenied, ErrorCode, isGlobalAdmin, isUuid, notFound, validationFailed, type Principal } from '@shenpi/domain';
import { Repositories, type Database, type InboxKey, type NotificationRow, type TaskRow } from '@shenpi/persistence';
import type { ChainCatalog } from '../chain-catalog.js';
import { mutedInApp, settingsOf } from '../notification-settings.js';
import { decodeCursor, page, taskView, type Page, type TaskView } from '../views.js';

const KEY_SEPARATOR = '|';
/** A done page's key: an instant as the service writes them, then a task id. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const isDoneKey = (k: string) => {
  const at = k.lastIndexOf(KEY_SEPARATOR);
  return at > 0 && INSTANT.test(k.slice(0, at)) && isUuid(k.slice(at + 1));
};
const openKey = (cursor: string | undefined): InboxKey | null => {
  const id = decodeCursor(cursor, isUuid);
  return id === null ? null : { id };
};

/** A reviewer's work: the inbox, one task, notifications. On the read connection. */
export class InboxReadModel {
  private readonly repos: Repositories;

  constructor(
    database: Database,
    private readonly chains: ChainCatalog,
  ) {
    this.repos = new Repositories(database.reader);
  }

  async inbox(p: Principal, status: 'open' | 'done', cursor: string | undefined, limit: number): Promise<Page<TaskView>> {
    const before = status === 'open' ? openKey(cursor) : await this.doneKey(p, cursor);
    const rows = await this.repos.tasks.inbox(p, status, before, limit + 1);
    const { rows: kept, nextCursor } = page(rows, limit, status === 'open' ? (t) => t.id : (t) => `${t.closedAt}${KEY_SEPARATOR}${t.id}`);
    // One query: the page's tasks with their document's title and chain version (compiled chains are cached).
    const items: TaskView[] = [];
    for (const t of kept) items.push(taskView(t, await this.chains.get(this.repos, t.chainKey, t.chainVersion)));
    return { items, nextCursor };
  }

  /**
   * A done page's cursor: the closing instant and id of the last task it showed. A cursor given out
   * before the done inbox was ordered by closing (the task's id alone) starts after that task's closing.
   */
  private async doneKey(p: Principal, cursor: string | undefined): Promise<InboxKey | null> {
    const key = decodeCursor(cursor, (k) => isUuid(k) || isDoneKey(k));
    if (key === null) return null;
    if (isDoneKey(key)) {
      const at = key.lastIndexOf(KEY_SEPARATOR);
      return { closedAt: key.slice(0, at), id: key.slice(at + 1) };
    }
    // Only a task the caller may see: a cursor tells nothing of anyone else's.
    const task = await this.repos.tasks.get(key);
    const closedAt = task && (await this.repos.documents.isVisible(p, task.documentId)) ? task.closedAt : null;
    if (!closedAt) throw validationFailed([{ field: 'cursor', reason: 'not a cursor this list gave out' }]);
    return { closedAt, id: key };
  }

  async task(p: Principal, id: string): Promise<TaskView> {
    const task = await this.repos.tasks.get(id);
    if (!task || !(await this.repos.documents.isVisible(p, task.documentId))) throw notFound('task');
    const doc = (await this.repos.documents.get(task.documentId))!;
    return taskView(task, await this.chains.get(this.repos, doc.chainKey, doc.chainVersion));
  }

  /**
   * The open tasks a user holds by name (a global administrator's view: what a user who left still
   * holds, for handing on), each with its document's title; oldest first.
   */
  async heldBy(p: Principal, userId: string): Promise<{ items: TaskView[] }> {
    if (!isGlobalAdmin(p)) throw new AccessDenied(ErrorCode.FORBIDDEN, 'only a global administrator sees the tasks a user holds', { action: 'read-user-tasks' });
    if (!isUuid(userId) || !(await this.repos.directory.userById(userId))) throw notFound('user');
    const items: TaskView[] = [];
    for (const t of await this.repos.tasks.openForUser(userId)) {
      const doc = (await this.repos.documents.get(t.documentId))!;
      items.push({ ...taskView(t, await this.chains.get(this.repos, doc.chainKey, doc.chainVersion)), documentTitle: doc.title });
    }
    return { items };
  }

  /** A task as its decider saw it, whether or not it is still theirs (an idempotent replay of a delegation). */
  async describeTaskById(id: string): Promise<TaskView> {
    const task = await this.repos.tasks.get(id);
    if (!task) throw notFound('task');
    return this.describeTask(task);
  }

  async describeTask(task: TaskRow): Promise<TaskView> {
    const doc = (await this.repos.documents.get(task.documentId))!;
    return taskView(task, await this.chains.get(this.repos, doc.chainKey, doc.chainVersion));
  }

  /**
   * For a live stream: the caller's notifications after `afterId`, oldest first, at most 50; with no
   * `afterId`, none, and the id to start after (the newest there is: a stream tells what is new).
   */
  async notificationsAfter(p: Principal, afterId: string | null): Promise<{ items: NotificationRow[]; last: string }> {
    if (afterId === null) return { items: [], last: (await this.repos.notifications.forUser(p.id, false, null, 1))[0]?.id ?? '' };
    const items = await this.repos.notifications.newerFor(p.id, afterId, await this.muted(p), 50);
    return { items, last: items.length ? items[items.length - 1].id : afterId };
  }

  /** The kinds the caller turned off in the app. */
  private async muted(p: Principal): Promise<string[]> {
    return mutedInApp(settingsOf(await this.repos.directory.notificationSettings(p.id)));
  }

  /** A page of the caller's notifications, and how many are unread in all (a page holds at most `limit`): the badge's number. */
  async notifications(p: Principal, unreadOnly: boolean, cursor: string | undefined, limit: number): Promise<Page<NotificationRow> & { unreadCount: number }> {
    const muted = await this.muted(p);
    const rows = await this.repos.notifications.forUser(p.id, unreadOnly, decodeCursor(cursor, isUuid), limit + 1, muted);
    const { rows: items, nextCursor } = page(rows, limit, (n) => n.id);
    return { items, nextCursor, unreadCount: await this.repos.notifications.unreadCount(p.id, muted) };
  }
}
