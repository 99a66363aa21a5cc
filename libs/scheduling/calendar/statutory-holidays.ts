import { createRequire } from 'node:module';

interface LunarTools {
  getSolarDateFromLunar(lunar: string): { date: string };
  getSolarTerms(start: string, end: string): { date: string; term: string }[];
}
const lunar = createRequire(import.meta.url)('chinese-days') as LunarTools;

const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const isWeekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());

/** A day off by law: its date and the holiday (its Chinese name) it belongs to. */
export interface StatutoryDay {
  date: string;
  holiday: string;
}

/**
 * The 13 statutory holiday days of a year as the law fixes them (国务院《全国年节及纪念日放假办法》,
 * from 2025, Art. 2, the holidays for all citizens): 元旦 1, 春节 4 (除夕 to 初三), 清明 1, 劳动节 2,
 * 端午 1, 中秋 1, 国庆 3. Used for years with no published notice: the exact bridging days and
 * adjusted working days are unknown, so every date computed from them is marked provisional.
 * Sorted by date; two holidays on one date (中秋 on 1–3 October) are both listed, in the law's order.
 */
export function statutoryHolidays(year: number): StatutoryDay[] {
  const days: StatutoryDay[] = [];
  const add = (date: string, holiday: string) => days.push({ date, holiday });
  add(`${year}-01-01`, '元旦');
  const newYear = lunar.getSolarDateFromLunar(`${year}-01-01`).date;
  for (let i = -1; i <= 2; i++) add(shift(newYear, i), '春节');
  const qingming = lunar.getSolarTerms(`${year}-04-01`, `${year}-04-10`).find((t) => t.term === 'pure_brightness');
  if (qingming) add(qingming.date, '清明节');
  add(`${year}-05-01`, '劳动节');
  add(`${year}-05-02`, '劳动节');
  add(lunar.getSolarDateFromLunar(`${year}-05-05`).date, '端午节');
  add(lunar.getSolarDateFromLunar(`${year}-08-15`).date, '中秋节');
  for (const d of ['01', '02', '03']) add(`${year}-10-${d}`, '国庆节');
  // A stable sort keeps the law's order within a date.
  return days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * The law's make-up days (Art. 6: 全体公民放假的假日，如果适逢星期六、星期日，应当在工作日补假; the
 * partial holidays of Art. 3, 妇女节 and the like, are not made up, and are no days off here at all).
 * Each holiday day on a weekend is made up by the first weekday after it that is neither a holiday
 * nor already a make-up day: 国庆 on Friday–Sunday gives Monday and Tuesday off. `holidays` are
 * `statutoryHolidays(year)`, sorted by date; the answer is sorted by date too.
 */
export function makeUpDays(holidays: StatutoryDay[]): StatutoryDay[] {
  const taken = new Set(holidays.map((h) => h.date));
  const made: StatutoryDay[] = [];
  for (const h of holidays) {
    if (!isWeekend(h.date)) continue;
    let date = shift(h.date, 1);
    while (isWeekend(date) || taken.has(date)) date = shift(date, 1);
    taken.add(date);
    made.push({ date, holiday: h.holiday });
  }
  return made.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
