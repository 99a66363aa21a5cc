import { createHash } from 'node:crypto';
import { checkFields, isBuiltInEvent, missingSections, type ChainPosition, type DocumentFields, type Signing, type TransitionDefinition } from '@shenpi/chains';
import { AccessDenied, DomainError, ErrorCode, holdsRole, isGlobalAdmin, notFound, validationFailed, type Actor, type Clock, type Principal, type Role } from '@shenpi/domain';
import type { AttachmentRow, DocumentRow, Repositories, TaskRow } from '@shenpi/persistence';
import type { DeadlinePlanner } from '../deadline-planner.port.js';
import type { IdempotencyClaim, IdempotencyUseCase } from '../idempotency.js';
import type { WriterQueue } from '../writer-queue.js';
import { allowedActions, holdsRef, isAssignedTo, resolveDepartment } from './access-rules.js';
import { checkAddSigner } from './add-signer.js';
import { checkDelegate } from './delegate.js';
import { checkDisclosure, requireDisclosure } from './disclosure.js';
import type { DocumentKernel, OpenDocument, WrittenDocument } from './document-kernel.js';
import { contributorsOf, EDITOR_ROLE, fieldsOf, numberOf, positionOf, signingOf, stepRound } from './document-state.js';
import { issueNumber } from './numbering.js';
import { asPerson, checkDecider, reviewRoundOf, stepSeats, type ReviewRound } from './separation-of-duties.js';
import { Staffing } from './staffing.js';
import { enterStep, leaveStep, syncSigners } from './step-entry.js';
import { checkWithdraw } from './withdraw.js';

export interface TransitionCommand {
  /** The document; a command on a task may name the task alone (`taskId`): the document is found from it in the read that opens it. */
  documentId?: string;
  action: string;
  principal: Principal;
  expectedVersion?: number;
  /** Decisions and delegation name the task they act on. */
  taskId?: string;
  comment?: string;
  returnTo?: string;
  edit?: { title?: string; content?: string; fields?: DocumentFields };
  disclosure?: { url: string; publishedOn: string };
  delegateTo?: string;
  /** A file the drafter attaches to the document (already stored by its SHA-256). */
  attachment?: Omit<AttachmentRow, 'documentId' | 'taskId' | 'uploadedBy' | 'createdAt'>;
  /** 加签: the user added to the caller's task, before or after the caller. */
  addSigner?: { userId: string; position: 'before' | 'after' };
  /**
   * Set for events the system applies (the scheduler's automatic actions; handing on the tasks of a
   * user who can no longer decide them, organisation.use-case.ts): no access checks, the system acts;
   * separation of duties is judged as for anyone.
   */
  system?: Actor;
  /** Added to the audit entry's details (e.g. the deadline that caused it). */
  auditDetails?: Record<string, unknown>;
  /** The request's Idempotency-Key: a retry of a committed change is answered, not applied again. */
  idempotency?: IdempotencyClaim;
}

export interface TransitionResult {
  document: DocumentRow;
  task?: TaskRow;
  /** What the answer to the caller shows besides the row, as the change left it (no read after commit). */
  written: WrittenDocument;
}

/** What the event does besides moving the machine: decided against the state before writing. */
interface Plan {
  actor: Actor;
  task?: TaskRow;
  transition?: TransitionDefinition;
  /** The step's allowSameDeciderAcrossSteps let this decision pass (audited). */
  relaxed?: boolean;
}

/**
 * Every event on a document passes here, through the document-write kernel's stages (see
 * document-kernel.ts): open, authorize (separation of duties included), the version, the machine,
 * the row, the steps left and entered, one audit entry and the idempotency record, in one
 * transaction. The per-action rules live in files named for them (add-signer, delegate, withdraw,
 * disclosure, numbering).
 */
export class TransitionUseCase {
  constructor(
    private readonly writer: WriterQueue,
    private readonly kernel: DocumentKernel,
    private readonly clock: Clock,
    private readonly planner: DeadlinePlanner,
    private readonly idempotency: IdempotencyUseCase,
  ) {}

  execute(cmd: TransitionCommand): Promise<TransitionResult> {
    return this.writer.run((repos) => this.apply(repos, cmd));
  }

  /** For another use case's transaction (the scheduler's automatic actions). */
  applyInTransaction(repos: Repositories, cmd: TransitionCommand): Promise<TransitionResult> {
    return this.apply(repos, cmd);
  }

  /**
   * Order of checks (API.md): 404 for what the caller may not see; 400 for a payload wrong in
   * itself; 403 for what they may see but not do (separation of duties included); 409 for a stale
   * version, then for an action the state does not take; then what the step requires of the payload.
   */
  private async apply(repos: Repositories, cmd: TransitionCommand): Promise<TransitionResult> {
    if (cmd.idempotency) await this.idempotency.check(repos, cmd.principal, cmd.idempotency);
    const target = cmd.documentId ?? (cmd.taskId === undefined ? undefined : { taskId: cmd.taskId });
    if (target === undefined) throw new Error('a transition names its document or its task');
    const open = await this.kernel.open(repos, target, cmd.system ? null : cmd.principal, { action: cmd.action, taskId: cmd.taskId });
    const { doc, department, chain } = open;
    checkDisclosure(chain, cmd.action, cmd.disclosure, this.clock.now());
    if (cmd.edit?.fields) {
      const problems = checkFields(chain.definition.fields, cmd.edit.fields, false);
      if (problems.length) throw validationFailed(problems);
    }
    // Who decided what in this review round: read once, for the rules and for the step entered.
    let round: ReviewRound | undefined;
    const reviewRound = async () => (round ??= reviewRoundOf(doc, open.tasks.filter((t) => t.status === 'done')));
    const plan = cmd.taskId ? await this.planTaskAction(repos, cmd, open, reviewRound) : this.planDocumentAction(cmd, open);
    if (cmd.action === 'withdraw' && plan.transition) checkWithdraw(await reviewRound());

    if (cmd.expectedVersion !== undefined && cmd.expectedVersion !== doc.version) {
      throw new DomainError(ErrorCode.VERSION_CONFLICT, 'the document changed since the version you read', { currentVersion: doc.version });
    }
    if (!isBuiltInEvent(cmd.action) && !plan.transition) throw this.notAllowed(cmd, open, await reviewRound());
    this.checkPayload(cmd, plan.transition, doc);
    const next = chain.next(positionOf(doc), {
      type: cmd.action,
      returnTo: cmd.returnTo,
      signer: plan.task ? signerOf(plan.task) : undefined,
      fields: { ...fieldsOf(doc), ...cmd.edit?.fields },
      ...(cmd.addSigner ? { added: { userId: cmd.addSigner.userId }, position: cmd.addSigner.position } : {}),
    });
    if (!next) throw this.notAllowed(cmd, open, await reviewRound());

    const at = this.clock.now().toISOString();
    // A transition back into the step the document is in enters it afresh, as the machine does (a
    // new round, signing anew, the step's clock ended): it is left and entered like any other.
    const entered = next.stateKey !== doc.state || (next.context.rounds[next.stateKey] ?? 1) !== stepRound(doc);
    const updated = await this.nextRow(repos, cmd, open, plan, next, entered, at);
    const task = await this.closeOrHandOn(repos, cmd, plan, at);
    // The round was read with the document, before this decision: the decision joins it (staffing the next seats judges it).
    if (task?.status === 'done') (await reviewRound()).decided.push(task);
    if (cmd.attachment) {
      await repos.attachments.insert({ ...cmd.attachment, documentId: doc.id, taskId: null, uploadedBy: cmd.principal.id, createdAt: at });
    }
    // A reviewer's files on the task are part of the decision: the entry names them by hash (read only when it has some).
    const decisionFiles = task?.status === 'done' && task.hasFiles !== false ? await repos.attachments.forTask(task.id) : [];
    let staffing: Staffing | undefined;
    // The document's open and decided tasks as this change leaves them, from those it opened with and
    // what it did (the entry's digest and the answer are built from them); unknown after syncSigners.
    let live: TaskRow[] | undefined = open.tasks.map((t) => (t.id === task?.id ? { ...task, hasFiles: t.hasFiles } : t));
    if (entered) {
      await leaveStep(repos, doc, at, open.tasks.filter((t) => t.id !== task?.id));
      // Back at the first step a new round begins: its seats are staffed on that round, read afresh.
      const newRound = next.stateKey === chain.definition.initial;
      staffing = await this.kernel.staffing(repos, open, updated, newRound ? undefined : await reviewRound());
      const { due, opened } = await enterStep(repos, chain, updated, department, at, this.planner, staffing);
      Object.assign(updated, due);
      live = [...live.filter((t) => !(t.status === 'open' && t.stepKey === doc.state)), ...opened.map((t) => ({ ...t, hasFiles: false }))];
    } else if (JSON.stringify(signingOf(updated)) !== JSON.stringify(signingOf(doc))) {
      staffing = await this.kernel.staffing(repos, open, updated, await reviewRound());
      await syncSigners(repos, chain, updated, department, at, staffing);
      live = undefined;
    }
    // The row last, with the step's due instant: one UPDATE (the row is locked or the writer is alone, so its version still holds).
    await this.kernel.write(repos, doc, updated);
    // An edit keeps what the document said from this version on: reviewers compare versions.
    if (cmd.edit) await repos.contents.append({ documentId: doc.id, version: updated.version, title: updated.title, content: updated.content, fields: fieldsOf(updated), createdBy: cmd.principal.id, createdAt: at });

    const tasks = await this.kernel.record(repos, doc, {
      action: cmd.action,
      actor: plan.actor,
      to: next.stateKey,
      details: {
        ...this.details(cmd, updated, task, !entered, numberOf(updated) !== numberOf(doc) && numberOf(updated)),
        // The timeline counts a stay by its entry: one into the same step says so.
        ...(entered && next.stateKey === doc.state ? { reentered: true } : {}),
        ...(cmd.attachment ? { attachment: fileRef(cmd.attachment) } : {}),
        ...(decisionFiles.length ? { attachments: decisionFiles.map(fileRef) } : {}),
        ...(plan.relaxed ? { separationRelaxed: 'second-step-in-round' } : {}),
        ...(staffing?.rerouted.length ? { rerouted: staffing.rerouted } : {}),
      },
    }, live?.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
    if (cmd.idempotency) await this.idempotency.record(repos, cmd.principal, cmd.idempotency, { documentId: doc.id, taskId: task?.id });
    return { document: updated, task, written: { department, tasks } };
  }

  /** The row after the event: the machine's position, the edit, and the attributes that follow from them. */
  private async nextRow(repos: Repositories, cmd: TransitionCommand, { doc, department, chain }: OpenDocument, plan: Plan, next: ChainPosition, entered: boolean, at: string): Promise<DocumentRow> {
    const updated: DocumentRow = {
      ...doc,
      state: next.stateKey,
      context: next.context as unknown as Record<string, unknown>,
      title: cmd.edit?.title ?? doc.title,
      content: cmd.edit?.content ?? doc.content,
      attributes: nextAttributes(doc, entered, plan.transition?.payload === 'disclosure' ? cmd.disclosure : undefined, cmd.edit?.fields),
      version: doc.version + 1,
      updatedAt: at,
    };
    // Whoever edits the content joins the author: neither decides its review steps.
    if (cmd.edit || cmd.attachment) updated.attributes.contributors = [...new Set([...contributorsOf(doc), cmd.principal.id])];
    // Back at the first step a new review round begins: only tasks of later rounds count in it.
    if (next.stateKey === chain.definition.initial && doc.state !== next.stateKey) updated.attributes.roundBase = { ...next.context.rounds };
    if (next.stateKey !== doc.state && chain.step(next.stateKey).assignsNumber && !numberOf(doc)) {
      updated.attributes.number = await issueNumber(repos, department, at);
    }
    return updated;
  }

  /** The task's side of the event: decided (closed), or handed on (转交, reassignment); 加签 keeps it open. */
  private async closeOrHandOn(repos: Repositories, cmd: TransitionCommand, plan: Plan, at: string): Promise<TaskRow | undefined> {
    const task = plan.task;
    if (!task || cmd.action === 'add-signer') return task;
    if (cmd.action === 'delegate' || cmd.action === 'reassign') {
      // The decision is made on behalf of whom the task leaves: the delegating caller, or the reassigned user (never the administrator).
      const from = cmd.action === 'reassign' ? task.assigneeUserId : cmd.principal.id;
      if (!(await repos.tasks.reassign(task.id, cmd.delegateTo!, from))) throw taskNotOpen();
      return repos.tasks.get(task.id);
    }
    const decision = { decision: cmd.action, comment: cmd.comment ?? null, decidedBy: plan.actor.id, onBehalfOf: plan.actor.onBehalfOf };
    if (!(await repos.tasks.decide(task.id, { ...decision, at }))) throw taskNotOpen();
    // The row as the UPDATE left it (no second read).
    return { ...task, ...decision, status: 'done', closedAt: at };
  }

  /** Decisions and delegation: the task must be the caller's and still open. */
  private async planTaskAction(repos: Repositories, cmd: TransitionCommand, open: OpenDocument, reviewRound: () => Promise<ReviewRound>): Promise<Plan> {
    const { doc, chain } = open;
    // A cancelled task is not among those the document was opened with: read for its refusal.
    const task = open.tasks.find((t) => t.id === cmd.taskId) ?? (await repos.tasks.get(cmd.taskId!));
    if (!task || task.documentId !== doc.id) throw notFound('task');
    const reassigning = cmd.action === 'reassign';
    // By hand only global administrators reassign; the system hands on the tasks of a user who left (whom to, the kernel judges below).
    if (reassigning && !cmd.system && !isGlobalAdmin(cmd.principal)) {
      throw new AccessDenied(ErrorCode.FORBIDDEN, 'only administrators reassign tasks', { action: cmd.action, documentId: doc.id, departmentId: doc.departmentId, taskId: task.id });
    }
    if (!cmd.system && !reassigning && !isAssignedTo(task, cmd.principal)) {
      throw new AccessDenied(ErrorCode.FORBIDDEN, 'this task is not assigned to you', {
        action: cmd.action,
        documentId: doc.id,
        departmentId: doc.departmentId,
        taskId: task.id,
      });
    }
    if (task.status !== 'open') throw new DomainError(ErrorCode.TASK_NOT_OPEN, `the task is ${task.status}`, { status: task.status });
    // Whoever handed the task on is who the decision is made for (转交); the role is the task's.
    const actor: Actor = cmd.system
      ? { ...cmd.system, role: task.assigneeRole, departmentId: task.departmentId }
      : { type: 'user', id: cmd.principal.id, role: task.assigneeRole, departmentId: task.departmentId, onBehalfOf: task.delegatedFrom };
    const step = chain.step(task.stepKey);
    if (reassigning || cmd.action === 'delegate') {
      // The one who hands a role task on must be able to decide it: the decision is made on their behalf.
      const seats = await stepSeats(repos, task, doc);
      if (!reassigning) await checkDecider(repos, cmd.principal, task, doc, step, cmd.action, await reviewRound(), seats);
      const target = cmd.delegateTo ? await repos.directory.principal(cmd.delegateTo) : undefined;
      // A reassignment leaves the task's named user; a delegation its caller (judged above). The user
      // left is judged for what they did (votes, authorship), not for supervising now: being made a
      // supervisor is one reason their tasks are handed on.
      const left = reassigning && task.assigneeUserId ? await repos.directory.principal(task.assigneeUserId) : undefined;
      await checkDelegate(repos, target, left && { ...asPerson(left), supervisor: false }, cmd.principal, task, doc, step, await reviewRound(), seats, reassigning ? 'reassign' : 'delegate');
      if (!reassigning) return { actor, task };
      return { actor: cmd.system ?? { type: 'user', id: cmd.principal.id, role: 'admin', departmentId: null, onBehalfOf: null }, task };
    }
    const seats = cmd.system ? undefined : await stepSeats(repos, task, doc);
    const relaxed = seats ? await checkDecider(repos, cmd.principal, task, doc, step, cmd.action, await reviewRound(), seats) : false;
    if (cmd.action === 'add-signer') {
      const target = await repos.directory.principal(cmd.addSigner!.userId);
      await checkAddSigner(repos, target, cmd.principal, task, doc, step, await reviewRound(), seats!);
      return { actor, task };
    }
    const transition = chain.transitionFor(task.stepKey, cmd.action);
    return { actor, task, transition: transition && !transition.by ? transition : undefined, relaxed };
  }

  /** Actions a role takes on the document itself (submit, withdraw, record-disclosure, edit). */
  private planDocumentAction(cmd: TransitionCommand, { doc, department, chain }: OpenDocument): Plan {
    if (cmd.action === 'edit' || cmd.action === 'attach') {
      if (!holdsRole(cmd.principal, EDITOR_ROLE, doc.departmentId)) throw this.forbidden(cmd, doc, 'only a drafter of the department edits a document');
      return { actor: this.userActor(cmd.principal, EDITOR_ROLE, doc.departmentId) };
    }
    const declared = chain.declaredActions().filter((t) => t.action === cmd.action && t.by);
    if (declared.length && !declared.some((t) => holdsRef(cmd.principal, t.by!, doc, department))) {
      throw this.forbidden(cmd, doc, `your roles do not allow "${cmd.action}" on this document`);
    }
    const transition = chain.transitionFor(doc.state, cmd.action);
    if (!transition?.by || !holdsRef(cmd.principal, transition.by, doc, department)) return { actor: this.userActor(cmd.principal, null, null) };
    return { actor: this.userActor(cmd.principal, transition.by.role, resolveDepartment(transition.by, doc, department)), transition };
  }

  private checkPayload(cmd: TransitionCommand, transition: TransitionDefinition | undefined, doc: DocumentRow): void {
    if (transition?.commentRequired && !cmd.comment?.trim()) {
      throw validationFailed([{ field: 'comment', reason: `a reason is required to ${cmd.action}` }]);
    }
    const sections = transition?.requires?.sections;
    if (sections) {
      const missing = missingSections(doc.content, sections);
      if (missing.length) {
        throw new DomainError(ErrorCode.CONTENT_CHECK_FAILED, `the document lacks: ${missing.map((m) => m.name.zh).join('、')}`, {
          missing: missing.map((m) => ({ key: m.key, name: m.name })),
        });
      }
    }
    requireDisclosure(transition, cmd.disclosure);
  }

  private details(cmd: TransitionCommand, doc: DocumentRow, task: TaskRow | undefined, stayed: boolean, number: unknown): Record<string, unknown> {
    const details: Record<string, unknown> = { version: doc.version, ...cmd.auditDetails };
    if (number) details.number = number;
    if (cmd.comment) details.comment = cmd.comment;
    if (task) details.taskId = task.id;
    if (cmd.returnTo) details.returnTo = cmd.returnTo;
    if (cmd.disclosure) details.disclosure = cmd.disclosure;
    if (cmd.delegateTo) details.delegateTo = cmd.delegateTo;
    if (cmd.addSigner) details.addSigner = cmd.addSigner;
    if (stayed && signingOf(doc) && task?.status === 'done') details.tally = tally(signingOf(doc)!);
    if (cmd.edit) {
      details.fields = Object.keys(cmd.edit).filter((k) => cmd.edit![k as 'title' | 'content'] !== undefined);
      details.contentSha256 = createHash('sha256').update(doc.content).digest('hex');
    }
    return details;
  }

  private userActor(p: Principal, role: Role | null, departmentId: string | null): Actor {
    return { type: 'user', id: p.id, role, departmentId, onBehalfOf: null };
  }

  /** The refusal names what the caller may do instead (nothing has been written yet: the tasks are as opened). */
  private notAllowed(cmd: TransitionCommand, { doc, department, chain, tasks }: OpenDocument, round: ReviewRound) {
    const openTasks = tasks.filter((t) => t.status === 'open');
    return new DomainError(ErrorCode.TRANSITION_NOT_ALLOWED, `"${cmd.action}" is not allowed in state ${doc.state}`, {
      allowed: allowedActions(chain, doc, department, openTasks, cmd.principal, round),
    });
  }

  private forbidden(cmd: TransitionCommand, doc: DocumentRow, message: string) {
    return new AccessDenied(ErrorCode.FORBIDDEN, message, { action: cmd.action, documentId: doc.id, departmentId: doc.departmentId });
  }
}

const taskNotOpen = () => new DomainError(ErrorCode.TASK_NOT_OPEN, 'the task was already decided or cancelled');

// Tasks opened before countersign existed name no signer: they were their step's only one.
const signerOf = (task: TaskRow) => task.signer ?? 's0';

const fileRef = (a: { id: string; name: string; size: number; sha256: string }) => ({ id: a.id, name: a.name, size: a.size, sha256: a.sha256 });

/** Votes so far in a signed step, for the audit entry of a decision that did not settle it. */
function tally(s: Signing) {
  return { for: s.slots.filter((x) => x.vote === 'for').length, against: s.slots.filter((x) => x.vote === 'against').length, needed: s.needed, signers: s.slots.length };
}

/** The disclosure record and number are kept; a step's clock state (pause, extension) ends with the stay (`entered`: a step entered, or the same one afresh). */
function nextAttributes(
  doc: DocumentRow,
  entered: boolean,
  disclosure: TransitionCommand['disclosure'],
  fields: DocumentFields | undefined,
): Record<string, unknown> {
  const { clock, ...rest } = doc.attributes;
  const kept: Record<string, unknown> = !entered && clock !== undefined ? { ...rest, clock } : rest;
  if (fields) kept.fields = { ...fieldsOf(doc), ...fields };
  return disclosure ? { ...kept, disclosure } : kept;
}
