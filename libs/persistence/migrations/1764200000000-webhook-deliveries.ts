import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The webhook outbox: written with the audit entry it carries, delivered (and retried) afterwards. */
export class WebhookDeliveries1764200000000 implements MigrationInterface {
  name = 'WebhookDeliveries1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE webhook_deliveries (
      id TEXT PRIMARY KEY, url TEXT NOT NULL, audit_seq INTEGER NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL,
      attempts INTEGER NOT NULL, next_attempt_at TEXT NOT NULL, last_error TEXT NULL, created_at TEXT NOT NULL,
      delivered_at TEXT NULL)`);
    await runner.query('CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (status, next_attempt_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE webhook_deliveries');
  }
}
