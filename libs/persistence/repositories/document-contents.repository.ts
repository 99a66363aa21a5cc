import type { Sql } from '../sql.js';

/** What a document said from one version on: its title, content and fields, and who wrote them when. */
export interface DocumentContent {
  documentId: string;
  /** The version whose change wrote this text (the create or the edit). */
  version: number;
  title: string;
  content: string;
  fields: Record<string, unknown>;
  createdBy: string;
  createdAt: string;
}

interface Raw {
  document_id: string;
  version: number;
  title: string;
  content: string;
  fields: string;
  created_by: string;
  created_at: string;
}

const toContent = (r: Raw): DocumentContent => ({
  documentId: r.document_id,
  version: Number(r.version),
  title: r.title,
  content: r.content,
  fields: JSON.parse(r.fields) as Record<string, unknown>,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** A document's texts by version, appended by the change that wrote them (create, edit). */
export class DocumentContentsRepository {
  constructor(private readonly sql: Sql) {}

  async append(c: DocumentContent): Promise<void> {
    await this.sql.run('INSERT INTO document_contents (document_id, version, title, content, fields, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      c.documentId,
      c.version,
      c.title,
      c.content,
      JSON.stringify(c.fields),
      c.createdBy,
      c.createdAt,
    ]);
  }

  /** The text the document had at `version`: the last one written at or before it; undefined before any known. */
  async at(documentId: string, version: number): Promise<DocumentContent | undefined> {
    const row = await this.sql.one<Raw>(
      'SELECT document_id, version, title, content, fields, created_by, created_at FROM document_contents WHERE document_id = ? AND version <= ? ORDER BY version DESC LIMIT 1',
      [documentId, version],
    );
    return row && toContent(row);
  }

  /** The version of the text written before the one written at `version` (null: none known). */
  async before(documentId: string, version: number): Promise<number | null> {
    const row = await this.sql.one<{ version: number }>('SELECT version FROM document_contents WHERE document_id = ? AND version < ? ORDER BY version DESC LIMIT 1', [documentId, version]);
    return row ? Number(row.version) : null;
  }
}
