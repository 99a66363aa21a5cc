import { TreeHasher, verifyConsistency, verifyInclusion } from '@shenpi/audit';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { bearer, useApp } from '../support/test-app.js';

const sha = new TreeHasher('sha256');
const unhex = (h: string) => Buffer.from(h, 'hex');

/** Tree heads and RFC 9162 proofs over HTTP, checked as a third party would: with the proof and the heads only. */
describe('audit tree heads and proofs over HTTP', () => {
  const t = useApp();
  const as = async (u: string) => bearer(await t.token(u));

  it('signs tree heads on request and proves entries and consistency between them; refuses what it cannot prove', async () => {
    const admin = await as('admin');
    const supervisor = await as('supervisor');
    expect((await t.http().get('/api/audit/tree-head').set(supervisor)).status).toBe(404);
    expect((await t.http().post('/api/audit/tree-heads').set(supervisor)).status).toBe(403);
    const first = (await t.http().post('/api/audit/tree-heads').set(admin)).body;
    expect(first).toMatchObject({ treeSize: expect.any(Number), rootHash: expect.stringMatching(/^[0-9a-f]{64}$/), suite: 'sha256-ed25519', keyId: expect.any(String), signature: expect.any(String) });

    // More history: a report created and submitted.
    const drafter = await as('drafter');
    const doc = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: '树', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    await t.http().post(`/api/documents/${doc.body.id}/actions`).set(drafter).send({ action: 'submit' });
    const second = (await t.http().post('/api/audit/tree-heads').set(admin)).body;
    expect(second.treeSize).toBeGreaterThan(first.treeSize);
    expect((await t.http().get('/api/audit/tree-head').set(supervisor)).body).toEqual(second);
    expect((await t.http().get(`/api/audit/tree-heads?from=${first.treeSize}`).set(supervisor)).body.items).toEqual([first, second]);

    // The document's creation entry, proven in the second tree.
    const [created] = (await t.http().get(`/api/audit?documentId=${doc.body.id}&action=create`).set(admin)).body.items;
    const inclusion = (await t.http().get(`/api/audit/proofs/inclusion?seq=${created.seq}&treeSize=${second.treeSize}`).set(supervisor)).body;
    expect(inclusion).toMatchObject({ leafIndex: created.seq - 1, treeSize: second.treeSize });
    expect(verifyInclusion(sha, inclusion.leafIndex, inclusion.treeSize, unhex(inclusion.leafHash), inclusion.auditPath.map(unhex), unhex(second.rootHash))).toBe(true);
    const consistency = (await t.http().get(`/api/audit/proofs/consistency?first=${first.treeSize}&second=${second.treeSize}`).set(supervisor)).body;
    expect(verifyConsistency(sha, first.treeSize, second.treeSize, consistency.proof.map(unhex), unhex(first.rootHash), unhex(second.rootHash))).toBe(true);

    // Only signed sizes, entries inside them, whole numbers; only auditors.
    const refused = async (query: string, field: string) => {
      const res = await t.http().get(`/api/audit/proofs/${query}`).set(supervisor);
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    };
    await refused(`inclusion?seq=1&treeSize=${second.treeSize + 1}`, 'treeSize');
    await refused(`inclusion?seq=${second.treeSize + 1}&treeSize=${second.treeSize}`, 'seq');
    await refused(`inclusion?seq=0&treeSize=${second.treeSize}`, 'seq');
    await refused(`inclusion?seq=x&treeSize=${second.treeSize}`, 'seq');
    await refused(`consistency?first=${second.treeSize}&second=${first.treeSize}`, 'first');
    await refused(`consistency?first=1&second=${second.treeSize}`, 'first');
    expect((await t.http().get(`/api/audit/proofs/inclusion?seq=1&treeSize=${second.treeSize}`).set(drafter)).status).toBe(403);
  });
});
