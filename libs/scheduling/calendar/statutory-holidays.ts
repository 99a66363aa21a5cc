import { createRequire } from 'node:module';

interface LunarTools {
  getSolarDateFromLunar(lunar: string): { date: string };
  getSolarTerms(start: string, end: string): { date: string; term: string }[];
}
const lunar = createRequire(import.meta.url)('chinese-days') as LunarTools;

const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The 13 statutory holiday days of a year as the law fixes them (国务院《全国年节及纪念日放假办法》,
 * from 2025): 元旦 1, 春节 4 (除夕 to 初三), 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3. Used for years
 * with no published notice: the exact bridging days and make-up working days are unknown, so every
 * date computed from them is marked provisional.
 */
export function statutoryHolidays(year: number): Record<string, string> {
  const days: Record<string, string> = {};
  const add = (date: string, name: string) => (days[date] = name);
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
  return days;
}
