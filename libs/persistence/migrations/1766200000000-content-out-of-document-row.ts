import type { MigrationInterface, QueryRunner } from 'typeorm';

const LATEST = '(SELECT dc.content FROM document_contents dc WHERE dc.document_id = d.id ORDER BY dc.version DESC LIMIT 1)';

/**
 * A document's text is read from document_contents only (its last row), and the row's own copy is
 * emptied: a decision rewrites the document row, and with a report of some kilobytes in it every
 * decision wrote the report's overflow pages to the WAL again. A row whose text is not the last one
 * kept (none should be: migration 1766100000000 and every create and edit since keep it) is kept
 * first, at the document's version.
 */
export class ContentOutOfDocumentRow1766200000000 implements MigrationInterface {
  name = 'ContentOutOfDocumentRow1766200000000';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    const stray: { id: string; version: number; title: string; content: string; attributes: string; created_by: string; updated_at: string }[] = await runner.query(
      `SELECT d.id, d.version, d.title, d.content, d.attributes, d.created_by, d.updated_at FROM documents d WHERE ${LATEST} IS NULL OR ${LATEST} <> d.content`,
    );
    const keep = postgres
      ? `INSERT INTO document_contents (document_id, version, title, content, fields, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (document_id, version) DO UPDATE SET title = excluded.title, content = excluded.content`
      : `INSERT INTO document_contents (document_id, version, title, content, fields, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (document_id, version) DO UPDATE SET title = excluded.title, content = excluded.content`;
    for (const d of stray) {
      const fields = (JSON.parse(d.attributes) as { fields?: unknown }).fields ?? {};
      await runner.query(keep, [d.id, Number(d.version), d.title, d.content, JSON.stringify(fields), d.created_by, d.updated_at]);
    }
    await runner.query(`UPDATE documents SET content = ''`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`UPDATE documents SET content = COALESCE(${LATEST.replaceAll('d.id', 'documents.id')}, '')`);
  }
}
