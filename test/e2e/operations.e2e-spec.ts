import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ManualClock, newId, systemActor } from '@shenpi/domain';
import { createLogger } from '@shenpi/observability';
import { takeViolations, watchContract } from '../support/contract-check.js';
import { forkApi, type ForkedApi } from '../support/fork-api.js';
import { openApi, type ApiOptions, type OpenApi } from '../support/open-api.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { bearer, PASSWORD, testDatabase } from '../support/test-app.js';
import { timedAnnualReport } from '../support/timed-chain.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const postgres = !!process.env.TEST_DATABASE_URL;

/** An app of its own on a fresh database with the demo organisation, ready for requests; its answers held to the contract as every e2e app's. */
function useOpsApp(options: Partial<ApiOptions> | (() => Promise<Partial<ApiOptions>>) = {}) {
  const database = testDatabase();
  const clock = new ManualClock(new Date('2026-02-02T02:00:00.000Z'));
  const attachments = mkdtempSync(join(tmpdir(), 'shenpi-ops-'));
  const state: { api?: OpenApi } = {};
  beforeAll(async () => {
    const extra = typeof options === 'function' ? await options() : options;
    state.api = await openApi({ database, attachments: { dir: attachments, maxBytes: 1024 }, clock, jwtSecret: 'test-secret', seed: { password: PASSWORD }, ...extra });
    const readContract = watchContract(state.api.app);
    await state.api.app.init();
    await state.api.app.getHttpAdapter().getInstance().ready();
    await readContract();
  }, 60_000);
  afterAll(async () => {
    await state.api?.close();
    await database.drop();
    rmSync(attachments, { recursive: true, force: true });
  });
  const http = () => request(state.api!.app.getHttpServer());
  return {
    state,
    clock,
    http,
    async token(username: string): Promise<string> {
      const res = await http().post('/api/auth/login').send({ username, password: PASSWORD });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
      return res.body.accessToken;
    },
  };
}

/** Prometheus text: the value of the sample `name` whose labels include `labels` (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(m[3]);
  }
  return 0;
}

/** A port nothing listens on: bound, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('request log', () => {
  const lines: string[] = [];
  const t = useOpsApp({ logger: createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } }) });
  const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

  it('writes one JSON line per request with its id, user, route pattern, status and duration, and no secret or content', async () => {
    const wrongPassword = 'Wrong-Password-Never-Logged-7';
    expect((await t.http().post('/api/auth/login').send({ username: 'drafter', password: wrongPassword })).status).toBe(401);
    const token = await t.token('drafter');
    const title = '机密标题不得写入日志';
    const created = await t.http().post('/api/documents').set(bearer(token)).set('X-Request-Id', 'trace-7f3a.1').send({ chain: 'annual-report', title, year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    expect(created.status).toBe(201);
    expect(created.headers['x-request-id']).toBe('trace-7f3a.1');
    const read = await t.http().get(`/api/documents/${created.body.id}`).set(bearer(token)).set('X-Request-Id', 'not sane {"injected":1}');
    expect(read.status).toBe(200);
    expect(read.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const drafterId = (await t.http().get('/api/me').set(bearer(token))).body.id;
    expect(drafterId).toEqual(expect.any(String));
    await new Promise((r) => setImmediate(r));

    const requests = entries().filter((e) => e.msg === 'request');
    const create = requests.find((e) => e.reqId === 'trace-7f3a.1');
    expect(create).toEqual(expect.objectContaining({ level: 30, userId: drafterId, method: 'POST', route: '/api/documents', status: 201, ms: expect.any(Number) }));
    expect(requests.find((e) => e.reqId === read.headers['x-request-id'])).toEqual(
      expect.objectContaining({ userId: drafterId, method: 'GET', route: '/api/documents/:id', status: 200, ms: expect.any(Number) }),
    );
    const logins = requests.filter((e) => e.route === '/api/auth/login');
    expect(logins.map((e) => [e.status, e.userId])).toEqual([
      [401, null],
      [200, null],
    ]);
    // One line per request, each with its own id.
    expect(new Set(requests.map((e) => e.reqId)).size).toBe(requests.length);
    expect(requests.length).toBeGreaterThanOrEqual(5);

    const everything = lines.join('\n');
    for (const secret of [PASSWORD, wrongPassword, token, token.split('.')[2], title, created.body.id as string, 'injected']) {
      expect(everything).not.toContain(secret);
    }
    expect(everything.toLowerCase()).not.toContain('authorization');
  });

  it('logs logins refused for too many failures by a digest of the name typed, which may be a password typed in the wrong field', async () => {
    const typed = 'harbour-lilac-wrong-field-9';
    for (let i = 0; i < 12; i++) await t.http().post('/api/auth/login').send({ username: typed, password: 'not-the-password' });
    const refused = await lineOf(lines, (e) => e.component === 'login' && e.msg === 'login refused: too many failures');
    expect(refused).toMatchObject({ usernameSha256: createHash('sha256').update(typed).digest('hex').slice(0, 16) });
    expect(lines.join('\n')).not.toContain(typed);
  });

  it('logs an upload refused for want of a token by its route: never its query, which names the file (or carries a token)', async () => {
    const token = await t.token('drafter');
    const name = '机密附件名不得写入日志.pdf';
    const path = `/api/documents/${newId()}/attachments?name=${encodeURIComponent(name)}&access_token=${token}`;
    const refused = await t.http().post(path).set('content-type', 'application/pdf').send(Buffer.from('%PDF-1.7'));
    expect(refused.status).toBe(401);
    await new Promise((r) => setImmediate(r));
    const warning = entries().find((e) => e.context === 'http' && String(e.msg).includes('upload without a valid token'));
    expect(warning).toMatchObject({ msg: 'refused: upload without a valid token', method: 'POST', route: '/api/documents/:id/attachments', status: 401, reqId: expect.any(String) });
    const everything = lines.join('\n');
    for (const secret of [name, encodeURIComponent(name), token, 'access_token', 'name=']) expect(everything).not.toContain(secret);
  });
});

/** Polls the captured log until a line matches (each pass of a background loop is a second apart). */
async function lineOf(lines: string[], match: (e: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  for (;;) {
    const found = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Renames a table for the time of `during`: the statements reading it fail as when the database refuses them. */
async function withoutTable<T>(api: OpenApi, table: string, during: () => Promise<T>): Promise<T> {
  const rename = (from: string, to: string) => api.engine.writer.run((r) => r.sql.run(`ALTER TABLE ${from} RENAME TO ${to}`));
  await rename(table, `${table}_away`);
  try {
    return await during();
  } finally {
    await rename(`${table}_away`, table);
  }
}

describe('no token from a URL in the log', () => {
  const lines: string[] = [];
  const t = useOpsApp({ logger: createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } }) });

  it('logs a refused token and an internal error by route pattern and request id, never the URL with its access_token', async () => {
    const token = await t.token('drafter');
    // The guard: a token in the query of a route that takes it only as a header.
    const refused = await t.http().get(`/api/notifications?access_token=${token}`).set('X-Request-Id', 'trace-401');
    expect(refused.status).toBe(401);
    // An EventSource reconnecting while the database fails: a 500, logged with its stack.
    const failed = await withoutTable(t.state.api!, 'role_grants', () => t.http().get(`/api/notifications/stream?access_token=${token}`).set('X-Request-Id', 'trace-500'));
    expect([failed.status, failed.body.code]).toEqual([500, 'INTERNAL_ERROR']);
    // A 500 is in no route's contract: the contract check saw this one, which the test caused on purpose.
    expect(await takeViolations()).toEqual([expect.stringMatching(/^GET \/api\/notifications\/stream answered 500/)]);

    const everything = lines.join('\n');
    for (const secret of [token, token.split('.')[2], 'access_token']) expect(everything).not.toContain(secret);
    // Written before the answer went out.
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.find((e) => e.reqId === 'trace-401' && e.context === 'auth')).toEqual(
      expect.objectContaining({ level: 40, msg: 'refused: no token', method: 'GET', route: '/api/notifications', status: 401 }),
    );
    expect(entries.find((e) => e.reqId === 'trace-500' && e.context === 'http')).toEqual(
      expect.objectContaining({ level: 50, msg: 'internal error', method: 'GET', route: '/api/notifications/stream', status: 500, stack: expect.stringContaining('role_grants') }),
    );
  });
});

describe('background failures in the log', () => {
  const lines: string[] = [];
  const t = useOpsApp({ scheduler: true, logger: createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } }) });

  it('logs a failed notification feed pass as a JSON line with its component and error, and the next pass does the work', async () => {
    const drafter = bearer(await t.token('drafter'));
    const title = '后台失败不写标题';
    const created = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title, year: 2024, departmentId: 'city-sti', content: REPORT_OUTLINE });
    const failure = await withoutTable(t.state.api!, 'notification_feed', async () => {
      expect((await t.http().post(`/api/documents/${created.body.id}/actions`).set(drafter).send({ action: 'submit' })).status).toBe(200);
      return lineOf(lines, (e) => e.component === 'notification-feed');
    });
    expect(failure).toEqual(
      expect.objectContaining({
        level: 50,
        time: expect.any(Number),
        pid: process.pid,
        msg: 'notification feed pass failed; the next pass reads the same entries',
        error: expect.objectContaining({ type: expect.any(String), message: expect.stringContaining('notification_feed') }),
      }),
    );
    // The table back, a later pass tells counsel of the new task.
    const counsel = bearer(await t.token('counsel'));
    for (;;) {
      const res = await t.http().get('/api/notifications').set(counsel);
      if (res.body.items.some((n: { kind: string; documentId: string }) => n.kind === 'task-assigned' && n.documentId === created.body.id)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const everything = lines.join('\n');
    for (const secret of [title, '全面推进依法行政', PASSWORD]) expect(everything).not.toContain(secret);
  });
});

describe('metrics', () => {
  const t = useOpsApp({ metrics: true });
  const scrape = async () => {
    const res = await fetch(t.state.api!.metricsUrl!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    return res.text();
  };

  it('serves GET /metrics on its own port, nothing else there', async () => {
    const url = new URL(t.state.api!.metricsUrl!);
    expect((await fetch(new URL('/', url))).status).toBe(404);
    // Not on the API's port.
    expect((await t.http().get('/metrics')).status).not.toBe(200);
  });

  it('moves HTTP latency by route, decisions by chain and action, writer batches, deadline lateness and backlogs', async () => {
    await t.state.api!.engine.writer.run((r) => t.state.api!.engine.chains.publish(r, timedAnnualReport(), systemActor('test')));
    const drafter = bearer(await t.token('drafter'));
    const before = await scrape();
    const created = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report-timed', title: '指标', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    expect((await t.http().get(`/api/documents/${created.body.id}`).set(drafter)).status).toBe(200);
    expect((await t.http().post(`/api/documents/${created.body.id}/actions`).set(drafter).send({ action: 'submit' })).status).toBe(200);
    const after = await scrape();

    const route = { method: 'GET', route: '/api/documents/:id', status: '200' };
    expect(sample(after, 'http_request_duration_seconds_count', route) - sample(before, 'http_request_duration_seconds_count', route)).toBe(1);
    expect(sample(after, 'http_request_duration_seconds_bucket', { ...route, le: '+Inf' })).toBe(sample(after, 'http_request_duration_seconds_count', route));
    expect(after).not.toContain(created.body.id);
    const submit = { chain: 'annual-report-timed', action: 'submit' };
    expect(sample(before, 'shenpi_decisions_total', submit)).toBe(0);
    expect(sample(after, 'shenpi_decisions_total', submit)).toBe(1);
    expect(sample(after, 'shenpi_decisions_total', { chain: 'annual-report-timed', action: 'create' })).toBe(1);
    expect(sample(after, 'shenpi_writer_batch_size_count') - sample(before, 'shenpi_writer_batch_size_count')).toBeGreaterThanOrEqual(2);
    expect(after).toMatch(/^shenpi_writer_queue_depth \d+$/m);

    // The reminder comes due 30 s after the submission and fires a second late.
    t.clock.advance(31_000);
    expect(await t.state.api!.engine.deadlines.fireDue()).toBe(1);
    const fired = await scrape();
    expect(sample(fired, 'shenpi_deadline_lateness_seconds_count', { kind: 'reminder' })).toBe(1);
    expect(sample(fired, 'shenpi_deadline_lateness_seconds_sum', { kind: 'reminder' })).toBe(1);
    expect(sample(fired, 'shenpi_decisions_total', { chain: 'annual-report-timed', action: 'remind' })).toBe(1);

    // A webhook delivery waiting is the webhook backlog, its age the oldest's.
    expect(sample(fired, 'shenpi_backlog', { outbox: 'webhook' })).toBe(0);
    const at = new Date(t.clock.now().getTime() - 120_000).toISOString();
    await t.state.api!.engine.writer.run((repos) =>
      repos.webhooks.insert({ id: newId(), url: 'http://127.0.0.1:9/hook', auditSeq: 1, body: '{}', status: 'pending', attempts: 0, nextAttemptAt: at, lastError: null, createdAt: at, deliveredAt: null }),
    );
    const waiting = await scrape();
    expect(sample(waiting, 'shenpi_backlog', { outbox: 'webhook' })).toBe(1);
    expect(sample(waiting, 'shenpi_backlog_oldest_seconds', { outbox: 'webhook' })).toBeGreaterThanOrEqual(120);
  });

  it('exports the notification feed lag (audit entries not yet read) and the e-mail outbox backlog', async () => {
    const engine = t.state.api!.engine;
    const backlog = (text: string, outbox: string) => [sample(text, 'shenpi_backlog', { outbox }), sample(text, 'shenpi_backlog_oldest_seconds', { outbox })];
    const drafter = bearer(await t.token('drafter'));
    expect((await t.http().put('/api/notifications/settings').set(bearer(await t.token('counsel'))).send({ email: 'counsel@example.gov.cn' })).status).toBe(200);
    await engine.notificationFeed.drain();
    const caughtUp = await scrape();
    expect(caughtUp).toMatch(/^shenpi_backlog\{outbox="notification-feed"\} 0$/m);
    expect(backlog(caughtUp, 'email')).toEqual([0, 0]);

    // A submission: its entries wait for the feed, the oldest since the creation 45 s ago.
    const created = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: '通知积压', year: 2023, departmentId: 'city-sti', content: REPORT_OUTLINE });
    t.clock.advance(45_000);
    expect((await t.http().post(`/api/documents/${created.body.id}/actions`).set(drafter).send({ action: 'submit' })).status).toBe(200);
    const behind = await scrape();
    const [entries, age] = backlog(behind, 'notification-feed');
    expect(entries).toBeGreaterThanOrEqual(2);
    expect(age).toBe(45);

    // Read by the feed: counsel's new task is a notification, and e-mails wait in the outbox (this one and counsel's earlier ones).
    await engine.notificationFeed.drain();
    expect(backlog(await scrape(), 'notification-feed')).toEqual([0, 0]);
    const queued = await engine.emails.queueNew();
    expect(queued).toBeGreaterThanOrEqual(1);
    t.clock.advance(30_000);
    expect(backlog(await scrape(), 'email')).toEqual([queued, 30]);
  });

  (postgres ? it : it.skip)('PostgreSQL: the audit sequencer reports how long entries waited in the intake', async () => {
    const before = await scrape();
    const drafter = bearer(await t.token('drafter'));
    expect((await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: '序列', year: 2024, departmentId: 'city-sti', content: REPORT_OUTLINE })).status).toBe(201);
    const after = await scrape();
    expect(sample(after, 'shenpi_audit_sequencer_wait_seconds_count')).toBeGreaterThan(sample(before, 'shenpi_audit_sequencer_wait_seconds_count'));
    expect(sample(after, 'shenpi_backlog', { outbox: 'audit-intake' })).toBe(0);
  });
});

describe('liveness and readiness', () => {
  const t = useOpsApp();

  it('is live and ready, and /health answers as before', async () => {
    expect((await t.http().get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await t.http().get('/health/ready');
    expect({ status: ready.status, body: ready.body }).toEqual({ status: 200, body: { status: 'ready', database: 'up', migrations: 'applied' } });
    expect((await t.http().get('/health')).body).toEqual({ status: 'ok', database: 'up', scheduler: expect.any(String) });
  });

  it('is not ready when the database lacks a migration this code needs', async () => {
    const engine = t.state.api!.engine;
    const [last] = await engine.writer.run((r) => r.sql.all<{ name: string }>('SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1'));
    await engine.writer.run((r) => r.sql.run('DELETE FROM migrations WHERE name = ?', [last.name]));
    const ready = await t.http().get('/health/ready');
    expect({ status: ready.status, body: ready.body }).toEqual({ status: 503, body: { status: 'unavailable', database: 'up', migrations: 'pending' } });
    expect((await t.http().get('/health/live')).status).toBe(200);
  });
});

describe('readiness with Redis down', () => {
  const t = useOpsApp(async () => ({ redisUrl: `redis://127.0.0.1:${await closedPort()}` }));

  it('answers 503 naming Redis, stays live', async () => {
    const ready = await t.http().get('/health/ready');
    expect({ status: ready.status, body: ready.body }).toEqual({ status: 503, body: { status: 'unavailable', database: 'up', migrations: 'applied', redis: 'down' } });
    expect((await t.http().get('/health/live')).status).toBe(200);
  });
});

// In a process of its own: the dashboard's static-file plugin needs a require() of ES modules that jest's loader lacks.
describe('queue dashboard with Redis', () => {
  const database = testDatabase();
  const attachments = mkdtempSync(join(tmpdir(), 'shenpi-ops-'));
  const queueName = `ops-${process.pid}-${Date.now()}`;
  let api: ForkedApi | undefined;
  beforeAll(async () => {
    api = await forkApi({ database, attachments: { dir: attachments, maxBytes: 1024 }, jwtSecret: 'test-secret', seed: { password: PASSWORD }, scheduler: true, redisUrl: REDIS_URL, queueName });
  }, 60_000);
  afterAll(async () => {
    await api?.stop();
    await database.drop();
    rmSync(attachments, { recursive: true, force: true });
  });
  const http = () => request(api!.url);
  const token = async (username: string) => bearer((await http().post('/api/auth/login').send({ username, password: PASSWORD })).body.accessToken);

  it('is ready with Redis up, and shows the queues to global administrators only', async () => {
    const ready = await http().get('/health/ready');
    expect({ status: ready.status, redis: ready.body.redis }).toEqual({ status: 200, redis: 'up' });

    expect((await http().get('/admin/queues')).status).toBe(401);
    expect((await http().get('/admin/queues/api/queues')).status).toBe(401);
    const drafter = await token('drafter');
    expect((await http().get('/admin/queues').set(drafter)).status).toBe(403);
    expect((await http().get('/admin/queues/api/queues').set(drafter)).status).toBe(403);
    const admin = await token('admin');
    const page = await http().get('/admin/queues').set(admin);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const queues = await http().get('/admin/queues/api/queues').set(admin);
    expect(queues.status).toBe(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name).sort()).toEqual([queueName, `${queueName}-webhooks`]);
  });
});

describe('no dashboard without Redis', () => {
  const t = useOpsApp({ scheduler: true });

  it('has no /admin/queues', async () => {
    const admin = bearer(await t.token('admin'));
    expect((await t.http().get('/admin/queues').set(admin)).status).toBe(404);
  });
});
