import { newId } from '@shenpi/domain';
import { bearer, useApp } from '../support/test-app.js';

/** Running documents move to a newer chain version: a dry run first, then one audited transition each. */
describe('chain migration', () => {
  const t = useApp();
  const as = async (u: string) => bearer(await t.token(u));
  const counsel = { role: 'legal-counsel', department: 'document' };
  const leader = { role: 'leader', department: 'document' };
  const base = (steps: object[]) => ({
    key: 'migratable',
    name: { zh: '迁移示例', en: 'Migration demo' },
    initial: 'draft',
    steps: [
      { key: 'draft', name: { zh: '起草', en: 'Draft' }, editable: true, transitions: [{ action: 'submit', to: 'review', by: { role: 'drafter', department: 'document' } }] },
      ...steps,
      { key: 'done', name: { zh: '完成', en: 'Done' }, final: true, transitions: [] },
    ],
  });
  const v1 = base([
    { key: 'review', name: { zh: '审核', en: 'Review' }, assignee: counsel, deadline: { workingDays: 5 }, transitions: [{ action: 'approve', to: 'old-step' }] },
    { key: 'old-step', name: { zh: '旧环节', en: 'Old step' }, assignee: leader, deadline: { workingDays: 5 }, transitions: [{ action: 'approve', to: 'done' }] },
  ]);
  // v2 countersigns the review and renames the last step.
  const v2 = base([
    { key: 'review', name: { zh: '会签审核', en: 'Review' }, assignees: [counsel, leader], deadline: { workingDays: 5 }, transitions: [{ action: 'approve', to: 'sign' }] },
    { key: 'sign', name: { zh: '签发', en: 'Sign' }, assignee: leader, deadline: { workingDays: 3 }, transitions: [{ action: 'approve', to: 'done' }] },
  ]);
  const ids: Record<string, string[]> = { review: [], 'old-step': [], done: [] };

  async function approveAll(user: string, docIds: string[]) {
    for (const id of docIds) {
      const task = (await t.http().get(`/api/documents/${id}`).set(await as(user))).body.openTasks[0].id;
      expect((await t.http().post(`/api/tasks/${task}/decision`).set(await as(user)).send({ decision: 'approve' })).status).toBe(200);
    }
  }

  beforeAll(async () => {
    const admin = await as('admin');
    expect((await t.http().post('/api/chains').set(admin).send(v1)).body).toEqual({ key: 'migratable', version: 1 });
    const drafter = await as('drafter');
    const all: string[] = [];
    for (let i = 0; i < 100; i++) {
      const doc = await t.http().post('/api/documents').set(drafter).send({ chain: 'migratable', title: `文件${i}`, year: 2026, departmentId: 'city-sti' });
      await t.http().post(`/api/documents/${doc.body.id}/actions`).set(drafter).send({ action: 'submit' });
      all.push(doc.body.id);
    }
    ids.review = all.slice(0, 60);
    ids['old-step'] = all.slice(60, 90);
    ids.done = all.slice(90);
    await approveAll('counsel', all.slice(60));
    await approveAll('leader', ids.done);
    expect((await t.http().post('/api/chains').set(admin).send(v2)).body).toEqual({ key: 'migratable', version: 2 });
  }, 120_000); // ~260 requests, each a committed transaction (fsync on PostgreSQL)

  it('a dry run lists every running document with its target or why it cannot move, and changes nothing', async () => {
    const admin = await as('admin');
    const dry = await t.http().post('/api/chains/migratable/migrations').set(admin).send({ toVersion: 2, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ total: 90, movable: 60, blocked: 30 });
    const blocked = dry.body.items.filter((i: { to: string | null }) => !i.to);
    expect(blocked.map((i: { documentId: string }) => i.documentId).sort()).toEqual([...ids['old-step']].sort());
    expect(blocked[0].reason).toMatch(/no step "old-step"/);
    const mapped = await t.http().post('/api/chains/migratable/migrations').set(admin).send({ toVersion: 2, dryRun: true, mapping: { 'old-step': 'sign' } });
    expect(mapped.body).toMatchObject({ total: 90, movable: 90, blocked: 0 });
    expect((await t.http().get(`/api/documents/${ids.review[0]}`).set(admin)).body.chain).toEqual({ key: 'migratable', version: 1 });
    // Refusals: a version that does not exist, a mapping to no step, a non-administrator.
    expect((await t.http().post('/api/chains/migratable/migrations').set(admin).send({ toVersion: 9, dryRun: true })).body.details).toEqual([
      { field: 'toVersion', reason: 'chain migratable has no version 9' },
    ]);
    expect((await t.http().post('/api/chains/migratable/migrations').set(admin).send({ toVersion: 2, dryRun: true, mapping: { 'old-step': 'nowhere' } })).body.details[0].field).toBe('mapping.old-step');
    expect((await t.http().post('/api/chains/migratable/migrations').set(await as('drafter')).send({ toVersion: 2, dryRun: true })).status).toBe(403);
  });

  it('applies on 100 documents: progress, one audited transition per moved document, the blocked ones reported, finished ones untouched', async () => {
    const admin = await as('admin');
    const started = await t.http().post('/api/chains/migratable/migrations').set(admin).send({ toVersion: 2 });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'running', total: 90 });
    await t.engine.migrations.idle();
    const progress = (await t.http().get(`/api/chains/migrations/${started.body.id}`).set(admin)).body;
    expect(progress).toMatchObject({ status: 'finished', total: 90, done: 60, failed: 30 });
    expect(progress.failures.map((f: { documentId: string }) => f.documentId).sort()).toEqual([...ids['old-step']].sort());

    const moved = (await t.http().get(`/api/documents/${ids.review[0]}`).set(admin)).body;
    expect(moved).toMatchObject({ chain: { key: 'migratable', version: 2 }, state: 'review', stateName: { zh: '会签审核' } });
    expect(moved.openTasks.map((x: { assigneeRole: string }) => x.assigneeRole).sort()).toEqual(['leader', 'legal-counsel']);
    const history = (await t.http().get(`/api/documents/${ids.review[0]}/history`).set(admin)).body.items;
    expect(history.at(-1)).toMatchObject({ action: 'migrate', from: 'review', to: 'review' });
    const audit = (await t.http().get('/api/audit?limit=200').set(admin)).body.items.filter((e: { action: string }) => e.action === 'migrate');
    expect(audit).toHaveLength(60);
    expect(audit[0].details).toMatchObject({ migrationId: started.body.id, fromVersion: 1, toVersion: 2 });
    expect((await t.http().get(`/api/documents/${ids.done[0]}`).set(admin)).body.chain.version).toBe(1);

    // The blocked ones move once the administrator maps the renamed step.
    const second = await t.http().post('/api/chains/migratable/migrations').set(admin).send({ toVersion: 2, mapping: { 'old-step': 'sign' } });
    await t.engine.migrations.idle();
    expect((await t.http().get(`/api/chains/migrations/${second.body.id}`).set(admin)).body).toMatchObject({ status: 'finished', total: 30, done: 30, failed: 0 });
    const signed = (await t.http().get(`/api/documents/${ids['old-step'][0]}`).set(await as('leader'))).body;
    expect(signed).toMatchObject({ state: 'sign', chain: { version: 2 } });
    expect((await t.http().post(`/api/tasks/${signed.openTasks[0].id}/decision`).set(await as('leader')).send({ decision: 'approve' })).body.state).toBe('done');
    expect((await t.http().get('/api/audit/verify').set(admin)).body.ok).toBe(true);
  }, 60_000);

  it('resumes a migration a stop interrupted', async () => {
    const admin = await as('admin');
    const v3 = JSON.parse(JSON.stringify(v2));
    v3.steps[2].deadline = { workingDays: 4 };
    expect((await t.http().post('/api/chains').set(admin).send(v3)).body.version).toBe(3);
    const adminId = (await t.http().get('/api/me').set(admin)).body.id;
    // As a process that stopped right after recording the migration would have left it.
    const id = newId();
    await t.engine.writer.run((repos) =>
      repos.migrations.insert({ id, chainKey: 'migratable', toVersion: 3, mapping: {}, status: 'running', total: 89, done: 0, failed: 0, failures: [], createdBy: adminId, createdAt: t.clock.now().toISOString(), finishedAt: null }),
    );
    await t.engine.migrations.resume();
    await t.engine.migrations.idle();
    expect((await t.http().get(`/api/chains/migrations/${id}`).set(admin)).body).toMatchObject({ status: 'finished', done: 89, failed: 0 });
    expect((await t.http().get(`/api/documents/${ids.review[5]}`).set(admin)).body.chain.version).toBe(3);
  }, 60_000);

  it('draws a chain version as Mermaid', async () => {
    const res = await t.http().get('/api/chains/migratable/versions/2/diagram').set(await as('drafter'));
    expect(res.body.format).toBe('mermaid');
    expect(res.body.source).toContain('review --> sign: approve');
    expect((await t.http().get('/api/chains/migratable/versions/99/diagram').set(await as('drafter'))).status).toBe(404);
  });
});
