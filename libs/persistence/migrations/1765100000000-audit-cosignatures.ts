import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Witnesses' signatures over tree heads they checked (append-only, like the heads). */
export class AuditCosignatures1765100000000 implements MigrationInterface {
  name = 'AuditCosignatures1765100000000';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    const big = postgres ? 'BIGINT' : 'INTEGER';
    await runner.query(`CREATE TABLE audit_tree_cosignatures (
      tree_size ${big} NOT NULL, witness_key_id TEXT NOT NULL, public_key TEXT NOT NULL, signature TEXT NOT NULL, at TEXT NOT NULL,
      PRIMARY KEY (tree_size, witness_key_id))`);
    if (postgres) {
      await runner.query('CREATE TRIGGER audit_tree_cosignatures_no_update_delete BEFORE UPDATE OR DELETE ON audit_tree_cosignatures FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()');
      await runner.query('CREATE TRIGGER audit_tree_cosignatures_no_truncate BEFORE TRUNCATE ON audit_tree_cosignatures FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()');
    } else {
      await runner.query("CREATE TRIGGER audit_tree_cosignatures_no_update BEFORE UPDATE ON audit_tree_cosignatures BEGIN SELECT RAISE(ABORT, 'audit_tree_cosignatures is append-only'); END");
      await runner.query("CREATE TRIGGER audit_tree_cosignatures_no_delete BEFORE DELETE ON audit_tree_cosignatures BEGIN SELECT RAISE(ABORT, 'audit_tree_cosignatures is append-only'); END");
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE audit_tree_cosignatures');
  }
}
