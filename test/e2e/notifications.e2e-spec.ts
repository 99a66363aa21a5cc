import { systemActor } from '@shenpi/domain';
import { bearer, useApp } from '../support/test-app.js';
import { timedAnnualReport } from '../support/timed-chain.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

describe('deadlines over HTTP', () => {
  const t = useApp();
  beforeAll(async () => {
    await t.engine.writer.run((r) => t.engine.chains.publish(r, timedAnnualReport(), systemActor('test')));
  });

  it('shows dueAt, delivers a reminder as a notification the reviewer can mark read', async () => {
    const drafter = bearer(await t.token('drafter'));
    const counsel = bearer(await t.token('counsel'));
    const created = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report-timed', title: '限时报告', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
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

describe('statutory clock over HTTP', () => {
  const t = useApp();

  it('pauses and resumes the legal review clock, and a leader approves an extension', async () => {
    // Tokens are signed at the injected clock's time: move it first.
    t.clock.set('2026-06-01T02:00:00.000Z');
    const drafter = bearer(await t.token('drafter'));
    const counsel = bearer(await t.token('counsel'));
    const leader = bearer(await t.token('leader'));
    const created = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: '时钟', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    const id = created.body.id;
    const submitted = await t.http().post(`/api/documents/${id}/actions`).set(drafter).send({ action: 'submit' });
    expect(submitted.body.dueAt).toBe('2026-06-08T15:59:59.999Z');

    const noReason = await t.http().post(`/api/documents/${id}/clock`).set(counsel).send({ operation: 'pause' });
    expect({ status: noReason.status, field: noReason.body.details?.[0]?.field }).toEqual({ status: 400, field: 'reason' });
    expect((await t.http().post(`/api/documents/${id}/clock`).set(drafter).send({ operation: 'pause', reason: 'x' })).status).toBe(403);

    t.clock.set('2026-06-02T02:00:00.000Z');
    const paused = await t.http().post(`/api/documents/${id}/clock`).set(counsel).send({ operation: 'pause', reason: '征求意见' });
    expect(paused.status).toBe(200);
    expect(paused.body.clock).toMatchObject({ pausedAt: '2026-06-02T02:00:00.000Z', pausedReason: '征求意见' });
    t.clock.set('2026-06-04T02:00:00.000Z');
    const resumed = await t.http().post(`/api/documents/${id}/clock`).set(counsel).send({ operation: 'resume' });
    expect(resumed.body).toMatchObject({ clock: {}, dueAt: '2026-06-10T15:59:59.999Z' });

    await t.http().post(`/api/documents/${id}/clock`).set(counsel).send({ operation: 'request-extension', reason: '复杂', workingDays: 2 }).expect(200);
    const approved = await t.http().post(`/api/documents/${id}/clock`).set(leader).send({ operation: 'approve-extension', reason: '同意' });
    expect(approved.body).toMatchObject({ clock: {}, dueAt: '2026-06-12T15:59:59.999Z' });
    const history = await t.http().get(`/api/documents/${id}/history`).set(counsel);
    expect(history.body.items.slice(-4).map((h: { action: string }) => h.action)).toEqual(['pause-clock', 'resume-clock', 'request-extension', 'approve-extension']);
  });
});
