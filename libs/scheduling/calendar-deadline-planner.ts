import type { DeadlineSpec, FixedDate, StepDefinition } from '@shenpi/chains';
import { endOfShanghaiDay, shanghaiDate } from '@shenpi/domain';
import type { DeadlinePlanner, PlannedTimer } from '@shenpi/engine';
import { addDays, type CalendarDate, type WorkingCalendar } from './calendar/working-calendar.js';

/** Reminders arrive at the start of the working day: 09:00 in Asia/Shanghai. */
const REMINDER_HOUR_UTC = 1;

const atNine = (date: string) => new Date(`${date}T0${REMINDER_HOUR_UTC}:00:00.000Z`);

/** Deadlines on Chinese working days: the step's settings become due, reminder, escalation and auto-action rows. */
export class CalendarDeadlinePlanner implements DeadlinePlanner {
  constructor(readonly calendar: WorkingCalendar) {}

  plan(step: StepDefinition, enteredAt: Date, documentYear: number): PlannedTimer[] {
    if (!step.deadline) return [];
    const due = this.due(step.deadline, enteredAt, documentYear);
    const timers: PlannedTimer[] = [{ kind: 'due', fireAt: due.at, provisional: due.provisional, payload: {} }];
    for (const r of step.reminders ?? []) {
      const at =
        r.secondsBefore !== undefined
          ? { at: new Date(due.at.getTime() - r.secondsBefore * 1000), provisional: due.provisional }
          : this.workingDaysFrom(shanghaiDate(due.at), -(r.workingDaysBefore ?? 0), atNine, due.provisional);
      // A reminder whose time has already passed when the step is entered would only be noise.
      if (at.at > enteredAt) timers.push({ kind: 'reminder', fireAt: at.at, provisional: at.provisional, payload: { dueAt: due.at.toISOString() } });
    }
    const escalation = step.escalation;
    if (escalation) {
      const at = this.after(due, escalation.afterWorkingDays, escalation.afterSeconds);
      timers.push({ kind: 'escalation', fireAt: at.at, provisional: at.provisional, payload: { to: escalation.to, dueAt: due.at.toISOString() } });
      if (escalation.then) {
        const then = this.after(at, escalation.then.afterWorkingDays, escalation.then.afterSeconds);
        timers.push({
          kind: 'auto-action',
          fireAt: then.at,
          provisional: then.provisional,
          payload: { action: escalation.then.action, comment: escalation.then.comment ?? null, dueAt: due.at.toISOString() },
        });
      }
    }
    return timers;
  }

  private due(spec: DeadlineSpec, enteredAt: Date, year: number): { at: Date; provisional: boolean } {
    const today = shanghaiDate(enteredAt);
    if (spec.seconds !== undefined) return { at: new Date(enteredAt.getTime() + spec.seconds * 1000), provisional: false };
    if (spec.workingDays !== undefined) return this.workingDaysFrom(today, spec.workingDays, endOfShanghaiDay, false);
    if (spec.calendarDays !== undefined) {
      const last = this.calendar.nextWorkingDayFrom(addDays(today, spec.calendarDays));
      return { at: endOfShanghaiDay(last.date), provisional: last.provisional };
    }
    return { at: this.fixedDateDue(spec.before!, year), provisional: false };
  }

  /** "Before 1 March" ends with the last day before it, in Asia/Shanghai. */
  fixedDateDue(b: FixedDate, year: number): Date {
    const pad = (n: number) => String(n).padStart(2, '0');
    return endOfShanghaiDay(addDays(`${year + b.yearsAfterDocumentYear}-${pad(b.month)}-${pad(b.day)}`, -1));
  }

  workingDaysBefore(due: Date, workingDays: number): CalendarDate {
    // A step that must end by a rest day must end by the last working day before it.
    const day = shanghaiDate(due);
    const info = this.calendar.day(day);
    const last = info.working ? { date: day, provisional: info.provisional } : this.calendar.addWorkingDays(day, -1);
    if (workingDays === 0) return last;
    const start = this.calendar.addWorkingDays(last.date, -workingDays);
    return { date: start.date, provisional: start.provisional || last.provisional };
  }

  workingDaysBetween(from: Date, to: Date): number {
    let n = 0;
    for (let d = addDays(shanghaiDate(from), 1), end = shanghaiDate(to); d <= end; d = addDays(d, 1)) if (this.calendar.day(d).working) n++;
    return n;
  }

  shiftWorkingDays(at: Date, workingDays: number): { at: Date; provisional: boolean } {
    const day = shanghaiDate(at);
    const target = this.calendar.addWorkingDays(day, workingDays);
    return { at: new Date(at.getTime() + (Date.parse(target.date) - Date.parse(day))), provisional: target.provisional };
  }

  private after(from: { at: Date; provisional: boolean }, workingDays?: number, seconds?: number) {
    if (seconds !== undefined) return { at: new Date(from.at.getTime() + seconds * 1000), provisional: from.provisional };
    if (!workingDays) return from;
    return this.workingDaysFrom(shanghaiDate(from.at), workingDays, endOfShanghaiDay, from.provisional);
  }

  private workingDaysFrom(date: string, n: number, toInstant: (d: string) => Date, provisional: boolean) {
    const d: CalendarDate = this.calendar.addWorkingDays(date, n);
    return { at: toInstant(d.date), provisional: provisional || d.provisional };
  }
}
