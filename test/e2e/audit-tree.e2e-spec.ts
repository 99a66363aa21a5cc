import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalOf, CheckpointSigner, hashOf, TreeHasher, treeHeadStatement, verifyConsistency, verifyInclusion } from '@shenpi/audit';
import { Repositories } from '@shenpi/persistence';
import { runCli } from '../../apps/cli/cli.js';
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
    expect((await t.http().get(`/api/audit/tree-heads?from=${first.treeSize}`).set(supervisor)).body.items).toEqual([{ ...first, cosignatures: [] }, { ...second, cosignatures: [] }]);

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

  it("exports a document's history as a proof bundle that verify-bundle checks offline with the service's key alone", async () => {
    const drafter = await as('drafter');
    const doc = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: '证明包', year: 2024, departmentId: 'city-sti', content: REPORT_OUTLINE });
    await t.http().post(`/api/documents/${doc.body.id}/actions`).set(drafter).send({ action: 'submit' });
    const task = (await t.http().get(`/api/documents/${doc.body.id}`).set(drafter)).body.openTasks[0].id;
    await t.http().post(`/api/tasks/${task}/decision`).set(await as('counsel')).send({ decision: 'return', comment: '请补充第三部分' });

    const res = await t.http().get(`/api/documents/${doc.body.id}/proof-bundle`).set(drafter);
    expect(res.status).toBe(200);
    expect(res.body.entries.map((e: { entry: { action: string } }) => e.entry.action)).toEqual(['create', 'submit', 'return']);
    expect(res.body.treeHead.treeSize).toBeGreaterThanOrEqual(res.body.entries.at(-1).entry.seq);
    expect((await t.http().get(`/api/documents/${doc.body.id}/proof-bundle`).set(await as('office'))).status).toBe(404);

    const dir = mkdtempSync(join(tmpdir(), 'shenpi-bundle-'));
    const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
    const key = write('service.pem', t.engine.checkpointSigner.publicKey);
    const check = async (bundle: unknown, keyFile = key) => {
      const lines: string[] = [];
      const code = await runCli(['audit', 'verify-bundle', write('bundle.json', JSON.stringify(bundle)), '--key', keyFile], {}, { log: (l) => lines.push(l), error: (l) => lines.push(l) });
      return { code, out: lines.join('\n') };
    };
    expect(await check(res.body)).toEqual({ code: 0, out: expect.stringMatching(new RegExp(`^bundle verified: the 3 entries included of document ${doc.body.id} are in the tree of \\d+ entries signed at `)) });

    // A comment softened after the fact, a head claiming another size, another key: each refused.
    const softened = structuredClone(res.body);
    softened.entries[2].entry.details.comment = '很好';
    expect((await check(softened)).out).toMatch(/hash is not the hash of its text/);
    // ... and its hash recomputed to match, as someone rewriting the bundle would: not in the signed tree.
    const { hash: _stale, ...text } = softened.entries[2].entry;
    softened.entries[2].entry.hash = hashOf(text.prevHash, canonicalOf(text));
    expect(await check(softened)).toEqual({ code: 1, out: expect.stringMatching(/^bundle refused: entry \d+ is not in the signed tree/) });
    const rehashed = structuredClone(res.body);
    rehashed.entries[1].entry.hash = rehashed.entries[2].entry.hash;
    expect(await check(rehashed)).toEqual({ code: 1, out: expect.stringMatching(/^bundle refused: entry \d+'s hash is not the hash of its text$/) });
    expect(await check({ ...res.body, entries: [] })).toEqual({ code: 1, out: 'bundle refused: the bundle proves no entry' });
    const resized = structuredClone(res.body);
    resized.treeHead.treeSize += 1;
    expect(await check(resized)).toEqual({ code: 1, out: 'bundle refused: the tree head signature does not verify under the key given' });
    expect((await check(res.body, write('other.pem', CheckpointSigner.ephemeral().publicKey))).out).toMatch(/^bundle refused: the tree head is signed by key \w+, not by the key given/);
    expect((await runCli(['audit', 'verify-bundle', join(dir, 'bundle.json')], {}, { log: () => undefined, error: () => undefined }))).toBe(2);
  });

  it('runs the witness from the command line against the served log: accepts, cosigns, and names a fork of what it holds', async () => {
    const url = (await t.app.listen(0, '127.0.0.1'), await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    const dir = mkdtempSync(join(tmpdir(), 'shenpi-witness-'));
    const key = join(dir, 'service.pem');
    writeFileSync(key, t.engine.checkpointSigner.publicKey);
    const witnessKey = join(dir, 'witness.pem');
    writeFileSync(witnessKey, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const state = join(dir, 'state.json');
    const token = await t.token('supervisor');
    const witness = async (...extra: string[]) => {
      const lines: string[] = [];
      const code = await runCli(['audit', 'witness', '--url', url, '--state', state, '--token', token, '--witness-key', witnessKey, ...extra], {}, { log: (l) => lines.push(l), error: (l) => lines.push(l) });
      return { code, out: lines.join('\n') };
    };
    await t.http().post('/api/audit/tree-heads').set(await as('admin'));
    expect(await witness()).toEqual({ code: 2, out: expect.stringMatching(/pins the service's key with --key/) });
    expect(await witness('--key', key)).toEqual({ code: 0, out: expect.stringMatching(/^witness: the tree of \d+ entries signed at .* is now held$/) });
    const first = JSON.parse(readFileSync(state, 'utf8')).head;
    const repos = new Repositories(t.engine.database.reader);
    expect(await repos.tree.cosignatures(first.treeSize)).toHaveLength(1);
    // The CLI sends the key as `witness` (API.md); the first release's `publicKey` is still read; no key is 400.
    const other = CheckpointSigner.ephemeral();
    const cosign = async (body: object) => t.http().post(`/api/audit/tree-heads/${first.treeSize}/cosign`).set(await as('supervisor')).send(body);
    const otherSignature = other.signStatement(treeHeadStatement(first));
    expect((await cosign({ publicKey: other.publicKey, signature: otherSignature })).status).toBe(201);
    const none = await cosign({ signature: otherSignature });
    expect([none.status, JSON.stringify(none.body)]).toEqual([400, expect.stringContaining('witness')]);
    expect(await repos.tree.cosignatures(first.treeSize)).toHaveLength(2);
    // The stored heads list who cosigned each: supervisors see the witnesses' standing.
    const listed = (await t.http().get(`/api/audit/tree-heads?from=${first.treeSize}&to=${first.treeSize}`).set(await as('supervisor'))).body.items;
    expect(listed).toEqual([{ ...first, cosignatures: expect.arrayContaining([expect.objectContaining({ witnessKeyId: other.keyId })]) }]);
    expect(listed[0].cosignatures).toHaveLength(2);

    await t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: '见证', year: 2023, departmentId: 'city-sti', content: REPORT_OUTLINE });
    const second = (await t.http().post('/api/audit/tree-heads').set(await as('admin'))).body;
    expect(await witness()).toEqual({ code: 0, out: `witness: the tree of ${second.treeSize} entries signed at ${second.timestamp} extends the ${first.treeSize} held` });

    // What the witness holds was not what the log signed at that size: it says so and keeps its state.
    const forged = JSON.parse(readFileSync(state, 'utf8'));
    forged.head.rootHash = '0'.repeat(64);
    writeFileSync(state, JSON.stringify(forged));
    expect(await witness()).toEqual({ code: 1, out: expect.stringMatching(/^witness: fork: two tree heads of \d+ entries with different roots/) });
    expect(JSON.parse(readFileSync(state, 'utf8')).head.rootHash).toBe('0'.repeat(64));
  });
});
