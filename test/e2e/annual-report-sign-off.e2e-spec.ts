import { chainVariants } from '@shenpi/workflows';
import { bearer, useApp } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

/** 签发 as an opt-in: published as the next annual-report version (under that key), it adds the principal leader's signature. */
describe('annual report with 签发', () => {
  const t = useApp();
  const as = async (u: string) => bearer(await t.token(u));

  async function decide(user: string, id: string, decision = 'approve') {
    const task = (await t.http().get(`/api/documents/${id}`).set(await as(user))).body.openTasks[0].id;
    const res = await t.http().post(`/api/tasks/${task}/decision`).set(await as(user)).send({ decision });
    expect(res.status).toBe(200);
    return res.body.state as string;
  }
  async function submitted(year: number) {
    const drafter = await as('drafter');
    const doc = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: `报告${year}`, year, departmentId: 'city-sti', content: REPORT_OUTLINE });
    await t.http().post(`/api/documents/${doc.body.id}/actions`).set(drafter).send({ action: 'submit' });
    return doc.body.id as string;
  }

  it('reports started after the variant is published are signed by the leader; earlier ones keep their version', async () => {
    const before = await submitted(2027);
    const published = await t.http().post('/api/chains').set(await as('admin')).send({ ...chainVariants['annual-report-sign-off'].definition, key: 'annual-report' });
    expect(published.body).toEqual({ key: 'annual-report', version: 2 });
    const after = await submitted(2028);

    expect(await decide('counsel', before)).toBe('party-group-review');
    expect(await decide('secretary', before)).toBe('office-review');

    expect(await decide('counsel', after)).toBe('party-group-review');
    expect(await decide('secretary', after)).toBe('sign-off');
    const signing = (await t.http().get(`/api/documents/${after}`).set(await as('leader'))).body;
    expect(signing).toMatchObject({ chain: { version: 2 }, stateName: { zh: '主要负责人签发' } });
    expect(signing.allowedActions.map((a: { action: string }) => a.action)).toEqual(['approve', 'return', 'delegate', 'add-signer']);
    expect(await decide('leader', after)).toBe('office-review');
    const diagram = (await t.http().get(`/api/documents/${after}/diagram`).set(await as('drafter'))).body.source;
    expect(diagram).toContain('party_group_review --> sign_off: 通过');
  });
});
