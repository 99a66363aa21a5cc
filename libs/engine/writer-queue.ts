import type { AlarmClock } from '@shenpi/domain';
import { Repositories, type Database } from '@shenpi/persistence';

/**
 * Every write transaction goes through here. SQLite has one writer connection, and two
 * overlapping async transactions on it would both fail, so they run one after another; on
 * PostgreSQL they run concurrently on the pool and the version checks guard them.
 */
export class WriterQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly database: Database,
    private readonly alarm: AlarmClock,
  ) {}

  /** Runs `fn` in one transaction; after the commit, the timed rows it wrote wake the scheduler. */
  run<T>(fn: (repos: Repositories) => Promise<T>): Promise<T> {
    const work = async () => {
      let repos: Repositories | undefined;
      const result = await this.database.transaction((sql) => fn((repos = new Repositories(sql))));
      if (repos?.alarms.length) this.alarm.wake(repos.alarms);
      return result;
    };
    if (this.database.kind !== 'sqlite') return work();
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
