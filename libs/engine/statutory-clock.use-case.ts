import type { StepDefinition } from '@shenpi/chains';
import { AccessDenied, DomainError, ErrorCode, holdsRole, validationFailed, type Actor, type Clock, type Principal } from '@shenpi/domain';
import type { DeadlineRow, DocumentRow, Repositories, StepDue, TaskRow } from '@shenpi/persistence';
import type { DeadlinePlanner } from './deadline-planner.port.js';
import { isAssignedTo } from './document/access-rules.js';
import type { DocumentKernel } from './document/document-kernel.js';
import { clockOf, contributorsOf, stepRound, timerIsLive, type ClockState } from './document/document-state.js';
import { asPerson, checkDecider, judge, separationRefused } from './document/separation-of-duties.js';
import { writeTimers } from './document/step-entry.js';
import type { WriterQueue } from './writer-queue.js';


/** Statutory extensions are bounded (e.g. 政府信息公开条例 Art. 33: up to 20 more working days); a step's total here. */
const MAX_EXTENSION_WORKING_DAYS = 60;

/** Who approves an extension of a statutory period (the leader in charge, 分管领导). */
const EXTENSION_APPROVER = 'leader' as const;

interface Context {
  doc: DocumentRow;
  step: StepDefinition;
  task: TaskRow | undefined;
  clock: ClockState;
  actor: Actor;
  /** The step's due instant as the change leaves it: written with the row. */
  due: StepDue;
}

/**
 * Statutory clock operations on the step a document is in, for chains whose periods the law
 * qualifies: pause and resume (time spent consulting a third party does not count), restart
 * (补正: the period starts again on the corrected request), and an extension that takes effect
 * only once approved. Each is one transaction with one audit entry, and moves the step's rows.
 */
export class StatutoryClockUseCase {
  constructor(
    private readonly writer: WriterQueue,
    private readonly kernel: DocumentKernel,
    private readonly clock: Clock,
    private readonly planner: DeadlinePlanner,
  ) {}

  pause(p: Principal, documentId: string, reason: string) {
    return this.run(p, documentId, 'pause-clock', async (repos, c) => {
      if (c.clock.pausedAt) throw new DomainError(ErrorCode.CONFLICT, 'the clock is already paused');
      for (const row of await this.rows(repos, c, 'pending')) await this.reschedule(repos, row, 'paused', row.fireAt, row.provisional);
      return { clock: { ...c.clock, pausedAt: this.now(), pausedReason: reason }, details: { reason } };
    });
  }

  resume(p: Principal, documentId: string) {
    return this.run(p, documentId, 'resume-clock', async (repos, c) => {
      if (!c.clock.pausedAt) throw new DomainError(ErrorCode.CONFLICT, 'the clock is not paused');
      const from = new Date(c.clock.pausedAt);
      const to = this.clock.now();
      // A working-day period moves by the working days the pause took; any other by the time it took.
      const byWorkingDays = c.step.deadline?.workingDays !== undefined;
      const pausedFor = byWorkingDays ? { workingDays: this.planner.workingDaysBetween(from, to) } : { ms: to.getTime() - from.getTime() };
      await this.shift(repos, c, await this.rows(repos, c, 'paused'), pausedFor, 'pending');
      const { pausedAt: _, pausedReason: __, ...rest } = c.clock;
      // Kept with the step's clock, so its timers can be planned again (a calendar year uploaded) and moved as far.
      const paused = { workingDays: (c.clock.paused?.workingDays ?? 0) + (pausedFor.workingDays ?? 0), ms: (c.clock.paused?.ms ?? 0) + (pausedFor.ms ?? 0) };
      return { clock: { ...rest, paused }, details: { pausedAt: c.clock.pausedAt, pausedFor } };
    });
  }

  /** 补正: the step's period starts again now, as if the step had just been entered. */
  restart(p: Principal, documentId: string, reason: string) {
    return this.run(p, documentId, 'restart-clock', async (repos, c) => {
      // The stay goes on, so its timers are cancelled here: only leaving the step makes them stale.
      await repos.deadlines.cancelPending(c.doc.id, c.step.key);
      const at = this.clock.now();
      const timers = this.planner.plan(c.step, at, c.doc.year);
      await writeTimers(repos, c.doc.id, c.step.key, { id: c.task?.id ?? null, round: stepRound(c.doc) }, timers, at.toISOString());
      const due = timers.find((t) => t.kind === 'due');
      await this.setDue(repos, c, { dueAt: due?.fireAt.toISOString() ?? null, dueProvisional: due?.provisional ?? false });
      return { clock: {}, details: { reason } };
    });
  }

  requestExtension(p: Principal, documentId: string, workingDays: number, reason: string) {
    if (!Number.isInteger(workingDays) || workingDays < 1 || workingDays > MAX_EXTENSION_WORKING_DAYS) {
      throw validationFailed([{ field: 'workingDays', reason: `must be a whole number of working days, 1–${MAX_EXTENSION_WORKING_DAYS}` }]);
    }
    return this.run(p, documentId, 'request-extension', async (_repos, c) => {
      if (c.clock.extension) throw new DomainError(ErrorCode.CONFLICT, 'an extension is already awaiting approval');
      if ((c.clock.extendedWorkingDays ?? 0) + workingDays > MAX_EXTENSION_WORKING_DAYS) {
        throw validationFailed([{ field: 'workingDays', reason: `extensions of one step add up to at most ${MAX_EXTENSION_WORKING_DAYS} working days` }]);
      }
      return { clock: { ...c.clock, extension: { requestedBy: p.id, workingDays, reason, requestedAt: this.now() } }, details: { workingDays, reason } };
    });
  }

  decideExtension(p: Principal, documentId: string, approve: boolean, comment: string) {
    return this.run(
      p,
      documentId,
      approve ? 'approve-extension' : 'reject-extension',
      async (repos, c) => {
        const request = c.clock.extension;
        if (!request) throw new DomainError(ErrorCode.CONFLICT, 'no extension is awaiting approval');
        if (request.requestedBy === p.id) {
          throw new AccessDenied(ErrorCode.FORBIDDEN, 'an extension is approved by someone other than who asked for it', { action: 'decide-extension', documentId });
        }
        // A paused clock stays paused: the extension moves its timers all the same.
        const status = c.clock.pausedAt ? 'paused' : 'pending';
        if (approve) await this.shift(repos, c, await this.rows(repos, c, status), { workingDays: request.workingDays }, status);
        const { extension: _, ...rest } = c.clock;
        const extended = (c.clock.extendedWorkingDays ?? 0) + (approve ? request.workingDays : 0);
        return { clock: { ...rest, ...(extended ? { extendedWorkingDays: extended } : {}) }, details: { ...request, comment } };
      },
      EXTENSION_APPROVER,
    );
  }

  private async run(
    p: Principal,
    documentId: string,
    action: string,
    change: (repos: Repositories, c: Context) => Promise<{ clock: ClockState; details: Record<string, unknown> }>,
    approverRole?: typeof EXTENSION_APPROVER,
  ): Promise<DocumentRow> {
    return this.writer.run(async (repos) => {
      const { doc, chain } = await this.kernel.open(repos, documentId, p, { action });
      const step = chain.step(doc.state);
      const task = (await repos.tasks.openForDocument(doc.id)).find((t) => t.stepKey === step.key);
      // The extension is approved where the step is worked: the leader of the task's department.
      const approverDepartment = task?.departmentId ?? doc.departmentId;
      const allowed = approverRole ? holdsRole(p, approverRole, approverDepartment) : !!task && isAssignedTo(task, p);
      if (!allowed) {
        throw new AccessDenied(ErrorCode.FORBIDDEN, approverRole ? `only the ${approverRole} approves an extension` : 'only the assignee of the step runs its clock', {
          action,
          documentId,
          departmentId: doc.departmentId,
        });
      }
      // The clock is part of the step's decision: who may not decide the step does not run it, nor extend a period for a document they wrote.
      if (approverRole) {
        const seat = { step, round: task?.round ?? 1, role: approverRole, departmentId: approverDepartment };
        const { rule } = judge({ departmentId: doc.departmentId, contributors: new Set(contributorsOf(doc)), decided: [] }, seat, asPerson(p));
        if (rule) throw separationRefused(rule, { action, documentId: doc.id, departmentId: doc.departmentId }, p.id);
      } else await checkDecider(repos, p, task!, doc, step, action);
      if (!step.deadline) throw new DomainError(ErrorCode.CONFLICT, `step ${step.key} has no deadline`);
      const actor: Actor = { type: 'user', id: p.id, role: approverRole ?? task!.assigneeRole, departmentId: approverRole ? approverDepartment : task!.departmentId, onBehalfOf: null };
      const c: Context = { doc, step, task, clock: clockOf(doc), actor, due: { dueAt: doc.dueAt, dueProvisional: doc.dueProvisional } };
      const { clock, details } = await change(repos, c);
      const updated: DocumentRow = { ...doc, attributes: { ...doc.attributes, clock }, ...c.due, version: doc.version + 1, updatedAt: this.now() };
      await this.kernel.write(repos, doc, updated);
      await this.kernel.record(repos, doc, { action, actor, details: { ...details, version: updated.version } });
      return (await repos.documents.get(doc.id))!;
    });
  }

  private async rows(repos: Repositories, c: Context, status: 'pending' | 'paused'): Promise<DeadlineRow[]> {
    return (await repos.deadlines.forDocument(c.doc.id)).filter((r) => timerIsLive(r, c.doc) && r.status === status);
  }

  /** Moves rows later, by working days (keeping the time of day) or by milliseconds. */
  private async shift(repos: Repositories, c: Context, rows: DeadlineRow[], by: { workingDays?: number; ms?: number }, status: 'pending' | 'paused') {
    let due: StepDue | undefined;
    for (const row of rows) {
      const moved = by.ms !== undefined ? { at: new Date(Date.parse(row.fireAt) + by.ms), provisional: row.provisional } : this.planner.shiftWorkingDays(new Date(row.fireAt), by.workingDays ?? 0);
      const provisional = moved.provisional || row.provisional;
      await this.reschedule(repos, row, status, moved.at.toISOString(), provisional);
      if (row.kind === 'due') due = { dueAt: moved.at.toISOString(), dueProvisional: provisional };
    }
    if (due) await this.setDue(repos, c, due);
  }

  /** A row fired or moved since it was read means another transaction won: refuse, change nothing. */
  private async reschedule(repos: Repositories, row: DeadlineRow, status: 'pending' | 'paused', fireAt: string, provisional: boolean) {
    if (!(await repos.deadlines.reschedule(row, status, fireAt, provisional))) {
      throw new DomainError(ErrorCode.VERSION_CONFLICT, 'a timer of this step changed meanwhile; read the document again');
    }
  }

  private async setDue(repos: Repositories, c: Context, due: StepDue) {
    c.due = due;
    if (c.task) await this.kernel.setTaskDue(repos, c.task.id, due.dueAt);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
