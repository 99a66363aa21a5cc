import { createHash } from 'node:crypto';
export { shanghaiDate, endOfShanghaiDay } from '@shenpi/domain';
import type { CalendarYears, CalendarYearView, SuppliedYear } from '@shenpi/engine';
import { checkCalendarYear, packagedYears, yearFiles, type CalendarProblem, type CalendarYear } from './calendar-data.js';
import { adjustedWorkdayLabel, holidayLabel, makeUpLabel, type HolidayLabel } from './holiday-label.js';
import { makeUpDays, statutoryHolidays } from './statutory-holidays.js';

export type { HolidayLabel } from './holiday-label.js';

export interface DayInfo {
  date: string;
  working: boolean;
  /** Present on a day off other than a plain weekend, and on an adjusted working day (调休). */
  holiday?: HolidayLabel;
  /** True where the year has no official data: only the statutory holidays are known. */
  provisional: boolean;
}

export interface CalendarDate {
  date: string;
  provisional: boolean;
}

const DAY_MS = 86_400_000;
/** Far enough for any statutory clock; stops a loop on nonsense input. */
const MAX_STEPS = 3660;
const MAX_REMEMBERED = 10_000;

export const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);


/**
 * Chinese working days (工作日): the official calendar with its adjusted working days, from the
 * `chinese-days` package and any year files a deployment adds; for other years, weekends, the
 * statutory holidays by law and the law's make-up days for those on a weekend, flagged provisional.
 */
export class WorkingCalendar implements CalendarYears {
  private readonly official = new Map<number, CalendarYear>();
  /** Each year's days that are not a plain weekday or weekend, with their labels. */
  private readonly special = new Map<number, Map<string, SpecialDay>>();
  /** addWorkingDays answers: the calendar never changes once built, and every step entry asks (walking day by day). */
  private readonly counted = new Map<string, CalendarDate>();

  constructor(years: CalendarYear[]) {
    for (const y of years) this.official.set(y.year, y);
  }

  /** The packaged years, overridden year by year by the files in `dir` (e.g. `calendar/`). */
  static load(dir?: string): WorkingCalendar {
    return new WorkingCalendar([...packagedYears(), ...(dir ? yearFiles(dir) : [])]);
  }

  /** Each official year's data as a SHA-256 (sorted dates), with where it came from: audited when it changes. */
  fingerprint(): Record<string, { sha256: string; source: string }> {
    return Object.fromEntries(this.officialYears().map((year) => [String(year), { sha256: this.sha256(this.official.get(year)!), source: this.official.get(year)!.source }]));
  }

  sha256(y: Pick<CalendarYear, 'holidays' | 'workdays'>): string {
    const sorted = (days: Record<string, string>) => Object.keys(days).sort().map((d) => [d, days[d]]);
    return createHash('sha256').update(JSON.stringify({ holidays: sorted(y.holidays), workdays: sorted(y.workdays) })).digest('hex');
  }

  check(raw: unknown, year: number): CalendarProblem[] {
    return checkCalendarYear(raw, year);
  }

  /**
   * Takes a year's official arrangement from now on (an upload, or one a peer process stored): the
   * year's days and every remembered count are forgotten, so the next question is answered afresh.
   */
  adopt(y: SuppliedYear): void {
    this.official.set(y.year, { year: y.year, holidays: { ...y.holidays }, workdays: { ...y.workdays }, source: y.source });
    this.special.delete(y.year);
    this.counted.clear();
  }

  /**
   * A year as the calendar knows it: the official arrangement, or the law's holidays and make-up days
   * (provisional). Each day is named as `day` names it, so every source answers one shape.
   */
  view(year: number): CalendarYearView {
    const official = this.official.get(year);
    return yearView(year, official ? sourceOf(official) : 'law', this.specialDays(year));
  }

  viewOf(y: SuppliedYear): CalendarYearView {
    return yearView(y.year, sourceOf(y), officialDays(y));
  }

  heldSha256(year: number): string | null {
    const official = this.official.get(year);
    return official ? this.sha256(official) : null;
  }

  officialYears(): number[] {
    return [...this.official.keys()].sort((a, b) => a - b);
  }

  day(date: string): DayInfo {
    const year = Number(date.slice(0, 4));
    const provisional = !this.official.has(year);
    const special = this.specialDays(year).get(date);
    // A copy of the label: the year's table is shared by every answer.
    if (special) return { date, working: special.working, holiday: { ...special.holiday }, provisional };
    return { date, working: ![0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay()), provisional };
  }

  private specialDays(year: number): Map<string, SpecialDay> {
    let days = this.special.get(year);
    if (!days) this.special.set(year, (days = this.official.has(year) ? officialDays(this.official.get(year)!) : daysOffByLaw(year)));
    return days;
  }

  /** The nth working day after `from` (n > 0) or before it (n < 0); n = 0 is `from` itself. */
  addWorkingDays(from: string, n: number): CalendarDate {
    const key = `${from}/${n}`;
    let known = this.counted.get(key);
    if (!known) {
      if (this.counted.size >= MAX_REMEMBERED) this.counted.clear();
      this.counted.set(key, (known = this.countWorkingDays(from, n)));
    }
    return { ...known };
  }

  private countWorkingDays(from: string, n: number): CalendarDate {
    let date = from;
    let provisional = this.day(from).provisional;
    let left = Math.abs(n);
    const step = n < 0 ? -1 : 1;
    for (let guard = 0; left > 0; guard++) {
      if (guard > MAX_STEPS * 2) throw new RangeError('working-day period too long');
      date = addDays(date, step);
      const info = this.day(date);
      provisional ||= info.provisional;
      if (info.working) left--;
    }
    return { date, provisional };
  }

  /** A period that ends on a rest day ends on the next working day instead (民法典 Art. 203). */
  nextWorkingDayFrom(date: string): CalendarDate {
    let info = this.day(date);
    let provisional = info.provisional;
    for (let guard = 0; !info.working; guard++) {
      if (guard > MAX_STEPS) throw new RangeError('no working day found');
      info = this.day(addDays(info.date, 1));
      provisional ||= info.provisional;
    }
    return { date: info.date, provisional };
  }
}

interface SpecialDay {
  working: boolean;
  holiday: HolidayLabel;
}

const sourceOf = (y: Pick<CalendarYear, 'source'>): CalendarYearView['source'] =>
  y.source === 'chinese-days' ? 'package' : y.source.startsWith('upload') ? 'uploaded' : 'file';

/** A year's special days as the view lists them, by date: days off under `holidays`, adjusted working days under `workdays`. */
function yearView(year: number, source: CalendarYearView['source'], days: Map<string, SpecialDay>): CalendarYearView {
  const view: CalendarYearView = { year, source, provisional: source === 'law', holidays: {}, workdays: {} };
  for (const date of [...days.keys()].sort()) {
    const day = days.get(date)!;
    // A copy of the label: the year's table is shared by every answer.
    (day.working ? view.workdays : view.holidays)[date] = { ...day.holiday };
  }
  return view;
}

/** The notice's days off and adjusted working days (an adjusted working day wins where both list a date). */
function officialDays(year: CalendarYear): Map<string, SpecialDay> {
  const days = new Map<string, SpecialDay>();
  for (const [date, name] of Object.entries(year.holidays)) days.set(date, { working: false, holiday: holidayLabel(name) });
  for (const [date, name] of Object.entries(year.workdays)) days.set(date, { working: true, holiday: adjustedWorkdayLabel(name) });
  return days;
}

/** An official notice brings its own arrangement: only years without one get the law's make-up days. */
function daysOffByLaw(year: number): Map<string, SpecialDay> {
  const names = new Map<string, string[]>();
  const holidays = statutoryHolidays(year);
  for (const h of holidays) names.set(h.date, [...(names.get(h.date) ?? []), h.holiday]);
  const days = new Map<string, SpecialDay>();
  for (const [date, named] of names) days.set(date, { working: false, holiday: holidayLabel(named.join('、')) });
  for (const m of makeUpDays(holidays)) days.set(m.date, { working: false, holiday: makeUpLabel(m.holiday) });
  return days;
}
