import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { statutoryHolidays } from './statutory-holidays.js';

/** One year's official calendar: statutory holidays and adjusted working days (调休), by date. */
export interface CalendarYear {
  year: number;
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  source: string;
}

const DATE = /^(\d{4})-\d{2}-\d{2}$/;

/** The years the `chinese-days` package ships (2004–2026 when this was written), split by year. */
export function packagedYears(): CalendarYear[] {
  const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as {
    holidays: Record<string, string>;
    workdays: Record<string, string>;
  };
  const years = new Map<number, CalendarYear>();
  const yearOf = (y: number) => {
    let entry = years.get(y);
    if (!entry) years.set(y, (entry = { year: y, holidays: {}, workdays: {}, source: 'chinese-days' }));
    return entry;
  };
  for (const [date, name] of Object.entries(data.holidays)) yearOf(Number(date.slice(0, 4))).holidays[date] = name;
  for (const [date, name] of Object.entries(data.workdays)) yearOf(Number(date.slice(0, 4))).workdays[date] = name;
  return [...years.values()];
}

/** A problem with a year's arrangement, by field (`holidays.2027-13-01`) as a 400 names it. */
export interface CalendarProblem {
  field: string;
  reason: string;
}

/** Years whose arrangement can be supplied: the law's holidays as they stand apply from 2025 (lunar data ends in 2099). */
export const FIRST_SUPPLIED_YEAR = 2025;
export const LAST_SUPPLIED_YEAR = 2099;
/** More entries than a year has days is never an arrangement. */
const MAX_DAYS = 366;

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/**
 * Checks one year's arrangement (a year file, or an upload): `year` is that year; every date is a real date of it; each
 * name is a name; no day is both a holiday and an adjusted working day; an adjusted working day (调休) is a Saturday or a
 * Sunday; and every statutory holiday day of the law (元旦, 春节 from 除夕 to 初三, 清明, 劳动节, 端午, 中秋, 国庆) is a day
 * off, since a notice only adds to them. Every problem is answered, not only the first.
 */
export function checkCalendarYear(raw: unknown, year: number): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  const say = (field: string, reason: string) => problems.push({ field, reason });
  if (!Number.isInteger(year) || year < FIRST_SUPPLIED_YEAR || year > LAST_SUPPLIED_YEAR) {
    return [{ field: 'year', reason: `must be a year from ${FIRST_SUPPLIED_YEAR} to ${LAST_SUPPLIED_YEAR}` }];
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return [{ field: '(body)', reason: 'must be an object { year, holidays, workdays }' }];
  const data = raw as Record<string, unknown>;
  if (data.year !== year) say('year', `must be ${year}, the year of the address`);
  for (const key of Object.keys(data)) if (!['year', 'holidays', 'workdays'].includes(key)) say(key, 'is not a field of a calendar year (year, holidays, workdays)');
  const maps: Partial<Record<'holidays' | 'workdays', Record<string, unknown>>> = {};
  for (const field of ['holidays', 'workdays'] as const) {
    const map = data[field];
    if (map === undefined) {
      say(field, 'is required');
      continue;
    }
    if (!map || typeof map !== 'object' || Array.isArray(map)) {
      say(field, 'must be an object of date → name');
      continue;
    }
    const dates = Object.keys(map);
    if (dates.length > MAX_DAYS) {
      say(field, `lists ${dates.length} days; a year has at most ${MAX_DAYS}`);
      continue;
    }
    maps[field] = map as Record<string, unknown>;
    for (const date of dates) {
      const name = (map as Record<string, unknown>)[date];
      if (DATE.exec(date)?.[1] !== String(year) || Number.isNaN(Date.parse(date)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
        say(`${field}.${date}`, `is not a date of ${year} (YYYY-MM-DD)`);
      } else if (typeof name !== 'string' || !name.trim() || name.length > 40) {
        // The name becomes the day's label: a number or an empty name would only fail later, in a request.
        say(`${field}.${date}`, 'must be the name of the day, e.g. "春节" (1 to 40 characters)');
      } else if (field === 'workdays' && ![0, 6].includes(weekday(date))) {
        say(`${field}.${date}`, 'an adjusted working day (调休) is a Saturday or a Sunday; a weekday is a working day already');
      } else if (field === 'workdays' && maps.holidays && date in maps.holidays) {
        say(`${field}.${date}`, 'is also listed in holidays: a day is either off or a working day');
      }
    }
  }
  if (maps.holidays) {
    for (const day of statutoryHolidays(year)) {
      if (!(day.date in maps.holidays)) say(`holidays.${day.date}`, `is missing: ${day.holiday} is a day off by law (全国年节及纪念日放假办法)`);
    }
  }
  return problems;
}

/**
 * Year files a deployment adds when the State Council publishes a notice: `<dir>/2027.json` with
 * `{ "year": 2027, "holidays": { "2027-01-01": "元旦" }, "workdays": { "2027-02-20": "春节调休" } }`.
 * A malformed file stops start-up: a silently wrong calendar would move every deadline.
 */
export function yearFiles(dir: string): CalendarYear[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^\d{4}\.json$/.test(n));
  } catch {
    return [];
  }
  return names.map((name) => {
    const path = join(dir, name);
    const raw = JSON.parse(readFileSync(path, 'utf8')) as CalendarYear;
    const year = Number(name.slice(0, 4));
    const problems = checkCalendarYear(raw, year);
    if (problems.length) throw new Error(`${path}: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`);
    return { year, holidays: raw.holidays as Record<string, string>, workdays: raw.workdays as Record<string, string>, source: path };
  });
}
