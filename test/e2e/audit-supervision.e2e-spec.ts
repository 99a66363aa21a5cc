import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Response } from 'superagent';
import { canonicalOf, hashOf, type AuditEntry } from '@shenpi/audit';
import { fillAudit } from '../support/audit-fill.js';
import { bearer, useApp } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

/** Supervisors search, export and check the audit log; checkpoints are signed and verified over HTTP. */
describe('audit for supervisors', () => {
  const t = useApp();
  const as = async (u: string) => bearer(await t.token(u));
  /** Reads a streamed body as text without letting the client buffer more than it must. */
  const text = (res: Response, cb: (err: Error | null, body: string) => void) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
  };
  let docId: string;

  beforeAll(async () => {
    const drafter = await as('drafter');
    const doc = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: '审计导出, "测试"', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    docId = doc.body.id;
    await t.http().post(`/api/documents/${docId}/actions`).set(drafter).send({ action: 'submit' });
    const task = (await t.http().get(`/api/documents/${docId}`).set(await as('counsel'))).body.openTasks[0].id;
    await t.http().post(`/api/tasks/${task}/decision`).set(await as('counsel')).send({ decision: 'return', comment: '=HYPERLINK("x"), 请补充' });
  });

  it('searches by department, action and category, newest first, within the supervisor\'s scope', async () => {
    const supervisor = await as('supervisor');
    const returns = await t.http().get('/api/audit?action=return&departmentId=city-sti').set(supervisor);
    expect(returns.body.items.map((e: AuditEntry) => [e.action, e.documentId])).toEqual([['return', docId]]);
    const logins = (await t.http().get('/api/audit?category=security&action=login').set(await as('admin'))).body.items;
    expect(logins.length).toBeGreaterThan(0);
    expect(logins.every((e: AuditEntry) => e.category === 'security' && e.action === 'login')).toBe(true);
    expect((await t.http().get('/api/audit?departmentId=elsewhere').set(supervisor)).body.items).toEqual([]);
    expect((await t.http().get('/api/audit?action=Not%20Kebab').set(supervisor)).body.details[0].field).toBe('action');
    expect((await t.http().get('/api/audit').set(await as('drafter'))).status).toBe(403);
  });

  it('exports CSV with a BOM for Excel, quoting and defusing cells, the same entries as the search', async () => {
    const res = await t.http().get(`/api/audit/export?format=csv&documentId=${docId}`).set(await as('supervisor')).buffer(true).parse(text);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="audit-.*\.csv"/);
    const body = res.body as string;
    expect(body.startsWith('\uFEFF序号 seq,时间 at,')).toBe(true);
    const lines = body.slice(1).trim().split('\r\n');
    expect(lines).toHaveLength(1 + 3); // header, create, submit, return
    const returnLine = lines.find((l) => l.includes(',return,'))!;
    // The comment is inside the details JSON (in the hashed text's key order): quoted, its quotes doubled; a formula never starts a cell.
    expect(returnLine).toContain('"{""comment"":""=HYPERLINK(\\""x\\""), 请补充"",');
    expect(returnLine).toContain('""version"":3}"');
    expect(lines.every((l) => !/(^|,)[=+@]/.test(l))).toBe(true);
  });

  it('exports JSON Lines oldest first, each line the entry as hashed', async () => {
    const res = await t.http().get('/api/audit/export?format=jsonl').set(await as('admin')).buffer(true).parse(text);
    const entries: AuditEntry[] = (res.body as string).trim().split('\n').map((l) => JSON.parse(l));
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    for (const e of entries) {
      const { hash, ...unsigned } = e;
      expect(hash).toBe(hashOf(e.prevHash, canonicalOf(unsigned)));
    }
    expect((await t.http().get('/api/audit/export?format=xml').set(await as('admin'))).body.details[0].field).toBe('format');
    expect((await t.http().get('/api/audit/export?format=csv').set(await as('drafter'))).status).toBe(403);
  });

  it('signs checkpoints on request; an auditor checks a kept one, and a doctored one fails', async () => {
    const admin = await as('admin');
    expect((await t.http().post('/api/audit/checkpoints').set(await as('supervisor'))).status).toBe(403);
    const signed = await t.http().post('/api/audit/checkpoints').set(admin);
    expect(signed.status).toBe(201);
    const list = await t.http().get('/api/audit/checkpoints').set(await as('supervisor'));
    expect(list.body).toMatchObject({ keyId: signed.body.keyId, items: [signed.body] });
    const check = await t.http().post('/api/audit/checkpoints/verify').set(await as('supervisor')).send(signed.body);
    expect(check.body).toMatchObject({ ok: true, signatureValid: true, entryMatches: true, chain: { ok: true } });
    const doctored = await t.http().post('/api/audit/checkpoints/verify').set(await as('supervisor')).send({ ...signed.body, seq: signed.body.seq - 1 });
    expect(doctored.body).toMatchObject({ ok: false, signatureValid: false });
    expect((await t.http().post('/api/audit/checkpoints/verify').set(admin).send({ ...signed.body, hash: 'nothex' })).body.details[0].field).toBe('hash');
  });

  it('reads a document\'s timeline: who acted in which role, how long each stay took, and whether it met its deadline', async () => {
    const drafter = await as('drafter');
    const counsel = await as('counsel');
    const start = new Date('2026-02-02T02:00:00.000Z');
    t.clock.set(start);
    const doc = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: '时间线', year: 2024, departmentId: 'city-sti', content: REPORT_OUTLINE });
    const id = doc.body.id;
    t.clock.set(new Date(start.getTime() + 3 * 3600_000));
    const submitted = await t.http().post(`/api/documents/${id}/actions`).set(drafter).send({ action: 'submit' });
    const firstDue = submitted.body.dueAt as string;
    // Returned in time, one day later.
    t.clock.set(new Date(start.getTime() + 27 * 3600_000));
    await t.http().post(`/api/tasks/${submitted.body.openTasks[0].id}/decision`).set(counsel).send({ decision: 'return', comment: '补充' });
    const again = await t.http().post(`/api/documents/${id}/actions`).set(drafter).send({ action: 'submit' });
    const secondDue = again.body.dueAt as string;
    // Approved an hour after the second deadline.
    t.clock.set(new Date(Date.parse(secondDue) + 3600_000));
    await t.http().post(`/api/tasks/${again.body.openTasks[0].id}/decision`).set(counsel).send({ decision: 'approve' });

    const timeline = (await t.http().get(`/api/documents/${id}/timeline`).set(await as('supervisor'))).body;
    expect(timeline.transitions.map((x: { action: string }) => x.action)).toEqual(['create', 'submit', 'return', 'submit', 'approve']);
    expect(timeline.transitions[2]).toMatchObject({ actor: { role: 'legal-counsel', onBehalfOf: null }, comment: '补充' });
    const stays = timeline.stays.map((s: { step: string; round: number; hours: number; dueAt: string | null; met: boolean | null; leftAt: string | null }) => [s.step, s.round, s.hours, s.dueAt, s.met]);
    expect(stays).toEqual([
      ['draft', 1, 3, null, null],
      ['legal-review', 1, 24, firstDue, true],
      ['draft', 2, 0, null, null],
      ['legal-review', 2, Math.round((Date.parse(secondDue) + 3600_000 - (start.getTime() + 27 * 3600_000)) / 36_000) / 100, secondDue, false],
      ['party-group-review', 1, 0, expect.any(String), null],
    ]);
    expect((await t.http().get(`/api/documents/${id}/timeline`).set(await as('office'))).status).toBe(404);
  });

  it('streams an export of 100,000 entries with flat memory', async () => {
    await fillAudit(t.engine, 100_000);
    // Live memory, not garbage waiting for a collection: collect before each sample.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const live = () => (gc(), process.memoryUsage());
    const baseline = live();
    let peak = 0;
    let chunks = 0;
    let bytes = 0;
    let lines = 0;
    const res = await t
      .http()
      .get('/api/audit/export?format=csv')
      .set(await as('admin'))
      .buffer(true)
      .parse((stream: Response, cb) => {
        stream.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          for (const b of chunk) if (b === 0x0a) lines++;
          if (++chunks % 40 !== 0) return;
          const m = live();
          peak = Math.max(peak, m.heapUsed + m.external - baseline.heapUsed - baseline.external);
        });
        stream.on('end', () => cb(null, null));
      });
    expect(res.status).toBe(200);
    expect(lines).toBeGreaterThan(100_000);
    // The CSV (~40 MB) is far larger than the bound: buffering it (or its entries, several times larger as
    // objects) would exceed it. The bound leaves room for a driver's page of rows and the stream's buffers,
    // which differ between SQLite and PostgreSQL and between Node versions (8.7 MB seen on PostgreSQL, Node 24).
    console.log(`exported ${bytes} bytes, ${lines} lines; peak heap+external growth ${(peak / 1048576).toFixed(1)} MB`);
    expect(bytes).toBeGreaterThan(35 * 1024 * 1024);
    expect(peak).toBeLessThan(bytes / 3);
  }, 300_000);
});
