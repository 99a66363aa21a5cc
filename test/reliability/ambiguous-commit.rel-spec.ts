import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { bearer, PASSWORD, useApp } from '../support/test-app.js';
import { recordFigure } from './figures.js';

/**
 * Ambiguous commit (reliability check 3): a client whose answer was lost retries with the same
 * Idempotency-Key and gets the first answer; the change is applied and audited once.
 */
describe('Idempotency-Key', () => {
  const t = useApp();
  let year = 2030;

  const principalOf = async (username: string) => {
    const row = await t.engine.database.reader.one<{ id: string }>('SELECT id FROM users WHERE username = ?', [username]);
    return (await t.engine.authentication.principal(row!.id))!;
  };

  const auditCount = async (documentId: string) =>
    Number((await t.engine.database.reader.one<{ n: number }>('SELECT COUNT(*) AS n FROM audit_entries WHERE document_id = ?', [documentId]))!.n);

  /** A submitted report: its legal-review task is open for counsel. */
  async function submitted() {
    const drafter = bearer(await t.token('drafter'));
    const doc = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: `报告${year}`, year: year++, departmentId: 'city-sti', content: REPORT_OUTLINE });
    const sub = await t.http().post(`/api/documents/${doc.body.id}/actions`).set(drafter).send({ action: 'submit' });
    expect(sub.status).toBe(200);
    return { documentId: doc.body.id as string, taskId: sub.body.openTasks[0].id as string };
  }

  it('answers a retry after a lost response with the first answer, and applies the decision once', async () => {
    const counsel = bearer(await t.token('counsel'));
    const { documentId, taskId } = await submitted();
    const before = await auditCount(documentId);

    // The first request goes out on a raw socket whose answer the client never reads: lost.
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const body = JSON.stringify({ decision: 'approve', comment: '合法' });
    const socket = connect(port, '127.0.0.1');
    socket.write(
      `POST /api/tasks/${taskId}/decision HTTP/1.1\r\nHost: x\r\nAuthorization: ${counsel.Authorization}\r\nIdempotency-Key: lost-1\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    for (let i = 0; i < 200 && (await auditCount(documentId)) === before; i++) await new Promise((r) => setTimeout(r, 10));
    socket.destroy();
    expect(await auditCount(documentId)).toBe(before + 1);

    const retry = await t.http().post(`/api/tasks/${taskId}/decision`).set(counsel).set('Idempotency-Key', 'lost-1').send({ decision: 'approve', comment: '合法' });
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toMatchObject({ id: documentId, state: 'party-group-review' });
    expect(await auditCount(documentId)).toBe(before + 1);

    // Without the key the same retry is what it always was: the task is no longer open.
    const bare = await t.http().post(`/api/tasks/${taskId}/decision`).set(counsel).send({ decision: 'approve', comment: '合法' });
    expect(bare.status).toBe(409);
    expect(bare.body.code).toBe('TASK_NOT_OPEN');
    recordFigure(
      'ambiguous commit',
      `first answer lost (socket closed unread), retry with the same Idempotency-Key: ${retry.status} Idempotent-Replayed=${retry.headers['idempotent-replayed']}, ` +
        `state ${retry.body.state}, audit entries for the decision ${(await auditCount(documentId)) - before} (a retry without the key: ${bare.status} ${bare.body.code}) [${t.engine.database.kind}]`,
    );
  });

  it('replays the stored answer byte for byte, even after the document moved on', async () => {
    const counsel = bearer(await t.token('counsel'));
    const { documentId, taskId } = await submitted();
    const first = await t.http().post(`/api/tasks/${taskId}/decision`).set(counsel).set('Idempotency-Key', 'k-replay').send({ decision: 'return', comment: '请补充' });
    expect(first.status).toBe(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const drafter = bearer(await t.token('drafter'));
    expect((await t.http().post(`/api/documents/${documentId}/actions`).set(drafter).send({ action: 'submit' })).status).toBe(200);

    const again = await t.http().post(`/api/tasks/${taskId}/decision`).set(counsel).set('Idempotency-Key', 'k-replay').send({ comment: '请补充', decision: 'return' });
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.body.state).toBe('draft');
  });

  it('refuses the same key with a different request (422) and changes nothing', async () => {
    const counsel = bearer(await t.token('counsel'));
    const a = await submitted();
    const b = await submitted();
    expect((await t.http().post(`/api/tasks/${a.taskId}/decision`).set(counsel).set('Idempotency-Key', 'k-misuse').send({ decision: 'approve' })).status).toBe(200);
    const before = await auditCount(b.documentId);
    const misuse = await t.http().post(`/api/tasks/${b.taskId}/decision`).set(counsel).set('Idempotency-Key', 'k-misuse').send({ decision: 'approve' });
    expect(misuse.status).toBe(422);
    expect(misuse.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { key: 'k-misuse' } });
    expect(await auditCount(b.documentId)).toBe(before);
    const task = await t.http().get(`/api/tasks/${b.taskId}`).set(counsel);
    expect(task.body.status).toBe('open');
  });

  it('keeps keys per caller: another user reusing a key gets their own result', async () => {
    const drafter = bearer(await t.token('drafter'));
    const counsel = bearer(await t.token('counsel'));
    const { taskId } = await submitted();
    const mine = await t.http().post('/api/documents').set(drafter).set('Idempotency-Key', 'shared-key').send({ chain: 'annual-report', title: '共享', year: year++, departmentId: 'city-sti', content: REPORT_OUTLINE });
    expect(mine.status).toBe(201);
    const theirs = await t.http().post(`/api/tasks/${taskId}/decision`).set(counsel).set('Idempotency-Key', 'shared-key').send({ decision: 'approve' });
    expect(theirs.status).toBe(200);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.state).toBe('party-group-review');
  });

  it('replays a delegation to the delegator, who no longer holds the task', async () => {
    const counsel = bearer(await t.token('counsel'));
    const { taskId } = await submitted();
    const toUserId = (await t.engine.directory.addUser({ username: 'counsel-2', password: PASSWORD, departmentId: 'city-sti', roles: ['legal-counsel'] })).id;
    const send = () => t.http().post(`/api/tasks/${taskId}/delegate`).set(counsel).set('Idempotency-Key', 'hand-over').send({ toUserId, comment: '请代为审核' });
    const first = await send();
    expect(first.status).toBe(200);
    const again = await send();
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('creates one document for a retried create, answering 201 with it each time', async () => {
    const drafter = bearer(await t.token('drafter'));
    const send = () =>
      t.http().post('/api/documents').set(drafter).set('Idempotency-Key', 'create-1').send({ chain: 'annual-report', title: '重试', year: 2090, departmentId: 'city-sti', content: REPORT_OUTLINE });
    const first = await send();
    const second = await send();
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const count = await t.engine.database.reader.one<{ n: number }>('SELECT COUNT(*) AS n FROM documents WHERE year = 2090');
    expect(Number(count!.n)).toBe(1);
  });

  it('answers simultaneous twins with one application and the same result', async () => {
    const counsel = bearer(await t.token('counsel'));
    const { documentId, taskId } = await submitted();
    const before = await auditCount(documentId);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => t.http().post(`/api/tasks/${taskId}/decision`).set(counsel).set('Idempotency-Key', 'twins').send({ decision: 'approve' })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(responses.map((r) => r.body.version)).size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect(await auditCount(documentId)).toBe(before + 1);
    recordFigure('ambiguous commit (simultaneous twins)', `10 simultaneous twins with one key: 10 × 200, one applied, 9 replayed, 1 audit entry [${t.engine.database.kind}]`);
  });

  it('rebuilds the answer when the process stopped between the commit and storing it', async () => {
    const counsel = bearer(await t.token('counsel'));
    const { documentId, taskId } = await submitted();
    const principal = await principalOf('counsel');
    // The use case commits the decision and its key; the answer is never stored (the crash window).
    const claimBody = { decision: 'approve' };
    const { createHash } = await import('node:crypto');
    const fingerprint = createHash('sha256').update(`POST /api/tasks/${taskId}/decision\n${JSON.stringify(claimBody)}`).digest('hex');
    await t.engine.transition.execute({ documentId, taskId, principal, action: 'approve', idempotency: { key: 'crashed', fingerprint } });

    const retry = await t.http().post(`/api/tasks/${taskId}/decision`).set(counsel).set('Idempotency-Key', 'crashed').send(claimBody);
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toMatchObject({ id: documentId, state: 'party-group-review' });
  });

  it('refuses a malformed key with 400 naming the header', async () => {
    const counsel = bearer(await t.token('counsel'));
    const { taskId } = await submitted();
    for (const key of ['has space', 'x'.repeat(256), 'café']) {
      const res = await t.http().post(`/api/tasks/${taskId}/decision`).set(counsel).set('Idempotency-Key', key).send({ decision: 'approve' });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    }
    expect((await t.http().get(`/api/tasks/${taskId}`).set(counsel)).body.status).toBe('open');
  });

  it('forgets keys after 24 hours', async () => {
    const counsel = bearer(await t.token('counsel'));
    const { taskId } = await submitted();
    expect((await t.http().post(`/api/tasks/${taskId}/decision`).set(counsel).set('Idempotency-Key', 'old').send({ decision: 'approve' })).status).toBe(200);
    const counselId = (await principalOf('counsel')).id;
    const has = async () => Boolean(await t.engine.database.reader.one('SELECT 1 AS x FROM idempotency_keys WHERE principal_id = ? AND key = ?', [counselId, 'old']));
    expect(await t.engine.idempotency.purgeExpired()).toBe(0);
    expect(await has()).toBe(true);
    t.clock.advance(25 * 3600_000);
    expect(await t.engine.idempotency.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await has()).toBe(false);
  });
});
