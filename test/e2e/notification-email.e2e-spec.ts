import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { EmailDeliverer } from '@shenpi/scheduling';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { bearer, useApp } from '../support/test-app.js';

interface Mail {
  to: string[];
  text: string;
}

/** The text of a message sent base64-encoded (the deliverer's choice: Chinese text, any line length). */
const body = (m: Mail) => Buffer.from(m.text.split('\r\n\r\n').slice(1).join('').replace(/\s/g, ''), 'base64').toString('utf8');

/** Notifications by e-mail, through an outbox, to a real SMTP server; each user chooses per kind. */
describe('notifications by e-mail', () => {
  const t = useApp();
  const as = async (u: string) => bearer(await t.token(u));
  const mails: Mail[] = [];
  let smtp: SMTPServer;
  let url = '';

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, done) {
        let text = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => (text += chunk));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), text });
          done();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    url = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

  const settings = async (user: string, body: object) => t.http().put('/api/notifications/settings').set(await as(user)).send(body);

  it('refuses settings that are not an address or not a known kind and channel, naming each', async () => {
    const res = await settings('counsel', { email: 'not an address', kinds: { 'task-assigned': { email: 'yes' }, nonsense: {}, returned: { sms: true } } });
    expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['email', 'kinds.nonsense', 'kinds.returned.sms', 'kinds.task-assigned.email']);
    const unchanged = await t.http().get('/api/notifications/settings').set(await as('counsel'));
    expect(unchanged.body).toMatchObject({ email: null, kinds: { 'task-assigned': { inApp: true, email: true } } });
  });

  it('mails each user the kinds they want, retries while the server cannot be reached, and never holds up a decision', async () => {
    expect((await settings('counsel', { email: 'counsel@example.gov.cn' })).status).toBe(200);
    // The drafter wants returns by e-mail, not decisions; and decisions not even in the app.
    expect((await settings('drafter', { email: 'drafter@example.gov.cn', kinds: { decided: { email: false, inApp: false } } })).body).toMatchObject({
      email: 'drafter@example.gov.cn',
      kinds: { decided: { email: false, inApp: false }, returned: { email: true, inApp: true } },
    });

    const created = await t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: '2025年度报告', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    const id = created.body.id;
    // SMTP cannot be reached: the submission succeeds all the same, and its e-mail waits.
    expect((await t.http().post(`/api/documents/${id}/actions`).set(await as('drafter')).send({ action: 'submit' })).status).toBe(200);
    await t.engine.notificationFeed.drain();
    const down = new EmailDeliverer(t.engine, { url: 'smtp://127.0.0.1:1', from: 'shenpi@example.gov.cn' });
    expect(await down.pass()).toEqual({ sent: 0, failed: 1 });
    await down.stop();
    const mailer = new EmailDeliverer(t.engine, { url, from: 'shenpi@example.gov.cn' });
    try {
      // Not yet: the next attempt is a minute later.
      expect(await mailer.pass()).toEqual({ sent: 0, failed: 0 });
      t.clock.advance(61_000);
      expect(await mailer.pass()).toEqual({ sent: 1, failed: 0 });
      expect(mails.map((m) => m.to)).toEqual([['counsel@example.gov.cn']]);
      expect(mails[0].text).toContain('Subject: =?UTF-8?');

      const [task] = (await t.http().get(`/api/documents/${id}`).set(await as('counsel'))).body.openTasks;
      expect((await t.http().post(`/api/tasks/${task.id}/decision`).set(await as('counsel')).send({ decision: 'return', comment: '请补充数据' })).status).toBe(200);
      await t.engine.notificationFeed.drain();
      expect(await mailer.pass()).toEqual({ sent: 1, failed: 0 });
      expect(mails[1].to).toEqual(['drafter@example.gov.cn']);
      expect(body(mails[1])).toContain('退回：《2025年度报告》在法制审核被退回：请补充数据');

      expect((await t.http().post(`/api/documents/${id}/actions`).set(await as('drafter')).send({ action: 'submit' })).status).toBe(200);
      await t.engine.notificationFeed.drain();
      const [again] = (await t.http().get(`/api/documents/${id}`).set(await as('counsel'))).body.openTasks;
      expect((await t.http().post(`/api/tasks/${again.id}/decision`).set(await as('counsel')).send({ decision: 'approve' })).status).toBe(200);
      await t.engine.notificationFeed.drain();
      await mailer.pass();
      // The counsel's new task was mailed; the drafter's "decided" was neither mailed nor listed.
      expect(mails.map((m) => m.to[0])).toEqual(['counsel@example.gov.cn', 'drafter@example.gov.cn', 'counsel@example.gov.cn']);
      const listed = (await t.http().get('/api/notifications?limit=100').set(await as('drafter'))).body.items.map((n: { kind: string }) => n.kind);
      expect(listed).toEqual(['returned']);
    } finally {
      await mailer.stop();
    }
  });

  it('mails the decisions on one\'s document, its disclosure to the supervisors and a copy to its recipient', async () => {
    const mailed = mails.length;
    // The drafter now wants decisions by e-mail too; the supervisor and the leader give an address.
    expect((await settings('drafter', { kinds: { decided: { email: true, inApp: true } } })).status).toBe(200);
    expect((await settings('supervisor', { email: 'supervisor@example.gov.cn' })).status).toBe(200);
    expect((await settings('leader', { email: 'leader@example.gov.cn' })).status).toBe(200);
    const leader = (await t.http().get('/api/me').set(await as('leader'))).body.id;

    // The report of the test above is at the Party group's review.
    const [doc] = (await t.http().get('/api/documents?limit=200').set(await as('drafter'))).body.items.filter((d: { title: string }) => d.title === '2025年度报告');
    const approve = async (user: string) => {
      const [task] = (await t.http().get(`/api/documents/${doc.id}`).set(await as(user))).body.openTasks;
      expect((await t.http().post(`/api/tasks/${task.id}/decision`).set(await as(user)).send({ decision: 'approve' })).status).toBe(200);
      await t.engine.notificationFeed.drain();
    };
    await approve('secretary');
    await approve('office');
    const disclosure = { url: 'https://kjj.example.gov.cn/2025.html', publishedOn: '2026-02-02' };
    expect((await t.http().post(`/api/documents/${doc.id}/actions`).set(await as('drafter')).send({ action: 'record-disclosure', disclosure })).status).toBe(200);
    await t.engine.notificationFeed.drain();
    expect((await t.http().post(`/api/documents/${doc.id}/copies`).set(await as('drafter')).send({ userIds: [leader], comment: '请阅' })).status).toBe(200);

    const mailer = new EmailDeliverer(t.engine, { url, from: 'shenpi@example.gov.cn' });
    try {
      expect(await mailer.pass()).toEqual({ sent: 4, failed: 0 });
    } finally {
      await mailer.stop();
    }
    // Each says what happened and ends with its kind: (kind, time).
    const sent = mails.slice(mailed).map((m) => [m.to[0], body(m).split('\n')[0], /\(([a-z-]+), \d{4}-/.exec(body(m))?.[1]]);
    expect(sent.sort()).toEqual([
      ['drafter@example.gov.cn', '已办理：《2025年度报告》党组会议审议：approve', 'decided'],
      ['drafter@example.gov.cn', '已办理：《2025年度报告》报送法治建设办：approve', 'decided'],
      ['leader@example.gov.cn', '抄送：《2025年度报告》：请阅', 'copy-to'],
      ['supervisor@example.gov.cn', '已公开：《2025年度报告》已登记向社会公开', 'disclosed'],
    ]);
  });
});
