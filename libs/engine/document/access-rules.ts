import { declaredSigners, type AssigneeRef, type CompiledChain } from '@shenpi/chains';
import { holdsRole, type Principal } from '@shenpi/domain';
import type { DepartmentRow, DocumentRow, TaskRow } from '@shenpi/persistence';
import { EDITOR_ROLE, fieldsOf, positionOf, signingOf } from './document-state.js';
import { asPerson, judgeAll, seatOf, type ReviewRound } from './separation-of-duties.js';

export interface AllowedAction {
  action: string;
  taskId?: string;
  returnTo?: string[];
}

/** A step names its actors relative to the document: its own department, or the office it reports to. */
export function resolveDepartment(ref: AssigneeRef, doc: DocumentRow, department: DepartmentRow): string | null {
  return ref.department === 'office' ? department.officeId : doc.departmentId;
}

export function isAssignedTo(task: TaskRow, p: Principal): boolean {
  if (task.assigneeUserId) return task.assigneeUserId === p.id;
  return task.assigneeRole !== null && holdsRole(p, task.assigneeRole, task.departmentId);
}

export function holdsRef(p: Principal, ref: AssigneeRef, doc: DocumentRow, department: DepartmentRow): boolean {
  const departmentId = resolveDepartment(ref, doc, department);
  return departmentId !== null && holdsRole(p, ref.role, departmentId);
}

/**
 * The machine's possible events ∩ the caller's roles and open tasks (API.md `allowedActions`),
 * without what separation of duties would refuse: a task the caller may not decide, or withdraw
 * once the review round has a decision.
 */
export function allowedActions(
  chain: CompiledChain,
  doc: DocumentRow,
  department: DepartmentRow,
  openTasks: TaskRow[],
  p: Principal,
  round: ReviewRound,
): AllowedAction[] {
  const position = positionOf(doc);
  const step = chain.step(doc.state);
  const me = asPerson(p);
  // Whom a task's decision speaks for besides the caller (a substitute's or delegate's principal): judged on the record, not on roles.
  const mayDecide = (t: TaskRow) =>
    !judgeAll(round, seatOf(t, step), [me, ...(t.delegatedFrom && t.delegatedFrom !== p.id ? [{ id: t.delegatedFrom, supervisor: false }] : [])], {
      task: t,
      openTasks,
      signing: signingOf(doc),
    }).rule;
  const mine = openTasks.filter((t) => t.stepKey === step.key && isAssignedTo(t, p) && mayDecide(t));
  const fields = fieldsOf(doc);
  const allowed: AllowedAction[] = [];
  for (const t of step.transitions) {
    const returnTo = t.returnTo?.length ? { returnTo: t.returnTo } : {};
    if (t.by) {
      if (t.action === 'withdraw' && round.decided.length) continue;
      if (chain.can(position, { type: t.action, fields }) && holdsRef(p, t.by, doc, department)) allowed.push({ action: t.action, ...returnTo });
    } else {
      for (const task of mine) {
        if (chain.can(position, { type: t.action, fields, signer: task.signer ?? 's0' })) allowed.push({ action: t.action, taskId: task.id, ...returnTo });
      }
    }
  }
  if (declaredSigners(step).length) {
    for (const task of mine) allowed.push({ action: 'delegate', taskId: task.id }, { action: 'add-signer', taskId: task.id });
  }
  if (step.editable && holdsRole(p, EDITOR_ROLE, doc.departmentId)) allowed.push({ action: 'edit' });
  return allowed;
}
