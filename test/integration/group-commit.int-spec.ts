import { ManualClock, systemActor } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { Repositories } from '@shenpi/persistence';
import { testDatabase } from '../support/test-app.js';

/**
 * Group commit on SQLite: concurrent jobs share one commit, each in its own savepoint. A job that
 * fails leaves nothing behind and fails alone; the others are committed and told so.
 */
describe('writer queue: group commit', () => {
  const database = testDatabase();
  let engine: Engine;

  beforeAll(async () => {
    engine = await Engine.open({ database, clock: new ManualClock() });
  });
  afterAll(async () => {
    await engine.close();
    await database.drop();
  });

  it('commits concurrent jobs together; a failing job rolls back only its own writes', async () => {
    const before = { ...engine.writer.stats };
    const jobs = Array.from({ length: 60 }, (_, i) =>
      engine.writer.run(async (repos) => {
        await engine.audit.append(repos, { category: 'configuration', action: `job-${i}`, actor: systemActor(), details: { i } });
        // Every fifth job fails after writing: a domain refusal, or the database's own error.
        if (i % 10 === 4) throw new Error(`refused ${i}`);
        if (i % 10 === 9) await repos.sql.run('INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, ?)', ['dup']);
        return i;
      }),
    );
    const results = await Promise.allSettled(jobs);
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
    expect(failed).toEqual(Array.from({ length: 60 }, (_, i) => i).filter((i) => i % 10 === 4 || i % 10 === 9));
    expect((results[4] as PromiseRejectedResult).reason.message).toBe('refused 4');

    const repos = new Repositories(engine.database.reader);
    // On PostgreSQL the jobs commit concurrently, in any order.
    const written = (await repos.audit.range(0, 1000)).map((r) => r.action).sort();
    expect(written).toEqual(Array.from({ length: 60 }, (_, i) => i).filter((i) => !failed.includes(i)).map((i) => `job-${i}`).sort());
    expect(await engine.audit.verify(repos)).toMatchObject({ ok: true, entries: 48 });

    if (database.url) return; // PostgreSQL runs each job as its own transaction on the pool.
    const commits = engine.writer.stats.commits - before.commits;
    expect(engine.writer.stats.jobs - before.jobs).toBe(60);
    expect(commits).toBeLessThan(60);
    expect(engine.writer.stats.largestBatch).toBeGreaterThan(1);
  });
});
