import type { FieldError } from '@shenpi/domain';

/** One year's official arrangement (the State Council's notice): days off and adjusted working days (调休), by date. */
export interface SuppliedYear {
  year: number;
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  /** Where it came from: `uploaded` for an administrator's upload. */
  source: string;
}

/** A year as the calendar knows it; `law` when no notice is known (the law's holidays and make-up days, provisional). */
export interface CalendarYearView {
  year: number;
  source: 'package' | 'file' | 'uploaded' | 'law';
  provisional: boolean;
  holidays: Record<string, string>;
  workdays: Record<string, string>;
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
  adopt(y: SuppliedYear): void;
  view(year: number): CalendarYearView;
}
