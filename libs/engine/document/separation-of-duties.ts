import type { Signing, StepDefinition } from '@shenpi/chains';
import { AccessDenied, ErrorCode, holdsRole, type Principal, type Role } from '@shenpi/domain';
import type { DocumentRow, Repositories, TaskRow } from '@shenpi/persistence';
import { contributorsOf, EDITOR_ROLE, roundBaseOf, signingOf } from './document-state.js';

/**
 * 不相容职务分离 (separation of incompatible duties): the rules a decision on a review step must
 * keep, whatever path led to it (a decision, bulk, a substitute, an added signer, a delegate, a
 * reassignment, a migration that re-enters a step). `details.rule` of a refusal names one of these.
 */
export type SodRule = 'author-decides' | 'second-vote-in-step' | 'second-step-in-round' | 'supervisor-decides';

const REASON: Record<SodRule, string> = {
  'author-decides': "the document's author and its editors do not decide its review steps",
  'second-vote-in-step': 'one person casts at most one vote in a step',
  'second-step-in-round': 'one person decides at most one review step of a document per round',
  'supervisor-decides': 'supervisors read; they do not decide',
};

/** Who wrote the document, and who decided what since it last returned to its first step. */
export interface ReviewRound {
  /** The document's department: a `drafter` seat there is its own work, not review. */
  departmentId: string;
  contributors: ReadonlySet<string>;
  decided: TaskRow[];
}

/** The seat a person would decide: a task's step, round and role (a `drafter` seat is the drafting department's own work). */
export interface Seat {
  step: StepDefinition;
  round: number;
  role: Role | null;
  departmentId: string;
}

/** The seat a task is for. */
export const seatOf = (task: TaskRow, step: StepDefinition): Seat => ({ step, round: task.round, role: task.assigneeRole, departmentId: task.departmentId });

/** The drafting department's own work (公众参与, 报告): a seat of its `drafter` role in the document's department. */
const ownWork = (round: ReviewRound, seat: { role: Role | null; departmentId: string }) => seat.role === EDITOR_ROLE && seat.departmentId === round.departmentId;

export interface Person {
  id: string;
  supervisor: boolean;
}

export const asPerson = (p: Principal): Person => ({ id: p.id, supervisor: p.grants.some((g) => g.role === 'supervisor') });

export async function readReviewRound(repos: Repositories, doc: DocumentRow): Promise<ReviewRound> {
  return reviewRoundOf(doc, await repos.tasks.decidedForDocument(doc.id));
}

/** The round from the document's decided tasks (read for a page of documents at once). */
export function reviewRoundOf(doc: DocumentRow, decidedTasks: TaskRow[]): ReviewRound {
  const base = roundBaseOf(doc);
  const decided = decidedTasks.filter((t) => t.documentId === doc.id && t.round > (base[t.stepKey] ?? 0));
  return { departmentId: doc.departmentId, contributors: new Set(contributorsOf(doc)), decided };
}

/** Everyone a decided task speaks for: who decided it, and on whose behalf. */
const personsOf = (t: TaskRow) => [t.decidedBy, t.onBehalfOf].filter((x): x is string => !!x);

export interface Verdict {
  rule: SodRule | null;
  /** The step's `allowSameDeciderAcrossSteps` let a second review step pass (the audit records it). */
  relaxed: boolean;
}

/** The rule `person` would break by deciding `seat`, or null. */
export function judge(round: ReviewRound, seat: Seat, person: Person): Verdict {
  if (person.supervisor) return { rule: 'supervisor-decides', relaxed: false };
  if (ownWork(round, seat)) return { rule: null, relaxed: false };
  if (round.contributors.has(person.id)) return { rule: 'author-decides', relaxed: false };
  let relaxed = false;
  for (const t of round.decided) {
    if (!personsOf(t).includes(person.id)) continue;
    if (t.stepKey === seat.step.key && t.round === seat.round) return { rule: 'second-vote-in-step', relaxed: false };
    if (t.stepKey !== seat.step.key && !ownWork(round, { role: t.assigneeRole, departmentId: t.departmentId })) {
      if (!seat.step.allowSameDeciderAcrossSteps) return { rule: 'second-step-in-round', relaxed: false };
      relaxed = true;
    }
  }
  return { rule: null, relaxed };
}

/** The rest of the step a decision is made in: its other open tasks, and its signers (加签 included). */
export interface StepSeats {
  task: TaskRow;
  openTasks: TaskRow[];
  signing: Signing | undefined;
}

/**
 * Someone the step names elsewhere (an added signer still to decide, a named seat) or who holds
 * another open seat of it, by name or through a substitute or delegate, votes there: deciding this
 * seat too would be a second vote.
 */
function holdsOtherSeat(personId: string, { task, openTasks, signing }: StepSeats): boolean {
  const named = signing?.slots.some((slot) => slot.signers.some((s) => s.userId === personId && s.id !== task.signer)) ?? false;
  return named || openTasks.some((t) => t.id !== task.id && t.stepKey === task.stepKey && (t.assigneeUserId === personId || t.delegatedFrom === personId));
}

/** Every person of a decision (the decider, and whom they stand for) judged together: the first rule broken wins. */
export function judgeAll(round: ReviewRound, seat: Seat, persons: Person[], seats?: StepSeats): Verdict & { userId?: string } {
  let relaxed = false;
  for (const person of persons) {
    const verdict = judge(round, seat, person);
    if (verdict.rule) return { ...verdict, userId: person.id };
    if (seats && !ownWork(round, seat) && holdsOtherSeat(person.id, seats)) return { rule: 'second-vote-in-step', relaxed: false, userId: person.id };
    relaxed ||= verdict.relaxed;
  }
  return { rule: null, relaxed };
}

/** The rest of the step a task is in; only a step of several seats can have another seat open. */
export async function stepSeats(repos: Repositories, task: TaskRow, doc: DocumentRow): Promise<StepSeats> {
  const signing = signingOf(doc);
  return { task, openTasks: (signing?.slots.length ?? 0) > 1 ? await repos.tasks.openForDocument(doc.id) : [], signing };
}

/**
 * 不相容职务分离 for `caller` acting on `task` as its decider (a decision, and whatever is part of
 * one: 加签, 转交, a file on the task, its statutory clock): the caller and whoever the task is held
 * for are judged together; 403 with the rule otherwise. Returns whether the step's relaxation was used.
 */
export async function checkDecider(
  repos: Repositories,
  caller: Principal,
  task: TaskRow,
  doc: DocumentRow,
  step: StepDefinition,
  action: string,
  round?: ReviewRound,
  seats?: StepSeats,
): Promise<boolean> {
  const persons = [asPerson(caller)];
  if (task.delegatedFrom && task.delegatedFrom !== caller.id) {
    const principal = await repos.directory.principal(task.delegatedFrom);
    persons.push(principal ? asPerson(principal) : { id: task.delegatedFrom, supervisor: false });
  }
  const verdict = judgeAll(round ?? (await readReviewRound(repos, doc)), seatOf(task, step), persons, seats ?? (await stepSeats(repos, task, doc)));
  if (verdict.rule) throw separationRefused(verdict.rule, { action, documentId: doc.id, departmentId: doc.departmentId, taskId: task.id }, verdict.userId);
  return verdict.relaxed;
}

/** 403 SEPARATION_OF_DUTIES: changes nothing; the HTTP layer writes the security entry. */
export function separationRefused(rule: SodRule, attempt: { action: string; documentId: string; departmentId: string; taskId?: string }, userId?: string) {
  return new AccessDenied(ErrorCode.SEPARATION_OF_DUTIES, REASON[rule], { ...attempt, rule }, { rule, ...(userId ? { userId } : {}) });
}

/**
 * Handing a seat to `target` (an added signer, a delegate) ties them and the caller to it: may
 * someone else still decide each other open role seat of the step? When only they could, the
 * hand-over would leave that seat to nobody (refused as a second vote of theirs).
 */
export async function leavesSeatToNobody(repos: Repositories, target: Principal, caller: Principal, seats: StepSeats, round: ReviewRound, step: StepDefinition): Promise<boolean> {
  for (const t of seats.openTasks) {
    if (t.id === seats.task.id || t.assigneeUserId || !t.assigneeRole || !holdsRole(target, t.assigneeRole, t.departmentId)) continue;
    const tied = new Set([target.id, caller.id]);
    const others = (await repos.directory.holdersForDecision(t.assigneeRole, t.departmentId)).filter(
      (h) => !tied.has(h.id) && !judge(round, seatOf(t, step), h).rule && !holdsOtherSeat(h.id, { ...seats, task: t }),
    );
    if (!others.length) return true;
  }
  return false;
}
