import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL's audit intake: a transaction writes its entry here, unsequenced, and takes no lock
 * shared with other transactions; the sequencer (one at a time, by advisory lock) moves committed
 * entries into `audit_entries` in the order they were taken in (insert id), giving each its seq
 * and hash. SQLite, with its one writer, appends to the log directly and leaves this table empty.
 */
export class AuditIntake1765200000000 implements MigrationInterface {
  name = 'AuditIntake1765200000000';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    await runner.query(`CREATE TABLE audit_intake (
      id ${postgres ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT'}, at TEXT NOT NULL, category TEXT NOT NULL, action TEXT NOT NULL, result TEXT NOT NULL,
      actor_type TEXT NOT NULL, actor_id TEXT NOT NULL, actor_role TEXT NULL, actor_department_id TEXT NULL, actor_on_behalf_of TEXT NULL,
      department_id TEXT NULL, document_id TEXT NULL, from_state TEXT NULL, to_state TEXT NULL, details TEXT NOT NULL)`);
    // The kernel's check of a document against its last transition reads pending entries too.
    await runner.query('CREATE INDEX audit_intake_document ON audit_intake (document_id, id)');
    // Entries wait here unchanged: the sequencer only moves them (insert into the log, delete here, one transaction).
    if (postgres) {
      await runner.query('CREATE TRIGGER audit_intake_no_update BEFORE UPDATE ON audit_intake FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()');
    } else {
      await runner.query("CREATE TRIGGER audit_intake_no_update BEFORE UPDATE ON audit_intake BEGIN SELECT RAISE(ABORT, 'audit_intake rows are not edited'); END");
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE audit_intake');
  }
}
