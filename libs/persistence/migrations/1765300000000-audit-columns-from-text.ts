import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AUDIT_INDEXES, auditTableBody } from '../audit-projection.js';

/**
 * An audit entry becomes its canonical text and its hash: the columns searches filter on are
 * generated from the text (see audit-projection.ts), so they can no longer disagree with what was
 * hashed. The table is rebuilt, entries copied in seq order (their text and hash only: the old
 * columns were copies of the text), indexes and append-only triggers made again.
 */
export class AuditColumnsFromText1765300000000 implements MigrationInterface {
  name = 'AuditColumnsFromText1765300000000';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    await runner.query(`CREATE TABLE audit_entries_from_text ${auditTableBody(postgres ? 'postgres' : 'sqlite')}`);
    await runner.query('INSERT INTO audit_entries_from_text (seq, canonical, hash) SELECT seq, canonical, hash FROM audit_entries ORDER BY seq');
    // DROP TABLE fires no row trigger: the old table's own triggers and indexes go with it.
    await runner.query('DROP TABLE audit_entries');
    await runner.query('ALTER TABLE audit_entries_from_text RENAME TO audit_entries');
    if (postgres) await runner.query('ALTER INDEX audit_entries_from_text_pkey RENAME TO audit_entries_pkey');
    for (const [name, columns] of AUDIT_INDEXES) await runner.query(`CREATE INDEX ${name} ON audit_entries (${columns})`);
    if (postgres) {
      await runner.query('CREATE TRIGGER audit_entries_no_update_delete BEFORE UPDATE OR DELETE ON audit_entries FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()');
      await runner.query('CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()');
    } else {
      await runner.query("CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END");
      await runner.query("CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END");
    }
  }

  async down(): Promise<void> {
    throw new Error('the audit columns generated from the text are not taken back: restore a backup made before the upgrade');
  }
}
