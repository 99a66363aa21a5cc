import type { ChainPosition, DocumentFields, Signing } from '@shenpi/chains';
import type { Role } from '@shenpi/domain';
import type { DocumentRow } from '@shenpi/persistence';

/**
 * The document's typed state, read in one place. The row keeps it as JSON: `context` is the
 * machine's (rounds, countersign progress), `attributes` the engine's (fields, number, disclosure,
 * statutory clock, and what separation of duties needs).
 */

/** Who edits a document while its step is editable (API.md: "drafter only"); a seat of this role is the drafting department's own work. */
export const EDITOR_ROLE: Role = 'drafter';

/** Statutory clock of the current step (pause, extension); it ends with the step. */
export interface ClockState {
  pausedAt?: string;
  pausedReason?: string;
  extension?: { requestedBy: string; workingDays: number; reason: string; requestedAt: string };
  /** Working days already added to this step by approved extensions. */
  extendedWorkingDays?: number;
  /** What the step's pauses added so far (working days, or milliseconds for a period not in working days). */
  paused?: { workingDays: number; ms: number };
}

export const positionOf = (doc: DocumentRow): ChainPosition => ({ stateKey: doc.state, context: doc.context as never });

/** How many times each step has been entered: a task's `round`. */
export const roundsOf = (doc: Pick<DocumentRow, 'context'>): Record<string, number> => (doc.context as { rounds?: Record<string, number> }).rounds ?? {};

/** The round of the document's current step: its tasks and timers carry it. */
export const stepRound = (doc: Pick<DocumentRow, 'state' | 'context'>): number => roundsOf(doc)[doc.state] ?? 1;

/**
 * Whether a timer still belongs to the document's current stay in a step. Leaving a step does not
 * touch its timers (a decision writes nothing it need not): they stay pending, and each is found
 * stale here when it comes due, or by whatever reads a document's timers. A stay never comes back:
 * entering a step again starts a new round.
 */
export const timerIsLive = (timer: { stepKey: string; round: number }, doc: Pick<DocumentRow, 'state' | 'context'>): boolean => timer.stepKey === doc.state && timer.round === stepRound(doc);

/** The current step's countersign progress; undefined in a step nobody signs. */
export const signingOf = (doc: DocumentRow): Signing | undefined => (doc.context as { signing?: Signing }).signing;

export const fieldsOf = (doc: DocumentRow): DocumentFields => (doc.attributes.fields ?? {}) as DocumentFields;

export const clockOf = (doc: DocumentRow): ClockState => (doc.attributes.clock as ClockState | undefined) ?? {};

export const numberOf = (doc: DocumentRow): string | null => (doc.attributes.number as string | undefined) ?? null;

/** The author and everyone who edited the content; documents older than this record name their author only. */
export const contributorsOf = (doc: DocumentRow): string[] => (doc.attributes.contributors as string[] | undefined) ?? [doc.createdBy];

/** The rounds each step had when the document last returned to its first step: tasks of later rounds are this review round's. */
export const roundBaseOf = (doc: DocumentRow): Record<string, number> => (doc.attributes.roundBase as Record<string, number> | undefined) ?? {};
