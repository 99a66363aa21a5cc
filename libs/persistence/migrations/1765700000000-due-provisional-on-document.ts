import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The document row keeps whether its due instant is provisional, beside the instant: a view of a
 * document or a page of them no longer reads the step's due timer for it (the row is the current
 * state). Carried from the live due timer: pending, of the step the document is in, its latest round.
 */
export class DueProvisionalOnDocument1765700000000 implements MigrationInterface {
  name = 'DueProvisionalOnDocument1765700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE documents ADD COLUMN due_provisional INTEGER NOT NULL DEFAULT 0');
    await runner.query(
      `UPDATE documents SET due_provisional = 1 WHERE EXISTS (
         SELECT 1 FROM deadlines x WHERE x.document_id = documents.id AND x.kind = 'due' AND x.status = 'pending' AND x.provisional = 1
           AND x.step_key = documents.state
           AND x.round = (SELECT MAX(y.round) FROM deadlines y WHERE y.document_id = documents.id AND y.step_key = documents.state))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE documents DROP COLUMN due_provisional');
  }
}
