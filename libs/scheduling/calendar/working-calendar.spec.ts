import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CalendarDeadlinePlanner } from '../calendar-deadline-planner.js';
import { endOfShanghaiDay, shanghaiDate, WorkingCalendar } from './working-calendar.js';

const calendar = WorkingCalendar.load();

describe('working calendar', () => {
  it('knows the official 2026 National Day break: the first working day after 30 September is 8 October', () => {
    expect(calendar.addWorkingDays('2026-09-30', 1)).toEqual({ date: '2026-10-08', provisional: false });
    expect(calendar.addWorkingDays('2026-10-08', -1)).toEqual({ date: '2026-09-30', provisional: false });
  });

  it('counts an adjusted Saturday (调休) as a working day, and a holiday weekday as rest', () => {
    expect(calendar.day('2026-10-10')).toMatchObject({ working: true, provisional: false });
    expect(new Date('2026-10-10T00:00:00Z').getUTCDay()).toBe(6);
    expect(calendar.day('2025-01-26')).toMatchObject({ working: true });
    expect(calendar.day('2026-10-05')).toMatchObject({ working: false, holiday: expect.stringContaining('国庆') });
    expect(calendar.addWorkingDays('2026-10-09', 1)).toEqual({ date: '2026-10-10', provisional: false });
  });

  it('falls back to the statutory holidays by law for a year without data, and says so', () => {
    expect(calendar.officialYears().at(-1)).toBe(2026);
    // Spring Festival 2027: 除夕 is 5 February, 初一 6 February (lunar calendar).
    for (const d of ['2027-02-05', '2027-02-08']) expect(calendar.day(d)).toMatchObject({ working: false, holiday: '春节', provisional: true });
    expect(calendar.day('2027-02-09')).toMatchObject({ working: true, provisional: true });
    expect(calendar.day('2027-04-05')).toMatchObject({ working: false, holiday: '清明节' });
    expect(calendar.day('2027-06-09')).toMatchObject({ working: false, holiday: '端午节' });
    expect(calendar.day('2027-09-15')).toMatchObject({ working: false, holiday: '中秋节' });
    expect(calendar.addWorkingDays('2027-02-04', 1)).toEqual({ date: '2027-02-09', provisional: true });
    expect(calendar.addWorkingDays('2026-12-30', 2)).toEqual({ date: '2027-01-04', provisional: true });
  });

  it('takes a year file a deployment adds, without a code change', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calendar-'));
    writeFileSync(join(dir, '2027.json'), JSON.stringify({ year: 2027, holidays: { '2027-02-09': '春节' }, workdays: { '2027-02-20': '春节调休' } }));
    const withFile = WorkingCalendar.load(dir);
    expect(withFile.day('2027-02-09')).toEqual({ date: '2027-02-09', working: false, holiday: '春节', provisional: false });
    expect(withFile.day('2027-02-20')).toMatchObject({ working: true, provisional: false });
    writeFileSync(join(dir, '2028.json'), JSON.stringify({ year: 2028, holidays: { '2029-01-01': 'x' }, workdays: {} }));
    expect(() => WorkingCalendar.load(dir)).toThrow(/not a date of 2028/);
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
