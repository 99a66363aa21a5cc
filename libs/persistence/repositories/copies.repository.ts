import type { Sql } from '../sql.js';

/** 抄送: users a document was copied to; they may read it (see `visibility`), never act on it. */
export class CopiesRepository {
  constructor(private readonly sql: Sql) {}

  /** Returns whether the copy is new (copying twice to the same user changes nothing). */
  async add(documentId: string, userId: string, copiedBy: string, at: string): Promise<boolean> {
    const changed = await this.sql.run(
      'INSERT INTO document_copies (document_id, user_id, copied_by, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [documentId, userId, copiedBy, at],
    );
    return changed > 0;
  }

  async of(documentId: string): Promise<{ userId: string; copiedBy: string; createdAt: string }[]> {
    const rows = await this.sql.all<{ user_id: string; copied_by: string; created_at: string }>(
      'SELECT user_id, copied_by, created_at FROM document_copies WHERE document_id = ? ORDER BY created_at, user_id',
      [documentId],
    );
    return rows.map((r) => ({ userId: r.user_id, copiedBy: r.copied_by, createdAt: r.created_at }));
  }

  /**
   * The documents copied to a user, newest first, keyset-paged on (created_at, document_id): with
   * each its title, who copied it, and the recipient's notification of it (the comment, read or not),
   * when the user keeps one.
   */
  async toUser(userId: string, after: { createdAt: string; documentId: string } | undefined, limit: number) {
    const rows = await this.sql.all<{ document_id: string; copied_by: string; created_at: string; title: string; notification_id: string | null; read_at: string | null; details: string | null }>(
      `SELECT c.document_id, c.copied_by, c.created_at, d.title, n.id AS notification_id, n.read_at, n.details
         FROM document_copies c
         JOIN documents d ON d.id = c.document_id
         LEFT JOIN notifications n ON n.id = (SELECT n2.id FROM notifications n2 WHERE n2.user_id = c.user_id AND n2.document_id = c.document_id AND n2.kind = 'copy-to' ORDER BY n2.id DESC LIMIT 1)
        WHERE c.user_id = ?${after ? ' AND (c.created_at < ? OR (c.created_at = ? AND c.document_id < ?))' : ''}
        ORDER BY c.created_at DESC, c.document_id DESC LIMIT ?`,
      after ? [userId, after.createdAt, after.createdAt, after.documentId, limit] : [userId, limit],
    );
    return rows.map((r) => {
      const details = r.details ? (JSON.parse(r.details) as { comment?: string }) : {};
      return { documentId: r.document_id, title: r.title, copiedBy: r.copied_by, createdAt: r.created_at, comment: details.comment || null, notificationId: r.notification_id, read: r.read_at !== null };
    });
  }
}
