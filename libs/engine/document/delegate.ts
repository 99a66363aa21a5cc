import type { StepDefinition } from '@shenpi/chains';
import { holdsRole, validationFailed, type Principal } from '@shenpi/domain';
import type { DocumentRow, TaskRow } from '@shenpi/persistence';
import { asPerson, judgeAll, separationRefused, type ReviewRound, type StepSeats } from './separation-of-duties.js';

/**
 * 转交 and an administrator's reassignment: a role's task goes only to another holder of the role
 * in its department, a named user's task to someone holding a role there; never to a supervisor,
 * and never to someone separation of duties keeps from deciding it (the decision would be refused).
 */
export function checkDelegate(
  target: Principal | undefined,
  from: string,
  task: TaskRow,
  doc: DocumentRow,
  step: StepDefinition,
  round: ReviewRound,
  seats: StepSeats,
  action: 'delegate' | 'reassign',
): void {
  const eligible = (p: Principal) =>
    task.assigneeRole ? holdsRole(p, task.assigneeRole, task.departmentId) : p.grants.some((g) => g.departmentId === task.departmentId);
  const reason =
    !target || !eligible(target)
      ? `must be a user holding ${task.assigneeRole ?? 'a role'} in ${task.departmentId}`
      : target.id === from
        ? 'the task is already yours'
        : asPerson(target).supervisor
          ? 'a supervisor does not decide'
          : null;
  if (reason) throw validationFailed([{ field: 'toUserId', reason }]);
  const { rule } = judgeAll(round, { step, round: task.round, role: task.assigneeRole }, [asPerson(target!)], seats);
  if (rule) throw separationRefused(rule, { action, documentId: doc.id, departmentId: doc.departmentId, taskId: task.id }, target!.id);
}
