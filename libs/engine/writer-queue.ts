import type { AlarmClock } from '@shenpi/domain';
import { Repositories, SqliteSql, type Database, type Sql } from '@shenpi/persistence';
import { failure, quietLog, type Log } from './log.js';

/** The most jobs one SQLite commit carries. */
const MAX_BATCH = 200;

interface Job {
  fn: (repos: Repositories) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Every write transaction goes through here. On PostgreSQL each job is its own transaction,
 * running concurrently on the pool; the version checks guard them.
 *
 * SQLite has one writer connection, so jobs run one after another, and the fsync of each commit
 * is what limits throughput. Group commit: the jobs that queue while a commit is on disk run
 * next as one transaction, committed with one fsync. A job that fails leaves nothing behind and only
 * its caller sees the error (one that failed before writing needs nothing undone; one that failed
 * after writing has the batch run again with a savepoint per job); every caller hears of success
 * only after the commit that made its writes durable.
 */
export class WriterQueue {
  private readonly pending: Job[] = [];
  private draining = false;
  private scheduled = false;
  /** SQLite commits made and jobs they carried (the bench reports the batching). */
  readonly stats = { commits: 0, jobs: 0, largestBatch: 0, redone: 0 };
  /** After a PostgreSQL commit that left audit entries in the intake: the engine's sequencer, awaited before the caller hears back. */
  afterAuditEnqueued: () => Promise<void> = async () => undefined;
  /** After each commit, the number of jobs it carried (the engine's observer: batch sizes). */
  committed: (jobs: number) => void = () => undefined;
  /** SQLite's batch being committed. */
  private committing = 0;

  constructor(
    private readonly database: Database,
    private readonly alarm: AlarmClock,
    private readonly log: Log = quietLog,
  ) {}

  /** Runs `fn` in a transaction; after the commit, the timed rows it wrote wake the scheduler. */
  run<T>(fn: (repos: Repositories) => Promise<T>): Promise<T> {
    if (this.database.kind !== 'sqlite') return this.alone(fn);
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      // better-sqlite3 is synchronous: a drain started now would commit this job before the event
      // loop reads the other clients' requests. Starting it on the next turn lets them join the batch.
      if (!this.draining && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          void this.drain();
        });
      }
    });
  }

  /** PostgreSQL's transactions under way (each job runs alone on the pool). */
  private readonly inFlight = new Set<Promise<unknown>>();

  /** Jobs waiting or under way (the metrics' queue depth). */
  get depth(): number {
    return this.pending.length + this.committing + this.inFlight.size;
  }

  /** Resolves once every job started before the call has finished, whatever its outcome. */
  async idle(): Promise<void> {
    if (this.database.kind === 'sqlite') await this.run(async () => undefined);
    else await Promise.allSettled([...this.inFlight]);
  }

  private alone<T>(fn: (repos: Repositories) => Promise<T>): Promise<T> {
    const job = this.transaction(fn);
    this.inFlight.add(job);
    void job.catch(() => undefined).finally(() => this.inFlight.delete(job));
    return job;
  }

  private async transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T> {
    let repos: Repositories | undefined;
    const result = await this.database.transaction((sql) => fn((repos = new Repositories(sql))));
    if (repos?.alarms.length) this.alarm.wake(repos.alarms);
    this.committed(1);
    if (repos) afterCommit(repos, this.log);
    if (repos?.audit.enqueued) await this.afterAuditEnqueued();
    return result;
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.pending.length) await this.commit(this.pending.splice(0, MAX_BATCH));
    } finally {
      this.draining = false;
    }
  }

  private async commit(batch: Job[]): Promise<void> {
    let outcomes: Outcome[];
    this.committing = batch.length;
    try {
      outcomes = await this.batchTransaction(batch).catch((err) => {
        // A rollback that failed leaves the connection in an unknown state: nothing is run again on it.
        if (!(err instanceof Redo) || (err as { rollbackFailed?: boolean }).rollbackFailed) throw err;
        // A job wrote, then failed: the transaction was rolled back whole. The jobs that succeeded run
        // again, each in a savepoint now; a job that failed is answered with its error, not run again
        // (what it did on the way to failing, such as reporting a diverged document, happens once).
        this.stats.redone++;
        if (err.failed.size === batch.length) return batch.map((_, i): Outcome => ({ ok: false, error: err.failed.get(i) }));
        return this.batchTransaction(batch, err.failed);
      });
      this.stats.commits++;
      this.stats.jobs += batch.length;
      this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    } catch (error) {
      // The commit itself failed (or the transaction was lost): nothing of the batch is on disk.
      for (const job of batch) job.reject(error);
      return;
    } finally {
      this.committing = 0;
    }
    this.committed(batch.length);
    batch.forEach((job, i) => {
      const outcome = outcomes[i];
      if (!outcome.ok) return job.reject(outcome.error);
      if (outcome.repos.alarms.length) this.alarm.wake(outcome.repos.alarms);
      afterCommit(outcome.repos, this.log);
      job.resolve(outcome.value);
    });
  }

  /**
   * One transaction for the batch. First without savepoints (two statements, and a copy of every page
   * a job touches, saved per job): a job that fails before writing anything leaves nothing to undo,
   * which is how most refusals fail (checks come before writes). A job that fails after writing throws
   * `Redo`; the second run (`failed` given) puts each job in a savepoint, as group commit always did.
   */
  private async batchTransaction(batch: Job[], failed?: Map<number, unknown>): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    await this.database.transaction(async (connection) => {
      const sql = sqliteWriter(connection);
      for (const [i, job] of batch.entries()) {
        if (failed?.has(i)) {
          outcomes.push({ ok: false, error: failed.get(i) });
          continue;
        }
        const repos = new Repositories(sql);
        if (!failed) {
          const writesBefore = sql.writes;
          try {
            outcomes.push({ ok: true, value: await job.fn(repos), repos });
          } catch (error) {
            outcomes.push({ ok: false, error });
            stillInTransaction(sql, error);
            if (sql.writes !== writesBefore) throw new Redo(new Map(outcomes.flatMap((o, j) => (o.ok ? [] : [[j, o.error] as const]))));
          }
          stillInTransaction(sql);
          continue;
        }
        await sql.run('SAVEPOINT job');
        try {
          const value = await job.fn(repos);
          await sql.run('RELEASE SAVEPOINT job');
          outcomes.push({ ok: true, value, repos });
        } catch (error) {
          stillInTransaction(sql, error);
          await sql.run('ROLLBACK TO SAVEPOINT job');
          await sql.run('RELEASE SAVEPOINT job');
          outcomes.push({ ok: false, error });
        }
      }
    });
    return outcomes;
  }
}

/**
 * SQLite may roll a whole transaction back by itself (a full disk, an I/O error, even under a read);
 * the batch's later statements would then commit one by one. The batch stops here and every job in
 * it is refused with this error (nothing of it is on disk: SQLite undid it all).
 */
function stillInTransaction(sql: SqliteSql, cause?: unknown): void {
  if (!sql.inTransaction) {
    throw Object.assign(new Error('the database rolled the batch\'s transaction back: nothing of it was committed'), { cause });
  }
}

/** Batches are SQLite's (PostgreSQL runs each job alone): its writer connection, which counts its writes. */
function sqliteWriter(sql: Sql): SqliteSql {
  if (!(sql instanceof SqliteSql)) throw new Error('group commit runs on SQLite\'s writer connection');
  return sql;
}

type Outcome = { ok: true; value: unknown; repos: Repositories } | { ok: false; error: unknown };

/** Thrown out of a batch's first transaction (rolling it back) when a job failed after writing: the jobs that failed, by position. */
class Redo extends Error {
  constructor(readonly failed: Map<number, unknown>) {
    super('a job failed after writing: the batch runs again with a savepoint per job');
  }
}

/** A hook that throws must not turn a committed job into a failure its caller would retry. */
function afterCommit(repos: Repositories, log: Log): void {
  for (const hook of repos.afterCommit) {
    try {
      hook();
    } catch (err) {
      log.error({ component: 'writer', ...failure(err) }, 'after-commit hook failed');
    }
  }
}
