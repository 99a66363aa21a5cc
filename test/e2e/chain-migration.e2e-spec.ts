import { newId } from '@shenpi/domain';
import { PASSWORD, bearer, useApp } from '../support/test-app.js';

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
    // A step version 2 lacks may map back to the last step before it that version 2 keeps (review), not past it.
    const past = await t.http().post('/api/chains/migratable/migrations').set(admin).send({ toVersion: 2, dryRun: true, mapping: { 'old-step': 'sign' } });
    expect(past.status).toBe(422);
    expect(past.body).toMatchObject({ code: 'MIGRATION_SKIPS_REVIEW', details: [{ field: 'mapping.old-step' }] });
    expect(past.body.details[0].reason).toMatch(/"sign" comes after "review"/);
    const mapped = await t.http().post('/api/chains/migratable/migrations').set(admin).send({ toVersion: 2, dryRun: true, mapping: { 'old-step': 'review' } });
    expect(mapped.body).toMatchObject({ total: 90, movable: 90, blocked: 0, forced: 0 });
    expect((await t.http().get(`/api/documents/${ids.review[0]}`).set(admin)).body.chain).toMatchObject({ key: 'migratable', version: 1 });
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
    await t.engine.chainMigrations.idle();
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

    // The blocked ones move once the administrator maps the renamed step. It comes after review in
    // version 2, so the rule cannot tell a rename from a skip: the administrator forces it, with a reason.
    const reason = '“旧环节”更名为“签发” / old-step was renamed sign';
    const second = await t.http().post('/api/chains/migratable/migrations').set(admin).send({ toVersion: 2, mapping: { 'old-step': 'sign' }, force: true, reason });
    expect(second.body).toMatchObject({ force: true, reason });
    await t.engine.chainMigrations.idle();
    expect((await t.http().get(`/api/chains/migrations/${second.body.id}`).set(admin)).body).toMatchObject({ status: 'finished', total: 30, done: 30, failed: 0 });
    const signed = (await t.http().get(`/api/documents/${ids['old-step'][0]}`).set(await as('leader'))).body;
    expect(signed).toMatchObject({ state: 'sign', chain: { version: 2 } });
    const forced = (await t.http().get(`/api/documents/${ids['old-step'][0]}/history`).set(admin)).body.items.at(-1);
    expect(forced).toMatchObject({ action: 'migrate-forced', from: 'old-step', to: 'sign', details: { reason, migrationId: second.body.id } });
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
      repos.migrations.insert({ id, chainKey: 'migratable', toVersion: 3, mapping: {}, force: false, reason: null, status: 'running', total: 89, done: 0, failed: 0, failures: [], createdBy: adminId, createdAt: t.clock.now().toISOString(), finishedAt: null }),
    );
    await t.engine.chainMigrations.resume();
    await t.engine.chainMigrations.idle();
    expect((await t.http().get(`/api/chains/migrations/${id}`).set(admin)).body).toMatchObject({ status: 'finished', done: 89, failed: 0 });
    expect((await t.http().get(`/api/documents/${ids.review[5]}`).set(admin)).body.chain.version).toBe(3);
  }, 60_000);

  it('draws a chain version as Mermaid', async () => {
    const res = await t.http().get('/api/chains/migratable/versions/2/diagram').set(await as('drafter'));
    expect(res.body.format).toBe('mermaid');
    expect(res.body.source).toContain('review --> sign: 通过');
    const english = await t.http().get('/api/chains/migratable/versions/2/diagram?lang=en').set(await as('drafter'));
    expect(english.body.source).toContain('review --> sign: Approve');
    const other = await t.http().get('/api/chains/migratable/versions/2/diagram?lang=fr').set(await as('drafter'));
    expect([other.status, other.body.details?.[0]?.field]).toEqual([400, 'lang']);
    expect((await t.http().get('/api/chains/migratable/versions/99/diagram').set(await as('drafter'))).status).toBe(404);
  });

  /** The rule of issue 19: a migration lands each document on its own step or an earlier one, unless forced. */
  describe('never skipping a review', () => {
    const byDrafter = { role: 'drafter', department: 'document' };
    const chain = (reviews: object[]) => ({
      key: 'no-skip',
      name: { zh: '不越审核', en: 'No skipped review' },
      initial: 'draft',
      steps: [
        { key: 'draft', name: { zh: '起草', en: 'Draft' }, editable: true, transitions: [{ action: 'submit', to: 'legal-review', by: byDrafter }] },
        ...reviews,
        { key: 'awaiting-disclosure', name: { zh: '待公开', en: 'Awaiting disclosure' }, transitions: [{ action: 'publish', to: 'done', by: byDrafter }] },
        { key: 'done', name: { zh: '完成', en: 'Done' }, final: true, transitions: [] },
      ],
    });
    const legalReview = (next: string) => ({ key: 'legal-review', name: { zh: '法制审核', en: 'Legal review' }, assignee: counsel, deadline: { workingDays: 5 }, transitions: [{ action: 'approve', to: next }] });
    const partyReview = { key: 'party-review', name: { zh: '党组审议', en: 'Party review' }, assignee: leader, deadline: { workingDays: 5 }, transitions: [{ action: 'approve', to: 'awaiting-disclosure' }] };
    // Two documents in draft, two submitted to legal review; version 2 adds a party review after it.
    const docs = { draft: [] as string[], 'legal-review': [] as string[] };
    const all = () => [...docs.draft, ...docs['legal-review']];
    // The example: the drafter would record disclosure with no review at all.
    const skipping = { toVersion: 2, mapping: { draft: 'legal-review', 'legal-review': 'awaiting-disclosure' } };
    const migrate = async (user: string, body: object) => t.http().post('/api/chains/no-skip/migrations').set(await as(user)).send(body);
    const where = async (id: string) => {
      const doc = (await t.http().get(`/api/documents/${id}`).set(await as('admin'))).body;
      return { state: doc.state, chainVersion: doc.chain.version, version: doc.version };
    };
    const history = async (id: string) => (await t.http().get(`/api/documents/${id}/history`).set(await as('admin'))).body.items as { action: string }[];

    beforeAll(async () => {
      const admin = await as('admin');
      expect((await t.http().post('/api/chains').set(admin).send(chain([legalReview('awaiting-disclosure')]))).body).toEqual({ key: 'no-skip', version: 1 });
      const drafter = await as('drafter');
      for (const state of ['draft', 'draft', 'legal-review', 'legal-review'] as const) {
        const doc = await t.http().post('/api/documents').set(drafter).send({ chain: 'no-skip', title: `审核${all().length}`, year: 2026, departmentId: 'city-sti' });
        expect(doc.status).toBe(201);
        if (state === 'legal-review') expect((await t.http().post(`/api/documents/${doc.body.id}/actions`).set(drafter).send({ action: 'submit' })).status).toBe(200);
        docs[state].push(doc.body.id);
      }
      expect((await t.http().post('/api/chains').set(admin).send(chain([legalReview('party-review'), partyReview]))).body).toEqual({ key: 'no-skip', version: 2 });
      // A supervisor whose scope does not hold the documents.
      await t.engine.directory.addDepartment({ id: 'city-water', name: '市水利局 / City water bureau', officeId: 'rule-of-law-office' });
      await t.engine.directory.addUser({ username: 'sup-water', password: PASSWORD, departmentId: 'city-water', roles: ['supervisor'] });
    });

    it('refuses a mapping past a review with 422 naming each entry, in the dry run and when applied, and moves nothing', async () => {
      const before = await Promise.all(all().map(where));
      expect(before.map((d) => d.state)).toEqual(['draft', 'draft', 'legal-review', 'legal-review']);
      for (const body of [{ ...skipping, dryRun: true }, skipping]) {
        const res = await migrate('admin', body);
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 422, code: 'MIGRATION_SKIPS_REVIEW' });
        expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['mapping.draft', 'mapping.legal-review']);
      }
      // Every entry counts, also one for a step no document is in.
      const idle = await migrate('admin', { toVersion: 2, dryRun: true, mapping: { 'party-review': 'awaiting-disclosure' } });
      expect({ status: idle.status, details: idle.body.details }).toMatchObject({ status: 422, details: [{ field: 'mapping.party-review' }] });
      await t.engine.chainMigrations.idle();
      expect(await Promise.all(all().map(where))).toEqual(before);
      for (const id of all()) expect((await history(id)).filter((e) => e.action.startsWith('migrate'))).toEqual([]);
      const starts = (await t.http().get('/api/audit?action=start-migration&limit=200').set(await as('admin'))).body.items;
      expect(starts.filter((e: { details: { chainKey: string } }) => e.details.chainKey === 'no-skip')).toEqual([]);

      // The same step or an earlier one is fine.
      const back = await migrate('admin', { toVersion: 2, dryRun: true, mapping: { draft: 'draft', 'legal-review': 'draft' } });
      expect(back.body).toMatchObject({ total: 4, movable: 4, blocked: 0, forced: 0 });
    });

    it('forces forward moves only for an administrator with a reason, audits each as migrate-forced and lists them for supervisors', async () => {
      for (const extra of [{}, { reason: '   ' }]) {
        for (const dryRun of [true, false]) {
          const res = await migrate('admin', { ...skipping, dryRun, force: true, ...extra });
          expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
          expect(res.body.details.map((d: { field: string }) => d.field)).toContain('reason');
        }
      }
      expect((await migrate('admin', { ...skipping, force: true, reason: 'x'.repeat(2001) })).status).toBe(400);
      const reason = '本批文件已于线下完成审核 / reviewed on paper before version 2';
      expect((await migrate('drafter', { ...skipping, force: true, reason })).status).toBe(403);
      expect((await migrate('drafter', { ...skipping, dryRun: true, force: true, reason })).status).toBe(403);
      expect((await Promise.all(all().map(where))).map((d) => d.chainVersion)).toEqual([1, 1, 1, 1]);

      const dry = await migrate('admin', { ...skipping, dryRun: true, force: true, reason });
      expect(dry.body).toMatchObject({ total: 4, movable: 4, blocked: 0, forced: 4 });
      const started = await migrate('admin', { ...skipping, force: true, reason });
      expect(started.status).toBe(202);
      await t.engine.chainMigrations.idle();
      expect((await t.http().get(`/api/chains/migrations/${started.body.id}`).set(await as('admin'))).body).toMatchObject({ status: 'finished', done: 4, failed: 0, force: true, reason });
      const expected = [...docs.draft.map((id) => [id, 'draft', 'legal-review']), ...docs['legal-review'].map((id) => [id, 'legal-review', 'awaiting-disclosure'])];
      for (const [id, from, to] of expected) {
        expect(await where(id)).toMatchObject({ state: to, chainVersion: 2 });
        expect((await history(id)).at(-1)).toMatchObject({ action: 'migrate-forced', from, to, details: { reason, migrationId: started.body.id, fromVersion: 1, toVersion: 2 } });
      }
      const starts = (await t.http().get('/api/audit?action=start-migration&limit=200').set(await as('admin'))).body.items;
      expect(starts.find((e: { details: { chainKey: string } }) => e.details.chainKey === 'no-skip').details).toMatchObject({ migrationId: started.body.id, force: true, reason, mapping: skipping.mapping });

      const adminId = (await t.http().get('/api/me').set(await as('admin'))).body.id;
      const listed = expected.map(([documentId, from, to]) => ({ documentId, departmentId: 'city-sti', at: expect.any(String), actorId: adminId, from, to, reason, migrationId: started.body.id }));
      const byDocument = (a: { documentId: string }, b: { documentId: string }) => a.documentId.localeCompare(b.documentId);
      for (const user of ['supervisor', 'admin']) {
        const overview = await t.http().get('/api/supervision/overview?chain=no-skip&year=2026').set(await as(user));
        expect(overview.status).toBe(200);
        expect([...overview.body.forcedMigrations].sort(byDocument)).toEqual([...listed].sort(byDocument));
      }
      expect((await t.http().get('/api/supervision/overview?chain=no-skip&year=2026').set(await as('sup-water'))).body.forcedMigrations).toEqual([]);
    });
  });
});
