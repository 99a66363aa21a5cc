import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock, systemClock, type Clock, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { signBody, startScheduler, webhookSettingsFromEnv } from '@shenpi/scheduling';
import { shippedChains } from '@shenpi/workflows';
import { PASSWORD, testDatabase, testPlanner } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

const SECRET = 'webhook-test-secret';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Received {
  body: string;
  headers: IncomingMessage['headers'];
}

/** A receiver on loopback that answers with the given statuses in turn (then 200). */
async function receiver(statuses: number[]) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ body, headers: req.headers });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, close: () => new Promise((r) => server.close(r)) };
}

async function setUp(clock: Clock, url: string, redisUrl?: string) {
  const database = testDatabase();
  const engine = await Engine.open({ database, clock, planner: testPlanner, shippedChains, webhooks: { urls: [url] } });
  await engine.directory.seedDemo(PASSWORD);
  const scheduler = await startScheduler(engine, { redisUrl, processors: !!redisUrl, webhookSecret: SECRET, queueName: `shenpi-wh-${process.pid}` });
  const drafter = (await engine.authentication.login('drafter', PASSWORD)) as Principal;
  return {
    engine,
    scheduler,
    drafter,
    async close() {
      await scheduler.stop();
      await engine.close();
      await database.drop();
    },
  };
}

describe('webhooks', () => {
  it('delivers each audited transition signed, and retries a failed delivery with backoff', async () => {
    const hook = await receiver([500]);
    const clock = new ManualClock(new Date('2026-03-02T02:00:00.000Z'));
    const s = await setUp(clock, hook.url);
    try {
      const doc = await s.engine.createDocument.execute({ principal: s.drafter, chain: 'annual-report', title: '报告', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
      expect(await s.scheduler.deliverer!.deliverDue()).toBe(0);
      expect(hook.received).toHaveLength(1);
      expect(await s.scheduler.deliverer!.deliverDue()).toBe(0);
      expect(hook.received).toHaveLength(1);

      clock.advance(1000);
      expect(await s.scheduler.deliverer!.deliverDue()).toBe(1);
      expect(hook.received).toHaveLength(2);
      const [failed, ok] = hook.received;
      expect(ok.body).toBe(failed.body);
      expect(ok.headers['x-shenpi-delivery']).toBe(failed.headers['x-shenpi-delivery']);
      expect(ok.headers['x-shenpi-signature']).toBe(signBody(SECRET, ok.body));
      const payload = JSON.parse(ok.body);
      expect(payload).toMatchObject({ event: 'transition', deliveryId: ok.headers['x-shenpi-delivery'], entry: { v: 1, action: 'create', documentId: doc.id, to: 'draft' } });
      expect(payload.entry.hash).toMatch(/^[0-9a-f]{64}$/);

      const row = await s.engine.database.reader.one<{ status: string; attempts: number }>('SELECT status, attempts FROM webhook_deliveries');
      expect(row).toMatchObject({ status: 'delivered', attempts: 2 });
      // Logins are security entries: they are not sent.
      expect(await s.engine.database.reader.all('SELECT id FROM webhook_deliveries')).toHaveLength(1);
    } finally {
      await s.close();
      await hook.close();
    }
  });

  it('retries through BullMQ jobs until the receiver accepts', async () => {
    const hook = await receiver([503, 503]);
    const s = await setUp(systemClock, hook.url, REDIS_URL);
    try {
      await s.engine.createDocument.execute({ principal: s.drafter, chain: 'annual-report', title: '报告', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
      const until = Date.now() + 20_000;
      while (hook.received.length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 300));
      expect(hook.received).toHaveLength(3);
      const row = await s.engine.database.reader.one<{ status: string; attempts: number }>('SELECT status, attempts FROM webhook_deliveries');
      expect(row).toMatchObject({ status: 'delivered', attempts: 3 });
    } finally {
      await s.close();
      await hook.close();
    }
  }, 30_000);

  it('refuses URLs without a secret, and URLs that are not http(s)', () => {
    expect(() => webhookSettingsFromEnv({ WEBHOOK_URLS: 'https://a.example/h' })).toThrow(/WEBHOOK_SECRET/);
    expect(() => webhookSettingsFromEnv({ WEBHOOK_URLS: 'ftp://a.example/h', WEBHOOK_SECRET: 'x' })).toThrow(/not an http/);
    expect(webhookSettingsFromEnv({ WEBHOOK_URLS: ' https://a.example/h , http://b.example ', WEBHOOK_SECRET: 'x' }).urls).toEqual(['https://a.example/h', 'http://b.example']);
  });
});
