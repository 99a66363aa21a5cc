import { readFileSync } from 'node:fs';
import { WorkingCalendar } from '@shenpi/scheduling';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { bearer, useApp } from '../support/test-app.js';

/** An invented 2027 arrangement (test/fixtures/calendar-2027.json): 春节 5–13 February. */
const notice2027 = JSON.parse(readFileSync(new URL('../fixtures/calendar-2027.json', import.meta.url), 'utf8'));

type Label = { zh: string; en: string };
type YearView = { year: number; holidays: Record<string, Label>; workdays: Record<string, Label> };

/** PUT /api/calendar/years/:year: a global administrator loads a year's notice without a restart; GET shows a year. */
describe('calendar years over HTTP', () => {
  const t = useApp({ calendar: WorkingCalendar.load() });
  const as = async (u: string) => bearer(await t.token(u));

  /**
   * A year's answer names every day `{ zh, en }` and nothing else, exactly as GET days/:date names
   * it (one shape whatever the source: package, law, upload). Answers the year's days.
   */
  async function expectOneShape(view: YearView): Promise<void> {
    const named = { ...view.holidays, ...view.workdays };
    expect(Object.keys(named).length).toBeGreaterThan(0);
    expect(named).toEqual(Object.fromEntries(Object.keys(named).map((d) => [d, { zh: expect.any(String), en: expect.any(String) }])));
    const auth = await as('drafter');
    for (const [date, label] of Object.entries(named)) {
      const day = (await t.http().get(`/api/calendar/days/${date}`).set(auth)).body;
      expect([date, day.working, day.holiday]).toEqual([date, date in view.workdays, label]);
    }
  }

  it('answers a year as the calendar knows it, to any signed-in user, and refuses a bad year in the address', async () => {
    // The suite's documents are entered in 2027 (before any token is issued: tokens live 60 days of this clock).
    t.clock.set('2027-02-01T02:00:00.000Z');
    expect((await t.http().get('/api/calendar/years/2027')).status).toBe(401);
    const law = await t.http().get('/api/calendar/years/2027').set(await as('drafter'));
    expect(law.status).toBe(200);
    expect(law.body).toMatchObject({ year: 2027, source: 'law', provisional: true, workdays: {} });
    expect(law.body.holidays).toMatchObject({
      '2027-02-05': { zh: '春节', en: 'Spring Festival' },
      '2027-02-09': { zh: '春节补休', en: 'Spring Festival (make-up day)' },
      '2027-10-04': { zh: '国庆节补休', en: 'National Day (make-up day)' },
    });
    await expectOneShape(law.body);
    // The package's own names ("National Day,国庆节,3") are not answered: the same { zh, en } as any other source.
    const packaged = (await t.http().get('/api/calendar/years/2026').set(await as('drafter'))).body;
    expect(packaged).toMatchObject({ source: 'package', provisional: false });
    expect([packaged.holidays['2026-10-01'], packaged.holidays['2026-04-05'], packaged.workdays['2026-10-10']]).toEqual([
      { zh: '国庆节', en: 'National Day' },
      { zh: '清明节', en: 'Tomb-sweeping Day' },
      { zh: '国庆节调休上班', en: 'National Day (adjusted working day)' },
    ]);
    await expectOneShape(packaged);
    const bad = await t.http().get('/api/calendar/years/20x7').set(await as('drafter'));
    expect([bad.status, bad.body.code, bad.body.details?.[0]?.field]).toEqual([400, 'VALIDATION_FAILED', 'year']);
  });

  it('takes an upload from a global administrator only, names each problem, and moves the due date an open document shows', async () => {
    // Entered on Monday 1 February 2027: by the law alone, due on 12 February (provisional).
    t.clock.set('2027-02-01T02:00:00.000Z');
    const created = await t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: '2026年度法治政府建设情况报告', year: 2026, departmentId: 'city-sti', content: REPORT_OUTLINE });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await t.http().post(`/api/documents/${id}/actions`).set(await as('drafter')).send({ action: 'submit' })).status).toBe(200);
    const before = (await t.http().get(`/api/documents/${id}`).set(await as('counsel'))).body;
    expect([before.dueAt, before.dueProvisional]).toEqual(['2027-02-12T15:59:59.999Z', true]);

    expect((await t.http().put('/api/calendar/years/2027').send(notice2027)).status).toBe(401);
    const forbidden = await t.http().put('/api/calendar/years/2027').set(await as('counsel')).send(notice2027);
    expect([forbidden.status, forbidden.body.code]).toEqual([403, 'FORBIDDEN']);
    const missing = await t.http().put('/api/calendar/years/2027').set(await as('admin')).send({ year: 2027, workdays: {} });
    expect([missing.status, missing.body.details]).toEqual([400, [{ field: 'holidays', reason: expect.stringContaining('required') }]]);
    const { '2027-02-08': _, ...withoutThirdDay } = notice2027.holidays;
    const unlawful = await t.http().put('/api/calendar/years/2027').set(await as('admin')).send({ ...notice2027, holidays: withoutThirdDay });
    expect([unlawful.status, unlawful.body.code, unlawful.body.details]).toEqual([400, 'VALIDATION_FAILED', [{ field: 'holidays.2027-02-08', reason: expect.stringContaining('春节') }]]);
    const elsewhere = await t.http().put('/api/calendar/years/2028').set(await as('admin')).send(notice2027);
    expect([elsewhere.status, elsewhere.body.details.map((d: { field: string }) => d.field)]).toEqual([400, expect.arrayContaining(['year', 'holidays.2027-01-01'])]);

    const uploaded = await t.http().put('/api/calendar/years/2027').set(await as('admin')).send(notice2027);
    expect([uploaded.status, uploaded.body]).toEqual([200, { year: 2027, documentsMoved: 1, timersMoved: expect.any(Number), documentsFailed: 0 }]);
    const after = (await t.http().get(`/api/documents/${id}`).set(await as('counsel'))).body;
    expect([after.dueAt, after.dueProvisional]).toEqual(['2027-02-16T15:59:59.999Z', false]);
    const timeline = (await t.http().get(`/api/documents/${id}/timeline`).set(await as('counsel'))).body;
    expect(JSON.stringify(timeline)).toContain('recompute-deadlines');
    expect((await t.http().get('/api/calendar/days/2027-02-11').set(await as('drafter'))).body).toEqual({
      date: '2027-02-11',
      working: false,
      holiday: { zh: '春节', en: 'Spring Festival' },
      provisional: false,
    });
    const year = (await t.http().get('/api/calendar/years/2027').set(await as('drafter'))).body;
    expect(year).toMatchObject({ source: 'uploaded', provisional: false });
    expect([year.holidays['2027-02-13'], year.workdays['2027-02-20']]).toEqual([{ zh: '春节', en: 'Spring Festival' }, { zh: '春节调休上班', en: 'Spring Festival (adjusted working day)' }]);
    expect(Object.keys(year.workdays).sort()).toEqual(Object.keys(notice2027.workdays).sort());
    await expectOneShape(year);
    // The audit entry's before and after read as the year's answer did and does.
    const audited = (await t.http().get('/api/audit?category=configuration&action=upload-calendar-year&limit=1').set(await as('admin'))).body.items[0];
    expect(audited.details).toMatchObject({ year: 2027, before: { source: 'law', holidays: { '2027-02-09': { zh: '春节补休', en: 'Spring Festival (make-up day)' } } } });
    const { year: __, ...shown } = year;
    expect(audited.details.after).toEqual(shown);
  });

  it('records an upload over the package\'s year with before and after in the year\'s one shape', async () => {
    // 2026 as a notice writes it (国庆节, not "National Day,国庆节,3"): the same days, other raw names.
    const packaged = (await t.http().get('/api/calendar/years/2026').set(await as('admin'))).body as YearView & { source: string };
    const names = (days: Record<string, Label>) => Object.fromEntries(Object.entries(days).map(([d, l]) => [d, l.zh]));
    const uploaded = await t.http().put('/api/calendar/years/2026').set(await as('admin')).send({ year: 2026, holidays: names(packaged.holidays), workdays: names(packaged.workdays) });
    expect(uploaded.status).toBe(200);
    const now = (await t.http().get('/api/calendar/years/2026').set(await as('admin'))).body;
    expect(now.source).toBe('uploaded');
    await expectOneShape(now);
    const audited = (await t.http().get('/api/audit?category=configuration&action=upload-calendar-year&limit=1').set(await as('admin'))).body.items[0];
    const { year: _, ...before } = packaged;
    const { year: __, ...after } = now;
    expect(audited.details).toMatchObject({ year: 2026, before, after });
    // Named alike before and after: only where the year came from changed.
    expect([audited.details.before.holidays, audited.details.before.workdays]).toEqual([audited.details.after.holidays, audited.details.after.workdays]);
    expect([audited.details.before.source, audited.details.after.source]).toEqual(['package', 'uploaded']);
  });
});
