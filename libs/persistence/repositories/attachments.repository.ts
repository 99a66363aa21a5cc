import type { Sql } from '../sql.js';

/** A file attached to a document (by its drafter) or to a task (by its reviewer, recorded with the decision). */
export interface AttachmentRow {
  id: string;
  documentId: string;
  taskId: string | null;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  createdAt: string;
}

type Raw = Record<string, string | number | null>;
const COLUMNS = 'id, document_id, task_id, name, content_type, size, sha256, uploaded_by, created_at';
const toRow = (r: Raw): AttachmentRow => ({
  id: r.id as string,
  documentId: r.document_id as string,
  taskId: r.task_id as string | null,
  name: r.name as string,
  contentType: r.content_type as string,
  size: Number(r.size),
  sha256: r.sha256 as string,
  uploadedBy: r.uploaded_by as string,
  createdAt: r.created_at as string,
});

export class AttachmentsRepository {
  constructor(private readonly sql: Sql) {}

  async insert(a: AttachmentRow): Promise<void> {
    await this.sql.run(`INSERT INTO attachments (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      a.id,
      a.documentId,
      a.taskId,
      a.name,
      a.contentType,
      a.size,
      a.sha256,
      a.uploadedBy,
      a.createdAt,
    ]);
  }

  async get(id: string): Promise<AttachmentRow | undefined> {
    const r = await this.sql.one<Raw>(`SELECT ${COLUMNS} FROM attachments WHERE id = ?`, [id]);
    return r && toRow(r);
  }

  async forDocument(documentId: string): Promise<AttachmentRow[]> {
    return (await this.sql.all<Raw>(`SELECT ${COLUMNS} FROM attachments WHERE document_id = ? ORDER BY id`, [documentId])).map(toRow);
  }

  async forTask(taskId: string): Promise<AttachmentRow[]> {
    return (await this.sql.all<Raw>(`SELECT ${COLUMNS} FROM attachments WHERE task_id = ? ORDER BY id`, [taskId])).map(toRow);
  }
}
