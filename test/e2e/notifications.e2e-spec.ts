import { systemActor } from '@shenpi/domain';
import { bearer, useApp } from '../support/test-app.js';
import { timedAnnualReport } from '../support/timed-chain.js';

describe('deadlines over HTTP', () => {
  const t = useApp();
  beforeAll(async () => {
    await t.engine.writer.run((r) => t.engine.chains.publish(r, timedAnnualReport(), systemActor('test')));
  });

  it('shows dueAt, delivers a reminder as a notification the reviewer can mark read', async () => {
    const drafter = bearer(await t.token('drafter'));
    const counsel = bearer(await t.token('counsel'));
    const created = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report-timed', title: '限时报告', year: 2025, departmentId: 'city-sti' });
    const submitted = await t.http().post(`/api/documents/${created.body.id}/actions`).set(drafter).send({ action: 'submit' });
    const dueAt = new Date(t.clock.now().getTime() + 60_000).toISOString();
    expect(submitted.body).toMatchObject({ dueAt, openTasks: [{ dueAt }] });
    const inbox = await t.http().get('/api/tasks').set(counsel);
    expect(inbox.body.items[0].dueAt).toBe(dueAt);

    t.clock.advance(31_000);
    expect(await t.engine.deadlines.fireDue()).toBe(1);
    const list = await t.http().get('/api/notifications?unread=true').set(counsel);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ kind: 'remind', documentId: created.body.id, readAt: null });
    expect((await t.http().get('/api/notifications').set(drafter)).body.items).toEqual([]);

    const id = list.body.items[0].id;
    expect((await t.http().post(`/api/notifications/${id}/read`).set(drafter)).status).toBe(404);
    expect((await t.http().post(`/api/notifications/${id}/read`).set(counsel)).status).toBe(204);
    expect((await t.http().get('/api/notifications?unread=true').set(counsel)).body.items).toEqual([]);
    const history = await t.http().get(`/api/documents/${created.body.id}/history`).set(counsel);
    expect(history.body.items.at(-1)).toMatchObject({ action: 'remind', actor: { type: 'system', id: 'scheduler' } });
  });
});
