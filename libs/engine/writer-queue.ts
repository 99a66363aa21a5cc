import { Repositories, type Database } from '@shenpi/persistence';

/**
 * Every write transaction goes through here. SQLite has one writer connection, and two
 * overlapping async transactions on it would both fail, so they run one after another; on
 * PostgreSQL they run concurrently on the pool and the version checks guard them.
 */
export class WriterQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly database: Database) {}

  run<T>(fn: (repos: Repositories) => Promise<T>): Promise<T> {
    const work = () => this.database.transaction((sql) => fn(new Repositories(sql)));
    if (this.database.kind !== 'sqlite') return work();
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
