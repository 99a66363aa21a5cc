import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite: a document's row lists its tasks and its timers (`task_ids`, `timer_ids`: JSON arrays of
 * ids, oldest first), in place of an index by document on `tasks` and on `deadlines`. A decision
 * opens the next step's tasks and plans their timers; each index by document took an entry on a
 * random page of its own (the bench's WAL attribution: `tasks_document` 1.25 and
 * `deadlines_document` 1.64 pages per decision), while the document's row, on a page the decision
 * writes anyway, now takes the ids. Triggers keep the lists, whoever inserts a task or a timer (the
 * service, the CLI, a statement typed by hand); rows of either table are never deleted nor moved to
 * another document (triggers refuse both). A document has a few dozen tasks and timers: each stay in
 * a step adds its tasks and timers (about 40 bytes each), and the row stays within its page up to
 * about 80 of them.
 *
 * `deadlines.task_id` gets the index SQLite wants for a foreign key's child: with a trigger on
 * `tasks`, an insert into it is coded with a search of `deadlines` by `task_id` (run only while a
 * deferred violation is outstanding), a scan without one. Its entries are appended: a new timer's
 * task is new too, and ids are time-ordered.
 *
 * PostgreSQL keeps its indexes: a row there is written anew on each update, a longer row is more WAL
 * each time, and its index entries are not what limits it.
 */
const LISTS = [
  ['tasks', 'task_ids'],
  ['deadlines', 'timer_ids'],
] as const;

export class ItemsOnDocumentRow1766800000000 implements MigrationInterface {
  name = 'ItemsOnDocumentRow1766800000000';

  async up(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type === 'postgres') return;
    for (const [table, list] of LISTS) {
      await runner.query(`ALTER TABLE documents ADD COLUMN ${list} TEXT NOT NULL DEFAULT '[]'`);
      await runner.query(`UPDATE documents SET ${list} = (SELECT json_group_array(id) FROM (SELECT x.id FROM ${table} x WHERE x.document_id = documents.id ORDER BY x.id))`);
      await runner.query(
        `CREATE TRIGGER ${table}_listed AFTER INSERT ON ${table} BEGIN UPDATE documents SET ${list} = json_insert(${list}, '$[#]', NEW.id) WHERE id = NEW.document_id; END`,
      );
      await runner.query(`DROP INDEX ${table}_document`);
      // What the lists rest on, held by the database as the audit log's append-only rule is.
      await runner.query(
        `CREATE TRIGGER ${table}_stay_listed BEFORE UPDATE OF id, document_id ON ${table} WHEN NEW.id IS NOT OLD.id OR NEW.document_id IS NOT OLD.document_id
           BEGIN SELECT RAISE(ABORT, '${table} rows stay with their document (its row lists them)'); END`,
      );
      await runner.query(`CREATE TRIGGER ${table}_never_deleted BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} rows are never deleted (their document''s row lists them)'); END`);
    }
    await runner.query('CREATE INDEX deadlines_task ON deadlines (task_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type === 'postgres') return;
    await runner.query('DROP INDEX deadlines_task');
    for (const [table, list] of LISTS) {
      for (const trigger of ['listed', 'stay_listed', 'never_deleted']) await runner.query(`DROP TRIGGER ${table}_${trigger}`);
      await runner.query(`ALTER TABLE documents DROP COLUMN ${list}`);
      await runner.query(`CREATE INDEX ${table}_document ON ${table} (document_id)`);
    }
  }
}
