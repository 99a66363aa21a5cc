import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite: a role's open tasks are listed in `open_role_tasks` (clustered by department, role and task
 * id), which closing a task leaves alone; a sweeper takes the closed ones out later, many at a time.
 * The partial index of open tasks it replaces (`tasks_open_role`) lost an entry on a random page with
 * every decision (the bench's WAL attribution: 0.96 pages per decision), since the tasks a role closes
 * were opened in any order. Now a decision writes nothing there but the entry of the task it opens, at
 * the end of its role's range; closing a task appends its id to `open_role_tasks_closed`, and the
 * sweep (OpenInbox) removes those entries in one statement per batch, when the pages they sit on are
 * shared by many. The inbox reads a role's open tasks from the list and keeps those still open: an
 * entry not yet swept is read past, never shown.
 *
 * Triggers keep both, whoever inserts or closes a task. PostgreSQL keeps its partial index: an
 * update there writes every index of the row anew whatever it changed.
 */
export class OpenInboxSwept1767100000000 implements MigrationInterface {
  name = 'OpenInboxSwept1767100000000';

  async up(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type === 'postgres') return;
    await runner.query(
      `CREATE TABLE open_role_tasks (department_id TEXT NOT NULL, assignee_role TEXT NOT NULL, task_id TEXT NOT NULL, PRIMARY KEY (department_id, assignee_role, task_id)) WITHOUT ROWID`,
    );
    await runner.query(`INSERT INTO open_role_tasks SELECT department_id, assignee_role, id FROM tasks WHERE status = 'open' AND assignee_role IS NOT NULL`);
    await runner.query('CREATE TABLE open_role_tasks_closed (seq INTEGER PRIMARY KEY, task_id TEXT NOT NULL)');
    const list = 'INSERT OR IGNORE INTO open_role_tasks (department_id, assignee_role, task_id) VALUES (NEW.department_id, NEW.assignee_role, NEW.id)';
    await runner.query(`CREATE TRIGGER tasks_open_listed AFTER INSERT ON tasks WHEN NEW.status = 'open' AND NEW.assignee_role IS NOT NULL BEGIN ${list}; END`);
    // No code reopens a task or moves it to another role; a statement typed by hand that does is listed too.
    await runner.query(
      `CREATE TRIGGER tasks_open_relisted AFTER UPDATE OF status, department_id, assignee_role ON tasks WHEN NEW.status = 'open' AND NEW.assignee_role IS NOT NULL BEGIN ${list}; END`,
    );
    await runner.query(
      `CREATE TRIGGER tasks_open_closed AFTER UPDATE OF status ON tasks WHEN OLD.status = 'open' AND NEW.status <> 'open' AND OLD.assignee_role IS NOT NULL
         BEGIN INSERT INTO open_role_tasks_closed (task_id) VALUES (NEW.id); END`,
    );
    await runner.query('DROP INDEX tasks_open_role');
  }

  async down(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type === 'postgres') return;
    for (const trigger of ['tasks_open_listed', 'tasks_open_relisted', 'tasks_open_closed']) await runner.query(`DROP TRIGGER ${trigger}`);
    for (const table of ['open_role_tasks', 'open_role_tasks_closed']) await runner.query(`DROP TABLE ${table}`);
    await runner.query(`CREATE INDEX tasks_open_role ON tasks (department_id, assignee_role, id, assignee_user_id, status) WHERE status = 'open'`);
  }
}
