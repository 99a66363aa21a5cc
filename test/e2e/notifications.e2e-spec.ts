import { systemActor } from '@shenpi/domain';
import { sqlStatements } from '@shenpi/persistence';
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

describe('the unread count', () => {
  const t = useApp();

  it('counts every unread notification, beyond a page, leaving out the kinds muted in the app as the list does, from an index of the unread ones', async () => {
    const drafter = bearer(await t.token('drafter'));
    const counsel = bearer(await t.token('counsel'));
    const created = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: '催办报告', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    expect((await t.http().post(`/api/documents/${created.body.id}/actions`).set(drafter).send({ action: 'submit' })).status).toBe(200);
    await t.engine.notificationFeed.drain();
    // 53 urges, an hour apart (one per hour is allowed): with the new task, 54 unread, more than a page of 50.
    for (let i = 0; i < 53; i++) {
      t.clock.advance(3_600_000);
      expect((await t.http().post(`/api/documents/${created.body.id}/urge`).set(drafter).send({ comment: `第${i + 1}次` })).status).toBe(200);
    }
    const unread = async (query = '?unread=true') => (await t.http().get(`/api/notifications${query}`).set(counsel)).body;

    sqlStatements.trace = [];
    const first = await unread();
    const statements = sqlStatements.trace;
    sqlStatements.trace = null;
    expect({ page: first.items.length, more: first.nextCursor !== null, unreadCount: first.unreadCount }).toEqual({ page: 50, more: true, unreadCount: 54 });
    // The next page, and the list of read and unread alike, answer the same count.
    expect((await unread(`?unread=true&cursor=${first.nextCursor}`)).unreadCount).toBe(54);
    expect((await unread('?limit=1')).unreadCount).toBe(54);
    expect((await t.http().post(`/api/notifications/${first.items[0].id}/read`).set(counsel)).status).toBe(204);
    expect((await unread()).unreadCount).toBe(53);
    // Nobody else's are counted.
    expect((await t.http().get('/api/notifications').set(drafter)).body.unreadCount).toBe(0);

    // Muted in the app: out of the list and out of the count alike.
    expect((await t.http().put('/api/notifications/settings').set(counsel).send({ kinds: { urge: { inApp: false } } })).status).toBe(200);
    expect(await unread()).toMatchObject({ items: [expect.objectContaining({ kind: 'task-assigned' })], unreadCount: 1 });
    expect((await t.http().put('/api/notifications/settings').set(counsel).send({ kinds: { urge: { inApp: true }, 'task-assigned': { inApp: false } } })).status).toBe(200);
    const urges = await unread('?unread=true&limit=200');
    expect({ listed: urges.items.length, kinds: [...new Set(urges.items.map((n: { kind: string }) => n.kind))], unreadCount: urges.unreadCount }).toEqual({ listed: 52, kinds: ['urge'], unreadCount: 52 });

    // The page and one count, both read from the partial index of unread notifications alone (on PostgreSQL
    // the planner's choice follows its statistics: the index is there).
    const reads = statements.filter((sql) => /FROM notifications\b/.test(sql));
    expect(reads.filter((sql) => /COUNT\(\*\)/.test(sql))).toHaveLength(1);
    if (t.engine.database.kind === 'sqlite') {
      const plans: string[] = [];
      for (const sql of reads) {
        const params = Array.from(sql.match(/\?/g)!, (_, k) => `p${k}`);
        plans.push(...(await t.engine.database.reader.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((p) => p.detail));
      }
      expect(plans.sort()).toEqual([
        'SEARCH notifications USING COVERING INDEX notifications_unread (user_id=? AND read_at=?)',
        'SEARCH notifications USING INDEX notifications_unread (user_id=? AND read_at=?)',
      ]);
    } else {
      const indexes = await t.engine.database.reader.all<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'notifications_unread'");
      expect(indexes.map((i) => i.indexdef)).toEqual([expect.stringMatching(/ON \S*notifications USING btree \(user_id, read_at, id, kind\) WHERE \(read_at IS NULL\)$/)]);
    }
  });
});
