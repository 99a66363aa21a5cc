import { bearer, startApp, testDatabase, useApp, type TestApp } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

const as = async (t: TestApp, user: string) => bearer(await t.token(user));

async function submittedReport(t: TestApp, year: number): Promise<{ id: string; taskId: string }> {
  const created = await t.http().post('/api/documents').set(await as(t, 'drafter')).send({ chain: 'annual-report', title: `报告${year}`, year, departmentId: 'city-sti', content: REPORT_OUTLINE });
  expect(created.status).toBe(201);
  const submitted = await t.http().post(`/api/documents/${created.body.id}/actions`).set(await as(t, 'drafter')).send({ action: 'submit' });
  expect(submitted.status).toBe(200);
  return { id: created.body.id, taskId: submitted.body.openTasks[0].id };
}

describe('competing decisions', () => {
  const t = useApp();

  it('20 simultaneous approvals of one task: exactly one wins, the rest get 409, one audit entry', async () => {
    const { id, taskId } = await submittedReport(t, 2025);
    const headers = await as(t, 'counsel');
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => t.http().post(`/api/tasks/${taskId}/decision`).set(headers).send({ decision: 'approve' })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of responses.filter((x) => x.status === 409)) expect(['TASK_NOT_OPEN', 'VERSION_CONFLICT']).toContain(r.body.code);

    const approvals = await t.engine.database.reader.all("SELECT seq FROM audit_entries WHERE document_id = ? AND action = 'approve'", [id]);
    expect(approvals).toHaveLength(1);
    const doc = await t.http().get(`/api/documents/${id}`).set(headers);
    expect(doc.body).toMatchObject({ state: 'party-group-review', version: 3 });
    const tasks = await t.engine.database.reader.all<{ step_key: string; status: string }>('SELECT step_key, status FROM tasks WHERE document_id = ? ORDER BY id', [id]);
    expect(tasks).toEqual([
      { step_key: 'legal-review', status: 'done' },
      { step_key: 'party-group-review', status: 'open' },
    ]);
    expect((await t.http().get('/api/audit/verify').set(await as(t, 'supervisor'))).body.ok).toBe(true);
  });

  it('racing an edit and a submit on the same version: one wins, the other is 409 VERSION_CONFLICT', async () => {
    const created = await t.http().post('/api/documents').set(await as(t, 'drafter')).send({ chain: 'annual-report', title: 'race', year: 2026, departmentId: 'city-sti', content: REPORT_OUTLINE });
    const headers = await as(t, 'drafter');
    const [edit, submit] = await Promise.all([
      t.http().patch(`/api/documents/${created.body.id}`).set(headers).send({ content: '新内容', expectedVersion: 1 }),
      t.http().post(`/api/documents/${created.body.id}/actions`).set(headers).send({ action: 'submit', expectedVersion: 1 }),
    ]);
    expect([edit.status, submit.status].sort()).toEqual([200, 409]);
    expect([edit, submit].find((r) => r.status === 409)!.body.code).toBe('VERSION_CONFLICT');
  });
});

describe('restart mid-chain', () => {
  const database = testDatabase();
  afterAll(() => database.drop());

  it('stops the app in party-group review, starts it on the same database, and finishes the chain', async () => {
    const first = await startApp(database);
    const { id, taskId } = await submittedReport(first, 2025);
    const approved = await first.http().post(`/api/tasks/${taskId}/decision`).set(await as(first, 'counsel')).send({ decision: 'approve' });
    expect(approved.body.state).toBe('party-group-review');
    const tokenBefore = await first.token('secretary');
    await first.stop();

    const second = await startApp(database, first.clock);
    try {
      const doc = await second.http().get(`/api/documents/${id}`).set(bearer(tokenBefore));
      expect(doc.status).toBe(200);
      expect(doc.body).toMatchObject({ state: 'party-group-review', version: 3, chain: { key: 'annual-report', version: 1 } });
      const partyTask = doc.body.openTasks[0].id;
      await second.http().post(`/api/tasks/${partyTask}/decision`).set(bearer(tokenBefore)).send({ decision: 'approve' }).expect(200);
      const office = await second.http().get(`/api/documents/${id}`).set(await as(second, 'office'));
      await second.http().post(`/api/tasks/${office.body.openTasks[0].id}/decision`).set(await as(second, 'office')).send({ decision: 'approve' }).expect(200);
      const final = await second
        .http()
        .post(`/api/documents/${id}/actions`)
        .set(await as(second, 'drafter'))
        .send({ action: 'record-disclosure', disclosure: { url: 'https://kjj.example.gov.cn/2025', publishedOn: '2026-02-01' } });
      expect(final.body).toMatchObject({ state: 'disclosed', version: 6 });
      const verify = await second.http().get('/api/audit/verify').set(await as(second, 'supervisor'));
      expect(verify.body.ok).toBe(true);
      const chains = await second.http().get('/api/chains').set(await as(second, 'admin'));
      // A restart publishes no shipped chain again: each is still at version 1.
      expect(chains.body.items.map((c: { key: string; latestVersion: number }) => [c.key, c.latestVersion])).toEqual([
        ['annual-report', 1],
        ['major-decision', 1],
        ['normative-document', 1],
      ]);
    } finally {
      await second.stop();
    }
  });
});
