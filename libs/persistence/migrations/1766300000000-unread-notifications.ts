import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index of each user's unread notifications only (marking one read removes its entry). The web
 * interface's badge asks, every time it loads, for the first page of the unread ones and how many
 * there are in all; from notifications_user both walked every notification the user ever had. Here
 * the count reads the index alone (`kind` in it: the kinds a user muted are left out without reading
 * the table), and the unread page walks only unread entries, newest first by `id`. `read_at` is in
 * the key though always NULL there: SQLite then counts from the index without the table.
 */
export class UnreadNotifications1766300000000 implements MigrationInterface {
  name = 'UnreadNotifications1766300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE INDEX notifications_unread ON notifications (user_id, read_at, id, kind) WHERE read_at IS NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX notifications_unread');
  }
}
