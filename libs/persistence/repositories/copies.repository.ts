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
}
