import { createHash } from 'node:crypto';
import { bearer, useApp } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

/** Files on a document and on a decision: stored by SHA-256, named in the audit, readable only by who may read the document. */
describe('attachments', () => {
  const t = useApp();
  const as = async (u: string) => bearer(await t.token(u));
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4096, 7)]);
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  let docId: string;

  beforeAll(async () => {
    const doc = await t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: '附件测试', year: 2024, departmentId: 'city-sti', content: REPORT_OUTLINE });
    docId = doc.body.id;
  });

  const upload = async (user: string, path: string, body: Buffer, type = 'application/pdf') =>
    t.http().post(path).set(await as(user)).set('content-type', type).send(body);

  it('the drafter attaches a file in draft: a new version, the hash in the audit entry, the same bytes back', async () => {
    const res = await upload('drafter', `/api/documents/${docId}/attachments?name=${encodeURIComponent('附件1 实施方案.pdf')}&expectedVersion=1`, pdf);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: '附件1 实施方案.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha(pdf), taskId: null });
    expect((await t.http().get(`/api/documents/${docId}`).set(await as('drafter'))).body.version).toBe(2);
    const audit = (await t.http().get(`/api/audit?documentId=${docId}`).set(await as('admin'))).body.items;
    expect(audit.find((e: { action: string }) => e.action === 'attach').details.attachment).toEqual({ id: res.body.id, name: '附件1 实施方案.pdf', size: pdf.length, sha256: sha(pdf) });
    const down = await t.http().get(`/api/attachments/${res.body.id}`).set(await as('counsel')).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(down.status).toBe(200);
    expect(Buffer.compare(down.body, pdf)).toBe(0);
    expect(down.headers['x-content-sha256']).toBe(sha(pdf));
    expect(down.headers['content-disposition']).toContain(encodeURIComponent('附件1 实施方案.pdf'));
    expect((await t.http().get(`/api/attachments/${res.body.id}`).set(await as('office'))).status).toBe(404);
    const list = await t.http().get(`/api/documents/${docId}/attachments`).set(await as('drafter'));
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([res.body.id]);
  });

  it('refuses: a stale version, someone not a drafter, an empty or too large file, a bad name, bytes sent to a JSON route', async () => {
    expect((await upload('drafter', `/api/documents/${docId}/attachments?name=a.pdf&expectedVersion=1`, pdf)).body.code).toBe('VERSION_CONFLICT');
    expect((await upload('counsel', `/api/documents/${docId}/attachments?name=a.pdf`, pdf)).status).toBe(403);
    expect((await upload('drafter', `/api/documents/${docId}/attachments?name=a.pdf`, Buffer.alloc(0))).body.details).toEqual([{ field: 'body', reason: 'the file is empty' }]);
    expect((await upload('drafter', `/api/documents/${docId}/attachments?name=big.pdf`, Buffer.alloc(300 * 1024, 1))).status).toBe(413);
    expect((await upload('drafter', `/api/documents/${docId}/attachments?name=..%2Fetc%2Fpasswd`, pdf)).body.details[0].field).toBe('name');
    expect((await upload('drafter', `/api/documents/${docId}/attachments`, pdf)).body.details[0].field).toBe('name');
    const bytesToJson = await upload('drafter', `/api/documents/${docId}/actions`, pdf, 'application/octet-stream');
    expect({ status: bytesToJson.status, code: bytesToJson.body.code, details: bytesToJson.body.details }).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', details: [{ field: 'content-type', reason: 'expected application/json' }] });
    // Nor is a file sent inside JSON: an upload takes the file's own bytes and type.
    const jsonToUpload = await upload('drafter', `/api/documents/${docId}/attachments?name=a.json`, Buffer.from('{"file":"JVBERi0="}'), 'application/json');
    expect({ status: jsonToUpload.status, details: jsonToUpload.body.details }).toEqual({ status: 415, details: [{ field: 'content-type', reason: expect.stringMatching(/^application\/json is not accepted for a file/) }] });
    expect((await t.http().get(`/api/documents/${docId}`).set(await as('drafter'))).body.version).toBe(2);
  });

  it('a reviewer attaches an opinion to their task; the decision names it by hash; afterwards nothing more is attached', async () => {
    const drafter = await as('drafter');
    await t.http().post(`/api/documents/${docId}/actions`).set(drafter).send({ action: 'submit' });
    expect((await upload('drafter', `/api/documents/${docId}/attachments?name=late.pdf`, pdf)).status).toBe(409);
    const task = (await t.http().get(`/api/documents/${docId}`).set(await as('counsel'))).body.openTasks[0].id;
    const opinion = Buffer.from('法律审核意见：同意。');
    expect((await upload('secretary', `/api/tasks/${task}/attachments?name=op.txt`, opinion, 'text/plain')).status).toBe(403);
    const res = await upload('counsel', `/api/tasks/${task}/attachments?name=${encodeURIComponent('法律审核意见书.txt')}`, opinion, 'text/plain; charset=utf-8');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ taskId: task, contentType: 'text/plain', sha256: sha(opinion) });
    await t.http().post(`/api/tasks/${task}/decision`).set(await as('counsel')).send({ decision: 'approve' });
    const audit = (await t.http().get(`/api/audit?documentId=${docId}`).set(await as('admin'))).body.items;
    expect(audit.find((e: { action: string }) => e.action === 'approve').details.attachments).toEqual([{ id: res.body.id, name: '法律审核意见书.txt', size: opinion.length, sha256: sha(opinion) }]);
    expect((await upload('counsel', `/api/tasks/${task}/attachments?name=more.txt`, opinion, 'text/plain')).body.code).toBe('TASK_NOT_OPEN');
    expect((await t.http().get('/api/audit/verify').set(await as('admin'))).body.ok).toBe(true);
  });

  it('a name with bidi controls, control or other format characters is 400 naming name, on a document and on a task; nothing is stored', async () => {
    const drafter = await as('drafter');
    const doc = (await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: '文件名', year: 2023, departmentId: 'city-sti', content: REPORT_OUTLINE })).body;
    // U+202E shows `invoice\u202efdp.exe` as "invoiceexe.pdf"; the rest are the other bidi controls, marks, zero-width and control characters.
    const names = ['invoice\u202efdp.exe', 'a\u202ab.pdf', 'a\u202db.pdf', 'a\u2066b.pdf', 'a\u2069b.pdf', 'a\u200eb.pdf', 'a\u200fb.pdf', 'a\u061cb.pdf', 'a\u200bb.pdf', 'a\ufeffb.pdf', 'a\u0007b.pdf', 'a\u0085b.pdf', 'a\u2028b.pdf',
      // Characters that render as nothing, and runs of spaces, push an extension out of sight.
      `report.pdf${'\u2800'.repeat(60)}.exe`, `report.pdf${'\u00a0'.repeat(60)}.exe`, `report.pdf${' '.repeat(40)}.exe`, 'invoice\u3164.pdf', 'a\u115fb.pdf', 'a\u034fb.pdf', 'a\ufe0fb.pdf', 'a\ue000b.pdf', 'a\uffffb.pdf'];
    for (const name of names) {
      const res = await upload('drafter', `/api/documents/${doc.id}/attachments?name=${encodeURIComponent(name)}`, pdf);
      expect({ name, status: res.status, field: res.body.details?.[0]?.field }).toEqual({ name, status: 400, field: 'name' });
    }
    expect((await upload('drafter', `/api/documents/${doc.id}/attachments?name=${encodeURIComponent('invoice\u202efdp.exe')}`, pdf)).body.details).toEqual([
      { field: 'name', reason: 'must not contain control, format, invisible or bidirectional characters (U+202E)' },
    ]);
    await t.http().post(`/api/documents/${doc.id}/actions`).set(drafter).send({ action: 'submit' }).expect(200);
    const task = (await t.http().get(`/api/documents/${doc.id}`).set(await as('counsel'))).body.openTasks[0].id;
    for (const name of names) {
      const res = await upload('counsel', `/api/tasks/${task}/attachments?name=${encodeURIComponent(name)}`, pdf);
      expect({ name, status: res.status, field: res.body.details?.[0]?.field }).toEqual({ name, status: 400, field: 'name' });
    }
    expect((await t.http().get(`/api/documents/${doc.id}/attachments`).set(drafter)).body.items).toEqual([]);
    expect((await upload('counsel', `/api/tasks/${task}/attachments?name=${encodeURIComponent('意见 (终稿).pdf')}`, pdf)).status).toBe(201);
  });

  it('a download is always saved, never shown: attachment with a safe filename*, nosniff, a sandboxing policy', async () => {
    const drafter = await as('drafter');
    const doc = (await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: '下载', year: 2022, departmentId: 'city-sti', content: REPORT_OUTLINE })).body;
    const name = `报告 "终稿" (v2)*'%.txt`;
    const up = await upload('drafter', `/api/documents/${doc.id}/attachments?name=${encodeURIComponent(name)}`, Buffer.from('<script>alert(1)</script>'), 'text/plain');
    expect(up.status).toBe(201);
    const down = await t.http().get(`/api/attachments/${up.body.id}`).set(drafter);
    expect(down.headers['content-disposition']).toBe(`attachment; filename="__ ____ (v2)*'_.txt"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%20%22%E7%BB%88%E7%A8%BF%22%20%28v2%29%2A%27%25.txt`);
    expect(down.headers).toMatchObject({ 'content-type': 'text/plain', 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'; sandbox" });
  });

  it('SVG, HTML and other XML are refused as files (415 naming content-type); one stored by another path is served as plain bytes', async () => {
    const drafter = await as('drafter');
    const doc = (await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: '类型', year: 2021, departmentId: 'city-sti', content: REPORT_OUTLINE })).body;
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>');
    for (const type of ['image/svg+xml', 'IMAGE/SVG+XML; charset=utf-8', 'text/html', 'application/xhtml+xml', 'application/vnd.wap.xhtml+xml', 'text/xml', 'application/xml', 'application/x-www-form-urlencoded']) {
      const res = await upload('drafter', `/api/documents/${doc.id}/attachments?name=a.svg`, svg, type);
      expect({ type, status: res.status, code: res.body.code, field: res.body.details?.[0]?.field }).toEqual({ type, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', field: 'content-type' });
    }
    expect((await t.http().post(`/api/documents/${doc.id}/attachments?name=a.svg`).set('content-type', 'image/svg+xml').send(svg)).status).toBe(401);
    // The engine takes any type (an import, a CLI): on the way out an active one is neutralised.
    const me = (await t.http().get('/api/me').set(drafter)).body;
    const principal = (await t.engine.authentication.principal(me.id))!;
    const stored = await t.engine.attachments.toDocument(principal, doc.id, { name: 'logo.svg', contentType: 'image/svg+xml', data: svg });
    const down = await t.http().get(`/api/attachments/${stored.id}`).set(drafter);
    expect(down.headers).toMatchObject({ 'content-type': 'application/octet-stream', 'content-disposition': expect.stringMatching(/^attachment;/), 'x-content-type-options': 'nosniff' });
  });
});
