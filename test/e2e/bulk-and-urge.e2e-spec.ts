import { bearer, useApp } from '../support/test-app.js';
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
