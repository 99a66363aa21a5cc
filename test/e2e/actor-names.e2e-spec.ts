import { REPORT_OUTLINE } from '../support/report-outline.js';
import { bearer, useApp } from '../support/test-app.js';

/** Whoever may read a document learns who acted in it by name and department, whichever department they are in. */
describe('names of the people in a history', () => {
  const t = useApp();
  const as = async (u: string) => bearer(await t.token(u));

  it('the timeline and the audit entries name each actor and the department they acted in', async () => {
    const created = await t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: '报告', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    expect((await t.http().post(`/api/documents/${created.body.id}/actions`).set(await as('drafter')).send({ action: 'submit' })).status).toBe(200);
    const [task] = (await t.http().get(`/api/documents/${created.body.id}`).set(await as('counsel'))).body.openTasks;
    expect((await t.http().post(`/api/tasks/${task.id}/decision`).set(await as('counsel')).send({ decision: 'approve' })).status).toBe(200);
    const me = async (u: string) => (await t.http().get('/api/me').set(await as(u))).body;
    const [drafter, counsel] = [await me('drafter'), await me('counsel')];
    const department = (await t.http().get('/api/departments').set(await as('supervisor'))).body.items.find((d: { id: string }) => d.id === 'city-sti');

    // A supervisor reads it from another department; the drafter reads the counsel's step.
    for (const reader of ['supervisor', 'drafter']) {
      const timeline = (await t.http().get(`/api/documents/${created.body.id}/timeline`).set(await as(reader))).body;
      const actors = new Set(timeline.transitions.map((e: { actor: { id: string } }) => e.actor.id));
      expect(actors).toEqual(new Set([drafter.id, counsel.id]));
      expect(timeline.people).toEqual({ [drafter.id]: drafter.displayName, [counsel.id]: counsel.displayName });
      expect(timeline.departments).toEqual({ 'city-sti': department.name });
    }
    const audit = (await t.http().get(`/api/audit?documentId=${created.body.id}`).set(await as('supervisor'))).body;
    expect(audit.items.length).toBeGreaterThanOrEqual(3);
    expect(audit.people).toMatchObject({ [drafter.id]: drafter.displayName, [counsel.id]: counsel.displayName });
    expect(audit.departments).toMatchObject({ 'city-sti': department.name });
  });
});
