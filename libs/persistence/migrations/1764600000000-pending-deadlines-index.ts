import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The scheduler's index holds pending deadline rows only. Every step a document leaves cancels its
 * rows: with (status, fire_at) each of them moved from the pending part of the index to the
 * cancelled part, two B-tree pages apiece at their fire times; now each is only removed. On the
 * bench that made the cancelling UPDATE the dearest statement of a decision. Every query the index
 * serves asks for `status = 'pending'` (due rows, the earliest due time).
 */
export class PendingDeadlinesIndex1764600000000 implements MigrationInterface {
  name = 'PendingDeadlinesIndex1764600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX deadlines_pending');
    await runner.query(`CREATE INDEX deadlines_pending ON deadlines (fire_at, id) WHERE status = 'pending'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX deadlines_pending');
    await runner.query('CREATE INDEX deadlines_pending ON deadlines (status, fire_at)');
  }
}
