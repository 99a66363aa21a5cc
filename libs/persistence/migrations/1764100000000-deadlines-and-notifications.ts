import type { MigrationInterface, QueryRunner } from 'typeorm';

const statements = [
  // The truth about every timer: BullMQ jobs and the poller only wake up workers to look here.
  `CREATE TABLE deadlines (
     id TEXT PRIMARY KEY, document_id TEXT NOT NULL REFERENCES documents(id), task_id TEXT NULL REFERENCES tasks(id),
     step_key TEXT NOT NULL, round INTEGER NOT NULL, kind TEXT NOT NULL, fire_at TEXT NOT NULL, status TEXT NOT NULL,
     provisional INTEGER NOT NULL, payload TEXT NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL,
     fired_at TEXT NULL)`,
  `CREATE INDEX deadlines_pending ON deadlines (status, fire_at)`,
  `CREATE INDEX deadlines_document ON deadlines (document_id, status)`,
  `CREATE TABLE notifications (
     id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), kind TEXT NOT NULL, document_id TEXT NULL,
     task_id TEXT NULL, message TEXT NOT NULL, details TEXT NOT NULL, created_at TEXT NOT NULL, read_at TEXT NULL)`,
  `CREATE INDEX notifications_user ON notifications (user_id, id)`,
];

export class DeadlinesAndNotifications1764100000000 implements MigrationInterface {
  name = 'DeadlinesAndNotifications1764100000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE notifications');
    await runner.query('DROP TABLE deadlines');
  }
}
