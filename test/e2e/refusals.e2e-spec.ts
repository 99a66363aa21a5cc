import { signJwt } from '../../apps/api/auth/jwt.js';
import { bearer, PASSWORD, startApp, testDatabase, type TestApp } from '../support/test-app.js';
import { annualReportTemplate } from '../../apps/web/src/report-template.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

/** Every refusal answers with its status and code and changes nothing but, where due, one security entry. */
describe('refusals', () => {
  const database = testDatabase();
  let t: TestApp;
  let docId: string;
  let legalTask: string;

  const as = async (user: string) => bearer(await t.token(user));
  const auditRows = () => t.engine.database.reader.all<{ seq: number; category: string; action: string; document_id: string | null }>(
    'SELECT seq, category, action, document_id FROM audit_entries ORDER BY seq',
  );
  const docRow = () => t.engine.database.reader.one<{ state: string; version: number }>('SELECT state, version FROM documents WHERE id = ?', [docId]);
  const taskRows = () => t.engine.database.reader.all('SELECT id, status, assignee_role, assignee_user_id FROM tasks WHERE document_id = ? ORDER BY id', [docId]);

  /** Runs a refused request and checks it left the document, its tasks and the audit log as they were. */
  async function refused(send: () => Promise<{ status: number; body: { code: string; details?: any } }>, status: number, code: string, securityEntry: string | null) {
    const [auditBefore, docBefore, tasksBefore] = [await auditRows(), await docRow(), await taskRows()];
    const res = await send();
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(await docRow()).toEqual(docBefore);
    expect(await taskRows()).toEqual(tasksBefore);
    const added = (await auditRows()).slice(auditBefore.length);
    expect(added.map((a) => `${a.category}:${a.action}`)).toEqual(securityEntry ? [`security:${securityEntry}`] : []);
    return res;
  }

  beforeAll(async () => {
    t = await startApp(database);
    await t.engine.directory.addDepartment({ id: 'district-sti', name: '区科技局', officeId: 'rule-of-law-office' });
    await t.engine.directory.addUser({ username: 'drafter2', password: PASSWORD, departmentId: 'district-sti', roles: ['drafter'] });
    await t.engine.directory.addUser({ username: 'counsel-b', password: PASSWORD, departmentId: 'city-sti', roles: ['legal-counsel'] });
    await t.engine.directory.addUser({ username: 'secretary-b', password: PASSWORD, departmentId: 'city-sti', roles: ['party-secretary'] });
    const created = await t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: '年度报告', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    docId = created.body.id;
    // Log everyone in now: a login is itself a security entry and would blur the counts below.
    for (const user of ['drafter', 'drafter2', 'counsel', 'counsel-b', 'secretary', 'secretary-b', 'supervisor', 'admin']) await t.token(user);
  });
  afterAll(async () => {
    await t.stop();
    await database.drop();
  });

  it('wrong role: a legal counsel cannot submit, a supervisor cannot act (403, audited)', async () => {
    await refused(async () => t.http().post(`/api/documents/${docId}/actions`).set(await as('counsel')).send({ action: 'submit' }), 403, 'FORBIDDEN', 'access-denied');
    await refused(async () => t.http().post(`/api/documents/${docId}/actions`).set(await as('supervisor')).send({ action: 'submit' }), 403, 'FORBIDDEN', 'access-denied');
    await refused(async () => t.http().patch(`/api/documents/${docId}`).set(await as('counsel')).send({ title: 'x', expectedVersion: 1 }), 403, 'FORBIDDEN', 'access-denied');
  });

  it('other department: the document does not exist for them (404, audited), even with a bad body', async () => {
    await refused(async () => t.http().get(`/api/documents/${docId}`).set(await as('drafter2')), 404, 'NOT_FOUND', 'access-denied');
    await refused(async () => t.http().post(`/api/documents/${docId}/actions`).set(await as('drafter2')).send({ action: 'submit' }), 404, 'NOT_FOUND', 'access-denied');
    await refused(async () => t.http().post(`/api/documents/${docId}/actions`).set(await as('drafter2')).send({ bogus: true }), 404, 'NOT_FOUND', 'access-denied');
    await refused(async () => t.http().get(`/api/documents/${docId}/history`).set(await as('drafter2')), 404, 'NOT_FOUND', 'access-denied');
    const list = await t.http().get('/api/documents').set(await as('drafter2'));
    expect(list.body).toEqual({ items: [], nextCursor: null });
    await refused(
      async () => t.http().post('/api/documents').set(await as('drafter2')).send({ chain: 'annual-report', title: 'x', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE }),
      403,
      'FORBIDDEN',
      'access-denied',
    );
  });

  it('unknown fields and mass assignment are 400 naming the field; mass assignment is audited', async () => {
    const res = await refused(async () => t.http().post(`/api/documents/${docId}/actions`).set(await as('drafter')).send({ action: 'submit', foo: 1 }), 400, 'VALIDATION_FAILED', null);
    expect(res.body.details).toEqual([{ field: 'foo', reason: 'property foo should not exist' }]);
    const mass = await refused(
      async () => t.http().post(`/api/documents/${docId}/actions`).set(await as('drafter')).send({ action: 'submit', state: 'disclosed', version: 99 }),
      400,
      'VALIDATION_FAILED',
      'mass-assignment',
    );
    expect(mass.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['state', 'version']);
    const bad = await refused(async () => t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: '', year: 'x', departmentId: 'city-sti', content: REPORT_OUTLINE }), 400, 'VALIDATION_FAILED', null);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['title', 'year']);
  });

  // class-transformer skipped these names (the DTO has them through Object.prototype): the whitelist never saw them.
  it('fields named like built-in object members are refused at every depth, naming the field; a protected name among them is audited', async () => {
    const drafter = await as('drafter');
    const post = (path: string, body: string, headers: Record<string, string> = drafter) => async () => t.http().post(path).set(headers).set('content-type', 'application/json').send(body);
    const fields = (res: { body: { details?: { field: string; reason: string }[] } }) => res.body.details!.map((d) => `${d.field}: ${d.reason}`);
    const create = JSON.stringify({ chain: 'normative-document', title: '原型', year: 2027, departmentId: 'city-sti', content: '第一条', fields: { involvesMarketActivity: false } });
    for (const [name, value] of [['toString', '1'], ['valueOf', '1'], ['hasOwnProperty', '1'], ['isPrototypeOf', '1'], ['__defineGetter__', '1'], ['constructor', '{"prototype":{"polluted":true}}'], ['__proto__', '{"polluted":true}']]) {
      const top = await refused(post('/api/documents', `${create.slice(0, -1)},"${name}":${value}}`), 400, 'VALIDATION_FAILED', null);
      expect(fields(top)).toEqual([`${name}: property ${name} should not exist`]);
    }
    const inFields = await refused(post('/api/documents', create.replace('"involvesMarketActivity":false', '"involvesMarketActivity":false,"toString":"x"')), 400, 'VALIDATION_FAILED', null);
    expect(fields(inFields)).toEqual(['fields.toString: property toString should not exist']);
    const nested = await refused(
      post(`/api/documents/${docId}/actions`, '{"action":"record-disclosure","disclosure":{"url":"https://a.gov.cn","publishedOn":"2026-02-02","valueOf":1}}'),
      400,
      'VALIDATION_FAILED',
      null,
    );
    expect(fields(nested)).toEqual(['disclosure.valueOf: property valueOf should not exist']);
    const bulk = await refused(post('/api/tasks/bulk-decision', '{"items":[{"taskId":"01a24c70-a975-7000-964b-8f722e5621c5","decision":"approve","constructor":1,"__proto__":{}}]}'), 400, 'VALIDATION_FAILED', null);
    expect(fields(bulk)).toEqual(['items[0].constructor: property constructor should not exist', 'items[0].__proto__: property __proto__ should not exist']);
    const query = await t.http().get('/api/documents?toString=1&limit=5').set(drafter);
    expect({ status: query.status, fields: fields(query) }).toEqual({ status: 400, fields: ['toString: property toString should not exist'] });
    // Anonymous: refused, and no token given.
    const login = await refused(post('/api/auth/login', JSON.stringify({ username: 'drafter', password: PASSWORD, valueOf: 1 }), {}), 400, 'VALIDATION_FAILED', null);
    expect({ fields: fields(login), token: (login.body as { accessToken?: string }).accessToken }).toEqual({ fields: ['valueOf: property valueOf should not exist'], token: undefined });
    const mixed = await refused(post(`/api/documents/${docId}/actions`, '{"action":"submit","__proto__":{"state":"disclosed"},"state":"disclosed"}'), 400, 'VALIDATION_FAILED', 'mass-assignment');
    expect(fields(mixed).sort()).toEqual(['__proto__: property __proto__ should not exist', 'state: property state should not exist']);
    const entries: { seq: number }[] = (await t.http().get(`/api/audit?documentId=${docId}&category=security`).set(await as('admin'))).body.items;
    const entry = entries.reduce((a, b) => (b.seq > a.seq ? b : a));
    expect(entry).toMatchObject({ action: 'mass-assignment', details: { fields: ['state'] } });
  });

  it('an action the state does not allow is 409 with the allowed actions', async () => {
    const res = await refused(
      async () => t.http().post(`/api/documents/${docId}/actions`).set(await as('drafter')).send({ action: 'record-disclosure', disclosure: { url: 'https://a.gov.cn/x', publishedOn: '2026-01-01' } }),
      409,
      'TRANSITION_NOT_ALLOWED',
      null,
    );
    expect(res.body.details.allowed).toEqual([{ action: 'submit' }, { action: 'edit' }]);
    await refused(async () => t.http().post(`/api/documents/${docId}/actions`).set(await as('drafter')).send({ action: 'approve' }), 409, 'TRANSITION_NOT_ALLOWED', null);
  });

  it('a stale expectedVersion is 409 VERSION_CONFLICT with the current version', async () => {
    const res = await refused(async () => t.http().patch(`/api/documents/${docId}`).set(await as('drafter')).send({ content: 'x', expectedVersion: 7 }), 409, 'VERSION_CONFLICT', null);
    expect(res.body.details).toEqual({ currentVersion: 1 });
    const missing = await refused(async () => t.http().patch(`/api/documents/${docId}`).set(await as('drafter')).send({ content: 'x' }), 400, 'VALIDATION_FAILED', null);
    expect(missing.body.details[0].field).toBe('expectedVersion');
  });

  it("another reviewer's task is 403; a return without a reason is 400; a decided task is 409", async () => {
    const submitted = await t.http().post(`/api/documents/${docId}/actions`).set(await as('drafter')).send({ action: 'submit', expectedVersion: 1 });
    expect(submitted.status).toBe(200);
    legalTask = submitted.body.openTasks[0].id;
    await refused(async () => t.http().post(`/api/tasks/${legalTask}/decision`).set(await as('secretary')).send({ decision: 'approve' }), 403, 'FORBIDDEN', 'access-denied');
    await refused(async () => t.http().post(`/api/tasks/${legalTask}/decision`).set(await as('drafter2')).send({ decision: 'approve' }), 404, 'NOT_FOUND', 'access-denied');
    const counselB = (await t.engine.database.reader.one<{ id: string }>("SELECT id FROM users WHERE username = 'counsel-b'"))!.id;
    await refused(async () => t.http().post(`/api/tasks/${legalTask}/delegate`).set(await as('drafter2')).send({ toUserId: counselB }), 404, 'NOT_FOUND', 'access-denied');
    await refused(async () => t.http().post(`/api/tasks/${legalTask}/add-signer`).set(await as('drafter2')).send({ userId: counselB, position: 'after' }), 404, 'NOT_FOUND', 'access-denied');
    // The change opens the task itself (no read before it): a bad body is still 404 to whoever may not see the task, 400 to whoever may.
    for (const [route, bad] of [['decision', { decision: 42 }], ['delegate', { toUserId: 'not-a-user', bogus: true }], ['add-signer', { position: 'sideways' }]] as const) {
      await refused(async () => t.http().post(`/api/tasks/${legalTask}/${route}`).set(await as('drafter2')).send(bad), 404, 'NOT_FOUND', 'access-denied');
      await refused(async () => t.http().post(`/api/tasks/${legalTask}/${route}`).set(await as('counsel')).send(bad), 400, 'VALIDATION_FAILED', null);
      // An Idempotency-Key is judged (and an answer replayed) only for a caller who may see the task.
      await refused(async () => t.http().post(`/api/tasks/${legalTask}/${route}`).set(await as('drafter2')).set('Idempotency-Key', 'not a key').send(bad), 404, 'NOT_FOUND', 'access-denied');
      await refused(async () => t.http().post(`/api/tasks/${legalTask}/${route}`).set(await as('counsel')).set('Idempotency-Key', 'not a key').send(bad), 400, 'VALIDATION_FAILED', null);
    }
    if (database.url) {
      // PostgreSQL: a caller who may not see the task locks nothing, so their 404 does not wait for a change that holds the document.
      const docOfTask = await t.engine.database.reader.one<{ document_id: string }>('SELECT document_id FROM tasks WHERE id = ?', [legalTask]);
      let probe: Promise<{ status: number }> | undefined;
      const answered = await t.engine.database.transaction(async (sql) => {
        await sql.one('SELECT id FROM documents WHERE id = ? FOR UPDATE', [docOfTask!.document_id]);
        probe = Promise.resolve(t.http().post(`/api/tasks/${legalTask}/decision`).set(await as('drafter2')).send({ decision: 'approve' }));
        return Promise.race([probe.then((r) => r.status), new Promise((resolve) => setTimeout(() => resolve('still waiting for the lock'), 5000))]);
      });
      await probe;
      expect(answered).toBe(404);
    }
    const noReason = await refused(async () => t.http().post(`/api/tasks/${legalTask}/decision`).set(await as('counsel')).send({ decision: 'return' }), 400, 'VALIDATION_FAILED', null);
    expect(noReason.body.details[0].field).toBe('comment');
    await refused(async () => t.http().post(`/api/tasks/${legalTask}/decision`).set(await as('counsel')).send({ decision: 'return', comment: '   ' }), 400, 'VALIDATION_FAILED', null);
    await refused(async () => t.http().post(`/api/tasks/${legalTask}/decision`).set(await as('counsel')).send({ decision: 'reject', comment: '不合法' }), 409, 'TRANSITION_NOT_ALLOWED', null);
    const badTarget = await refused(
      async () => t.http().post(`/api/tasks/${legalTask}/decision`).set(await as('counsel')).send({ decision: 'return', comment: 'x', returnTo: 'office-review' }),
      409,
      'TRANSITION_NOT_ALLOWED',
      null,
    );
    expect(badTarget.body.details.allowed).toEqual([
      { action: 'approve', taskId: legalTask },
      { action: 'return', taskId: legalTask },
      { action: 'delegate', taskId: legalTask },
      { action: 'add-signer', taskId: legalTask },
    ]);
    const supervisorId = (await t.engine.database.reader.one<{ id: string }>("SELECT id FROM users WHERE username = 'supervisor'"))!.id;
    const toSupervisor = await refused(
      async () => t.http().post(`/api/tasks/${legalTask}/delegate`).set(await as('counsel')).send({ toUserId: supervisorId, comment: '请处理' }),
      400,
      'VALIDATION_FAILED',
      null,
    );
    expect(toSupervisor.body.details).toEqual([{ field: 'toUserId', reason: 'must be a user holding legal-counsel in city-sti' }]);

    const approved = await t.http().post(`/api/tasks/${legalTask}/decision`).set(await as('counsel')).send({ decision: 'approve' });
    expect(approved.status).toBe(200);
    const colleagueDone = await t.http().get('/api/tasks?status=done').set(await as('counsel-b'));
    expect(colleagueDone.body.items.map((i: { id: string; decidedBy: string }) => i.id)).toEqual([legalTask]);
    await refused(async () => t.http().post(`/api/tasks/${legalTask}/decision`).set(await as('counsel')).send({ decision: 'approve' }), 409, 'TASK_NOT_OPEN', null);
  });

  it('delegation moves the task to the named colleague, audited; the delegator can no longer decide', async () => {
    const doc = await t.http().get(`/api/documents/${docId}`).set(await as('secretary'));
    expect(doc.body.state).toBe('party-group-review');
    const partyTask = doc.body.openTasks[0].id;
    const users = await t.http().get('/api/users?role=party-secretary').set(await as('secretary'));
    const counselB = users.body.items.find((u: { username: string }) => u.username === 'secretary-b');
    const noComment = await refused(async () => t.http().post(`/api/tasks/${partyTask}/delegate`).set(await as('secretary')).send({ toUserId: counselB.id }), 400, 'VALIDATION_FAILED', null);
    expect(noComment.body.details[0].field).toBe('comment');

    const drafter2 = (await t.engine.database.reader.one<{ id: string }>("SELECT id FROM users WHERE username = 'drafter2'"))!.id;
    await refused(
      async () => t.http().post(`/api/tasks/${partyTask}/delegate`).set(await as('secretary')).send({ toUserId: drafter2, comment: '请代为审议' }),
      400,
      'VALIDATION_FAILED',
      null,
    );
    const delegated = await t.http().post(`/api/tasks/${partyTask}/delegate`).set(await as('secretary')).send({ toUserId: counselB.id, comment: '请代为审议' });
    expect(delegated.status).toBe(200);
    const secretaryUser = (await t.engine.database.reader.one<{ id: string }>("SELECT id FROM users WHERE username = 'secretary'"))!.id;
    expect(delegated.body).toMatchObject({ id: partyTask, assigneeUserId: counselB.id, assigneeRole: 'party-secretary', delegatedFrom: secretaryUser, status: 'open' });
    await refused(async () => t.http().post(`/api/tasks/${partyTask}/decision`).set(await as('secretary')).send({ decision: 'approve' }), 403, 'FORBIDDEN', 'access-denied');
    expect((await t.http().get('/api/tasks').set(await as('secretary'))).body.items).toEqual([]);
    const inbox = await t.http().get('/api/tasks').set(await as('secretary-b'));
    expect(inbox.body.items.map((i: { id: string }) => i.id)).toEqual([partyTask]);
    const decided = await t.http().post(`/api/tasks/${partyTask}/decision`).set(await as('secretary-b')).send({ decision: 'approve' });
    expect(decided.body.state).toBe('office-review');
    const history = await t.http().get(`/api/documents/${docId}/history`).set(await as('supervisor'));
    const secretaryId = (await t.engine.database.reader.one<{ id: string }>("SELECT id FROM users WHERE username = 'secretary'"))!.id;
    expect(history.body.items.slice(-2).map((h: { action: string; actor: object }) => [h.action, h.actor])).toEqual([
      ['delegate', { type: 'user', id: secretaryId, role: 'party-secretary', departmentId: 'city-sti', onBehalfOf: null }],
      ['approve', { type: 'user', id: counselB.id, role: 'party-secretary', departmentId: 'city-sti', onBehalfOf: secretaryId }],
    ]);
  });

  it('payload errors come before role and state checks, and actions take only their own payload', async () => {
    const future = { url: 'https://a.gov.cn/x', publishedOn: '2099-01-01' };
    const early = await refused(async () => t.http().post(`/api/documents/${docId}/actions`).set(await as('counsel')).send({ action: 'record-disclosure', disclosure: future }), 400, 'VALIDATION_FAILED', null);
    expect(early.body.details).toEqual([{ field: 'disclosure.publishedOn', reason: 'must not be in the future' }]);
    const stray = await refused(
      async () => t.http().post(`/api/documents/${docId}/actions`).set(await as('drafter')).send({ action: 'withdraw', disclosure: { url: 'https://evil.example/x', publishedOn: '2020-01-01' } }),
      400,
      'VALIDATION_FAILED',
      null,
    );
    expect(stray.body.details).toEqual([{ field: 'disclosure', reason: '"withdraw" takes no disclosure' }]);
    const edit = await refused(async () => t.http().post(`/api/documents/${docId}/actions`).set(await as('drafter')).send({ action: 'edit' }), 400, 'VALIDATION_FAILED', null);
    expect(edit.body.details[0].field).toBe('action');
    const stale = await refused(async () => t.http().post(`/api/documents/${docId}/actions`).set(await as('drafter')).send({ action: 'submit', expectedVersion: 1 }), 409, 'VERSION_CONFLICT', null);
    expect(stale.body.details.currentVersion).toBeGreaterThan(1);
  });

  it('ids that are malformed or unknown are 404', async () => {
    expect((await t.http().get('/api/documents/not-a-uuid').set(await as('drafter'))).status).toBe(404);
    expect((await t.http().get('/api/documents/0191e4a0-0000-7000-8000-000000000000').set(await as('drafter'))).body.code).toBe('NOT_FOUND');
    // Every route that acts on a task opens it in the change: an unknown or malformed id is 404 on each (a malformed one never reaches PostgreSQL's uuid parsing).
    const valid = { decision: { decision: 'approve' }, delegate: { toUserId: '0191e4a0-0000-7000-8000-000000000001' }, 'add-signer': { userId: '0191e4a0-0000-7000-8000-000000000001', position: 'after' } };
    for (const [route, body] of Object.entries(valid)) {
      for (const id of ['0191e4a0-0000-7000-8000-000000000000', 'not-a-uuid', "1' OR '1'='1"]) {
        const res = await t.http().post(`/api/tasks/${encodeURIComponent(id)}/${route}`).set(await as('counsel')).send(body);
        expect({ route, id, status: res.status, code: res.body.code }).toEqual({ route, id, status: 404, code: 'NOT_FOUND' });
      }
    }
    expect((await t.http().get('/api/chains/annual-report/versions/abc').set(await as('drafter'))).status).toBe(404);
    expect((await t.http().get('/api/chains/annual-report/versions/99999999999').set(await as('drafter'))).status).toBe(404);
    const hugeCursor = Buffer.from('99999999999').toString('base64url');
    expect((await t.http().get(`/api/audit?cursor=${hugeCursor}`).set(await as('admin'))).body.details).toEqual([{ field: 'cursor', reason: 'not a cursor this list gave out' }]);
  });

  it('tokens: missing, tampered, expired, alg none and another secret are 401; anonymous 401s are not chained', async () => {
    const before = (await auditRows()).length;
    const good = await t.token('drafter');
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const header = (alg: string) => Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
    const [head, payload, signature] = good.split('.');
    // Tampered: one bit of the signature flipped (replacing its last characters could leave its bytes as they were:
    // the last base64url character carries padding bits).
    const flipped = Buffer.from(signature!, 'base64url');
    flipped[0]! ^= 1;
    const cases = [
      undefined,
      `${head}.${payload}.${flipped.toString('base64url')}`,
      `${header('none')}.${payload}.`,
      `${header('HS512')}.${payload}.${signature}`,
      signJwt('someone', 'other-secret', now, 3600),
      signJwt(JSON.parse(Buffer.from(payload, 'base64url').toString()).sub, 'test-secret', now - 7200, 3600),
    ];
    for (const token of cases) {
      const req = t.http().get('/api/me');
      const res = await (token ? req.set(bearer(token)) : req);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    }
    expect((await auditRows()).length).toBe(before);
    const me = await t.http().get('/api/me').set(bearer(good));
    expect(me.body).toMatchObject({ username: 'drafter', roles: [{ role: 'drafter', departmentId: 'city-sti' }] });
  });

  it('logins are audited: a wrong password is 401 and a security entry', async () => {
    const before = await auditRows();
    const res = await t.http().post('/api/auth/login').send({ username: 'counsel', password: 'wrong' });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    const unknown = await t.http().post('/api/auth/login').send({ username: 'nobody', password: 'wrong' });
    expect(unknown.status).toBe(401);
    const added = (await auditRows()).slice(before.length);
    expect(added.map((a) => `${a.category}:${a.action}`)).toEqual(['security:login', 'security:login']);
    const entries = await t.http().get('/api/audit?category=security&limit=200').set(await as('admin'));
    expect(entries.body.items.slice(0, 2).map((e: { result: string; details: { username: string } }) => [e.result, e.details.username])).toEqual([
      ['failure', 'nobody'],
      ['failure', 'counsel'],
    ]);
  });

  it('the NUL character is refused in any field, before and after login', async () => {
    const login = await t.http().post('/api/auth/login').send({ username: 'a\u0000b', password: 'x' });
    expect({ status: login.status, details: login.body.details }).toEqual({ status: 400, details: [{ field: 'username', reason: 'must not contain the NUL character' }] });
    const title = await refused(
      async () => t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: 'a\u0000', year: 2027, departmentId: 'city-sti', content: REPORT_OUTLINE }),
      400,
      'VALIDATION_FAILED',
      null,
    );
    expect(title.body.details[0].field).toBe('title');
    expect((await t.http().get('/api/audit?actorId=a%00b').set(await as('admin'))).status).toBe(400);
  });

  it("half of a surrogate pair (no character; PostgreSQL's JSON refuses its escape) is refused in any field, named", async () => {
    const res = await refused(
      async () => t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: '报告\ud83d', year: 2027, departmentId: 'city-sti', content: REPORT_OUTLINE }),
      400,
      'VALIDATION_FAILED',
      null,
    );
    expect(res.body.details).toEqual([{ field: 'title', reason: 'must not contain half of a surrogate pair (not a character)' }]);
    // A whole pair is a character like any other.
    const whole = await t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: '报告\ud83d\ude00', year: 2033, departmentId: 'city-sti', content: REPORT_OUTLINE });
    expect(whole.status).toBe(201);
    expect(whole.body.title).toBe('报告😀');
  });

  it('a route that reads no body or no query refuses them, named, prototype names included', async () => {
    const drafter = await as('drafter');
    const me = await t.http().get('/api/me?constructor=2&foo=3').set(drafter);
    expect({ status: me.status, fields: me.body.details?.map((d: { field: string }) => d.field) }).toEqual({ status: 400, fields: ['constructor', 'foo'] });
    const logout = await t.http().post('/api/auth/logout').set(drafter).send({ __proto__: { admin: true }, x: 1 });
    expect({ status: logout.status, details: logout.body.details }).toEqual({ status: 400, details: [{ field: 'body', reason: 'this route takes no body' }] });
    // Refused, so the session goes on.
    expect((await t.http().get('/api/me').set(drafter)).status).toBe(200);
  });

  it('a body nested deeper than any request is 400, with or without an Idempotency-Key (never a 500)', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    for (const key of [undefined, 'deep-1']) {
      const res = await refused(
        async () => {
          const req = t.http().post('/api/documents').set(await as('drafter'));
          return (key ? req.set('Idempotency-Key', key) : req).set('content-type', 'application/json').send(deep);
        },
        400,
        'VALIDATION_FAILED',
        null,
      );
      expect(res.body.details[0]).toEqual({ field: 'body', reason: 'nested more than 32 levels deep' });
    }
  });

  it('audit time bounds are instants in any zone; nonsense is 400', async () => {
    const now = t.clock.now();
    const inShanghai = new Date(now.getTime() + 8 * 3600_000 - 60_000).toISOString().replace('Z', '+08:00');
    const recent = await t.http().get(`/api/audit?from=${encodeURIComponent(inShanghai)}`).set(await as('admin'));
    expect(recent.status).toBe(200);
    expect(recent.body.items.length).toBeGreaterThan(0);
    expect((await t.http().get('/api/audit?from=2026-W48').set(await as('admin'))).status).toBe(400);
    expect((await t.http().get('/api/audit?from=2026-02-30').set(await as('admin'))).status).toBe(400);
  });

  it('a report without its mandated sections is refused on submit (422), naming what is missing', async () => {
    const partial = REPORT_OUTLINE.split('\n').filter((l) => !l.includes('不足')).join('\n');
    const created = await t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: '缺项', year: 2030, departmentId: 'city-sti', content: partial });
    const before = await auditRows();
    const res = await t.http().post(`/api/documents/${created.body.id}/actions`).set(await as('drafter')).send({ action: 'submit' });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 422, code: 'CONTENT_CHECK_FAILED' });
    expect(res.body.details).toEqual({ missing: [{ key: 'shortcomings', name: { zh: '存在的不足和原因', en: 'Shortcomings and their causes' } }] });
    expect(await auditRows()).toEqual(before);
    expect((await t.http().get(`/api/documents/${created.body.id}`).set(await as('drafter'))).body).toMatchObject({ state: 'draft', version: 1 });
  });

  it('the web UI’s template, untouched (only “（请写明…）” under each heading), is refused on submit naming all four sections', async () => {
    const created = await t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: '模板', year: 2031, departmentId: 'city-sti', content: annualReportTemplate(2031) });
    expect(created.status).toBe(201);
    const before = await auditRows();
    const res = await t.http().post(`/api/documents/${created.body.id}/actions`).set(await as('drafter')).send({ action: 'submit' });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 422, code: 'CONTENT_CHECK_FAILED' });
    expect(res.body.details.missing.map((m: { key: string }) => m.key)).toEqual(['measures', 'first-responsible', 'shortcomings', 'plans']);
    expect(res.body.message).toBe('the document lacks: 主要举措和成效、第一责任人职责履行情况、存在的不足和原因、下一年度主要安排');
    expect(await auditRows()).toEqual(before);
    expect((await t.http().get(`/api/documents/${created.body.id}`).set(await as('drafter'))).body).toMatchObject({ state: 'draft', version: 1 });
  });

  it('only supervisors and admins read the audit log', async () => {
    const res = await t.http().get('/api/audit').set(await as('drafter'));
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    const verify = await t.http().get('/api/audit/verify').set(await as('supervisor'));
    expect(verify.body.ok).toBe(true);
  });
});
