import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications of new work and of what happened to one's documents are derived from the audit log
 * after the fact (libs/engine/notification-feed.ts): the feed's cursor is the last entry it read. An
 * existing database starts at its head (its history is not announced again). A task is announced to a
 * person once, whichever entry the feed meets it in.
 */
export class NotificationFeed1765900000000 implements MigrationInterface {
  name = 'NotificationFeed1765900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE notification_feed (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL)');
    await runner.query('INSERT INTO notification_feed (id, seq) SELECT 1, COALESCE(MAX(seq), 0) FROM audit_entries');
    await runner.query(`CREATE UNIQUE INDEX notifications_task_once ON notifications (task_id, user_id) WHERE kind = 'task-assigned'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX notifications_task_once');
    await runner.query('DROP TABLE notification_feed');
  }
}
