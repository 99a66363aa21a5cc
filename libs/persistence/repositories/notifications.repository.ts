import type { Sql } from '../sql.js';

export interface NotificationRow {
  id: string;
  userId: string;
  kind: string;
  documentId: string | null;
  taskId: string | null;
  message: string;
  details: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

const COLUMNS = 'id, user_id, kind, document_id, task_id, message, details, created_at, read_at';
type Raw = Record<string, string | null>;

const toRow = (r: Raw): NotificationRow => ({
  id: r.id!,
  userId: r.user_id!,
  kind: r.kind!,
  documentId: r.document_id,
  taskId: r.task_id,
  message: r.message!,
  details: JSON.parse(r.details!),
  createdAt: r.created_at!,
  readAt: r.read_at,
});

const values = (n: NotificationRow) => [n.id, n.userId, n.kind, n.documentId, n.taskId, n.message, JSON.stringify(n.details), n.createdAt, n.readAt];

const notIn = (kinds: readonly string[]) => (kinds.length ? ` AND kind NOT IN (${kinds.map(() => '?').join(', ')})` : '');

export class NotificationsRepository {
  constructor(private readonly sql: Sql) {}

  async insert(n: NotificationRow): Promise<void> {
    await this.sql.run(`INSERT INTO notifications (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, values(n));
  }

  /** As insert; nothing when the person was already told of the task (`task-assigned` is once per task and person). */
  async insertOnce(n: NotificationRow): Promise<boolean> {
    return (await this.sql.run(`INSERT INTO notifications (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, values(n))) === 1;
  }

  /** The last audit entry the notification feed read. */
  async feedCursor(): Promise<number> {
    return Number((await this.sql.one<{ seq: number | string }>('SELECT seq FROM notification_feed WHERE id = 1'))?.seq ?? 0);
  }

  /** Moves the feed's cursor; false when another feed moved it since `from` was read. */
  async advanceFeed(from: number, to: number): Promise<boolean> {
    return (await this.sql.run('UPDATE notification_feed SET seq = ? WHERE id = 1 AND seq = ?', [to, from])) === 1;
  }

  /** A user's notifications after `afterId` (time-ordered), oldest first, but the kinds they muted: what a live stream has not sent yet. */
  async newerFor(userId: string, afterId: string, muted: readonly string[], limit: number): Promise<NotificationRow[]> {
    const rows = await this.sql.all<Raw>(`SELECT ${COLUMNS} FROM notifications WHERE user_id = ? AND id > ?${notIn(muted)} ORDER BY id LIMIT ?`, [userId, afterId, ...muted, limit]);
    return rows.map(toRow);
  }

  /** Notifications the e-mail deliverer has not dealt with, oldest first, with their user's settings. */
  async unmailed(limit: number): Promise<(NotificationRow & { settings: string | null; disabled: boolean })[]> {
    const rows = await this.sql.all<Raw & { notification_settings: string | null; disabled_at: string | null }>(
      `SELECT ${COLUMNS.split(', ').map((c) => `n.${c}`).join(', ')}, u.notification_settings, u.disabled_at FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE n.mailed IS NULL ORDER BY n.id LIMIT ?`,
      [limit],
    );
    return rows.map((r) => ({ ...toRow(r), settings: r.notification_settings, disabled: r.disabled_at !== null }));
  }

  /** Every notification not looked at yet and written before `before`, in one statement: e-mail switched on late sends no backlog. */
  async markOldUnmailed(before: string, state: string): Promise<number> {
    return this.sql.run('UPDATE notifications SET mailed = ? WHERE mailed IS NULL AND created_at < ?', [state, before]);
  }

  /** What the deliverer did with each: `queued`, or why not (`not-wanted`, `too-old`). */
  async markMailed(ids: string[], state: string): Promise<void> {
    if (!ids.length) return;
    await this.sql.run(`UPDATE notifications SET mailed = ? WHERE id IN (${ids.map(() => '?').join(', ')})`, [state, ...ids]);
  }

  /** A user's notifications, newest first, keyset-paged on the time-ordered id. */
  async forUser(userId: string, unreadOnly: boolean, before: string | null, limit: number, muted: readonly string[] = []): Promise<NotificationRow[]> {
    const where = ['user_id = ?'];
    const params: unknown[] = [userId];
    if (muted.length) where.push(`kind NOT IN (${muted.map(() => '?').join(', ')})`), params.push(...muted);
    if (unreadOnly) where.push('read_at IS NULL');
    if (before) where.push('id < ?'), params.push(before);
    const rows = await this.sql.all<Raw>(`SELECT ${COLUMNS} FROM notifications WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`, [...params, limit]);
    return rows.map(toRow);
  }

  /** How many of a user's notifications are unread, but the kinds they muted: one count over the index of unread ones. */
  async unreadCount(userId: string, muted: readonly string[] = []): Promise<number> {
    const row = await this.sql.one<{ n: number | string }>(`SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL${notIn(muted)}`, [userId, ...muted]);
    return Number(row?.n ?? 0);
  }

  async markRead(id: string, userId: string, at: string): Promise<boolean> {
    const changed = await this.sql.run('UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ?', [at, id, userId]);
    return changed === 1;
  }

  /** Whose notification it is (undefined when there is none). */
  async ownerOf(id: string): Promise<string | undefined> {
    return (await this.sql.one<{ user_id: string }>('SELECT user_id FROM notifications WHERE id = ?', [id]))?.user_id;
  }
}
