import { bearer, PASSWORD, useApp } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

/** Runtime actions besides decisions: out-of-office proxies, 抄送, and an administrator's reassignment. */
describe('runtime actions', () => {
  const t = useApp();
  const ids: Record<string, string> = {};
  const as = async (u: string) => bearer(await t.token(u));

  beforeAll(async () => {
    ids['counsel-b'] = (await t.engine.directory.addUser({ username: 'counsel-b', password: PASSWORD, departmentId: 'city-sti', roles: ['legal-counsel'] })).id;
    for (const u of ['counsel', 'secretary', 'leader', 'drafter', 'office']) ids[u] = (await t.http().get('/api/me').set(await as(u))).body.id;
  });

  async function report(year: number, submit = true) {
    const drafter = await as('drafter');
    const doc = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: `报告${year}`, year, departmentId: 'city-sti', content: REPORT_OUTLINE });
    if (submit) await t.http().post(`/api/documents/${doc.body.id}/actions`).set(drafter).send({ action: 'submit' });
    return doc.body.id as string;
  }

  it('a proxy window: tasks arriving while every holder is away go to the substitute, who decides on their behalf', async () => {
    // Both counsels hold the role; a role task goes to a substitute only when all holders are away.
    const window = { startsAt: '2026-02-02T00:00:00.000Z', endsAt: '2026-02-10T00:00:00.000Z' };
    const set = await t.http().post('/api/me/proxies').set(await as('counsel')).send({ substituteId: ids.leader, ...window, comment: '出差' });
    expect(set.status).toBe(201);
    const stillRole = await report(2030);
    expect((await t.http().get(`/api/documents/${stillRole}`).set(await as('counsel'))).body.openTasks[0]).toMatchObject({ assigneeRole: 'legal-counsel', assigneeUserId: null });

    await t.http().post('/api/me/proxies').set(await as('counsel-b')).send({ substituteId: ids.leader, ...window });
    const proxied = await report(2031);
    const seen = await t.http().get(`/api/documents/${proxied}`).set(await as('leader'));
    const task = seen.body.openTasks[0];
    expect(task).toMatchObject({ assigneeRole: 'legal-counsel', assigneeUserId: ids.leader, delegatedFrom: ids.counsel });
    expect((await t.http().get('/api/tasks').set(await as('counsel'))).body.items.some((x: { id: string }) => x.id === task.id)).toBe(false);
    const decided = await t.http().post(`/api/tasks/${task.id}/decision`).set(await as('leader')).send({ decision: 'approve' });
    expect(decided.body.state).toBe('party-group-review');
    const audit = (await t.http().get(`/api/audit?documentId=${proxied}`).set(await as('admin'))).body.items;
    expect(audit.find((e: { action: string }) => e.action === 'approve').actor).toMatchObject({ id: ids.leader, role: 'legal-counsel', onBehalfOf: ids.counsel });

    // After the window, tasks go to the role again; cancelling a window is the owner's alone.
    t.clock.set(new Date('2026-02-10T00:00:01.000Z'));
    const after = await report(2032);
    expect((await t.http().get(`/api/documents/${after}`).set(await as('counsel'))).body.openTasks[0].assigneeUserId).toBeNull();
    expect((await t.http().delete(`/api/me/proxies/${set.body.id}`).set(await as('leader'))).status).toBe(404);
    expect((await t.http().delete(`/api/me/proxies/${set.body.id}`).set(await as('counsel'))).status).toBe(204);
    const config = (await t.http().get('/api/audit?category=configuration').set(await as('admin'))).body.items.map((e: { action: string }) => e.action);
    expect(config).toEqual(expect.arrayContaining(['set-proxy', 'cancel-proxy']));
  });

  it('refuses a bad proxy window with the field and reason', async () => {
    const counsel = await as('counsel');
    const post = (body: object) => t.http().post('/api/me/proxies').set(counsel).send(body);
    const window = { startsAt: '2026-03-01T00:00:00Z', endsAt: '2026-03-05T00:00:00Z' };
    expect((await post({ substituteId: ids.counsel, ...window })).body.details).toEqual([{ field: 'substituteId', reason: 'name someone else' }]);
    expect((await post({ substituteId: ids.office, ...window })).body.details[0].reason).toMatch(/one of your departments/);
    expect((await post({ substituteId: ids.leader, startsAt: window.endsAt, endsAt: window.startsAt })).body.details[0]).toEqual({ field: 'endsAt', reason: 'must be after startsAt' });
    expect((await post({ substituteId: ids.leader, startsAt: 'tomorrow', endsAt: window.endsAt })).body.details[0].field).toBe('startsAt');
  });

  it('抄送: a copy makes the document readable to the recipient, who is notified and cannot act', async () => {
    const id = await report(2033, false);
    expect((await t.http().get(`/api/documents/${id}`).set(await as('office'))).status).toBe(404);
    const copied = await t.http().post(`/api/documents/${id}/copies`).set(await as('drafter')).send({ userIds: [ids.office], comment: '请知悉' });
    expect(copied.body).toEqual({ copiedTo: [ids.office] });
    const seen = await t.http().get(`/api/documents/${id}`).set(await as('office'));
    expect(seen.status).toBe(200);
    expect(seen.body.allowedActions).toEqual([]);
    expect((await t.http().get('/api/notifications').set(await as('office'))).body.items[0]).toMatchObject({ kind: 'copy-to', documentId: id });
    expect((await t.http().get(`/api/documents/${id}/copies`).set(await as('drafter'))).body.items).toEqual([expect.objectContaining({ userId: ids.office, copiedBy: ids.drafter })]);
    // Copying again changes nothing (and logs nothing); the office, only a reader, may not copy it on.
    expect((await t.http().post(`/api/documents/${id}/copies`).set(await as('drafter')).send({ userIds: [ids.office] })).body).toEqual({ copiedTo: [] });
    expect((await t.http().post(`/api/documents/${id}/copies`).set(await as('office')).send({ userIds: [ids.leader] })).status).toBe(403);
    const bad = await t.http().post(`/api/documents/${id}/copies`).set(await as('drafter')).send({ userIds: ['0191e4a0-0000-7000-8000-000000000000'] });
    expect(bad.body.details).toEqual([{ field: 'userIds[0]', reason: 'no such user' }]);
    const audit = (await t.http().get(`/api/audit?documentId=${id}`).set(await as('admin'))).body.items;
    expect(audit.filter((e: { action: string }) => e.action === 'copy-to')).toHaveLength(1);
  });

  it('抄送给我的: the recipient lists what was copied to them, newest first, paged, read or not, whatever their notification settings', async () => {
    const office = await as('office');
    // The office turns copies off in its notification list: what was copied to it is still listed.
    const settings = (await t.http().get('/api/notifications/settings').set(office)).body;
    await t.http().put('/api/notifications/settings').set(office).send({ ...settings, kinds: { ...settings.kinds, 'copy-to': { inApp: false, email: false } } }).expect(200);
    const started = t.clock.now();
    const first = await report(2051, false);
    t.clock.set(new Date(started.getTime() + 60_000));
    const second = await report(2052, false);
    await t.http().post(`/api/documents/${first}/copies`).set(await as('drafter')).send({ userIds: [ids.office], comment: '第一份' }).expect(200);
    t.clock.set(new Date(started.getTime() + 120_000));
    await t.http().post(`/api/documents/${second}/copies`).set(await as('drafter')).send({ userIds: [ids.office, ids.leader] }).expect(200);

    const page1 = (await t.http().get('/api/me/copies?limit=1').set(office)).body;
    expect(page1.items).toEqual([expect.objectContaining({ documentId: second, copiedBy: ids.drafter, comment: null, read: false })]);
    expect(page1.people[ids.drafter]).toMatch(/起草/);
    const page2 = (await t.http().get(`/api/me/copies?limit=1&cursor=${page1.nextCursor}`).set(office)).body;
    expect(page2.items).toEqual([expect.objectContaining({ documentId: first, comment: '第一份', read: false })]);
    // Read once its notification is marked read; the leader's list has only its own copy; others have none.
    await t.http().post(`/api/notifications/${page2.items[0].notificationId}/read`).set(office).expect(204);
    const all = (await t.http().get('/api/me/copies').set(office)).body.items as { documentId: string; read: boolean }[];
    expect(all.filter((c) => [first, second].includes(c.documentId)).map((c) => [c.documentId, c.read])).toEqual([[second, false], [first, true]]);
    expect((await t.http().get('/api/me/copies').set(await as('leader'))).body.items.map((c: { documentId: string }) => c.documentId)).toEqual([second]);
    expect((await t.http().get('/api/me/copies').set(await as('secretary'))).body.items).toEqual([]);
    const bad = await t.http().get('/api/me/copies?cursor=not-a-cursor').set(office);
    expect([bad.status, bad.body.details[0].field]).toEqual([400, 'cursor']);
    t.clock.set(started);
  });

  it('an administrator hands every open task of a user who left to a colleague, one audited transition each', async () => {
    const a = await report(2034);
    const b = await report(2035);
    // Counsel delegates both tasks to counsel-b by name; counsel-b then leaves.
    for (const id of [a, b]) {
      const task = (await t.http().get(`/api/documents/${id}`).set(await as('counsel'))).body.openTasks[0].id;
      expect((await t.http().post(`/api/tasks/${task}/delegate`).set(await as('counsel')).send({ toUserId: ids['counsel-b'], comment: '请办理' })).status).toBe(200);
    }
    expect((await t.http().post(`/api/users/${ids['counsel-b']}/reassign-tasks`).set(await as('leader')).send({ toUserId: ids.counsel })).status).toBe(403);
    const res = await t.http().post(`/api/users/${ids['counsel-b']}/reassign-tasks`).set(await as('admin')).send({ toUserId: ids.counsel, comment: '离职交接' });
    expect(res.status).toBe(200);
    expect(res.body.reassigned).toBe(2);
    for (const id of [a, b]) {
      const doc = (await t.http().get(`/api/documents/${id}`).set(await as('counsel'))).body;
      expect(doc.openTasks[0]).toMatchObject({ assigneeUserId: ids.counsel, delegatedFrom: ids['counsel-b'] });
      const audit = (await t.http().get(`/api/audit?documentId=${id}`).set(await as('admin'))).body.items;
      expect(audit.find((e: { action: string }) => e.action === 'reassign')).toMatchObject({ actor: { role: 'admin' }, details: { delegateTo: ids.counsel, comment: '离职交接' } });
    }
    expect((await t.http().post(`/api/users/${ids['counsel-b']}/reassign-tasks`).set(await as('admin')).send({ toUserId: ids.counsel })).body.reassigned).toBe(0);
  });

  it('work never goes to someone disabled: a disabled holder is no holder, and a window to a disabled substitute holds no more', async () => {
    t.clock.set(new Date('2026-03-02T00:00:00.000Z'));
    const window = { startsAt: '2026-03-01T00:00:00.000Z', endsAt: '2026-03-10T00:00:00.000Z' };
    const admin = await as('admin');
    // counsel is away to the secretary; counsel-b has left (disabled): every holder who may work is away.
    expect((await t.http().post('/api/me/proxies').set(await as('counsel')).send({ substituteId: ids.secretary, ...window })).status).toBe(201);
    expect((await t.http().post(`/api/users/${ids['counsel-b']}/disable`).set(admin).send({})).status).toBe(200);
    const toSubstitute = await report(2040);
    expect((await t.http().get(`/api/documents/${toSubstitute}`).set(await as('counsel'))).body.openTasks[0]).toMatchObject({ assigneeUserId: ids.secretary, delegatedFrom: ids.counsel });
    // The substitute leaves too: the window no longer holds, and the next task waits for the role.
    expect((await t.http().post(`/api/users/${ids.secretary}/disable`).set(admin).send({})).status).toBe(200);
    const toRole = await report(2041);
    const roleTask = (await t.http().get(`/api/documents/${toRole}`).set(await as('counsel'))).body.openTasks[0];
    expect(roleTask).toMatchObject({ assigneeRole: 'legal-counsel', assigneeUserId: null });
    // Nor is it handed to them: neither delegated to a disabled holder nor added as a signer.
    const delegated = await t.http().post(`/api/tasks/${roleTask.id}/delegate`).set(await as('counsel')).send({ toUserId: ids['counsel-b'], comment: '请办理' });
    expect([delegated.status, delegated.body.details]).toEqual([400, [{ field: 'toUserId', reason: 'the user is disabled' }]]);
    const added = await t.http().post(`/api/tasks/${roleTask.id}/add-signer`).set(await as('counsel')).send({ userId: ids.secretary, position: 'after' });
    expect([added.status, added.body.details]).toEqual([400, [{ field: 'userId', reason: 'the user is disabled' }]]);
    for (const u of ['counsel-b', 'secretary']) expect((await t.http().post(`/api/users/${ids[u]}/enable`).set(admin).send({})).status).toBe(200);
  });
});
