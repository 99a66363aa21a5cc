import { packagedYears, WorkingCalendar } from '@shenpi/scheduling';
import { annualReportChain } from '../../workflows/annual-report/annual-report.chain.js';
import { bearer, PASSWORD, useApp } from '../support/test-app.js';

/** Configuration changes answer "who changed it, and what did it say before". */
describe('configuration changes in the audit log', () => {
  const t = useApp();
  const as = async (u: string) => bearer(await t.token(u));
  const latest = async (action: string) => (await t.http().get(`/api/audit?category=configuration&action=${action}&limit=1`).set(await as('admin'))).body.items[0];

  it('a chain version names the steps it changed and pins both texts by hash', async () => {
    const next = JSON.parse(JSON.stringify(annualReportChain));
    next.steps[1].deadline = { workingDays: 8 };
    await t.http().post('/api/chains').set(await as('admin')).send(next);
    const entry = await latest('publish-chain');
    expect(entry.details).toMatchObject({ chainKey: 'annual-report', version: 2, previousVersion: 1, steps: { added: [], removed: [], changed: ['legal-review'] } });
    const v1 = (await t.http().get('/api/chains/annual-report/versions/1').set(await as('admin'))).body.definition;
    expect(v1.steps[1].deadline).toEqual({ workingDays: 5 });
    expect(entry.details.previousDefinitionSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(entry.details.definitionSha256).not.toBe(entry.details.previousDefinitionSha256);
  });

  it('a role grant records the roles before and after', async () => {
    const { id } = await t.engine.directory.addUser({ username: 'grantee', password: PASSWORD, departmentId: 'city-sti', roles: ['drafter'] });
    await t.engine.directory.addUser({ username: 'grantee', departmentId: 'city-sti', roles: ['legal-counsel'] });
    const entry = await latest('grant-role');
    expect(entry.details).toMatchObject({
      userId: id,
      role: 'legal-counsel',
      before: [{ role: 'drafter', departmentId: 'city-sti' }],
      after: expect.arrayContaining([{ role: 'drafter', departmentId: 'city-sti' }, { role: 'legal-counsel', departmentId: 'city-sti' }]),
    });
  });

  it('a cancelled proxy records the window it ended', async () => {
    const leader = (await t.http().get('/api/me').set(await as('leader'))).body.id;
    const set = await t.http().post('/api/me/proxies').set(await as('counsel')).send({ substituteId: leader, startsAt: '2026-03-01T00:00:00Z', endsAt: '2026-03-08T00:00:00Z' });
    await t.http().delete(`/api/me/proxies/${set.body.id}`).set(await as('counsel'));
    expect((await latest('cancel-proxy')).details).toEqual({ proxyId: set.body.id, before: { substituteId: leader, startsAt: '2026-03-01T00:00:00.000Z', endsAt: '2026-03-08T00:00:00.000Z' }, after: null });
  });

  it('calendar data is recorded when it changes, with the years before and after', async () => {
    const calendar = WorkingCalendar.load();
    expect((await t.engine.recordCalendar(calendar.fingerprint())).length).toBeGreaterThan(10);
    expect(await t.engine.recordCalendar(calendar.fingerprint())).toEqual([]);
    // A deployment adds next year's notice: only that year changes.
    const years = packagedYears();
    const withNext = new WorkingCalendar([...years, { year: 2027, holidays: { '2027-01-01': '元旦' }, workdays: {}, source: 'calendar/2027.json' }]);
    expect(await t.engine.recordCalendar(withNext.fingerprint())).toEqual(['2027']);
    const entry = await latest('calendar-data');
    expect(entry.details).toMatchObject({ changedYears: ['2027'], before: {}, after: { '2027': { source: 'calendar/2027.json' } } });
  });
});
