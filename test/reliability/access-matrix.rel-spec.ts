import type { Test } from 'supertest';
import { recordFigure, useRelApp, type AuditRow } from './rel-support.js';

/**
 * Every route × every kind of caller: only the allowed cells succeed; every other cell is
 * 401/403/404 in the error shape and changes nothing (the document, its tasks, and the rows of
 * every table a route could write); each refusal of an authenticated caller adds exactly one
 * security entry (access-denied, naming the caller), an anonymous 401 adds none.
 */
const CALLERS = ['anonymous', 'drafter', 'drafter-x', 'counsel', 'secretary', 'admin', 'supervisor'] as const;
type Caller = (typeof CALLERS)[number];
const HEADER: Record<Caller, string> = {
  anonymous: 'anonymous',
  drafter: 'drafter (dept)',
  'drafter-x': 'drafter (other dept)',
  counsel: 'assigned reviewer',
  secretary: 'other reviewer',
  admin: 'admin',
  supervisor: 'supervisor',
};

type Row = Record<Caller, number>;
const R = (...s: number[]): Row => Object.fromEntries(CALLERS.map((c, i) => [c, s[i]])) as Row;
const READERS = R(401, 200, 404, 200, 200, 200, 200);
const EVERYONE = R(401, 200, 200, 200, 200, 200, 200);
const AUDITORS = R(401, 403, 403, 403, 403, 200, 200);
/** The organisation's changes: the global administrator alone among these callers. */
const ADMINS = (status: number) => R(401, 403, 403, 403, 403, status, 403);

type Fixture = 'none' | 'draft' | 'review' | 'attached';
interface Ctx {
  id?: string;
  task?: string;
  attachment?: string;
}
interface Route {
  name: string;
  fixture: Fixture;
  expected: Row;
  send: (c: Ctx, http: ReturnType<ReturnType<typeof useRelApp>['http']>) => Test;
}

const TABLES = ['documents', 'tasks', 'chain_versions', 'notifications', 'document_copies', 'attachments', 'proxies', 'deadlines', 'audit_checkpoints', 'role_grants', 'users', 'departments'];

describe('access matrix', () => {
  // The organisation routes change a user of their own: the callers keep their roles and sessions.
  const t = useRelApp([{ username: 'org-target', departmentId: 'city-sti', roles: ['drafter'] }]);
  const ids: Record<string, string> = {};
  const matrix: [string, Row, Row][] = [];
  let chainSeq = 0;
  let orgSeq = 0;

  beforeAll(async () => {
    for (const u of ['drafter', 'counsel', 'counsel-b', 'counsel-c', 'leader', 'office', 'secretary', 'org-target']) ids[u] = await t.id(u);
    // Logins now: a login is itself a security entry and would blur the counts below.
    for (const c of CALLERS) if (c !== 'anonymous') await t.as(c);
  });

  const normative = { chain: 'normative-document', title: '关于规范科技项目管理的通知', year: 2026, departmentId: 'city-sti', content: '第一条 ……', fields: { involvesMarketActivity: false } };
  const chainDef = (key: string) => ({
    key,
    name: { zh: '权限矩阵', en: 'Access matrix' },
    initial: 'draft',
    steps: [
      { key: 'draft', name: { zh: '起草', en: 'Draft' }, editable: true, transitions: [{ action: 'submit', to: 'review', by: { role: 'drafter', department: 'document' } }] },
      { key: 'review', name: { zh: '审核', en: 'Review' }, assignee: { role: 'legal-counsel', department: 'document' }, deadline: { workingDays: 5 }, transitions: [{ action: 'approve', to: 'done' }] },
      { key: 'done', name: { zh: '完成', en: 'Done' }, final: true, transitions: [] },
    ],
  });

  async function arrange(fixture: Fixture): Promise<Ctx> {
    if (fixture === 'none') return {};
    const drafter = await t.as('drafter');
    const created = await t.http().post('/api/documents').set(drafter).send(normative);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    let attachment: string | undefined;
    if (fixture === 'attached') {
      const up = await t.http().post(`/api/documents/${id}/attachments?name=plan.pdf`).set(drafter).set('content-type', 'application/pdf').send(Buffer.from('%PDF-1.7 matrix'));
      expect(up.status).toBe(201);
      attachment = up.body.id;
    }
    if (fixture === 'draft') return { id };
    const submitted = await t.http().post(`/api/documents/${id}/actions`).set(drafter).send({ action: 'submit' });
    expect(submitted.status).toBe(200);
    return { id, task: submitted.body.openTasks[0].id, attachment };
  }

  async function world(c: Ctx) {
    const r = t.engine.database.reader;
    const counts: Record<string, number> = {};
    for (const table of TABLES) counts[table] = Number((await r.one<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n);
    return {
      doc: c.id ? await r.one('SELECT state, version, title, content, attributes, context FROM documents WHERE id = ?', [c.id]) : null,
      tasks: c.id ? await r.all('SELECT id, status, decision, assignee_role, assignee_user_id, delegated_from FROM tasks WHERE document_id = ? ORDER BY id', [c.id]) : null,
      counts,
    };
  }

  const routes: Route[] = [
    { name: 'GET /api/documents/:id', fixture: 'review', expected: READERS, send: (c, h) => h.get(`/api/documents/${c.id}`) },
    { name: 'PATCH /api/documents/:id', fixture: 'draft', expected: R(401, 200, 404, 403, 403, 403, 403), send: (c, h) => h.patch(`/api/documents/${c.id}`).send({ title: '改题', expectedVersion: 1 }) },
    { name: 'POST /api/documents/:id/actions submit', fixture: 'draft', expected: R(401, 200, 404, 403, 403, 403, 403), send: (c, h) => h.post(`/api/documents/${c.id}/actions`).send({ action: 'submit' }) },
    { name: 'POST /api/documents/:id/actions withdraw', fixture: 'review', expected: R(401, 200, 404, 403, 403, 403, 403), send: (c, h) => h.post(`/api/documents/${c.id}/actions`).send({ action: 'withdraw' }) },
    { name: 'GET /api/documents/:id/history', fixture: 'review', expected: READERS, send: (c, h) => h.get(`/api/documents/${c.id}/history`) },
    { name: 'GET /api/documents/:id/timeline', fixture: 'review', expected: READERS, send: (c, h) => h.get(`/api/documents/${c.id}/timeline`) },
    { name: 'GET /api/documents/:id/diagram', fixture: 'review', expected: READERS, send: (c, h) => h.get(`/api/documents/${c.id}/diagram`) },
    { name: 'GET /api/documents/:id/attachments', fixture: 'attached', expected: READERS, send: (c, h) => h.get(`/api/documents/${c.id}/attachments`) },
    { name: 'GET /api/documents/:id/copies', fixture: 'review', expected: READERS, send: (c, h) => h.get(`/api/documents/${c.id}/copies`) },
    { name: 'POST /api/documents/:id/urge', fixture: 'review', expected: R(401, 200, 404, 403, 403, 403, 403), send: (c, h) => h.post(`/api/documents/${c.id}/urge`).send({ comment: '请尽快' }) },
    { name: 'POST /api/documents/:id/copies', fixture: 'review', expected: R(401, 200, 404, 200, 200, 403, 403), send: (c, h) => h.post(`/api/documents/${c.id}/copies`).send({ userIds: [ids.office] }) },
    { name: 'POST /api/documents/:id/clock pause', fixture: 'review', expected: R(401, 403, 404, 200, 403, 403, 403), send: (c, h) => h.post(`/api/documents/${c.id}/clock`).send({ operation: 'pause', reason: '征求意见' }) },
    {
      name: 'POST /api/documents/:id/attachments',
      fixture: 'draft',
      expected: R(401, 201, 404, 403, 403, 403, 403),
      send: (c, h) => h.post(`/api/documents/${c.id}/attachments?name=a.pdf`).set('content-type', 'application/pdf').send(Buffer.from('%PDF-1.7 a')),
    },
    { name: 'GET /api/attachments/:id', fixture: 'attached', expected: READERS, send: (c, h) => h.get(`/api/attachments/${c.attachment}`) },
    { name: 'GET /api/tasks/:id', fixture: 'review', expected: READERS, send: (c, h) => h.get(`/api/tasks/${c.task}`) },
    { name: 'POST /api/tasks/:id/decision', fixture: 'review', expected: R(401, 403, 404, 200, 403, 403, 403), send: (c, h) => h.post(`/api/tasks/${c.task}/decision`).send({ decision: 'lawful' }) },
    {
      name: 'POST /api/tasks/:id/delegate',
      fixture: 'review',
      expected: R(401, 403, 404, 200, 403, 403, 403),
      send: (c, h) => h.post(`/api/tasks/${c.task}/delegate`).send({ toUserId: ids['counsel-b'], comment: '请代为审查' }),
    },
    {
      name: 'POST /api/tasks/:id/add-signer',
      fixture: 'review',
      expected: R(401, 403, 404, 200, 403, 403, 403),
      send: (c, h) => h.post(`/api/tasks/${c.task}/add-signer`).send({ userId: ids.leader, position: 'after', comment: '请领导把关' }),
    },
    {
      name: 'POST /api/tasks/:id/attachments',
      fixture: 'review',
      expected: R(401, 403, 404, 201, 403, 403, 403),
      send: (c, h) => h.post(`/api/tasks/${c.task}/attachments?name=opinion.txt`).set('content-type', 'text/plain').send(Buffer.from('审查意见')),
    },
    { name: 'GET /api/tasks', fixture: 'review', expected: EVERYONE, send: (c, h) => h.get('/api/tasks') },
    { name: 'GET /api/documents', fixture: 'review', expected: EVERYONE, send: (c, h) => h.get('/api/documents') },
    { name: 'POST /api/documents', fixture: 'none', expected: R(401, 201, 403, 403, 403, 403, 403), send: (c, h) => h.post('/api/documents').send(normative) },
    { name: 'GET /api/audit', fixture: 'review', expected: AUDITORS, send: (c, h) => h.get('/api/audit') },
    { name: 'GET /api/audit/export', fixture: 'none', expected: AUDITORS, send: (c, h) => h.get('/api/audit/export?format=jsonl') },
    { name: 'GET /api/audit/verify', fixture: 'none', expected: AUDITORS, send: (c, h) => h.get('/api/audit/verify') },
    { name: 'GET /api/audit/checkpoints', fixture: 'none', expected: AUDITORS, send: (c, h) => h.get('/api/audit/checkpoints') },
    { name: 'POST /api/audit/checkpoints', fixture: 'none', expected: R(401, 403, 403, 403, 403, 201, 403), send: (c, h) => h.post('/api/audit/checkpoints') },
    { name: 'POST /api/chains', fixture: 'none', expected: R(401, 403, 403, 403, 403, 201, 403), send: (c, h) => h.post('/api/chains').send(chainDef(`matrix-${++chainSeq}`)) },
    { name: 'POST /api/chains/validate', fixture: 'none', expected: R(401, 403, 403, 403, 403, 200, 403), send: (c, h) => h.post('/api/chains/validate').send(chainDef('matrix-lint')) },
    {
      name: 'POST /api/users/:id/reassign-tasks',
      fixture: 'none',
      expected: R(401, 403, 403, 403, 403, 200, 403),
      send: (c, h) => h.post(`/api/users/${ids['counsel-c']}/reassign-tasks`).send({ toUserId: ids.counsel, comment: '交接' }),
    },
    { name: 'GET /api/users/:id/open-tasks', fixture: 'none', expected: ADMINS(200), send: (c, h) => h.get(`/api/users/${ids['counsel-c']}/open-tasks`) },
    { name: 'GET /api/supervision/overview', fixture: 'none', expected: R(401, 403, 403, 403, 403, 200, 200), send: (c, h) => h.get('/api/supervision/overview?chain=annual-report&year=2025') },
    { name: 'GET /api/notifications', fixture: 'none', expected: EVERYONE, send: (c, h) => h.get('/api/notifications') },
    { name: 'GET /api/me', fixture: 'none', expected: EVERYONE, send: (c, h) => h.get('/api/me') },
    { name: 'GET /api/users', fixture: 'none', expected: EVERYONE, send: (c, h) => h.get('/api/users') },
    { name: 'GET /api/departments', fixture: 'none', expected: EVERYONE, send: (c, h) => h.get('/api/departments') },
    { name: 'POST /api/departments', fixture: 'none', expected: ADMINS(201), send: (c, h) => h.post('/api/departments').send({ id: `matrix-dept-${++orgSeq}`, name: '矩阵局', officeId: 'rule-of-law-office' }) },
    { name: 'PATCH /api/departments/:id', fixture: 'none', expected: ADMINS(200), send: (c, h) => h.patch('/api/departments/other-dept').send({ issuerCode: `矩阵发${++orgSeq}` }) },
    {
      name: 'POST /api/users',
      fixture: 'none',
      expected: ADMINS(201),
      send: (c, h) => h.post('/api/users').send({ username: `matrix-user-${++orgSeq}`, displayName: '矩阵', departmentId: 'city-sti', roles: ['drafter'] }),
    },
    { name: 'GET /api/users/:id', fixture: 'none', expected: READERS, send: (c, h) => h.get(`/api/users/${ids['org-target']}`) },
    { name: 'PATCH /api/users/:id', fixture: 'none', expected: ADMINS(200), send: (c, h) => h.patch(`/api/users/${ids['org-target']}`).send({ displayName: `矩阵${++orgSeq}` }) },
    { name: 'POST /api/users/:id/disable', fixture: 'none', expected: ADMINS(200), send: (c, h) => h.post(`/api/users/${ids['org-target']}/disable`).send({ comment: '矩阵' }) },
    { name: 'POST /api/users/:id/enable', fixture: 'none', expected: ADMINS(200), send: (c, h) => h.post(`/api/users/${ids['org-target']}/enable`) },
    { name: 'POST /api/users/:id/roles', fixture: 'none', expected: ADMINS(201), send: (c, h) => h.post(`/api/users/${ids['org-target']}/roles`).send({ role: 'legal-counsel', departmentId: 'city-sti' }) },
    { name: 'DELETE /api/users/:id/roles/:role', fixture: 'none', expected: ADMINS(200), send: (c, h) => h.delete(`/api/users/${ids['org-target']}/roles/legal-counsel?departmentId=city-sti`) },
    { name: 'PUT /api/users/:id/supervision', fixture: 'none', expected: ADMINS(200), send: (c, h) => h.put(`/api/users/${ids['org-target']}/supervision`).send({ departmentIds: ['other-dept'] }) },
  ];

  const CODE: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' };

  for (const route of routes) {
    it(route.name, async () => {
      const actual = {} as Row;
      const problems: string[] = [];
      for (const caller of CALLERS) {
        const c = await arrange(route.fixture);
        const before = await world(c);
        const head = await t.auditHead();
        const req = route.send(c, t.http());
        const res = await (caller === 'anonymous' ? req : req.set(await t.as(caller)));
        actual[caller] = res.status;
        const added: AuditRow[] = await t.auditSince(head);
        const security = added.filter((e) => e.category === 'security');
        const at = `${route.name} as ${caller}`;
        if (res.status >= 400) {
          if (res.body?.statusCode !== res.status || res.body?.code !== CODE[res.status] || typeof res.body?.message !== 'string') problems.push(`${at}: error body ${JSON.stringify(res.body)}`);
          const after = await world(c);
          if (JSON.stringify(after) !== JSON.stringify(before)) problems.push(`${at}: changed ${JSON.stringify({ before, after })}`);
          const expectedEntries = caller === 'anonymous' ? [] : [`security:access-denied:denied:${await t.id(caller)}`];
          const got = added.map((e) => `${e.category}:${e.action}:${e.result}:${e.actor_id}`);
          if (JSON.stringify(got) !== JSON.stringify(expectedEntries)) problems.push(`${at}: audit ${JSON.stringify(got)}, expected ${JSON.stringify(expectedEntries)}`);
        } else if (security.length) {
          problems.push(`${at}: success logged security entries ${JSON.stringify(security.map((e) => e.action))}`);
        }
      }
      matrix.push([route.name, actual, route.expected]);
      expect({ route: route.name, statuses: actual }).toEqual({ route: route.name, statuses: route.expected });
      expect(problems).toEqual([]);
    });
  }

  it('prints the matrix', () => {
    const width = Math.max(...matrix.map(([name]) => name.length));
    const cols = CALLERS.map((c) => HEADER[c]);
    const lines = [
      `${'route'.padEnd(width)} | ${cols.join(' | ')}`,
      `${'-'.repeat(width)}-|-${cols.map((c) => '-'.repeat(c.length)).join('-|-')}`,
      ...matrix.map(([name, actual, expected]) =>
        `${name.padEnd(width)} | ${CALLERS.map((c, i) => `${actual[c]}${actual[c] === expected[c] ? '' : `≠${expected[c]}`}`.padEnd(cols[i].length)).join(' | ')}`,
      ),
    ];
    const cells = matrix.length * CALLERS.length;
    const allowed = matrix.reduce((n, [, a]) => n + CALLERS.filter((c) => a[c] < 300).length, 0);
    const mismatches = matrix.reduce((n, [, a, e]) => n + CALLERS.filter((c) => a[c] !== e[c]).length, 0);
    const figure = `${matrix.length} routes × ${CALLERS.length} callers = ${cells} cells, ${allowed} allowed, ${cells - allowed} refused, ${mismatches} unexpected [${t.engine.database.kind}]`;
    console.log(`access matrix: ${figure}\n${lines.join('\n')}`);
    expect(matrix.length).toBe(routes.length);
    recordFigure('access matrix', figure);
  });
});

/** Fields a client must never set: naming one in a body is 400 naming it, and one security entry (mass-assignment). */
describe('mass assignment', () => {
  const t = useRelApp();
  const FIELDS: Record<string, unknown> = { state: 'issued', version: 99, assigneeId: '0191e4a0-0000-7000-8000-000000000001', actorId: '0191e4a0-0000-7000-8000-000000000001' };
  let tally = 0;

  async function review(): Promise<{ id: string; task: string }> {
    const drafter = await t.as('drafter');
    const created = await t.http().post('/api/documents').set(drafter).send({ chain: 'normative-document', title: '批量赋值', year: 2026, departmentId: 'city-sti', content: '第一条', fields: { involvesMarketActivity: false } });
    const submitted = await t.http().post(`/api/documents/${created.body.id}/actions`).set(drafter).send({ action: 'submit' });
    return { id: created.body.id, task: submitted.body.openTasks[0].id };
  }
  async function draft(): Promise<{ id: string; task: string }> {
    const created = await t.http().post('/api/documents').set(await t.as('drafter')).send({ chain: 'normative-document', title: '批量赋值', year: 2026, departmentId: 'city-sti', content: '第一条', fields: { involvesMarketActivity: false } });
    return { id: created.body.id, task: '' };
  }

  type Build = (c: { id: string; task: string }) => { method: 'post' | 'patch'; path: string; body: object };
  // [route, user, arrange, build, where a nested field sits ('' at the top)]
  const cases: [string, string, () => Promise<{ id: string; task: string }>, Build, string?][] = [
    ['POST /api/documents', 'drafter', async () => ({ id: '', task: '' }), () => ({ method: 'post', path: '/api/documents', body: { chain: 'normative-document', title: 'x', year: 2026, departmentId: 'city-sti', fields: { involvesMarketActivity: false } } })],
    ['PATCH /api/documents/:id', 'drafter', draft, (c) => ({ method: 'patch', path: `/api/documents/${c.id}`, body: { title: 'x', expectedVersion: 1 } })],
    ['POST /api/documents/:id/actions', 'drafter', draft, (c) => ({ method: 'post', path: `/api/documents/${c.id}/actions`, body: { action: 'submit' } })],
    ['POST /api/documents/:id/urge', 'drafter', review, (c) => ({ method: 'post', path: `/api/documents/${c.id}/urge`, body: { comment: '请尽快' } })],
    ['POST /api/documents/:id/copies', 'drafter', review, (c) => ({ method: 'post', path: `/api/documents/${c.id}/copies`, body: { userIds: [FIELDS.actorId] } })],
    ['POST /api/documents/:id/clock', 'counsel', review, (c) => ({ method: 'post', path: `/api/documents/${c.id}/clock`, body: { operation: 'pause', reason: '征求意见' } })],
    ['POST /api/tasks/:id/decision', 'counsel', review, (c) => ({ method: 'post', path: `/api/tasks/${c.task}/decision`, body: { decision: 'lawful' } })],
    ['POST /api/tasks/:id/delegate', 'counsel', review, (c) => ({ method: 'post', path: `/api/tasks/${c.task}/delegate`, body: { toUserId: FIELDS.actorId, comment: 'x' } })],
    ['POST /api/tasks/:id/add-signer', 'counsel', review, (c) => ({ method: 'post', path: `/api/tasks/${c.task}/add-signer`, body: { userId: FIELDS.actorId, position: 'after' } })],
    // Found by this suite: a protected field inside a nested object (items[0].state, disclosure.state)
    // was refused but not audited as mass assignment; the filter now reads the field's own name.
    [
      'POST /api/tasks/bulk-decision (item)',
      'counsel',
      review,
      (c) => ({ method: 'post', path: '/api/tasks/bulk-decision', body: { items: [{ taskId: c.task, decision: 'lawful', __field__: true }] } }),
      'items[0].',
    ],
    [
      'POST /api/documents/:id/actions (disclosure)',
      'drafter',
      draft,
      (c) => ({ method: 'post', path: `/api/documents/${c.id}/actions`, body: { action: 'record-disclosure', disclosure: { url: 'https://kjj.example.gov.cn/x.html', publishedOn: '2026-02-01', __field__: true } } }),
      'disclosure.',
    ],
    ['POST /api/me/proxies', 'counsel', async () => ({ id: '', task: '' }), () => ({ method: 'post', path: '/api/me/proxies', body: { substituteId: FIELDS.actorId, startsAt: '2026-06-01T00:00:00Z', endsAt: '2026-06-02T00:00:00Z' } })],
    ['POST /api/users/:id/reassign-tasks', 'admin', async () => ({ id: '', task: '' }), () => ({ method: 'post', path: `/api/users/${FIELDS.actorId}/reassign-tasks`, body: { toUserId: FIELDS.actorId } })],
  ];

  for (const [route, user, arrange, build, prefix = ''] of cases) {
    for (const field of Object.keys(FIELDS)) {
      it(`${route} with "${prefix}${field}" as ${user}: 400 naming it, one mass-assignment entry, nothing changed`, async () => {
        await t.as(user);
        const c = await arrange();
        const { method, path, body } = build(c);
        const nested = prefix !== '';
        const sent = nested
          ? JSON.parse(JSON.stringify(body).replace('"__field__":true', `${JSON.stringify(field)}:${JSON.stringify(FIELDS[field])}`))
          : { ...body, [field]: FIELDS[field] };
        const doc = c.id ? await t.engine.database.reader.one('SELECT state, version, title FROM documents WHERE id = ?', [c.id]) : null;
        const tasks = c.id ? await t.engine.database.reader.all('SELECT id, status, assignee_user_id FROM tasks WHERE document_id = ? ORDER BY id', [c.id]) : null;
        const docs = await t.engine.database.reader.one('SELECT COUNT(*) AS n FROM documents');
        const head = await t.auditHead();
        const res = await t.http()[method](path).set(await t.as(user)).send(sent);
        const named = `${prefix}${field}`;
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
        expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: named })]));
        const added = await t.auditSince(head);
        expect(added.map((e) => `${e.category}:${e.action}:${e.result}:${e.actor_id}`)).toEqual([`security:mass-assignment:denied:${await t.id(user)}`]);
        // The entry names the field (nested ones by their path or their own name).
        expect(JSON.parse(added[0].details).fields).toEqual([nested ? expect.stringMatching(new RegExp(`(^|\\.)${field}$`)) : field]);
        if (c.id) {
          expect(await t.engine.database.reader.one('SELECT state, version, title FROM documents WHERE id = ?', [c.id])).toEqual(doc);
          expect(await t.engine.database.reader.all('SELECT id, status, assignee_user_id FROM tasks WHERE document_id = ? ORDER BY id', [c.id])).toEqual(tasks);
        }
        expect(await t.engine.database.reader.one('SELECT COUNT(*) AS n FROM documents')).toEqual(docs);
        tally++;
      });
    }
  }

  it('summary', () => {
    const total = cases.length * Object.keys(FIELDS).length;
    const figure = `${cases.length} routes × ${Object.keys(FIELDS).join('/')} = ${total} requests; ${tally} refused 400 naming the field, one security/mass-assignment entry, nothing changed [${t.engine.database.kind}]`;
    console.log(`mass assignment: ${figure}`);
    recordFigure('mass assignment', figure);
  });
});
