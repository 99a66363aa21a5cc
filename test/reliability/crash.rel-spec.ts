import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '@shenpi/engine';
import type { DatabaseConfig } from '@shenpi/persistence';
import { shippedChains } from '@shenpi/workflows';
import { forkApi, type ForkedApi } from '../support/fork-api.js';
import { PASSWORD, testDatabase, testPlanner } from '../support/test-app.js';
import { recordFigure } from './rel-support.js';
import { size } from './size.js';

/**
 * Crash test: the real API in a process of its own (test/support/api-process.ts) on a database on disk
 * (a SQLite file in a temporary folder, or a PostgreSQL schema with TEST_DATABASE_URL). N clients
 * each drive documents of their own round and round through normative-document (drafter submits →
 * counsel `lawful` → the Party secretary returns it to drafting → …) as fast as the API answers;
 * after a few seconds the API process is SIGKILLed mid-load and started again on the same
 * database. Then: every action a client got 200 for is in the database (the document at or past
 * that version, the decided task `done` with that decision) and in the audit log (an entry of that
 * action and version); every document agrees with itself (one audit entry per version 1..v, the
 * last entry's target is its state, one open task exactly when its step has a signer, a `done`
 * task per decision entry); the audit chain verifies; the restarted API takes decisions again.
 */
const CLIENTS = size(10, 50);
const SECONDS = size(2, 10);
const DOCS_PER_CLIENT = 2;
const JWT_SECRET = 'crash-test-secret';

interface Ack {
  client: number;
  docId: string;
  action: string;
  taskId?: string;
  version: number;
}

interface ClientDoc {
  id: string;
  state: string;
  taskId?: string;
}

type Api = ForkedApi;

/** The engine as apps/api/main.ts opens it, with the embedded scheduler, on the database prepared here. */
const startApi = (config: { database: DatabaseConfig; attachmentsDir: string }) =>
  forkApi({ database: config.database, attachments: { dir: config.attachmentsDir, maxBytes: 1024 * 1024 }, jwtSecret: JWT_SECRET, scheduler: true });
const stopApi = (api: Api) => api.stop();

async function call(api: Api, token: string | null, method: string, path: string, body?: object): Promise<{ status: number; body: any }> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe('crash: the API SIGKILLed mid-load, restarted on the same database', () => {
  const database = testDatabase();
  const attachmentsDir = mkdtempSync(join(tmpdir(), 'shenpi-crash-attachments-'));
  const config = { database: { url: database.url, schema: database.schema, sqlitePath: database.sqlitePath } as DatabaseConfig, attachmentsDir };
  const docsOf: ClientDoc[][] = [];
  let api: Api | undefined;

  beforeAll(async () => {
    // Seeded in this process, closed, then handed to the API process.
    const engine = await Engine.open({ database, shippedChains, planner: testPlanner, attachments: { dir: attachmentsDir, maxBytes: 1024 * 1024 } });
    try {
      await engine.directory.seedDemo(PASSWORD);
      const row = await engine.database.reader.one<{ id: string }>("SELECT id FROM users WHERE username = 'drafter'");
      const drafter = (await engine.authentication.principal(row!.id))!;
      for (let c = 0; c < CLIENTS; c++) {
        docsOf.push([]);
        for (let k = 0; k < DOCS_PER_CLIENT; k++) {
          const doc = await engine.createDocument.execute({ principal: drafter, chain: 'normative-document', title: `崩溃测试 ${c}-${k}`, year: 2026, departmentId: 'city-sti', content: '第一条 崩溃测试。', fields: { involvesMarketActivity: false } });
          docsOf[c].push({ id: doc.id, state: doc.state });
        }
      }
    } finally {
      await engine.close();
    }
  }, 120_000);

  afterAll(async () => {
    if (api) await stopApi(api);
    await database.drop();
    rmSync(attachmentsDir, { recursive: true, force: true });
  }, 60_000);

  it(`${CLIENTS} clients for ~${SECONDS} s, SIGKILL, restart: every acknowledged decision is kept, no half-applied transition, audit verifies`, async () => {
    api = await startApi(config);
    const tokens: Record<string, string> = {};
    for (const user of ['drafter', 'counsel', 'secretary', 'supervisor']) {
      const res = await call(api, null, 'POST', '/api/auth/login', { username: user, password: PASSWORD });
      expect(res.status).toBe(200);
      tokens[user] = res.body.accessToken;
    }

    const acks: Ack[] = [];
    const unexpected: string[] = [];
    let killed = false;
    let inFlightAtKill = 0;
    const current = api;

    /** The next action on a document: who takes it and where. */
    const step = (doc: ClientDoc) =>
      doc.state === 'drafting'
        ? { user: 'drafter', action: 'submit', path: `/api/documents/${doc.id}/actions`, body: { action: 'submit' } }
        : doc.state === 'legality-review'
          ? { user: 'counsel', action: 'lawful', path: `/api/tasks/${doc.taskId}/decision`, body: { decision: 'lawful' }, taskId: doc.taskId }
          : { user: 'secretary', action: 'return', path: `/api/tasks/${doc.taskId}/decision`, body: { decision: 'return', returnTo: 'drafting', comment: '退回修改' }, taskId: doc.taskId };

    async function client(c: number): Promise<void> {
      for (let i = 0; ; i++) {
        const doc = docsOf[c][i % DOCS_PER_CLIENT];
        const s = step(doc);
        let res;
        try {
          res = await call(current, tokens[s.user], 'POST', s.path, s.body);
        } catch {
          // The API is gone: this request's outcome is unknown (committed or not), and it was never acknowledged.
          if (killed) inFlightAtKill++;
          else unexpected.push(`client ${c}: request failed before the kill`);
          return;
        }
        if (res.status !== 200) {
          if (!killed) unexpected.push(`client ${c} ${s.action} on ${doc.id}: ${res.status} ${JSON.stringify(res.body)}`);
          return;
        }
        acks.push({ client: c, docId: doc.id, action: s.action, taskId: s.taskId, version: res.body.version });
        doc.state = res.body.state;
        doc.taskId = res.body.openTasks?.[0]?.id;
      }
    }

    const started = performance.now();
    const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    killed = true;
    const exited = new Promise<string | null>((resolve) => current.child.once('exit', (_, signal) => resolve(signal)));
    current.child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await Promise.all(clients);
    const ackedUnderLoad = acks.length;
    const loadSeconds = (performance.now() - started) / 1000;
    expect(unexpected).toEqual([]);
    expect(acks.length).toBeGreaterThan(0);

    // Restarted on the same database: healthy, the chain verifies, and it takes decisions again.
    const restartStarted = performance.now();
    api = await startApi(config);
    const restartSeconds = (performance.now() - restartStarted) / 1000;
    const health = await call(api, null, 'GET', '/health');
    expect({ status: health.status, body: health.body }).toMatchObject({ status: 200, body: { status: 'ok', database: 'up' } });
    const verify = await call(api, tokens.supervisor, 'GET', '/api/audit/verify');
    expect(verify.body).toMatchObject({ ok: true });

    // Where the clients believe their documents are may be behind the database (a request that
    // committed without an answer): read them afresh, then move each client's first document on once.
    let afterRestart = 0;
    for (let c = 0; c < CLIENTS; c++) {
      const doc = docsOf[c][0];
      const read = await call(api, tokens.drafter, 'GET', `/api/documents/${doc.id}`);
      expect(read.status).toBe(200);
      doc.state = read.body.state;
      doc.taskId = read.body.openTasks?.[0]?.id;
      const s = step(doc);
      const res = await call(api, tokens[s.user], 'POST', s.path, s.body);
      expect({ doc: doc.id, status: res.status, body: res.status === 200 ? null : res.body }).toEqual({ doc: doc.id, status: 200, body: null });
      acks.push({ client: c, docId: doc.id, action: s.action, taskId: s.taskId, version: res.body.version });
      afterRestart++;
    }
    const verifyAgain = await call(api, tokens.supervisor, 'GET', '/api/audit/verify');
    expect(verifyAgain.body).toMatchObject({ ok: true });
    await stopApi(api);
    api = undefined;

    // Read the database itself.
    const engine = await Engine.open({ database, shippedChains, planner: testPlanner, attachments: { dir: attachmentsDir, maxBytes: 1024 * 1024 } });
    try {
      const reader = engine.database.reader;
      const ids = docsOf.flat().map((d) => d.id);
      const marks = ids.map(() => '?').join(', ');
      const entries = await reader.all<{ seq: number; document_id: string; action: string; from_state: string | null; to_state: string; details: string }>(
        `SELECT seq, document_id, action, from_state, to_state, details FROM audit_entries WHERE category = 'transition' AND document_id IN (${marks}) ORDER BY seq`,
        ids,
      );
      const docs = await reader.all<{ id: string; state: string; version: number }>(`SELECT id, state, version FROM documents WHERE id IN (${marks})`, ids);
      const tasks = await reader.all<{ id: string; document_id: string; step_key: string; status: string; decision: string | null }>(
        `SELECT id, document_id, step_key, status, decision FROM tasks WHERE document_id IN (${marks})`,
        ids,
      );
      const entryAt = new Map(entries.map((e) => [`${e.document_id}:${JSON.parse(e.details).version}`, e]));
      const docById = new Map(docs.map((d) => [d.id, { ...d, version: Number(d.version) }]));
      const taskById = new Map(tasks.map((t) => [t.id, t]));

      // 1. Every acknowledged action is in the audit log and in the document and task rows.
      const lost: string[] = [];
      for (const a of acks) {
        const e = entryAt.get(`${a.docId}:${a.version}`);
        const d = docById.get(a.docId)!;
        const t = a.taskId ? taskById.get(a.taskId) : undefined;
        const problems = [
          !e ? 'no audit entry' : e.action !== a.action ? `audit entry is ${e.action}` : null,
          d.version < a.version ? `document at version ${d.version}` : null,
          a.taskId && (!t || t.status !== 'done' || t.decision !== a.action) ? `task ${t ? `${t.status}/${t.decision}` : 'missing'}` : null,
        ].filter(Boolean);
        if (problems.length) lost.push(`client ${a.client} ${a.action} → v${a.version} on ${a.docId}: ${problems.join(', ')}`);
      }

      // 2. No half-applied transition: each document, its open tasks and its audit entries agree.
      const SIGNED = new Set(['legality-review', 'collective-deliberation']);
      const inconsistent: string[] = [];
      for (const d of docById.values()) {
        const mine = entries.filter((e) => e.document_id === d.id);
        const versions = mine.map((e) => JSON.parse(e.details).version as number);
        const open = tasks.filter((t) => t.document_id === d.id && t.status === 'open');
        const done = tasks.filter((t) => t.document_id === d.id && t.status === 'done');
        const decisions = mine.filter((e) => e.action === 'lawful' || e.action === 'return');
        const decidedTaskIds = new Set(decisions.map((e) => JSON.parse(e.details).taskId as string));
        const problems = [
          JSON.stringify(versions) !== JSON.stringify(Array.from({ length: d.version }, (_, i) => i + 1)) ? `audit versions ${versions.join(',')} for document version ${d.version}` : null,
          mine.at(-1)?.to_state !== d.state ? `last audit entry leads to ${mine.at(-1)?.to_state}, document in ${d.state}` : null,
          mine.some((e, i) => i > 0 && e.from_state !== mine[i - 1].to_state) ? 'audit entries do not follow on' : null,
          open.length !== (SIGNED.has(d.state) ? 1 : 0) || open.some((t) => t.step_key !== d.state) ? `open tasks ${JSON.stringify(open.map((t) => t.step_key))} in ${d.state}` : null,
          done.length !== decisions.length || done.some((t) => !decidedTaskIds.has(t.id)) ? `${done.length} done tasks, ${decisions.length} decision entries` : null,
        ].filter(Boolean);
        if (problems.length) inconsistent.push(`${d.id}: ${problems.join('; ')}`);
      }

      // 3. The audit chain verifies (read in this process too).
      const supervisor = await reader.one<{ id: string }>("SELECT id FROM users WHERE username = 'supervisor'");
      const chain = await engine.auditReadModel.verifyAudit((await engine.authentication.principal(supervisor!.id))!);
      const committedUnacknowledged = entries.length - ids.length - acks.length;
      const figure =
        `${CLIENTS} clients × ${DOCS_PER_CLIENT} documents for ${loadSeconds.toFixed(1)} s, SIGKILL: ${ackedUnderLoad} actions (submit, lawful, return) acknowledged under load (+${afterRestart} after the restart), ` +
        `${acks.length - lost.length} of ${acks.length} in the database and the audit log, lost ${lost.length}; ${inFlightAtKill} requests in flight at the kill, ${committedUnacknowledged} committed without an answer; ` +
        `${inconsistent.length} half-applied documents of ${ids.length}; restart ${restartSeconds.toFixed(1)} s; audit verify ok=${verify.body.ok} [${database.url ? 'postgres' : 'sqlite'}]`;
      console.log(`crash: ${figure}`);
      expect(lost).toEqual([]);
      expect(inconsistent).toEqual([]);
      expect(committedUnacknowledged).toBeGreaterThanOrEqual(0);
      expect(committedUnacknowledged).toBeLessThanOrEqual(inFlightAtKill);
      expect(chain).toMatchObject({ ok: true });
      recordFigure('crash', figure);
    } finally {
      await engine.close();
    }
  }, 10 * 60_000);
});
