import type { CompiledChain, DocumentFields } from '@shenpi/chains';
import type { DeadlinePlanner } from './deadline-planner.port.js';
import { standing } from './milestone-standing.js';

export interface MilestoneView {
  key: string;
  name: { zh: string; en: string };
  step: string;
  dueAt: string;
  /** The milestone's step is behind the document (not ahead on its main path). */
  reached: boolean;
  /** Not reached, and its date has passed. */
  overdue: boolean;
  /** Whole Shanghai calendar days since the due day while overdue; 0 otherwise. */
  daysOverdue: number;
}

export interface PlannedStart {
  step: string;
  name: { zh: string; en: string };
  /** The latest Beijing date the step can start and still leave the later steps their full time. */
  latestStart: string;
  milestone: string;
  provisional: boolean;
}

/**
 * Planning backwards from the chain's milestones: for each step still ahead on the main path,
 * the latest day it may start so that, with every later step taking its full working days, the
 * milestone's step is entered in time. A drafter sees in December when legal review must start.
 */
export function planAhead(
  chain: CompiledChain,
  state: string,
  year: number,
  planner: DeadlinePlanner,
  now: Date,
  fields: DocumentFields = {},
): { milestones: MilestoneView[]; planning: PlannedStart[] } {
  const ahead = chain.mainPath(state, fields);
  const milestones: MilestoneView[] = [];
  const latest = new Map<string, PlannedStart>();
  for (const m of chain.definition.milestones ?? []) {
    const due = planner.fixedDateDue(m.before, year);
    const at = ahead.findIndex((s) => s.key === m.step);
    const reached = at < 0;
    const { overdue, daysOverdue } = reached ? { overdue: false, daysOverdue: 0 } : standing(m.key, due, null, now);
    milestones.push({ key: m.key, name: m.name, step: m.step, dueAt: due.toISOString(), reached, overdue, daysOverdue });
    if (at < 0) continue;
    let workingDays = 0;
    for (let i = at; i >= 0; i--) {
      const step = ahead[i];
      if (i < at) workingDays += step.deadline?.workingDays ?? 0;
      const start = planner.workingDaysBefore(due, workingDays);
      const known = latest.get(step.key);
      if (!known || start.date < known.latestStart) {
        latest.set(step.key, { step: step.key, name: step.name, latestStart: start.date, milestone: m.key, provisional: start.provisional });
      }
    }
  }
  return { milestones, planning: ahead.filter((s) => latest.has(s.key)).map((s) => latest.get(s.key)!) };
}
