import type { StepDefinition } from '@shenpi/chains';
import type { DeadlineRow, DocumentRow, Repositories, StepDue } from '@shenpi/persistence';
import type { DeadlinePlanner, PlannedTimer } from './deadline-planner.port.js';
import { clockOf, timerIsLive } from './document/document-state.js';

/** A timer as it moves: what an affected document's audit entry lists. */
export interface TimerMove {
  id: string;
  kind: DeadlineRow['kind'];
  from: string;
  to: string;
  provisional: boolean;
}

export interface Retimed {
  moves: TimerMove[];
  /** The step's due instant, when it moved or lost (or gained) `provisional`. */
  due?: { from: StepDue; to: StepDue };
}

/**
 * The document's timers of the step it is in, planned again on the calendar as it is now: from the
 * instant they were planned (step entry, or a 补正 restart), then moved as far as the step's clock
 * moved them since (approved extensions, finished pauses). So a plan is reproduced from its causes,
 * not adjusted from its old result: running it twice, or in a process whose calendar was stale when
 * it wrote the rows, gives the same instants. Rows whose plan no longer has a counterpart (a reminder
 * that would now fall before the step began) are left as they are. Only rows that move are written.
 */
export async function retimeDocument(repos: Repositories, doc: DocumentRow, step: StepDefinition, planner: DeadlinePlanner): Promise<Retimed> {
  if (!step.deadline) return { moves: [] };
  const live = (await repos.deadlines.forDocument(doc.id)).filter((r) => (r.status === 'pending' || r.status === 'paused') && timerIsLive(r, doc));
  if (!live.length) return { moves: [] };
  const shift = await clockShift(repos, doc, live);
  const moves: TimerMove[] = [];
  let due: Retimed['due'];
  // Rows written together share the instant they were planned at.
  for (const [plannedAt, rows] of groupBy(live, (r) => r.createdAt)) {
    const plan = planner.plan(step, new Date(plannedAt), doc.year).map((t) => moved(t, shift, planner));
    for (const [kind, ofKind] of groupBy(rows, (r) => r.kind)) {
      const targets = plan.filter((t) => t.kind === kind).sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime());
      if (targets.length !== ofKind.length) continue;
      const sorted = [...ofKind].sort((a, b) => (a.fireAt < b.fireAt ? -1 : a.fireAt > b.fireAt ? 1 : 0));
      for (const [i, row] of sorted.entries()) {
        const to = targets[i].fireAt.toISOString();
        const provisional = targets[i].provisional;
        if (to === row.fireAt && provisional === row.provisional) continue;
        if (!(await repos.deadlines.reschedule(row, row.status as 'pending' | 'paused', to, provisional))) continue;
        moves.push({ id: row.id, kind: row.kind, from: row.fireAt, to, provisional });
        if (kind === 'due') due = { from: { dueAt: doc.dueAt, dueProvisional: doc.dueProvisional }, to: { dueAt: to, dueProvisional: provisional } };
      }
    }
  }
  return { moves, ...(due ? { due } : {}) };
}

interface ClockShift {
  workingDays: number;
  ms: number;
}

/**
 * How far the step's clock moved its timers after they were planned: approved extensions and
 * finished pauses (a pause under way has not moved them yet). The pauses are read from the
 * document's resume entries since the timers were planned, the log being the record; the clock
 * keeps its own sum too (`clock.paused`, since it was kept), which counts where the log has not
 * yet sequenced the latest resume (PostgreSQL): the larger of the two is taken.
 */
async function clockShift(repos: Repositories, doc: DocumentRow, live: DeadlineRow[]): Promise<ClockShift> {
  const clock = clockOf(doc);
  const since = live.reduce((min, r) => (r.createdAt < min ? r.createdAt : min), live[0].createdAt);
  const logged = { workingDays: 0, ms: 0 };
  for (const entry of await repos.audit.forDocument(doc.id, 'transition')) {
    if (entry.action !== 'resume-clock' || entry.at < since) continue;
    const pausedFor = (JSON.parse(entry.details) as { pausedFor?: { workingDays?: number; ms?: number } }).pausedFor ?? {};
    logged.workingDays += pausedFor.workingDays ?? 0;
    logged.ms += pausedFor.ms ?? 0;
  }
  return {
    workingDays: (clock.extendedWorkingDays ?? 0) + Math.max(logged.workingDays, clock.paused?.workingDays ?? 0),
    ms: Math.max(logged.ms, clock.paused?.ms ?? 0),
  };
}

/** A planned timer moved as the clock moved the row (statutory-clock.use-case.ts moves each row the same way). */
function moved(t: PlannedTimer, by: ClockShift, planner: DeadlinePlanner): PlannedTimer {
  const at = new Date(t.fireAt.getTime() + by.ms);
  if (!by.workingDays) return { ...t, fireAt: at };
  const shifted = planner.shiftWorkingDays(at, by.workingDays);
  return { ...t, fireAt: shifted.at, provisional: t.provisional || shifted.provisional };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
