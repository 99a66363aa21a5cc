import { reviewers } from '../support/reviewers.js';
import { bearer, PASSWORD, useApp } from '../support/test-app.js';

/**
 * Every kind of step, over HTTP, on a chain an administrator publishes: countersign by all (会签),
 * a vote threshold, any one (或签), in sequence (依次), a conditional step, and 加签 before and
 * after; returns after a countersign go to the earlier step the caller names.
 */
describe('step kinds', () => {
  const t = useApp();
  const ids: Record<string, string> = {};
  const as = async (u: string) => bearer(await t.token(u));

  beforeAll(async () => {
    for (const u of ['signer-a', 'signer-b', 'signer-c', 'signer-d']) {
      ids[u] = (await t.engine.directory.addUser({ username: u, password: PASSWORD, departmentId: 'city-sti', roles: ['leader'] })).id;
    }
    const [a, b, c] = ['signer-a', 'signer-b', 'signer-c'].map((u) => ({ userId: ids[u] }));
    // The same three signers decide every step: the chain relaxes "one review step per person" (the lint warns of it).
    const step = (key: string, zh: string, extra: object, transitions: object[]) => ({
      key,
      name: { zh, en: key },
      deadline: { workingDays: 5 },
      allowSameDeciderAcrossSteps: true,
      ...extra,
      transitions,
    });
    const chain = {
      key: 'kinds-demo',
      name: { zh: '审批方式示例', en: 'Step kinds demo' },
      initial: 'draft',
      fields: [{ key: 'involvesMarketActivity', name: { zh: '涉及市场活动', en: 'Involves market activity' }, type: 'boolean' }],
      steps: [
        { key: 'draft', name: { zh: '起草', en: 'Draft' }, editable: true, transitions: [{ action: 'submit', to: 'countersign', by: { role: 'drafter', department: 'document' } }] },
        step('countersign', '会签', { assignees: [a, b, c] }, [{ action: 'approve', to: 'market' }, { action: 'return', to: 'draft', commentRequired: true }]),
        step('market', '公平竞争审查', { assignee: { role: 'legal-counsel', department: 'document' }, when: { field: 'involvesMarketActivity', op: 'eq', value: true } }, [
          { action: 'approve', to: 'any-one' },
          { action: 'return', to: 'draft', commentRequired: true },
        ]),
        step('any-one', '或签', { assignees: [a, b], signing: 'any' }, [
          { action: 'approve', to: 'in-sequence' },
          { action: 'return', to: 'draft', returnTo: ['draft', 'countersign'], commentRequired: true },
        ]),
        step('in-sequence', '依次审批', { assignees: [a, b], signing: 'sequence' }, [{ action: 'approve', to: 'vote' }, { action: 'return', to: 'draft', commentRequired: true }]),
        step('vote', '表决', { assignees: [a, b, c], threshold: 2 }, [{ action: 'approve', to: 'done' }, { action: 'reject', to: 'rejected', commentRequired: true }]),
        { key: 'done', name: { zh: '通过', en: 'Done' }, final: true, transitions: [] },
        { key: 'rejected', name: { zh: '不予通过', en: 'Rejected' }, final: true, transitions: [] },
      ],
    };
    const published = await t.http().post('/api/chains').set(await as('admin')).send(chain);
    expect(published.status).toBe(201);
  });

  async function submitted(fields: Record<string, boolean> = { involvesMarketActivity: false }) {
    const drafter = await as('drafter');
    const doc = await t.http().post('/api/documents').set(drafter).send({ chain: 'kinds-demo', title: '示例', year: 2026, departmentId: 'city-sti', fields });
    expect(doc.status).toBe(201);
    const sub = await t.http().post(`/api/documents/${doc.body.id}/actions`).set(drafter).send({ action: 'submit' });
    expect(sub.status).toBe(200);
    return doc.body.id as string;
  }
  const { doc, taskOf, decide } = reviewers(t, as);
  const openSigners = async (id: string) => (await doc(id)).openTasks.map((x: { assigneeUserId: string }) => x.assigneeUserId).sort();

  it('countersign with three signers: one approval keeps the step, one return sends it back and cancels the third task', async () => {
    const id = await submitted();
    expect(await openSigners(id)).toEqual([ids['signer-a'], ids['signer-b'], ids['signer-c']].sort());
    const afterA = await decide('signer-a', id, 'approve');
    expect(afterA.state).toBe('countersign');
    expect(afterA.signing).toMatchObject({ mode: 'all', needed: 3, for: 1, against: 0 });
    const afterB = await decide('signer-b', id, 'return', { comment: '第三部分需要修改' });
    expect(afterB.state).toBe('draft');
    expect(await taskOf('signer-c', id)).toBeUndefined();
    const history = (await t.http().get(`/api/documents/${id}/history`).set(await as('drafter'))).body.items;
    expect(history.map((h: { action: string; to: string }) => `${h.action}:${h.to}`)).toEqual(['create:draft', 'submit:countersign', 'approve:countersign', 'return:draft']);
    const audit = (await t.http().get(`/api/audit?documentId=${id}`).set(await as('admin'))).body.items;
    expect(audit.find((e: { action: string; to: string }) => e.action === 'approve').details.tally).toEqual({ for: 1, against: 0, needed: 3, signers: 3 });
  });

  it('walks every kind: countersign, a skipped conditional step, any one, in sequence, and a 2-of-3 vote', async () => {
    const id = await submitted();
    for (const u of ['signer-a', 'signer-b', 'signer-c']) await decide(u, id, 'approve');
    // involvesMarketActivity is false: the fair-competition step is passed over.
    expect((await doc(id)).state).toBe('any-one');
    expect(await openSigners(id)).toEqual([ids['signer-a'], ids['signer-b']].sort());
    expect((await decide('signer-b', id, 'approve')).state).toBe('in-sequence');
    expect(await taskOf('signer-a', id)).toBeDefined();
    expect(await taskOf('signer-b', id)).toBeUndefined();
    expect((await decide('signer-a', id, 'approve')).state).toBe('in-sequence');
    expect(await taskOf('signer-b', id)).toBeDefined();
    expect((await decide('signer-b', id, 'approve')).state).toBe('vote');
    expect((await decide('signer-a', id, 'approve')).state).toBe('vote');
    expect((await decide('signer-b', id, 'reject', { comment: '反对' })).state).toBe('vote');
    const done = await decide('signer-c', id, 'approve');
    expect(done.state).toBe('done');
    expect(done.openTasks).toEqual([]);
  });

  it('a vote that can no longer reach its threshold ends with the deciding rejection', async () => {
    const id = await submitted();
    for (const u of ['signer-a', 'signer-b', 'signer-c']) await decide(u, id, 'approve');
    await decide('signer-a', id, 'approve');
    await decide('signer-a', id, 'approve');
    await decide('signer-b', id, 'approve');
    expect((await doc(id)).state).toBe('vote');
    expect((await decide('signer-a', id, 'reject', { comment: '不同意' })).state).toBe('vote');
    const rejected = await decide('signer-c', id, 'reject', { comment: '不同意' });
    expect(rejected.state).toBe('rejected');
    expect(await taskOf('signer-b', id)).toBeUndefined();
  });

  it('the conditional step runs when the field holds', async () => {
    const id = await submitted({ involvesMarketActivity: true });
    for (const u of ['signer-a', 'signer-b', 'signer-c']) await decide(u, id, 'approve');
    expect((await doc(id)).state).toBe('market');
    expect((await decide('counsel', id, 'approve')).state).toBe('any-one');
  });

  it('returns to the countersign step from a later one: a new round opens all three tasks again', async () => {
    const id = await submitted();
    for (const u of ['signer-a', 'signer-b', 'signer-c']) await decide(u, id, 'approve');
    const back = await decide('signer-a', id, 'return', { comment: '请重新会签', returnTo: 'countersign' });
    expect(back.state).toBe('countersign');
    expect(back.openTasks.map((x: { round: number }) => x.round)).toEqual([2, 2, 2]);
    expect(await taskOf('signer-b', id)).toBeDefined();
    const bad = await t.http().post(`/api/tasks/${await taskOf('signer-a', id)}/decision`).set(await as('signer-a')).send({ decision: 'return', comment: 'x', returnTo: 'vote' });
    expect(bad.status).toBe(409);
  });

  it('加签 after: the added signer decides after the caller approves; before: the caller decides again after them', async () => {
    const id = await submitted();
    for (const u of ['signer-a', 'signer-b', 'signer-c']) await decide(u, id, 'approve');
    await decide('signer-a', id, 'approve');
    // In sequence: signer-a holds the first task and adds signer-c after themselves.
    const taskA = (await taskOf('signer-a', id))!;
    const added = await t.http().post(`/api/tasks/${taskA}/add-signer`).set(await as('signer-a')).send({ userId: ids['signer-c'], position: 'after', comment: '请C把关' });
    expect(added.body).toMatchObject({ state: 'in-sequence' });
    expect(await taskOf('signer-c', id)).toBeUndefined();
    expect((await decide('signer-a', id, 'approve')).state).toBe('in-sequence');
    expect(await taskOf('signer-b', id)).toBeUndefined();
    expect((await decide('signer-c', id, 'approve')).state).toBe('in-sequence');
    // signer-a already signed this step: nobody is added twice (one vote per person in a step).
    const taskB = (await taskOf('signer-b', id))!;
    const twice = await t.http().post(`/api/tasks/${taskB}/add-signer`).set(await as('signer-b')).send({ userId: ids['signer-a'], position: 'before' });
    expect(twice.body.details).toEqual([{ field: 'userId', reason: 'this user already signs this step' }]);
    // signer-b adds signer-d before themselves: b's task gives way, d decides, then b again.
    const before = await t.http().post(`/api/tasks/${taskB}/add-signer`).set(await as('signer-b')).send({ userId: ids['signer-d'], position: 'before' });
    expect(before.status).toBe(200);
    expect((await t.http().get(`/api/tasks/${taskB}`).set(await as('signer-b'))).body.status).toBe('cancelled');
    expect(await taskOf('signer-b', id)).toBeUndefined();
    await decide('signer-d', id, 'approve');
    expect((await decide('signer-b', id, 'approve')).state).toBe('vote');
    const audit = (await t.http().get(`/api/audit?documentId=${id}`).set(await as('admin'))).body.items;
    expect(audit.filter((e: { action: string }) => e.action === 'add-signer').map((e: { details: { addSigner: unknown } }) => e.details.addSigner)).toEqual(
      expect.arrayContaining([
        { userId: ids['signer-c'], position: 'after' },
        { userId: ids['signer-d'], position: 'before' },
      ]),
    );
  });

  it('refuses a bad 加签: an unknown user, the author, oneself; and fields the chain does not declare', async () => {
    const id = await submitted();
    const task = (await taskOf('signer-a', id))!;
    const a = await as('signer-a');
    const send = (body: object) => t.http().post(`/api/tasks/${task}/add-signer`).set(a).send(body);
    expect((await send({ userId: '0191e4a0-0000-7000-8000-000000000000', position: 'after' })).body.details).toEqual([{ field: 'userId', reason: 'no such user' }]);
    const drafterId = (await t.http().get('/api/me').set(await as('drafter'))).body.id;
    const author = await send({ userId: drafterId, position: 'after' });
    expect(author.status).toBe(403);
    expect(author.body).toMatchObject({ code: 'SEPARATION_OF_DUTIES', details: { rule: 'author-decides', userId: drafterId } });
    expect((await send({ userId: ids['signer-a'], position: 'after' })).status).toBe(400);
    expect((await send({ userId: ids['signer-b'], position: 'sideways' })).body.details[0].field).toBe('position');
    expect((await t.http().post(`/api/tasks/${task}/add-signer`).set(await as('signer-b')).send({ userId: ids['signer-c'], position: 'after' })).status).toBe(403);
    const bad = await t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'kinds-demo', title: 'x', year: 2026, departmentId: 'city-sti', fields: { colour: 'red', involvesMarketActivity: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([
      { field: 'fields.colour', reason: 'the chain declares no field "colour"' },
      { field: 'fields.involvesMarketActivity', reason: 'must be a boolean' },
    ]);
  });
});
