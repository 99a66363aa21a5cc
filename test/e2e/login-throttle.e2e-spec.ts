import type { AuditEntry } from '@shenpi/audit';
import { bearer, useApp, PASSWORD } from '../support/test-app.js';

type Login = { status: number; body: any; headers: Record<string, string> };

/**
 * Password guessing is slowed and cannot be turned against the owner: 10 failures per account and
 * address (then 429 for 15 minutes), 50 per address, and beyond 20 per account from all addresses a
 * short wait that doubles. Attempts are reserved before the password is checked, so a parallel
 * burst checks no more than the limit. X-Forwarded-For counts only from a trusted proxy (TRUST_PROXY).
 */
describe('login throttling, no proxy trusted', () => {
  const t = useApp();
  const login = (username: string, password: string, headers: Record<string, string> = {}): Promise<Login> =>
    t.http().post('/api/auth/login').set(headers).send({ username, password }) as unknown as Promise<Login>;
  const loginsOf = async (actorId: string, limit = 100): Promise<AuditEntry[]> =>
    (await t.http().get(`/api/audit?category=security&action=login&actorId=${actorId}&limit=${limit}`).set(bearer(await t.token('admin')))).body.items;
  const idOf = async (username: string) => (await t.http().get('/api/me').set(bearer(await t.token(username)))).body.id as string;

  it('refuses the 11th attempt within the window with 429 and Retry-After, audited; the window passing lets the user in', async () => {
    for (let i = 0; i < 10; i++) expect((await login('counsel', `wrong-${i}`)).status).toBe(401);
    const refused = await login('counsel', PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 900 } });
    expect(refused.headers['retry-after']).toBe('900');
    // Other users are not locked out by someone guessing counsel's password.
    expect((await login('secretary', PASSWORD)).status).toBe(200);
    const admin = (await login('admin', PASSWORD)).body.accessToken;
    const entries = (await t.http().get('/api/audit?category=security&action=login&limit=20').set({ Authorization: `Bearer ${admin}` })).body.items;
    expect(entries.filter((e: { details: { username: string } }) => e.details.username === 'counsel').map((e: { result: string }) => e.result)).toEqual(['denied', ...Array(10).fill('failure')]);
    t.clock.set(new Date(t.clock.now().getTime() + 15 * 60_000 + 1000));
    expect((await login('counsel', PASSWORD)).status).toBe(200);
  });

  it('40 parallel wrong passwords for one user: only the limit (10) are checked, the other 30 are 429 unchecked; each check audited, and the refusals once', async () => {
    const leaderId = await idOf('leader');
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => login('leader', `wrong-${i}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    for (const r of results.filter((x) => x.status === 429)) {
      expect(r.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', details: { retryAfterSeconds: 900 } });
      expect(r.headers['retry-after']).toBe('900');
    }
    // A security entry per checked attempt (failure), and one for the spell of refusals (denied, the limit named):
    // repeats go to the application log, or anyone could grow the chained log without end.
    const entries = (await loginsOf(leaderId)).filter((e) => e.result !== 'success');
    expect(entries.filter((e) => e.result === 'failure')).toHaveLength(10);
    const denied = entries.filter((e) => e.result === 'denied');
    expect(denied).toHaveLength(1);
    expect(denied[0].details).toMatchObject({ reason: 'rate-limited', limit: 'account-address', retryAfterSeconds: 900 });
    // Still limited: the right password from this address waits out the window too.
    expect((await login('leader', PASSWORD)).status).toBe(429);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy: forged addresses all count against the socket\'s', async () => {
    const secretaryId = await idOf('secretary');
    for (let i = 0; i < 10; i++) expect((await login('secretary', `wrong-${i}`, { 'X-Forwarded-For': `198.51.100.${i + 1}` })).status).toBe(401);
    expect((await login('secretary', PASSWORD, { 'X-Forwarded-For': '203.0.113.99' })).status).toBe(429);
    const entries = await loginsOf(secretaryId, 11);
    expect(entries.map((e) => e.details.ip)).toEqual(Array(11).fill('127.0.0.1'));
  });

  it("a failed login belongs to the user's department: its supervisor finds it, another department's does not", async () => {
    await t.engine.directory.addDepartment({ id: 'other-dept', name: '其他局', officeId: null });
    await t.engine.directory.addUser({ username: 'sup-other', password: PASSWORD, departmentId: 'other-dept', roles: ['supervisor'] });
    const drafterId = await idOf('drafter');
    expect((await login('drafter', 'not-the-password')).status).toBe(401);
    const search = async (username: string) =>
      (await t.http().get(`/api/audit?category=security&action=login&actorId=${drafterId}`).set(bearer(await t.token(username)))).body.items as AuditEntry[];

    const [failed] = (await search('supervisor')).filter((e) => e.result === 'failure');
    expect(failed).toMatchObject({
      departmentId: 'city-sti',
      actor: { type: 'user', id: drafterId, departmentId: 'city-sti' },
      details: { username: 'drafter', departmentIds: ['city-sti'] },
    });
    expect(await search('sup-other')).toEqual([]);
    // An unknown name belongs to no department: administrators alone read it.
    expect((await login('nobody-at-all', 'not-the-password')).status).toBe(401);
    const anonymous = (await t.http().get('/api/audit?category=security&action=login&actorId=anonymous').set(bearer(await t.token('supervisor')))).body.items;
    expect(anonymous).toEqual([]);
  });
});

describe('login throttling behind a trusted proxy (TRUST_PROXY=127.0.0.1)', () => {
  const t = useApp({ trustProxy: '127.0.0.1' });
  /** Through the proxy: it appends the client's real address to whatever X-Forwarded-For the client sent. */
  const login = (username: string, password: string, client: string, forged?: string): Promise<Login> =>
    t
      .http()
      .post('/api/auth/login')
      .set({ 'X-Forwarded-For': forged ? `${forged}, ${client}` : client })
      .send({ username, password }) as unknown as Promise<Login>;

  it('many failures for counsel from one address, each with a forged X-Forwarded-For, do not stop counsel logging in from another address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await login('counsel', `wrong-${i}`, '203.0.113.7', `10.${i}.0.1`)).status);
    // The forged addresses are not believed: all 60 count against the attacker's real one.
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(50).fill(429)]);
    expect((await login('counsel', PASSWORD, '203.0.113.7')).status).toBe(429);
    expect((await login('counsel', PASSWORD, '203.0.113.50')).status).toBe(200);
    const admin = bearer(await t.token('admin'));
    const entries = (await t.http().get('/api/audit?category=security&action=login&limit=80').set(admin)).body.items as AuditEntry[];
    const attacker = entries.filter((e) => e.details.username === 'counsel' && e.result !== 'success');
    // The 10 checked, and the first of the refusals: the rest are not chained.
    expect(attacker).toHaveLength(11);
    expect(new Set(attacker.map((e) => e.details.ip))).toEqual(new Set(['203.0.113.7']));
  });

  it('password spraying from one address stops that address, not the organisation: others log in from theirs, and the sprayed address still lets in whom it let in before', async () => {
    expect((await login('office', PASSWORD, '203.0.113.8')).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await login(`spray-${i}`, 'Password1', '203.0.113.8')).status);
    expect(statuses).toEqual([...Array(50).fill(401), ...Array(10).fill(429)]);
    expect((await login('secretary', PASSWORD, '203.0.113.8')).status).toBe(429);
    expect((await login('secretary', PASSWORD, '203.0.113.9')).status).toBe(200);
    // office logged in from the sprayed address before: an office behind one NAT is not locked out.
    expect((await login('office', PASSWORD, '203.0.113.8')).status).toBe(200);
  });

  it('guessing from many addresses: beyond 20 failures each attempt on the account is answered after a short, doubling delay, never refused; the owner gets in from a new address however long the guessing goes on, and at once from where they logged in before', async () => {
    expect((await login('leader', PASSWORD, '203.0.113.60')).status).toBe(200);
    let address = 0;
    const fresh = () => `198.51.100.${++address}`;
    for (let i = 0; i < 20; i++) expect((await login('leader', `wrong-${i}`, fresh())).status).toBe(401);
    expect(t.loginWaits).toEqual([]);
    for (let round = 0; round < 4; round++) expect((await login('leader', `wrong-round-${round}`, fresh())).status).toBe(401);
    expect(t.loginWaits).toEqual([1000, 2000, 4000, 8000]);
    // An attacker polling all the while: every attempt is slowed, none is refused, the delay stops at a minute.
    for (let i = 0; i < 30; i++) expect((await login('leader', `poll-${i}`, fresh())).status).toBe(401);
    expect(Math.max(...t.loginWaits)).toBe(60_000);
    // The owner, from the address they used before: straight in, not slowed.
    const before = t.loginWaits.length;
    expect((await login('leader', PASSWORD, '203.0.113.60')).status).toBe(200);
    expect(t.loginWaits.length).toBe(before);
    // From a new address: a minute at most, then in.
    expect((await login('leader', PASSWORD, '203.0.113.61')).status).toBe(200);
    expect(t.loginWaits.at(-1)).toBeLessThanOrEqual(60_000);
  });

  it('records the first refusal of a limit in the audit log, and its repeats only in the application log', async () => {
    for (let i = 0; i < 10; i++) expect((await login('office', `wrong-${i}`, '192.0.2.7')).status).toBe(401);
    for (let i = 0; i < 5; i++) expect((await login('office', PASSWORD, '192.0.2.7')).status).toBe(429);
    const admin = (await login('admin', PASSWORD, '192.0.2.99')).body.accessToken;
    const entries = (await t.http().get('/api/audit?category=security&action=login&limit=50').set({ Authorization: `Bearer ${admin}` })).body.items;
    const office = entries.filter((e: { details: { username: string } }) => e.details.username === 'office');
    expect(office.map((e: { result: string }) => e.result)).toEqual(['denied', ...Array(10).fill('failure')]);
  });
});
