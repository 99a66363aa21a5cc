import type { Signing, StepDefinition } from '@shenpi/chains';
import { AccessDenied, ErrorCode, type Principal, type Role } from '@shenpi/domain';
import type { DocumentRow, Repositories, TaskRow } from '@shenpi/persistence';
import { contributorsOf, EDITOR_ROLE, roundBaseOf } from './document-state.js';

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
  contributors: ReadonlySet<string>;
  decided: TaskRow[];
}

/** The seat a person would decide: a task's step, round and role (a `drafter` seat is the drafting department's own work). */
export interface Seat {
  step: StepDefinition;
  round: number;
  role: Role | null;
}

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
  return { contributors: new Set(contributorsOf(doc)), decided };
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
  if (seat.role === EDITOR_ROLE) return { rule: null, relaxed: false };
  if (round.contributors.has(person.id)) return { rule: 'author-decides', relaxed: false };
  let relaxed = false;
  for (const t of round.decided) {
    if (!personsOf(t).includes(person.id)) continue;
    if (t.stepKey === seat.step.key && t.round === seat.round) return { rule: 'second-vote-in-step', relaxed: false };
    if (t.stepKey !== seat.step.key && t.assigneeRole !== EDITOR_ROLE) {
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
    if (seats && seat.role !== EDITOR_ROLE && holdsOtherSeat(person.id, seats)) return { rule: 'second-vote-in-step', relaxed: false, userId: person.id };
    relaxed ||= verdict.relaxed;
  }
  return { rule: null, relaxed };
}

/** 403 SEPARATION_OF_DUTIES: changes nothing; the HTTP layer writes the security entry. */
export function separationRefused(rule: SodRule, attempt: { action: string; documentId: string; departmentId: string; taskId?: string }, userId?: string) {
  return new AccessDenied(ErrorCode.SEPARATION_OF_DUTIES, REASON[rule], { ...attempt, rule }, { rule, ...(userId ? { userId } : {}) });
}

export const reasonOf = (rule: SodRule) => REASON[rule];
