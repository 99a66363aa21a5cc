import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the richer chain language needs: the signer a task was opened for (countersign), the
 * issuing organ's code and yearly number sequences, out-of-office proxies, copies (抄送),
 * attachments, and batch migrations of running documents to a newer chain version.
 */
export class ChainLanguage1764300000000 implements MigrationInterface {
  name = 'ChainLanguage1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE tasks ADD COLUMN signer TEXT NULL');
    await runner.query('ALTER TABLE departments ADD COLUMN issuer_code TEXT NULL');
    await runner.query(`CREATE TABLE document_numbers (
      department_id TEXT NOT NULL, year INTEGER NOT NULL, last INTEGER NOT NULL, PRIMARY KEY (department_id, year))`);
    await runner.query(`CREATE TABLE proxies (
      id TEXT PRIMARY KEY, user_id TEXT NOT NULL, substitute_id TEXT NOT NULL, starts_at TEXT NOT NULL, ends_at TEXT NOT NULL,
      created_at TEXT NOT NULL, cancelled_at TEXT NULL)`);
    await runner.query('CREATE INDEX proxies_user ON proxies (user_id, starts_at)');
    await runner.query(`CREATE TABLE document_copies (
      document_id TEXT NOT NULL, user_id TEXT NOT NULL, copied_by TEXT NOT NULL, created_at TEXT NOT NULL,
      PRIMARY KEY (document_id, user_id))`);
    await runner.query('CREATE INDEX document_copies_user ON document_copies (user_id)');
    await runner.query(`CREATE TABLE attachments (
      id TEXT PRIMARY KEY, document_id TEXT NOT NULL, task_id TEXT NULL, name TEXT NOT NULL, content_type TEXT NOT NULL,
      size INTEGER NOT NULL, sha256 TEXT NOT NULL, uploaded_by TEXT NOT NULL, created_at TEXT NOT NULL)`);
    await runner.query('CREATE INDEX attachments_document ON attachments (document_id)');
    await runner.query(`CREATE TABLE chain_migrations (
      id TEXT PRIMARY KEY, chain_key TEXT NOT NULL, to_version INTEGER NOT NULL, mapping TEXT NOT NULL, status TEXT NOT NULL,
      total INTEGER NOT NULL, done INTEGER NOT NULL, failed INTEGER NOT NULL, failures TEXT NOT NULL, created_by TEXT NOT NULL,
      created_at TEXT NOT NULL, finished_at TEXT NULL)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['chain_migrations', 'attachments', 'document_copies', 'proxies', 'document_numbers']) await runner.query(`DROP TABLE ${table}`);
    await runner.query('ALTER TABLE departments DROP COLUMN issuer_code');
    await runner.query('ALTER TABLE tasks DROP COLUMN signer');
  }
}
