import type { FixedDate, StepDefinition } from '@shenpi/chains';
import { endOfShanghaiDay, shanghaiDate } from '@shenpi/domain';
import type { CalendarYears } from './calendar-years.port.js';

export type TimerKind = 'due' | 'reminder' | 'escalation' | 'auto-action';

/** One deadline row to write when a step is entered. */
export interface PlannedTimer {
  kind: TimerKind;
  fireAt: Date;
  /** Computed on a year without official calendar data. */
  provisional: boolean;
  payload: Record<string, unknown>;
}

/**
 * Turns a step's deadline settings into instants. The working-day calendar lives in
 * libs/scheduling, which implements this port; the engine only writes the rows.
 */
export interface DeadlinePlanner {
  plan(step: StepDefinition, enteredAt: Date, documentYear: number): PlannedTimer[];
  /** When a fixed date ("before 1 March of the next year") ends, for a document of `documentYear`. */
  fixedDateDue(before: FixedDate, documentYear: number): Date;
  /** The Beijing date `workingDays` working days before the day of `due` (0: that day). */
  workingDaysBefore(due: Date, workingDays: number): { date: string; provisional: boolean };
  /** Working days from the day after `from` to the day of `to` (Beijing dates): what a pause consumed. */
  workingDaysBetween(from: Date, to: Date): number;
  /** The same Beijing time of day, `workingDays` working days later. */
  shiftWorkingDays(at: Date, workingDays: number): { at: Date; provisional: boolean };
  /** The calendar it counts on, when it has one an administrator can change (a year uploaded). */
  readonly calendar?: CalendarYears;
}

export const noDeadlines: DeadlinePlanner = {
  plan: () => [],
  fixedDateDue: (b, year) => endOfShanghaiDay(new Date(Date.UTC(year + b.yearsAfterDocumentYear, b.month - 1, b.day - 1)).toISOString().slice(0, 10)),
  workingDaysBefore: (due) => ({ date: shanghaiDate(due), provisional: true }),
  workingDaysBetween: (from, to) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 86_400_000)),
  shiftWorkingDays: (at, n) => ({ at: new Date(at.getTime() + n * 86_400_000), provisional: true }),
};
