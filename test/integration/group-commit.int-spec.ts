import { ManualClock, systemActor } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { Repositories, sqlStatements } from '@shenpi/persistence';
import { testDatabase } from '../support/test-app.js';

/**
 * Group commit on SQLite: concurrent jobs share one commit. A job that fails leaves nothing behind
 * and fails alone; the others are committed and told so. A batch runs without savepoints until a job
 * fails after writing; then it runs again with one per job, and a job that failed is not run again.
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

  /** 60 jobs queued in one turn of the event loop (one batch on SQLite); each appends an entry and counts its runs. */
  async function sixtyJobs(tag: string, fails: (i: number) => 'before-writing' | 'after-writing' | undefined) {
    const runs = new Array<number>(60).fill(0);
    const jobs = runs.map((_, i) =>
      engine.writer.run(async (repos) => {
        runs[i]++;
        if (fails(i) === 'before-writing') {
          await repos.audit.lastTransitionOf('00000000-0000-0000-0000-000000000000');
          throw new Error(`refused ${i}`);
        }
        await engine.audit.append(repos, { category: 'configuration', action: `${tag}-${i}`, actor: systemActor(), details: { i } });
        if (fails(i) === 'after-writing') throw new Error(`failed ${i}`);
        return i;
      }),
    );
    const results = await Promise.allSettled(jobs);
    const rejected = results.flatMap((r, i) => (r.status === 'rejected' ? [[i, (r.reason as Error).message] as const] : []));
    const repos = new Repositories(engine.database.reader);
    const written = (await repos.audit.range(0, 10_000)).map((r) => r.action).filter((a) => a.startsWith(`${tag}-`));
    return { runs, rejected, written, verify: await engine.audit.verify(repos) };
  }

  it('runs a batch whose refusals come before any write without a savepoint, each job once', async () => {
    const refused = (i: number) => (i % 7 === 3 ? ('before-writing' as const) : undefined);
    sqlStatements.trace = [];
    const { runs, rejected, written, verify } = await sixtyJobs('refused-first', refused);
    const trace = sqlStatements.trace;
    sqlStatements.trace = null;
    const expectedRefused = runs.map((_, i) => i).filter((i) => refused(i));
    expect(rejected).toEqual(expectedRefused.map((i) => [i, `refused ${i}`]));
    expect(runs).toEqual(new Array(60).fill(1));
    expect(written.sort()).toEqual(runs.map((_, i) => i).filter((i) => !refused(i)).map((i) => `refused-first-${i}`).sort());
    expect(verify).toMatchObject({ ok: true });
    if (database.url) return;
    expect(trace.filter((s) => s.includes('SAVEPOINT'))).toEqual([]);
  });

  it('runs a batch again when a job fails after writing: its writes undone, no job that failed run twice', async () => {
    const fails = (i: number) => (i % 10 === 2 ? ('before-writing' as const) : i % 10 === 5 ? ('after-writing' as const) : undefined);
    const { runs, rejected, written, verify } = await sixtyJobs('failed-after', fails);
    const failing = runs.map((_, i) => i).filter((i) => fails(i));
    expect(rejected).toEqual(failing.map((i) => [i, fails(i) === 'before-writing' ? `refused ${i}` : `failed ${i}`]));
    // Each entry of a job that succeeded is in the log once, however many times the job ran.
    expect(written.sort()).toEqual(runs.map((_, i) => i).filter((i) => !fails(i)).map((i) => `failed-after-${i}`).sort());
    expect(verify).toMatchObject({ ok: true });
    for (const i of failing) expect({ job: i, runs: runs[i] }).toEqual({ job: i, runs: 1 });
    if (database.url) return expect(runs).toEqual(new Array(60).fill(1));
    // One batch: jobs 0–4 ran in the first transaction, job 5 failed after writing; the jobs that had succeeded ran again.
    expect(runs.slice(0, 6)).toEqual([2, 2, 1, 2, 2, 1]);
    expect(runs.slice(6)).toEqual(new Array(54).fill(1));
  });

  it('refuses the whole batch when the database rolled its transaction back under a job, and commits nothing of it', async () => {
    // SQLite rolls a transaction back by itself on a full disk or an I/O error, even under a read; a job's own ROLLBACK stands in for it.
    const jobs = ['lost-a', 'lost-b', 'lost-c'].map((action) =>
      engine.writer.run(async (repos) => {
        if (action === 'lost-b' && !database.url) {
          await repos.sql.run('ROLLBACK');
          throw new Error('disk I/O error');
        }
        await engine.audit.append(repos, { category: 'configuration', action, actor: systemActor(), details: {} });
        return action;
      }),
    );
    const results = await Promise.allSettled(jobs);
    const after = await engine.writer.run(async (repos) => {
      await engine.audit.append(repos, { category: 'configuration', action: 'lost-after', actor: systemActor(), details: {} });
      return 'ok';
    });
    const repos = new Repositories(engine.database.reader);
    const written = (await repos.audit.range(0, 10_000)).map((r) => r.action).filter((a) => a.startsWith('lost-'));
    expect(after).toBe('ok');
    expect(await engine.audit.verify(repos)).toMatchObject({ ok: true });
    if (database.url) return expect(written.sort()).toEqual(['lost-a', 'lost-after', 'lost-b', 'lost-c']);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(written).toEqual(['lost-after']);
  });
});
