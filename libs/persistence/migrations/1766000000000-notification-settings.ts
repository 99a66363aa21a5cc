import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A user's notification settings (an e-mail address, and per kind whether it shows in-app and goes by
 * e-mail), and, per notification, whether the e-mail deliverer has dealt with it: NULL until then, so
 * the deliverer finds the new ones by a partial index. Existing notifications are not mailed.
 */
export class NotificationSettings1766000000000 implements MigrationInterface {
  name = 'NotificationSettings1766000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE users ADD COLUMN notification_settings TEXT NULL');
    await runner.query('ALTER TABLE notifications ADD COLUMN mailed TEXT NULL');
    await runner.query(`UPDATE notifications SET mailed = 'before-settings'`);
    await runner.query('CREATE INDEX notifications_unmailed ON notifications (id) WHERE mailed IS NULL');
    await runner.query(
      `CREATE TABLE email_outbox (
         id TEXT PRIMARY KEY,
         notification_id TEXT NOT NULL UNIQUE,
         to_address TEXT NOT NULL,
         subject TEXT NOT NULL,
         body TEXT NOT NULL,
         status TEXT NOT NULL,
         attempts INTEGER NOT NULL,
         next_attempt_at TEXT NOT NULL,
         last_error TEXT NULL,
         created_at TEXT NOT NULL,
         sent_at TEXT NULL
       )`,
    );
    await runner.query(`CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE status = 'pending'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE email_outbox');
    await runner.query('DROP INDEX notifications_unmailed');
    await runner.query('ALTER TABLE notifications DROP COLUMN mailed');
    await runner.query('ALTER TABLE users DROP COLUMN notification_settings');
  }
}
