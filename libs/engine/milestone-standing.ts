import { isCalendarDate, shanghaiDate, startOfShanghaiDay } from '@shenpi/domain';

/** How a document (or a missing one) stands against one milestone of its chain. */
export interface MilestoneStanding {
  key: string;
  dueAt: string;
  /**
   * When the document first entered the milestone's step (later rounds do not move it); when a
   * disclosure record entered it, the start of its publication day (see `reachedAt`). Null if never.
   */
  reachedAt: string | null;
  /** true: reached by `dueAt`; false: reached late, or not reached and the date has passed; null: neither reached nor due yet. */
  met: boolean | null;
  /** Not reached, and its date has passed. */
  overdue: boolean;
  /**
   * Whole Shanghai calendar days from the due day to the day it was reached (late) or, while still
   * unreached, to today; 0 when met or not yet due.
   */
  daysOverdue: number;
  /**
   * Reached by a disclosure record: the publication date it gives, when it was recorded, and whether
   * it was recorded more than `LATE_RECORD_WORKING_DAYS` working days after publication (补录).
   */
  disclosure?: { publishedOn: string; recordedAt: string; recordedLate: boolean };
}

/** A disclosure recorded more than this many working days after its publication date is a late record (补录). */
export const LATE_RECORD_WORKING_DAYS = 5;

const DAY_MS = 86_400_000;
const dayNumber = (at: Date) => Date.parse(`${shanghaiDate(at)}T00:00:00Z`) / DAY_MS;
/** At least one: a millisecond after the due instant is already a day late. */
const daysLate = (due: Date, at: Date) => Math.max(1, dayNumber(at) - dayNumber(due));

/** How a document that entered the step at `reachedAt` (or never) stands against `due`, as of `now`. */
export function standing(key: string, due: Date, reachedAt: string | null, now: Date): MilestoneStanding {
  const base = { key, dueAt: due.toISOString(), reachedAt };
  if (reachedAt !== null) {
    const met = new Date(reachedAt).getTime() <= due.getTime();
    return { ...base, met, overdue: false, daysOverdue: met ? 0 : daysLate(due, new Date(reachedAt)) };
  }
  if (now.getTime() > due.getTime()) return { ...base, met: false, overdue: true, daysOverdue: daysLate(due, now) };
  return { ...base, met: null, overdue: false, daysOverdue: 0 };
}

/** The transition entry that first entered a milestone's step, as far as reaching the milestone goes. */
export interface EnteringEntry {
  at: string;
  details?: Record<string, unknown> | null;
}

/**
 * When a milestone was reached, from the entry that first entered its step: the entry's instant, or,
 * when the entry recorded a disclosure (向社会公开, `disclosure.publishedOn`), the start of the
 * publication day in Asia/Shanghai. A report is public from the day it was published, not from the
 * day someone recorded that. A milestone is due at the last millisecond of a day, so a publication
 * on that day is met, and one a day later is one day late.
 */
export function reachedAt(entering: EnteringEntry | undefined): string | null {
  if (!entering) return null;
  const publishedOn = publishedOnOf(entering);
  return publishedOn ? startOfShanghaiDay(publishedOn).toISOString() : entering.at;
}

/** The publication date a disclosure record gives (向社会公开, `disclosure.publishedOn`); undefined for any other entry. */
export function publishedOnOf(entering: EnteringEntry): string | undefined {
  const publishedOn = (entering.details?.disclosure as { publishedOn?: unknown } | undefined)?.publishedOn;
  return typeof publishedOn === 'string' && isCalendarDate(publishedOn) ? publishedOn : undefined;
}
