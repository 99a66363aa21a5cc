import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The "done" inbox lists tasks newest closed first, on indexes that take a closed task at the end of
 * its key's range. Closing a task put an entry into the index by decider at the old task's id: a
 * random page per decision (the bench's WAL attribution: `tasks_decided` 1.35 pages), since the
 * tasks a reviewer closes were opened in any order. Keyed by (closed_at, id), the entries a commit's
 * decisions add sit side by side at the end of each decider's, role's or user's range.
 * - `tasks_decided` (decided_by, closed_at, id) where decided_by is set;
 * - `tasks_done_role` (department_id, assignee_role, closed_at, id, assignee_user_id) of done tasks,
 *   covering what the role branch filters on, in place of `tasks_role` (all tasks by role, id), which
 *   only that branch read;
 * - a user's open and done tasks each on an index of its own (`tasks_open_user`, `tasks_done_user`),
 *   in place of `tasks_inbox_user` (assignee_user_id, status, id), whose key closing moved.
 * A closed task without a closing instant (none is written so; a row typed by hand) takes its opening one.
 */
export class DoneInboxByClosing1767000000000 implements MigrationInterface {
  name = 'DoneInboxByClosing1767000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`UPDATE tasks SET closed_at = created_at WHERE status <> 'open' AND closed_at IS NULL`);
    for (const index of ['tasks_decided', 'tasks_role', 'tasks_inbox_user']) await runner.query(`DROP INDEX ${index}`);
    await runner.query('CREATE INDEX tasks_decided ON tasks (decided_by, closed_at, id) WHERE decided_by IS NOT NULL');
    await runner.query(`CREATE INDEX tasks_done_role ON tasks (department_id, assignee_role, closed_at, id, assignee_user_id) WHERE status = 'done'`);
    await runner.query(`CREATE INDEX tasks_open_user ON tasks (assignee_user_id, id) WHERE status = 'open' AND assignee_user_id IS NOT NULL`);
    await runner.query(`CREATE INDEX tasks_done_user ON tasks (assignee_user_id, closed_at, id) WHERE status = 'done' AND assignee_user_id IS NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const index of ['tasks_decided', 'tasks_done_role', 'tasks_open_user', 'tasks_done_user']) await runner.query(`DROP INDEX ${index}`);
    await runner.query('CREATE INDEX tasks_decided ON tasks (decided_by, id) WHERE decided_by IS NOT NULL');
    await runner.query('CREATE INDEX tasks_role ON tasks (department_id, assignee_role, id)');
    await runner.query('CREATE INDEX tasks_inbox_user ON tasks (assignee_user_id, status, id) WHERE assignee_user_id IS NOT NULL');
  }
}
