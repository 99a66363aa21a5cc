import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log as an RFC 9162 Merkle tree: the hashes of its perfect subtrees (level 0 are the
 * leaves, one per entry, index seq - 1; level L index i covers leaves [i·2^L, (i+1)·2^L)), written
 * after the entries' own commits, and the signed tree heads. Both append-only, like the log.
 */
export class AuditMerkleTree1765000000000 implements MigrationInterface {
  name = 'AuditMerkleTree1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    const big = postgres ? 'BIGINT' : 'INTEGER';
    await runner.query(`CREATE TABLE audit_tree_nodes (level INTEGER NOT NULL, idx ${big} NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (level, idx))`);
    await runner.query(`CREATE TABLE audit_tree_heads (
      tree_size ${big} PRIMARY KEY, root_hash TEXT NOT NULL, timestamp TEXT NOT NULL, key_id TEXT NOT NULL, suite TEXT NOT NULL, signature TEXT NOT NULL)`);
    for (const table of ['audit_tree_nodes', 'audit_tree_heads']) {
      if (postgres) {
        await runner.query(`CREATE TRIGGER ${table}_no_update_delete BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()`);
        await runner.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()`);
      } else {
        await runner.query(`CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`);
        await runner.query(`CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`);
      }
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE audit_tree_heads');
    await runner.query('DROP TABLE audit_tree_nodes');
  }
}
