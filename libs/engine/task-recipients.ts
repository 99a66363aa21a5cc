import type { Repositories, TaskRow } from '@shenpi/persistence';

/** Who a task's notifications reach: the user it was handed to, or every holder of its role there. */
export async function taskRecipients(repos: Repositories, task: TaskRow | undefined): Promise<string[]> {
  if (!task) return [];
  if (task.assigneeUserId) return [task.assigneeUserId];
  return task.assigneeRole ? repos.directory.holders(task.assigneeRole, task.departmentId) : [];
}
