import type { AuditEntry } from '@shenpi/audit';
import type { CompiledChain } from '@shenpi/chains';
import type { DeadlineRow } from '@shenpi/persistence';

/** One stay of a document in a step: when it entered and left, how long, and whether it met the step's deadline. */
export interface StepStay {
  step: string;
  name: { zh: string; en: string };
  round: number;
  enteredAt: string;
  leftAt: string | null;
  hours: number;
  dueAt: string | null;
  /** Left by the due time (true) or after it (false); null while still there before it, or without a deadline. */
  met: boolean | null;
}

const HOUR = 3_600_000;

/** An entry that enters a step: into another step, or into the same one afresh (a migration, a return to it). */
export const entersStep = (e: AuditEntry): e is AuditEntry & { to: string } => e.result === 'success' && !!e.to && (e.to !== e.from || !!e.details?.reentered);

/**
 * The stays of a document, from its transition entries (every entry that changes the state opens
 * a stay in the step entered and closes the one left) and the step deadlines of each round.
 */
export function stepStays(entries: AuditEntry[], deadlines: DeadlineRow[], chain: CompiledChain, now: Date): StepStay[] {
  const rounds = new Map<string, number>();
  const stays: StepStay[] = [];
  for (const e of entries) {
    if (!entersStep(e)) continue;
    const open = stays.at(-1);
    if (open && open.leftAt === null) close(open, e.at);
    const round = (rounds.get(e.to) ?? 0) + 1;
    rounds.set(e.to, round);
    // The due row as it stands (a pause or an extension moves it); the latest one of the round.
    const due = deadlines.filter((d) => d.kind === 'due' && d.stepKey === e.to && d.round === round).at(-1);
    const name = chain.hasStep(e.to) ? chain.step(e.to).name : { zh: e.to, en: e.to };
    stays.push({ step: e.to, name, round, enteredAt: e.at, leftAt: null, hours: 0, dueAt: due?.fireAt ?? null, met: null });
  }
  const current = stays.at(-1);
  if (current && current.leftAt === null) {
    current.hours = round2((now.getTime() - Date.parse(current.enteredAt)) / HOUR);
    if (current.dueAt && now.toISOString() > current.dueAt) current.met = false;
  }
  return stays;
}

function close(stay: StepStay, at: string): void {
  stay.leftAt = at;
  stay.hours = round2((Date.parse(at) - Date.parse(stay.enteredAt)) / HOUR);
  stay.met = stay.dueAt === null ? null : at <= stay.dueAt;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
