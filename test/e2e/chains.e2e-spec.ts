import { bearer, useApp } from '../support/test-app.js';
import { annualReportChain } from '../../workflows/annual-report/annual-report.chain.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

describe('administrators configure chains', () => {
  const t = useApp();

  it('validates with paths, publishes version 2, and running documents keep version 1', async () => {
    const admin = bearer(await t.token('admin'));
    const drafter = bearer(await t.token('drafter'));
    const running = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: 'v1', year: 2024, departmentId: 'city-sti', content: REPORT_OUTLINE });
    expect(running.body.chain).toEqual({ key: 'annual-report', version: 1, name: { zh: '法治政府建设年度报告', en: expect.any(String) } });

    const bad = JSON.parse(JSON.stringify(annualReportChain));
    bad.steps[1].deadline = { workingDays: 5, seconds: 10 };
    bad.steps[2].assignee.role = 'janitor';
    const lint = await t.http().post('/api/chains/validate').set(admin).send(bad);
    expect(lint.status).toBe(200);
    expect(lint.body.valid).toBe(false);
    expect(lint.body.errors.map((e: { path: string }) => e.path)).toContain('steps[2].assignee.role');
    const refused = await t.http().post('/api/chains').set(admin).send(bad);
    expect(refused.status).toBe(400);
    expect(refused.body.details.map((d: { field: string }) => d.field)).toContain('steps[2].assignee.role');
    // Each finding also in both languages, in the lint's answer and in the refusal alike.
    const janitor = expect.stringMatching(/^须为以下取值之一：“drafter”、“legal-counsel”/);
    expect(lint.body.errors).toContainEqual({ path: 'steps[2].assignee.role', reason: expect.stringMatching(/^role must be one of/), message: { zh: janitor, en: expect.stringMatching(/^role must be one of/) } });
    expect(refused.body.details).toContainEqual({ field: 'steps[2].assignee.role', reason: expect.stringMatching(/^role must be one of/), message: { zh: janitor, en: expect.stringMatching(/^role must be one of/) } });
    for (const e of lint.body.errors) expect(e.message.en).toBe(e.reason);

    const longer = JSON.parse(JSON.stringify(annualReportChain));
    longer.steps[1].deadline = { workingDays: 7 };
    expect((await t.http().post('/api/chains').set(drafter).send(longer)).status).toBe(403);
    const published = await t.http().post('/api/chains').set(admin).send(longer);
    expect({ status: published.status, body: published.body }).toEqual({ status: 201, body: { key: 'annual-report', version: 2 } });
    const fresh = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: 'v2', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    expect(fresh.body.chain).toMatchObject({ key: 'annual-report', version: 2 });
    expect((await t.http().get(`/api/documents/${running.body.id}`).set(drafter)).body.chain).toMatchObject({ key: 'annual-report', version: 1 });
    const v2 = await t.http().get('/api/chains/annual-report/versions/2').set(drafter);
    expect(v2.body.definition.steps[1].deadline).toEqual({ workingDays: 7 });
    // A restart does not put the shipped definition back over the administrator's version.
    await t.engine.writer.run((r) => t.engine.chains.publishShipped(r, annualReportChain, { type: 'system', id: 'startup', role: null, departmentId: null, onBehalfOf: null }));
    expect((await t.http().get('/api/chains').set(admin)).body.items).toContainEqual(expect.objectContaining({ key: 'annual-report', latestVersion: 2 }));
    const audit = await t.http().get('/api/audit?category=configuration&limit=5').set(admin);
    expect(audit.body.items[0]).toMatchObject({ action: 'publish-chain', details: { chainKey: 'annual-report', version: 2, previousVersion: 1 } });
  });

  /** Over HTTP, each kind of broken definition is a 400 naming the exact path (the lint spec has the full table). */
  const role = (r: string, department = 'document') => ({ role: r, department });
  // The demo organisation grants admin only globally: no department has one.
  const nobodyHolds = 'admin';
  const cases: [string, (d: any) => void, string][] = [
    ['cycle without exit', (d) => {
      d.steps[0].transitions.push({ action: 'fast-track', to: 'office-review', by: role('drafter') });
      d.steps[1].transitions = [{ action: 'approve', to: 'party-group-review' }];
      d.steps[2].transitions = [{ action: 'return', to: 'legal-review', commentRequired: true }];
    }, 'steps[1]'],
    ['unknown role', (d) => (d.steps[1].assignee.role = 'janitor'), 'steps[1].assignee.role'],
    ['role nobody holds', (d) => (d.steps[1].assignee.role = nobodyHolds), 'steps[1].assignee.role'],
    ['role nobody holds in an office', (d) => (d.steps[3].assignee.role = 'legal-counsel'), 'steps[3].assignee.role'],
    ['duplicate step key', (d) => (d.steps[2].key = 'legal-review'), 'steps[2].key'],
    ['condition on an unknown field', (d) => (d.steps[2].when = { field: 'colour', op: 'eq', value: 'red' }), 'steps[2].when.field'],
    ['condition value of the wrong type', (d) => ((d.fields = [{ key: 'big', name: { zh: '大', en: 'Big' }, type: 'boolean' }]), (d.steps[2].when = { field: 'big', op: 'eq', value: 'yes' })), 'steps[2].when.value'],
    ['condition on the initial step', (d) => ((d.fields = [{ key: 'big', name: { zh: '大', en: 'Big' }, type: 'boolean' }]), (d.steps[0].when = { field: 'big', value: true })), 'steps[0].when'],
    ['threshold above the signers', (d) => ((d.steps[1].assignees = [role('legal-counsel'), role('leader')]), delete d.steps[1].assignee, (d.steps[1].threshold = 3)), 'steps[1].threshold'],
    ['threshold on any-one', (d) => ((d.steps[1].assignees = [role('legal-counsel'), role('leader')]), delete d.steps[1].assignee, (d.steps[1].signing = 'any'), (d.steps[1].threshold = 1)), 'steps[1].threshold'],
    ['assignee and assignees', (d) => (d.steps[1].assignees = [role('leader')]), 'steps[1].assignees'],
    ['a signer with role and userId', (d) => ((d.steps[1].assignees = [{ role: 'leader', userId: '0191e4a0-0000-7000-8000-000000000000' }]), delete d.steps[1].assignee), 'steps[1].assignees[0].role'],
    ['an unknown named user', (d) => ((d.steps[1].assignees = [{ userId: '0191e4a0-0000-7000-8000-000000000000' }]), delete d.steps[1].assignee), 'steps[1].assignees[0].userId'],
    ['a return that is not earlier', (d) => (d.steps[2].transitions[1] = { action: 'return', to: 'office-review', commentRequired: true }), 'steps[2].transitions[1].to'],
    ['a later return target', (d) => (d.steps[2].transitions[1].returnTo = ['draft', 'office-review']), 'steps[2].transitions[1].returnTo[1]'],
    ['a reserved action name', (d) => (d.steps[1].transitions[0].action = 'delegate'), 'steps[1].transitions[0].action'],
    ['an unknown target', (d) => (d.steps[0].transitions[0].to = 'nowhere'), 'steps[0].transitions[0].to'],
    ['two deadline units', (d) => (d.steps[1].deadline = { workingDays: 5, seconds: 10 }), 'steps[1].deadline'],
    ['dead end', (d) => (d.steps[4].transitions = []), 'steps[4]'],
    ['unreachable step', (d) => d.steps.splice(5, 0, { key: 'limbo', name: { zh: '无', en: 'none' }, transitions: [{ action: 'go', to: 'disclosed', by: role('drafter') }] }), 'steps[5]'],
    ['unknown property', (d) => (d.steps[0].colour = 'red'), 'steps[0].colour'],
    ['escalation to a role nobody holds', (d) => (d.steps[1].escalation.to.role = nobodyHolds), 'steps[1].escalation.to.role'],
  ];
  it.each(cases)('refuses %s with a 400 at its path', async (_, breakIt, path) => {
    const admin = bearer(await t.token('admin'));
    const d = JSON.parse(JSON.stringify(annualReportChain));
    breakIt(d);
    const res = await t.http().post('/api/chains').set(admin).send(d);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.map((e: { field: string }) => e.field)).toContain(path);
    expect((await t.http().get('/api/chains/annual-report/versions/3').set(admin)).status).toBe(404);
  });

  it('warns where separation of duties leaves a department too few people, and refuses a threshold above the seats', async () => {
    const admin = bearer(await t.token('admin'));
    /** legal-review as 会签 of two legal-counsel seats: city-sti has one counsel, and the supervisor never decides. */
    const validate = (seat: string, extra: Record<string, unknown> = {}) => {
      const d = JSON.parse(JSON.stringify(annualReportChain));
      delete d.steps[1].assignee;
      Object.assign(d.steps[1], { assignees: [role(seat), role(seat)], signing: 'all', ...extra });
      return t.http().post('/api/chains/validate').set(admin).send(d);
    };
    const short = await validate('legal-counsel');
    expect(short.status).toBe(200);
    expect(short.body).toMatchObject({ valid: true, errors: [] });
    const reason = 'department city-sti has 1 person who can decide "legal-review" under separation of duties, it needs 2';
    expect(short.body.warnings).toContainEqual({ path: 'steps[1]', reason, message: { zh: '按不相容职务分离，部门“city-sti”只有1人可以办理环节“legal-review”，需要2人', en: reason } });
    expect((await validate('supervisor')).body.warnings).toContainEqual(expect.objectContaining({ path: 'steps[1]', reason: expect.stringMatching(/city-sti has 0 people/) }));
    const above = await validate('legal-counsel', { threshold: 3 });
    expect(above.status).toBe(200);
    expect(above.body.valid).toBe(false);
    expect(above.body.errors.map((e: { path: string }) => e.path)).toEqual(['steps[1].threshold']);
  });
});
