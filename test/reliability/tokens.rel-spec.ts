import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import request from 'supertest';
import { signJwt } from '../../apps/api/auth/jwt.js';
import { JWT_SECRET_FILE } from '../../apps/api/config.js';
import { OPERATOR } from '@shenpi/engine';
import { openApi } from '../support/open-api.js';
import { PASSWORD, testDatabase } from '../support/test-app.js';
import { recordFigure, useRelApp } from './rel-support.js';

/**
 * Token abuse: expired, tampered, wrong-algorithm, other-secret, orphaned and stale tokens (the
 * user's token epoch moved on: password changed, role taken away, disabled, logged out; or no
 * epoch at all) are 401 and leave no chained audit entry; no secret in the source signs a token
 * the service accepts; a brute-forced login is audited attempt by attempt and limited (API.md,
 * 429 RATE_LIMITED).
 */
const SECRET = 'test-secret'; // test/support/test-app.ts signs with this
const b64 = (x: object | string) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');
const hmac = (alg: 'sha256' | 'sha512', input: string, secret = SECRET) => createHmac(alg, secret).update(input).digest('base64url');
/** A token with any header and claims, HMAC-signed as the header's algorithm says (or as asked). */
function craft(header: object, claims: object, sign: 'HS256' | 'HS512' | 'none' = 'HS256', secret = SECRET): string {
  const input = `${b64(header)}.${b64(claims)}`;
  const signature = sign === 'none' ? '' : hmac(sign === 'HS512' ? 'sha512' : 'sha256', input, secret);
  return `${input}.${signature}`;
}
/** Flips one character in the middle of the signature (the last one's low bits carry no data). */
function flipMiddle(token: string): string {
  const [h, p, s] = token.split('.');
  const i = Math.floor(s.length / 2);
  return `${h}.${p}.${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
}
/** The routes every bad token is tried on. */
type Send = (token: string | undefined) => Promise<{ status: number; body: any }>;
function routesOf(http: () => ReturnType<typeof request>): [string, Send][] {
  const withToken = <T extends { set(h: Record<string, string>): T }>(req: T, tok: string | undefined): T => (tok === undefined ? req : req.set({ Authorization: `Bearer ${tok}` }));
  return [
    ['GET /api/me', (tok) => withToken(http().get('/api/me'), tok)],
    ['GET /api/documents', (tok) => withToken(http().get('/api/documents'), tok)],
    ['POST /api/documents', (tok) => withToken(http().post('/api/documents'), tok).send({ chain: 'annual-report', title: 'x', year: 2099, departmentId: 'city-sti' })],
    ['GET /api/audit', (tok) => withToken(http().get('/api/audit'), tok)],
    ['POST /api/auth/logout', (tok) => withToken(http().post('/api/auth/logout'), tok)],
  ];
}
/** Every token on every route: the answers that are not 401 UNAUTHENTICATED in the error shape. */
async function notRefused(cases: [string, string | undefined][], routes: [string, Send][]): Promise<{ wrong: string[]; refused: number }> {
  const wrong: string[] = [];
  let refused = 0;
  for (const [name, token] of cases) {
    for (const [route, send] of routes) {
      const res = await send(token);
      if (res.status !== 401 || res.body.code !== 'UNAUTHENTICATED' || res.body.statusCode !== 401 || typeof res.body.message !== 'string') {
        wrong.push(`${name} on ${route}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      } else refused++;
    }
  }
  return { wrong, refused };
}

describe('token abuse', () => {
  const t = useRelApp([
    { username: 'leaver', departmentId: 'city-sti', roles: ['legal-counsel'] },
    ...['pw-changer', 'revokee', 'disablee', 'leaving'].map((username) => ({ username, departmentId: 'city-sti', roles: ['drafter'] })),
  ]);

  const epochOf = async (username: string) => Number((await t.engine.database.reader.one<{ e: number }>('SELECT token_epoch AS e FROM users WHERE username = ?', [username]))!.e);

  it('expired, tampered, wrong-algorithm, other-secret, orphaned and wrong-epoch tokens are 401 and leave no audit entry', async () => {
    const drafterId = await t.id('drafter');
    const adminId = await t.id('admin');
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const ep = await epochOf('drafter');
    expect(ep).toBeGreaterThan(0);
    const good = signJwt(drafterId, SECRET, now, 3600, ep);
    const [h, p, s] = good.split('.');
    const claims = { sub: drafterId, iat: now, exp: now + 3600, ep };

    // The user who left: a valid token before their rows are removed, an orphan after.
    const leaverId = await t.id('leaver');
    const leaverToken = signJwt(leaverId, SECRET, now, 3600, await epochOf('leaver'));
    expect((await t.http().get('/api/me').set({ Authorization: `Bearer ${leaverToken}` })).status).toBe(200);
    await t.engine.writer.run(async (r) => {
      await r.sql.run('DELETE FROM role_grants WHERE user_id = ?', [leaverId]);
      await r.sql.run('DELETE FROM users WHERE id = ?', [leaverId]);
    });

    const cases: [string, string | undefined][] = [
      ['no token', undefined],
      ['empty bearer', ''],
      ['expired a second ago', signJwt(drafterId, SECRET, now - 3601, 3600, ep)],
      ['expiring exactly now', signJwt(drafterId, SECRET, now - 3600, 3600, ep)],
      ['expired long ago', signJwt(drafterId, SECRET, now - 90 * 86_400, 3600, ep)],
      ['signature: a character in the middle flipped', flipMiddle(good)],
      ['signature: truncated', `${h}.${p}.${s.slice(0, -4)}`],
      ['signature: one character appended', `${good}A`],
      ['signature: empty', `${h}.${p}.`],
      ['payload: sub swapped for the admin, old signature', `${h}.${b64({ ...claims, sub: adminId })}.${s}`],
      ['payload: exp pushed a year ahead, old signature', `${h}.${b64({ ...claims, exp: now + 365 * 86_400 })}.${s}`],
      ['alg none, no signature', craft({ alg: 'none', typ: 'JWT' }, claims, 'none')],
      ['alg none, old signature', `${b64({ alg: 'none', typ: 'JWT' })}.${p}.${s}`],
      ['alg "None", no signature', craft({ alg: 'None', typ: 'JWT' }, claims, 'none')],
      ['HS512 header, HS512 signature with the right secret', craft({ alg: 'HS512', typ: 'JWT' }, claims, 'HS512')],
      ['HS512 header, the HS256 signature', `${b64({ alg: 'HS512', typ: 'JWT' })}.${p}.${s}`],
      ['RS256 header, HMAC signature with the right secret', craft({ alg: 'RS256', typ: 'JWT' }, claims, 'HS256')],
      ['RS256 header, the original signature', `${b64({ alg: 'RS256', typ: 'JWT' })}.${p}.${s}`],
      ['another secret', signJwt(drafterId, 'another-secret', now, 3600, ep)],
      ['the secret with a different case', signJwt(drafterId, SECRET.toUpperCase(), now, 3600, ep)],
      ['sub of nobody (a well-formed id)', signJwt('0191e4a0-0000-7000-8000-000000000000', SECRET, now, 3600, 0)],
      ['sub of a deleted user', leaverToken],
      ['sub not a string', craft({ alg: 'HS256', typ: 'JWT' }, { ...claims, sub: 42 })],
      ['sub an array of ids', craft({ alg: 'HS256', typ: 'JWT' }, { ...claims, sub: [drafterId] })],
      ['no exp', craft({ alg: 'HS256', typ: 'JWT' }, { sub: drafterId, iat: now, ep })],
      ['no epoch claim (a token as issued before epochs)', signJwt(drafterId, SECRET, now, 3600)],
      ['epoch one behind', signJwt(drafterId, SECRET, now, 3600, ep - 1)],
      ['epoch one ahead', signJwt(drafterId, SECRET, now, 3600, ep + 1)],
      ['epoch as a string', craft({ alg: 'HS256', typ: 'JWT' }, { ...claims, ep: String(ep) })],
      ['epoch a fraction', craft({ alg: 'HS256', typ: 'JWT' }, { ...claims, ep: ep + 0.5 })],
      ['exp as a string', craft({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: String(now + 3600) })],
      ['claims not JSON', `${h}.${b64('not json')}.${hmac('sha256', `${h}.${b64('not json')}`)}`],
      ['two segments', `${h}.${p}`],
      ['four segments', `${good}.${s}`],
      ['garbage', 'not.a.token'],
      ['8 KB of garbage', 'x'.repeat(8192)],
    ];
    const routes = routesOf(() => t.http());
    const head = await t.auditHead();
    const { wrong, refused } = await notRefused(cases, routes);
    expect(wrong).toEqual([]);
    expect(await t.auditSince(head)).toEqual([]);
    // And the genuine token still works.
    expect((await t.http().get('/api/me').set({ Authorization: `Bearer ${good}` })).body).toMatchObject({ id: drafterId });
    const figure = `${cases.length} kinds of bad token × ${routes.length} routes = ${refused} × 401 UNAUTHENTICATED, 0 audit entries added [${t.engine.database.kind}]`;
    console.log(`tokens: ${figure}`);
    recordFigure('bad tokens', figure);
  });

  it('a token issued before a password change, a role taken away, the user disabled or logged out is 401 on every route, and leaves no audit entry', async () => {
    const tokenOf = async (username: string) => {
      const res = await t.http().post('/api/auth/login').send({ username, password: PASSWORD });
      expect(res.status).toBe(200);
      return res.body.accessToken as string;
    };
    const stale: [string, string][] = [];
    const token = async (name: string, username: string, end: (token: string) => Promise<unknown>) => {
      const before = await tokenOf(username);
      expect((await t.http().get('/api/me').set({ Authorization: `Bearer ${before}` })).status).toBe(200);
      await end(before);
      stale.push([name, before]);
    };
    await token('before a password change', 'pw-changer', () =>
      t.engine.directory.addUser({ username: 'pw-changer', password: 'another-long-passphrase', departmentId: 'city-sti', roles: ['drafter'] }),
    );
    await token('before a role was taken away', 'revokee', async () => t.engine.organisation.revokeRole(OPERATOR, await t.id('revokee'), { role: 'drafter', departmentId: 'city-sti' }));
    await token('before the user was disabled', 'disablee', async () => t.engine.organisation.disableUser(OPERATOR, await t.id('disablee')));
    await token('before logout', 'leaving', async (tok) => expect((await t.http().post('/api/auth/logout').set({ Authorization: `Bearer ${tok}` })).status).toBe(204));

    const routes = routesOf(() => t.http());
    const head = await t.auditHead();
    const { wrong, refused } = await notRefused(stale, routes);
    expect(wrong).toEqual([]);
    expect(await t.auditSince(head)).toEqual([]);
    const figure = `${stale.length} kinds of stale token × ${routes.length} routes = ${refused} × 401 UNAUTHENTICATED, 0 audit entries added [${t.engine.database.kind}]`;
    console.log(`stale tokens: ${figure}`);
  });
});

describe('no secret in the source', () => {
  const database = testDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'shenpi-data-'));
  let api: Awaited<ReturnType<typeof openApi>> | undefined;
  afterAll(async () => {
    await api?.close();
    await database.drop();
  });

  it("an app started without JWT_SECRET refuses a token forged with the old development secret, and signs with the secret it generated", async () => {
    api = await openApi({ database, dataDir, attachments: { dir: mkdtempSync(join(tmpdir(), 'shenpi-attachments-')), maxBytes: 1024 }, seed: { password: PASSWORD } });
    await api.app.init();
    await api.app.getHttpAdapter().getInstance().ready();
    const http = () => request(api!.app.getHttpServer());
    const file = join(database.url ? dataDir : dirname(database.sqlitePath), JWT_SECRET_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const admin = await api.engine.database.reader.one<{ id: string; e: number }>("SELECT id, token_epoch AS e FROM users WHERE username = 'admin'");
    const now = Math.floor(Date.now() / 1000);
    const forged = signJwt(admin!.id, 'shenpi-development-secret-change-me', now, 3600, Number(admin!.e));
    const { wrong } = await notRefused([['forged with the old development secret', forged]], routesOf(http));
    expect(wrong).toEqual([]);
    // The same claims signed with the generated secret: accepted, so the refusal above was the secret's.
    const genuine = signJwt(admin!.id, readFileSync(file, 'utf8').trim(), now, 3600, Number(admin!.e));
    expect((await http().get('/api/me').set({ Authorization: `Bearer ${genuine}` })).body).toMatchObject({ username: 'admin' });
    console.log(`no secret in the source: a token for admin forged with the old development secret is 401 on every route; the generated ${JWT_SECRET_FILE} (mode 0600) signs [${api.engine.database.kind}]`);
  });
});

describe('login brute force', () => {
  const t = useRelApp();
  const ATTEMPTS = 30;
  const login = (username: string, password: string) => t.http().post('/api/auth/login').send({ username, password });

  it(`${ATTEMPTS} wrong passwords for one user: each check audited, the refusals once; later ones refused 429 RATE_LIMITED, the right password too from that address, until the window passes`, async () => {
    const counselId = await t.id('counsel');
    const head = await t.auditHead();
    const statuses: number[] = [];
    const millis: number[] = [];
    let retryAfter = 0;
    for (let i = 0; i < ATTEMPTS; i++) {
      const started = performance.now();
      const res = await login('counsel', `wrong-${i}`);
      millis.push(performance.now() - started);
      statuses.push(res.status);
      expect(res.body).toMatchObject({ statusCode: res.status, code: res.status === 429 ? 'RATE_LIMITED' : 'UNAUTHENTICATED', message: expect.any(String) });
      if (res.status === 429) {
        retryAfter = Number(res.headers['retry-after']);
        expect(retryAfter).toBeGreaterThan(0);
        expect(res.body.details.retryAfterSeconds).toBe(retryAfter);
      }
    }
    // A security entry per checked attempt (failure), and one when the refusals begin (denied): the
    // repeats go to the application log, so refused guessing cannot grow the chained log.
    const entries = await t.auditSince(head);
    const checked = statuses.filter((s) => s === 401).length;
    expect(entries.map((e) => `${e.category}:${e.action}:${e.actor_id}`)).toEqual(Array(checked + 1).fill(`security:login:${counselId}`));
    expect(entries.map((e) => e.result)).toEqual([...Array(checked).fill('failure'), 'denied']);
    expect(entries.map((e) => JSON.parse(e.details).username)).toEqual(Array(checked + 1).fill('counsel'));

    // Limited: from some attempt on, every one is refused; the right password (in any case of the name) as well.
    const first = statuses.indexOf(429);
    expect(first).toBeGreaterThan(0);
    expect(statuses.slice(0, first).every((x) => x === 401)).toBe(true);
    expect(statuses.slice(first).every((x) => x === 429)).toBe(true);
    expect((await login('counsel', PASSWORD)).status).toBe(429);
    expect((await login('COUNSEL', PASSWORD)).status).toBe(429);
    // Someone else is not locked out by the guessing.
    expect((await login('secretary', PASSWORD)).status).toBe(200);
    // Once the window has passed, the right password works again.
    t.clock.advance((retryAfter + 1) * 1000);
    expect((await login('counsel', PASSWORD)).status).toBe(200);

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const figure =
      `${ATTEMPTS} wrong passwords for counsel → ${first} × 401 (security/login/failure), then ${ATTEMPTS - first} × 429 RATE_LIMITED (one security/login/denied, Retry-After ${retryAfter} s); ` +
        `median ${median(millis.slice(0, 5)).toFixed(0)} ms for attempts 1–5, ${median(millis.slice(-5)).toFixed(0)} ms for ${ATTEMPTS - 4}–${ATTEMPTS}; ` +
        `right password refused while limited, accepted after the window [${t.engine.database.kind}]`;
    console.log(`login brute force: ${figure}`);
    recordFigure('login brute force', figure);
  });

  it('guessing across many usernames from one address is limited too (password spraying)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await login(`spray-${i}`, 'Password1')).status);
    const first = statuses.indexOf(429);
    expect(first).toBeGreaterThan(0);
    expect(statuses.slice(first).every((x) => x === 429)).toBe(true);
    // The address is limited now, whatever name it tries, unless the name logged in from it before.
    expect((await login('leader', PASSWORD)).status).toBe(429);
    expect((await login('secretary', PASSWORD)).status).toBe(200);
    const figure = `${first} distinct unknown usernames answered 401 from one address, then 429 for every name [${t.engine.database.kind}]`;
    console.log(`password spraying: ${figure}`);
    recordFigure('password spraying', figure);
  });
});
