import type { Sql } from '../sql.js';

/**
 * SQLite: a role's open tasks are read from `open_role_tasks`, which closing a task leaves alone
 * (migration 1767100000000); the sweep takes closed tasks out later, many at a time. PostgreSQL: its
 * partial index of open tasks.
 */

/**
 * The FROM clause and condition of the inbox's branch for one role (`?` the role, then the
 * department), of open tasks not handed to a user, and the column its pages are keyed and ordered
 * on. An entry whose task is closed (not swept yet) or is no longer the role's is read past.
 */
export function openRoleTasks(kind: Sql['kind']): { from: string; key: string } {
  if (kind === 'postgres') {
    return { from: `tasks t WHERE t.status = 'open' AND t.assignee_user_id IS NULL AND t.assignee_role = ? AND t.department_id = ?`, key: 't.id' };
  }
  return {
    from: `open_role_tasks o JOIN tasks t ON t.id = o.task_id AND t.department_id = o.department_id AND t.assignee_role = o.assignee_role
      WHERE o.assignee_role = ? AND o.department_id = ? AND t.status = 'open' AND t.assignee_user_id IS NULL`,
    key: 'o.task_id',
  };
}

/**
 * SQLite: takes the entries of up to `limit` tasks closed since the last sweep out of the list of
 * open tasks, oldest closing first, in one statement each for the list and the queue; returns how
 * many closings it took. A task opened again since (by hand) keeps its entry.
 */
export async function sweepOpenRoleTasks(sql: Sql, limit: number): Promise<number> {
  if (sql.kind === 'postgres') return 0;
  const upto = (await sql.one<{ seq: number | null; n: number }>('SELECT MAX(seq) AS seq, COUNT(*) AS n FROM (SELECT seq FROM open_role_tasks_closed ORDER BY seq LIMIT ?)', [limit]))!;
  if (upto.seq === null) return 0;
  await sql.run(
    `DELETE FROM open_role_tasks WHERE (department_id, assignee_role, task_id) IN (
       SELECT t.department_id, t.assignee_role, t.id FROM open_role_tasks_closed c JOIN tasks t ON t.id = c.task_id WHERE c.seq <= ? AND t.status <> 'open')`,
    [upto.seq],
  );
  await sql.run('DELETE FROM open_role_tasks_closed WHERE seq <= ?', [upto.seq]);
  return Number(upto.n);
}
