import type { CompiledChain } from '@shenpi/chains';
import { DomainError, ErrorCode, newId } from '@shenpi/domain';
import type { DeadlineRow, DepartmentRow, DocumentRow, Repositories } from '@shenpi/persistence';
import { resolveDepartment } from './access-rules.js';
import type { DeadlinePlanner, PlannedTimer } from './deadline-planner.port.js';

/**
 * Entering a step opens its task (in the department the step names) and writes its deadline
 * rows, in the caller's transaction; the document's dueAt follows the step's due row, returned.
 */
export async function enterStep(
  repos: Repositories,
  chain: CompiledChain,
  doc: DocumentRow,
  department: DepartmentRow,
  at: string,
  planner: DeadlinePlanner,
): Promise<string | null> {
  const step = chain.step(doc.state);
  if (!step.assignee) {
    if (doc.dueAt !== null) await repos.documents.setDueAt(doc.id, null);
    return null;
  }
  const departmentId = resolveDepartment(step.assignee, doc, department);
  if (!departmentId) {
    throw new DomainError(ErrorCode.CONFLICT, `department ${doc.departmentId} has no rule-of-law office to send step ${step.key} to`);
  }
  const round = (doc.context as { rounds?: Record<string, number> }).rounds?.[step.key] ?? 1;
  const timers = planner.plan(step, new Date(at), doc.year);
  const dueAt = timers.find((t) => t.kind === 'due')?.fireAt.toISOString() ?? null;
  const taskId = newId(new Date(at).getTime());
  await repos.tasks.insert({
    id: taskId,
    documentId: doc.id,
    stepKey: step.key,
    round,
    departmentId,
    assigneeRole: step.assignee.role,
    assigneeUserId: null,
    status: 'open',
    decision: null,
    comment: null,
    decidedBy: null,
    onBehalfOf: null,
    delegatedFrom: null,
    dueAt,
    createdAt: at,
    closedAt: null,
  });
  await writeTimers(repos, doc.id, step.key, { id: taskId, round }, timers, at);
  if (dueAt !== doc.dueAt) await repos.documents.setDueAt(doc.id, dueAt);
  return dueAt;
}

/** Writes a step's planned timers as deadline rows (pending; woken after commit). */
export async function writeTimers(
  repos: Repositories,
  documentId: string,
  stepKey: string,
  task: { id: string; round: number } | null,
  timers: PlannedTimer[],
  at: string,
): Promise<void> {
  for (const t of timers) {
    const row: DeadlineRow = {
      id: newId(new Date(at).getTime()),
      documentId,
      taskId: task?.id ?? null,
      stepKey,
      round: task?.round ?? 1,
      kind: t.kind,
      fireAt: t.fireAt.toISOString(),
      status: 'pending',
      provisional: t.provisional,
      payload: t.payload,
      version: 1,
      createdAt: at,
      firedAt: null,
    };
    await repos.deadlines.insert(row);
  }
}

/** Leaving a step cancels what is still open there: tasks and timers. */
export async function leaveStep(repos: Repositories, documentId: string, stepKey: string, at: string): Promise<void> {
  await repos.tasks.cancelOpen(documentId, stepKey, at);
  await repos.deadlines.cancelPending(documentId, stepKey);
}
