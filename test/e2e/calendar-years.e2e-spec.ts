import { readFileSync } from 'node:fs';
import { WorkingCalendar } from '@shenpi/scheduling';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { bearer, useApp } from '../support/test-app.js';

/** An invented 2027 arrangement (test/fixtures/calendar-2027.json): 春节 5–13 February. */
const notice2027 = JSON.parse(readFileSync(new URL('../fixtures/calendar-2027.json', import.meta.url), 'utf8'));

/** PUT /api/calendar/years/:year: a global administrator loads a year's notice without a restart; GET shows a year. */
describe('calendar years over HTTP', () => {
  const t = useApp({ calendar: WorkingCalendar.load() });
  const as = async (u: string) => bearer(await t.token(u));

  it('answers a year as the calendar knows it, to any signed-in user, and refuses a bad year in the address', async () => {
    // The suite's documents are entered in 2027 (before any token is issued: tokens live 60 days of this clock).
    t.clock.set('2027-02-01T02:00:00.000Z');
    expect((await t.http().get('/api/calendar/years/2027')).status).toBe(401);
    const law = await t.http().get('/api/calendar/years/2027').set(await as('drafter'));
    expect(law.status).toBe(200);
    expect(law.body).toMatchObject({ year: 2027, source: 'law', provisional: true, workdays: {} });
    expect(law.body.holidays).toMatchObject({ '2027-02-05': '春节', '2027-02-09': '春节补休', '2027-10-04': '国庆节补休' });
    expect((await t.http().get('/api/calendar/years/2026').set(await as('drafter'))).body).toMatchObject({ source: 'package', provisional: false });
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
    expect((await t.http().get('/api/calendar/years/2027').set(await as('drafter'))).body).toMatchObject({ source: 'uploaded', provisional: false, workdays: notice2027.workdays });
    const audited = (await t.http().get('/api/audit?category=configuration&action=upload-calendar-year&limit=1').set(await as('admin'))).body.items[0];
    expect(audited.details).toMatchObject({ year: 2027, before: { source: 'law' }, after: { source: 'uploaded' } });
  });
});
