import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency-Key: a client that lost the answer to a write retries it with the same key and gets
 * the first answer back. The key is written in the transaction of the change it guards, so a
 * committed change always has its key; the answer is stored just after the commit.
 */
export class IdempotencyKeys1764500000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE idempotency_keys (
      principal_id TEXT NOT NULL,
      key TEXT NOT NULL,
      fingerprint TEXT NOT NULL,
      document_id TEXT,
      task_id TEXT,
      status_code INTEGER,
      response TEXT,
      created_at TEXT NOT NULL,
      PRIMARY KEY (principal_id, key))`);
    await runner.query('CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE idempotency_keys');
  }
}
