import { REPORT_OUTLINE } from '../support/report-outline.js';
import { bearer, PASSWORD, useApp } from '../support/test-app.js';

interface Entry {
  seq: number;
  category: string;
  action: string;
  result: string;
  departmentId: string | null;
  documentId: string | null;
  actor: { type: string; id: string; role: string | null; departmentId: string | null };
  details: Record<string, any>;
}

/**
 * The organisation over HTTP (issue 18): departments, users, role grants and supervision, changed by
 * global administrators, and by a department's administrators within their department. The first
 * tests are the ways someone could use these routes to escalate their privileges or get around
 * separation of duties; each refusal changes nothing and leaves one security entry.
 */
describe('organisation over HTTP', () => {
  const t = useApp();
  const ids: Record<string, string> = {};
  /** Cached tokens die when their user's roles or state change: these users' are never changed. */
  const as = async (u: string) => bearer(await t.token(u));
  const login = (username: string, password = PASSWORD) => t.http().post('/api/auth/login').send({ username, password });
  const fresh = async (u: string) => bearer((await login(u)).body.accessToken);
  const send = async (user: string, method: 'post' | 'patch' | 'put' | 'delete', path: string, body?: object) => {
    const req = t.http()[method](path).set(await as(user));
    return body ? req.send(body) : req;
  };

  async function head(): Promise<number> {
    return (await t.http().get('/api/audit?limit=1').set(await as('admin'))).body.items[0]?.seq ?? 0;
  }
  async function since(seq: number): Promise<Entry[]> {
    const items = (await t.http().get('/api/audit?limit=200').set(await as('admin'))).body.items as Entry[];
    return items.filter((e) => e.seq > seq).reverse();
  }
  /** Who holds what, which users exist and are enabled, and the departments: what a refusal must leave as it was. */
  async function organisation() {
    const r = t.engine.database.reader;
    return {
      grants: await r.all('SELECT user_id, role, department_id FROM role_grants ORDER BY user_id, role, department_id'),
      users: await r.all('SELECT id, username, display_name, disabled_at, token_epoch FROM users ORDER BY id'),
      departments: await r.all('SELECT id, name, office_id, issuer_code FROM departments ORDER BY id'),
    };
  }

  beforeAll(async () => {
    await t.engine.directory.addDepartment({ id: 'city-justice', name: '市司法局', officeId: 'rule-of-law-office' });
    await t.engine.directory.addDepartment({ id: 'city-water', name: '市水务局', officeId: 'rule-of-law-office' });
    const users: [string, string, string[]][] = [
      ['sti-admin', 'city-sti', ['admin']],
      ['counsel-b', 'city-sti', ['legal-counsel']],
      ['justice-admin', 'city-justice', ['admin']],
      ['justice-admin-2', 'city-justice', ['admin']],
      ['justice-drafter', 'city-justice', ['drafter']],
      ['justice-leader', 'city-justice', ['leader']],
      ['justice-sup', 'city-justice', ['drafter']],
      // city-water: the author of its reports also reviews them legally and is its only leader.
      ['w-admin', 'city-water', ['admin']],
      ['w-author', 'city-water', ['drafter', 'legal-counsel', 'leader']],
      ['w-counsel1', 'city-water', ['legal-counsel']],
      ['w-counsel2', 'city-water', ['legal-counsel']],
    ];
    for (const [username, departmentId, roles] of users) ids[username] = (await t.engine.directory.addUser({ username, password: PASSWORD, departmentId, roles })).id;
    for (const u of ['admin', 'drafter', 'counsel', 'leader', 'supervisor', 'secretary']) ids[u] = (await t.http().get('/api/me').set(await as(u))).body.id;
    // Logged in now: a login is itself a security entry, and the tests count the entries of each request.
    for (const u of ['sti-admin', 'justice-admin-2', 'w-admin']) await t.token(u);
  });

  it('a department administrator cannot widen their own power, reach past their department or touch those who oversee them (403, nothing changes)', async () => {
    const attempts: [string, 'post' | 'patch' | 'put' | 'delete', string, object | undefined][] = [
      ['grants themselves a role that decides their documents', 'post', `/api/users/${ids['sti-admin']}/roles`, { role: 'legal-counsel', departmentId: 'city-sti' }],
      ['grants global admin', 'post', `/api/users/${ids['counsel-b']}/roles`, { role: 'admin' }],
      ['appoints another administrator of their department', 'post', `/api/users/${ids['counsel-b']}/roles`, { role: 'admin', departmentId: 'city-sti' }],
      ['appoints a supervisor of their department', 'post', `/api/users/${ids['counsel-b']}/roles`, { role: 'supervisor', departmentId: 'city-sti' }],
      ['grants a role in another department', 'post', `/api/users/${ids['counsel-b']}/roles`, { role: 'drafter', departmentId: 'city-justice' }],
      ['grants admin to a user of another department', 'post', `/api/users/${ids['justice-drafter']}/roles`, { role: 'admin', departmentId: 'city-justice' }],
      ['disables a user of another department', 'post', `/api/users/${ids['justice-drafter']}/disable`, {}],
      ['renames a user of another department', 'patch', `/api/users/${ids['justice-drafter']}`, { displayName: '改名' }],
      ['takes their supervisor’s role away', 'delete', `/api/users/${ids.supervisor}/roles/supervisor?departmentId=city-sti`, undefined],
      ['ends their supervisor’s supervision', 'put', `/api/users/${ids.supervisor}/supervision`, { departmentIds: [] }],
      ['disables the global administrator', 'post', `/api/users/${ids.admin}/disable`, {}],
      ['disables themselves', 'post', `/api/users/${ids['sti-admin']}/disable`, {}],
      ['re-enables themselves', 'post', `/api/users/${ids['sti-admin']}/enable`, undefined],
      ['moves their department out of its rule-of-law office’s oversight', 'patch', '/api/departments/city-sti', { officeId: null }],
      ['reports their department to another office', 'patch', '/api/departments/city-sti', { officeId: 'city-justice' }],
      ['renames another department', 'patch', '/api/departments/city-justice', { name: '改名' }],
      ['creates a department', 'post', '/api/departments', { id: 'city-new', name: '新局' }],
      ['creates a user in another department', 'post', '/api/users', { username: 'outsider', displayName: '外人', departmentId: 'city-justice', roles: ['drafter'] }],
      ['creates a second administrator account for themselves', 'post', '/api/users', { username: 'sock-admin', displayName: '影子', departmentId: 'city-sti', roles: ['admin'] }],
      ['creates a supervisor of their department', 'post', '/api/users', { username: 'sock-sup', displayName: '影子', departmentId: 'city-sti', roles: ['supervisor'] }],
      // Whoever creates an account knows its first password: accounts of their own could staff every step of a chain.
      ['creates an account in their department (whose first password they would know)', 'post', '/api/users', { username: 'sock-drafter', displayName: '影子', departmentId: 'city-sti', roles: ['drafter'] }],
      ['numbers their department’s documents under another organ’s code', 'patch', '/api/departments/city-sti', { issuerCode: '市政府发' }],
      ['lifts a disabling (a global administrator’s)', 'post', `/api/users/${ids['counsel-b']}/enable`, undefined],
    ];
    const was = await organisation();
    for (const [what, method, path, body] of attempts) {
      const before = await head();
      const res = await send('sti-admin', method, path, body);
      expect({ what, status: res.status, code: res.body.code }).toEqual({ what, status: 403, code: 'FORBIDDEN' });
      const added = await since(before);
      expect({ what, added: added.map((e) => `${e.category}:${e.action}:${e.actor.id === ids['sti-admin']}`) }).toEqual({ what, added: ['security:access-denied:true'] });
    }
    expect(await organisation()).toEqual(was);
  });

  it('nobody but an administrator changes the organisation (403)', async () => {
    const was = await organisation();
    for (const user of ['drafter', 'counsel', 'leader', 'supervisor']) {
      const tries = [
        await send(user, 'post', '/api/departments', { id: 'city-x', name: 'x' }),
        await send(user, 'patch', '/api/departments/city-sti', { name: 'x' }),
        await send(user, 'post', '/api/users', { username: 'x-user', displayName: 'x', departmentId: 'city-sti', roles: ['drafter'] }),
        await send(user, 'post', `/api/users/${ids['counsel-b']}/roles`, { role: 'leader', departmentId: 'city-sti' }),
        await send(user, 'delete', `/api/users/${ids['counsel-b']}/roles/legal-counsel?departmentId=city-sti`),
        await send(user, 'post', `/api/users/${ids['counsel-b']}/disable`, {}),
        await send(user, 'put', `/api/users/${ids['counsel-b']}/supervision`, { departmentIds: ['city-sti'] }),
      ];
      expect({ user, statuses: tries.map((r) => r.status) }).toEqual({ user, statuses: Array(tries.length).fill(403) });
    }
    expect(await organisation()).toEqual(was);
  });

  it('nobody changes their own account, not even a global administrator: no role that decides, no lifting their own disabling (403)', async () => {
    const was = await organisation();
    const tries = [
      await send('admin', 'post', `/api/users/${ids.admin}/roles`, { role: 'legal-counsel', departmentId: 'city-sti' }),
      await send('admin', 'delete', `/api/users/${ids.admin}/roles/admin`),
      await send('admin', 'put', `/api/users/${ids.admin}/supervision`, { departmentIds: ['city-sti'] }),
      await send('admin', 'post', `/api/users/${ids.admin}/disable`, {}),
      await send('admin', 'post', `/api/users/${ids.admin}/enable`),
      await send('admin', 'patch', `/api/users/${ids.admin}`, { displayName: '超级管理员' }),
    ];
    expect(tries.map((r) => [r.status, r.body.code])).toEqual(Array(tries.length).fill([403, 'FORBIDDEN']));
    expect(await organisation()).toEqual(was);
  });

  it('a disabled department administrator stays out: their tokens end, and no other department administrator lets them back in', async () => {
    const token = await fresh('justice-admin');
    expect((await t.http().get('/api/me').set(token)).status).toBe(200);
    // Only a global administrator changes an administrator's account.
    expect((await send('justice-admin-2', 'post', `/api/users/${ids['justice-admin']}/disable`, {})).status).toBe(403);
    const disabled = await send('admin', 'post', `/api/users/${ids['justice-admin']}/disable`, { comment: '调离' });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ id: ids['justice-admin'], disabled: true, changed: true, tasks: { reassigned: [], unassigned: [] } });
    expect((await t.http().get('/api/me').set(token)).status).toBe(401);
    expect((await login('justice-admin')).status).toBe(401);
    expect((await send('justice-admin-2', 'post', `/api/users/${ids['justice-admin']}/enable`)).status).toBe(403);
    expect((await login('justice-admin')).status).toBe(401);
    // Disabling again changes nothing.
    expect((await send('admin', 'post', `/api/users/${ids['justice-admin']}/disable`, {})).body).toMatchObject({ changed: false });
    const enabled = await send('admin', 'post', `/api/users/${ids['justice-admin']}/enable`);
    expect(enabled.body).toEqual({ id: ids['justice-admin'], username: 'justice-admin', disabled: false, changed: true });
    expect((await t.http().get('/api/me').set(token)).status).toBe(401);
    expect((await login('justice-admin')).status).toBe(200);
  });

  it('a department never loses the last leader who can act: not disabled, demoted or made a supervisor (409), whoever asks', async () => {
    const was = await organisation();
    const refusals = [
      await send('admin', 'post', `/api/users/${ids['justice-leader']}/disable`, {}),
      await send('justice-admin-2', 'post', `/api/users/${ids['justice-leader']}/disable`, {}),
      await send('justice-admin-2', 'delete', `/api/users/${ids['justice-leader']}/roles/leader?departmentId=city-justice`),
      await send('admin', 'post', `/api/users/${ids['justice-leader']}/roles`, { role: 'supervisor', departmentId: 'rule-of-law-office' }),
      await send('admin', 'put', `/api/users/${ids['justice-leader']}/supervision`, { departmentIds: ['city-justice'] }),
    ];
    for (const res of refusals) {
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'CONFLICT', details: { rule: 'last-leader', departmentId: 'city-justice' } });
    }
    expect(await organisation()).toEqual(was);
    // With a second leader, the first may go.
    expect((await send('justice-admin-2', 'post', `/api/users/${ids['justice-drafter']}/roles`, { role: 'leader', departmentId: 'city-justice' })).status).toBe(201);
    expect((await send('admin', 'delete', `/api/users/${ids['justice-leader']}/roles/leader?departmentId=city-justice`)).status).toBe(200);
    expect((await send('justice-admin-2', 'delete', `/api/users/${ids['justice-drafter']}/roles/leader?departmentId=city-justice`)).status).toBe(409);
  });

  it('two administrators taking a department’s two leaders away at once: one succeeds, the other is 409 (the department keeps one)', async () => {
    expect((await send('admin', 'post', '/api/departments', { id: 'city-race', name: '竞态局' })).status).toBe(201);
    const [a, b] = await Promise.all(
      ['race-leader-a', 'race-leader-b'].map(async (username) => (await send('admin', 'post', '/api/users', { username, displayName: username, departmentId: 'city-race', roles: ['leader'] })).body.id as string),
    );
    for (let round = 0; round < 5; round++) {
      const [first, second] = await Promise.all([send('admin', 'post', `/api/users/${a}/disable`, {}), send('admin', 'delete', `/api/users/${b}/roles/leader?departmentId=city-race`)]);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      const leaders = await t.engine.database.reader.all(
        "SELECT g.user_id FROM role_grants g JOIN users u ON u.id = g.user_id WHERE g.role = 'leader' AND g.department_id = 'city-race' AND u.disabled_at IS NULL",
      );
      expect(leaders).toHaveLength(1);
      // Put both back for the next round.
      if (first.status === 200) expect((await send('admin', 'post', `/api/users/${a}/enable`)).status).toBe(200);
      else expect((await send('admin', 'post', `/api/users/${b}/roles`, { role: 'leader', departmentId: 'city-race' })).status).toBe(201);
    }
  });

  it('departments: created by global administrators (409 on a duplicate, 400 naming the field), renamed by their own administrators; each change audited with before and after', async () => {
    const before = await head();
    const created = await send('admin', 'post', '/api/departments', { id: 'city-audit', name: '市审计局', officeId: 'rule-of-law-office', issuerCode: '市审计发' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: 'city-audit', name: '市审计局', officeId: 'rule-of-law-office', issuerCode: '市审计发' });
    expect((await send('admin', 'post', '/api/departments', { id: 'city-audit', name: '又一个' })).body).toMatchObject({ statusCode: 409, code: 'CONFLICT' });
    const bad: [object, string][] = [
      [{ id: 'City Audit', name: 'x' }, 'id'],
      [{ id: 'city-y', name: '   ' }, 'name'],
      [{ id: 'city-y', name: 'x', officeId: 'nowhere' }, 'officeId'],
      [{ id: 'city-y', name: 'x', officeId: 'city-y' }, 'officeId'],
      [{ id: 'city-y' }, 'name'],
    ];
    for (const [body, field] of bad) {
      const res = await send('admin', 'post', '/api/departments', body);
      expect({ body, status: res.status, fields: res.body.details?.map((d: { field: string }) => d.field) }).toEqual({ body, status: 400, fields: [field] });
    }
    expect((await t.http().get('/api/departments').set(await as('drafter'))).body.items.map((d: { id: string }) => d.id)).toContain('city-audit');

    const renamed = await send('sti-admin', 'patch', '/api/departments/city-sti', { name: '市科学技术局' });
    expect(renamed.body).toEqual({ id: 'city-sti', name: '市科学技术局', officeId: 'rule-of-law-office', issuerCode: '市科技局发' });
    expect((await send('admin', 'patch', '/api/departments/city-sti', { issuerCode: '市科发' })).body).toEqual({ id: 'city-sti', name: '市科学技术局', officeId: 'rule-of-law-office', issuerCode: '市科发' });
    expect((await send('admin', 'patch', '/api/departments/city-audit', { officeId: null, issuerCode: null })).body).toEqual({ id: 'city-audit', name: '市审计局', officeId: null, issuerCode: null });
    expect((await send('admin', 'patch', '/api/departments/city-sti', { officeId: 'city-sti' })).body.details).toEqual([{ field: 'officeId', reason: 'a department does not report to itself' }]);
    expect((await send('admin', 'patch', '/api/departments/no-such', { name: 'x' })).status).toBe(404);
    expect((await send('admin', 'patch', '/api/departments/city-audit', { issuerCode: '市审\u202e发' })).body.details).toEqual([
      { field: 'issuerCode', reason: 'issuerCode must not contain control, format, invisible or bidirectional characters (U+202E)' },
    ]);

    const entries = (await since(before)).filter((e) => e.category === 'configuration');
    expect(entries.map((e) => [e.action, e.departmentId, e.actor.id, e.actor.role, e.actor.departmentId])).toEqual([
      ['create-department', 'city-audit', ids.admin, 'admin', null],
      ['update-department', 'city-sti', ids['sti-admin'], 'admin', 'city-sti'],
      ['update-department', 'city-sti', ids.admin, 'admin', null],
      ['update-department', 'city-audit', ids.admin, 'admin', null],
    ]);
    expect(entries[0].details).toEqual({ departmentId: 'city-audit', before: null, after: { id: 'city-audit', name: '市审计局', officeId: 'rule-of-law-office', issuerCode: '市审计发' } });
    expect(entries[1].details).toEqual({
      departmentId: 'city-sti',
      before: { id: 'city-sti', name: expect.stringContaining('市科技局'), officeId: 'rule-of-law-office', issuerCode: '市科技局发' },
      after: { id: 'city-sti', name: '市科学技术局', officeId: 'rule-of-law-office', issuerCode: '市科技局发' },
    });
  });

  it('users: created with a password the user must replace at first login (one-time, answered once); renamed; a duplicate username is 409', async () => {
    const before = await head();
    const created = await send('admin', 'post', '/api/users', { username: 'counsel-new', displayName: '新法律顾问', departmentId: 'city-sti', roles: ['legal-counsel'] });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), username: 'counsel-new', displayName: '新法律顾问', roles: [{ role: 'legal-counsel', departmentId: 'city-sti' }], oneTimePassword: expect.stringMatching(/^\S{16}$/) });
    const otp = created.body.oneTimePassword;
    ids['counsel-new'] = created.body.id;

    const first = await login('counsel-new', otp);
    expect(first.status).toBe(403);
    expect(first.body).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED' });
    expect(first.body.accessToken).toBeUndefined();
    const weak = await t.http().post('/api/auth/password').send({ username: 'counsel-new', password: otp, newPassword: 'counsel-new-2026' });
    expect(weak.body).toMatchObject({ statusCode: 400, details: [{ field: 'newPassword', reason: 'must not contain the username' }] });
    expect((await t.http().post('/api/auth/password').send({ username: 'counsel-new', password: 'not-the-otp-at-all', newPassword: 'amber-kettle-sunrise' })).status).toBe(401);
    const changed = await t.http().post('/api/auth/password').send({ username: 'counsel-new', password: otp, newPassword: 'amber-kettle-sunrise' });
    expect(changed.status).toBe(200);
    expect(changed.body.user).toMatchObject({ username: 'counsel-new', roles: [{ role: 'legal-counsel', departmentId: 'city-sti' }] });
    expect((await t.http().get('/api/tasks').set(bearer(changed.body.accessToken))).status).toBe(200);
    expect((await login('counsel-new', otp)).status).toBe(401);
    expect((await login('counsel-new', 'amber-kettle-sunrise')).status).toBe(200);

    // A password the administrator chose is held to the policy, and replaced at first login all the same.
    expect((await send('admin', 'post', '/api/users', { username: 'x-weak', displayName: 'x', password: 'password1234', departmentId: 'city-sti', roles: ['drafter'] })).body.details).toEqual([
      { field: 'password', reason: 'is too common: it is on the list of passwords people choose first' },
    ]);
    const chosen = await send('admin', 'post', '/api/users', { username: 'global-admin-2', displayName: '第二管理员', password: 'harbour-lilac-ninety', roles: ['admin'] });
    expect(chosen.status).toBe(201);
    expect(chosen.body.oneTimePassword).toBeUndefined();
    expect(chosen.body.roles).toEqual([{ role: 'admin', departmentId: null }]);
    expect((await login('global-admin-2', 'harbour-lilac-ninety')).body.code).toBe('PASSWORD_CHANGE_REQUIRED');

    expect((await send('admin', 'post', '/api/users', { username: 'counsel-new', displayName: '重名' })).body).toMatchObject({ statusCode: 409, code: 'CONFLICT' });
    const refused: [string, object, string][] = [
      ['admin', { username: 'x y', displayName: 'x' }, 'username'],
      ['admin', { username: 'no-dept', displayName: 'x', roles: ['drafter'] }, 'departmentId'],
      ['admin', { username: 'bad-role', displayName: 'x', departmentId: 'city-sti', roles: ['janitor'] }, 'roles'],
      ['admin', { username: 'bad-dept', displayName: 'x', departmentId: 'nowhere', roles: ['drafter'] }, 'departmentId'],
      ['admin', { username: 'no-name' }, 'displayName'],
      ['admin', { username: 'null-password', displayName: 'x', password: null }, 'password'],
      // A name must show what it is: a bidi override, or zero-width spaces only, would pass for another name or none.
      ['admin', { username: 'bidi-name', displayName: 'admin\u202enimda', departmentId: 'city-sti', roles: ['drafter'] }, 'displayName'],
      ['admin', { username: 'blank-name', displayName: '\u200b\u200b', departmentId: 'city-sti', roles: ['drafter'] }, 'displayName'],
    ];
    for (const [user, body, field] of refused) {
      const res = await send(user, 'post', '/api/users', body);
      expect({ body, status: res.status, fields: res.body.details?.map((d: { field: string }) => d.field) }).toEqual({ body, status: 400, fields: [field] });
    }

    expect((await send('sti-admin', 'patch', `/api/users/${ids['counsel-new']}`, { displayName: '法律顾问（新）' })).body).toEqual({ id: ids['counsel-new'], username: 'counsel-new', displayName: '法律顾问（新）' });
    expect((await send('sti-admin', 'patch', `/api/users/${ids['counsel-new']}`, { displayName: ' ' })).body.details).toEqual([{ field: 'displayName', reason: 'displayName must not be blank' }]);
    expect((await send('admin', 'patch', '/api/users/not-a-uuid', { displayName: 'x' })).status).toBe(404);

    const entries = (await since(before)).filter((e) => e.category === 'configuration' && e.action !== 'change-password');
    expect(entries.map((e) => [e.action, e.actor.id, e.departmentId])).toEqual([
      ['create-user', ids.admin, 'city-sti'],
      ['create-user', ids.admin, null],
      ['update-user', ids['sti-admin'], 'city-sti'],
    ]);
    expect(entries[0].details).toEqual({
      userId: ids['counsel-new'],
      username: 'counsel-new',
      before: null,
      after: { username: 'counsel-new', displayName: '新法律顾问', roles: [{ role: 'legal-counsel', departmentId: 'city-sti' }], disabled: false, passwordChangeRequired: true },
    });
    expect(JSON.stringify(await since(before))).not.toContain(otp);
    expect(entries[2].details).toEqual({ userId: ids['counsel-new'], username: 'counsel-new', before: { displayName: '新法律顾问' }, after: { displayName: '法律顾问（新）' } });
    const logins = (await since(before)).filter((e) => e.action === 'login' || e.action === 'change-password').map((e) => [e.action, e.result, e.details.reason ?? null]);
    expect(logins[0]).toEqual(['login', 'denied', 'password-change-required']);
    expect(logins).toContainEqual(['change-password', 'success', null]);
  });

  it('the user list: filtered by department, role and enabled state, keyset-paged; each caller sees the users of their departments', async () => {
    const all: { id: string; username: string; disabled: boolean }[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: typeof all; nextCursor: string | null } } = await t.http().get(`/api/users?limit=3${cursor ? `&cursor=${cursor}` : ''}`).set(await as('admin'));
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      all.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    const count = Number((await t.engine.database.reader.one<{ n: number }>('SELECT COUNT(*) AS n FROM users'))!.n);
    expect(all.length).toBe(count);
    expect(new Set(all.map((u) => u.id)).size).toBe(count);
    expect(all.map((u) => u.id)).toEqual([...all.map((u) => u.id)].sort());

    const names = async (user: string, query: string) => (await t.http().get(`/api/users?${query}`).set(await as(user))).body.items.map((u: { username: string }) => u.username).sort();
    expect(await names('admin', 'departmentId=city-water')).toEqual(['w-admin', 'w-author', 'w-counsel1', 'w-counsel2']);
    expect(await names('admin', 'departmentId=city-water&role=legal-counsel')).toEqual(['w-author', 'w-counsel1', 'w-counsel2']);
    expect(await send('admin', 'post', `/api/users/${ids['w-counsel2']}/disable`, {}).then((r) => r.status)).toBe(200);
    expect(await names('admin', 'departmentId=city-water&enabled=false')).toEqual(['w-counsel2']);
    expect(await names('admin', 'departmentId=city-water&enabled=true')).toEqual(['w-admin', 'w-author', 'w-counsel1']);
    expect((await send('admin', 'post', `/api/users/${ids['w-counsel2']}/enable`)).status).toBe(200);
    // A department's administrator and its users see its users, not another department's.
    expect(await names('w-admin', '')).toEqual(['w-admin', 'w-author', 'w-counsel1', 'w-counsel2']);
    expect(await names('w-author', 'departmentId=city-sti')).toEqual([]);
    const one = await t.http().get(`/api/users/${ids['w-counsel1']}`).set(await as('w-admin'));
    expect(one.body).toEqual({ id: ids['w-counsel1'], username: 'w-counsel1', displayName: 'w-counsel1', roles: [{ role: 'legal-counsel', departmentId: 'city-water' }], disabled: false });
    expect((await t.http().get(`/api/users/${ids['w-counsel1']}`).set(await as('drafter'))).status).toBe(404);
    expect((await t.http().get('/api/users?cursor=bm90LWEtdXVpZA').set(await as('admin'))).body.details).toEqual([{ field: 'cursor', reason: 'not a cursor this list gave out' }]);
    expect((await t.http().get('/api/users?enabled=yes').set(await as('admin'))).status).toBe(400);
  });

  it('disabling a user ends their sessions and hands their open tasks to someone the rules let decide them, never the author', async () => {
    // A report by w-author (who also holds legal-counsel): its legal review delegated to w-counsel2.
    const author = await fresh('w-author');
    const report = await t.http().post('/api/documents').set(author).send({ chain: 'annual-report', title: '水务局2030年报告', year: 2030, departmentId: 'city-water', content: REPORT_OUTLINE });
    await t.http().post(`/api/documents/${report.body.id}/actions`).set(author).send({ action: 'submit' });
    const roleTask = (await t.http().get(`/api/documents/${report.body.id}`).set(author)).body.openTasks[0];
    const delegated = await t.http().post(`/api/tasks/${roleTask.id}/delegate`).set(await fresh('w-counsel1')).send({ toUserId: ids['w-counsel2'], comment: '请办理' });
    expect(delegated.status).toBe(200);
    // A document whose review names w-counsel2 in person: a seat nobody named may decide goes to the leader (w-author, its author).
    const chain = {
      key: 'named-review',
      name: { zh: '指定审核', en: 'Named review' },
      initial: 'draft',
      steps: [
        { key: 'draft', name: { zh: '起草', en: 'Draft' }, editable: true, transitions: [{ action: 'submit', to: 'review', by: { role: 'drafter', department: 'document' } }] },
        { key: 'review', name: { zh: '审核', en: 'Review' }, assignees: [{ userId: ids['w-counsel2'] }], transitions: [{ action: 'approve', to: 'done' }] },
        { key: 'done', name: { zh: '完成', en: 'Done' }, final: true, transitions: [] },
      ],
    };
    expect((await send('admin', 'post', '/api/chains', chain)).status).toBe(201);
    const named = await t.http().post('/api/documents').set(author).send({ chain: 'named-review', title: '指定审核件', year: 2026, departmentId: 'city-water', content: '正文' });
    const submitted = await t.http().post(`/api/documents/${named.body.id}/actions`).set(author).send({ action: 'submit' });
    const namedTask = submitted.body.openTasks[0];
    expect(namedTask).toMatchObject({ assigneeUserId: ids['w-counsel2'], assigneeRole: null });

    const token = await fresh('w-counsel2');
    const before = await head();
    const res = await send('admin', 'post', `/api/users/${ids['w-counsel2']}/disable`, { comment: '离职' });
    expect(res.status).toBe(200);
    // w-author holds legal-counsel and comes first, but wrote the report; w-counsel1 may take it. The named seat's only leader is its author.
    expect(res.body).toEqual({
      id: ids['w-counsel2'],
      username: 'w-counsel2',
      disabled: true,
      changed: true,
      tasks: {
        reassigned: [{ taskId: roleTask.id, documentId: report.body.id, stepKey: 'legal-review', toUserId: ids['w-counsel1'] }],
        unassigned: [
          {
            taskId: namedTask.id,
            documentId: named.body.id,
            stepKey: 'review',
            reason: 'nobody who may decide it can take it',
            refused: [{ userId: ids['w-author'], code: 'SEPARATION_OF_DUTIES', rule: 'author-decides' }],
          },
        ],
      },
    });
    // One configuration entry, the transition, and on the named document the hand-on that failed: trying w-author was no refused request of anyone's.
    const added = await since(before);
    expect(added.map((e) => `${e.category}:${e.action}:${e.result}:${e.documentId}`)).toEqual([
      'configuration:disable-user:success:null',
      `transition:reassign:success:${report.body.id}`,
      `transition:reassign:failure:${named.body.id}`,
    ]);
    expect(added[0]).toMatchObject({ departmentId: 'city-water', actor: { id: ids.admin, role: 'admin' }, details: { userId: ids['w-counsel2'], before: { disabled: false }, after: { disabled: true }, comment: '离职' } });
    // The system hands it on (whom is the kernel's choice, not the administrator's), naming the act and who did it.
    expect(added[1]).toMatchObject({
      documentId: report.body.id,
      actor: { type: 'system', id: 'organisation' },
      details: { delegateTo: ids['w-counsel1'], taskId: roleTask.id, comment: '离职', handOn: { cause: 'disable-user', userId: ids['w-counsel2'], by: { type: 'user', id: ids.admin, role: 'admin' } } },
    });
    expect((await t.http().get('/api/me').set(token)).status).toBe(401);
    expect((await login('w-counsel2')).status).toBe(401);
    const reassigned = (await t.http().get(`/api/documents/${report.body.id}`).set(author)).body.openTasks[0];
    expect(reassigned).toMatchObject({ id: roleTask.id, assigneeRole: 'legal-counsel', assigneeUserId: ids['w-counsel1'], delegatedFrom: ids['w-counsel2'] });

    // Nobody hands work to a disabled user: neither 离职交接 nor an out-of-office window.
    expect((await send('admin', 'post', `/api/users/${ids['w-counsel1']}/reassign-tasks`, { toUserId: ids['w-counsel2'] })).body.details).toEqual([{ field: 'toUserId', reason: 'the user is disabled' }]);
    const window = { substituteId: ids['w-counsel2'], startsAt: '2026-03-01T00:00:00Z', endsAt: '2026-03-05T00:00:00Z' };
    expect((await t.http().post('/api/me/proxies').set(await fresh('w-counsel1')).send(window)).body.details).toEqual([{ field: 'substituteId', reason: 'the user is disabled' }]);

    // A department administrator's disabling hands on the same way: here only the author holds the role still, and may not take it.
    const byDept = await send('w-admin', 'post', `/api/users/${ids['w-counsel1']}/disable`, {});
    expect(byDept.body.tasks).toEqual({
      reassigned: [],
      unassigned: [
        {
          taskId: roleTask.id,
          documentId: report.body.id,
          stepKey: 'legal-review',
          reason: 'nobody who may decide it can take it',
          refused: [{ userId: ids['w-author'], code: 'SEPARATION_OF_DUTIES', rule: 'author-decides' }],
        },
      ],
    });
    expect((await send('w-admin', 'post', `/api/users/${ids['w-counsel1']}/enable`)).status).toBe(403);
    expect((await send('admin', 'post', `/api/users/${ids['w-counsel1']}/enable`)).status).toBe(200);
    // Once there is a leader who did not write it, disabling again hands the named task on.
    expect((await send('admin', 'post', `/api/users/${ids['w-counsel1']}/roles`, { role: 'leader', departmentId: 'city-water' })).status).toBe(201);
    const again = await send('admin', 'post', `/api/users/${ids['w-counsel2']}/disable`, {});
    expect(again.body).toMatchObject({ changed: false, tasks: { reassigned: [{ taskId: namedTask.id, toUserId: ids['w-counsel1'] }], unassigned: [] } });
  });

  it('role grants and revocations: 201, 409 on a duplicate, 404 when not held, 400 naming the field; the user’s sessions end; the tasks of a role taken away are handed on', async () => {
    const grantee = (await t.engine.directory.addUser({ username: 'grantee', password: PASSWORD, departmentId: 'city-sti', roles: ['drafter'] })).id;
    const token = await fresh('grantee');
    const before = await head();
    const granted = await send('sti-admin', 'post', `/api/users/${grantee}/roles`, { role: 'legal-counsel', departmentId: 'city-sti' });
    expect(granted.status).toBe(201);
    expect(granted.body).toEqual({ userId: grantee, role: 'legal-counsel', departmentId: 'city-sti', roles: [{ role: 'drafter', departmentId: 'city-sti' }, { role: 'legal-counsel', departmentId: 'city-sti' }] });
    expect((await t.http().get('/api/me').set(token)).status).toBe(401);
    expect((await send('sti-admin', 'post', `/api/users/${grantee}/roles`, { role: 'legal-counsel', departmentId: 'city-sti' })).body).toMatchObject({ statusCode: 409, code: 'CONFLICT' });
    const bad: [object, string][] = [
      [{ role: 'janitor', departmentId: 'city-sti' }, 'role'],
      [{ role: 'drafter' }, 'departmentId'],
      [{ role: 'drafter', departmentId: 'nowhere' }, 'departmentId'],
      [{ role: 'drafter', departmentId: 'city-sti', userId: ids.admin }, 'userId'],
    ];
    for (const [body, field] of bad) {
      const res = await send('admin', 'post', `/api/users/${grantee}/roles`, body);
      expect({ body, status: res.status, fields: res.body.details?.map((d: { field: string }) => d.field) }).toEqual({ body, status: 400, fields: [field] });
    }

    // The grantee holds a report's legal review by name (delegated); taking legal-counsel away hands it on.
    const drafter = await as('drafter');
    const doc = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: '授权测试', year: 2031, departmentId: 'city-sti', content: REPORT_OUTLINE });
    const task = (await t.http().post(`/api/documents/${doc.body.id}/actions`).set(drafter).send({ action: 'submit' })).body.openTasks[0];
    expect((await t.http().post(`/api/tasks/${task.id}/delegate`).set(await as('counsel')).send({ toUserId: grantee, comment: '请办理' })).status).toBe(200);
    const revoked = await send('admin', 'delete', `/api/users/${grantee}/roles/legal-counsel?departmentId=city-sti`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ userId: grantee, roles: [{ role: 'drafter', departmentId: 'city-sti' }], tasks: { reassigned: [{ taskId: task.id }], unassigned: [] } });
    expect(revoked.body.tasks.reassigned[0].toUserId).not.toBe(grantee);
    expect((await send('admin', 'delete', `/api/users/${grantee}/roles/legal-counsel?departmentId=city-sti`)).status).toBe(404);
    // A department administrator does not take a user's last role (they would lose sight of them): they disable instead.
    const last = await send('sti-admin', 'delete', `/api/users/${grantee}/roles/drafter?departmentId=city-sti`);
    expect([last.status, last.body.details]).toEqual([409, { rule: 'last-role' }]);
    expect((await send('admin', 'delete', `/api/users/${grantee}/roles/janitor?departmentId=city-sti`)).body.details).toEqual([{ field: 'role', reason: 'unknown role: janitor' }]);

    const entries = (await since(before)).filter((e) => e.category === 'configuration');
    expect(entries.map((e) => [e.action, e.actor.id, e.actor.departmentId, e.departmentId])).toEqual([
      ['grant-role', ids['sti-admin'], 'city-sti', 'city-sti'],
      ['revoke-role', ids.admin, null, 'city-sti'],
    ]);
    expect(entries[1].details).toEqual({
      userId: grantee,
      username: 'grantee',
      role: 'legal-counsel',
      departmentId: 'city-sti',
      before: [{ role: 'drafter', departmentId: 'city-sti' }, { role: 'legal-counsel', departmentId: 'city-sti' }],
      after: [{ role: 'drafter', departmentId: 'city-sti' }],
    });
  });

  it('supervision: a global administrator sets whom a supervisor oversees, audited with the departments before and after', async () => {
    const before = await head();
    const set = await send('admin', 'put', `/api/users/${ids['justice-sup']}/supervision`, { departmentIds: ['rule-of-law-office'] });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ userId: ids['justice-sup'], departmentIds: ['rule-of-law-office'], oversees: expect.arrayContaining(['rule-of-law-office', 'city-sti', 'city-justice', 'city-water']), tasks: { reassigned: [], unassigned: [] } });
    expect((await t.http().get('/api/audit?departmentId=city-sti&limit=1').set(await fresh('justice-sup'))).status).toBe(200);
    expect((await send('admin', 'put', `/api/users/${ids['justice-sup']}/supervision`, { departmentIds: ['nowhere'] })).body.details).toEqual([{ field: 'departmentIds[0]', reason: 'no department "nowhere"' }]);
    const ended = await send('admin', 'put', `/api/users/${ids['justice-sup']}/supervision`, { departmentIds: [] });
    expect(ended.body).toEqual({ userId: ids['justice-sup'], departmentIds: [], oversees: [] });
    expect((await t.http().get('/api/audit?limit=1').set(await fresh('justice-sup'))).status).toBe(403);
    const entries = (await since(before)).filter((e) => e.category === 'configuration');
    expect(entries.map((e) => [e.action, e.details.before, e.details.after])).toEqual([
      ['set-supervision', [], ['rule-of-law-office']],
      ['set-supervision', ['rule-of-law-office'], []],
    ]);
  });

  it('two administrators changing one user at once take turns: each change starts from what the other left', async () => {
    const before = await head();
    const [a, b] = await Promise.all([
      send('admin', 'put', `/api/users/${ids['justice-sup']}/supervision`, { departmentIds: ['city-sti'] }),
      send('admin', 'put', `/api/users/${ids['justice-sup']}/supervision`, { departmentIds: ['city-justice'] }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const entries = (await since(before)).filter((e) => e.action === 'set-supervision').map((e) => e.details as { before: string[]; after: string[] });
    // Not the union of both (each computed from the same before): the second saw the first's after.
    expect(entries).toHaveLength(2);
    expect(entries[1].before).toEqual(entries[0].after);
    const held = (await t.http().get(`/api/users/${ids['justice-sup']}`).set(await as('admin'))).body.roles.filter((g: { role: string }) => g.role === 'supervisor');
    expect(held.map((g: { departmentId: string }) => g.departmentId)).toEqual(entries[1].after);
    await send('admin', 'put', `/api/users/${ids['justice-sup']}/supervision`, { departmentIds: [] });
  });

  it('making a reviewer a supervisor hands on the tasks they hold by name: their new role does not stop the hand-over', async () => {
    ids['counsel-c'] = (await t.engine.directory.addUser({ username: 'counsel-c', password: PASSWORD, departmentId: 'city-sti', roles: ['legal-counsel'] })).id;
    const drafter = await fresh('drafter');
    const doc = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: '科技局2041年报告', year: 2041, departmentId: 'city-sti', content: REPORT_OUTLINE });
    await t.http().post(`/api/documents/${doc.body.id}/actions`).set(drafter).send({ action: 'submit' });
    const task = (await t.http().get(`/api/documents/${doc.body.id}`).set(drafter)).body.openTasks[0];
    expect((await t.http().post(`/api/tasks/${task.id}/delegate`).set(await fresh('counsel')).send({ toUserId: ids['counsel-c'], comment: '请办理' })).status).toBe(200);
    const made = await send('admin', 'put', `/api/users/${ids['counsel-c']}/supervision`, { departmentIds: ['city-justice'] });
    expect(made.status).toBe(200);
    expect(made.body.tasks.unassigned).toEqual([]);
    expect(made.body.tasks.reassigned).toEqual([{ taskId: task.id, documentId: doc.body.id, stepKey: 'legal-review', toUserId: expect.any(String) }]);
    expect(made.body.tasks.reassigned[0].toUserId).not.toBe(ids['counsel-c']);
  });

  /** A department of its own for a test, with its users (username → roles there); answers their ids. */
  async function departmentWith(id: string, users: [string, string[]][]) {
    await t.engine.directory.addDepartment({ id, name: id, officeId: 'rule-of-law-office' });
    for (const [username, roles] of users) ids[username] = (await t.engine.directory.addUser({ username, password: PASSWORD, departmentId: id, roles: roles as never })).id;
  }
  /** A report of `department` by `author`, submitted: its legal review delegated by `from` to `to`, who now holds it by name. */
  async function reportHeldBy(department: string, year: number, author: string, from: string, to: string) {
    const writer = await fresh(author);
    const report = await t.http().post('/api/documents').set(writer).send({ chain: 'annual-report', title: `${department} ${year}年报告`, year, departmentId: department, content: REPORT_OUTLINE });
    expect(report.status).toBe(201);
    const task = (await t.http().post(`/api/documents/${report.body.id}/actions`).set(writer).send({ action: 'submit' })).body.openTasks[0];
    expect((await t.http().post(`/api/tasks/${task.id}/delegate`).set(await fresh(from)).send({ toUserId: ids[to], comment: '请办理' })).status).toBe(200);
    return { documentId: report.body.id as string, taskId: task.id as string };
  }
  const holderOf = async (documentId: string, taskId: string) =>
    (await t.engine.database.reader.one<{ assignee_user_id: string }>('SELECT assignee_user_id FROM tasks WHERE id = ? AND document_id = ?', [taskId, documentId]))!.assignee_user_id;
  const notificationsOf = async (user: string, kind: string) =>
    ((await t.http().get('/api/notifications?limit=100').set(await fresh(user))).body.items as { kind: string; documentId: string; taskId: string; message: string }[]).filter((n) => n.kind === kind);

  it('a department administrator’s disabling hands the open tasks on as a global administrator’s does: the system chooses, the kernel judges, the new holder decides; audited naming who disabled', async () => {
    await departmentWith('city-lake', [
      ['l-admin', ['admin']],
      ['l-author', ['drafter']],
      ['l-leader', ['leader']],
      ['l-c1', ['legal-counsel']],
      ['l-c2', ['legal-counsel']],
      ['l-c4', ['drafter', 'legal-counsel']],
    ]);
    const held = await reportHeldBy('city-lake', 2032, 'l-author', 'l-c1', 'l-c2');
    // The department administrator still neither reassigns by hand nor names whom the tasks go to.
    expect((await send('l-admin', 'post', `/api/users/${ids['l-c2']}/reassign-tasks`, { toUserId: ids['l-c1'] })).status).toBe(403);
    const chosen = await send('l-admin', 'post', `/api/users/${ids['l-c2']}/disable`, { toUserId: ids['l-c1'] });
    expect([chosen.status, chosen.body.details]).toEqual([400, [expect.objectContaining({ field: 'toUserId' })]]);
    expect(await holderOf(held.documentId, held.taskId)).toBe(ids['l-c2']);

    const before = await head();
    const res = await send('l-admin', 'post', `/api/users/${ids['l-c2']}/disable`, { comment: '调离' });
    expect(res.status).toBe(200);
    expect(res.body.tasks).toEqual({ reassigned: [{ taskId: held.taskId, documentId: held.documentId, stepKey: 'legal-review', toUserId: ids['l-c1'] }], unassigned: [] });
    const added = await since(before);
    expect(added.map((e) => `${e.category}:${e.action}:${e.result}`)).toEqual(['configuration:disable-user:success', 'transition:reassign:success']);
    const by = { type: 'user', id: ids['l-admin'], role: 'admin', departmentId: 'city-lake', onBehalfOf: null };
    expect(added[0].actor).toEqual(by);
    // The system hands the task on (the kernel chose whom), naming the act and who did it.
    expect(added[1]).toMatchObject({
      documentId: held.documentId,
      actor: { type: 'system', id: 'organisation', role: null },
      details: { taskId: held.taskId, delegateTo: ids['l-c1'], comment: '调离', handOn: { cause: 'disable-user', userId: ids['l-c2'], by } },
    });
    // The new holder is told, and decides it.
    await t.engine.notificationFeed.drain();
    expect(await notificationsOf('l-c1', 'task-assigned')).toContainEqual(expect.objectContaining({ documentId: held.documentId, taskId: held.taskId }));
    const decided = await t.http().post(`/api/tasks/${held.taskId}/decision`).set(await fresh('l-c1')).send({ decision: 'approve' });
    expect([decided.status, decided.body.state]).toEqual([200, 'party-group-review']);

    // Taking the role away is handed on the same way (cause: revoke-role).
    const second = await reportHeldBy('city-lake', 2033, 'l-author', 'l-c1', 'l-c4');
    const revokedAt = await head();
    const revoked = await send('l-admin', 'delete', `/api/users/${ids['l-c4']}/roles/legal-counsel?departmentId=city-lake`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.tasks).toEqual({ reassigned: [{ taskId: second.taskId, documentId: second.documentId, stepKey: 'legal-review', toUserId: ids['l-c1'] }], unassigned: [] });
    const revokeEntries = await since(revokedAt);
    expect(revokeEntries.map((e) => `${e.category}:${e.action}`)).toEqual(['configuration:revoke-role', 'transition:reassign']);
    expect(revokeEntries[1]).toMatchObject({ actor: { type: 'system', id: 'organisation' }, details: { handOn: { cause: 'revoke-role', userId: ids['l-c4'], by } } });
  });

  it('a department administrator cannot steer a task by disabling colleagues: never to themself, the author or a supervisor; what nobody may take stays, recorded on the document, and global administrators are told and see it', async () => {
    // f-admin holds legal-counsel too; so do the author and a supervisor.
    await departmentWith('city-forest', [
      ['f-c1', ['legal-counsel']],
      ['f-c2', ['legal-counsel']],
      ['f-admin', ['admin', 'legal-counsel']],
      ['f-author', ['drafter', 'legal-counsel']],
      ['f-leader', ['leader']],
      ['f-sup', ['legal-counsel', 'supervisor']],
    ]);
    const held = await reportHeldBy('city-forest', 2034, 'f-author', 'f-c1', 'f-c2');
    // First the one colleague who could take it (they hold nothing by name: nothing to hand on).
    expect((await send('f-admin', 'post', `/api/users/${ids['f-c1']}/disable`, {})).body.tasks).toEqual({ reassigned: [], unassigned: [] });
    const before = await head();
    const res = await send('f-admin', 'post', `/api/users/${ids['f-c2']}/disable`, {});
    expect(res.status).toBe(200);
    // Left: the administrator (whose act it is), the author (refused by the kernel) and the supervisor (never a candidate).
    expect(res.body.tasks).toEqual({
      reassigned: [],
      unassigned: [
        {
          taskId: held.taskId,
          documentId: held.documentId,
          stepKey: 'legal-review',
          reason: 'nobody who may decide it can take it',
          refused: [{ userId: ids['f-author'], code: 'SEPARATION_OF_DUTIES', rule: 'author-decides' }],
        },
      ],
    });
    expect(await holderOf(held.documentId, held.taskId)).toBe(ids['f-c2']);
    // Recorded on the document: the system could not hand it on, and why.
    const added = await since(before);
    expect(added.map((e) => `${e.category}:${e.action}:${e.result}`)).toEqual(['configuration:disable-user:success', 'transition:reassign:failure']);
    expect(added[1]).toMatchObject({
      documentId: held.documentId,
      actor: { type: 'system', id: 'organisation' },
      details: {
        taskId: held.taskId,
        handOn: { cause: 'disable-user', userId: ids['f-c2'], by: { id: ids['f-admin'], departmentId: 'city-forest' } },
        refused: [{ userId: ids['f-author'], code: 'SEPARATION_OF_DUTIES', rule: 'author-decides' }],
      },
    });
    // Global administrators are told (not the department's administrator, who was answered); the document can still be decided on.
    await t.engine.notificationFeed.drain();
    const told = (await notificationsOf('admin', 'tasks-unassigned')).filter((n) => n.documentId === held.documentId);
    expect(told).toEqual([
      expect.objectContaining({
        taskId: held.taskId,
        message: '无人接手：《city-forest 2034年报告》法制审核的待办仍由f-c2（已停用）持有，请全局管理员转交 / Nobody could take over: the task at Legal counsel review of "city-forest 2034年报告" is still held by f-c2 (disabled); a global administrator must hand it on',
      }),
    ]);
    expect(await notificationsOf('f-admin', 'tasks-unassigned')).toEqual([]);

    // A global administrator sees what the disabled user still holds; a department administrator is refused the list.
    const list = await t.http().get(`/api/users/${ids['f-c2']}/open-tasks`).set(await as('admin'));
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id: held.taskId, documentId: held.documentId, documentTitle: 'city-forest 2034年报告', stepKey: 'legal-review', assigneeUserId: ids['f-c2'] })]);
    expect((await t.http().get(`/api/users/${ids['f-c2']}/open-tasks`).set(await fresh('f-admin'))).status).toBe(403);

    // Once a colleague can take it, disabling again hands it on.
    expect((await send('admin', 'post', `/api/users/${ids['f-c1']}/enable`)).status).toBe(200);
    const again = await send('admin', 'post', `/api/users/${ids['f-c2']}/disable`, {});
    expect(again.body).toMatchObject({ changed: false, tasks: { reassigned: [{ taskId: held.taskId, toUserId: ids['f-c1'] }], unassigned: [] } });
    expect((await t.http().get(`/api/users/${ids['f-c2']}/open-tasks`).set(await as('admin'))).body.items).toEqual([]);
  });

  it('nor to someone who decided another step of the document, or votes elsewhere in the same step (the kernel’s separation of duties)', async () => {
    await departmentWith('city-hills', [
      ['h-admin', ['admin']],
      ['h-author', ['drafter']],
      ['h-l1', ['leader', 'legal-counsel']],
      ['h-l2', ['leader']],
      ['h-x', ['legal-counsel']],
    ]);
    // First a review any counsel decides; then a countersignature naming h-x and h-l2 (a seat nobody named may decide goes to a leader).
    const chain = {
      key: 'hills-review',
      name: { zh: '山区审核', en: 'Hills review' },
      initial: 'draft',
      steps: [
        { key: 'draft', name: { zh: '起草', en: 'Draft' }, editable: true, transitions: [{ action: 'submit', to: 'first', by: { role: 'drafter', department: 'document' } }] },
        { key: 'first', name: { zh: '初审', en: 'First review' }, assignee: { role: 'legal-counsel', department: 'document' }, transitions: [{ action: 'approve', to: 'second' }] },
        { key: 'second', name: { zh: '会签', en: 'Countersignature' }, assignees: [{ userId: ids['h-x'] }, { userId: ids['h-l2'] }], signing: 'all', transitions: [{ action: 'approve', to: 'done' }] },
        { key: 'done', name: { zh: '完成', en: 'Done' }, final: true, transitions: [] },
      ],
    };
    expect((await send('admin', 'post', '/api/chains', chain)).status).toBe(201);
    const author = await fresh('h-author');
    const doc = await t.http().post('/api/documents').set(author).send({ chain: 'hills-review', title: '山区会签件', year: 2026, departmentId: 'city-hills', content: '正文' });
    const first = (await t.http().post(`/api/documents/${doc.body.id}/actions`).set(author).send({ action: 'submit' })).body.openTasks[0];
    expect((await t.http().post(`/api/tasks/${first.id}/decision`).set(await fresh('h-l1')).send({ decision: 'approve' })).status).toBe(200);
    const seats = (await t.http().get(`/api/documents/${doc.body.id}`).set(author)).body.openTasks as { id: string; assigneeUserId: string }[];
    const xSeat = seats.find((s) => s.assigneeUserId === ids['h-x'])!;

    const res = await send('h-admin', 'post', `/api/users/${ids['h-x']}/disable`, {});
    expect(res.body.tasks).toEqual({
      reassigned: [],
      unassigned: [
        {
          taskId: xSeat.id,
          documentId: doc.body.id,
          stepKey: 'second',
          reason: 'nobody who may decide it can take it',
          refused: [
            { userId: ids['h-l1'], code: 'SEPARATION_OF_DUTIES', rule: 'second-step-in-round' },
            { userId: ids['h-l2'], code: 'SEPARATION_OF_DUTIES', rule: 'second-vote-in-step' },
          ],
        },
      ],
    });
    expect(await holderOf(doc.body.id, xSeat.id)).toBe(ids['h-x']);
  });

  it('a department administrator’s disabling leaves a task the user holds in another department to the global administrators: not handed on by them, not named in their answer', async () => {
    await departmentWith('city-marsh', [
      ['m-admin', ['admin']],
      ['m-c', ['legal-counsel']],
      ['m-leader', ['leader']],
    ]);
    await departmentWith('city-dunes', [
      ['d-author', ['drafter']],
      ['d-leader', ['leader']],
    ]);
    // A chain of city-dunes whose opinion step names m-c (of city-marsh) by name.
    const chain = {
      key: 'dunes-opinion',
      name: { zh: '沙丘意见', en: 'Dunes opinion' },
      initial: 'draft',
      steps: [
        { key: 'draft', name: { zh: '起草', en: 'Draft' }, editable: true, transitions: [{ action: 'submit', to: 'opinion', by: { role: 'drafter', department: 'document' } }] },
        { key: 'opinion', name: { zh: '意见', en: 'Opinion' }, assignees: [{ userId: ids['m-c'] }], transitions: [{ action: 'approve', to: 'done' }] },
        { key: 'done', name: { zh: '完成', en: 'Done' }, final: true, transitions: [] },
      ],
    };
    expect((await send('admin', 'post', '/api/chains', chain)).status).toBe(201);
    const author = await fresh('d-author');
    const doc = await t.http().post('/api/documents').set(author).send({ chain: 'dunes-opinion', title: '沙丘意见件', year: 2026, departmentId: 'city-dunes', content: '正文' });
    const seat = (await t.http().post(`/api/documents/${doc.body.id}/actions`).set(author).send({ action: 'submit' })).body.openTasks[0];
    expect(seat).toMatchObject({ assigneeUserId: ids['m-c'], departmentId: 'city-dunes' });

    const before = await head();
    const res = await send('m-admin', 'post', `/api/users/${ids['m-c']}/disable`, {});
    expect(res.status).toBe(200);
    // Nothing of city-dunes in city-marsh's administrator's answer, and the task stays where it was.
    expect(res.body.tasks).toEqual({ reassigned: [], unassigned: [] });
    expect(await holderOf(doc.body.id, seat.id)).toBe(ids['m-c']);
    // Recorded on its document for the global administrators, who are told.
    const added = (await since(before)).filter((e) => e.category !== 'security'); // m-admin's first sign-in
    expect(added.map((e) => `${e.category}:${e.action}:${e.result}`)).toEqual(['configuration:disable-user:success', 'transition:reassign:failure']);
    expect(added[1]).toMatchObject({ documentId: doc.body.id, details: { taskId: seat.id, refused: [], handOn: { cause: 'disable-user', by: { id: ids['m-admin'] } } } });
    await t.engine.notificationFeed.drain();
    expect((await notificationsOf('admin', 'tasks-unassigned')).filter((n) => n.documentId === doc.body.id)).toHaveLength(1);
    // A global administrator's disabling hands it on within city-dunes (its leader takes a seat nobody else may decide).
    const again = await send('admin', 'post', `/api/users/${ids['m-c']}/disable`, {});
    expect(again.body.tasks).toEqual({ reassigned: [{ taskId: seat.id, documentId: doc.body.id, stepKey: 'opinion', toUserId: ids['d-leader'] }], unassigned: [] });
  });

  it('an office administrator’s disabling leaves an office seat on a reporting department’s document (which they cannot read) to the global administrators', async () => {
    for (const [username, roles] of [['o-admin', ['admin']], ['o-b', ['rule-of-law-office']], ['o-c', ['rule-of-law-office']]] as const) {
      ids[username] = (await t.engine.directory.addUser({ username, password: PASSWORD, departmentId: 'rule-of-law-office', roles: [...roles] as never })).id;
    }
    // A city-sti report at the office's review, its task handed by name to o-b.
    const writer = await fresh('drafter');
    const report = await t.http().post('/api/documents').set(writer).send({ chain: 'annual-report', title: '办公室席位报告', year: 2037, departmentId: 'city-sti', content: REPORT_OUTLINE });
    await t.http().post(`/api/documents/${report.body.id}/actions`).set(writer).send({ action: 'submit' });
    for (const who of ['counsel', 'secretary']) {
      const task = (await t.http().get(`/api/documents/${report.body.id}`).set(await fresh(who))).body.openTasks[0];
      expect((await t.http().post(`/api/tasks/${task.id}/decision`).set(await fresh(who)).send({ decision: 'approve' })).status).toBe(200);
    }
    const seat = (await t.http().get(`/api/documents/${report.body.id}`).set(await fresh('office'))).body.openTasks[0];
    expect(seat).toMatchObject({ stepKey: 'office-review', departmentId: 'rule-of-law-office' });
    expect((await t.http().post(`/api/tasks/${seat.id}/delegate`).set(await fresh('office')).send({ toUserId: ids['o-b'], comment: '请办理' })).status).toBe(200);
    expect((await t.http().get(`/api/documents/${report.body.id}`).set(await fresh('o-admin'))).status).toBe(404);

    const res = await send('o-admin', 'post', `/api/users/${ids['o-b']}/disable`, {});
    expect(res.status).toBe(200);
    expect(res.body.tasks).toEqual({ reassigned: [], unassigned: [] });
    expect(await holderOf(report.body.id, seat.id)).toBe(ids['o-b']);
    // A global administrator's disabling hands it on to another holder of the office's role.
    const again = await send('admin', 'post', `/api/users/${ids['o-b']}/disable`, {});
    expect(again.body.tasks.reassigned).toEqual([expect.objectContaining({ taskId: seat.id, toUserId: expect.stringMatching(new RegExp(`^(${ids['o-c']}|${(await t.http().get('/api/me').set(await fresh('office'))).body.id})$`)) })]);
  });

  it('the audit chain verifies after all of it', async () => {
    expect((await t.http().get('/api/audit/verify').set(await as('admin'))).body).toMatchObject({ ok: true });
  });
});
