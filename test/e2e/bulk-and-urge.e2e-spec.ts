import { bearer, PASSWORD, useApp } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

describe('bulk decisions and urging', () => {
  const t = useApp();

  /** One report per year, each submitted: one open legal-review task each. */
  async function submitted(years: number[]) {
    const drafter = bearer(await t.token('drafter'));
    const ids: string[] = [];
    for (const year of years) {
      const doc = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: `报告${year}`, year, departmentId: 'city-sti', content: REPORT_OUTLINE });
      const sub = await t.http().post(`/api/documents/${doc.body.id}/actions`).set(drafter).send({ action: 'submit' });
      ids.push(sub.body.openTasks[0].id);
    }
    return ids;
  }

  it('applies each decision on its own and answers with one result per task', async () => {
    const counsel = bearer(await t.token('counsel'));
    const [a, b, c] = await submitted([2020, 2021, 2022]);
    const res = await t
      .http()
      .post('/api/tasks/bulk-decision')
      .set(counsel)
      .send({
        items: [
          { taskId: a, decision: 'approve' },
          { taskId: b, decision: 'return', comment: '请补充' },
          { taskId: a, decision: 'approve' },
          { taskId: c, decision: 'reject', comment: '不合法' },
          { taskId: '0191e4a0-0000-7000-8000-000000000000', decision: 'approve' },
        ],
      });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { statusCode: number; code?: string; document?: { state: string } }) => [r.statusCode, r.code ?? r.document!.state])).toEqual([
      [200, 'party-group-review'],
      [200, 'draft'],
      [409, 'TASK_NOT_OPEN'],
      [409, 'TRANSITION_NOT_ALLOWED'],
      [404, 'NOT_FOUND'],
    ]);
    const secretary = bearer(await t.token('secretary'));
    const forbidden = await t.http().post('/api/tasks/bulk-decision').set(secretary).send({ items: [{ taskId: c, decision: 'approve' }] });
    expect(forbidden.body.results[0]).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    // A counsel of another department may not see the task: 404 as for a task that does not exist, audited, naming nothing of it.
    await t.engine.directory.addDepartment({ id: 'district-bulk', name: '区司法局', officeId: 'rule-of-law-office' });
    await t.engine.directory.addUser({ username: 'counsel-elsewhere', password: PASSWORD, departmentId: 'district-bulk', roles: ['legal-counsel'] });
    const denied = async () => (await t.http().get('/api/audit?category=security&action=access-denied&limit=200').set(bearer(await t.token('admin')))).body.items as { details: { taskId?: string } }[];
    const entriesBefore = (await denied()).length;
    const hidden = await t.http().post('/api/tasks/bulk-decision').set(bearer(await t.token('counsel-elsewhere'))).send({ items: [{ taskId: c, decision: 'approve' }] });
    expect(hidden.body.results).toEqual([{ taskId: c, statusCode: 404, code: 'NOT_FOUND', message: 'task not found', details: null }]);
    const entries = await denied();
    expect(entries.length).toBe(entriesBefore + 1);
    expect(entries[0].details).toMatchObject({ taskId: c });
    const invalid = await t.http().post('/api/tasks/bulk-decision').set(counsel).send({ items: [{ taskId: c, decision: 'return' }] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details[0].field).toBe('items[0].comment');
    expect((await t.http().post('/api/tasks/bulk-decision').set(counsel).send({ items: [] })).status).toBe(400);
  });

  it('urges the reviewers holding the open task: a notification each, one audit entry', async () => {
    const [task] = await submitted([2023]);
    const drafter = bearer(await t.token('drafter'));
    const counsel = bearer(await t.token('counsel'));
    const doc = (await t.http().get(`/api/tasks/${task}`).set(counsel)).body.documentId;
    expect((await t.http().post(`/api/documents/${doc}/urge`).set(counsel).send({})).status).toBe(403);
    const res = await t.http().post(`/api/documents/${doc}/urge`).set(drafter).send({ comment: '月底前请完成' });
    expect(res.body).toEqual({ notified: 1 });
    const notes = await t.http().get('/api/notifications').set(counsel);
    expect(notes.body.items[0]).toMatchObject({ kind: 'urge', documentId: doc, taskId: task });
    expect(notes.body.items[0].message).toContain('月底前请完成');
    const history = await t.http().get(`/api/documents/${doc}/history`).set(drafter);
    expect(history.body.items.at(-1)).toMatchObject({ action: 'urge', from: 'legal-review', to: 'legal-review', comment: '月底前请完成' });
  });

  it('lets each caller urge a document once an hour: 429 with Retry-After until then, and nothing written', async () => {
    const [task] = await submitted([2024]);
    const [drafter, leader, counsel, admin] = await Promise.all(['drafter', 'leader', 'counsel', 'admin'].map(async (u) => bearer(await t.token(u))));
    const doc = (await t.http().get(`/api/tasks/${task}`).set(counsel)).body.documentId;
    const urge = (who: Record<string, string>) => t.http().post(`/api/documents/${doc}/urge`).set(who).send({ comment: '请尽快' });
    const entries = async () => (await t.http().get(`/api/audit?documentId=${doc}&action=urge&limit=200`).set(admin)).body.items.map((e: { actor: { id: string } }) => e.actor.id);
    const notes = async () =>
      (await t.http().get('/api/notifications?limit=200').set(counsel)).body.items.filter((n: { kind: string; documentId: string }) => n.kind === 'urge' && n.documentId === doc);
    const idOf = async (who: Record<string, string>) => (await t.http().get('/api/me').set(who)).body.id as string;

    // Two at once: one passes, the other finds it (on PostgreSQL the document row lock orders them).
    expect((await Promise.all([urge(drafter), urge(drafter)])).map((r) => r.status).sort()).toEqual([200, 429]);
    t.clock.advance(59 * 60_000);
    const again = await urge(drafter);
    expect(again.status).toBe(429);
    expect(again.body).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 60 } });
    expect(again.headers['retry-after']).toBe('60');
    expect(again.body.message).toMatch(/again at \d{4}-\d\d-\d\dT\d\d:\d\d/);
    expect(await entries()).toHaveLength(1);
    expect(await notes()).toHaveLength(1);

    // The leader's urge is their own: the drafter's does not limit it.
    expect((await urge(leader)).status).toBe(200);
    expect(await notes()).toHaveLength(2);

    // An hour after the drafter's urge, the drafter may urge again; the leader, who urged a minute ago, may not.
    t.clock.advance(60_000);
    expect((await urge(drafter)).status).toBe(200);
    const leaderAgain = await urge(leader);
    expect({ status: leaderAgain.status, retryAfter: leaderAgain.headers['retry-after'] }).toEqual({ status: 429, retryAfter: '3540' });
    // Newest first: the drafter's second urge, the leader's, the drafter's first.
    expect(await entries()).toEqual([await idOf(drafter), await idOf(leader), await idOf(drafter)]);
    expect(await notes()).toHaveLength(3);
  });

  it('pages the inbox newest first with a cursor, each task once', async () => {
    const counsel = bearer(await t.token('counsel'));
    await submitted([2030, 2031, 2032, 2033, 2034]);
    const all = (await t.http().get('/api/tasks?limit=200').set(counsel)).body.items.map((x: { id: string }) => x.id);
    expect(all.length).toBeGreaterThanOrEqual(5);
    expect([...all].sort().reverse()).toEqual(all);
    const paged: string[] = [];
    for (let cursor: string | null = null, pages = 0; pages < 50; pages++) {
      const page: { items: { id: string }[]; nextCursor: string | null } = (await t.http().get(`/api/tasks?limit=2${cursor ? `&cursor=${cursor}` : ''}`).set(counsel)).body;
      paged.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(paged).toEqual(all);
  });
});
