import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { forkApi, type ForkedApi } from '../support/fork-api.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { PASSWORD, testDatabase } from '../support/test-app.js';

const onPostgres = !!process.env.TEST_DATABASE_URL;

/**
 * Two API processes on one PostgreSQL, as users who outgrow one machine run them: clients racing
 * across both get one winner per task, both processes sign the same tree head, and the log
 * verifies afterwards. (SQLite has one writer process by design: skipped there.)
 */
(onPostgres ? describe : describe.skip)('two API processes on one PostgreSQL', () => {
  const database = testDatabase();
  const jwtSecret = 'scale-out-secret-of-at-least-32-characters';
  const attachments = { dir: mkdtempSync(join(tmpdir(), 'shenpi-scale-out-')), maxBytes: 1024 * 1024 };
  // One deployment, one audit signing key (AUDIT_SIGNING_KEY_FILE on a shared volume, say): each process trusts what the other signs.
  const auditSigningKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  let apis: ForkedApi[] = [];

  beforeAll(async () => {
    // One after the other: the first migrates and seeds, the second finds both done.
    apis.push(await forkApi({ database, attachments, jwtSecret, auditSigningKey, seed: { password: PASSWORD } }));
    apis.push(await forkApi({ database, attachments, jwtSecret, auditSigningKey }));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(apis.map((api) => api.stop()));
    apis = [];
    await database.drop();
  });

  const call = async (api: ForkedApi, method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, any> };
  };
  const login = async (api: ForkedApi, username: string) => (await call(api, 'POST', '/api/auth/login', undefined, { username, password: PASSWORD })).body.accessToken as string;

  it('gives each task one winner among 50 clients racing across both processes, and verifies afterwards', async () => {
    const [a, b] = apis;
    const drafter = await login(a, 'drafter');
    const counsel = await login(b, 'counsel');
    const tasks: string[] = [];
    for (let i = 0; i < 6; i++) {
      const via = i % 2 ? b : a;
      const doc = await call(via, 'POST', '/api/documents', drafter, { chain: 'annual-report', title: `报告 ${i}`, year: 2000 + i, departmentId: 'city-sti', content: REPORT_OUTLINE });
      expect(doc.status).toBe(201);
      const submitted = await call(i % 2 ? a : b, 'POST', `/api/documents/${doc.body.id}/actions`, drafter, { action: 'submit' });
      tasks.push(submitted.body.openTasks[0].id);
    }
    for (const task of tasks) {
      const answers = await Promise.all(Array.from({ length: 50 }, (_, k) => call(k % 2 ? a : b, 'POST', `/api/tasks/${task}/decision`, counsel, { decision: 'approve', comment: `第 ${k} 位` })));
      expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
      expect(answers.filter((r) => r.status !== 200).every((r) => r.status === 409)).toBe(true);
    }
    // One approval each in the history, whichever process answered.
    for (const task of tasks) {
      const doc = (await call(a, 'GET', `/api/tasks/${task}`, counsel)).body;
      const history = (await call(b, 'GET', `/api/documents/${doc.documentId}/history`, drafter)).body.items;
      expect(history.filter((h: { action: string }) => h.action === 'approve')).toHaveLength(1);
    }
    const admin = await login(a, 'admin');
    // Both sign at once: one tree head of that size, the same for both.
    const [ha, hb] = await Promise.all([call(a, 'POST', '/api/audit/tree-heads', admin), call(b, 'POST', '/api/audit/tree-heads', admin)]);
    expect(ha.status).toBe(201);
    expect(hb.body).toEqual(ha.body);
    const verify = await call(b, 'GET', '/api/audit/verify', admin);
    expect(verify.body).toMatchObject({ ok: true, treeHeads: 1 });
  }, 120_000);

  it('hands the audit sequencer over when the process running it is SIGKILLed under load: no gap, no seq twice, verify ok', async () => {
    const [a] = apis;
    const c = await forkApi({ database, attachments, jwtSecret, auditSigningKey });
    apis.push(c);
    const drafter = await login(a, 'drafter');
    const admin = await login(a, 'admin');
    const docs: string[] = [];
    for (let i = 0; i < 40; i++) {
      const doc = await call(a, 'POST', '/api/documents', drafter, { chain: 'annual-report', title: `负载 ${i}`, year: 2010 + (i % 80), departmentId: 'city-sti', content: REPORT_OUTLINE });
      docs.push(doc.body.id);
    }
    // Load on the doomed process only, so it is the one sequencing; killed once it has sequenced batches of its own.
    let killed = false;
    const load = Promise.all(
      docs.map(async (id) => {
        for (const action of ['submit', 'withdraw', 'submit', 'withdraw', 'submit']) {
          if (killed) return;
          await call(c, 'POST', `/api/documents/${id}/actions`, drafter, { action }).catch(() => undefined);
        }
      }),
    );
    for (let i = 0; i < 400; i++) {
      const stats = await c.ask('stats');
      if ((stats.sequencer as { batches: number }).batches >= 3) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(((await c.ask('stats')).sequencer as { batches: number }).batches).toBeGreaterThanOrEqual(3);
    killed = true;
    c.child.kill('SIGKILL');
    await new Promise((r) => c.child.once('exit', r));
    await load;
    // The survivor finishes each document's round and sequences what the dead process committed.
    for (const id of docs) {
      const doc = (await call(a, 'GET', `/api/documents/${id}`, drafter)).body;
      const next = doc.state === 'draft' ? 'submit' : 'withdraw';
      const moved = await call(a, 'POST', `/api/documents/${id}/actions`, drafter, { action: next, expectedVersion: doc.version });
      expect([moved.status, moved.body.code ?? null, doc.state]).toEqual([200, null, doc.state]);
    }
    const verify = await call(a, 'GET', '/api/audit/verify', admin);
    // verify walks every seq from 1 (a gap or a duplicate breaks the chain) and holds each document's row against its last transition entry.
    expect(verify.body).toMatchObject({ ok: true });
    const entries = await call(a, 'GET', '/api/audit?limit=1', admin);
    expect(entries.body.items[0].seq).toBe(verify.body.entries);
  }, 120_000);
});
