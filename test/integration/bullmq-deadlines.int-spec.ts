import { Redis } from 'ioredis';
import { systemActor, systemClock, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { alarmJobId, startScheduler, type Scheduler } from '@shenpi/scheduling';
import { PASSWORD, testDatabase, testPlanner } from '../support/test-app.js';
import { timedAnnualReport } from '../support/timed-chain.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Real Redis, real time: deadlines of seconds fired through BullMQ, and nothing lost when Redis forgets. */
describe('deadlines on BullMQ', () => {
  const database = testDatabase();
  const queueName = `shenpi-test-${process.pid}`;
  let engine: Engine;
  let scheduler: Scheduler;
  let drafter: Principal;
  const redis = new Redis(REDIS_URL);

  const countActions = async (documentIds: string[]) => {
    const rows = await engine.database.reader.all<{ action: string; n: number }>(
      `SELECT action, COUNT(*) AS n FROM audit_entries WHERE actor_type = 'system' AND document_id IN (${documentIds.map(() => '?').join(', ')}) GROUP BY action ORDER BY action`,
      documentIds,
    );
    return Object.fromEntries(rows.map((r) => [r.action, Number(r.n)]));
  };
  const waitFor = async (check: () => Promise<boolean>, ms: number) => {
    const until = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > until) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const submitMany = async (n: number, chain = 'annual-report-timed') => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const doc = await engine.createDocument.execute({ principal: drafter, chain, title: `报告${i}`, year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
      await engine.transition.execute({ documentId: doc.id, action: 'submit', principal: drafter });
      ids.push(doc.id);
    }
    return ids;
  };

  beforeAll(async () => {
    engine = await Engine.open({ database, clock: systemClock, planner: testPlanner });
    await engine.directory.seedDemo(PASSWORD);
    await engine.writer.run((r) => engine.chains.publish(r, timedAnnualReport('annual-report-timed', 2, 1), systemActor('test')));
    // Long enough that 250 reports are submitted before the first of their timers is due.
    await engine.writer.run((r) => engine.chains.publish(r, timedAnnualReport('annual-report-flush', 30, 2), systemActor('test')));
    drafter = (await engine.authentication.login('drafter', PASSWORD))!;
    scheduler = await startScheduler(engine, { redisUrl: REDIS_URL, processors: true, queueName, reconcileIntervalMs: 3_600_000 });
  });
  afterAll(async () => {
    await scheduler.stop();
    await engine.close();
    await redis.quit();
    await database.drop();
  });

  it('enqueues one delayed job per row, with an id that is neither numeric nor has a colon', async () => {
    const [id] = await submitMany(1);
    const rows = await engine.writer.run((r) => r.deadlines.forDocument(id));
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      const jobId = alarmJobId({ ...row, kind: 'deadline' });
      expect(jobId).toMatch(/^dl-[0-9a-f-]{36}-1$/);
      const job = await scheduler.queue!.queue.getJob(jobId);
      expect(job?.data).toEqual({ id: row.id });
    }
    await waitFor(async () => (await countActions([id])).approve === 1, 15_000);
    expect(await countActions([id])).toEqual({ approve: 1, 'deadline-passed': 1, escalate: 1, remind: 1 });
  });

  it('restores 1,000 pending deadlines after FLUSHALL: every one fires, none twice', async () => {
    const ids = await submitMany(250, 'annual-report-flush');
    expect(await scheduler.queue!.queue.count()).toBeGreaterThan(0);
    await redis.flushall();
    expect(await scheduler.queue!.queue.count()).toBe(0);
    // Live rows: of the step their document is in (a step left leaves its rows stale, and the reconciler leaves them).
    const pendingBefore = await engine.database.reader.all<{ document_id: string }>(
      "SELECT x.document_id FROM deadlines x JOIN documents d ON d.id = x.document_id AND d.state = x.step_key WHERE x.status = 'pending'",
    );
    expect(pendingBefore.filter((r) => ids.includes(r.document_id)).length).toBe(1000);
    const { enqueued, fired } = await scheduler.reconciler!.tick();
    expect(enqueued + fired).toBe(pendingBefore.length);
    await waitFor(async () => (await countActions(ids)).approve === 250, 75_000);
    // Let any stray duplicate delivery land before counting.
    await new Promise((r) => setTimeout(r, 500));
    expect(await countActions(ids)).toEqual({ approve: 250, 'deadline-passed': 250, escalate: 250, remind: 250 });
    const pending = await engine.database.reader.all("SELECT id FROM deadlines WHERE status = 'pending' AND step_key = 'legal-review'");
    expect(pending).toHaveLength(0);
  }, 150_000);

  it('does not wake the timers of a step left: a withdrawn report\'s stay in legal review is over', async () => {
    const [id] = await submitMany(1, 'annual-report-flush');
    await engine.transition.execute({ documentId: id, action: 'withdraw', principal: drafter });
    await redis.flushall();
    const stale = (await engine.writer.run((r) => r.deadlines.forDocument(id))).filter((row) => row.status === 'pending');
    expect(stale).toHaveLength(4);
    const { enqueued } = await scheduler.reconciler!.tick();
    // The other reports' timers (still live) are enqueued again; none of this one's.
    expect(enqueued).toBeGreaterThan(0);
    for (const row of stale) expect(await scheduler.queue!.queue.getJob(alarmJobId({ ...row, kind: 'deadline' }))).toBeUndefined();
  });
});
