import { PASSWORD, bearer, useApp } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

/**
 * The supervisors' overview (督察) of the 2025 annual reports of five departments under the
 * rule-of-law office, driven over HTTP on the injected clock, against figures computed by hand.
 *
 * Every action happens at 02:00Z (10:00 Beijing) on the day named. The statutory dates of a 2025
 * report: submission (entering office-review) before 1 March 2026 → due 2026-02-28T15:59:59.999Z;
 * publication (entering disclosed) before 1 April 2026 → due 2026-03-31T15:59:59.999Z, reached on the
 * publication date the disclosure record names (its start in Beijing: 20 March → 2026-03-19T16:00:00.000Z).
 *
 *   A city-sti       on time, published on time: create 02-03, submit 02-04, legal ✓ 02-06, party ✓ 02-07
 *                    (office-review entered 02-07), office ✓ 02-10, disclosed 02-13.
 *   B city-edu       late, published on time: create 02-17, submit 02-21, legal returns 02-22, resubmit 02-25,
 *                    legal ✓ 02-28, party ✓ 03-05 (office-review entered 03-05: late), office ✓ 03-06, disclosed 03-20.
 *   C city-health    on time, never published: create 02-15, submit 02-16, legal ✓ 02-20, party ✓ 02-23
 *                    (office-review entered 02-23), office ✓ 02-24, then waits in awaiting-disclosure.
 *   D city-transport created 02-14, still in draft.
 *   E city-water     no document at all.
 */
describe('the supervision overview of a year’s annual reports', () => {
  const t = useApp();
  const YEAR = 2025;
  const SUBMISSION_DUE = '2026-02-28T15:59:59.999Z';
  const PUBLICATION_DUE = '2026-03-31T15:59:59.999Z';
  const ids: Record<'A' | 'B' | 'C' | 'D', string> = { A: '', B: '', C: '', D: '' };

  // Tokens live 60 days and the test spans more: log in again once a token is 20 days old.
  const tokens = new Map<string, { token: string; at: number }>();
  const as = async (username: string) => {
    const now = t.clock.now().getTime();
    const known = tokens.get(username);
    if (!known || now - known.at > 20 * 86_400_000 || now < known.at) {
      const res = await t.http().post('/api/auth/login').send({ username, password: PASSWORD });
      expect(res.status).toBe(200);
      tokens.set(username, { token: res.body.accessToken, at: now });
    }
    return bearer(tokens.get(username)!.token);
  };
  const on = (day: string) => t.clock.set(`${day}T02:00:00.000Z`);

  const create = async (drafter: string, departmentId: string, title: string) => {
    const res = await t.http().post('/api/documents').set(await as(drafter)).send({ chain: 'annual-report', title, year: YEAR, departmentId, content: REPORT_OUTLINE });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const act = async (user: string, id: string, body: object) => {
    const res = await t.http().post(`/api/documents/${id}/actions`).set(await as(user)).send(body);
    expect(res.status).toBe(200);
    return res.body;
  };
  const decide = async (user: string, id: string, step: string, decision: 'approve' | 'return', comment?: string) => {
    const inbox = await t.http().get('/api/tasks').set(await as(user));
    const mine = inbox.body.items.filter((i: { documentId: string }) => i.documentId === id);
    expect(mine.map((i: { stepKey: string }) => i.stepKey)).toEqual([step]);
    const res = await t.http().post(`/api/tasks/${mine[0].id}/decision`).set(await as(user)).send({ decision, ...(comment ? { comment } : {}) });
    expect(res.status).toBe(200);
    return res.body;
  };
  const disclose = (drafter: string, id: string) =>
    act(drafter, id, { action: 'record-disclosure', disclosure: { url: `https://example.gov.cn/fzzf/${id}.html`, publishedOn: t.clock.now().toISOString().slice(0, 10) } });
  const overview = async (user: string, query = `chain=annual-report&year=${YEAR}`) => t.http().get(`/api/supervision/overview?${query}`).set(await as(user));

  beforeAll(async () => {
    const departments = [
      ['city-edu', '市教育局 / City education bureau'],
      ['city-health', '市卫健委 / City health commission'],
      ['city-transport', '市交通局 / City transport bureau'],
      ['city-water', '市水利局 / City water bureau'],
    ];
    for (const [id, name] of departments) await t.engine.directory.addDepartment({ id, name, officeId: 'rule-of-law-office' });
    for (const dep of ['edu', 'health', 'transport']) {
      await t.engine.directory.addUser({ username: `drafter-${dep}`, password: PASSWORD, departmentId: `city-${dep}`, roles: ['drafter'] });
      await t.engine.directory.addUser({ username: `counsel-${dep}`, password: PASSWORD, departmentId: `city-${dep}`, roles: ['legal-counsel'] });
      await t.engine.directory.addUser({ username: `secretary-${dep}`, password: PASSWORD, departmentId: `city-${dep}`, roles: ['party-secretary'] });
    }
    await t.engine.directory.addUser({ username: 'sup-edu', password: PASSWORD, departmentId: 'city-edu', roles: ['supervisor'] });
  });

  it('follows the reports through the year; on 6 March the publication date is not yet due', async () => {
    on('2026-02-03');
    ids.A = await create('drafter', 'city-sti', '市科技局2025年度法治政府建设工作报告');
    on('2026-02-04');
    await act('drafter', ids.A, { action: 'submit' });
    on('2026-02-06');
    await decide('counsel', ids.A, 'legal-review', 'approve');
    on('2026-02-07');
    await decide('secretary', ids.A, 'party-group-review', 'approve');
    on('2026-02-10');
    await decide('office', ids.A, 'office-review', 'approve');
    on('2026-02-13');
    expect((await disclose('drafter', ids.A)).state).toBe('disclosed');

    on('2026-02-14');
    ids.D = await create('drafter-transport', 'city-transport', '市交通局2025年度法治政府建设工作报告');
    on('2026-02-15');
    ids.C = await create('drafter-health', 'city-health', '市卫健委2025年度法治政府建设工作报告');
    on('2026-02-16');
    await act('drafter-health', ids.C, { action: 'submit' });
    on('2026-02-17');
    ids.B = await create('drafter-edu', 'city-edu', '市教育局2025年度法治政府建设工作报告');
    on('2026-02-20');
    await decide('counsel-health', ids.C, 'legal-review', 'approve');
    on('2026-02-21');
    await act('drafter-edu', ids.B, { action: 'submit' });
    on('2026-02-22');
    await decide('counsel-edu', ids.B, 'legal-review', 'return', '请补充第三部分。');
    on('2026-02-23');
    await decide('secretary-health', ids.C, 'party-group-review', 'approve');
    on('2026-02-24');
    await decide('office', ids.C, 'office-review', 'approve');
    on('2026-02-25');
    await act('drafter-edu', ids.B, { action: 'submit' });
    on('2026-02-28');
    await decide('counsel-edu', ids.B, 'legal-review', 'approve');
    on('2026-03-05');
    await decide('secretary-edu', ids.B, 'party-group-review', 'approve');
    on('2026-03-06');
    await decide('office', ids.B, 'office-review', 'approve');

    // As of 2026-03-06 (Beijing): submission is past due (3-06 − 2-28 = 6 days for D and E),
    // publication not yet (met null, 0 days) for everyone who has not published.
    const res = await overview('supervisor');
    expect(res.status).toBe(200);
    const byDept = Object.fromEntries(res.body.departments.map((d: { departmentId: string }) => [d.departmentId, d]));
    expect(byDept['city-edu'].milestones).toEqual([
      { key: 'submission', dueAt: SUBMISSION_DUE, reachedAt: '2026-03-05T02:00:00.000Z', met: false, overdue: false, daysOverdue: 5 },
      { key: 'publication', dueAt: PUBLICATION_DUE, reachedAt: null, met: null, overdue: false, daysOverdue: 0 },
    ]);
    expect(byDept['city-health'].milestones[1]).toEqual({ key: 'publication', dueAt: PUBLICATION_DUE, reachedAt: null, met: null, overdue: false, daysOverdue: 0 });
    expect(byDept['city-transport'].milestones[0]).toEqual({ key: 'submission', dueAt: SUBMISSION_DUE, reachedAt: null, met: false, overdue: true, daysOverdue: 6 });
    expect(byDept['city-water']).toMatchObject({ state: 'missing', documentId: null });
    expect(byDept['city-water'].milestones.map((m: { daysOverdue: number }) => m.daysOverdue)).toEqual([6, 0]);
    // Only decided milestones count: A 2/2; B 0/1 (publication not due); C 1/1; D and E 0/1.
    expect(res.body.onTimeRate).toEqual([
      { departmentId: 'city-edu', due: 1, met: 0, rate: 0 },
      { departmentId: 'city-health', due: 1, met: 1, rate: 1 },
      { departmentId: 'city-sti', due: 2, met: 2, rate: 1 },
      { departmentId: 'city-transport', due: 1, met: 0, rate: 0 },
      { departmentId: 'city-water', due: 1, met: 0, rate: 0 },
    ]);

    // The document view says the same of D, the draft: submission overdue, publication not yet due.
    const d = (await t.http().get(`/api/documents/${ids.D}`).set(await as('drafter-transport'))).body;
    expect(d.milestones.map((m: { key: string; reached: boolean; overdue: boolean; daysOverdue: number }) => [m.key, m.reached, m.overdue, m.daysOverdue])).toEqual([
      ['submission', false, true, 6],
      ['publication', false, false, 0],
    ]);

    on('2026-03-20');
    expect((await disclose('drafter-edu', ids.B)).state).toBe('disclosed');
  });

  it('says in the document view and the timeline which milestones are overdue, and by how many days (10 April 2026)', async () => {
    on('2026-04-10');
    const view = async (id: string, user: string) => {
      const res = await t.http().get(`/api/documents/${id}`).set(await as(user));
      expect(res.status).toBe(200);
      return res.body.milestones.map((m: { key: string; reached: boolean; overdue: boolean; daysOverdue: number }) => [m.key, m.reached, m.overdue, m.daysOverdue]);
    };
    expect(await view(ids.D, 'drafter-transport')).toEqual([['submission', false, true, 41], ['publication', false, true, 10]]);
    expect(await view(ids.C, 'drafter-health')).toEqual([['submission', true, false, 0], ['publication', false, true, 10]]);
    // B submitted late but has reached both: late is the overview's to say, not overdue.
    expect(await view(ids.B, 'drafter-edu')).toEqual([['submission', true, false, 0], ['publication', true, false, 0]]);

    const timeline = async (id: string) => {
      const res = await t.http().get(`/api/documents/${id}/timeline`).set(await as('supervisor'));
      expect(res.status).toBe(200);
      return res.body.milestones;
    };
    expect(await timeline(ids.D)).toEqual([
      { key: 'submission', name: { zh: '报送', en: 'Submission' }, step: 'office-review', dueAt: SUBMISSION_DUE, reachedAt: null, met: false, overdue: true, daysOverdue: 41 },
      { key: 'publication', name: { zh: '向社会公开', en: 'Publication' }, step: 'disclosed', dueAt: PUBLICATION_DUE, reachedAt: null, met: false, overdue: true, daysOverdue: 10 },
    ]);
    expect(await timeline(ids.B)).toMatchObject([
      { key: 'submission', reachedAt: '2026-03-05T02:00:00.000Z', met: false, overdue: false, daysOverdue: 5 },
      { key: 'publication', reachedAt: '2026-03-19T16:00:00.000Z', met: true, overdue: false, daysOverdue: 0 },
    ]);
  });

  it('matches the hand-computed figures after the publication date (as of 10 April 2026)', async () => {
    on('2026-04-10');
    const res = await overview('supervisor');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ chain: 'annual-report', chainVersion: 1, year: 2025, generatedAt: '2026-04-10T02:00:00.000Z' });
    expect(res.body.milestones).toEqual([
      { key: 'submission', name: { zh: '报送', en: 'Submission' }, step: 'office-review', dueAt: SUBMISSION_DUE },
      { key: 'publication', name: { zh: '向社会公开', en: 'Publication' }, step: 'disclosed', dueAt: PUBLICATION_DUE },
    ]);
    const missed = (due: string, days: number) => ({ dueAt: due, reachedAt: null, met: false, overdue: true, daysOverdue: days });
    // Days overdue are Beijing calendar days: 2-28 → 3-05 = 5; 3-31 → 4-10 = 10; 2-28 → 4-10 = 31 (March) + 10 = 41.
    // The rule-of-law office itself is not listed (city departments report to it).
    expect(res.body.departments).toEqual([
      {
        departmentId: 'city-edu',
        departmentName: '市教育局 / City education bureau',
        documentId: ids.B,
        title: '市教育局2025年度法治政府建设工作报告',
        state: 'disclosed',
        milestones: [
          { key: 'submission', dueAt: SUBMISSION_DUE, reachedAt: '2026-03-05T02:00:00.000Z', met: false, overdue: false, daysOverdue: 5 },
          // Recorded the day it was published: no late record.
          { key: 'publication', dueAt: PUBLICATION_DUE, reachedAt: '2026-03-19T16:00:00.000Z', met: true, overdue: false, daysOverdue: 0, disclosure: { publishedOn: '2026-03-20', recordedAt: '2026-03-20T02:00:00.000Z', recordedLate: false } },
        ],
      },
      {
        departmentId: 'city-health',
        departmentName: '市卫健委 / City health commission',
        documentId: ids.C,
        title: '市卫健委2025年度法治政府建设工作报告',
        state: 'awaiting-disclosure',
        milestones: [
          { key: 'submission', dueAt: SUBMISSION_DUE, reachedAt: '2026-02-23T02:00:00.000Z', met: true, overdue: false, daysOverdue: 0 },
          { key: 'publication', ...missed(PUBLICATION_DUE, 10) },
        ],
      },
      {
        departmentId: 'city-sti',
        departmentName: '市科技局 / City science & technology bureau',
        documentId: ids.A,
        title: '市科技局2025年度法治政府建设工作报告',
        state: 'disclosed',
        milestones: [
          { key: 'submission', dueAt: SUBMISSION_DUE, reachedAt: '2026-02-07T02:00:00.000Z', met: true, overdue: false, daysOverdue: 0 },
          { key: 'publication', dueAt: PUBLICATION_DUE, reachedAt: '2026-02-12T16:00:00.000Z', met: true, overdue: false, daysOverdue: 0, disclosure: { publishedOn: '2026-02-13', recordedAt: expect.any(String), recordedLate: false } },
        ],
      },
      {
        departmentId: 'city-transport',
        departmentName: '市交通局 / City transport bureau',
        documentId: ids.D,
        title: '市交通局2025年度法治政府建设工作报告',
        state: 'draft',
        milestones: [
          { key: 'submission', ...missed(SUBMISSION_DUE, 41) },
          { key: 'publication', ...missed(PUBLICATION_DUE, 10) },
        ],
      },
      {
        departmentId: 'city-water',
        departmentName: '市水利局 / City water bureau',
        documentId: null,
        title: null,
        state: 'missing',
        milestones: [
          { key: 'submission', ...missed(SUBMISSION_DUE, 41) },
          { key: 'publication', ...missed(PUBLICATION_DUE, 10) },
        ],
      },
    ]);
    // Both dates are due for everyone now: A 2/2; B 1/2 (late submission); C 1/2 (not published); D, E 0/2.
    expect(res.body.onTimeRate).toEqual([
      { departmentId: 'city-edu', due: 2, met: 1, rate: 0.5 },
      { departmentId: 'city-health', due: 2, met: 1, rate: 0.5 },
      { departmentId: 'city-sti', due: 2, met: 2, rate: 1 },
      { departmentId: 'city-transport', due: 2, met: 0, rate: 0 },
      { departmentId: 'city-water', due: 2, met: 0, rate: 0 },
    ]);
    // Completed stays, in hours (D's draft is still open and does not count):
    //   draft:               A 2-03→2-04 24, C 2-15→2-16 24, B 2-17→2-21 96, B 2-22→2-25 72 → 24,24,72,96 → (24+72)/2 = 48
    //   legal-review:        A 2-04→2-06 48, C 2-16→2-20 96, B 2-21→2-22 24, B 2-25→2-28 72 → 24,48,72,96 → (48+72)/2 = 60
    //   party-group-review:  A 2-06→2-07 24, C 2-20→2-23 72, B 2-28→3-05 120            → 24,72,120 → 72
    //   office-review:       A 2-07→2-10 72, C 2-23→2-24 24, B 3-05→3-06 24             → 24,24,72 → 24
    //   awaiting-disclosure: A 2-10→2-13 72, B 3-06→3-20 336 (C still waiting)          → (72+336)/2 = 204
    expect(res.body.stepDurations).toEqual([
      { step: 'draft', name: { zh: '起草', en: 'Drafting' }, count: 4, medianHours: 48 },
      { step: 'legal-review', name: { zh: '法制审核', en: 'Legal counsel review' }, count: 4, medianHours: 60 },
      { step: 'party-group-review', name: { zh: '党组会议审议', en: 'Party group meeting approval' }, count: 3, medianHours: 72 },
      { step: 'office-review', name: { zh: '报送法治建设办', en: 'Submission to the rule-of-law office' }, count: 3, medianHours: 24 },
      { step: 'awaiting-disclosure', name: { zh: '向社会公开', en: 'Public disclosure' }, count: 2, medianHours: 204 },
    ]);

    // No chain migration was forced.
    expect(res.body.forcedMigrations).toEqual([]);

    // A global administrator sees the same departments.
    const admin = await overview('admin');
    expect(admin.status).toBe(200);
    expect(admin.body.departments).toEqual(res.body.departments);
  });

  it('lists every department as missing for a year nobody reported on', async () => {
    const res = await overview('supervisor', 'chain=annual-report&year=2024');
    expect(res.status).toBe(200);
    expect(res.body.departments.map((d: { state: string }) => d.state)).toEqual(['missing', 'missing', 'missing', 'missing', 'missing']);
    // 2024's dates: 2025-02-28 and 2025-03-31 (Beijing), counted to 2026-04-10: 406 and 375 days.
    expect(res.body.departments[0].milestones).toEqual([
      { key: 'submission', dueAt: '2025-02-28T15:59:59.999Z', reachedAt: null, met: false, overdue: true, daysOverdue: 406 },
      { key: 'publication', dueAt: '2025-03-31T15:59:59.999Z', reachedAt: null, met: false, overdue: true, daysOverdue: 375 },
    ]);
    expect(res.body.stepDurations.every((s: { count: number; medianHours: number | null }) => s.count === 0 && s.medianHours === null)).toBe(true);
  });

  it('shows a supervisor of one department only that department', async () => {
    const res = await overview('sup-edu');
    expect(res.status).toBe(200);
    expect(res.body.departments.map((d: { departmentId: string }) => d.departmentId)).toEqual(['city-edu']);
    expect(res.body.onTimeRate).toEqual([{ departmentId: 'city-edu', due: 2, met: 1, rate: 0.5 }]);
    // B's stays alone: legal-review 24 and 72 → 48.
    expect(res.body.stepDurations.find((s: { step: string }) => s.step === 'legal-review')).toMatchObject({ count: 2, medianHours: 48 });
  });

  it('refuses everyone else with 403', async () => {
    for (const user of ['drafter', 'counsel', 'office']) {
      const res = await overview(user);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    }
  });

  it('answers a CSV for spreadsheets: BOM, a bilingual header, a row per department and milestone', async () => {
    const res = await t.http().get(`/api/supervision/overview?chain=annual-report&year=${YEAR}&format=csv`).set(await as('supervisor')).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="supervision-overview-annual-report-2025.csv"');
    const text = res.body as string;
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n').filter(Boolean);
    // 1 header + 5 departments × 2 milestones.
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe(
      '部门编号 / Department ID,部门 / Department,文档编号 / Document ID,标题 / Title,状态 / State,节点 / Milestone,截止时间 (UTC) / Due at (UTC),到达时间 (UTC) / Reached at (UTC),是否按时 / Met,逾期天数 / Days overdue,公开日期 / Published on,登记时间 (UTC) / Recorded at (UTC),补录 / Recorded late',
    );
    expect(lines[1]).toBe(
      `city-edu,市教育局 / City education bureau,${ids.B},市教育局2025年度法治政府建设工作报告,disclosed,报送 / Submission,${SUBMISSION_DUE},2026-03-05T02:00:00.000Z,否 / no,5,,,`,
    );
    expect(lines[10]).toBe(`city-water,市水利局 / City water bureau,,,missing,向社会公开 / Publication,${PUBLICATION_DUE},,否 / no,10,,,`);
  });

  it('validates the query: year, chain', async () => {
    for (const [query, field] of [
      ['chain=annual-report&year=1999', 'year'],
      ['chain=annual-report&year=2025.5', 'year'],
      ['chain=annual-report&year=abc', 'year'],
      ['chain=annual-report', 'year'],
      ['year=2025', 'chain'],
      ['chain=Annual_Report&year=2025', 'chain'],
      ['chain=no-such-chain&year=2025', 'chain'],
      ['chain=annual-report&year=2025&format=xlsx', 'format'],
      ['chain=annual-report&year=2025&departmentId=city-sti', 'departmentId'],
    ]) {
      const res = await overview('supervisor', query);
      expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });

  it('judges publication by the date the disclosure record names, not by when it was recorded (6 December 2026)', async () => {
    // C, waiting since 24 February, is recorded as published on 20 March: on time, though recorded 250 days after the date.
    on('2026-12-06');
    await act('drafter-health', ids.C, { action: 'record-disclosure', disclosure: { url: 'https://example.gov.cn/fzzf/health-2025.html', publishedOn: '2026-03-20' } });
    // D goes through the chain now and was published on 1 April: one day late (the date is "before 1 April").
    await act('drafter-transport', ids.D, { action: 'submit' });
    await decide('counsel-transport', ids.D, 'legal-review', 'approve');
    await decide('secretary-transport', ids.D, 'party-group-review', 'approve');
    await decide('office', ids.D, 'office-review', 'approve');
    await act('drafter-transport', ids.D, { action: 'record-disclosure', disclosure: { url: 'https://example.gov.cn/fzzf/transport-2025.html', publishedOn: '2026-04-01' } });

    const res = await overview('supervisor');
    expect(res.status).toBe(200);
    const byDept = Object.fromEntries(res.body.departments.map((d: { departmentId: string }) => [d.departmentId, d]));
    // Reached at the start of the publication day, Beijing time.
    // Recorded 250 days after publication: marked as a late record (补录), with both dates.
    const recordedLate = (publishedOn: string) => ({ publishedOn, recordedAt: expect.stringMatching(/^2026-12-06T/), recordedLate: true });
    expect(byDept['city-health'].milestones[1]).toEqual({ key: 'publication', dueAt: PUBLICATION_DUE, reachedAt: '2026-03-19T16:00:00.000Z', met: true, overdue: false, daysOverdue: 0, disclosure: recordedLate('2026-03-20') });
    expect(byDept['city-transport'].milestones).toEqual([
      { key: 'submission', dueAt: SUBMISSION_DUE, reachedAt: '2026-12-06T02:00:00.000Z', met: false, overdue: false, daysOverdue: 281 },
      { key: 'publication', dueAt: PUBLICATION_DUE, reachedAt: '2026-03-31T16:00:00.000Z', met: false, overdue: false, daysOverdue: 1, disclosure: recordedLate('2026-04-01') },
    ]);
    // A published on 13 February, the day it was recorded: unchanged.
    expect(byDept['city-sti'].milestones[1]).toMatchObject({ reachedAt: '2026-02-12T16:00:00.000Z', met: true, disclosure: { publishedOn: '2026-02-13', recordedLate: false } });
    expect(res.body.onTimeRate.filter((r: { departmentId: string }) => ['city-health', 'city-transport'].includes(r.departmentId))).toEqual([
      { departmentId: 'city-health', due: 2, met: 2, rate: 1 },
      { departmentId: 'city-transport', due: 2, met: 0, rate: 0 },
    ]);

    // The document's timeline says the same.
    const timeline = (await t.http().get(`/api/documents/${ids.C}/timeline`).set(await as('supervisor'))).body;
    expect(timeline.milestones[1]).toMatchObject({ key: 'publication', reachedAt: '2026-03-19T16:00:00.000Z', met: true, daysOverdue: 0 });
  });
});
