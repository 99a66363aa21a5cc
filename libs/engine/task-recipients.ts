import type { Repositories, TaskRow } from '@shenpi/persistence';

/** Who a task's notifications reach: the user it was handed to, or every holder of its role there. */
export async function taskRecipients(repos: Repositories, task: TaskRow | undefined): Promise<string[]> {
  if (!task) return [];
  if (task.assigneeUserId) return [task.assigneeUserId];
  return task.assigneeRole ? repos.directory.holders(task.assigneeRole, task.departmentId) : [];
}

/** Who a step's reminders reach: the holders of every task still open in it (countersign: each signer due). */
export async function stepRecipients(repos: Repositories, documentId: string, stepKey: string): Promise<string[]> {
  const open = (await repos.tasks.openForDocument(documentId)).filter((t) => t.stepKey === stepKey);
  const users = await Promise.all(open.map((t) => taskRecipients(repos, t)));
  return [...new Set(users.flat())];
}
