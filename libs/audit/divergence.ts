import { createHash } from 'node:crypto';
import type { TaskRow } from '@shenpi/persistence';

/**
 * A document row's field, or its open tasks, saying something other than the document's last audit
 * entry; or (verify, SQLite) the row's list of its tasks, timers or transition entries (`taskIds`,
 * `timerIds`, `transitionSeqs`) other than what their table holds for it (`log`: the table's ids or
 * seqs, `table`: the row's list).
 */
export interface Mismatch {
  field: 'state' | 'version' | 'openTasks' | 'taskIds' | 'timerIds' | 'transitionSeqs';
  log: unknown;
  table: unknown;
}

/** What of an open task its audit entry vouches for: whose it is, in which step, for whom. */
type Held = Pick<TaskRow, 'id' | 'stepKey' | 'round' | 'departmentId' | 'assigneeRole' | 'assigneeUserId' | 'delegatedFrom' | 'signer'>;

/**
 * The open tasks of a document as one digest, which each transition entry records: a task handed
 * to someone in the tasks table behind the service's back no longer matches what the log says.
 */
export function openTasksDigest(tasks: readonly Held[]): string {
  const held = [...tasks]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((t) => [t.id, t.stepKey, t.round, t.departmentId, t.assigneeRole, t.assigneeUserId, t.delegatedFrom, t.signer]);
  return createHash('sha256').update(JSON.stringify(held)).digest('hex').slice(0, 32);
}

/**
 * What the row must agree with: the state its last transition entry left, the version that entry
 * recorded, and the open tasks' digest it recorded (entries that change no version, an urge say,
 * record no version; entries older than the digest record none). The kernel checks it before every
 * change; verify checks every document.
 */
export function rowVersusLog(
  row: { state: string; version: number },
  last: { to: string | null; version: number | undefined; openTasks?: string },
  openTasks?: string,
): Mismatch | undefined {
  if (last.to !== row.state) return { field: 'state', log: last.to, table: row.state };
  if (last.version !== undefined && last.version !== row.version) return { field: 'version', log: last.version, table: row.version };
  if (last.openTasks !== undefined && openTasks !== undefined && last.openTasks !== openTasks) return { field: 'openTasks', log: last.openTasks, table: openTasks };
  return undefined;
}
