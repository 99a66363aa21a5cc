import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forkApi, type ForkedApi } from '../support/fork-api.js';
import { testDatabase } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

const PASSWORD = 'hostile-bodies-pw-1';
const MiB = 1024 * 1024;
/** As large as the attachment limit allows: before the body gate, any route read such a body whole. */
const HUGE = Buffer.alloc(20 * MiB, 0x61);

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: any;
}

/**
 * One request on a connection of its own. With `send: false` only the headers go out (a
 * content-length promising the body, which never comes): a server that waited for the body would
 * never answer, so an answer proves the refusal was made on the headers alone.
 */
function raw(base: string, method: string, path: string, headers: Record<string, string | number>, body: Buffer, send = true): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, agent: false, headers: { 'content-length': body.length, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, body: text.startsWith('{') ? JSON.parse(text) : text });
        req.destroy();
      });
    });
    req.on('error', reject);
    if (send) req.end(body);
    else req.flushHeaders();
  });
}

/**
 * The answer to a body sent whole, or the reset that ended it: a server that refuses a body it has
 * not read closes the connection after its answer, and a client still writing may see the reset
 * (EPIPE, ECONNRESET) before it reads that answer.
 */
const sendWhole = (base: string, path: string, type: string) =>
  raw(base, 'POST', path, { 'content-type': type }, HUGE).then(
    (res) => res.status,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ECONNRESET') return 'reset' as const;
      throw err;
    },
  );

describe('hostile bodies: refused on their headers, before they are read', () => {
  const database = testDatabase();
  const attachmentsDir = mkdtempSync(join(tmpdir(), 'shenpi-hostile-'));
  let api: ForkedApi;
  let token: string;
  let docId: string;

  beforeAll(async () => {
    // The default attachment limit (20 MiB): the anonymous bodies below would fit in it.
    api = await forkApi({ database, attachments: { dir: attachmentsDir, maxBytes: 20 * MiB }, jwtSecret: 'hostile-bodies-secret', seed: { password: PASSWORD } });
    const login = await raw(api.url, 'POST', '/api/auth/login', { 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ username: 'drafter', password: PASSWORD })));
    token = login.body.accessToken;
    const doc = await raw(
      api.url,
      'POST',
      '/api/documents',
      { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      Buffer.from(JSON.stringify({ chain: 'annual-report', title: '附件', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE })),
    );
    docId = doc.body.id;
  }, 60_000);
  afterAll(async () => {
    await api?.stop();
    await database.drop();
    rmSync(attachmentsDir, { recursive: true, force: true });
  });

  /** Each hostile request, with the answer due on its headers alone. */
  const hostile = () => [
    { path: '/api/auth/login', type: 'application/octet-stream', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { path: '/api/tasks/bulk-decision', type: 'application/octet-stream', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { path: '/api/auth/login', type: 'application/json', status: 413, code: 'PAYLOAD_TOO_LARGE' },
    { path: '/api/tasks/bulk-decision', type: 'application/json', status: 413, code: 'PAYLOAD_TOO_LARGE' },
    { path: `/api/documents/${docId}/attachments?name=a.pdf`, type: 'application/pdf', status: 401, code: 'UNAUTHENTICATED' },
  ];

  it('an anonymous body is answered on its headers: a file type off an upload route 415, JSON over 1 MB 413, an upload 401', async () => {
    for (const h of hostile()) {
      const res = await raw(api.url, 'POST', h.path, { 'content-type': h.type }, HUGE, false);
      expect({ path: h.path, type: h.type, status: res.status, code: res.body.code }).toEqual({ path: h.path, type: h.type, status: h.status, code: h.code });
    }
    const typed = await raw(api.url, 'POST', '/api/auth/login', { 'content-type': 'application/octet-stream' }, HUGE, false);
    expect(typed.body.details).toEqual([{ field: 'content-type', reason: 'expected application/json' }]);
  });

  it('16 concurrent anonymous 20 MiB bodies to each route and type: the API process grows by less than 50 MB', async () => {
    const before = (await api.ask('stats')) as { rss: number; maxRss: number };
    const answers = await Promise.all(hostile().flatMap((h) => Array.from({ length: 16 }, () => sendWhole(api.url, h.path, h.type).then((got) => ({ h, got })))));
    const after = (await api.ask('stats')) as { rss: number; maxRss: number };
    const grown = { peak: after.maxRss - before.maxRss, now: after.rss - before.rss };
    console.log(`hostile bodies: ${answers.length} × 20 MiB (${answers.filter((a) => a.got === 'reset').length} reset before their answer was read); API rss ${Math.round(before.rss / MiB)} → ${Math.round(after.rss / MiB)} MiB, peak ${Math.round(before.maxRss / MiB)} → ${Math.round(after.maxRss / MiB)} MiB`);
    expect(grown.peak).toBeLessThan(50 * 1000 * 1000);
    expect(grown.now).toBeLessThan(50 * 1000 * 1000);
    for (const { h, got } of answers) expect({ path: h.path, type: h.type, refused: got === h.status || got === 'reset' }).toEqual({ path: h.path, type: h.type, refused: true });
  }, 120_000);

  it('a signed-in upload larger than the JSON limit is read and stored: the same bytes come back', async () => {
    const file = Buffer.alloc(3 * MiB, 0x25);
    const auth = { authorization: `Bearer ${token}` };
    const up = await raw(api.url, 'POST', `/api/documents/${docId}/attachments?name=big.pdf`, { ...auth, 'content-type': 'application/pdf' }, file);
    expect({ status: up.status, size: up.body.size }).toEqual({ status: 201, size: file.length });
    const down = await new Promise<Buffer>((resolve, reject) => {
      httpRequest(`${api.url}/api/attachments/${up.body.id}`, { headers: auth }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      })
        .on('error', reject)
        .end();
    });
    expect(Buffer.compare(down, file)).toBe(0);
    const tooBig = await raw(api.url, 'POST', `/api/documents/${docId}/attachments?name=huge.pdf`, { ...auth, 'content-type': 'application/pdf' }, Buffer.concat([HUGE, Buffer.alloc(1)]), false);
    expect({ status: tooBig.status, code: tooBig.body.code }).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });
});
