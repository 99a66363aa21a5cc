import type { AuditEntry } from '@shenpi/audit';
import { signJwt } from '../../apps/api/auth/jwt.js';
import { bearer, PASSWORD, useApp } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

/**
 * MLPS 2.0 level 3 (等保三级): audit records cover every user and every important action. Each row
 * of the table below performs one kind of action, alone, and reads what the audit log gained from
 * exactly that request (as an administrator, before and after): the documented number of entries,
 * each with its time (`at`, from the injected clock), user (`actor.type`, `actor.id`, `actor.role`),
 * event type (`category` + `action`), `result`, and `documentId` / `departmentId` where it is on a
 * document (null where it is not), chained onto the entry before it.
 *
 * A refusal names the target's document and department even when the caller was told 404, so the
 * department's supervisors (whose search is scoped by department) see who probed it.
 */

type Category = 'transition' | 'configuration' | 'security';
type Result = 'success' | 'failure' | 'denied';


interface Expected {
  category: Category;
  action: string;
  result: Result;
  actor: { type: 'user' | 'system'; id: string; role: string | null; onBehalfOf?: string | null };
  documentId: string | null;
  departmentId: string | null;
  /** Where given, what the entry's details must contain (e.g. who tried to log in, which fields). */
  details?: Record<string, unknown>;
}

interface Reply {
  status: number;
  body: any;
}

type Ctx = Record<string, any>;

interface Row {
  name: string;
  /** Puts the system in the state the action needs; whatever it logs is not counted. */
  arrange?: () => Promise<Ctx>;
  /** The one request measured (or, for directory rows, the one engine call the CLI makes). */
  act: (c: Ctx) => Promise<Reply>;
  status: number;
  /** Work the request started and that finishes after its answer (a migration's batches). */
  settle?: () => Promise<void>;
  entries: (c: Ctx, res: Reply) => Expected[];
}

describe('audit coverage: every kind of action leaves exactly its entries', () => {
  const t = useApp();
  const ids: Record<string, string> = {};
  const as = async (u: string) => bearer(await t.token(u));
  const USERS = ['drafter', 'counsel', 'secretary', 'leader', 'admin', 'supervisor', 'office', 'drafter-x', 'counsel-b', 'counsel-c'];

  // ---- reading the log --------------------------------------------------------------------

  async function head(): Promise<{ seq: number; hash: string }> {
    const res = await t.http().get('/api/audit?limit=1').set(await as('admin'));
    expect(res.status).toBe(200);
    const top = res.body.items[0];
    return top ? { seq: top.seq, hash: top.hash } : { seq: 0, hash: '0'.repeat(64) };
  }

  /** The entries after `seq`, oldest first. */
  async function since(seq: number): Promise<AuditEntry[]> {
    const res = await t.http().get('/api/audit?limit=200').set(await as('admin'));
    expect(res.status).toBe(200);
    const items = (res.body.items as AuditEntry[]).filter((e) => e.seq > seq).reverse();
    // Fewer than a full page were appended, so none is missing from this read.
    expect(items.length).toBeLessThan(200);
    return items;
  }

  // ---- arranging --------------------------------------------------------------------------

  const post = async (user: string, path: string, body: object = {}) => t.http().post(path).set(await as(user)).send(body);
  let year = 2040; // annual reports are one per department and year: each row takes a year of its own

  async function report(): Promise<string> {
    const res = await post('drafter', '/api/documents', { chain: 'annual-report', title: `审计覆盖${year}`, year: year++, departmentId: 'city-sti', content: REPORT_OUTLINE });
    expect(res.status).toBe(201);
    return res.body.id;
  }
  /** A report in legal review: its id and the counsel's open task. */
  async function submitted(): Promise<{ id: string; task: string }> {
    const id = await report();
    const res = await post('drafter', `/api/documents/${id}/actions`, { action: 'submit' });
    expect(res.status).toBe(200);
    return { id, task: res.body.openTasks[0].id };
  }
  async function decide(user: string, task: string, body: object) {
    const res = await post(user, `/api/tasks/${task}/decision`, body);
    expect(res.status).toBe(200);
    return res.body;
  }
  /** A normative document (no market activity) in legality review. */
  async function normativeInLegalityReview(): Promise<{ id: string; task: string }> {
    const created = await post('drafter', '/api/documents', { chain: 'normative-document', title: '审计覆盖规范性文件', year: 2026, departmentId: 'city-sti', content: '第一条 ……', fields: { involvesMarketActivity: false } });
    expect(created.status).toBe(201);
    const sub = await post('drafter', `/api/documents/${created.body.id}/actions`, { action: 'submit' });
    expect(sub.body.state).toBe('legality-review');
    return { id: created.body.id, task: sub.body.openTasks[0].id };
  }
  const chainDef = (key: string, reviewDays: number) => ({
    key,
    name: { zh: '审计覆盖', en: 'Audit coverage' },
    initial: 'draft',
    steps: [
      { key: 'draft', name: { zh: '起草', en: 'Draft' }, editable: true, transitions: [{ action: 'submit', to: 'review', by: { role: 'drafter', department: 'document' } }] },
      { key: 'review', name: { zh: '审核', en: 'Review' }, assignee: { role: 'legal-counsel', department: 'document' }, deadline: { workingDays: reviewDays }, transitions: [{ action: 'approve', to: 'done' }] },
      { key: 'done', name: { zh: '完成', en: 'Done' }, final: true, transitions: [] },
    ],
  });
  /** A drafter of city-sti of their own, for a row that changes a user. */
  let staff = 0;
  const staffMember = async (): Promise<Ctx> => ({ id: (await t.engine.directory.addUser({ username: `cov-staff-${++staff}`, password: PASSWORD, departmentId: 'city-sti', roles: ['drafter'] })).id });
  const upload = async (user: string, path: string, body: Buffer, type: string) => t.http().post(path).set(await as(user)).set('content-type', type).send(body);
  const proxyWindow = { startsAt: '2026-06-01T00:00:00.000Z', endsAt: '2026-06-10T00:00:00.000Z' };

  // ---- expected entries -------------------------------------------------------------------

  const user = (name: string, role: string | null, onBehalfOf: string | null = null) => ({ type: 'user' as const, id: ids[name], role, onBehalfOf });
  const onDoc = (category: Category, action: string, actor: Expected['actor'], documentId: string, result: Result = 'success'): Expected => ({
    category,
    action,
    result,
    actor,
    documentId,
    departmentId: 'city-sti',
  });
  const offDoc = (category: Category, action: string, actor: Expected['actor'], result: Result = 'success', departmentId: string | null = null): Expected => ({
    category,
    action,
    result,
    actor,
    documentId: null,
    departmentId,
  });
  const denied = (name: string, documentId: string | null, departmentId: string | null, action = 'access-denied'): Expected => ({
    category: 'security',
    action,
    result: 'denied',
    actor: user(name, null),
    documentId,
    departmentId,
  });

  beforeAll(async () => {
    await t.engine.directory.addDepartment({ id: 'other-dept', name: 'x', officeId: 'rule-of-law-office' });
    await t.engine.directory.addUser({ username: 'drafter-x', password: PASSWORD, departmentId: 'other-dept', roles: ['drafter'] });
    await t.engine.directory.addUser({ username: 'counsel-b', password: PASSWORD, departmentId: 'city-sti', roles: ['legal-counsel'] });
    await t.engine.directory.addUser({ username: 'counsel-c', password: PASSWORD, departmentId: 'city-sti', roles: ['legal-counsel'] });
    // Everyone logs in now: a login is itself an entry and would blur the rows below.
    for (const u of USERS) ids[u] = (await t.http().get('/api/me').set(await as(u))).body.id;
  });

  const rows: Row[] = [
    // ---- transitions of the annual report ----
    {
      name: 'create (POST /api/documents)',
      act: async () => post('drafter', '/api/documents', { chain: 'annual-report', title: '新建', year: year++, departmentId: 'city-sti', content: REPORT_OUTLINE }),
      status: 201,
      entries: (_, res) => [onDoc('transition', 'create', user('drafter', 'drafter'), res.body.id)],
    },
    {
      name: 'edit (PATCH /api/documents/:id)',
      arrange: async () => ({ id: await report() }),
      act: async (c) => t.http().patch(`/api/documents/${c.id}`).set(await as('drafter')).send({ title: '改题', expectedVersion: 1 }),
      status: 200,
      entries: (c) => [onDoc('transition', 'edit', user('drafter', 'drafter'), c.id)],
    },
    {
      name: 'submit',
      arrange: async () => ({ id: await report() }),
      act: async (c) => post('drafter', `/api/documents/${c.id}/actions`, { action: 'submit' }),
      status: 200,
      entries: (c) => [onDoc('transition', 'submit', user('drafter', 'drafter'), c.id)],
    },
    {
      name: 'withdraw',
      arrange: submitted,
      act: async (c) => post('drafter', `/api/documents/${c.id}/actions`, { action: 'withdraw', comment: '补充数据' }),
      status: 200,
      entries: (c) => [onDoc('transition', 'withdraw', user('drafter', 'drafter'), c.id)],
    },
    {
      name: 'approve (POST /api/tasks/:id/decision)',
      arrange: submitted,
      act: async (c) => post('counsel', `/api/tasks/${c.task}/decision`, { decision: 'approve', comment: '同意' }),
      status: 200,
      entries: (c) => [onDoc('transition', 'approve', user('counsel', 'legal-counsel'), c.id)],
    },
    {
      name: 'return',
      arrange: submitted,
      act: async (c) => post('counsel', `/api/tasks/${c.task}/decision`, { decision: 'return', comment: '请补充' }),
      status: 200,
      entries: (c) => [onDoc('transition', 'return', user('counsel', 'legal-counsel'), c.id)],
    },
    {
      name: 'record-disclosure',
      arrange: async () => {
        const { id, task } = await submitted();
        await decide('counsel', task, { decision: 'approve' });
        const party = (await t.http().get(`/api/documents/${id}`).set(await as('secretary'))).body.openTasks[0].id;
        await decide('secretary', party, { decision: 'approve' });
        const office = (await t.http().get(`/api/documents/${id}`).set(await as('office'))).body.openTasks[0].id;
        expect((await decide('office', office, { decision: 'approve' })).state).toBe('awaiting-disclosure');
        return { id };
      },
      act: async (c) => post('drafter', `/api/documents/${c.id}/actions`, { action: 'record-disclosure', disclosure: { url: 'https://kjj.example.gov.cn/fzzf/x.html', publishedOn: '2026-02-01' } }),
      status: 200,
      entries: (c) => [onDoc('transition', 'record-disclosure', user('drafter', 'drafter'), c.id)],
    },
    // ---- decisions of the normative-document chain: reject, and a legality outcome ----
    {
      name: 'reject (normative document, collective deliberation)',
      arrange: async () => {
        const { id, task } = await normativeInLegalityReview();
        const next = await decide('counsel', task, { decision: 'lawful' });
        expect(next.state).toBe('collective-deliberation');
        return { id, task: next.openTasks[0].id };
      },
      act: async (c) => post('secretary', `/api/tasks/${c.task}/decision`, { decision: 'reject', comment: '不予通过' }),
      status: 200,
      entries: (c) => [onDoc('transition', 'reject', user('secretary', 'party-secretary'), c.id)],
    },
    {
      name: 'unlawful (normative document, legality review)',
      arrange: normativeInLegalityReview,
      act: async (c) => post('counsel', `/api/tasks/${c.task}/decision`, { decision: 'unlawful', comment: '超越权限' }),
      status: 200,
      entries: (c) => [onDoc('transition', 'unlawful', user('counsel', 'legal-counsel'), c.id)],
    },
    // ---- runtime actions ----
    {
      name: 'delegate (POST /api/tasks/:id/delegate)',
      arrange: submitted,
      act: async (c) => post('counsel', `/api/tasks/${c.task}/delegate`, { toUserId: ids['counsel-b'], comment: '请代为审核' }),
      status: 200,
      entries: (c) => [onDoc('transition', 'delegate', user('counsel', 'legal-counsel'), c.id)],
    },
    {
      name: 'a decision by the delegate is made on behalf of the delegator',
      arrange: async () => {
        const s = await submitted();
        expect((await post('counsel', `/api/tasks/${s.task}/delegate`, { toUserId: ids['counsel-b'], comment: '请代为审核' })).status).toBe(200);
        return s;
      },
      act: async (c) => post('counsel-b', `/api/tasks/${c.task}/decision`, { decision: 'approve' }),
      status: 200,
      entries: (c) => [onDoc('transition', 'approve', user('counsel-b', 'legal-counsel', ids.counsel), c.id)],
    },
    {
      name: 'add-signer (POST /api/tasks/:id/add-signer)',
      arrange: submitted,
      act: async (c) => post('counsel', `/api/tasks/${c.task}/add-signer`, { userId: ids.leader, position: 'after', comment: '请领导把关' }),
      status: 200,
      entries: (c) => [onDoc('transition', 'add-signer', user('counsel', 'legal-counsel'), c.id)],
    },
    {
      name: 'urge (POST /api/documents/:id/urge)',
      arrange: submitted,
      act: async (c) => post('drafter', `/api/documents/${c.id}/urge`, { comment: '请尽快' }),
      status: 200,
      entries: (c) => [onDoc('transition', 'urge', user('drafter', 'drafter'), c.id)],
    },
    {
      name: 'copy-to (POST /api/documents/:id/copies), in the role the caller holds in the department',
      arrange: async () => ({ id: await report() }),
      act: async (c) => post('drafter', `/api/documents/${c.id}/copies`, { userIds: [ids.office], comment: '请知悉' }),
      status: 200,
      entries: (c) => [onDoc('transition', 'copy-to', user('drafter', 'drafter'), c.id)],
    },
    {
      name: 'attach to the document (POST /api/documents/:id/attachments)',
      arrange: async () => ({ id: await report() }),
      act: async (c) => upload('drafter', `/api/documents/${c.id}/attachments?name=plan.pdf`, Buffer.from('%PDF-1.7\naudit coverage'), 'application/pdf'),
      status: 201,
      entries: (c) => [onDoc('transition', 'attach', user('drafter', 'drafter'), c.id)],
    },
    {
      name: 'attach to a task (POST /api/tasks/:id/attachments)',
      arrange: submitted,
      act: async (c) => upload('counsel', `/api/tasks/${c.task}/attachments?name=opinion.txt`, Buffer.from('法律审核意见：同意。'), 'text/plain'),
      status: 201,
      entries: (c) => [onDoc('transition', 'attach', user('counsel', 'legal-counsel'), c.id)],
    },
    {
      name: 'bulk-decision with 2 items: 2 entries, one per task',
      arrange: async () => {
        const [a, b] = [await submitted(), await submitted()];
        return { a: a.id, b: b.id, ta: a.task, tb: b.task };
      },
      act: async (c) => post('counsel', '/api/tasks/bulk-decision', { items: [{ taskId: c.ta, decision: 'approve' }, { taskId: c.tb, decision: 'approve' }] }),
      status: 200,
      entries: (c) => [onDoc('transition', 'approve', user('counsel', 'legal-counsel'), c.a), onDoc('transition', 'approve', user('counsel', 'legal-counsel'), c.b)],
    },
    {
      name: 'statutory clock pause (POST /api/documents/:id/clock)',
      arrange: submitted,
      act: async (c) => post('counsel', `/api/documents/${c.id}/clock`, { operation: 'pause', reason: '征求有关部门意见' }),
      status: 200,
      entries: (c) => [onDoc('transition', 'pause-clock', user('counsel', 'legal-counsel'), c.id)],
    },
    {
      name: 'statutory clock resume',
      arrange: async () => {
        const s = await submitted();
        expect((await post('counsel', `/api/documents/${s.id}/clock`, { operation: 'pause', reason: '征求意见' })).status).toBe(200);
        return s;
      },
      act: async (c) => post('counsel', `/api/documents/${c.id}/clock`, { operation: 'resume' }),
      status: 200,
      entries: (c) => [onDoc('transition', 'resume-clock', user('counsel', 'legal-counsel'), c.id)],
    },
    {
      name: 'statutory clock request-extension (the assignee)',
      arrange: submitted,
      act: async (c) => post('counsel', `/api/documents/${c.id}/clock`, { operation: 'request-extension', workingDays: 5, reason: '情况复杂' }),
      status: 200,
      entries: (c) => [onDoc('transition', 'request-extension', user('counsel', 'legal-counsel'), c.id)],
    },
    {
      name: 'statutory clock approve-extension (the leader)',
      arrange: async () => {
        const s = await submitted();
        expect((await post('counsel', `/api/documents/${s.id}/clock`, { operation: 'request-extension', workingDays: 5, reason: '情况复杂' })).status).toBe(200);
        return s;
      },
      act: async (c) => post('leader', `/api/documents/${c.id}/clock`, { operation: 'approve-extension', reason: '同意' }),
      status: 200,
      entries: (c) => [onDoc('transition', 'approve-extension', user('leader', 'leader'), c.id)],
    },
    {
      name: 'statutory clock restart (补正)',
      arrange: submitted,
      act: async (c) => post('counsel', `/api/documents/${c.id}/clock`, { operation: 'restart', reason: '申请人补正材料' }),
      status: 200,
      entries: (c) => [onDoc('transition', 'restart-clock', user('counsel', 'legal-counsel'), c.id)],
    },
    // ---- authentication ----
    {
      name: 'login success',
      act: async () => t.http().post('/api/auth/login').send({ username: 'drafter', password: PASSWORD }),
      status: 200,
      entries: () => [{ ...offDoc('security', 'login', user('drafter', null), 'success', 'city-sti'), details: { username: 'drafter' } }],
    },
    {
      name: 'login failure: wrong password',
      act: async () => t.http().post('/api/auth/login').send({ username: 'counsel', password: 'wrong-password' }),
      status: 401,
      entries: () => [{ ...offDoc('security', 'login', user('counsel', null), 'failure', 'city-sti'), details: { username: 'counsel' } }],
    },
    {
      name: 'login failure: unknown user (actor.id "anonymous", the name tried in details)',
      act: async () => t.http().post('/api/auth/login').send({ username: 'nobody-here', password: 'wrong-password' }),
      status: 401,
      entries: () => [{ ...offDoc('security', 'login', { type: 'user', id: 'anonymous', role: null, onBehalfOf: null }, 'failure'), details: { username: 'nobody-here' } }],
    },
    // ---- refusals: one security entry, nothing else ----
    {
      name: "403: deciding someone else's task",
      arrange: submitted,
      act: async (c) => post('secretary', `/api/tasks/${c.task}/decision`, { decision: 'approve' }),
      status: 403,
      entries: (c) => [{ ...denied('secretary', c.id, 'city-sti'), details: { status: 403, attempted: 'approve', taskId: c.task } }],
    },
    {
      name: '403: a drafter publishing a chain',
      act: async () => post('drafter', '/api/chains', chainDef('audit-refused', 5)),
      status: 403,
      entries: () => [denied('drafter', null, null)],
    },
    {
      name: '403: a leader reassigning tasks (administrators only)',
      act: async () => post('leader', `/api/users/${ids['counsel-c']}/reassign-tasks`, { toUserId: ids.counsel }),
      status: 403,
      entries: () => [denied('leader', null, null)],
    },
    {
      name: '403: bulk-decision with one item on a task of someone else: that item is refused and audited',
      arrange: submitted,
      act: async (c) => post('secretary', '/api/tasks/bulk-decision', { items: [{ taskId: c.task, decision: 'approve' }] }),
      status: 200,
      entries: (c) => [denied('secretary', c.id, 'city-sti')],
    },
    {
      name: '403: a reviewer urging (drafters and the leader urge)',
      arrange: submitted,
      act: async (c) => post('counsel', `/api/documents/${c.id}/urge`, {}),
      status: 403,
      entries: (c) => [denied('counsel', c.id, 'city-sti')],
    },
    {
      name: '403: a drafter reading the audit log',
      act: async () => t.http().get('/api/audit').set(await as('drafter')),
      status: 403,
      entries: () => [denied('drafter', null, null)],
    },
    {
      name: '403: a drafter signing a checkpoint',
      act: async () => post('drafter', '/api/audit/checkpoints'),
      status: 403,
      entries: () => [denied('drafter', null, null)],
    },
    {
      name: '404: reading a document of another department (the entry names its department)',
      arrange: async () => ({ id: await report() }),
      act: async (c) => t.http().get(`/api/documents/${c.id}`).set(await as('drafter-x')),
      status: 404,
      entries: (c) => [denied('drafter-x', c.id, 'city-sti')],
    },
    {
      name: '404: acting on a document of another department',
      arrange: async () => ({ id: await report() }),
      act: async (c) => post('drafter-x', `/api/documents/${c.id}/actions`, { action: 'submit' }),
      status: 404,
      entries: (c) => [denied('drafter-x', c.id, 'city-sti')],
    },
    {
      name: '404: deciding a task of another department (the entry names its document and department)',
      arrange: submitted,
      act: async (c) => post('drafter-x', `/api/tasks/${c.task}/decision`, { decision: 'approve' }),
      status: 404,
      entries: (c) => [{ ...denied('drafter-x', c.id, 'city-sti'), details: { status: 404, taskId: c.task } }],
    },
    {
      name: "404: cancelling another user's out-of-office window",
      arrange: async () => {
        const set = await post('counsel', '/api/me/proxies', { substituteId: ids.leader, startsAt: '2026-06-01T00:00:00Z', endsAt: '2026-06-05T00:00:00Z' });
        return { id: set.body.id as string };
      },
      act: async (c) => t.http().delete(`/api/me/proxies/${c.id}`).set(await as('leader')),
      status: 404,
      entries: () => [denied('leader', null, null)],
    },
    {
      name: "404: marking another user's notification read",
      arrange: async () => {
        const id = await report();
        await post('drafter', `/api/documents/${id}/copies`, { userIds: [ids.office] });
        const note = (await t.http().get('/api/notifications').set(await as('office'))).body.items[0];
        return { id: note.id as string };
      },
      act: async (c) => post('leader', `/api/notifications/${c.id}/read`),
      status: 404,
      entries: () => [denied('leader', null, null)],
    },
    {
      name: 'mass assignment: { role: "admin" } in a PATCH body is 400 and one security entry',
      arrange: async () => ({ id: await report() }),
      act: async (c) => t.http().patch(`/api/documents/${c.id}`).set(await as('drafter')).send({ title: 'x', expectedVersion: 1, role: 'admin' }),
      status: 400,
      entries: (c) => [{ ...denied('drafter', c.id, 'city-sti', 'mass-assignment'), details: { status: 400, fields: ['role'] } }],
    },
    {
      name: 'mass assignment: { role: "admin" } when creating a document',
      act: async () => post('drafter', '/api/documents', { chain: 'annual-report', title: 'x', year: 2099, departmentId: 'city-sti', content: REPORT_OUTLINE, role: 'admin' }),
      status: 400,
      entries: () => [{ ...denied('drafter', null, null, 'mass-assignment'), details: { fields: ['role'] } }],
    },
    {
      name: 'mass assignment: { onBehalfOf } in a decision body',
      arrange: submitted,
      act: async (c) => post('counsel', `/api/tasks/${c.task}/decision`, { decision: 'approve', onBehalfOf: ids.leader }),
      status: 400,
      entries: (c) => [{ ...denied('counsel', c.id, 'city-sti', 'mass-assignment'), details: { fields: ['onBehalfOf'], taskId: c.task } }],
    },
    {
      name: 'an unknown field that is not a protected one ({ foo }) is 400 with no entry (by design: only protected fields are mass assignment)',
      arrange: async () => ({ id: await report() }),
      act: async (c) => t.http().patch(`/api/documents/${c.id}`).set(await as('drafter')).send({ title: 'x', expectedVersion: 1, foo: 1 }),
      status: 400,
      entries: () => [],
    },
    // ---- configuration ----
    {
      name: 'publish-chain (POST /api/chains)',
      act: async () => post('admin', '/api/chains', chainDef('audit-coverage', 5)),
      status: 201,
      entries: () => [offDoc('configuration', 'publish-chain', user('admin', 'admin'))],
    },
    {
      name: 'publishing the same definition again creates no version and no entry',
      act: async () => post('admin', '/api/chains', chainDef('audit-coverage', 5)),
      status: 201,
      entries: () => [],
    },
    {
      name: 'validate-chain (a lint, no change) leaves no entry',
      act: async () => post('admin', '/api/chains/validate', chainDef('audit-linted', 5)),
      status: 200,
      entries: () => [],
    },
    {
      name: 'set-proxy (POST /api/me/proxies)',
      act: async () => post('counsel', '/api/me/proxies', { substituteId: ids['counsel-b'], ...proxyWindow, comment: '出差' }),
      status: 201,
      entries: () => [offDoc('configuration', 'set-proxy', user('counsel', null))],
    },
    {
      name: 'cancel-proxy (DELETE /api/me/proxies/:id)',
      arrange: async () => {
        const res = await post('counsel', '/api/me/proxies', { substituteId: ids['counsel-b'], ...proxyWindow });
        expect(res.status).toBe(201);
        return { proxy: res.body.id };
      },
      act: async (c) => t.http().delete(`/api/me/proxies/${c.proxy}`).set(await as('counsel')),
      status: 204,
      entries: () => [offDoc('configuration', 'cancel-proxy', user('counsel', null))],
    },
    {
      name: 'admin reassign-tasks of a user holding 2 tasks by name: 2 entries, one per task',
      arrange: async () => {
        const [a, b] = [await submitted(), await submitted()];
        for (const s of [a, b]) expect((await post('counsel', `/api/tasks/${s.task}/delegate`, { toUserId: ids['counsel-c'], comment: '请办理' })).status).toBe(200);
        return { a: a.id, b: b.id };
      },
      act: async () => post('admin', `/api/users/${ids['counsel-c']}/reassign-tasks`, { toUserId: ids.counsel, comment: '离职交接' }),
      status: 200,
      entries: (c) => [onDoc('transition', 'reassign', user('admin', 'admin'), c.a), onDoc('transition', 'reassign', user('admin', 'admin'), c.b)],
    },
    {
      name: 'migration dry run: no entry',
      arrange: async () => {
        expect((await post('admin', '/api/chains', chainDef('audit-dry', 5))).status).toBe(201);
        expect((await post('admin', '/api/chains', chainDef('audit-dry', 6))).status).toBe(201);
        return {};
      },
      act: async () => post('admin', '/api/chains/audit-dry/migrations', { toVersion: 2, dryRun: true }),
      status: 200,
      entries: () => [],
    },
    {
      name: 'start-migration of 2 running documents: 1 start entry + 2 migrate entries',
      arrange: async () => {
        expect((await post('admin', '/api/chains', chainDef('audit-migratable', 5))).status).toBe(201);
        const docs: string[] = [];
        for (let i = 0; i < 2; i++) {
          const doc = await post('drafter', '/api/documents', { chain: 'audit-migratable', title: `迁移${i}`, year: 2026, departmentId: 'city-sti' });
          expect((await post('drafter', `/api/documents/${doc.body.id}/actions`, { action: 'submit' })).status).toBe(200);
          docs.push(doc.body.id);
        }
        expect((await post('admin', '/api/chains', chainDef('audit-migratable', 6))).body.version).toBe(2);
        return { a: docs[0], b: docs[1] };
      },
      act: async () => post('admin', '/api/chains/audit-migratable/migrations', { toVersion: 2 }),
      status: 202,
      settle: () => t.engine.chainMigrations.idle(),
      entries: (c) => [
        { ...offDoc('configuration', 'start-migration', user('admin', 'admin')), details: { chainKey: 'audit-migratable', toVersion: 2, total: 2 } },
        onDoc('transition', 'migrate', user('admin', 'admin'), c.a),
        onDoc('transition', 'migrate', user('admin', 'admin'), c.b),
      ],
    },
    // ---- the organisation over HTTP: one configuration entry each, with what it was before ----
    {
      name: 'create a department (POST /api/departments)',
      act: async () => post('admin', '/api/departments', { id: 'cov-dept', name: '覆盖局', officeId: 'rule-of-law-office' }),
      status: 201,
      entries: () => [{ ...offDoc('configuration', 'create-department', user('admin', 'admin'), 'success', 'cov-dept'), details: { departmentId: 'cov-dept', before: null } }],
    },
    {
      name: 'rename a department (PATCH /api/departments/:id)',
      act: async () => t.http().patch('/api/departments/other-dept').set(await as('admin')).send({ name: '另一局' }),
      status: 200,
      entries: () => [{ ...offDoc('configuration', 'update-department', user('admin', 'admin'), 'success', 'other-dept'), details: { before: { name: 'x' }, after: { name: '另一局' } } }],
    },
    {
      name: 'create a user (POST /api/users)',
      act: async () => post('admin', '/api/users', { username: 'cov-created', displayName: '覆盖', departmentId: 'city-sti', roles: ['drafter'] }),
      status: 201,
      entries: () => [{ ...offDoc('configuration', 'create-user', user('admin', 'admin'), 'success', 'city-sti'), details: { username: 'cov-created', before: null } }],
    },
    {
      name: 'rename a user (PATCH /api/users/:id)',
      arrange: staffMember,
      act: async (c) => t.http().patch(`/api/users/${c.id}`).set(await as('admin')).send({ displayName: '改名' }),
      status: 200,
      entries: () => [{ ...offDoc('configuration', 'update-user', user('admin', 'admin'), 'success', 'city-sti'), details: { after: { displayName: '改名' } } }],
    },
    {
      name: 'disable a user holding no task (POST /api/users/:id/disable)',
      arrange: staffMember,
      act: async (c) => post('admin', `/api/users/${c.id}/disable`, { comment: '离职' }),
      status: 200,
      entries: () => [{ ...offDoc('configuration', 'disable-user', user('admin', 'admin'), 'success', 'city-sti'), details: { before: { disabled: false }, after: { disabled: true } } }],
    },
    {
      name: 'enable a user (POST /api/users/:id/enable)',
      arrange: async () => {
        const c = await staffMember();
        expect((await post('admin', `/api/users/${c.id}/disable`)).status).toBe(200);
        return c;
      },
      act: async (c) => post('admin', `/api/users/${c.id}/enable`),
      status: 200,
      entries: () => [{ ...offDoc('configuration', 'enable-user', user('admin', 'admin'), 'success', 'city-sti'), details: { before: { disabled: true }, after: { disabled: false } } }],
    },
    {
      name: 'grant a role (POST /api/users/:id/roles)',
      arrange: staffMember,
      act: async (c) => post('admin', `/api/users/${c.id}/roles`, { role: 'legal-counsel', departmentId: 'city-sti' }),
      status: 201,
      entries: () => [{ ...offDoc('configuration', 'grant-role', user('admin', 'admin'), 'success', 'city-sti'), details: { role: 'legal-counsel', before: [{ role: 'drafter', departmentId: 'city-sti' }] } }],
    },
    {
      name: 'take a role away (DELETE /api/users/:id/roles/:role)',
      arrange: staffMember,
      act: async (c) => t.http().delete(`/api/users/${c.id}/roles/drafter?departmentId=city-sti`).set(await as('admin')),
      status: 200,
      entries: () => [{ ...offDoc('configuration', 'revoke-role', user('admin', 'admin'), 'success', 'city-sti'), details: { role: 'drafter', after: [] } }],
    },
    {
      name: 'set whom a supervisor oversees (PUT /api/users/:id/supervision)',
      arrange: staffMember,
      act: async (c) => t.http().put(`/api/users/${c.id}/supervision`).set(await as('admin')).send({ departmentIds: ['other-dept'] }),
      status: 200,
      entries: () => [{ ...offDoc('configuration', 'set-supervision', user('admin', 'admin')), details: { before: [], after: ['other-dept'] } }],
    },
    {
      name: 'a new user replaces their one-time password (POST /api/auth/password): the login it proves, and the change',
      arrange: async () => {
        const res = await post('admin', '/api/users', { username: `cov-new-${++staff}`, displayName: '新人', departmentId: 'city-sti', roles: ['drafter'] });
        return { id: res.body.id, username: res.body.username, password: res.body.oneTimePassword };
      },
      act: async (c) => t.http().post('/api/auth/password').send({ username: c.username, password: c.password, newPassword: 'quiet-harbour-lantern' }),
      status: 200,
      entries: (c) => [
        offDoc('security', 'login', { type: 'user', id: c.id, role: null }, 'success', 'city-sti'),
        offDoc('configuration', 'change-password', { type: 'user', id: c.id, role: null }, 'success', 'city-sti'),
      ],
    },
    // ---- directory changes (no HTTP route: the CLI's `user add` and the seed call these) ----
    {
      name: 'add a department (directory, as the CLI): 1 entry, the system as actor',
      act: async () => {
        await t.engine.directory.addDepartment({ id: 'audit-dept', name: '审计部门', officeId: 'rule-of-law-office' });
        return { status: 0, body: null };
      },
      status: 0,
      entries: () => [offDoc('configuration', 'create-department', { type: 'system', id: 'cli', role: null, onBehalfOf: null }, 'success', 'audit-dept')],
    },
    {
      name: 'add a user with one role (directory, as the CLI): create-user + grant-role',
      act: async () => {
        await t.engine.directory.addUser({ username: 'audit-user', password: PASSWORD, departmentId: 'audit-dept', roles: ['drafter'] });
        return { status: 0, body: null };
      },
      status: 0,
      entries: () => [
        offDoc('configuration', 'create-user', { type: 'system', id: 'cli', role: null, onBehalfOf: null }),
        offDoc('configuration', 'grant-role', { type: 'system', id: 'cli', role: null, onBehalfOf: null }, 'success', 'audit-dept'),
      ],
    },
    // ---- no entry by design ----
    {
      name: 'checkpoint (POST /api/audit/checkpoints) signs the head and appends no entry',
      act: async () => post('admin', '/api/audit/checkpoints'),
      status: 201,
      entries: () => [],
    },
    {
      name: 'notifications mark-read leaves no entry',
      arrange: async () => {
        const id = await report();
        expect((await post('drafter', `/api/documents/${id}/copies`, { userIds: [ids.office] })).status).toBe(200);
        const notes = await t.http().get('/api/notifications?unread=true').set(await as('office'));
        return { note: notes.body.items.find((n: { documentId: string }) => n.documentId === id).id };
      },
      act: async (c) => post('office', `/api/notifications/${c.note}/read`),
      status: 204,
      entries: () => [],
    },
  ];

  let tick = 0;
  for (const row of rows) {
    it(row.name, async () => {
      const c = (await row.arrange?.()) ?? {};
      // Each row at a time of its own: `at` must be the clock's time at the request, not an earlier one.
      t.clock.advance(1000 + ++tick);
      const now = t.clock.now().toISOString();
      const before = await head();
      const res = await row.act(c);
      if (row.status) expect({ status: res.status, body: res.body }).toMatchObject({ status: row.status });
      await row.settle?.();
      const added = await since(before.seq);
      const expected = row.entries(c, res);

      // First the count and kinds, for a readable failure; then every field of every entry.
      expect(added.map((e) => `${e.category}:${e.action}:${e.result}`)).toEqual(expected.map((x) => `${x.category}:${x.action}:${x.result}`));
      added.forEach((e, i) => {
        const x = expected[i];
        expect(e.v).toBe(1);
        expect(e.seq).toBe(before.seq + i + 1);
        expect(e.prevHash).toBe(i === 0 ? before.hash : added[i - 1].hash);
        expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(new Date(e.at).toISOString()).toBe(e.at);
        expect(e.at).toBe(now);
        const actor = { type: e.actor.type, id: e.actor.id, role: e.actor.role, ...(x.actor.onBehalfOf !== undefined ? { onBehalfOf: e.actor.onBehalfOf } : {}) };
        expect(actor).toEqual({ type: x.actor.type, id: x.actor.id, role: x.actor.role, ...(x.actor.onBehalfOf !== undefined ? { onBehalfOf: x.actor.onBehalfOf } : {}) });
        expect(x.actor.id).toBeTruthy();
        expect({ documentId: e.documentId, departmentId: e.departmentId }).toEqual({ documentId: x.documentId, departmentId: x.departmentId });
        if (x.details) expect(e.details).toMatchObject(x.details);
      });
    });
  }

  it('an anonymous 401 leaves no chained entry', async () => {
    const good = await t.token('counsel');
    const [h, payload, signature] = good.split('.');
    // A character inside the signature (fully significant in base64url, unlike the last one) changed.
    const tampered = `${h}.${payload}.${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const requests = [
      () => t.http().get('/api/me'),
      () => t.http().post('/api/documents').send({ chain: 'annual-report', title: 'x', year: 2098, departmentId: 'city-sti' }),
      () => t.http().get('/api/audit').set(bearer('not.a.token')),
      () => t.http().post('/api/tasks/bulk-decision').set(bearer(tampered)).send({ items: [] }),
      () => t.http().get('/api/me').set(bearer(signJwt(ids.admin, 'another-secret', now, 3600))),
      () => t.http().post('/api/auth/login').set(bearer(tampered)).send({ username: 'nobody-here' }),
    ];
    const before = await head();
    const statuses = [];
    for (const send of requests) {
      const res = await send();
      statuses.push({ status: res.status, code: res.body.code });
    }
    // The login without a password is 400 (validation), anonymous too: neither is chained.
    expect(statuses).toEqual([...Array(5).fill({ status: 401, code: 'UNAUTHENTICATED' }), { status: 400, code: 'VALIDATION_FAILED' }]);
    expect(await since(before.seq)).toEqual([]);
  });

  it('a refused action leaves no transition entry, only the security one, and the document as it was', async () => {
    const { id, task } = await submitted();
    const doc = async () => {
      const res = await t.http().get(`/api/documents/${id}`).set(await as('drafter'));
      return { state: res.body.state, version: res.body.version, openTasks: res.body.openTasks.map((x: { id: string; status: string }) => [x.id, x.status]) };
    };
    const was = await doc();
    // The document each entry names, also when the refusal comes from the task route's guard.
    const refusals: [string, () => Promise<Reply>, number, string][] = [
      ["secretary decides the counsel's task", async () => post('secretary', `/api/tasks/${task}/decision`, { decision: 'approve' }), 403, id],
      ["the counsel withdraws (a drafter's action)", async () => post('counsel', `/api/documents/${id}/actions`, { action: 'withdraw' }), 403, id],
      ['the supervisor withdraws', async () => post('supervisor', `/api/documents/${id}/actions`, { action: 'withdraw' }), 403, id],
      ['a drafter of another department withdraws', async () => post('drafter-x', `/api/documents/${id}/actions`, { action: 'withdraw' }), 404, id],
      ['a drafter of another department decides the task', async () => post('drafter-x', `/api/tasks/${task}/decision`, { decision: 'approve' }), 404, id],
      ["the secretary delegates the counsel's task", async () => post('secretary', `/api/tasks/${task}/delegate`, { toUserId: ids['counsel-b'], comment: 'x' }), 403, id],
      ["the secretary attaches to the counsel's task", async () => upload('secretary', `/api/tasks/${task}/attachments?name=a.txt`, Buffer.from('x'), 'text/plain'), 403, id],
      ['the drafter pauses the clock (only the assignee does)', async () => post('drafter', `/api/documents/${id}/clock`, { operation: 'pause', reason: 'x' }), 403, id],
    ];
    for (const [what, send, status, documentId] of refusals) {
      const before = await head();
      const res = await send();
      expect({ what, status: res.status }).toEqual({ what, status });
      const added = await since(before.seq);
      expect({ what, added: added.map((e) => `${e.category}:${e.action}:${e.result}`) }).toEqual({ what, added: ['security:access-denied:denied'] });
      expect(added[0].actor.id).toBeTruthy();
      expect({ what, documentId: added[0].documentId, departmentId: added[0].departmentId }).toEqual({ what, documentId, departmentId: 'city-sti' });
    }
    expect(await doc()).toEqual(was);
  });

  it('the chain verifies after every row', async () => {
    const res = await t.http().get('/api/audit/verify').set(await as('admin'));
    expect(res.body).toMatchObject({ ok: true });
  });
});
