import { bearer, useApp } from '../support/test-app.js';
import { annualReportChain } from '../../workflows/annual-report/annual-report.chain.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

describe('administrators configure chains', () => {
  const t = useApp();

  it('validates with paths, publishes version 2, and running documents keep version 1', async () => {
    const admin = bearer(await t.token('admin'));
    const drafter = bearer(await t.token('drafter'));
    const running = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: 'v1', year: 2024, departmentId: 'city-sti', content: REPORT_OUTLINE });
    expect(running.body.chain).toEqual({ key: 'annual-report', version: 1 });

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

    const longer = JSON.parse(JSON.stringify(annualReportChain));
    longer.steps[1].deadline = { workingDays: 7 };
    expect((await t.http().post('/api/chains').set(drafter).send(longer)).status).toBe(403);
    const published = await t.http().post('/api/chains').set(admin).send(longer);
    expect({ status: published.status, body: published.body }).toEqual({ status: 201, body: { key: 'annual-report', version: 2 } });
    const fresh = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: 'v2', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    expect(fresh.body.chain).toEqual({ key: 'annual-report', version: 2 });
    expect((await t.http().get(`/api/documents/${running.body.id}`).set(drafter)).body.chain).toEqual({ key: 'annual-report', version: 1 });
    const v2 = await t.http().get('/api/chains/annual-report/versions/2').set(drafter);
    expect(v2.body.definition.steps[1].deadline).toEqual({ workingDays: 7 });
    // A restart does not put the shipped definition back over the administrator's version.
    await t.engine.writer.run((r) => t.engine.chains.publishShipped(r, annualReportChain, { type: 'system', id: 'startup', role: null, departmentId: null, onBehalfOf: null }));
    expect((await t.http().get('/api/chains').set(admin)).body.items).toContainEqual(expect.objectContaining({ key: 'annual-report', latestVersion: 2 }));
    const audit = await t.http().get('/api/audit?category=configuration&limit=5').set(admin);
    expect(audit.body.items[0]).toMatchObject({ action: 'publish-chain', details: { chainKey: 'annual-report', version: 2, previousVersion: 1 } });
  });
});
