import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CalendarDeadlinePlanner } from '../calendar-deadline-planner.js';
import { checkCalendarYear, packagedYears } from './calendar-data.js';
import { statutoryHolidays } from './statutory-holidays.js';
import { addDays, endOfShanghaiDay, shanghaiDate, WorkingCalendar } from './working-calendar.js';

const calendar = WorkingCalendar.load();

/** A year's days off by law, as every notice lists them, with `extra` days of the notice's own. */
const lawful = (year: number, extra: Record<string, string> = {}) => ({ ...Object.fromEntries(statutoryHolidays(year).map((d) => [d.date, d.holiday])), ...extra });

describe('working calendar', () => {
  it('knows the official 2026 National Day break: the first working day after 30 September is 8 October', () => {
    expect(calendar.addWorkingDays('2026-09-30', 1)).toEqual({ date: '2026-10-08', provisional: false });
    expect(calendar.addWorkingDays('2026-10-08', -1)).toEqual({ date: '2026-09-30', provisional: false });
  });

  it('counts an adjusted Saturday (调休) as a working day, and a holiday weekday as rest', () => {
    expect(calendar.day('2026-10-10')).toMatchObject({ working: true, provisional: false });
    expect(new Date('2026-10-10T00:00:00Z').getUTCDay()).toBe(6);
    expect(calendar.day('2025-01-26')).toMatchObject({ working: true });
    expect(calendar.day('2026-10-05')).toMatchObject({ working: false, holiday: { zh: '国庆节', en: 'National Day' } });
    expect(calendar.addWorkingDays('2026-10-09', 1)).toEqual({ date: '2026-10-10', provisional: false });
  });

  it('falls back to the statutory holidays by law for a year without data, and says so', () => {
    expect(calendar.officialYears().at(-1)).toBe(2026);
    // Spring Festival 2027: 除夕 is 5 February, 初一 6 February (lunar calendar).
    for (const d of ['2027-02-05', '2027-02-08']) expect(calendar.day(d)).toMatchObject({ working: false, holiday: { zh: '春节', en: 'Spring Festival' }, provisional: true });
    expect(calendar.day('2027-04-05')).toMatchObject({ working: false, holiday: { zh: '清明节', en: 'Tomb-sweeping Day' } });
    expect(calendar.day('2027-06-09')).toMatchObject({ working: false, holiday: { zh: '端午节', en: 'Dragon Boat Festival' } });
    expect(calendar.day('2027-09-15')).toMatchObject({ working: false, holiday: { zh: '中秋节', en: 'Mid-Autumn Festival' } });
    expect(calendar.addWorkingDays('2026-12-30', 2)).toEqual({ date: '2027-01-04', provisional: true });
  });

  it('makes up a holiday for all citizens that falls on a weekend on the following working days (放假办法 Art. 6), provisionally', () => {
    // 2027: 春节 Friday 5 – Monday 8 February, 劳动节 Saturday–Sunday 1–2 May, 国庆 Friday–Sunday 1–3 October.
    const springFestival = { zh: '春节补休', en: 'Spring Festival (make-up day)' };
    const labourDay = { zh: '劳动节补休', en: 'Labour Day (make-up day)' };
    const nationalDay = { zh: '国庆节补休', en: 'National Day (make-up day)' };
    const madeUp = { '2027-02-09': springFestival, '2027-02-10': springFestival, '2027-05-03': labourDay, '2027-05-04': labourDay, '2027-10-04': nationalDay, '2027-10-05': nationalDay };
    for (const [date, holiday] of Object.entries(madeUp)) expect(calendar.day(date)).toEqual({ date, working: false, holiday, provisional: true });
    for (const date of ['2027-02-11', '2027-05-05', '2027-10-06']) expect(calendar.day(date)).toEqual({ date, working: true, provisional: true });
    expect(calendar.addWorkingDays('2027-02-04', 1)).toEqual({ date: '2027-02-11', provisional: true });
    expect(calendar.addWorkingDays('2027-09-30', 1)).toEqual({ date: '2027-10-06', provisional: true });
    expect(calendar.nextWorkingDayFrom('2027-05-01')).toEqual({ date: '2027-05-05', provisional: true });
  });

  it('makes up only the holidays for all citizens: 妇女节 on a Saturday and 青年节 on a Sunday are not (Art. 6)', () => {
    expect(calendar.day('2031-03-08')).toEqual({ date: '2031-03-08', working: false, provisional: true });
    expect(calendar.day('2031-03-10')).toEqual({ date: '2031-03-10', working: true, provisional: true });
    // 劳动节 2031 is Thursday–Friday: nothing to make up, and Sunday 4 May (青年节) is not.
    expect(calendar.day('2031-05-04')).toEqual({ date: '2031-05-04', working: false, provisional: true });
    expect(calendar.day('2031-05-05')).toEqual({ date: '2031-05-05', working: true, provisional: true });
  });

  it('moves a make-up day past the next holiday it would fall on', () => {
    // 2044: 国庆 Saturday 1 – Monday 3 October, 中秋 Wednesday 5 October.
    expect(calendar.day('2044-10-04')).toMatchObject({ working: false, holiday: { zh: '国庆节补休' } });
    expect(calendar.day('2044-10-05')).toMatchObject({ working: false, holiday: { zh: '中秋节' } });
    expect(calendar.day('2044-10-06')).toMatchObject({ working: false, holiday: { zh: '国庆节补休' } });
    expect(calendar.day('2044-10-07')).toMatchObject({ working: true, provisional: true });
  });

  it('makes up each holiday of a weekend day two holidays share', () => {
    // 2039: 国庆 Saturday 1 – Monday 3 October, 中秋 Sunday 2 October: three weekend holiday days.
    expect(calendar.day('2039-10-02')).toMatchObject({ working: false, holiday: { zh: '中秋节、国庆节', en: 'Mid-Autumn Festival and National Day' } });
    expect(['2039-10-04', '2039-10-05', '2039-10-06'].map((d) => calendar.day(d).holiday?.zh)).toEqual(['国庆节补休', '中秋节补休', '国庆节补休']);
    expect(calendar.day('2039-10-07')).toMatchObject({ working: true });
  });

  it('never adds make-up days to a year with official data: the notice has its own arrangement', () => {
    const packaged = packagedYears().find((y) => y.year === 2026)!;
    for (let date = '2026-01-01'; date <= '2026-12-31'; date = addDays(date, 1)) {
      const weekend = [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
      const working = packaged.workdays[date] ? true : packaged.holidays[date] ? false : !weekend;
      expect(calendar.day(date)).toMatchObject({ date, working, provisional: false });
    }
    // A 2027 notice that does not give 4 October off (国庆 on Friday–Sunday) is followed as it is.
    const dir = mkdtempSync(join(tmpdir(), 'calendar-'));
    writeFileSync(join(dir, '2027.json'), JSON.stringify({ year: 2027, holidays: lawful(2027), workdays: {} }));
    expect(WorkingCalendar.load(dir).day('2027-10-04')).toEqual({ date: '2027-10-04', working: true, provisional: false });
  });

  it('labels a day in Chinese and English alike, whatever its source', () => {
    // chinese-days writes "National Day,国庆节,3" and "Tomb-sweeping Day,清明,1".
    expect(calendar.day('2026-10-05').holiday).toEqual({ zh: '国庆节', en: 'National Day' });
    expect(calendar.day('2026-04-05').holiday).toEqual({ zh: '清明节', en: 'Tomb-sweeping Day' });
    expect(calendar.day('2026-10-10').holiday).toEqual({ zh: '国庆节调休上班', en: 'National Day (adjusted working day)' });
    expect(calendar.day('2015-09-03').holiday).toEqual({ zh: '中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日', en: 'Anti-Fascist 70th Day' });
    expect(calendar.day('2027-10-01').holiday).toEqual({ zh: '国庆节', en: 'National Day' });
    const dir = mkdtempSync(join(tmpdir(), 'calendar-'));
    writeFileSync(join(dir, '2028.json'), JSON.stringify({ year: 2028, holidays: lawful(2028, { '2028-10-04': '国庆节', '2028-10-09': '抗洪纪念日' }), workdays: { '2028-09-30': '国庆节调休' } }));
    const withFile = WorkingCalendar.load(dir);
    expect(withFile.day('2028-10-04').holiday).toEqual({ zh: '国庆节', en: 'National Day' });
    expect(withFile.day('2028-09-30').holiday).toEqual({ zh: '国庆节调休上班', en: 'National Day (adjusted working day)' });
    // A name the calendar does not know is answered as the file writes it.
    expect(withFile.day('2028-10-09').holiday).toEqual({ zh: '抗洪纪念日', en: '抗洪纪念日' });
  });

  it('answers one set of labels over the packaged years and the provisional ones after them', () => {
    const labels = new Map<string, string>();
    for (let date = '2004-01-01'; date <= '2030-12-31'; date = addDays(date, 1)) {
      const { holiday } = calendar.day(date);
      if (holiday) labels.set(holiday.zh, holiday.en);
    }
    const victory = '中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日';
    expect(Object.fromEntries([...labels].sort())).toEqual(Object.fromEntries([
      ['元旦', "New Year's Day"], ['元旦调休上班', "New Year's Day (adjusted working day)"], ['元旦补休', "New Year's Day (make-up day)"],
      ['春节', 'Spring Festival'], ['春节调休上班', 'Spring Festival (adjusted working day)'], ['春节补休', 'Spring Festival (make-up day)'],
      ['清明节', 'Tomb-sweeping Day'], ['清明节调休上班', 'Tomb-sweeping Day (adjusted working day)'],
      ['劳动节', 'Labour Day'], ['劳动节调休上班', 'Labour Day (adjusted working day)'], ['劳动节补休', 'Labour Day (make-up day)'],
      ['端午节', 'Dragon Boat Festival'], ['端午节调休上班', 'Dragon Boat Festival (adjusted working day)'], ['端午节补休', 'Dragon Boat Festival (make-up day)'],
      ['中秋节', 'Mid-Autumn Festival'], ['中秋节调休上班', 'Mid-Autumn Festival (adjusted working day)'], ['中秋节补休', 'Mid-Autumn Festival (make-up day)'],
      ['中秋节、国庆节', 'Mid-Autumn Festival and National Day'],
      ['国庆节', 'National Day'], ['国庆节调休上班', 'National Day (adjusted working day)'], ['国庆节补休', 'National Day (make-up day)'],
      [victory, 'Anti-Fascist 70th Day'], [`${victory}调休上班`, 'Anti-Fascist 70th Day (adjusted working day)'],
    ].sort()));
  });

  it('takes a year file a deployment adds, without a code change', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calendar-'));
    writeFileSync(join(dir, '2027.json'), JSON.stringify({ year: 2027, holidays: lawful(2027, { '2027-02-09': '春节' }), workdays: { '2027-02-20': '春节调休' } }));
    const withFile = WorkingCalendar.load(dir);
    expect(withFile.day('2027-02-09')).toEqual({ date: '2027-02-09', working: false, holiday: { zh: '春节', en: 'Spring Festival' }, provisional: false });
    expect(withFile.day('2027-02-20')).toEqual({ date: '2027-02-20', working: true, holiday: { zh: '春节调休上班', en: 'Spring Festival (adjusted working day)' }, provisional: false });
    writeFileSync(join(dir, '2028.json'), JSON.stringify({ year: 2028, holidays: lawful(2028, { '2029-01-01': 'x' }), workdays: {} }));
    expect(() => WorkingCalendar.load(dir)).toThrow(/holidays.2029-01-01 is not a date of 2028/);
    writeFileSync(join(dir, '2028.json'), JSON.stringify({ year: 2028, holidays: lawful(2028), workdays: { '2028-01-02': 1 } }));
    expect(() => WorkingCalendar.load(dir)).toThrow(/workdays.2028-01-02 must be the name of the day/);
  });

  it('checks an arrangement as a notice must be: every day of the law off, real dates of its year, 调休 on weekends only, no day both', () => {
    expect(checkCalendarYear({ year: 2027, holidays: lawful(2027), workdays: { '2027-02-20': '春节调休' } }, 2027)).toEqual([]);
    // The official years since the law took its present form pass the same check.
    for (const y of packagedYears().filter((p) => p.year >= 2025)) expect(checkCalendarYear({ year: y.year, holidays: y.holidays, workdays: y.workdays }, y.year)).toEqual([]);
    const { '2027-02-05': _, ...withoutEve } = lawful(2027);
    expect(checkCalendarYear({ year: 2027, holidays: { ...withoutEve, '2027-02-30': '春节' }, workdays: { '2027-02-22': '调休', '2027-01-01': '元旦调休' }, note: 'x' }, 2027)).toEqual([
      { field: 'note', reason: expect.stringContaining('not a field') },
      { field: 'holidays.2027-02-30', reason: expect.stringContaining('not a date of 2027') },
      { field: 'workdays.2027-02-22', reason: expect.stringContaining('Saturday or a Sunday') },
      { field: 'workdays.2027-01-01', reason: expect.stringContaining('Saturday or a Sunday') },
      { field: 'holidays.2027-02-05', reason: expect.stringContaining('春节') },
    ]);
    expect(checkCalendarYear({ year: 2027, holidays: lawful(2027, { '2027-01-02': '元旦' }), workdays: { '2027-01-02': '元旦调休' } }, 2027)).toEqual([
      { field: 'workdays.2027-01-02', reason: expect.stringContaining('also listed in holidays') },
    ]);
    expect(checkCalendarYear([], 2027)).toEqual([{ field: '(body)', reason: expect.any(String) }]);
    expect(checkCalendarYear({ year: 2027, workdays: {} }, 2027)).toEqual([{ field: 'holidays', reason: 'is required' }]);
    expect(checkCalendarYear({ year: 2024, holidays: {}, workdays: {} }, 2024)).toEqual([{ field: 'year', reason: expect.stringContaining('2025') }]);
  });

  it('moves a period ending on a rest day to the next working day', () => {
    expect(calendar.nextWorkingDayFrom('2026-10-03')).toEqual({ date: '2026-10-08', provisional: false });
    expect(calendar.nextWorkingDayFrom('2026-10-08')).toEqual({ date: '2026-10-08', provisional: false });
  });

  it('plans a step that must end by a rest day to end by the working day before it', () => {
    const planner = new CalendarDeadlinePlanner(calendar);
    // "Before 1 March 2027" ends on Sunday 28 February: a one-working-day step must start by Thursday 25th.
    const due = planner.fixedDateDue({ month: 3, day: 1, yearsAfterDocumentYear: 1 }, 2026);
    expect(due.toISOString()).toBe('2027-02-28T15:59:59.999Z');
    expect(planner.workingDaysBefore(due, 0)).toEqual({ date: '2027-02-26', provisional: true });
    expect(planner.workingDaysBefore(due, 1)).toEqual({ date: '2027-02-25', provisional: true });
    expect(planner.workingDaysBefore(new Date('2026-02-28T15:59:59.999Z'), 0)).toEqual({ date: '2026-02-28', provisional: false });
  });

  it('answers a repeated count as the first time, whatever a caller did with the first answer', () => {
    const first = calendar.addWorkingDays('2026-09-30', 1);
    first.date = 'changed';
    expect(calendar.addWorkingDays('2026-09-30', 1)).toEqual({ date: '2026-10-08', provisional: false });
    expect(calendar.addWorkingDays('2026-09-30', -1)).toEqual({ date: '2026-09-29', provisional: false });
    // 8, 9, 10 (an adjusted Saturday), 12, 13 October.
    expect(calendar.addWorkingDays('2026-09-30', 5)).toEqual({ date: '2026-10-13', provisional: false });
  });

  it('works in Asia/Shanghai days', () => {
    expect(shanghaiDate(new Date('2026-02-28T16:30:00Z'))).toBe('2026-03-01');
    expect(endOfShanghaiDay('2026-02-28').toISOString()).toBe('2026-02-28T15:59:59.999Z');
  });
});
