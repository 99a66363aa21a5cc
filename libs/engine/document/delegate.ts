import type { StepDefinition } from '@shenpi/chains';
import { holdsRole, validationFailed, type Principal } from '@shenpi/domain';
import type { DocumentRow, Repositories, TaskRow } from '@shenpi/persistence';
import { asPerson, judgeAll, leavesSeatToNobody, seatOf, separationRefused, type Person, type ReviewRound, type StepSeats } from './separation-of-duties.js';

/**
 * 转交 and an administrator's reassignment: a role's task goes only to another holder of the role
 * in its department, a named user's task to someone holding a role there; never to a supervisor,
 * and never to someone separation of duties keeps from deciding it (the decision would be refused).
 * The decision is then made on behalf of `heldFor` (the one handing it on, or for a reassignment the
 * user it leaves), so they are judged with the target.
 */
export async function checkDelegate(
  repos: Repositories,
  target: Principal | undefined,
  heldFor: Person | undefined,
  caller: Principal,
  task: TaskRow,
  doc: DocumentRow,
  step: StepDefinition,
  round: ReviewRound,
  seats: StepSeats,
  action: 'delegate' | 'reassign',
): Promise<void> {
  const eligible = (p: Principal) =>
    task.assigneeRole ? holdsRole(p, task.assigneeRole, task.departmentId) : p.grants.some((g) => g.departmentId === task.departmentId);
  const reason =
    !target || !eligible(target)
      ? `must be a user holding ${task.assigneeRole ?? 'a role'} in ${task.departmentId}`
      : target.id === caller.id
        ? 'the task is already yours'
        : asPerson(target).supervisor
          ? 'a supervisor does not decide'
          : (await repos.directory.accountState(target.id))?.disabled
            ? 'the user is disabled'
            : null;
  if (reason) throw validationFailed([{ field: 'toUserId', reason }]);
  const attempt = { action, documentId: doc.id, departmentId: doc.departmentId, taskId: task.id };
  const verdict = judgeAll(round, seatOf(task, step), [asPerson(target!), ...(heldFor ? [heldFor] : [])], seats);
  if (verdict.rule) throw separationRefused(verdict.rule, attempt, verdict.userId);
  // Nor to someone who alone could decide another open seat of the step.
  if (await leavesSeatToNobody(repos, target!, caller, seats, round, step)) throw separationRefused('second-vote-in-step', attempt, target!.id);
}
