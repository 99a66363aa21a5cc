import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a document said at each version that changed it (created, edited): reviewers compare the
 * version they returned with the one that came back. Written with the change, never updated.
 * Documents written before this table have their present text, at the version of their last edit
 * (read from the audit log); earlier versions of those are not known.
 */
export class DocumentContents1766100000000 implements MigrationInterface {
  name = 'DocumentContents1766100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE document_contents (
         document_id TEXT NOT NULL,
         version INTEGER NOT NULL,
         title TEXT NOT NULL,
         content TEXT NOT NULL,
         fields TEXT NOT NULL,
         created_by TEXT NOT NULL,
         created_at TEXT NOT NULL,
         PRIMARY KEY (document_id, version)
       )`,
    );
    const changes = `category = 'transition' AND action IN ('create', 'edit') AND (result IS NULL OR result <> 'failure') AND document_id IS NOT NULL`;
    // The log, then what waits in PostgreSQL's intake to be sequenced (newer than anything in the log).
    const edits: { document_id: string; details: string; actor_id: string; at: string }[] = [
      ...(await runner.query(`SELECT document_id, details, actor_id, at FROM audit_entries WHERE ${changes} ORDER BY seq`)),
      ...(await runner.query(`SELECT document_id, details, actor_id, at FROM audit_intake WHERE ${changes} ORDER BY id`)),
    ];
    const last = new Map<string, { version: number; by: string; at: string }>();
    for (const e of edits) {
      const version = Number((JSON.parse(e.details) as { version?: unknown }).version);
      if (Number.isInteger(version)) last.set(e.document_id, { version, by: e.actor_id, at: e.at });
    }
    const docs: { id: string; title: string; content: string; attributes: string; created_by: string; created_at: string }[] = await runner.query(
      'SELECT id, title, content, attributes, created_by, created_at FROM documents',
    );
    const postgres = runner.connection.options.type === 'postgres';
    const insert = postgres
      ? 'INSERT INTO document_contents (document_id, version, title, content, fields, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)'
      : 'INSERT INTO document_contents (document_id, version, title, content, fields, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)';
    for (const d of docs) {
      const edit = last.get(d.id) ?? { version: 1, by: d.created_by, at: d.created_at };
      const fields = (JSON.parse(d.attributes) as { fields?: unknown }).fields ?? {};
      await runner.query(insert, [d.id, edit.version, d.title, d.content, JSON.stringify(fields), edit.by, edit.at]);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE document_contents');
  }
}
