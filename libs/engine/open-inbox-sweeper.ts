import { sweepOpenRoleTasks } from '@shenpi/persistence';
import { failure, type Log } from './log.js';
import type { WriterQueue } from './writer-queue.js';

/** Changes between two sweeps, and the most closings one sweep takes out. */
export const SWEEP_EVERY_JOBS = 2_000;
export const SWEEP_BATCH = 5_000;

/**
 * SQLite: takes closed tasks out of the list of a role's open tasks (migration 1767100000000) after
 * every SWEEP_EVERY_JOBS changes, in a writer job of its own: removed together, many entries share
 * each page written, where one per decision took a page each. Until then the inbox reads past them.
 */
export class OpenInboxSweeper {
  private since = 0;
  private sweeping = false;

  constructor(
    private readonly writer: WriterQueue,
    private readonly log: Log,
  ) {}

  /** After each commit, the jobs it carried. */
  committed(jobs: number): void {
    this.since += jobs;
    if (this.since < SWEEP_EVERY_JOBS || this.sweeping) return;
    this.since = 0;
    this.sweeping = true;
    this.sweep()
      .catch((err) => this.log.error({ component: 'open-inbox-sweeper', ...failure(err) }, 'closed tasks not swept from the open inbox (the next sweep retries)'))
      .finally(() => (this.sweeping = false));
  }

  /** Sweeps now; the number of closings taken out. */
  sweep(): Promise<number> {
    return this.writer.run((repos) => sweepOpenRoleTasks(repos.sql, SWEEP_BATCH));
  }
}
