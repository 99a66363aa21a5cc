import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite: a document's row lists the seqs of its transition entries (`transition_seqs`, a JSON
 * array, oldest first), and the audit table's index by document keeps only the other categories.
 * Each change of a document logs one transition entry, which took an entry on a random page of
 * that index (the bench's WAL attribution: `audit_document` 1.17 pages per decision); its seq now
 * lands on the document's row, on a page the change writes anyway. A trigger appends it, whoever
 * inserts the entry; entries are never updated nor deleted (the log's own triggers), and the list
 * only grows by one newer entry of the document at a time (another trigger refuses the rest). Only the
 * kernel writes transition entries (a change, or an act it bounds: an urge once an hour per caller, a
 * copy to someone not copied before, a timer's action), so a row grows with the document's history
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
    // The door checks the row against the entry its list names last: the list only grows, by the
    // document's own newer transition entry, or one UPDATE of the row could forge both.
    await runner.query(
      `CREATE TRIGGER documents_transitions_appended BEFORE UPDATE OF transition_seqs ON documents
         WHEN NOT (json_array_length(NEW.transition_seqs) = json_array_length(OLD.transition_seqs) + 1
           AND json_remove(NEW.transition_seqs, '$[#-1]') = OLD.transition_seqs
           AND COALESCE(json_extract(NEW.transition_seqs, '$[#-1]') > json_extract(OLD.transition_seqs, '$[#-1]'), 1)
           AND EXISTS (SELECT 1 FROM audit_entries a WHERE a.seq = json_extract(NEW.transition_seqs, '$[#-1]') AND a.document_id = NEW.id AND a.category || '' = 'transition'))
         BEGIN SELECT RAISE(ABORT, 'a document''s transition entries are only appended to its row''s list, each its own newer entry'); END`,
    );
    await runner.query('DROP INDEX audit_document');
    await runner.query(`CREATE INDEX audit_document ON audit_entries (document_id, seq) WHERE category <> 'transition'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type === 'postgres') return;
    await runner.query('DROP TRIGGER audit_entries_listed');
    await runner.query('DROP TRIGGER documents_transitions_appended');
    await runner.query('DROP INDEX audit_document');
    await runner.query('CREATE INDEX audit_document ON audit_entries (document_id, seq)');
    await runner.query('ALTER TABLE documents DROP COLUMN transition_seqs');
  }
}
