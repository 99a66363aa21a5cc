import type { FieldError } from '@shenpi/domain';

/** One year's official arrangement (the State Council's notice): days off and adjusted working days (调休), by date. */
export interface SuppliedYear {
  year: number;
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  /** Where it came from: `uploaded` for an administrator's upload. */
  source: string;
}

/**
 * A year as the calendar knows it; `law` when no notice is known (the law's holidays and make-up days,
 * provisional). Each day is named `{ zh, en }` whatever the source: the package's raw names
 * ("National Day,国庆节,3") and a notice's ("国庆节") read alike.
 */
export interface CalendarYearView {
  year: number;
  source: 'package' | 'file' | 'uploaded' | 'law';
  provisional: boolean;
  holidays: Record<string, { zh: string; en: string }>;
  workdays: Record<string, { zh: string; en: string }>;
}

/**
 * The working-day calendar's years, as the engine changes them at run time (libs/scheduling's
 * WorkingCalendar implements it; the planner counts on the same object, so what is adopted is
 * what the next timer is planned with).
 */
export interface CalendarYears {
  /** Every problem with an arrangement for `year`, by field; none when it may be adopted. */
  check(raw: unknown, year: number): FieldError[];
  /** A content hash of an arrangement (sorted dates): what a process compares to know it holds the stored one. */
  sha256(y: Pick<SuppliedYear, 'holidays' | 'workdays'>): string;
  /** The hash (as `sha256`) of the official arrangement held for `year`; null when there is none (the law's days). */
  heldSha256(year: number): string | null;
  adopt(y: SuppliedYear): void;
  view(year: number): CalendarYearView;
  /** The year as `view` will answer it once `y` is adopted (what an upload's audit entry records as `after`). */
  viewOf(y: SuppliedYear): CalendarYearView;
}
