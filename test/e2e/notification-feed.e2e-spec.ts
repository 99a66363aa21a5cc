import { request as httpRequest, type IncomingMessage } from 'node:http';
import { OPERATOR } from '@shenpi/engine';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { bearer, useApp } from '../support/test-app.js';

interface Note {
  id: string;
  kind: string;
  documentId: string | null;
  taskId: string | null;
  message: string;
}

/** Everyone hears of new work and of what happened to their documents, in-app and live, from the audit log. */
describe('notifications of tasks and decisions', () => {
  const t = useApp();
  const as = async (u: string) => bearer(await t.token(u));
  const notes = async (user: string): Promise<Note[]> => (await t.http().get('/api/notifications?limit=100').set(await as(user))).body.items;
  const kinds = async (user: string, documentId: string) => (await notes(user)).filter((n) => n.documentId === documentId).map((n) => n.kind).reverse();
  const openTask = async (user: string, id: string) => (await t.http().get(`/api/documents/${id}`).set(await as(user))).body.openTasks[0].id as string;
  const decide = async (user: string, taskId: string, body: object) => expect((await t.http().post(`/api/tasks/${taskId}/decision`).set(await as(user)).send(body)).status).toBe(200);

  it('tells each reviewer of their new task, the author of a return and of each decision, and nobody of what they did', async () => {
    const created = await t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: '2025年度报告', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    const id = created.body.id;
    expect((await t.http().post(`/api/documents/${id}/actions`).set(await as('drafter')).send({ action: 'submit' })).status).toBe(200);
    // Nothing is written with the decision: the feed reads the log after it.
    expect(await kinds('counsel', id)).toEqual([]);
    expect(await t.engine.notificationFeed.drain()).toBeGreaterThan(0);
    const first = await openTask('counsel', id);
    expect((await notes('counsel')).filter((n) => n.documentId === id)).toEqual([expect.objectContaining({ kind: 'task-assigned', taskId: first, message: expect.stringContaining('法制审核') })]);

    await decide('counsel', first, { decision: 'return', comment: '请补充数据' });
    await t.engine.notificationFeed.drain();
    expect(await kinds('drafter', id)).toEqual(['returned']);
    expect((await notes('drafter'))[0].message).toContain('请补充数据');
    // The counsel is not told of their own return, and the draft is the author's own work, not a new task.
    expect(await kinds('counsel', id)).toEqual(['task-assigned']);

    expect((await t.http().post(`/api/documents/${id}/actions`).set(await as('drafter')).send({ action: 'submit' })).status).toBe(200);
    await t.engine.notificationFeed.drain();
    const second = await openTask('counsel', id);
    expect(second).not.toBe(first);
    expect(await kinds('counsel', id)).toEqual(['task-assigned', 'task-assigned']);
    await decide('counsel', second, { decision: 'approve' });
    await t.engine.notificationFeed.drain();
    expect(await kinds('drafter', id)).toEqual(['returned', 'decided']);
    expect(await kinds('secretary', id)).toEqual(['task-assigned']);
    // A pass with nothing new writes nothing, and a second pass never repeats a task.
    expect(await t.engine.notificationFeed.drain()).toBe(0);
    expect(await kinds('secretary', id)).toEqual(['task-assigned']);

    const party = await openTask('secretary', id);
    await decide('secretary', party, { decision: 'approve' });
    await t.engine.notificationFeed.drain();
    const office = await openTask('office', id);
    await decide('office', office, { decision: 'approve' });
    expect((await t.http().post(`/api/documents/${id}/actions`).set(await as('drafter')).send({ action: 'record-disclosure', disclosure: { url: 'https://kjj.example.gov.cn/2025.html', publishedOn: '2026-02-02' } })).status).toBe(200);
    await t.engine.notificationFeed.drain();
    expect(await kinds('office', id)).toEqual(['task-assigned']);
    expect(await kinds('drafter', id)).toEqual(['returned', 'decided', 'decided', 'decided']);
    expect(await kinds('supervisor', id)).toEqual(['disclosed']);
  });

  it('tells a disabled user nothing, nor anyone who wrote a document of a review task of it', async () => {
    const told = async (documentId: string) => (await t.engine.writer.run((r) => r.sql.all<{ user_id: string; kind: string }>('SELECT user_id, kind FROM notifications WHERE document_id = ?', [documentId])));
    const counselId = (await t.http().get('/api/me').set(await as('counsel'))).body.id;

    // An author who left: the return of their report is told to nobody.
    const { id: left } = await t.engine.directory.addUser({ username: 'drafter-left', password: 'Qz8-wandering-1', departmentId: 'city-sti', roles: ['drafter'] });
    const leaving = (await t.engine.authentication.login('drafter-left', 'Qz8-wandering-1'))!;
    const a = await t.engine.createDocument.execute({ principal: leaving, chain: 'annual-report', title: '2023年度报告', year: 2023, departmentId: 'city-sti', content: REPORT_OUTLINE });
    await t.engine.transition.execute({ documentId: a.id, action: 'submit', principal: leaving });
    await t.engine.notificationFeed.drain();
    await t.engine.organisation.disableUser(OPERATOR, left, '调离');
    await decide('counsel', await openTask('counsel', a.id), { decision: 'return', comment: '请补充' });
    await t.engine.notificationFeed.drain();
    expect((await told(a.id)).filter((n) => n.user_id === left)).toEqual([]);

    // A drafter who also holds the counsel role edited the report: the counsel task is not announced to them.
    const { id: editor } = await t.engine.directory.addUser({ username: 'drafter-counsel', password: 'Kp4-mountain-9', departmentId: 'city-sti', roles: ['drafter', 'legal-counsel'] });
    const b = (await t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: '2022年度报告', year: 2022, departmentId: 'city-sti', content: REPORT_OUTLINE })).body;
    const editorToken = (await t.http().post('/api/auth/login').send({ username: 'drafter-counsel', password: 'Kp4-mountain-9' })).body.accessToken;
    expect((await t.http().patch(`/api/documents/${b.id}`).set(bearer(editorToken)).send({ content: `${REPORT_OUTLINE}\n补充。`, expectedVersion: b.version })).status).toBe(200);
    expect((await t.http().post(`/api/documents/${b.id}/actions`).set(await as('drafter')).send({ action: 'submit' })).status).toBe(200);
    await t.engine.notificationFeed.drain();
    const onB = await told(b.id);
    expect(onB).toContainEqual({ user_id: counselId, kind: 'task-assigned' });
    expect(onB.filter((n) => n.user_id === editor)).toEqual([]);
  });

  /** Who was told what of a document: [username, kind, taskId], by username. */
  const toldOf = async (documentId: string) =>
    (
      await t.engine.database.reader.all<{ username: string; kind: string; task_id: string | null }>(
        'SELECT u.username, n.kind, n.task_id FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.document_id = ? ORDER BY u.username, n.id',
        [documentId],
      )
    ).map((n) => [n.username, n.kind, n.task_id]);
  const submitted = async (year: number) => {
    const { id } = (await t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: `${year}年度报告`, year, departmentId: 'city-sti', content: REPORT_OUTLINE })).body;
    expect((await t.http().post(`/api/documents/${id}/actions`).set(await as('drafter')).send({ action: 'submit' })).status).toBe(200);
    await t.engine.notificationFeed.drain();
    return id as string;
  };

  it("tells each holder of a task's role in its department of the task, and no holder of the role elsewhere", async () => {
    await t.engine.directory.addUser({ username: 'counsel-two', password: 'Rv7-lantern-42', departmentId: 'city-sti', roles: ['legal-counsel'] });
    await t.engine.directory.addUser({ username: 'counsel-office', password: 'Hw3-orchard-58', departmentId: 'rule-of-law-office', roles: ['legal-counsel'] });
    const id = await submitted(2021);
    const task = await openTask('counsel', id);
    // (drafter-counsel, of the test above, holds the role there too.)
    expect((await toldOf(id)).filter(([user]) => ['counsel', 'counsel-two', 'counsel-office'].includes(user!))).toEqual([
      ['counsel', 'task-assigned', task],
      ['counsel-two', 'task-assigned', task],
    ]);
  });

  it('tells the new holder of a task handed on (转交), and only them: the task is no longer the whole role\'s', async () => {
    const id = await submitted(2020);
    const task = await openTask('counsel', id);
    const before = await toldOf(id);
    expect(before).toContainEqual(['counsel', 'task-assigned', task]);
    // Two counsels join after the task was announced: it is handed to one of them.
    const { id: newcomer } = await t.engine.directory.addUser({ username: 'counsel-new', password: 'Tb5-harbour-17', departmentId: 'city-sti', roles: ['legal-counsel'] });
    await t.engine.directory.addUser({ username: 'counsel-other', password: 'Mx2-meadow-93', departmentId: 'city-sti', roles: ['legal-counsel'] });
    const handed = await t.http().post(`/api/tasks/${task}/delegate`).set(await as('counsel')).send({ toUserId: newcomer, comment: '本人回避' });
    expect([handed.status, handed.body.assigneeUserId]).toEqual([200, newcomer]);
    await t.engine.notificationFeed.drain();
    expect(await toldOf(id)).toEqual([...before, ['counsel-new', 'task-assigned', task]].sort((a, b) => a[0]!.localeCompare(b[0]!)));
  });

  it('pushes each new notification to an open stream, with the token as a query parameter for EventSource', async () => {
    const url = (await t.app.listen(0, '127.0.0.1'), await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    const token = await t.token('counsel');
    const status = (path: string) => new Promise<number>((resolve) => httpRequest(`${url}${path}`, (res) => (resolve(res.statusCode ?? 0), res.resume())).end());
    expect(await status('/api/notifications/stream')).toBe(401);
    expect(await status('/api/notifications/stream?access_token=forged')).toBe(401);

    const events: string[] = [];
    let response: IncomingMessage | undefined;
    const opened = new Promise<void>((resolve) => {
      const req = httpRequest(`${url}/api/notifications/stream?access_token=${token}`, (res) => {
        response = res;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => events.push(chunk));
        resolve();
      });
      req.end();
    });
    await opened;
    expect(response!.statusCode).toBe(200);
    expect(response!.headers['content-type']).toContain('text/event-stream');
    // What was there before the stream opened is not sent again.
    await new Promise((r) => setTimeout(r, 300));
    expect(events.join('')).not.toContain('event: notification');

    const created = await t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: '2024年度报告', year: 2024, departmentId: 'city-sti', content: REPORT_OUTLINE });
    expect((await t.http().post(`/api/documents/${created.body.id}/actions`).set(await as('drafter')).send({ action: 'submit' })).status).toBe(200);
    await t.engine.notificationFeed.drain();
    for (let i = 0; i < 50 && !events.join('').includes(created.body.id); i++) await new Promise((r) => setTimeout(r, 100));
    const text = events.join('');
    const data = text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)) as Note);
    expect(data).toEqual([expect.objectContaining({ kind: 'task-assigned', documentId: created.body.id })]);
    expect(text).toContain(`id: ${data[0].id}\nevent: notification\n`);
    response!.destroy();

    // One user holds at most ten streams at once (tabs, devices): the eleventh is refused, not buffered for.
    const open: IncomingMessage[] = [];
    for (let i = 0; i < 10; i++) {
      open.push(await new Promise<IncomingMessage>((resolve) => httpRequest(`${url}/api/notifications/stream?access_token=${token}`, resolve).end()));
    }
    expect(open.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(await status(`/api/notifications/stream?access_token=${token}`)).toBe(429);
    for (const r of open) r.destroy();
  });
});
