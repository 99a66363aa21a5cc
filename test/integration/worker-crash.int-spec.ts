import { spawn, type ChildProcess } from 'node:child_process';
import { systemActor, systemClock, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { startScheduler, type Scheduler } from '@shenpi/scheduling';
import { PASSWORD, testDatabase, testPlanner } from '../support/test-app.js';
import { timedAnnualReport } from '../support/timed-chain.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const onPostgres = !!process.env.TEST_DATABASE_URL;

/**
 * apps/worker as a real process (PostgreSQL only: on SQLite the API is the only writer), killed
 * with SIGKILL while 1,000 deadlines are pending, then started again.
 */
(onPostgres ? describe : describe.skip)('worker killed mid-run', () => {
  const database = testDatabase();
  const queueName = `shenpi-crash-${process.pid}`;
  let engine: Engine;
  let producer: Scheduler;
  const children: ChildProcess[] = [];

  const startWorker = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/main.ts'], {
      env: { ...process.env, DATABASE_URL: database.url, DATABASE_SCHEMA: database.schema, REDIS_URL, DEADLINE_QUEUE: queueName, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    // Started once its JSON log says so.
    const started = (line: string) => {
      try {
        const entry = JSON.parse(line) as { name?: string; msg?: string };
        return entry.name === 'worker' && /running/.test(entry.msg ?? '');
      } catch {
        return false;
      }
    };
    return new Promise<ChildProcess>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().split('\n').some(started) && resolve(child));
      child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    });
  };
  /** The scheduler's effects on the documents of one chain, by action. */
  const systemActions = async (chain = 'annual-report-crash') => {
    const rows = await engine.database.reader.all<{ action: string; n: number }>(
      `SELECT a.action, COUNT(*) AS n FROM audit_entries a JOIN documents d ON d.id = a.document_id
        WHERE a.actor_type = 'system' AND a.from_state = 'legal-review' AND d.chain_key = ? GROUP BY a.action ORDER BY a.action`,
      [chain],
    );
    return Object.fromEntries(rows.map((r) => [r.action, Number(r.n)]));
  };
  const total = async (chain?: string) => Object.values(await systemActions(chain)).reduce((a, b) => a + b, 0);
  const waitFor = async (check: () => Promise<boolean>, ms: number, chain?: string) => {
    const until = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > until) throw new Error(`timed out; so far ${JSON.stringify(await systemActions(chain))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await producer?.stop();
    await engine?.close();
    await database.drop();
  });

  let drafter: Principal;
  /** 250 reports of `chain` (12 s to remind, 1 s more to escalate) submitted to legal review: 1,000 scheduler effects due. */
  const submitted = async (chain: string) => {
    await engine.writer.run((r) => engine.chains.publish(r, timedAnnualReport(chain, 12, 1), systemActor('test')));
    for (let i = 0; i < 250; i++) {
      const doc = await engine.createDocument.execute({ principal: drafter, chain, title: `报告${i}`, year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
      await engine.transition.execute({ documentId: doc.id, action: 'submit', principal: drafter });
    }
  };

  beforeAll(async () => {
    engine = await Engine.open({ database, clock: systemClock, planner: testPlanner });
    await engine.directory.seedDemo(PASSWORD);
    drafter = (await engine.authentication.login('drafter', PASSWORD)) as Principal;
    producer = await startScheduler(engine, { redisUrl: REDIS_URL, processors: false, queueName });
  });

  it('fires each of 1,000 deadlines once with two workers on one queue and one database', async () => {
    await submitted('annual-report-pair');
    const pair = await Promise.all([startWorker(), startWorker()]);
    await waitFor(async () => (await total('annual-report-pair')) >= 1000, 90_000, 'annual-report-pair');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await systemActions('annual-report-pair')).toEqual({ approve: 250, 'deadline-passed': 250, escalate: 250, remind: 250 });
    for (const worker of pair) {
      worker.kill('SIGTERM');
      await new Promise((r) => worker.once('exit', r));
    }
  }, 180_000);

  it('fires all 1,000 after a SIGKILL and a restart, none twice', async () => {
    await submitted('annual-report-crash');
    const first = await startWorker();
    await waitFor(async () => (await total()) >= 300, 60_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const atKill = await total();
    expect(atKill).toBeLessThan(1000);

    await startWorker();
    await waitFor(async () => (await total()) >= 1000, 90_000);
    await new Promise((r) => setTimeout(r, 1000));
    console.log(`worker SIGKILLed after ${atKill} of 1000 deadline effects; after restart: ${JSON.stringify(await systemActions())}`);
    expect(await systemActions()).toEqual({ approve: 250, 'deadline-passed': 250, escalate: 250, remind: 250 });
  }, 180_000);
});
