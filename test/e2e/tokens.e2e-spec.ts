import type { AuditEntry } from '@shenpi/audit';
import { sqlStatements } from '@shenpi/persistence';
import { runCli } from '../../apps/cli/cli.js';
import { bearer, PASSWORD, startApp, testDatabase, type TestApp } from '../support/test-app.js';

/**
 * Logins that end: a token is refused (401) once its user's token epoch moved on: logout, a new
 * password, a role granted or taken away (by the CLI, as an operator does), the user disabled. A
 * disabled user cannot log in either: the same 401 as a wrong password, audited.
 */
describe('tokens that end', () => {
  const database = testDatabase();
  const env = database.url ? { DATABASE_URL: database.url, DATABASE_SCHEMA: database.schema } : { SQLITE_PATH: database.sqlitePath };
  let t: TestApp;
  const cli = async (...argv: string[]) => {
    const lines: string[] = [];
    const code = await runCli(argv, env, { log: (l) => lines.push(l), error: (l) => lines.push(l) });
    return { code, out: lines.join('\n') };
  };
  const login = async (username: string, password = PASSWORD) => t.http().post('/api/auth/login').send({ username, password });
  const tokenOf = async (username: string, password = PASSWORD) => {
    const res = await login(username, password);
    expect(res.status).toBe(200);
    return bearer(res.body.accessToken as string);
  };
  const me = async (auth: Record<string, string>) => (await t.http().get('/api/me').set(auth)).status;

  beforeAll(async () => {
    t = await startApp(database);
  });
  afterAll(async () => {
    await t?.stop();
    await database.drop();
  });

  it('POST /api/auth/logout: 204, and the token (every token of the user) is 401 from then on; a new login works', async () => {
    const first = await tokenOf('drafter');
    const second = await tokenOf('drafter');
    expect(await me(first)).toBe(200);
    expect((await t.http().post('/api/auth/logout').set(first)).status).toBe(204);
    expect(await me(first)).toBe(401);
    expect(await me(second)).toBe(401);
    expect((await t.http().post('/api/auth/logout').set(first)).status).toBe(401);
    expect((await t.http().post('/api/auth/logout')).status).toBe(401);
    expect(await me(await tokenOf('drafter'))).toBe(200);
  });

  it('a new password set with `user add` ends the sessions from before; the new password logs in, the old one not', async () => {
    const before = await tokenOf('counsel');
    const other = await tokenOf('secretary');
    const reset = await cli('user', 'add', '--username', 'counsel', '--password', 'a-new-long-passphrase', '--department', 'city-sti', '--role', 'legal-counsel');
    expect(reset).toEqual({ code: 0, out: expect.stringMatching(/^updated user counsel/) });
    expect(await me(before)).toBe(401);
    expect(await me(other)).toBe(200);
    expect((await login('counsel')).status).toBe(401);
    expect(await me(await tokenOf('counsel', 'a-new-long-passphrase'))).toBe(200);
  });

  it('a role taken away (`user revoke`) or granted ends the sessions from before', async () => {
    const before = await tokenOf('leader');
    expect((await cli('user', 'add', '--username', 'leader', '--department', 'city-sti', '--role', 'drafter')).code).toBe(0);
    expect(await me(before)).toBe(401);
    const granted = await tokenOf('leader');
    expect((await t.http().get('/api/me').set(granted)).body.roles).toContainEqual({ role: 'drafter', departmentId: 'city-sti' });
    expect(await cli('user', 'revoke', '--username', 'leader', '--role', 'drafter', '--department', 'city-sti')).toEqual({ code: 0, out: 'revoked drafter from leader; their sessions have ended' });
    expect(await me(granted)).toBe(401);
    expect((await t.http().get('/api/me').set(await tokenOf('leader'))).body.roles).toEqual([{ role: 'leader', departmentId: 'city-sti' }]);
    // Taking away a role not held changes nothing, and ends nothing.
    const kept = await tokenOf('leader');
    expect((await cli('user', 'revoke', '--username', 'leader', '--role', 'drafter', '--department', 'city-sti')).out).toMatch(/nothing changed/);
    expect(await me(kept)).toBe(200);
  });

  it('a disabled user: tokens 401, login with the right password the same 401 as a wrong one, audited; enabled again, they log in', async () => {
    const before = await tokenOf('office');
    expect(await cli('user', 'disable', '--username', 'office')).toEqual({ code: 0, out: 'disabled user office; their sessions have ended' });
    expect(await me(before)).toBe(401);
    const right = await login('office');
    const wrong = await login('office', 'not-the-password');
    expect(right.status).toBe(401);
    expect(right.body).toEqual(wrong.body);
    const admin = await tokenOf('admin');
    const entries = (await t.http().get('/api/audit?category=security&action=login&limit=3').set(admin)).body.items as AuditEntry[];
    expect(entries.slice(1).map((e) => [e.details.username, e.result, e.details.reason ?? null])).toEqual([
      ['office', 'failure', null],
      ['office', 'failure', 'disabled'],
    ]);
    const disabling = (await t.http().get('/api/audit?action=disable-user').set(admin)).body.items as AuditEntry[];
    expect(disabling.map((e) => [e.category, e.details.username])).toEqual([['configuration', 'office']]);
    expect((await cli('user', 'enable', '--username', 'office')).code).toBe(0);
    expect(await me(before)).toBe(401);
    expect(await me(await tokenOf('office'))).toBe(200);
  });

  it('keeps a caller read only while the directory stands: a grant taken away or a user disabled by hand, outside the service, reaches the next request', async () => {
    const { id } = await t.engine.directory.addUser({ username: 'counsel-by-hand', password: PASSWORD, departmentId: 'city-sti', roles: ['legal-counsel'] });
    const auth = await tokenOf('counsel-by-hand');
    const grantsOf = async () => (await t.http().get('/api/me').set(auth)).body.roles as { role: string }[];
    expect((await grantsOf()).map((g) => g.role)).toEqual(['legal-counsel']);

    // Read again while nothing changed: the directory's version alone, not the user and their grants.
    sqlStatements.trace = [];
    expect(await me(auth)).toBe(200);
    const ran = sqlStatements.trace;
    sqlStatements.trace = null;
    expect(ran.filter((q) => q.includes('directory_version'))).toHaveLength(1);
    expect(ran.filter((q) => q.includes('FROM users u'))).toEqual([]);

    // Statements typed by hand move no epoch: only the directory's version says the caller changed.
    const byHand = (sql: string, params: unknown[]) => t.engine.database.transaction((db) => db.run(sql, params));
    await byHand("DELETE FROM role_grants WHERE user_id = ? AND role = 'legal-counsel'", [id]);
    expect(await grantsOf()).toEqual([]);
    await byHand("INSERT INTO role_grants (user_id, role, department_id, created_at) VALUES (?, 'legal-counsel', 'city-sti', ?)", [id, t.clock.now().toISOString()]);
    expect((await grantsOf()).map((g) => g.role)).toEqual(['legal-counsel']);
    await byHand('UPDATE users SET disabled_at = ? WHERE id = ?', [t.clock.now().toISOString(), id]);
    expect(await me(auth)).toBe(401);
  });

  it('a directory gone back in time under the running service (a restore) never brings back a caller kept from the other timeline', async () => {
    const { id } = await t.engine.directory.addUser({ username: 'counsel-restored', password: PASSWORD, departmentId: 'city-sti', roles: ['legal-counsel'] });
    const auth = await tokenOf('counsel-restored');
    const rolesOf = async () => ((await t.http().get('/api/me').set(auth)).body.roles as { role: string }[]).map((g) => g.role).sort();
    const byHand = (sql: string, params: unknown[]) => t.engine.database.transaction((db) => db.run(sql, params));
    const version = async () => (await t.engine.database.reader.one<{ version: number }>('SELECT version FROM directory_version WHERE id = 1'))!.version;
    const before = await version();
    expect(await rolesOf()).toEqual(['legal-counsel']);
    await byHand("DELETE FROM role_grants WHERE user_id = ? AND role = 'legal-counsel'", [id]);
    expect(await rolesOf()).toEqual([]);
    // The database restored to how it was before the grant was taken away, version and all.
    await byHand("INSERT INTO role_grants (user_id, role, department_id, created_at) VALUES (?, 'legal-counsel', 'city-sti', ?)", [id, t.clock.now().toISOString()]);
    await byHand('UPDATE directory_version SET version = ? WHERE id = 1', [before]);
    // A change after the restore: a counted version would be the one the caller without grants was kept at.
    await byHand("INSERT INTO role_grants (user_id, role, department_id, created_at) VALUES (?, 'drafter', 'city-sti', ?)", [id, t.clock.now().toISOString()]);
    expect(await rolesOf()).toEqual(['drafter', 'legal-counsel']);
  });

  it('a token kept verified is refused once it expires', async () => {
    const auth = await tokenOf('secretary');
    expect(await me(auth)).toBe(200);
    expect(await me(auth)).toBe(200);
    t.clock.advance(61 * 86_400_000);
    expect(await me(auth)).toBe(401);
  });
});
