import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Supervision: indexes for searching the audit log by department, action, category and time at
 * millions of entries (newest first on seq), and signed checkpoints of the chain head, append-only
 * like the log itself.
 */
export class AuditSupervision1764400000000 implements MigrationInterface {
  name = 'AuditSupervision1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    for (const [name, columns] of [
      ['audit_department', 'department_id, seq'],
      ['audit_action', 'action, seq'],
      ['audit_category', 'category, seq'],
      // Covering: a time range is turned into a seq range from this index alone (see the repository).
      ['audit_at', 'at, seq'],
    ]) {
      await runner.query(`CREATE INDEX ${name} ON audit_entries (${columns})`);
    }
    // The inbox of decided tasks reads them by who decided (see TasksRepository.inbox).
    await runner.query('CREATE INDEX tasks_decided ON tasks (decided_by, status, id)');
    await runner.query(`CREATE TABLE audit_checkpoints (
      seq INTEGER PRIMARY KEY, hash TEXT NOT NULL, at TEXT NOT NULL, key_id TEXT NOT NULL, public_key TEXT NOT NULL, signature TEXT NOT NULL)`);
    if (postgres) {
      await runner.query(`CREATE TRIGGER audit_checkpoints_no_update_delete BEFORE UPDATE OR DELETE ON audit_checkpoints
        FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()`);
      await runner.query(`CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
        FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()`);
    } else {
      await runner.query(`CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
        BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END`);
      await runner.query(`CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
        BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END`);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE audit_checkpoints');
    await runner.query('DROP INDEX tasks_decided');
    for (const name of ['audit_department', 'audit_action', 'audit_category', 'audit_at']) await runner.query(`DROP INDEX ${name}`);
  }
}
