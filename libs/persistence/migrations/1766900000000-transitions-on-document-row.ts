import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite: a document's row lists the seqs of its transition entries (`transition_seqs`, a JSON
 * array, oldest first), and the audit table's index by document keeps only the other categories.
 * Each change of a document logs one transition entry, which took an entry on a random page of
 * that index (the bench's WAL attribution: `audit_document` 1.17 pages per decision); its seq now
 * lands on the document's row, on a page the change writes anyway. A trigger appends it, whoever
 * inserts the entry; entries are never updated nor deleted (the log's own triggers). Only the
 * kernel writes transition entries, one per change, so a row grows with the document's history
 * and nothing else: a refusal, a security entry, anything a caller can cause by asking, stays on
 * the index (its condition, `category <> 'transition'`, is stated by every query it serves).
 *
 * PostgreSQL keeps its index: its entries are sequenced apart from the change that logged them,
 * and a longer row is more WAL on each update there.
 */
export class TransitionsOnDocumentRow1766900000000 implements MigrationInterface {
  name = 'TransitionsOnDocumentRow1766900000000';

  async up(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type === 'postgres') return;
    await runner.query(`ALTER TABLE documents ADD COLUMN transition_seqs TEXT NOT NULL DEFAULT '[]'`);
    await runner.query(
      `UPDATE documents SET transition_seqs = (SELECT json_group_array(seq) FROM (SELECT x.seq FROM audit_entries x WHERE x.document_id = documents.id AND x.category || '' = 'transition' ORDER BY x.seq))`,
    );
    await runner.query(
      `CREATE TRIGGER audit_entries_listed AFTER INSERT ON audit_entries WHEN NEW.category = 'transition'
         BEGIN UPDATE documents SET transition_seqs = json_insert(transition_seqs, '$[#]', NEW.seq) WHERE id = NEW.document_id; END`,
    );
    await runner.query('DROP INDEX audit_document');
    await runner.query(`CREATE INDEX audit_document ON audit_entries (document_id, seq) WHERE category <> 'transition'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type === 'postgres') return;
    await runner.query('DROP TRIGGER audit_entries_listed');
    await runner.query('DROP INDEX audit_document');
    await runner.query('CREATE INDEX audit_document ON audit_entries (document_id, seq)');
    await runner.query('ALTER TABLE documents DROP COLUMN transition_seqs');
  }
}
