import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Closing a task or leaving a step moves no index entry that need not move. Each decision closed a
 * task and cancelled its step's timers, and every index with `status` in its key moved those rows
 * from one part of the index to another, two B-tree pages apiece (measured by the bench's WAL
 * attribution). Now:
 * - a document's tasks and timers are found by document alone (a document has a few dozen at most);
 * - `decided_by` and `assignee_user_id` are indexed only where set (an open task has no decider,
 *   and most tasks go to a role, not a person): opening or closing a role's task leaves them alone;
 * - a role's inbox reads its open tasks from an index of open tasks only (closing one removes its
 *   entry) and its done tasks from an index of all its tasks, which closing does not change.
 */
export class LeanTaskIndexes1765500000000 implements MigrationInterface {
  name = 'LeanTaskIndexes1765500000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const index of ['tasks_document', 'tasks_decided', 'tasks_inbox_user', 'tasks_inbox_role', 'deadlines_document']) await runner.query(`DROP INDEX ${index}`);
    await runner.query('CREATE INDEX tasks_document ON tasks (document_id)');
    await runner.query('CREATE INDEX tasks_decided ON tasks (decided_by, id) WHERE decided_by IS NOT NULL');
    await runner.query('CREATE INDEX tasks_inbox_user ON tasks (assignee_user_id, status, id) WHERE assignee_user_id IS NOT NULL');
    // Covering (every column the inbox's open branch reads): SQLite, which keeps no statistics here,
    // then prefers it to tasks_role for open tasks whatever the order the two were made in.
    await runner.query(`CREATE INDEX tasks_open_role ON tasks (department_id, assignee_role, id, assignee_user_id, status) WHERE status = 'open'`);
    await runner.query('CREATE INDEX tasks_role ON tasks (department_id, assignee_role, id)');
    await runner.query('CREATE INDEX deadlines_document ON deadlines (document_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const index of ['tasks_document', 'tasks_decided', 'tasks_inbox_user', 'tasks_open_role', 'tasks_role', 'deadlines_document']) await runner.query(`DROP INDEX ${index}`);
    await runner.query('CREATE INDEX tasks_document ON tasks (document_id, status)');
    await runner.query('CREATE INDEX tasks_decided ON tasks (decided_by, status, id)');
    await runner.query('CREATE INDEX tasks_inbox_user ON tasks (assignee_user_id, status, id)');
    await runner.query('CREATE INDEX tasks_inbox_role ON tasks (department_id, assignee_role, status, id)');
    await runner.query('CREATE INDEX deadlines_document ON deadlines (document_id, status)');
  }
}
