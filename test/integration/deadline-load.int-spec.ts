import { ManualClock, newId, systemActor, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { Repositories } from '@shenpi/persistence';
import { PASSWORD, testDatabase, testPlanner } from '../support/test-app.js';
import { timedAnnualReport } from '../support/timed-chain.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

const COUNT = Number(process.env.DEADLINE_LOAD_COUNT ?? 10_000);

/** Many deadlines due in the same second: every one fires once. Rows are seeded directly, not through the API. */
describe(`${COUNT} deadlines due in the same second`, () => {
  const database = testDatabase();
  const clock = new ManualClock(new Date('2026-06-01T02:00:00.000Z'));
  let engine: Engine;
  afterAll(async () => {
    await engine.close();
    await database.drop();
  });

  it('fires all of them exactly once and keeps the audit chain intact', async () => {
    engine = await Engine.open({ database, clock, planner: testPlanner });
    await engine.directory.seedDemo(PASSWORD);
    await engine.writer.run((r) => engine.chains.publish(r, timedAnnualReport('annual-report-load', 3600, 60), systemActor('test')));
    const drafter = (await engine.authentication.login('drafter', PASSWORD)) as Principal;
    const doc = await engine.createDocument.execute({ principal: drafter, chain: 'annual-report-load', title: '负载', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    const { task } = await engine.transition.execute({ documentId: doc.id, action: 'submit', principal: drafter }).then(async (r) => ({
      ...r,
      task: (await engine.writer.run((repos) => repos.tasks.openForDocument(doc.id)))[0],
    }));
    const second = new Date(clock.now().getTime() + 10_000).toISOString();
    await engine.writer.run(async (repos) => {
      for (let i = 0; i < COUNT; i++) {
        await repos.deadlines.insert({
          id: newId(),
          documentId: doc.id,
          taskId: task.id,
          stepKey: 'legal-review',
          round: 1,
          kind: 'reminder',
          fireAt: second,
          status: 'pending',
          provisional: false,
          payload: { dueAt: second },
          version: 1,
          createdAt: clock.now().toISOString(),
          firedAt: null,
        });
      }
    });
    clock.set(second);
    const started = performance.now();
    const fired = await engine.deadlines.fireDue();
    const seconds = (performance.now() - started) / 1000;
    console.log(`${COUNT} deadlines due in the same second fired in ${seconds.toFixed(1)} s (${Math.round(COUNT / seconds)}/s) on ${engine.database.kind}`);
    expect(fired).toBe(COUNT);
    expect(await engine.deadlines.fireDue()).toBe(0);
    const reminders = await engine.database.reader.one<{ n: number }>("SELECT COUNT(*) AS n FROM audit_entries WHERE document_id = ? AND action = 'remind'", [doc.id]);
    expect(Number(reminders!.n)).toBe(COUNT);
    const notes = await engine.database.reader.one<{ n: number }>("SELECT COUNT(*) AS n FROM notifications WHERE document_id = ? AND kind = 'remind'", [doc.id]);
    expect(Number(notes!.n)).toBe(COUNT);
    expect((await engine.audit.verify(new Repositories(engine.database.reader))).ok).toBe(true);
  }, 300_000);
});
