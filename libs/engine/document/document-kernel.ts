import { openTasksDigest, rowVersusLog, type AuditLog, type AuditInput } from '@shenpi/audit';
import type { CompiledChain } from '@shenpi/chains';
import { AccessDenied, DomainError, ErrorCode, isUuid, type Actor, type Principal } from '@shenpi/domain';
import type { DepartmentRow, DocumentRow, LastTransition, Repositories, StepDue, TaskRow } from '@shenpi/persistence';
import type { ChainCatalog } from '../chain-catalog.js';
import type { DeadlinePlanner } from '../deadline-planner.port.js';
import type { EngineObserver } from '../engine-observer.js';
import { reviewRoundOf, type ReviewRound } from './separation-of-duties.js';
import { HoldersCache } from './holders-cache.js';
import { Staffing } from './staffing.js';
import { enterStep, leaveStep } from './step-entry.js';

/** A document as the door opened it: the row (locked on PostgreSQL), its department and its chain version. */
export interface OpenDocument {
  doc: DocumentRow;
  department: DepartmentRow;
  chain: CompiledChain;
  /** Its open and decided tasks as they were when it was opened, in id order (read once: the log check, the task acted on, the review round). */
  tasks: TaskRow[];
  /** The directory's version, read with the row in this transaction (the staffing keeps holders by it). */
  directoryVersion: number;
}

/** A document's department and its open and decided tasks as a change left them: the caller's answer is built from these. */
export interface WrittenDocument {
  department: DepartmentRow;
  tasks: TaskRow[];
}

/** What one change says in the audit log besides the document it is about. */
export interface ChangeEntry {
  action: string;
  actor: Actor;
  /** Only a creation has no state before it (null). */
  from?: string | null;
  to?: string;
  result?: AuditInput['result'];
  details: Record<string, unknown>;
}

/** A document row that disagrees with its last audit entry (entry `seq`). */
export interface Divergence {
  documentId: string;
  departmentId: string;
  caller: Principal | null;
  attempted: string;
  /** The last transition entry's seq; null while it waits in PostgreSQL's intake. */
  seq: number | null;
  field: string;
  log: unknown;
  table: unknown;
}

/**
 * The document-write kernel: the one door every change to a document passes (DESIGN.md).
 * Its stages, in order: open (load, lock on PostgreSQL, 404 unless the caller may see it), then the
 * caller's authorization and separation of duties, the version check and the machine (the
 * transition use case), leave and enter steps (tasks and deadline rows), write the row guarded by
 * its version (with the due instant the step entered gave it), and one audit entry. Nothing outside libs/engine/document writes the `documents`
 * or `tasks` tables (an architecture test holds this).
 */
export class DocumentKernel {
  constructor(
    private readonly chains: ChainCatalog,
    private readonly audit: AuditLog,
    private readonly planner: DeadlinePlanner,
    /** Told of a row that disagrees with the log; it records the security entry in a transaction of its own. */
    private readonly diverged: (report: Divergence) => void,
    /** Told of each change once it committed (the metrics' decisions by chain and action). */
    private readonly changed: EngineObserver['documentChanged'] = () => undefined,
  ) {}

  /** Roles' holders kept across changes while the directory stands (HoldersCache). */
  private readonly holders = new HoldersCache();

  /** The staffing of a step entered (or re-signed) by a change that opened `open`: holders kept at the version it read. */
  staffing(repos: Repositories, open: OpenDocument, doc: DocumentRow, round?: ReviewRound): Promise<Staffing> {
    return Staffing.of(repos, doc, open.department, round, { cache: this.holders, version: open.directoryVersion });
  }

  /**
   * Loads the document for a change by `caller` (null: the system, which sees everything), named by
   * its id or, for a decision on a task, by the task's (`{ taskId }`). A document the caller may not
   * see is 404 (a task on one: "task not found"), with the attempt kept for the security entry.
   */
  async open(repos: Repositories, target: string | { taskId: string }, caller: Principal | null, attempt: { action: string; taskId?: string }): Promise<OpenDocument> {
    const byTask = typeof target !== 'string';
    const refused = () =>
      byTask
        ? new AccessDenied(ErrorCode.NOT_FOUND, 'task not found', { action: attempt.action, taskId: isUuid(target.taskId) ? target.taskId : undefined })
        : new AccessDenied(ErrorCode.NOT_FOUND, 'document not found', { ...attempt, documentId: target });
    if (byTask && !isUuid(target.taskId)) throw refused();
    const opened = byTask ? await repos.documents.opened(target.taskId, caller, 'task') : await repos.documents.opened(target, caller);
    // PostgreSQL: after waiting for the row's lock the row is read afresh, but the visibility clause saw
    // the tables as they were before the wait: a refusal is asked again (a grant may have just committed).
    const visible = opened?.visible || (!!opened && !!caller && repos.sql.kind === 'postgres' && (await repos.documents.isVisible(caller, opened.doc.id)));
    if (!opened || !visible) throw refused();
    const { doc, department } = opened;
    const tasks = opened.tasks ?? (await repos.tasks.liveForDocument(doc.id));
    await this.checkAgainstLog(repos, doc, caller, attempt.action, tasks, opened.last);
    return { doc, department, chain: await this.chains.get(repos, doc.chainKey, doc.chainVersion), tasks, directoryVersion: opened.directoryVersion };
  }

  /**
   * The row must say what the log says: the state its last transition entry left, the version
   * that entry recorded, and who holds the open tasks (their digest, recorded with it). A row or a
   * task changed behind the service's back (a forged state, a task handed to someone) is refused
   * with 409 STATE_DIVERGED before anything acts on it, on every path, and reported.
   */
  private async checkAgainstLog(repos: Repositories, doc: DocumentRow, caller: Principal | null, action: string, tasks: TaskRow[], read: LastTransition | undefined): Promise<void> {
    const against = (last: LastTransition | undefined) => {
      if (!last) return undefined;
      const held = last.openTasks === undefined ? undefined : openTasksDigest(tasks.filter((t) => t.status === 'open'));
      return rowVersusLog(doc, last, held);
    };
    let last = read;
    let mismatch = against(last);
    // PostgreSQL: the entry was read with the row, before a wait for its lock; the change that held the
    // lock may have logged since. Only a mismatch that holds when read afresh counts.
    if (mismatch && repos.sql.kind === 'postgres') mismatch = against((last = await repos.audit.lastTransitionOf(doc.id)));
    if (!mismatch || !last) return;
    this.diverged({ documentId: doc.id, departmentId: doc.departmentId, caller, attempted: action, seq: last.seq, ...mismatch });
    throw new DomainError(ErrorCode.STATE_DIVERGED, `the document's ${mismatch.field} is ${JSON.stringify(mismatch.table)} in its row but ${JSON.stringify(mismatch.log)} in its audit log: nothing was done`, {
      documentId: doc.id,
      ...mismatch,
    });
  }

  /** Writes the changed row, guarded by the version it was read at: 409 when another change won. */
  async write(repos: Repositories, before: DocumentRow, after: DocumentRow): Promise<void> {
    const written =
      after.chainVersion !== before.chainVersion ? await repos.documents.moveToVersion(after, before.version) : await repos.documents.updateIfVersion(after, before.version);
    if (!written) throw new DomainError(ErrorCode.VERSION_CONFLICT, 'another change to this document won the race', { currentVersion: before.version + 1 });
  }

  /**
   * The change's one audit entry, with the digest of who holds the open tasks it leaves. Returns
   * the document's open and decided tasks as the change leaves them (read here for the digest):
   * the answer to the caller is built from them.
   */
  async record(repos: Repositories, doc: DocumentRow, entry: ChangeEntry, known?: TaskRow[]): Promise<TaskRow[]> {
    // `known`: the caller's account of them, from the tasks it opened with and what it changed (one read less).
    const tasks = known ?? (await repos.tasks.liveForDocument(doc.id));
    const openTasks = openTasksDigest(tasks.filter((t) => t.status === 'open'));
    await this.audit.append(repos, {
      category: 'transition',
      action: entry.action,
      ...(entry.result ? { result: entry.result } : {}),
      actor: entry.actor,
      departmentId: doc.departmentId,
      documentId: doc.id,
      from: entry.from !== undefined ? entry.from : doc.state,
      to: entry.to ?? doc.state,
      details: { ...entry.details, openTasks },
    });
    if (entry.result !== 'failure') repos.afterCommit.push(() => this.changed(doc.chainKey, entry.action));
    return tasks;
  }

  /** A file was added to a task: what its decision names changed, the row did not (see DocumentsRepository.touch). */
  async tasksChanged(repos: Repositories, doc: DocumentRow): Promise<void> {
    await repos.documents.touch(doc.id);
  }

  /** The step's due instant moved (a paused or extended statutory clock): its timed task follows; the row takes it when written. */
  async setTaskDue(repos: Repositories, taskId: string, dueAt: string | null): Promise<void> {
    await repos.tasks.setDueAt(taskId, dueAt);
  }

  /** The step's due instant moved with no transition (a calendar year uploaded): the row and the step's open tasks. */
  async moveDue(repos: Repositories, doc: DocumentRow, due: StepDue, tasks: TaskRow[]): Promise<void> {
    await repos.documents.setDue(doc.id, due);
    for (const t of tasks) if (t.status === 'open' && t.stepKey === doc.state) await repos.tasks.setDueAt(t.id, due.dueAt);
  }

  /**
   * Moves a document onto another version of its chain (a migration): the old step's open tasks
   * cancelled (its timers left stale: a new round begins), the new step entered afresh, staffed
   * under separation of duties, then the row; one audit entry, which names any seat that had to be
   * rerouted, and says `reentered` when the step is the same (the timeline counts a new stay).
   */
  async move(repos: Repositories, open: OpenDocument, moved: DocumentRow, target: CompiledChain, entry: ChangeEntry, at: string): Promise<DocumentRow> {
    await leaveStep(repos, open.doc, at, open.tasks);
    const staffing = await this.staffing(repos, open, moved, reviewRoundOf(moved, open.tasks.filter((t) => t.status === 'done')));
    const written = { ...moved, ...(await enterStep(repos, target, moved, open.department, at, this.planner, staffing)).due };
    await this.write(repos, open.doc, written);
    await this.record(repos, open.doc, {
      ...entry,
      to: moved.state,
      details: { ...entry.details, ...(staffing.rerouted.length ? { rerouted: staffing.rerouted } : {}), ...(moved.state === open.doc.state ? { reentered: true } : {}) },
    });
    return written;
  }
}
