import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

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
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<CalendarYear>;
    const year = Number(name.slice(0, 4));
    if (raw.year !== year) throw new Error(`${path}: "year" must be ${year}`);
    for (const field of ['holidays', 'workdays'] as const) {
      const map = raw[field];
      if (!map || typeof map !== 'object') throw new Error(`${path}: "${field}" must be an object of date → name`);
      for (const [date, name] of Object.entries(map)) {
        if (DATE.exec(date)?.[1] !== String(year) || Number.isNaN(Date.parse(date))) throw new Error(`${path}: ${field} has "${date}", not a date of ${year}`);
        // The name becomes the day's label: a number or an empty name would only fail later, in a request.
        if (typeof name !== 'string' || !name.trim()) throw new Error(`${path}: ${field}["${date}"] must be a name, e.g. "春节"`);
      }
    }
    return { year, holidays: raw.holidays!, workdays: raw.workdays!, source: path };
  });
}
