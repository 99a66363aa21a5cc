import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { openApi, type OpenApi } from '../support/open-api.js';
import { bearer, testDatabase, useApp } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { watchContract } from '../support/contract-check.js';

/** Bad input of every shape is a 4xx in the API's error shape, never a 500. */
describe('HTTP edges', () => {
  const t = useApp();
  let headers: Record<string, string>;
  beforeAll(async () => {
    headers = bearer(await t.token('drafter'));
  });

  it('health names the database and scheduler, without a token', async () => {
    const res = await t.http().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up', scheduler: 'embedded' });
    expect(t.engine.database.kind).toBe(process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite');
  });

  it('serves the OpenAPI document', async () => {
    const res = await t.http().get('/api/docs-json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/documents/{id}/actions', '/api/tasks/{id}/decision', '/api/audit/verify']));
  });

  it('a body over 1 MB is 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await t
      .http()
      .post('/api/documents')
      .set(headers)
      .send({ chain: 'annual-report', title: 'big', year: 2025, departmentId: 'city-sti', content: '法'.repeat(400_000) });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('malformed JSON, empty bodies, arrays and wrong types are 400 VALIDATION_FAILED', async () => {
    const cases: [string, string][] = [
      ['{"chain": "annual-report",', 'application/json'],
      ['', 'application/json'],
      ['[1, 2]', 'application/json'],
      ['"text"', 'application/json'],
      ['{"chain": 5, "title": ["x"], "year": "2025", "departmentId": null}', 'application/json'],
      ['{"chain": "annual-report", "title": "x", "year": 2025.5, "departmentId": "city-sti"}', 'application/json'],
      ['{"__proto__": {"admin": true}, "chain": "annual-report", "title": "x", "year": 2025, "departmentId": "city-sti"}', 'application/json'],
    ];
    for (const [body, type] of cases) {
      const res = await t.http().post('/api/documents').set(headers).set('Content-Type', type).send(body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
      expect(Array.isArray(res.body.details)).toBe(true);
    }
  });

  it('a body of any type but JSON is 415 naming content-type on every route but an upload, signed in or not, before authentication', async () => {
    const routes = ['/api/documents', '/api/auth/login', '/api/tasks/bulk-decision', `/api/documents/${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}/actions`];
    const types = ['application/octet-stream', 'application/pdf', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'image/png', 'application/merge-patch+json'];
    for (const path of routes) {
      for (const type of types) {
        for (const auth of [headers, {}]) {
          const res = await t.http().post(path).set(auth).set('content-type', type).send(Buffer.from('{"username":"drafter"}'));
          expect({ path, type, status: res.status, body: res.body }).toEqual({
            path,
            type,
            status: 415,
            body: { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'content-type: expected application/json', details: [{ field: 'content-type', reason: 'expected application/json' }] },
          });
        }
      }
      // A body without any content-type is refused the same way.
      const untyped = await t.http().post(path).set(headers).set('content-type', '').send(Buffer.from('{}'));
      expect({ path, status: untyped.status, field: untyped.body.details?.[0]?.field }).toEqual({ path, status: 415, field: 'content-type' });
    }
    // A DELETE reads no body, yet one sent is judged the same way (and the document says so).
    const deleting = await t.http().delete(`/api/me/proxies/${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}`).set(headers).set('content-type', 'text/plain').send('x');
    expect({ status: deleting.status, code: deleting.body.code }).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    const charset = await t.http().post('/api/documents').set(headers).set('content-type', 'Application/JSON; charset=utf-8').send(JSON.stringify({ chain: 'no-such-chain', title: 'x', year: 2025, departmentId: 'city-sti' }));
    expect(charset.body.details).toEqual([{ field: 'chain', reason: 'no chain "no-such-chain"' }]);
  });

  it('an unknown chain or department is 400 naming the field', async () => {
    const chain = await t.http().post('/api/documents').set(headers).send({ chain: 'no-such-chain', title: 'x', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    expect(chain.status).toBe(400);
    expect(chain.body.details).toEqual([{ field: 'chain', reason: 'no chain "no-such-chain"' }]);
    const dept = await t.http().post('/api/documents').set(headers).send({ chain: 'annual-report', title: 'x', year: 2025, departmentId: 'nowhere' });
    expect(dept.body.details).toEqual([{ field: 'departmentId', reason: 'no department "nowhere"' }]);
  });

  it('bad query parameters and unknown routes are 4xx', async () => {
    const refused = async (query: string) => {
      const res = await t.http().get(`/api/documents?${query}`).set(headers);
      return { status: res.status, details: res.body.details };
    };
    expect(await refused('limit=0')).toEqual({ status: 400, details: [{ field: 'limit', reason: 'limit must be between 1 and 200' }] });
    expect(await refused('limit=201')).toEqual({ status: 400, details: [{ field: 'limit', reason: 'limit must be between 1 and 200' }] });
    expect(await refused('sort=evil')).toEqual({ status: 400, details: [{ field: 'sort', reason: 'property sort should not exist' }] });
    expect(await refused("state=draft' OR 1=1")).toEqual({ status: 400, details: [{ field: 'state', reason: 'state must be a step key' }] });
    const missing = await t.http().get('/api/nothing-here').set(headers);
    expect(missing.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });

  it('a disclosure date in the future or not on the calendar is 400', async () => {
    const created = await t.http().post('/api/documents').set(headers).send({ chain: 'annual-report', title: 'x', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    expect(created.status).toBe(201);
    const bad = await t
      .http()
      .post(`/api/documents/${created.body.id}/actions`)
      .set(headers)
      .send({ action: 'record-disclosure', disclosure: { url: 'https://a.gov.cn', publishedOn: '2025-02-30' } });
    expect(bad.body.details).toEqual([{ field: 'disclosure.publishedOn', reason: 'not a calendar date' }]);
    const noUrl = await t
      .http()
      .post(`/api/documents/${created.body.id}/actions`)
      .set(headers)
      .send({ action: 'record-disclosure', disclosure: { url: 'javascript:alert(1)', publishedOn: '2025-02-03' } });
    expect(noUrl.body.details[0].field).toBe('disclosure.url');
  });

  it('lists page with stable keyset cursors', async () => {
    for (const year of [2020, 2021, 2022]) {
      t.clock.advance(1000);
      await t.http().post('/api/documents').set(headers).send({ chain: 'annual-report', title: `p${year}`, year, departmentId: 'city-sti', content: REPORT_OUTLINE }).expect(201);
    }
    const first = await t.http().get('/api/documents?limit=2').set(headers);
    expect(first.body.items.map((d: { year: number }) => d.year)).toEqual([2022, 2021]);
    t.clock.advance(1000);
    await t.http().post('/api/documents').set(headers).send({ chain: 'annual-report', title: 'new', year: 2019, departmentId: 'city-sti', content: REPORT_OUTLINE }).expect(201);
    const second = await t.http().get(`/api/documents?limit=2&cursor=${first.body.nextCursor}`).set(headers);
    expect(second.body.items.map((d: { year: number }) => d.year)).toEqual([2020, 2025]);
    expect(second.body.nextCursor).toBeNull();
    const forged = await t.http().get('/api/documents?cursor=bm90LWFuLWlk').set(headers);
    expect(forged.body).toMatchObject({ statusCode: 400, details: [{ field: 'cursor', reason: 'not a cursor this list gave out' }] });
  });
});

describe('calendar endpoints', () => {
  const t = useApp();

  it('counts working days over the National Day break, and flags years without official data', async () => {
    const headers = bearer(await t.token('drafter'));
    expect((await t.http().get('/api/calendar/working-days?from=2026-09-30&add=1').set(headers)).body).toEqual({ date: '2026-10-08', provisional: false });
    expect((await t.http().get('/api/calendar/working-days?from=2026-10-08&add=-1').set(headers)).body).toEqual({ date: '2026-09-30', provisional: false });
    // 2027 has no official data: 春节 (5–8 February) has two weekend days, made up on 9 and 10 February.
    expect((await t.http().get('/api/calendar/working-days?from=2027-02-04&add=1').set(headers)).body).toEqual({ date: '2027-02-11', provisional: true });
    // One shape for a day's label, whether it comes from the packaged notices or the law.
    expect((await t.http().get('/api/calendar/days/2026-10-10').set(headers)).body).toEqual({
      date: '2026-10-10', working: true, holiday: { zh: '国庆节调休上班', en: 'National Day (adjusted working day)' }, provisional: false,
    });
    expect((await t.http().get('/api/calendar/days/2026-10-05').set(headers)).body).toEqual({ date: '2026-10-05', working: false, holiday: { zh: '国庆节', en: 'National Day' }, provisional: false });
    expect((await t.http().get('/api/calendar/days/2027-02-06').set(headers)).body).toEqual({ date: '2027-02-06', working: false, holiday: { zh: '春节', en: 'Spring Festival' }, provisional: true });
    expect((await t.http().get('/api/calendar/days/2027-10-04').set(headers)).body).toEqual({
      date: '2027-10-04', working: false, holiday: { zh: '国庆节补休', en: 'National Day (make-up day)' }, provisional: true,
    });
    expect((await t.http().get('/api/calendar/days/2026-10-12').set(headers)).body).toEqual({ date: '2026-10-12', working: true, provisional: false });
    expect((await t.http().get('/api/calendar/days/2026-02-30').set(headers)).status).toBe(404);
    expect((await t.http().get('/api/calendar/days/2026-13-01').set(headers)).status).toBe(404);
    expect((await t.http().get('/api/calendar/working-days?from=9999-12-30&add=5').set(headers)).status).toBe(400);
    expect((await t.http().get('/api/calendar/working-days?from=0000-01-03&add=-5').set(headers)).status).toBe(400);
    expect((await t.http().get('/api/calendar/working-days?from=2026-13-01&add=1').set(headers)).status).toBe(400);
    const bad = await t.http().get('/api/calendar/working-days?from=tomorrow&add=x').set(headers);
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['add', 'from']);
    expect((await t.http().get('/api/calendar/days/2026-10-10')).status).toBe(401);
  });
});

/** The headers every response carries: the API's JSON, its errors, and the web UI it serves. */
describe('security headers', () => {
  const database = testDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'shenpi-headers-'));
  let api: OpenApi;
  beforeAll(async () => {
    // A stand-in for dist/web: the UI's page and one hashed asset.
    mkdirSync(join(dir, 'web', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'web', 'index.html'), '<!doctype html><script type="module" src="/assets/app-1.js"></script><div id="app"></div>');
    writeFileSync(join(dir, 'web', 'assets', 'app-1.js'), 'document.getElementById("app").textContent = "ok";');
    api = await openApi({ database, attachments: { dir: join(dir, 'files'), maxBytes: 1024 * 1024 }, jwtSecret: 'headers-secret', webRoot: join(dir, 'web') });
    const readContract = watchContract(api.app);
    await api.app.init();
    await api.app.getHttpAdapter().getInstance().ready();
    await readContract();
  });
  afterAll(async () => {
    await api?.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('CSP (own scripts only, no plugins, no framing), nosniff, X-Frame-Options DENY and no referrer on the API, its errors and the web UI', async () => {
    const http = () => request(api.app.getHttpServer());
    const responses = {
      'the UI page': await http().get('/'),
      'a client route': await http().get('/documents/123'),
      'a UI asset': await http().get('/assets/app-1.js'),
      health: await http().get('/health'),
      'the OpenAPI document': await http().get('/api/docs-json'),
      'an anonymous 401': await http().get('/api/me'),
      'an unknown route': await http().get('/api/nothing-here'),
      'a body refused on its content-type': await http().post('/api/auth/login').set('content-type', 'application/octet-stream').send(Buffer.from('x')),
      'a validation error': await http().post('/api/auth/login').send({ username: 'x' }),
    };
    for (const [what, res] of Object.entries(responses)) {
      const csp = String(res.headers['content-security-policy']).split(';');
      expect({ what, csp: ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'"].filter((d) => !csp.includes(d)) }).toEqual({ what, csp: [] });
      expect({ what, csp: csp.filter((d) => /unsafe-eval|upgrade-insecure|https:/.test(d) || (d.startsWith('script-src') && /unsafe-inline/.test(d))) }).toEqual({ what, csp: [] });
      expect({ what, ...res.headers }).toMatchObject({ what, 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
    }
    expect(responses['the UI page'].text).toContain('/assets/app-1.js');
  });

  it('the same headers on answers Fastify writes itself: a URL it cannot read', async () => {
    const res = await request(api.app.getHttpServer()).get('/api/documents/%zz');
    expect(res.status).toBe(401);
    expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });
});
