import type { StepDefinition } from '@shenpi/chains';
import { DomainError, ErrorCode, validationFailed, type Principal } from '@shenpi/domain';
import type { DocumentRow, Repositories, TaskRow } from '@shenpi/persistence';
import { asPerson, judgeAll, leavesSeatToNobody, separationRefused, type ReviewRound, type StepSeats } from './separation-of-duties.js';

/** 加签 per step and round unless the chain says otherwise (`maxAddedSigners`). */
export const DEFAULT_MAX_ADDED_SIGNERS = 10;

/**
 * 加签: the added signer holds a role in the task's department (or its document's), is not the
 * caller, is not already a signer of the step, is no supervisor, and may decide the step under
 * separation of duties; the step takes at most `maxAddedSigners` of them per round.
 */
export async function checkAddSigner(
  repos: Repositories,
  target: Principal | undefined,
  caller: Principal,
  task: TaskRow,
  doc: DocumentRow,
  step: StepDefinition,
  round: ReviewRound,
  seats: StepSeats,
): Promise<void> {
  const signing = seats.signing;
  const reason = !target
    ? 'no such user'
    : !target.grants.some((g) => g.departmentId === task.departmentId || g.departmentId === doc.departmentId)
      ? `must hold a role in ${task.departmentId}`
      : target.id === caller.id
        ? 'you already sign this step'
        : asPerson(target).supervisor
          ? 'a supervisor does not sign'
          : // Whom the task is held for votes through it already.
            target.id === task.delegatedFrom || signing?.slots.some((slot) => slot.signers.some((s) => s.userId === target.id))
            ? 'this user already signs this step'
            : (await repos.directory.accountState(target.id))?.disabled
              ? 'the user is disabled'
              : null;
  if (reason) throw validationFailed([{ field: 'userId', reason }]);
  // 403 before 409 (API.md's order of checks).
  const attempt = { action: 'add-signer', documentId: doc.id, departmentId: doc.departmentId, taskId: task.id };
  const { rule } = judgeAll(round, { step, round: task.round, role: null, departmentId: task.departmentId }, [asPerson(target!)], seats);
  if (rule) throw separationRefused(rule, attempt, target!.id);
  if (await leavesSeatToNobody(repos, target!, caller, seats, round, step)) throw separationRefused('second-vote-in-step', attempt, target!.id);
  const limit = step.maxAddedSigners ?? DEFAULT_MAX_ADDED_SIGNERS;
  if ((signing?.added ?? 0) >= limit) {
    throw new DomainError(ErrorCode.CONFLICT, `at most ${limit} signers are added to step ${step.key} in one round`, { limit });
  }
}
