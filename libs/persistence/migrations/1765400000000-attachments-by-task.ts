import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A decision reads the attachments of its task (to name them in the audit entry): by index, not by scanning every attachment. */
export class AttachmentsByTask1765400000000 implements MigrationInterface {
  name = 'AttachmentsByTask1765400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE INDEX attachments_task ON attachments (task_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX attachments_task');
  }
}
