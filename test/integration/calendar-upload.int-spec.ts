import { readFileSync } from 'node:fs';
import { ManualClock, systemActor, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { CalendarDeadlinePlanner, WorkingCalendar } from '@shenpi/scheduling';
import { annualReportChain } from '../../workflows/annual-report/annual-report.chain.js';
import { PASSWORD, testDatabase } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

/**
 * An arrangement for 2027 as a State Council notice might set it (invented for the tests; the real
 * notice was not published when they were written): 春节 5–13 February, where the law alone gives
 * 5–8 February and the make-up days 9 and 10 February.
 */
const notice2027 = JSON.parse(readFileSync(new URL('../fixtures/calendar-2027.json', import.meta.url), 'utf8'));

/** A legality-review-like step: 5 working days, a reminder 2 working days before, escalation on the day. */
function clockedChain() {
  const chain = JSON.parse(JSON.stringify(annualReportChain));
  chain.key = 'clocked';
  chain.uniquePerDepartmentAndYear = false;
  chain.steps[1].deadline = { workingDays: 5 };
  chain.steps[1].reminders = [{ workingDaysBefore: 2 }];
  chain.steps[1].escalation = { to: { role: 'leader', department: 'document' } };
  return chain;
}

const endOf = (date: string) => `${date}T15:59:59.999Z`;

describe('calendar years uploaded at run time', () => {
  const database = testDatabase();
  const clock = new ManualClock(new Date('2027-02-01T02:00:00.000Z')); // Monday 1 February 2027
  // Calendars of this suite's own: an upload changes the calendar it is adopted by.
  const calendar = WorkingCalendar.load();
  let engine: Engine;
  const u: Record<string, Principal> = {};
  const live = (e: Engine, id: string) => e.writer.run(async (r) => (await r.deadlines.forDocument(id)).filter((d) => d.stepKey === 'legal-review' && d.status !== 'cancelled'));
  const timer = async (e: Engine, id: string, kind: string) => (await live(e, id)).find((t) => t.kind === kind)!;
  const start = async (e: Engine) => {
    const doc = await e.createDocument.execute({ principal: u.drafter, chain: 'clocked', title: '规范性文件', year: 2027, departmentId: 'city-sti', content: REPORT_OUTLINE });
    await e.transition.execute({ documentId: doc.id, action: 'submit', principal: u.drafter });
    return doc.id;
  };

  beforeAll(async () => {
    engine = await Engine.open({ database, clock, planner: new CalendarDeadlinePlanner(calendar) });
    await engine.directory.seedDemo(PASSWORD);
    await engine.writer.run((r) => engine.chains.publish(r, clockedChain(), systemActor('test')));
    for (const name of ['drafter', 'counsel', 'leader', 'admin']) u[name] = (await engine.authentication.login(name, PASSWORD))!;
  });
  afterAll(async () => {
    await engine.close();
    await database.drop();
  });

  it('refuses anyone but a global administrator, and an arrangement that breaks the law or names days of another year, changing nothing', async () => {
    await expect(engine.calendarYears.upload(u.counsel, 2027, notice2027)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const { '2027-10-03': _, ...withoutNationalDay } = notice2027.holidays;
    const broken = { year: 2027, holidays: { ...withoutNationalDay, '2028-01-01': '元旦' }, workdays: { '2027-02-22': '调休', '2027-02-20': '春节调休', '2027-02-13': '春节' } };
    const refusal = await engine.calendarYears.upload(u.admin, 2027, broken).catch((e) => e);
    expect(refusal.code).toBe('VALIDATION_FAILED');
    expect(Object.fromEntries((refusal.details as { field: string; reason: string }[]).map((d) => [d.field, d.reason]))).toEqual({
      'holidays.2028-01-01': expect.stringContaining('not a date of 2027'),
      'workdays.2027-02-22': expect.stringContaining('Saturday or a Sunday'),
      'workdays.2027-02-13': expect.stringContaining('also listed in holidays'),
      'holidays.2027-10-03': expect.stringContaining('国庆节'),
    });
    await expect(engine.calendarYears.upload(u.admin, 2027, { ...notice2027, year: 2028 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(engine.calendarYears.upload(u.admin, 2024, { ...notice2027, year: 2024 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'year' }] });
    expect(engine.calendarYears.view(2027)).toMatchObject({ source: 'law', provisional: true });
    expect(await engine.writer.run((r) => r.calendarYears.all())).toEqual([]);
  });

  it("moves the provisional due dates it changes, re-arms each timer, and records the change in the year's and each document's history", async () => {
    clock.set('2027-02-01T02:00:00.000Z');
    // By the law alone 5–10 February are off (除夕 to 初三, and the make-up days for the weekend).
    const plain = await start(engine);
    expect(await timer(engine, plain, 'due')).toMatchObject({ fireAt: endOf('2027-02-12'), provisional: true });
    const extended = await start(engine);
    await engine.statutoryClocks.requestExtension(u.counsel, extended, 3, '情况复杂');
    await engine.statutoryClocks.decideExtension(u.leader, extended, true, '同意');
    expect(await timer(engine, extended, 'due')).toMatchObject({ fireAt: endOf('2027-02-17'), provisional: true });
    // Paused on 2 February and resumed on 3 February: one working day more. `legacy` as a clock resumed before the
    // pauses were kept with it: they are read from its history.
    const [resumed, legacy, pausedNow] = [await start(engine), await start(engine), await start(engine)];
    clock.set('2027-02-02T02:00:00.000Z');
    for (const id of [resumed, legacy, pausedNow]) await engine.statutoryClocks.pause(u.counsel, id, '征求意见');
    clock.set('2027-02-03T02:00:00.000Z');
    for (const id of [resumed, legacy]) await engine.statutoryClocks.resume(u.counsel, id);
    expect(await timer(engine, legacy, 'due')).toMatchObject({ fireAt: endOf('2027-02-15'), provisional: true });
    expect((await engine.documentReadModel.document(u.counsel, resumed)).clock).toEqual({ paused: { workingDays: 1, ms: 0 } });
    await engine.writer.run(async (r) => {
      const doc = (await r.documents.get(legacy))!;
      const { paused: _, ...clockBefore } = doc.attributes.clock as Record<string, unknown>;
      await r.sql.run('UPDATE documents SET attributes = ? WHERE id = ?', [JSON.stringify({ ...doc.attributes, clock: clockBefore }), legacy]);
    });
    // A document whose timers end before 2027 is not touched.
    clock.set('2026-06-01T02:00:00.000Z');
    const earlier = await start(engine);
    const earlierTimers = await live(engine, earlier);
    clock.set('2027-02-03T03:00:00.000Z');
    const before = { plain: await live(engine, plain), extended: await live(engine, extended) };

    const result = await engine.calendarYears.upload(u.admin, 2027, notice2027);

    // The notice gives 5–13 February off: five working days from 1 February end on Tuesday 16 February.
    expect(result).toEqual({ year: 2027, documentsMoved: 5, timersMoved: 15, documentsFailed: 0 });
    for (const id of [resumed, legacy]) expect(await timer(engine, id, 'due')).toMatchObject({ fireAt: endOf('2027-02-17'), provisional: false, status: 'pending' });
    // A clock paused now keeps its timers paused, at the instants the notice gives.
    expect(await timer(engine, pausedNow, 'due')).toMatchObject({ fireAt: endOf('2027-02-16'), provisional: false, status: 'paused' });
    expect(await timer(engine, plain, 'due')).toMatchObject({ fireAt: endOf('2027-02-16'), provisional: false, status: 'pending' });
    expect(await timer(engine, plain, 'escalation')).toMatchObject({ fireAt: endOf('2027-02-16'), provisional: false });
    // Two working days before 16 February is 4 February, as before: the reminder only loses `provisional`.
    expect(await timer(engine, plain, 'reminder')).toMatchObject({ fireAt: '2027-02-04T01:00:00.000Z', provisional: false });
    // The approved extension of 3 working days is kept: 17, 18 and 19 February.
    expect(await timer(engine, extended, 'due')).toMatchObject({ fireAt: endOf('2027-02-19'), provisional: false });
    // Re-armed: each row a new version, so a job queued for the old instant is told apart.
    for (const row of before.plain) expect((await live(engine, plain)).find((r) => r.id === row.id)!.version).toBe(row.version + 1);
    expect(await live(engine, earlier)).toEqual(earlierTimers);

    const view = await engine.documentReadModel.document(u.counsel, plain);
    expect([view.dueAt, view.dueProvisional, view.openTasks[0].dueAt]).toEqual([endOf('2027-02-16'), false, endOf('2027-02-16')]);
    const listed = (await engine.documentReadModel.documents(u.counsel, {}, undefined, 200)).items.find((d) => d.id === plain)!;
    expect([listed.dueAt, listed.dueProvisional]).toEqual([endOf('2027-02-16'), false]);

    const history = await engine.writer.run((r) => r.audit.forDocument(plain, 'transition'));
    const retimed = history.filter((e) => e.action === 'recompute-deadlines');
    expect(retimed).toHaveLength(1);
    expect(JSON.parse(retimed[0].details)).toMatchObject({ year: 2027, dueAt: { from: endOf('2027-02-12'), to: endOf('2027-02-16') }, provisional: false });
    expect(retimed[0].actorId).toBe(u.admin.id);
    const [configuration] = await engine.writer.run((r) => r.audit.search({ category: 'configuration', action: 'upload-calendar-year' }, null, 10));
    expect(JSON.parse(configuration.details)).toMatchObject({
      year: 2027,
      before: { source: 'law', provisional: true, holidays: { '2027-02-09': { zh: '春节补休', en: 'Spring Festival (make-up day)' } } },
      after: { source: 'uploaded', provisional: false, holidays: { '2027-02-13': { zh: '春节', en: 'Spring Festival' } }, workdays: { '2027-02-20': { zh: '春节调休上班', en: 'Spring Festival (adjusted working day)' } } },
    });
    expect(calendar.day('2027-02-11')).toMatchObject({ working: false, provisional: false });
    const held = engine.calendarYears.view(2027);
    expect(held).toMatchObject({ source: 'uploaded', provisional: false });
    expect([Object.keys(held.holidays), Object.keys(held.workdays)]).toEqual([Object.keys(notice2027.holidays).sort(), Object.keys(notice2027.workdays).sort()]);

    // The same arrangement again changes nothing and records nothing.
    expect(await engine.calendarYears.upload(u.admin, 2027, notice2027)).toEqual({ year: 2027, documentsMoved: 0, timersMoved: 0, documentsFailed: 0 });
    expect(await engine.writer.run((r) => r.audit.search({ category: 'configuration', action: 'upload-calendar-year' }, null, 10))).toHaveLength(1);
  });

  it('is planned with from the next step on, kept over a restart, and a peer process adopts it and retimes what it planned on its stale calendar', async () => {
    // A peer process opened before the upload: its calendar still has only the law for 2027.
    const staleCalendar = WorkingCalendar.load();
    const peer = await Engine.open({ database, clock, planner: new CalendarDeadlinePlanner(staleCalendar) });
    try {
      clock.set('2027-02-01T04:00:00.000Z');
      const byPeer = await start(peer);
      expect(await timer(peer, byPeer, 'due')).toMatchObject({ fireAt: endOf('2027-02-12'), provisional: true });
      const byUploader = await start(engine);
      expect(await timer(engine, byUploader, 'due')).toMatchObject({ fireAt: endOf('2027-02-16'), provisional: false });
      expect(await peer.calendarYears.refresh()).toEqual([2027]);
      expect(await timer(peer, byPeer, 'due')).toMatchObject({ fireAt: endOf('2027-02-16'), provisional: false });
      expect(staleCalendar.day('2027-02-12')).toMatchObject({ working: false, provisional: false });
      expect(await peer.calendarYears.refresh()).toEqual([]);
      const retimed = (await peer.writer.run((r) => r.audit.forDocument(byPeer, 'transition'))).filter((e) => e.action === 'recompute-deadlines');
      expect(retimed.map((e) => e.actorId)).toEqual([systemActor('calendar').id]);
    } finally {
      await peer.close();
    }
    // A process started later reads the stored year before it plans anything.
    const fresh = WorkingCalendar.load();
    const restarted = await Engine.open({ database, clock, planner: new CalendarDeadlinePlanner(fresh) });
    try {
      expect(await restarted.calendarYears.load()).toEqual([2027]);
      expect(fresh.day('2027-02-11')).toMatchObject({ working: false, provisional: false });
      expect(restarted.calendarYears.view(2027).source).toBe('uploaded');
    } finally {
      await restarted.close();
    }
  });

  it('counts a document it cannot retime and leaves it as it was, and moves the others', async () => {
    clock.set('2027-02-01T05:00:00.000Z');
    const [sound, diverged] = [await start(engine), await start(engine)];
    const before = await live(engine, diverged);
    // A row changed behind the service's back: the kernel refuses to act on it (STATE_DIVERGED).
    await engine.writer.run((r) => r.sql.run("UPDATE documents SET state = 'party-group-review' WHERE id = ?", [diverged]));
    const amended = { ...notice2027, holidays: { ...notice2027.holidays, '2027-02-15': '春节' } };
    const result = await engine.calendarYears.upload(u.admin, 2027, amended);
    expect(result.documentsFailed).toBe(1);
    expect(result.documentsMoved).toBeGreaterThan(0);
    // 2, 3, 4, then 16 and 17 February.
    expect(await timer(engine, sound, 'due')).toMatchObject({ fireAt: endOf('2027-02-17'), provisional: false });
    expect(await live(engine, diverged)).toEqual(before);
  });
});
