import { currentSigners, type CompiledChain, type Signer } from '@shenpi/chains';
import { DomainError, ErrorCode, newId } from '@shenpi/domain';
import type { DeadlineRow, DepartmentRow, DocumentRow, Repositories, StepDue, TaskRow } from '@shenpi/persistence';
import { resolveDepartment } from './access-rules.js';
import type { DeadlinePlanner, PlannedTimer } from '../deadline-planner.port.js';
import { clockOf, signingOf, stepRound } from './document-state.js';
import { DISABLED, Staffing, type Reroute } from './staffing.js';


/**
 * Entering a step opens a task for each signer due to decide now and writes the step's deadline
 * rows, in the caller's transaction. Returns the document's due instant (the step's due row, or
 * none) and whether it is provisional, which the caller writes with the row in the one UPDATE of
 * the change, and the tasks it opened.
 * `staffing` gives the seats to people who may decide them (separation of duties) and keeps what
 * it rerouted for the caller's audit entry.
 */
export async function enterStep(
  repos: Repositories,
  chain: CompiledChain,
  doc: DocumentRow,
  department: DepartmentRow,
  at: string,
  planner: DeadlinePlanner,
  staffing?: Staffing,
): Promise<{ due: StepDue; opened: TaskRow[] }> {
  const step = chain.step(doc.state);
  const signers = currentSigners(signingOf(doc));
  if (!signers.length) return { due: { dueAt: null, dueProvisional: false }, opened: [] };
  const timers = planner.plan(step, new Date(at), doc.year);
  const due = timers.find((t) => t.kind === 'due');
  const dueAt = due?.fireAt.toISOString() ?? null;
  const staff = staffing ?? (await Staffing.of(repos, doc, department));
  const tasks: TaskRow[] = [];
  for (const signer of signers) tasks.push(await openTask(repos, chain, doc, department, signer, dueAt, at, staff));
  // A step decided by one signer keeps its timers on that task (automatic actions decide it).
  const timerTask = tasks.length === 1 && (signingOf(doc)?.slots.length ?? 0) === 1 ? tasks[0] : null;
  await writeTimers(repos, doc.id, step.key, timerTask ?? { id: null, round: tasks[0].round }, timers, at);
  return { due: { dueAt, dueProvisional: due?.provisional ?? false }, opened: tasks };
}

/**
 * Within a step, after a decision that did not settle it or a 加签: open a task for every signer
 * now due who has none, and cancel the open tasks of signers no longer due. Compared by signer id.
 */
export async function syncSigners(repos: Repositories, chain: CompiledChain, doc: DocumentRow, department: DepartmentRow, at: string, staffing?: Staffing): Promise<TaskRow[]> {
  const due = currentSigners(signingOf(doc));
  const open = (await repos.tasks.openForDocument(doc.id)).filter((t) => t.stepKey === doc.state);
  const staff = staffing ?? (await Staffing.of(repos, doc, department));
  for (const task of open) {
    if (!due.some((s) => s.id === task.signer)) await repos.tasks.cancel(task.id, at);
    else staff.hold(task);
  }
  const opened: TaskRow[] = [];
  for (const signer of due) {
    if (!open.some((t) => t.signer === signer.id)) opened.push(await openTask(repos, chain, doc, department, signer, doc.dueAt, at, staff));
  }
  return opened;
}

/**
 * One signer's task, given by `staffing` to people who may decide it: a named user or their
 * substitute while they are away, a role, or where nobody of those may, the step's escalation
 * target or the leader, who are told why.
 */
async function openTask(
  repos: Repositories,
  chain: CompiledChain,
  doc: DocumentRow,
  department: DepartmentRow,
  signer: Signer,
  dueAt: string | null,
  at: string,
  staffing: Staffing,
): Promise<TaskRow> {
  const departmentId = signer.userId ? doc.departmentId : resolveDepartment({ role: signer.role!, department: signer.department ?? 'document' }, doc, department);
  if (!departmentId) {
    throw new DomainError(ErrorCode.CONFLICT, `department ${doc.departmentId} has no rule-of-law office to send step ${doc.state} to`);
  }
  const round = stepRound(doc);
  const assignment = await staffing.assign(signer, chain.step(doc.state), round, departmentId, at);
  const task: TaskRow = {
    id: newId(new Date(at).getTime()),
    documentId: doc.id,
    stepKey: doc.state,
    round,
    departmentId: assignment.departmentId,
    assigneeRole: assignment.assigneeRole,
    assigneeUserId: assignment.assigneeUserId,
    status: 'open',
    decision: null,
    comment: null,
    decidedBy: null,
    onBehalfOf: null,
    delegatedFrom: assignment.delegatedFrom,
    dueAt,
    createdAt: at,
    closedAt: null,
    signer: signer.id,
  };
  await repos.tasks.insert(task);
  if (assignment.reroute?.to) await notifyRerouted(repos, chain, doc, task, assignment.reroute, at);
  return task;
}

/** The holders of the role a seat was rerouted to learn why the task is theirs. */
async function notifyRerouted(repos: Repositories, chain: CompiledChain, doc: DocumentRow, task: TaskRow, reroute: Reroute, at: string): Promise<void> {
  const step = chain.step(task.stepKey).name;
  const message = reroute.excluded.every((x) => x.rule === DISABLED)
    ? `转办：《${doc.title}》${step.zh}指定的审核人员账号已停用，请您办理 / Rerouted: the account of the person named for ${step.en} of "${doc.title}" is disabled; please act on it`
    : `转办：《${doc.title}》${step.zh}的审核人员均须回避（不相容职务分离），请您办理 / Rerouted: everyone named for ${step.en} of "${doc.title}" must stand aside (separation of duties); please act on it`;
  for (const userId of await repos.directory.holders(task.assigneeRole!, task.departmentId)) {
    await repos.notifications.insert({ id: newId(), userId, kind: 'task-rerouted', documentId: doc.id, taskId: task.id, message, details: { stepKey: task.stepKey }, createdAt: at, readAt: null });
  }
}

/** Writes a step's planned timers as deadline rows (pending; woken after commit), for the task that keeps them or the step's round. */
export async function writeTimers(
  repos: Repositories,
  documentId: string,
  stepKey: string,
  task: { id: string | null; round: number },
  timers: PlannedTimer[],
  at: string,
): Promise<void> {
  const rows = timers.map(
    (t): DeadlineRow => ({
      id: newId(new Date(at).getTime()),
      documentId,
      taskId: task.id,
      stepKey,
      round: task.round,
      kind: t.kind,
      fireAt: t.fireAt.toISOString(),
      status: 'pending',
      provisional: t.provisional,
      payload: t.payload,
      version: 1,
      createdAt: at,
      firedAt: null,
    }),
  );
  await repos.deadlines.insert(rows);
}

/**
 * Leaving a step cancels its open tasks: `stillOpen`, the ones the change read under the
 * document's lock and did not close itself (nothing to write when the decision closed the last).
 * Its timers are left as they are: a timer of a stay that is over is stale (timerIsLive) and is
 * cancelled when it comes due, off the decision's path. A paused clock's timers never come due, so
 * those are cancelled here (a pause is rare).
 */
export async function leaveStep(repos: Repositories, doc: DocumentRow, at: string, stillOpen: TaskRow[]): Promise<void> {
  if (stillOpen.some((t) => t.status === 'open' && t.stepKey === doc.state)) await repos.tasks.cancelOpen(doc.id, doc.state, at);
  if (clockOf(doc).pausedAt) await repos.deadlines.cancelPending(doc.id, doc.state);
}
