import { readFileSync } from 'node:fs';
import { bearer, useApp } from '../support/test-app.js';

const cityReport = readFileSync(new URL('../fixtures/city-sti-bureau-2022.txt', import.meta.url), 'utf8');
const shapingbaReport = readFileSync(new URL('../fixtures/shapingba-sti-bureau-2022.txt', import.meta.url), 'utf8');

describe('the annual report walks its whole chain over HTTP', () => {
  const t = useApp();

  const as = async (user: string) => bearer(await t.token(user));
  const getDoc = async (user: string, id: string) => {
    const res = await t.http().get(`/api/documents/${id}`).set(await as(user));
    expect(res.status).toBe(200);
    return res.body;
  };
  const inbox = async (user: string) => {
    const res = await t.http().get('/api/tasks').set(await as(user));
    expect(res.status).toBe(200);
    return res.body.items as { id: string; documentId: string; stepKey: string; status: string; documentTitle: string }[];
  };
  const decide = async (user: string, taskId: string, body: object) => {
    const res = await t.http().post(`/api/tasks/${taskId}/decision`).set(await as(user)).send(body);
    expect(res.status).toBe(200);
    expect(res.body.content).toBeUndefined();
    return res.body;
  };
  const act = async (user: string, id: string, body: object) => {
    const res = await t.http().post(`/api/documents/${id}/actions`).set(await as(user)).send(body);
    expect(res.status).toBe(200);
    expect(res.body.content).toBeUndefined();
    return res.body;
  };
  const create = async (year: number, content: string) => {
    t.clock.advance(60_000);
    const res = await t
      .http()
      .post('/api/documents')
      .set(await as('drafter'))
      .send({ chain: 'annual-report', title: `市科技局${year}年度法治政府建设工作报告`, year, departmentId: 'city-sti', content });
    expect(res.status).toBe(201);
    return res.body;
  };
  /** The one open task of a step, as the reviewer's inbox shows it. */
  const taskIn = async (user: string, documentId: string, stepKey: string) => {
    const mine = (await inbox(user)).filter((i) => i.documentId === documentId);
    expect(mine.map((i) => i.stepKey)).toEqual([stepKey]);
    return mine[0].id;
  };

  it('goes straight through: draft, legal review, party group, office, disclosure', async () => {
    const created = await create(2025, cityReport.replace('2022', '2025'));
    expect(created).toMatchObject({ state: 'draft', version: 1, chain: { key: 'annual-report', version: 1 }, openTasks: [] });
    expect(created.allowedActions).toEqual([{ action: 'submit' }, { action: 'edit' }]);
    // Planning backwards from "submitted by 1 March 2026" over Spring Festival (15–23 February,
    // with 14 and 28 February worked): office review by 28 Feb, Party group 10 working days
    // earlier, legal review 5 more; publication before 1 April.
    expect(created.milestones).toEqual([
      { key: 'submission', name: { zh: '报送', en: 'Submission' }, step: 'office-review', dueAt: '2026-02-28T15:59:59.999Z', reached: false, overdue: false, daysOverdue: 0 },
      { key: 'publication', name: { zh: '向社会公开', en: 'Publication' }, step: 'disclosed', dueAt: '2026-03-31T15:59:59.999Z', reached: false, overdue: false, daysOverdue: 0 },
    ]);
    expect(created.planning.map((p: { step: string; latestStart: string; milestone: string }) => [p.step, p.latestStart, p.milestone])).toEqual([
      ['legal-review', '2026-02-02', 'submission'],
      ['party-group-review', '2026-02-09', 'submission'],
      ['office-review', '2026-02-28', 'submission'],
      ['awaiting-disclosure', '2026-03-31', 'publication'],
      ['disclosed', '2026-03-31', 'publication'],
    ]);

    const edit = await t.http().patch(`/api/documents/${created.id}`).set(await as('drafter')).send({ content: cityReport, expectedVersion: 1 });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ version: 2, content: cityReport });

    const submitted = await act('drafter', created.id, { action: 'submit', expectedVersion: 2 });
    expect(submitted).toMatchObject({ state: 'legal-review', version: 3 });
    expect(submitted.openTasks).toHaveLength(1);
    expect(submitted.openTasks[0]).toMatchObject({ stepKey: 'legal-review', round: 1, departmentId: 'city-sti', assigneeRole: 'legal-counsel', status: 'open' });
    expect(submitted.allowedActions).toEqual([{ action: 'withdraw' }]);
    // Submitted Monday 2 February 2026 (10:00 Beijing); the day of submission does not count, so five
    // working days end with Monday 9 February, Beijing time.
    expect(submitted).toMatchObject({ dueAt: '2026-02-09T15:59:59.999Z', dueProvisional: false });
    expect(submitted.openTasks[0].dueAt).toBe('2026-02-09T15:59:59.999Z');

    expect(await inbox('secretary')).toEqual([]);
    const legalTask = await taskIn('counsel', created.id, 'legal-review');
    const seenByCounsel = await getDoc('counsel', created.id);
    expect(seenByCounsel.allowedActions).toEqual([
      { action: 'approve', taskId: legalTask },
      { action: 'return', taskId: legalTask },
      { action: 'delegate', taskId: legalTask },
      { action: 'add-signer', taskId: legalTask },
    ]);
    expect(await decide('counsel', legalTask, { decision: 'approve', comment: '经审核，符合法定要求。' })).toMatchObject({ state: 'party-group-review' });
    expect(await inbox('counsel')).toEqual([]);
    const done = await t.http().get('/api/tasks?status=done').set(await as('counsel'));
    expect(done.body.items.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([[legalTask, 'done']]);

    const partyTask = await taskIn('secretary', created.id, 'party-group-review');
    expect(await decide('secretary', partyTask, { decision: 'approve' })).toMatchObject({ state: 'office-review' });

    const officeTask = await taskIn('office', created.id, 'office-review');
    const seenByOffice = await getDoc('office', created.id);
    expect(seenByOffice.openTasks[0]).toMatchObject({ departmentId: 'rule-of-law-office', assigneeRole: 'rule-of-law-office' });
    const accepted = await decide('office', officeTask, { decision: 'approve', comment: '已接收' });
    expect(accepted).toMatchObject({ state: 'awaiting-disclosure', openTasks: [] });

    const drafterView = await getDoc('drafter', created.id);
    expect(drafterView.allowedActions).toEqual([{ action: 'record-disclosure' }]);
    const disclosure = { url: 'https://kjj.example.gov.cn/fzzf/2025.html', publishedOn: '2026-02-01' };
    const disclosed = await act('drafter', created.id, { action: 'record-disclosure', disclosure });
    expect(disclosed).toMatchObject({ state: 'disclosed', final: true, disclosure, openTasks: [], allowedActions: [] });

    const history = await t.http().get(`/api/documents/${created.id}/history`).set(await as('supervisor'));
    expect(history.status).toBe(200);
    expect(history.body.items.map((h: { action: string; from: string | null; to: string }) => [h.action, h.from, h.to])).toEqual([
      ['create', null, 'draft'],
      ['edit', 'draft', 'draft'],
      ['submit', 'draft', 'legal-review'],
      ['approve', 'legal-review', 'party-group-review'],
      ['approve', 'party-group-review', 'office-review'],
      ['approve', 'office-review', 'awaiting-disclosure'],
      ['record-disclosure', 'awaiting-disclosure', 'disclosed'],
    ]);
    expect(history.body.items[3]).toMatchObject({ comment: '经审核，符合法定要求。', actor: { type: 'user', role: 'legal-counsel', departmentId: 'city-sti' } });
    expect(history.body.items[5].actor).toMatchObject({ role: 'rule-of-law-office', departmentId: 'rule-of-law-office' });

    const audit = await t.http().get(`/api/audit?documentId=${created.id}`).set(await as('supervisor'));
    expect(audit.status).toBe(200);
    expect(audit.body.items).toHaveLength(7);
    expect(audit.body.items[0]).toMatchObject({ v: 1, category: 'transition', action: 'record-disclosure', documentId: created.id });
    expect(audit.body.items[0].prevHash).toBe(audit.body.items[1].hash);

    const verify = await t.http().get('/api/audit/verify').set(await as('supervisor'));
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true });
    expect(verify.body.entries).toBeGreaterThan(7);

    const diagram = await t.http().get(`/api/documents/${created.id}/diagram`).set(await as('drafter'));
    expect(diagram.body.format).toBe('mermaid');
    expect(diagram.body.source).toContain('class disclosed current');
  });

  it('is returned by legal counsel and by the office before it gets through', async () => {
    const created = await create(2024, shapingbaReport);
    await act('drafter', created.id, { action: 'submit' });

    const legal1 = await taskIn('counsel', created.id, 'legal-review');
    const returned = await decide('counsel', legal1, { decision: 'return', comment: '第三部分“不足和原因”过于简略，请补充。' });
    expect(returned).toMatchObject({ state: 'draft', openTasks: [] });
    expect(await inbox('counsel')).toEqual([]);

    const revised = shapingbaReport + '\n（补充）存在的不足已逐条说明原因。';
    const edit = await t.http().patch(`/api/documents/${created.id}`).set(await as('drafter')).send({ content: revised, expectedVersion: returned.version });
    expect(edit.status).toBe(200);
    const resubmitted = await act('drafter', created.id, { action: 'submit' });
    expect(resubmitted.openTasks[0]).toMatchObject({ stepKey: 'legal-review', round: 2 });

    const legal2 = await taskIn('counsel', created.id, 'legal-review');
    expect(legal2).not.toBe(legal1);
    await decide('counsel', legal2, { decision: 'approve' });
    await decide('secretary', await taskIn('secretary', created.id, 'party-group-review'), { decision: 'approve' });

    const office1 = await taskIn('office', created.id, 'office-review');
    const officeView = await getDoc('office', created.id);
    expect(officeView.allowedActions).toContainEqual({ action: 'return', taskId: office1, returnTo: ['draft', 'legal-review', 'party-group-review'] });
    const back = await decide('office', office1, { decision: 'return', returnTo: 'party-group-review', comment: '请党组会议重新审议第四部分。' });
    expect(back).toMatchObject({ state: 'party-group-review' });
    expect(back.openTasks[0]).toMatchObject({ stepKey: 'party-group-review', round: 2 });

    await decide('secretary', await taskIn('secretary', created.id, 'party-group-review'), { decision: 'approve' });
    await decide('office', await taskIn('office', created.id, 'office-review'), { decision: 'approve' });
    const final = await act('drafter', created.id, {
      action: 'record-disclosure',
      disclosure: { url: 'http://www.cqspb.gov.cn/zwgk/fzzfjs/2024.html', publishedOn: '2026-01-30' },
    });
    expect(final.state).toBe('disclosed');

    const history = await t.http().get(`/api/documents/${created.id}/history`).set(await as('supervisor'));
    expect(history.body.items.map((h: { action: string; to: string }) => `${h.action}→${h.to}`)).toEqual([
      'create→draft',
      'submit→legal-review',
      'return→draft',
      'edit→draft',
      'submit→legal-review',
      'approve→party-group-review',
      'approve→office-review',
      'return→party-group-review',
      'approve→office-review',
      'approve→awaiting-disclosure',
      'record-disclosure→disclosed',
    ]);
    expect(history.body.items[2].comment).toBe('第三部分“不足和原因”过于简略，请补充。');

    const supervisorList = await t.http().get('/api/documents?chain=annual-report').set(await as('supervisor'));
    expect(supervisorList.body.items.map((d: { year: number; state: string }) => [d.year, d.state])).toEqual([
      [2024, 'disclosed'],
      [2025, 'disclosed'],
    ]);
    expect(supervisorList.body.items[0].content).toBeUndefined();

    const verify = await t.http().get('/api/audit/verify').set(await as('supervisor'));
    expect(verify.body.ok).toBe(true);
  });

  it('refuses a second live report for the same department and year', async () => {
    const res = await t
      .http()
      .post('/api/documents')
      .set(await as('drafter'))
      .send({ chain: 'annual-report', title: '重复', year: 2025, departmentId: 'city-sti' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('DUPLICATE_DOCUMENT');
  });

  it('lets the drafter withdraw before legal review decides', async () => {
    const created = await create(2023, cityReport);
    await act('drafter', created.id, { action: 'submit' });
    const withdrawn = await act('drafter', created.id, { action: 'withdraw', comment: '需补充数据' });
    expect(withdrawn).toMatchObject({ state: 'draft', openTasks: [] });
    const tasks = await inbox('counsel');
    expect(tasks.filter((x) => x.documentId === created.id)).toEqual([]);
  });

  it('lists each document exactly as its own view shows it (one page, no query per row)', async () => {
    const inDraft = await create(2031, cityReport);
    const submitted = await create(2032, cityReport);
    await act('drafter', submitted.id, { action: 'submit' });
    const approved = await create(2033, cityReport);
    await act('drafter', approved.id, { action: 'submit' });
    await decide('counsel', await taskIn('counsel', approved.id, 'legal-review'), { decision: 'approve' });
    for (const user of ['drafter', 'counsel', 'supervisor']) {
      const list = await t.http().get('/api/documents?chain=annual-report&limit=200').set(await as(user));
      expect(list.status).toBe(200);
      const ids = list.body.items.map((d: { id: string }) => d.id);
      expect(ids).toEqual(expect.arrayContaining([inDraft.id, submitted.id, approved.id].filter((id) => user !== 'counsel' || id !== inDraft.id)));
      for (const item of list.body.items) {
        const { content: _content, ...single } = await getDoc(user, item.id);
        expect(item).toEqual(single);
      }
    }
  });
});
