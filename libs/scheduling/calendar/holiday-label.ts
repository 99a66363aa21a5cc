/** What a day off or an adjusted working day is called, in both languages of the UI. */
export interface HolidayLabel {
  zh: string;
  en: string;
}

/**
 * The holidays for all citizens (放假办法 Art. 2) in the law's order, each with the name its data
 * starts with (`chinese-days` writes 清明, a notice 清明节): every source labels them alike.
 */
const STATUTORY: readonly (HolidayLabel & { stem: string })[] = [
  { stem: '元旦', zh: '元旦', en: "New Year's Day" },
  { stem: '春节', zh: '春节', en: 'Spring Festival' },
  { stem: '清明', zh: '清明节', en: 'Tomb-sweeping Day' },
  { stem: '劳动节', zh: '劳动节', en: 'Labour Day' },
  { stem: '端午', zh: '端午节', en: 'Dragon Boat Festival' },
  { stem: '中秋', zh: '中秋节', en: 'Mid-Autumn Festival' },
  { stem: '国庆', zh: '国庆节', en: 'National Day' },
];

/**
 * A day off's label from the name its source gives: `chinese-days` writes "National Day,国庆节,3",
 * a year file "国庆节" or "春节调休", the statutory fallback "中秋节、国庆节". The statutory holidays
 * it names are labelled by the table above; any other name keeps its own words (the package's
 * English, else the Chinese in both fields: a year file gives only Chinese).
 */
export function holidayLabel(name: string): HolidayLabel {
  const parts = name.split(',');
  const [zh, en] = parts.length === 3 && /^\d+$/.test(parts[2]!) ? [parts[1]!, parts[0]!] : [name, name];
  const named = STATUTORY.filter((h) => zh.includes(h.stem));
  if (named.length === 0) return { zh, en };
  return { zh: named.map((h) => h.zh).join('、'), en: named.map((h) => h.en).join(' and ') };
}

/** A weekend day worked in exchange for a day off (调休), e.g. 国庆节调休上班. */
export function adjustedWorkdayLabel(name: string): HolidayLabel {
  const { zh, en } = holidayLabel(name);
  return { zh: zh.includes('调休') ? zh : `${zh}调休上班`, en: `${en} (adjusted working day)` };
}

/** A weekday off that makes up a holiday day on a weekend (补休, 放假办法 Art. 6). */
export function makeUpLabel(name: string): HolidayLabel {
  const { zh, en } = holidayLabel(name);
  return { zh: `${zh}补休`, en: `${en} (make-up day)` };
}
